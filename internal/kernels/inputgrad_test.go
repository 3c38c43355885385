package kernels

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// inputGradSplit are [m, n, k] shapes InputGrad splits: odd batches and
// widths, the fewest and most units, a one-row batch, a narrow dX, wide
// layers at batches up to 128.
var inputGradSplit = [][3]int{
	{32, 256, 256}, {1, 64, 1}, {7, 65, 33}, {31, 97, 130}, {64, 64, 200}, {5, 512, 784}, {16, 128, 5},
	{9, 513, 20}, {33, 1025, 70}, {3, 4096, 9}, {128, 1024, 100}, {97, 2048, 33},
}

// inputGradWhole are shapes that go as MatMul: too few units, too many,
// too many rows.
var inputGradWhole = [][3]int{
	{32, 63, 50}, {2, 4097, 12}, {100, 511, 17}, {65, 256, 40}, {128, 10, 256}, {129, 1024, 20}, {128, 2049, 16},
}

// inputGradShapes are both.
var inputGradShapes = append(slices.Clone(inputGradSplit), inputGradWhole...)

// TestInputGradMatchesReference holds InputGrad to the float64 reference
// of dX = dY·w, over what dX held before, on every micro-kernel.
func TestInputGradMatchesReference(t *testing.T) {
	saved := kernel
	defer func() { kernel = saved }()
	rng := rand.New(rand.NewPCG(7, 7))
	var g InputGrad
	for _, kernel = range kernels() {
		for _, s := range inputGradShapes {
			m, n, k := s[0], s[1], s[2]
			dY, w := randSlice(rng, m*n), randSlice(rng, n*k)
			dX, ref := randSlice(rng, m*k), make([]float32, m*k)
			g.MatMul(dX, dY, w, m, n, k)
			RefMatMul(ref, dY, w, m, n, k)
			agree(t, kernel.name+" InputGrad.MatMul", dX, ref, n)
		}
	}
}

// TestInputGradSumsHalves checks the sum InputGrad computes, bit for bit,
// on every micro-kernel, on one thread, on two (the halves side by side,
// and the trial keeping the caller alone) and on three: where it splits,
// the product over the first half of the units plus the product over the
// second; elsewhere MatMul's. The last shape is large enough for the
// worker pool on three threads.
func TestInputGradSumsHalves(t *testing.T) {
	posted := splitting(t)
	saved := kernel
	defer func() { kernel = saved }()
	rng := rand.New(rand.NewPCG(8, 8))
	for _, kernel = range kernels() {
		shapes := inputGradShapes
		if kernel.name == saved.name {
			shapes = append(shapes, [3]int{64, 512, 4096})
		}
		for _, s := range shapes {
			m, n, k := s[0], s[1], s[2]
			dY, w := randSlice(rng, m*n), randSlice(rng, n*k)
			want := halvesSum(dY, w, m, n, k)
			for _, way := range []struct {
				threads int
				alone   bool
			}{{1, false}, {2, false}, {2, true}, {3, false}} {
				SetThreads(way.threads)
				restore := chooseAlone(way.alone)
				before := posted()
				var g InputGrad // a buffer of its own: no half left over from the last way
				dX := randSlice(rng, m*k)
				g.MatMul(dX, dY, w, m, n, k)
				restore()
				if !sameBits(dX, want) {
					t.Errorf("%s, %v on %d threads (alone %v): not the sum of the halves' products", kernel.name, s, way.threads, way.alone)
				}
				if way.threads == 2 && splitsUnits(m, n, k) && (posted() == before) != way.alone {
					t.Errorf("%s, %v on 2 threads (alone %v): went to the helper %v", kernel.name, s, way.alone, posted() != before)
				}
			}
		}
	}
}

// TestInputGradHalvesInBands checks that the halves of a layer's input
// gradient at batch 32 or so go in bands of columns (runBands numbers
// each: nextProductID) when the halves run side by side (posted to the
// helper) and when the trial keeps the caller alone, as one thread
// computes them (gemmAlone), with the bits of the halves' products.
func TestInputGradHalvesInBands(t *testing.T) {
	posted := splitting(t)
	saved := kernel
	defer func() { kernel = saved }()
	rng := rand.New(rand.NewPCG(10, 10))
	for _, kernel = range pairKernels(t) {
		for _, s := range [][3]int{{32, 256, 256}, {33, 1025, 70}, {32, 1024, 784}} {
			m, n, k := s[0], s[1], s[2]
			dY, w := randSlice(rng, m*n), randSlice(rng, n*k)
			want := halvesSum(dY, w, m, n, k)
			for _, alone := range []bool{false, true} {
				restore := chooseAlone(alone)
				before, postedBefore := productIDs.Load(), posted()
				var g InputGrad
				dX := randSlice(rng, m*k)
				g.MatMul(dX, dY, w, m, n, k)
				bands := productIDs.Load() - before
				restore()
				if (posted() == postedBefore) != alone {
					t.Errorf("%s, %v (alone %v): went to the helper %v", kernel.name, s, alone, posted() != postedBefore)
				}
				if bands != 2 {
					t.Errorf("%s, %v (alone %v): %d halves in bands, want 2", kernel.name, s, alone, bands)
				}
				if !sameBits(dX, want) {
					t.Errorf("%s, %v (alone %v): not the sum of the halves' products", kernel.name, s, alone)
				}
			}
		}
	}
}

// halvesSum is InputGrad's sum, one Gemm after another: where it splits,
// the product over the first ⌊n/2⌋ units plus the product over the rest;
// elsewhere MatMul's.
func halvesSum(dY, w []float32, m, n, k int) []float32 {
	sum := make([]float32, m*k)
	if !splitsUnits(m, n, k) {
		MatMul(sum, dY, w, m, n, k)
		return sum
	}
	h, second := n/2, make([]float32, m*k)
	Gemm(Op{M: m, N: k, K: h, A: dY, LDA: n, B: w, LDB: k, C: sum, LDC: k})
	Gemm(Op{M: m, N: k, K: n - h, A: dY[h:], LDA: n, B: w[h*k:], LDB: k, C: second, LDC: k})
	for i := range sum {
		sum[i] += second[i]
	}
	return sum
}

// chooseAlone, when alone, has the helper's trial keep the caller alone
// for an hour, and returns what puts the trial back.
func chooseAlone(alone bool) (restore func()) {
	if !alone {
		return func() {}
	}
	h := defaultHelper
	h.mu.Lock()
	saved := h.trial
	h.trial = keptTrial(true)
	h.mu.Unlock()
	return func() {
		h.mu.Lock()
		h.trial = saved
		h.mu.Unlock()
	}
}

// TestInputGradKeepsNoArrays checks that a call allocates nothing once
// its buffer has grown, and keeps none of the caller's arrays.
func TestInputGradKeepsNoArrays(t *testing.T) {
	splitting(t)
	rng := rand.New(rand.NewPCG(9, 9))
	m, n, k := 32, 256, 100
	dY, w, dX := randSlice(rng, m*n), randSlice(rng, n*k), make([]float32, m*k)
	var g InputGrad
	g.MatMul(dX, dY, w, m, n, k)
	if allocs := testing.AllocsPerRun(20, func() { g.MatMul(dX, dY, w, m, n, k) }); allocs != 0 {
		t.Errorf("%v allocations a call", allocs)
	}
	if g.task.dX != nil || g.task.dY != nil || g.task.w != nil {
		t.Error("the InputGrad kept the caller's arrays")
	}
}

// TestInputGradShortArrays checks that arrays too short for the shape
// panic on the caller, before any half goes to the helper.
func TestInputGradShortArrays(t *testing.T) {
	posted := splitting(t)
	m, n, k := 32, 256, 100
	var g InputGrad
	for name, short := range map[string][3]int{"dX": {m*k - 1, m * n, n * k}, "dY": {m * k, m*n - 1, n * k}, "w": {m * k, m * n, n*k - 1}} {
		before := posted()
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("a short %s did not panic", name)
				}
			}()
			g.MatMul(make([]float32, short[0]), make([]float32, short[1]), make([]float32, short[2]), m, n, k)
		}()
		if posted() != before {
			t.Errorf("a short %s went to the helper", name)
		}
	}
}

// TestSplitsUnitsBounds holds the rule to its documented bounds: 64 to
// maxSplitUnits (4096) units at 1 to 64 rows, 1024 to 2048 units at 1 to
// 128 rows, any k but 0.
func TestSplitsUnitsBounds(t *testing.T) {
	for _, c := range []struct {
		m, n, k int
		want    bool
	}{
		{1, 64, 1, true}, {64, 4096, 9, true}, {32, 1024, 1024, true}, {33, 513, 7, true},
		{1, 63, 1, false}, {64, 4097, 9, false}, {65, 4096, 9, false}, {65, 256, 40, false},
		{0, 256, 40, false}, {32, 256, 0, false},
		{128, 1024, 1024, true}, {65, 2048, 9, true}, {128, 2048, 1, true}, {100, 1500, 784, true},
		{129, 1024, 1024, false}, {128, 1023, 9, false}, {128, 2049, 9, false}, {128, 4096, 9, false},
		{512, 1024, 1024, false}, {0, 1024, 9, false}, {128, 1024, 0, false},
	} {
		if got := splitsUnits(c.m, c.n, c.k); got != c.want {
			t.Errorf("splitsUnits(%d, %d, %d) = %v, want %v", c.m, c.n, c.k, got, c.want)
		}
	}
	for want, shapes := range map[bool][][3]int{true: inputGradSplit, false: inputGradWhole} {
		for _, s := range shapes {
			if splitsUnits(s[0], s[1], s[2]) != want {
				t.Errorf("the test shape %v: splitsUnits %v, want %v", s, !want, want)
			}
		}
	}
}
