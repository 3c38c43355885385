// The BLIS loops around the micro-kernel: a thread's packing buffers
// (scratch), a block of C computed a kc×nc block of B and an mc×kc block
// of A at a time (gemmBlock), and the tiles of a packed block
// (macroKernel: pairs of B panels, single panels, edge tiles).

package kernels

// scratch is one worker's packing buffers.
type scratch struct {
	packA []float32           // mc×kc, in panels of the kernel's rows
	packB []float32           // kc×nc, in panels of nr columns
	edge  [maxMR * nr]float32 // an edge tile's product (macroKernel)

	shared       []float32  // this thread's packing of a shared product's operand (ownPacking)
	packedFor    uint64     // the product it was packed for
	ahead        fetchAhead // lines the band being computed fetches ahead (ahead.go)
	aheadFetched int        // lines the last band's tiles fetched, all its plans', for the tests
	fromBack     bool       // the thread takes a shared product's bands from the back (the helper's scratch)
	halfTiles    bool       // the band's tiles that read A in place go in halves of their rows (halvesTiles)
	halvedTiles  int        // tiles the last band of columns ran in halves, for the tests
	stepped      []float32  // a band of a product that a momentum step reads (stepBand; in stepTiles its k blocks before the last, and columns past the last full pair)
}

func newScratch() *scratch {
	return &scratch{packA: make([]float32, maxMC*kc), packB: make([]float32, kc*nc)}
}

// grow returns buf with length n, reallocated only when its capacity is
// short.
func grow(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}

// gemmBlock computes the block of C of rows [i0, i1) and columns [j0, j1).
func (s *scratch) gemmBlock(o *Op, i0, i1, j0, j1 int) {
	mk := kernel
	var pb []float32 // B's panels, when the block packs them
	if packsB(o, i1-i0) {
		pb = s.packB
	}
	for jc := j0; jc < j1; jc += nc {
		ncur := min(nc, j1-jc)
		for pc := 0; pc < o.K; pc += kc {
			kcur := min(kc, o.K-pc)
			if pb != nil {
				packBBlock(pb, o, pc, kcur, jc, ncur)
			}
			for ic := i0; ic < i1; ic += mk.mc {
				mcur := min(mk.mc, i1-ic)
				var pa []float32 // A's panels; nil: the tiles read A in place
				if o.BPacked == nil || !readsAInPlace(o, &mk) {
					pa = s.packA
					packABlock(pa, o, &mk, ic, mcur, pc, kcur)
				}
				store := pc == 0 && !o.Accumulate
				if o.K > shortK {
					s.macroKernel(o, &mk, ic, mcur, pc, jc, ncur, kcur, pa, pb, store)
					continue
				}
				for i := 0; i < mcur; i += mk.rows { // along C's rows, a row of tiles at a time (shortK)
					var panel []float32 // the row of tiles' A panel
					if pa != nil {
						panel = pa[i/mk.rows*kcur*mk.rows:]
					}
					s.macroKernel(o, &mk, ic+i, min(mk.rows, mcur-i), pc, jc, ncur, kcur, panel, pb, store)
				}
			}
		}
	}
}

// shortK is the most k of a product whose tiles go along C's rows, a row
// of tiles after another (with the helper: in bands of rows; bandsFor),
// not down a block's columns. Over so few k a tile's multiply-adds cannot
// hide the fetch of its lines of C, which along the rows come in streams
// the prefetchers follow. A ten-unit layer's input gradient (k = 10) into
// 1024 inputs, C cold as in a training step (Intel Xeon): 0.66× the time
// on one thread, 0.65× on two; level at k = 32.
const shortK = 32

// panelB returns the B panel of columns [j, j+w) of op(B) over rows
// [pc, pc+kcur), and its row stride: in pb, packed by packBBlock, when the
// block packs (j0 is the panel's column within the block); else B itself,
// whose rows already hold the panel's 16 columns side by side, but for a
// last panel narrower than 16, packed here with zeros past its end.
func (s *scratch) panelB(o *Op, pc, kcur, j, j0, w int, pb []float32) ([]float32, int) {
	switch {
	case o.BPacked != nil:
		return o.BPacked.panel(pc, kcur, j), nr
	case pb != nil:
		return pb[(j0/nr)*kcur*nr:], nr
	case w == nr:
		return o.B[pc*o.LDB+j:], o.LDB
	}
	panel := s.packB[:kcur*nr]
	clear(panel)
	packRows(panel, o.B[pc*o.LDB+j:], o.LDB, kcur, w)
	return panel, nr
}

// macroKernel runs the micro-kernel over every tile of the packed blocks,
// A's panels in pa (nil: A is read in place, see readsAInPlace) and B's
// in pb (nil: B is not packed), adding into C, or
// with store setting C (the first k block of a product that does not
// accumulate): two B panels at a time where the kernel has a pair form
// and two whole panels are left, else one. Edge tiles go through a
// scratch tile.
func (s *scratch) macroKernel(o *Op, mk *microKernel, ic, mcur, pc, jc, ncur, kcur int, pa, pb []float32, store bool) {
	mr := mk.rows
	for j0 := 0; j0 < ncur; j0 += nr {
		if mk.pair != nil && ncur-j0 >= 2*nr {
			s.panelPair(o, mk, ic, mcur, pc, jc, j0, kcur, pa, pb, store)
			j0 += nr
			continue
		}
		w := min(nr, ncur-j0)
		b, ldb := s.panelB(o, pc, kcur, jc+j0, j0, w, pb)
		var bias []float32 // the panel's biases, added as the first k block is stored
		if store && o.Bias != nil {
			bias = o.Bias[jc+j0 : jc+j0+w]
		}
		for i0 := 0; i0 < mcur; i0 += mr {
			c := o.C[(ic+i0)*o.LDC+jc+j0:]
			h := min(mr, mcur-i0)
			if pa == nil {
				mk.panelRows(h, kcur, o.A[(ic+i0)*o.LDA+pc:], o.LDA, b, ldb, c, o.LDC, store, lastReLU(o, pc, kcur), bias, w)
				continue
			}
			a := pa[(i0/mr)*kcur*mr:]
			if h < mr || w < nr {
				s.edgeTile(mk, kcur, a, b, ldb, c[:(h-1)*o.LDC+w], o.LDC, h, w, store, bias)
			} else {
				mk.run(kcur, a, b, ldb, c, o.LDC, store, bias)
			}
			reluTile(o, pc, kcur, c, h, w)
		}
	}
}

// reluTile applies o's ReLU to the h×w tile of C at c just computed from
// packed A panels by a kernel with no relu form (microKernel.run: the
// AVX2 and Go kernels, and the AVX-512 kernel's single panels), where its
// k block is the last (lastReLU): the tile is still in the core's L1, and
// the bits are ReLU's, as a pass over C after the product would give
// them.
func reluTile(o *Op, pc, kcur int, c []float32, h, w int) {
	if !lastReLU(o, pc, kcur) {
		return
	}
	for i := range h {
		row := c[i*o.LDC : i*o.LDC+w]
		ReLU(row, row)
	}
}

// panelPair runs the pair kernel over B's two whole panels at columns
// j0 and j0+nr of the block, straight into C, applying o's ReLU as the
// last k block's tiles store (lastReLU). Until the thirty-fifth session
// the tiles from packed A panels left it to a pass over each tile
// (reluTile), which took 3.8–4.7% of a layer's forward product of
// 1024 units and inputs at batch 128 (A's rows 4 KiB apart, so packed:
// readsAInPlace). On the Zen 5, two threads, the product alone went
// 1.04–1.05× faster with the relu in the tile, 2048 units 1.01–1.03×,
// 4096 1.01–1.02×; training two hidden layers (perf's trainingSpeed, one
// process, alternated stretches, medians) 1.002 and 1.017 at 1024 units
// and batch 128 (9 and 21 pairs), 1.010 at 1024 and batch 512, 0.991 and
// 1.010 at 4096 and batch 128 (7 and 11), 1.006 at 2048 and batch 128.
func (s *scratch) panelPair(o *Op, mk *microKernel, ic, mcur, pc, jc, j0, kcur int, pa, pb []float32, store bool) {
	mr := mk.rows
	b0, ldb := s.panelB(o, pc, kcur, jc+j0, j0, nr, pb)
	b1, _ := s.panelB(o, pc, kcur, jc+j0+nr, j0+nr, nr, pb)
	var bias []float32 // the panels' biases, added as the first k block is stored
	if store && o.Bias != nil {
		bias = o.Bias[jc+j0 : jc+j0+2*nr]
	}
	if pa == nil {
		for i0 := 0; i0 < mcur; i0 += mr {
			h := min(mr, mcur-i0)
			a, c := o.A[(ic+i0)*o.LDA+pc:], o.C[(ic+i0)*o.LDC+jc+j0:]
			if s.halfTiles {
				s.halvedTiles++
				for r := 0; r < h; r += mr / 2 {
					mk.pairRows(min(mr/2, h-r), kcur, a[r*o.LDA:], o.LDA, b0, b1, ldb, c[r*o.LDC:], o.LDC, store, lastReLU(o, pc, kcur), bias)
				}
				continue
			}
			if h == mr && s.ahead.active() {
				mk.pairRowsAhead(kcur, a, o.LDA, b0, b1, ldb, c, o.LDC, store, lastReLU(o, pc, kcur), bias, &s.ahead)
				continue
			}
			mk.pairRows(h, kcur, a, o.LDA, b0, b1, ldb, c, o.LDC, store, lastReLU(o, pc, kcur), bias)
		}
		return
	}
	for i0 := 0; i0 < mcur; i0 += mr {
		h := min(mr, mcur-i0)
		a, c := pa[(i0/mr)*kcur*mr:], o.C[(ic+i0)*o.LDC+jc+j0:]
		if h == mr && s.ahead.active() {
			mk.pairAhead(kcur, a, b0, b1, ldb, c, o.LDC, store, lastReLU(o, pc, kcur), bias, &s.ahead)
			continue
		}
		mk.pair(h, kcur, a, b0, b1, ldb, c, o.LDC, store, lastReLU(o, pc, kcur), bias)
	}
}

// edgeTile runs the micro-kernel for an edge tile of C, h ≤ mr rows and
// w ≤ nr columns at c (rows ldc apart), through the scratch tile.
func (s *scratch) edgeTile(mk *microKernel, kcur int, a, b []float32, ldb int, c []float32, ldc, h, w int, store bool, bias []float32) {
	mk.run(kcur, a, b, ldb, s.edge[:], nr, true, nil)
	for i := range h {
		row := c[i*ldc : i*ldc+w]
		switch {
		case store && bias != nil:
			for j := range row {
				row[j] = s.edge[i*nr+j] + bias[j]
			}
		case store:
			copy(row, s.edge[i*nr:])
		default:
			for j := range row {
				row[j] += s.edge[i*nr+j]
			}
		}
	}
}

// readsAInPlace reports whether the tiles of o can read A where it lies
// (microKernel.pairRows and panelRows) rather than from its packed
// panels: where the kernel has those forms, A is not transposed, and its
// rows are not a multiple of 4 KB apart (LDA a multiple of 1024 floats),
// which would put a tile's twelve in one set of the L1 cache (a 1024³
// product ran 0.81× so on two threads). They do where B is packed already,
// as a frozen layer's weights are, and in bands of columns, where each
// thread would pack all of A (see sharedProduct.band): that product then
// packs nothing of A. A block of a product that packs B otherwise keeps A
// packed, as it reads each panel for many of B's (1024³: 0.98× in place).
func readsAInPlace(o *Op, mk *microKernel) bool {
	return mk.pairRows != nil && mk.panelRows != nil && !o.TransA && o.LDA%1024 != 0
}

// lastReLU reports whether the tiles of k block [pc, pc+kcur) apply o's
// ReLU: the last block's, which completes each element.
func lastReLU(o *Op, pc, kcur int) bool { return o.ReLU && pc+kcur == o.K }
