package kernels

import (
	"sync"

	"github.com/wigglenn/wiggle/internal/hugepages"
)

// PackedWeights is a Dense layer's weights packed once, for inference,
// in the panels the micro-kernels read: a product with them packs nothing
// of B. Made by PackWeights; read by MatMulPackedBias. Its content never
// changes, so any number of goroutines may use it at once.
type PackedWeights struct {
	In, Out int
	// panels holds Wᵀ [In, Out] a kc block of rows at a time, each block
	// in panels of nr columns (the last zero-padded past Out), each
	// panel kcur rows of nr floats: block pc, panel j (a multiple of nr)
	// starts at pc·padded(Out) + j·kcur.
	panels []float32
}

// padded rounds n up to whole panels.
func padded(n int) int { return (n + nr - 1) / nr * nr }

// PackWeights packs a layer's weights w [out, in], as Dense holds them.
//
//	w: [out, in]
func PackWeights(w []float32, out, in int) *PackedWeights {
	p := &PackedWeights{In: in, Out: out, panels: hugepages.Floats(in * padded(out))}
	for pc := 0; pc < in; pc += kc {
		kcur := min(kc, in-pc)
		block := p.panels[pc*padded(out):]
		for i := range out { // column i of Wᵀ is row i of W
			panel := block[i/nr*nr*kcur:]
			for q, v := range w[i*in+pc : i*in+pc+kcur] {
				panel[q*nr+i%nr] = v
			}
		}
	}
	return p
}

// panel returns the panels from column j (a multiple of nr) on, over rows
// [pc, pc+kcur): kcur·nr floats a panel.
func (p *PackedWeights) panel(pc, kcur, j int) []float32 {
	return p.panels[pc*padded(p.Out)+j*kcur : pc*padded(p.Out)+padded(p.Out)*kcur]
}

// MatMulPackedBias sets out = x·Wᵀ + b with W packed: the forward pass of
// a frozen Dense layer. Each row of out gets the same bits whatever the
// number of rows.
//
//	x: [m, w.In], b: [w.Out], out: [m, w.Out]
func MatMulPackedBias(out, x []float32, w *PackedWeights, b []float32, m int) {
	n := w.Out
	Gemm(Op{M: m, N: n, K: w.In, A: x, LDA: w.In, B: w.panels, BPacked: w, C: out, LDC: n, Bias: b})
}

// MatMulPackedBiasReLU sets out = max(0, x·Wᵀ + b), with the bits of
// MatMulPackedBias and then ReLU: a frozen Dense layer and its relu, in
// one pass over out where the CPU's tiles can (see Op.ReLU).
//
//	x: [m, w.In], b: [w.Out], out: [m, w.Out]
func MatMulPackedBiasReLU(out, x []float32, w *PackedWeights, b []float32, m int) {
	n := w.Out
	Gemm(Op{M: m, N: n, K: w.In, A: x, LDA: w.In, B: w.panels, BPacked: w, C: out, LDC: n, Bias: b, ReLU: true})
}

var tiles = sync.Pool{New: func() any { return new([nr]float32) }}

// gemmRowsPacked is gemmRows for a packed B: the panels side by side
// through the micro-kernel's panel form, summed as the tiles sum it; with
// the helper, in chunks of packedRowsWidth columns (shareColumns), when
// there is work enough.
func gemmRowsPacked(o *Op) {
	if o.M*o.N*o.K >= minHelperWork && defaultHelper.shareColumns(o, packedRowsWidth) {
		return
	}
	gemmRowsPackedCols(o, 0, o.N)
}

// gemmRowsPackedCols is gemmRowsPacked over columns [j0, j1) of C, j0 a
// multiple of packedRowsWidth: the panels go through the panel form in the
// same groups as over all of C, so each column gets the same bits.
func gemmRowsPackedCols(o *Op, j0, j1 int) {
	w := o.BPacked
	full := min(j1, o.N/nr*nr) // the end of the whole panels
	var narrow *[nr]float32    // a tile for a last panel narrower than nr; pooled, as a call must not allocate
	if j1 > full {
		narrow = tiles.Get().(*[nr]float32)
		defer tiles.Put(narrow)
	}
	for i := range o.M {
		a := o.A[i*o.LDA:][:o.K]
		c := o.C[i*o.LDC:][:o.N]
		for pc := 0; pc < o.K; pc += kc {
			kcur := min(kc, o.K-pc)
			ap := a[pc : pc+kcur]
			if full > j0 {
				kernel.rowPanels(kcur, ap, w.panel(pc, kcur, j0), kcur*nr, c[j0:full])
			}
			if j1 > full { // the last panel, zero-padded past N
				addLastPanel(c[full:], ap, w.panel(pc, kcur, full), narrow)
			}
		}
	}
}

// packedRowsWidth is the columns of C a thread takes at a time when the
// helper shares a product of packed weights with a row or a few
// (shareColumns): eight panels, the widest group the panel form runs,
// so the groups fall as over all of C.
const packedRowsWidth = 8 * nr
