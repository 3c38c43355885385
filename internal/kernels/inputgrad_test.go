package kernels

import (
	"math/rand/v2"
	"testing"
)

// inputGradShapes are [m, n, k] shapes of InputGrad: split ones (odd
// batches and widths, the fewest and most units, a batch one short of
// the units) and ones that go as MatMul.
var inputGradShapes = [][3]int{
	{32, 256, 256}, {1, 64, 1}, {7, 65, 33}, {31, 97, 130}, {64, 64, 200}, {100, 511, 17}, {5, 512, 784},
	{32, 63, 50}, {65, 256, 40}, {9, 513, 20}, {128, 10, 256},
}

// TestInputGradMatchesReference holds InputGrad to the float64 reference
// of dX = dY·w, over what dX held before.
func TestInputGradMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	var g InputGrad
	for _, s := range inputGradShapes {
		m, n, k := s[0], s[1], s[2]
		dY, w := randSlice(rng, m*n), randSlice(rng, n*k)
		dX, ref := randSlice(rng, m*k), make([]float32, m*k)
		g.MatMul(dX, dY, w, m, n, k)
		RefMatMul(ref, dY, w, m, n, k)
		agree(t, "InputGrad.MatMul", dX, ref, n)
	}
}

// TestInputGradSumsHalves checks the sum InputGrad computes, bit for bit,
// on one, two (the halves side by side) and three threads: where it
// splits, the product over the first half of the units plus the product
// over the second; elsewhere MatMul's.
func TestInputGradSumsHalves(t *testing.T) {
	posted := splitting(t)
	rng := rand.New(rand.NewPCG(8, 8))
	var g InputGrad
	for _, s := range inputGradShapes {
		m, n, k := s[0], s[1], s[2]
		dY, w := randSlice(rng, m*n), randSlice(rng, n*k)
		want := make([]float32, m*k)
		if splitsUnits(m, n, k) {
			h, second := n/2, make([]float32, m*k)
			Gemm(Op{M: m, N: k, K: h, A: dY, LDA: n, B: w, LDB: k, C: want, LDC: k})
			Gemm(Op{M: m, N: k, K: n - h, A: dY[h:], LDA: n, B: w[h*k:], LDB: k, C: second, LDC: k})
			for i := range want {
				want[i] += second[i]
			}
		} else {
			MatMul(want, dY, w, m, n, k)
		}
		for _, threads := range []int{1, 2, 3} {
			SetThreads(threads)
			before := posted()
			dX := randSlice(rng, m*k)
			g.MatMul(dX, dY, w, m, n, k)
			if !sameBits(dX, want) {
				t.Errorf("%v on %d threads: not the sum of the halves' products", s, threads)
			}
			if threads == 2 && splitsUnits(m, n, k) && posted() == before {
				t.Errorf("%v on 2 threads: the halves did not go to the helper", s)
			}
		}
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
