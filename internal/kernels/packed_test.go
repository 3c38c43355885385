package kernels

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPackedWeightsMatchTiles holds MatMulPackedBias to the tiles of the
// same product with Wᵀ as it lies, bit for bit, for every kernel this CPU
// runs: one to four rows (the row forms, over 1 to 15 panels side by
// side), a tile's worth and more, odd widths, several kc blocks; and to
// the float64 reference.
func TestPackedWeightsMatchTiles(t *testing.T) {
	saved := kernel
	defer func() { kernel = saved }()
	rng := rand.New(rand.NewPCG(6, 6))
	for _, kernel = range kernels() {
		for _, m := range []int{1, 2, 4, 5, 17, 70} {
			for _, n := range []int{1, 15, 16, 17, 100, 129, 250} {
				for _, k := range []int{1, 7, 256, 257, 600} {
					w, x, b := randSlice(rng, n*k), randSlice(rng, m*k), randSlice(rng, n)
					wT := make([]float32, k*n)
					for i := range n {
						for j := range k {
							wT[j*n+i] = w[i*k+j]
						}
					}
					want := make([]float32, m*n)
					for i := range m {
						copy(want[i*n:], b)
					}
					tiles := Op{M: m, N: n, K: k, A: x, LDA: k, B: wT, LDB: n, C: want, LDC: n, Accumulate: true}
					defaultPool.local(&tiles, 0, m, 0, n)
					got := make([]float32, m*n)
					MatMulPackedBias(got, x, PackWeights(w, n, k), b, m)
					if !slices.Equal(got, want) {
						t.Fatalf("%s: m=%d n=%d k=%d: packed weights differ from the tiles", kernel.name, m, n, k)
					}
					ref := refGemm(Op{M: m, N: n, K: k, A: x, LDA: k, B: w, LDB: k, TransB: true, C: slices.Clone(got), LDC: n})
					for i := range m {
						for j := range n {
							ref[i*n+j] += b[j]
						}
					}
					agree(t, kernel.name+" packed", got, ref, k)
				}
			}
		}
	}
}

// TestPackedWeightsOnThreads checks that inference with packed weights
// gives the same bits on one thread and on two (split by rows).
func TestPackedWeightsOnThreads(t *testing.T) {
	posted := splitting(t)
	rng := rand.New(rand.NewPCG(7, 7))
	const m, n, k = 256, 250, 300
	w, x, b := randSlice(rng, n*k), randSlice(rng, m*k), randSlice(rng, n)
	packed := PackWeights(w, n, k)
	var results [][]float32
	for _, threads := range []int{1, 2} {
		SetThreads(threads)
		out := make([]float32, m*n)
		MatMulPackedBias(out, x, packed, b, m)
		results = append(results, out)
	}
	if !slices.Equal(results[0], results[1]) {
		t.Error("packed weights: results differ between 1 and 2 threads")
	}
	if posted() == 0 {
		t.Error("the product never went to the helper")
	}
}
