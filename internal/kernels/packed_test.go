package kernels

import (
	"math"
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
		for _, m := range []int{1, 2, 4, 5, 17, 70, 143} {
			for _, n := range []int{1, 15, 16, 17, 64, 100, 129, 250} {
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
// gives the same bits on one thread and on two: a batch (in bands) and a
// served model's row or few (the helper takes chunks of columns), and
// that the products went to the helper.
func TestPackedWeightsOnThreads(t *testing.T) {
	posted := splitting(t)
	rng := rand.New(rand.NewPCG(7, 7))
	const n, k = 250, 784
	w, b := randSlice(rng, n*k), randSlice(rng, n)
	packed := PackWeights(w, n, k)
	for _, m := range []int{256, 1, 2, 3, 4} {
		x := randSlice(rng, m*k)
		before := posted()
		var results [][]float32
		for _, threads := range []int{1, 2} {
			SetThreads(threads)
			out := make([]float32, m*n)
			MatMulPackedBias(out, x, packed, b, m)
			results = append(results, out)
		}
		if !slices.Equal(results[0], results[1]) {
			t.Errorf("m=%d: results differ between 1 and 2 threads", m)
		}
		if posted() == before {
			t.Errorf("m=%d: the product never went to the helper", m)
		}
	}
}

// TestPackedRowsInChunksKeepTheBits computes products of one to four rows
// with packed weights a chunk of packedRowsWidth columns at a time, as
// the caller and the helper share them, each chunk on its own, and holds
// the chunks together to the product over all of C, bit for bit, for
// every kernel this CPU runs: widths of whole groups, of a part group and
// of a last panel narrower than nr.
func TestPackedRowsInChunksKeepTheBits(t *testing.T) {
	saved := kernel
	defer func() { kernel = saved }()
	rng := rand.New(rand.NewPCG(8, 8))
	for _, kernel = range kernels() {
		for _, m := range []int{1, 2, 4} {
			for _, n := range []int{129, 200, 256, 300, 391} {
				for _, k := range []int{7, 300, 784} {
					w, x := randSlice(rng, n*k), randSlice(rng, m*k)
					o := Op{M: m, N: n, K: k, A: x, LDA: k, BPacked: PackWeights(w, n, k), LDC: n}
					o.B = o.BPacked.panels
					whole, chunked := o, o
					whole.C, chunked.C = make([]float32, m*n), make([]float32, m*n)
					gemmRowsPackedCols(&whole, 0, n)
					for j0 := 0; j0 < n; j0 += packedRowsWidth {
						gemmRowsPackedCols(&chunked, j0, min(n, j0+packedRowsWidth))
					}
					if !slices.Equal(chunked.C, whole.C) {
						t.Fatalf("%s: m=%d n=%d k=%d: chunks of columns differ from the whole", kernel.name, m, n, k)
					}
				}
			}
		}
	}
}

// TestPackedRowsTooWideStayWithTheCaller checks that a product of packed
// weights with more chunks of columns than a loop may have is not posted
// (it would not fit the state word and the caller would wait for ever).
func TestPackedRowsTooWideStayWithTheCaller(t *testing.T) {
	splitting(t)
	o := Op{M: 1, N: maxChunks*packedRowsWidth + 1, K: 1} // never read: it must be turned down first
	if defaultHelper.shareColumns(&o, packedRowsWidth) {
		t.Error("a product of more chunks than a loop may have went to the helper")
	}
	o.N = 2 * packedRowsWidth
	o.K = minHelperWork // enough work, two chunks
	w := PackWeights(make([]float32, o.N*o.K), o.N, o.K)
	o.A, o.B, o.BPacked, o.C, o.LDA, o.LDC = make([]float32, o.K), w.panels, w, make([]float32, o.N), o.K, o.N
	if !defaultHelper.shareColumns(&o, packedRowsWidth) {
		t.Error("two chunks of columns did not go to the helper")
	}
}

// TestReLUInTheProduct holds MatMulPackedBiasReLU, whose tiles apply the
// relu where they read A in place, to MatMulPackedBias and then ReLU, bit
// for bit, for every kernel this CPU runs (the others pass over C after):
// rows through the row forms and through tiles of every height, a
// classifier's ten columns, several k blocks (the relu belongs to the
// last), a NaN that must pass; on one thread and on two.
func TestReLUInTheProduct(t *testing.T) {
	splitting(t)
	saved := kernel
	defer func() { kernel = saved }()
	rng := rand.New(rand.NewPCG(15, 15))
	for _, kernel = range kernels() {
		for _, threads := range []int{1, 2} {
			SetThreads(threads)
			for _, m := range []int{1, 3, 17, 143, 300} {
				for _, n := range []int{10, 16, 64, 100} {
					for _, k := range []int{7, 256, 600} {
						w, x, b := randSlice(rng, n*k), randSlice(rng, m*k), randSlice(rng, n)
						x[(m/2)*k+k/2] = float32(math.NaN())
						packed := PackWeights(w, n, k)
						want := make([]float32, m*n)
						MatMulPackedBias(want, x, packed, b, m)
						ReLU(want, want)
						got := make([]float32, m*n)
						for i := range got {
							got[i] = float32(math.NaN()) // every element must be written
						}
						MatMulPackedBiasReLU(got, x, packed, b, m)
						if !sameBits(got, want) {
							t.Fatalf("%s, %d thread(s): m=%d n=%d k=%d: the relu in the product differs from a pass after it", kernel.name, threads, m, n, k)
						}
					}
				}
			}
		}
	}
}

// TestReLUOnEveryPath sets Op.ReLU on products whose B is not packed
// already, on every kernel this CPU runs and every way a product goes
// (tiles reading A in place and from packed panels, rows, a narrow
// layer's transposed product, bands of either kind, blocks shared with
// the helper: 600³; A's rows 1024 floats apart, packed, by tiles that
// fetch ahead: 128×512×1024), A and B each as they lie and transposed (a Dense
// layer's forward product: B transposed), with a bias and accumulating,
// edge tiles and several k blocks among them: the same bits as the
// product and then ReLU.
func TestReLUOnEveryPath(t *testing.T) {
	splitting(t)
	saved := kernel
	defer func() { kernel = saved }()
	rng := rand.New(rand.NewPCG(17, 17))
	shapes := [][3]int{{3, 20, 30}, {128, 256, 784}, {143, 64, 100}, {37, 10, 256}, {50, 100, 600}, {600, 600, 600}, {128, 512, 1024}}
	for _, kernel = range kernels() {
		for _, threads := range []int{1, 2} {
			SetThreads(threads)
			for _, s := range shapes {
				for _, way := range [][3]bool{{false, false, false}, {true, false, false}, {false, true, false}, {false, true, true}, {true, false, true}} {
					transA, transB, acc := way[0], way[1], way[2]
					o := randomOp(rng, s[0], s[1], s[2], transA, transB, acc)
					o.Bias = randSlice(rng, s[1])
					o.A[len(o.A)/2] = float32(math.NaN()) // must pass the relu as ReLU passes it
					want := o
					want.C = slices.Clone(o.C)
					Gemm(want)
					for i := range o.M {
						row := want.C[i*o.LDC : i*o.LDC+o.N]
						ReLU(row, row)
					}
					o.ReLU = true
					Gemm(o)
					if !sameBits(o.C, want.C) {
						t.Fatalf("%s, %d thread(s), %v, TransA %v, TransB %v, Accumulate %v: Op.ReLU differs from the product and then ReLU", kernel.name, threads, s, transA, transB, acc)
					}
				}
			}
		}
	}
}
