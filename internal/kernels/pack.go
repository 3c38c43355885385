// Packing of the operands into the micro-kernels' panels: B in panels of
// nr columns, A in panels of the kernel's rows, through register
// transposes where K runs along memory and row copies where it does not,
// each assembly form beside its plain Go one.

package kernels

// minPackedRows is the fewest rows of C for which a block packs a B that
// the micro-kernel could read in place. Read in place, a B panel's rows lie
// LDB apart, and at LDB = 1024 they all fall in one set of the L1 cache:
// packed, sgemm 1024³ with B as it lies ran 1.37–1.44× faster on an Intel
// Xeon, and the shapes of the MLP's input gradients 1.01–1.08× (medians
// of 15 alternations). A block of fewer rows reuses B too little to pay
// for the copy, unless B is large (minPackedSpan).
const minPackedRows = 64

// minPackedSpan is the fewest floats of memory B's rows span (K·LDB) for
// which a block of minFewPackedRows rows or more, but fewer than
// minPackedRows, packs B when A is not transposed: a layer's input
// gradient at a small batch, whose B is the weights. Such a B is not in
// the L2 cache, and each tile of rows read its panels' lines again, rows
// apart, from further out. The input gradients of layers of 1024, 2048
// and 4096 units at batch 32 trained 1.09×, 1.12× and 1.22× faster packed
// (Intel Xeon, two threads, four alternated runs each); 256 units, whose
// weights are in L2, level.
const minPackedSpan = 1 << 19

// minFewPackedRows is the fewest rows for which a B spanning
// minPackedSpan floats is packed: with fewer (13 to 16 rows: two tiles,
// the second mostly empty), packing lost up to 22% on one thread against
// reading in place (input gradients of 13 rows at 2048 units), and a
// weight gradient of few units (A transposed, its B a large batch of
// activations) lost 19–35% at 13 and 24 rows: both are left in place.
const minFewPackedRows = 24

// packsB reports whether a block of rows of C packs its B panels: B
// transposed always; else with minPackedRows rows, or with
// minFewPackedRows where A is not transposed and B spans minPackedSpan
// floats.
func packsB(o *Op, rows int) bool {
	if o.BPacked != nil {
		return false
	}
	return o.TransB || rows >= minPackedRows || rows >= minFewPackedRows && !o.TransA && o.K*o.LDB >= minPackedSpan
}

// packBBlock packs op(B)[pc:pc+kcur][jc:jc+ncur] into dst, in panels of nr
// columns, each kcur steps of nr floats, zero-padded past the last column:
// a transposed B through register transposes, one that lies as op(B) a
// row of several whole panels at a time (packRowPanels).
func packBBlock(dst []float32, o *Op, pc, kcur, jc, ncur int) {
	full := ncur / nr // whole panels; then one narrower, if any
	if !o.TransB {
		if full > 0 {
			packRowPanels(dst, o.B[pc*o.LDB+jc:], o.LDB, kcur, full)
		}
		if w := ncur - full*nr; w > 0 {
			panel := dst[full*kcur*nr : (full+1)*kcur*nr]
			clear(panel)
			packRows(panel, o.B[pc*o.LDB+jc+full*nr:], o.LDB, kcur, w)
		}
		return
	}
	for q := range full {
		packTransposed16(dst[q*kcur*nr:(q+1)*kcur*nr], o.B[(jc+q*nr)*o.LDB+pc:], o.LDB, kcur)
	}
	if w := ncur - full*nr; w > 0 {
		panel := dst[full*kcur*nr : (full+1)*kcur*nr]
		clear(panel)
		for j := range w { // column j of op(B) is row j of B
			src := o.B[(jc+full*nr+j)*o.LDB+pc:][:kcur]
			for p, v := range src {
				panel[p*nr+j] = v
			}
		}
	}
}

// packTransposed16 sets panel[p·16 + j] = src[j·ld + p] for 16 rows j of
// src and k columns p, reading the 16 rows side by side so the panel is
// written in order.
//
//	src: 16 rows of at least k floats, ld apart; panel: [k, 16]
func packTransposed16(panel, src []float32, ld, k int) {
	done := packTransposedFast(panel, src, ld, k)
	packTransposed16Go(panel, src, ld, k, done)
}

// packTransposed16Go is packTransposed16 in plain Go for the columns from
// start on.
func packTransposed16Go(panel, src []float32, ld, k, start int) {
	if start >= k { // the assembly did them all: no rows to set up
		return
	}
	var rows [nr][]float32
	for j := range rows {
		rows[j] = src[j*ld : j*ld+k]
	}
	panel = panel[:k*nr]
	for p := start; p < k; p++ {
		out := panel[p*nr : p*nr+nr : p*nr+nr]
		out[0], out[1], out[2], out[3] = rows[0][p], rows[1][p], rows[2][p], rows[3][p]
		out[4], out[5], out[6], out[7] = rows[4][p], rows[5][p], rows[6][p], rows[7][p]
		out[8], out[9], out[10], out[11] = rows[8][p], rows[9][p], rows[10][p], rows[11][p]
		out[12], out[13], out[14], out[15] = rows[12][p], rows[13][p], rows[14][p], rows[15][p]
	}
}

// packTransposed12 sets panel[p·12 + i] = src[i·ld + p] for the h ≤ 12
// rows i of src and k columns p, and zeros past them: the AVX-512 kernel's
// A panel when K runs along memory (microKernel.packA).
//
//	src: h rows of at least k floats, ld apart; panel: [k, 12]
func packTransposed12(panel, src []float32, ld, k, h int) {
	done := packTransposed12Fast(panel, src, ld, k, h)
	packTransposedTail(panel, src, 12, ld, k, h, done)
}

// packTransposed6 is packTransposed12 for the 6-row panels of the AVX2
// kernel.
//
//	src: h ≤ 6 rows of at least k floats, ld apart; panel: [k, 6]
func packTransposed6(panel, src []float32, ld, k, h int) {
	done := packTransposed6Fast(panel, src, ld, k, h)
	packTransposedTail(panel, src, 6, ld, k, h, done)
}

// packTransposedTail sets panel[p·mr + i] = src[i·ld + p] for i < h and
// 0 for h ≤ i < mr, for the columns p from start to k: the columns the
// assembly leaves, and all of them without it.
func packTransposedTail(panel, src []float32, mr, ld, k, h, start int) {
	for p := start; p < k; p++ {
		out := panel[p*mr : p*mr+mr]
		for i := range out {
			out[i] = 0
			if i < h {
				out[i] = src[i*ld+p]
			}
		}
	}
}

// packRows12 sets panel[p·12 + i] = src[p·ld + i] for the h ≤ 12 rows i of
// op(A) and k steps p, and zeros past them: the AVX-512 kernel's A panel
// when A is transposed (microKernel.packAT).
//
//	src: k rows of at least h floats, ld apart; panel: [k, 12]
func packRows12(panel, src []float32, ld, k, h int) {
	if !packRows12Fast(panel, src, ld, k, h) {
		packRowsGo(panel, src, 12, ld, k, h)
	}
}

// packRows sets panel[p·nr+j] = src[p·ld+j] for j < w and p < k: a panel
// whose columns lie along memory, copied a row at a time.
//
//	src: k rows of at least w floats, ld apart; panel: [k, nr]
func packRows(panel, src []float32, ld, k, w int) {
	if w == nr && packRowsFast(panel, src, ld, k) {
		return
	}
	for p := range k {
		copy(panel[p*nr:p*nr+w], src[p*ld:p*ld+w])
	}
}

// packRows6 is packRows12 for the 6-row panels of the AVX2 kernel
// (microKernel.packAT).
//
//	src: k rows of at least h ≤ 6 floats, ld apart; panel: [k, 6]
func packRows6(panel, src []float32, ld, k, h int) {
	if !packRows6Fast(panel, src, ld, k, h) {
		packRowsGo(panel, src, 6, ld, k, h)
	}
}

// packRowsGo sets panel[p·mr + i] = src[p·ld + i] for i < h and 0 for
// h ≤ i < mr, for p < k: packRows12 and packRows6 in Go.
func packRowsGo(panel, src []float32, mr, ld, k, h int) {
	for p := range k {
		out := panel[p*mr : p*mr+mr]
		clear(out[copy(out[:h], src[p*ld:p*ld+h]):])
	}
}

// packRowPanels packs panels whole panels of nr columns lying along
// memory, side by side: panel q at dst[q·k·nr:] from the columns at
// src[q·nr:], as packRows packs each. With AVX-512 it goes a row of
// rowPanelGroup panels at a time, reading the group's lines of each row
// (512 contiguous bytes) together; without, a panel at a time.
//
//	src: k rows of at least panels·nr floats, ld apart; dst: [panels, k, nr]
func packRowPanels(dst, src []float32, ld, k, panels int) {
	for q := 0; q < panels; q += rowPanelGroup {
		group := min(rowPanelGroup, panels-q)
		d, s := dst[q*k*nr:], src[q*nr:]
		if packRowPanelsFast(d, s, ld, k, group) {
			continue
		}
		for i := range group {
			packRows(d[i*k*nr:(i+1)*k*nr], s[i*nr:], ld, k, nr)
		}
	}
}

// rowPanelGroup is how many panels packRowPanels deals a row out to. Each
// panel starts k·64 bytes after the one before, so a row dealt out to
// every panel wrote a line every k·64 bytes: at k = kc = 256, every 16 KB,
// a multiple of the 4 KB an L1 way spans, so all those lines fell in one
// set of the 12-way L1 cache. A B of 2048 by 2048 packed at 9–10 GB/s
// that way, in groups of 8 at 22–24 GB/s from L3 and 15–17 from memory;
// groups of 4 did about as well, of 2 worse at 4096 columns, of 16 at 256
// and 1024 (AMD EPYC, Zen 5; docs/PERFORMANCE.md, "On a Zen 5 EPYC").
const rowPanelGroup = 8

// packABlock packs op(A)[ic:ic+mcur][pc:pc+kcur] into dst, in panels of
// the kernel's mr rows, each kcur steps of mr floats, zero-padded past the
// last row.
func packABlock(dst []float32, o *Op, mk *microKernel, ic, mcur, pc, kcur int) {
	mr := mk.rows
	for i0 := 0; i0 < mcur; i0 += mr {
		h := min(mr, mcur-i0)
		panel := dst[(i0/mr)*kcur*mr : (i0/mr+1)*kcur*mr]
		if o.TransA { // row i of op(A) is column i of A
			src := o.A[pc*o.LDA+ic+i0:]
			if mk.packAT != nil {
				mk.packAT(panel, src, o.LDA, kcur, h)
				continue
			}
			packRowsGo(panel, src, mr, o.LDA, kcur, h)
			continue
		}
		if mk.packA != nil {
			mk.packA(panel, o.A[(ic+i0)*o.LDA+pc:], o.LDA, kcur, h)
			continue
		}
		if h < mr {
			clear(panel)
		}
		for i := range h {
			src := o.A[(ic+i0+i)*o.LDA+pc:][:kcur]
			for p, v := range src {
				panel[p*mr+i] = v
			}
		}
	}
}
