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
