package kernels

// A forward product onto few outputs (a classifier's last layer: C =
// x·wᵀ with ten columns) runs its tiles a panel of 16 columns wide, ten of
// them used, one B panel a step: a third of the kernel's rate. Computed
// the other way round, Cᵀ = w·xᵀ, the ten outputs are the rows of tiles
// 32 columns (rows of x) wide, ten of twelve rows used, two panels a step;
// C is then Cᵀ transposed. Each element is the same chain of multiply-adds
// over the same k blocks; where it has a bias, Cᵀ's rows start as the bias
// and accumulate the product, so the first block's sum meets the bias in
// one addition, as when a tile stores that block with the bias (the other
// way round, which changes nothing). So C gets the same bits (a NaN's
// payload aside, as between the other ways a product goes). Cᵀ goes a
// block of narrowRows rows of C at a time, so its buffer stays small.

// maxNarrowN is the most columns of C a narrow product has.
const maxNarrowN = 12

// narrowRows is the most rows of C a narrow product turns round at a
// time: nc, a block of B's columns in the tiles.
const narrowRows = nc

// isNarrow reports whether o goes transposed (gemmNarrow): a product of
// 3 to maxNarrowN columns, x·wᵀ (B transposed, A not, B not packed
// weights), that sets C (no Accumulate; a Bias allowed; no ReLU in the
// tiles) over some k, with rows for two B panels of the transposed
// product at least, where the kernel has a pair form. (With one or two
// columns the transposed product would be a gemv, whose sums go in
// another order.)
func isNarrow(o *Op) bool { return !o.ReLU && narrowShape(o) }

// narrowShape is isNarrow but for the ReLU: o would go transposed
// without one.
func narrowShape(o *Op) bool {
	return kernel.pair != nil && o.TransB && !o.TransA && !o.Accumulate && o.BPacked == nil &&
		o.N > 2 && o.N <= maxNarrowN && o.M >= 2*nr && o.K > 0
}

// gemmNarrow computes o, for which isNarrow holds, as Cᵀ = w·xᵀ into a
// buffer of its own and then transposed into C.
func gemmNarrow(o *Op) {
	if o.Bias != nil {
		_ = o.Bias[o.N-1] // all N of them
	}
	n := o.N
	ct := takeNarrow(n * min(o.M, narrowRows))
	defer giveNarrow(ct)
	for i0 := 0; i0 < o.M; i0 += narrowRows {
		m := min(narrowRows, o.M-i0)
		t := Op{M: n, N: m, K: o.K, A: o.B, LDA: o.LDB, B: o.A[i0*o.LDA:], LDB: o.LDA, TransB: true, C: ct, LDC: m, alone: o.alone}
		if o.Bias != nil {
			for j := range n {
				row := ct[j*m : (j+1)*m]
				for i := range row {
					row[i] = o.Bias[j]
				}
			}
			t.Accumulate = true
		}
		gemm(t)
		for i := range m {
			c := o.C[(i0+i)*o.LDC:][:n]
			for j := range c {
				c[j] = ct[j*m+i]
			}
		}
	}
}

// narrowBufs holds the buffers of narrow products' Cᵀ between calls.
var narrowBufs = make(chan []float32, 8)

// takeNarrow returns a buffer of n floats from narrowBufs, or a new one.
func takeNarrow(n int) []float32 {
	select {
	case b := <-narrowBufs:
		return grow(b, n)
	default:
		return make([]float32, n)
	}
}

// giveNarrow returns b to narrowBufs, or drops it if the list is full.
func giveNarrow(b []float32) {
	select {
	case narrowBufs <- b:
	default:
	}
}
