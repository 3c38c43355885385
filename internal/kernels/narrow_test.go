package kernels

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestNarrowMatchesTiles holds a narrow product (gemmNarrow: Cᵀ = w·xᵀ,
// transposed into C) to the same product in tiles of C, bit for bit, on
// one thread and two, with and without a bias, over one k block and
// several (the bias first in each element's sum), for three to twelve
// columns, a ragged last panel of rows and rows past narrowRows; and
// checks which products go narrow.
func TestNarrowMatchesTiles(t *testing.T) {
	if kernel.pair == nil {
		t.Skip("no pair form on this CPU: products do not go narrow")
	}
	splitting(t)
	rng := rand.New(rand.NewPCG(12, 12))
	for _, n := range []int{3, 5, 10, maxNarrowN} {
		for _, m := range []int{2 * nr, 45, 128, narrowRows + 40} { // the last: two blocks of rows
			for _, k := range []int{7, kc, 600} {
				for _, bias := range []bool{false, true} {
					name := fmt.Sprintf("%d×%d×%d, bias %v", m, n, k, bias)
					o := randomOp(rng, m, n, k, false, true, false)
					if bias {
						o.Bias = randSlice(rng, n)
					}
					if !isNarrow(&o) {
						t.Fatalf("%s: not narrow", name)
					}
					tiles := o
					tiles.C = slices.Clone(o.C)
					defaultPool.local(&tiles, 0, m, 0, n)
					agree(t, name, tiles.C, refGemm(o), k)
					for _, threads := range []int{1, 2} {
						SetThreads(threads)
						narrow := o
						narrow.C = slices.Clone(o.C)
						Gemm(narrow)
						if !sameBits(narrow.C, tiles.C) {
							t.Fatalf("%s, %d threads: differs from the tiles", name, threads)
						}
					}
				}
			}
		}
	}
	for _, c := range []struct {
		name string
		o    Op
	}{
		{"13 columns", Op{M: 64, N: maxNarrowN + 1, K: 8, TransB: true}},
		{"two columns: a gemv turned round", Op{M: 64, N: 2, K: 8, TransB: true}},
		{"31 rows", Op{M: 2*nr - 1, N: 10, K: 8, TransB: true}},
		{"accumulating", Op{M: 64, N: 10, K: 8, TransB: true, Accumulate: true}},
		{"B as it lies", Op{M: 64, N: 10, K: 8}},
		{"A transposed", Op{M: 64, N: 10, K: 8, TransA: true, TransB: true}},
		{"no k", Op{M: 64, N: 10, TransB: true}},
	} {
		if isNarrow(&c.o) {
			t.Errorf("%s: goes narrow", c.name)
		}
	}
}

// TestNarrowLayerAlone runs the three products of a layer of few units
// (forward, input gradient, stepped weight gradient) with the helper
// awake: under minNarrowHelperWork none goes to the helper, over it each
// does; either way with the bits of one thread. The cases: batches under
// and over 32 (where the forward product goes turned round), three to
// twelve units (twelve: the step's full tiles), several k blocks,
// Nesterov, and the boundary (8·256·64 = 2^17, not under). With the
// AVX-512 kernel: the others' tiles have six rows, too few for ten units.
func TestNarrowLayerAlone(t *testing.T) {
	if kernel.rows < 12 {
		t.Skip("tiles of fewer than 12 rows on this CPU")
	}
	posted := splitting(t)
	rng := rand.New(rand.NewPCG(13, 13))
	for _, c := range []struct {
		units, in, batch int
		nesterov, alone  bool
	}{
		{10, 256, 32, false, true}, {10, 256, 16, false, true}, {10, 256, 24, true, true}, {10, 256, 128, false, false},
		{3, 1000, 32, false, true}, {12, 256, 40, true, true}, {8, 256, 64, false, false}, {13, 256, 32, false, false},
	} {
		units, in, batch := c.units, c.in, c.batch
		w, bias := randSlice(rng, units*in), randSlice(rng, units)
		x, dY := randSlice(rng, batch*in), randSlice(rng, batch*units)
		buf := randSlice(rng, units*in)
		products := map[string]func() []float32{
			"forward": func() []float32 {
				out := make([]float32, batch*units)
				MatMulTransBBias(out, x, w, bias, batch, units, in)
				return out
			},
			"input gradient": func() []float32 {
				var g InputGrad
				dX := make([]float32, batch*in)
				g.MatMul(dX, dY, w, batch, units, in)
				return dX
			},
			"weight step": func() []float32 {
				u := &MomentumUpdate{W: slices.Clone(w), Buf: slices.Clone(buf), LR: 0.01, Mu: 0.9, Nesterov: c.nesterov}
				MatMulTransAStep(make([]float32, units*in), dY, x, batch, units, in, u)
				return append(u.W, u.Buf...)
			},
		}
		for name, product := range products {
			SetThreads(1)
			want := product()
			SetThreads(2)
			before := posted()
			got := product()
			if went := posted() != before; went == c.alone {
				t.Errorf("%+v, %s: went to the helper %v", c, name, went)
			}
			if !sameBits(got, want) {
				t.Errorf("%+v, %s: not the bits of one thread", c, name)
			}
		}
	}
}
