package kernels

// A product shared with the helper in many narrow bands rather than two
// parts. Split in two, each part packs the whole operand the other dimension
// shares (all of A when the parts are bands of columns of C, all of B when
// they are bands of rows): on the products of an MNIST training step that
// copy was made twice, and the two parts, whole panels apart, never came out
// even, so one thread waited for the other at the end of most products.
// Here the two threads take bands of C a panel wide (two B panels, with
// the AVX-512 kernel's pair form: columnBandWidth) from the two ends
// until none is left, so neither waits longer than one band; before its
// first band, each packs the whole shared operand into a buffer of its
// own. That is the copy made twice again, but each thread's part of the
// product no longer waits on the other's: packed once between the two
// into one buffer (until 2026-12-01), every product began with a loop of
// its own, and each thread wrote lines of a buffer the other had just
// read, and then read the lines the other had written. On a 2-vCPU AMD
// EPYC whose two vCPUs the host sometimes placed far apart (a cache line's
// round trip 500 ns, not 100), an MNIST training step ran at 98,500
// samples/s against 87,500 there (31 and 27 one-second windows), and level
// or a little faster otherwise (142,900 against 141,900; sgemm 1024³ on
// two threads 200 GFLOP/s against 187).
//
// Each tile of C is computed by the same micro-kernel calls, on the same
// panels, in the same order of k blocks as gemmBlock computes it, so the
// results are those of any other split.

// maxSharedPack is the most floats of a shared operand's packing, 1 MB:
// a product with a larger one goes a block of A at a time (shareBlocks).
// Blocks keep their packings in the L2 cache, where bands read one packing
// of all the shared operand, every band: sgemm 1024³ (4 MB to pack once)
// ran at 197-200 GFLOP/s in bands against the worker pool's 222-231. At
// 2 MB, half of an Intel Xeon's L2 cache, a weight gradient of 1024 units
// at batch 512 (its B 2 MB) went in bands, each streaming B from L3:
// at 1 MB, 1024 units at batch 512 train 1.06× faster, other sizes level
// (512 KB: 2048 units at batch 128 0.94×; 6 alternated runs each).
// Below it, bands beat the pool, which wakes a parked worker and splits in
// two: MLPs of two hidden layers of 1024 and 2048 units at batch 128 went
// from 0.67 and 0.62 of the sgemm roof to 0.98 and 0.94, at batch 32 with
// 2048 units from 0.28 to 0.55 (perf.Scaling, two threads, Intel Xeon).
const maxSharedPack = 1 << 18

// maxBandsReadB is the largest B, in floats, that bands of rows read in
// place (bandsReadB): an MNIST step's weight gradients, whose B is a
// batch of inputs or activations, went 1.01–1.04× on two threads
// (alternated runs); a 2048-unit layer's B of 1 MB read in place went
// 0.97×, and the AVX2 kernel's step (16 floats a row) 0.96×.
const maxBandsReadB = 1 << 17

// bandsReadB reports whether bands of rows read o's B where it lies
// rather than each thread packing all of it: B as op(B) (not
// transposed), no more than maxBandsReadB floats, with the pair form
// (which reads 32 floats of each of B's rows a step), and B's rows not a
// multiple of 4 KiB apart (rowsCollide): such rows put a tile's k steps
// in two sets of the L1 cache, which cannot hold its lines of B. Two
// hidden layers of 4096 units at batch 32 (B 512 KB, rows 16 KiB apart)
// trained 1.08× faster with B packed (`wiggle train`, alternated runs:
// 14 pairs of two builds, every one faster; 6 of one build either way,
// 1.05–1.13×), 1.06× on one thread; 1024 units at batch 32 and 128 and
// 2048 at 32 level in whole runs (2048 at 32 1.05× in one process's
// alternated stretches: docs/PERFORMANCE.md, "Weight gradients pack rows
// 4 KiB apart").
func bandsReadB(o *Op, stride int) bool {
	return !o.TransB && kernel.pair != nil && stride*o.K <= maxBandsReadB && !rowsCollide(o)
}

// sharedProduct is the state of a product computed in bands.
type sharedProduct struct {
	ofA        bool   // bands of columns reading A's panels, else bands of rows
	id         uint64 // tells one product from the next (nextProductID)
	pack       bool   // the shared operand is packed (else read in place; A also where the tiles read it in place: band)
	stride     int    // floats between the shared packing's kc blocks, per step of k
	bands      int    // bands of C
	width      int    // columns of a band of columns (ofA)
	sideBySide bool   // the caller and the helper take the bands (shareBands), not one thread alone
}

// columnBandWidth is the columns of each band of columns of a product n
// columns wide: two B panels where the micro-kernel has a pair form
// (which a band one panel wide would never run) and that still makes two
// bands, else one.
func columnBandWidth(n int) int {
	if kernel.pair != nil && n > 2*nr {
		return 2 * nr
	}
	return nr
}

// shareBands computes o on the caller and the helper in bands a panel
// wide (two of B with columnBandWidth) as sp lays them out (bandsOf,
// checked by fits), each thread reading its own packing of the operand
// every band reads (ownPacking). The caller holds h.mu. (Bands of rows two
// or four panels high, which reuse each B panel from the L1 cache more,
// made an MNIST training step slower: 112-119k and 109-119k samples/s
// against 117-121k, alternated.)
func (h *helper) shareBands(o *Op, sp sharedProduct) {
	l := &h.l
	l.task, l.update, l.op = nil, false, *o
	l.shared = &h.product
	sp.id = nextProductID()
	sp.sideBySide = true
	h.product = sp
	h.run(sp.bands)
	l.shared, h.product = nil, sharedProduct{}
}

// bandsOf lays out o in bands of rows of C (byRows) or of columns: the
// shared packing (its stride, and whether there is one) and the bands.
func bandsOf(o *Op, byRows bool) (sp sharedProduct) {
	mr := kernel.rows
	sp.ofA = !byRows
	if byRows {
		sp.bands = (o.M + mr - 1) / mr
		sp.stride = (o.N + nr - 1) / nr * nr
		sp.pack = packsB(o, o.M) && !bandsReadB(o, sp.stride)
	} else {
		sp.width = columnBandWidth(o.N)
		sp.bands = (o.N + sp.width - 1) / sp.width
		sp.pack, sp.stride = true, (o.M+mr-1)/mr*mr
	}
	return sp
}

// fits reports whether o laid out as sp has two bands or more, no more
// than a loop may have chunks (maxChunks), and a packing of the shared
// operand, if any, of maxSharedPack floats or fewer (each of the two
// threads keeps one).
func (sp *sharedProduct) fits(o *Op) bool {
	if sp.bands < 2 || sp.bands > maxChunks {
		return false
	}
	return !sp.pack || sp.stride*o.K <= maxSharedPack
}

// band computes band b of C, a panel of rows or sp.width columns, reading
// the thread's packing of the shared operand (s.ownPacking).
func (sp *sharedProduct) band(o *Op, b int, s *scratch) {
	if o.Step != nil { // bands of rows, each stepped as it completes (gemmStep)
		sp.stepBand(o, b, s)
		return
	}
	mk := kernel
	buf := sp.packing(o, s)
	if sp.ofA {
		s.aheadFetched, s.halvedTiles = 0, 0
		s.halfTiles = sp.halvesTiles(o, buf)
		for pc := 0; pc < o.K; pc += kc {
			if !s.halfTiles { // tiles in halves fetch nothing ahead
				s.planAhead(o, sp, &mk, b, pc)
			}
			sp.bandBlock(o, b, pc, buf, packsB(o, o.M), s)
		}
		s.aheadFetched += s.ahead.done
		s.ahead, s.halfTiles = fetchAhead{}, false // nothing of o past the band
		return
	}
	i0 := b * mk.rows
	i1 := min(i0+mk.rows, o.M)
	if !sp.pack { // B read in place (or packed once for good: PackedWeights)
		s.gemmBlock(o, i0, i1, 0, o.N)
		return
	}
	for pc := 0; pc < o.K; pc += kc {
		kcur := min(kc, o.K-pc)
		packABlock(s.packA, o, &mk, i0, i1-i0, pc, kcur)
		s.macroKernel(o, &mk, i0, i1-i0, pc, 0, o.N, kcur, s.packA, buf[pc*sp.stride:], pc == 0 && !o.Accumulate)
	}
}

// packing returns the thread's packing of o's shared operand, or nil
// where the tiles read it in place (A read in place in bands of columns)
// or the product packs none.
func (sp *sharedProduct) packing(o *Op, s *scratch) []float32 {
	if !sp.pack || sp.ofA && readsAInPlace(o, &kernel) {
		return nil
	}
	return s.ownPacking(o, sp)
}

// bandBlock computes k block pc of band b of columns, A's panels in buf
// (nil: read in place): B's panels packed with packB, else read in place,
// and then the tiles of every row.
func (sp *sharedProduct) bandBlock(o *Op, b, pc int, buf []float32, packB bool, s *scratch) {
	mk := kernel
	j0, w, kcur := b*sp.width, sp.bandWidth(o, b), min(kc, o.K-pc)
	var pb []float32 // B's panels, where packed
	if packB {
		pb = s.packB
		packBBlock(pb, o, pc, kcur, j0, w)
	}
	for ic := 0; ic < o.M; ic += mk.mc {
		mcur := min(mk.mc, o.M-ic)
		var pa []float32
		if buf != nil {
			pa = buf[pc*sp.stride+(ic/mk.rows)*kcur*mk.rows:]
		}
		s.macroKernel(o, &mk, ic, mcur, pc, j0, w, kcur, pa, pb, pc == 0 && !o.Accumulate)
	}
}

// planAhead plans the lines band b of o fetches from its k block pc on
// (ahead.go): all of the next band's, in its first block; one k block's
// in each block where B's rows collide in L2's sets, or the bands are
// short (fetchesBlockAhead).
func (s *scratch) planAhead(o *Op, sp *sharedProduct, mk *microKernel, b, pc int) {
	blockAhead := fetchesBlockAhead(o, sp)
	if pc > 0 && !blockAhead {
		return
	}
	s.aheadFetched += s.ahead.done
	if blockAhead {
		s.ahead.planBlock(o, sp, mk, b, s.nextBand(b), pc)
		return
	}
	s.ahead.plan(o, sp, mk, b, s.nextBand(b))
}

// runAlone computes every band of o on the calling thread, with a
// scratch of the pool's (runBands).
func (sp *sharedProduct) runAlone(o *Op) {
	s := defaultPool.getScratch()
	sp.runBands(o, s)
	defaultPool.putScratch(s)
}

// runBands computes every band of o on the calling thread with s, one
// after another: a product laid out in bands for the helper, computed by
// one thread (the caller, or the helper for a chunk of its own). They go
// in the order s takes a shared product's bands, each the one nextBand
// names (from the back on the helper's scratch), so that the lines each
// band fetches ahead for it are the next one's; or, where blocksOuter
// holds, a k block of every band at a time (runBlocksOuter).
func (sp *sharedProduct) runBands(o *Op, s *scratch) {
	sp.id = nextProductID()
	first := 0
	if s.fromBack {
		first = sp.bands - 1
	}
	if sp.blocksOuter(o) {
		sp.runBlocksOuter(o, first, s)
		return
	}
	b := first
	for range sp.bands {
		sp.band(o, b, s)
		b = s.nextBand(b)
	}
}

// A product of few rows in bands of columns whose B lies as op(B), its
// rows 4 KiB apart (rowsCollide: a 1024-input layer's input gradient at
// batch 32), reads band after band a strip of every row of B, 256 rows a
// k block, whose lines fall into 32 of L2's 1,024 sets (see
// rowsCollide). A thread alone takes such a product a k block at a time
// instead, every band's block before any band's next (blocksOuter), its
// tiles reading B where it lies: a k block of B's rows then spans 1 MB,
// and each band's strip lies beside the one read just before it. The tiles and their order of k blocks are those of bands one
// after another, so the bits are the same. A half of a 1024-unit layer's
// input gradient at batch 32 (512 units, one thread, alternated calls)
// ran at 212–213 GFLOP/s against 182–183 (packed a k block at a time,
// 172–174; fetching the next band's lines or not, level), at 48 rows 216
// against 197; the whole input gradient, its halves on two threads, 189–190
// against 165; two hidden layers of 1024 units at batch 32 trained 1.02×
// faster (one process, alternated stretches: 1.037, 1.018 and 1.018 on
// two threads, 1.021 on one). Timed as products of one k block each, at
// batches of 64 and 128 (201–206 GFLOP/s) and at 2048 inputs (rows 8 KiB
// apart, a block of them 2 MB: 177 against 178) it made no difference.
// (Products of two k blocks, the second short, 257 to 511 rows of B, are
// in the rule untimed.)

// blocksOuter reports whether a thread alone takes o's bands a k block at
// a time (runBlocksOuter): bands of columns of a product of fewer than
// minPackedRows rows and more than one k block, whose B's rows collide
// (rowsCollide) and whose k block of them spans no more than
// maxBlockOuterSpan floats.
func (sp *sharedProduct) blocksOuter(o *Op) bool {
	return sp.ofA && o.M < minPackedRows && o.K > kc && rowsCollide(o) && kc*o.LDB <= maxBlockOuterSpan
}

// maxBlockOuterSpan is the most floats a k block of B's rows may span for
// blocksOuter: 1 MB, the Zen 5's L2 (rows 1024 floats apart).
const maxBlockOuterSpan = 1 << 18

// runBlocksOuter computes every band of o a k block at a time, from band
// first in the order s takes bands, fetching nothing ahead.
func (sp *sharedProduct) runBlocksOuter(o *Op, first int, s *scratch) {
	buf := sp.packing(o, s)
	s.ahead, s.aheadFetched = fetchAhead{}, 0
	for pc := 0; pc < o.K; pc += kc {
		b := first
		for range sp.bands {
			sp.bandBlock(o, b, pc, buf, false, s)
			b = s.nextBand(b)
		}
	}
}

// bandWidth is the columns of band b of columns: sp.width, but for a
// last band narrower.
func (sp *sharedProduct) bandWidth(o *Op, b int) int { return min(sp.width, o.N-b*sp.width) }

// nextBand is the band the thread will likely take after band b: the one
// before it from the back (the helper), else the one after.
func (s *scratch) nextBand(b int) int {
	if s.fromBack {
		return b - 1
	}
	return b + 1
}

// A product too large to pack its shared operand once goes in blocks: a
// block of at most blockRows rows of op(A) by one kc block of k at a time,
// each a product of its own in bands of columns (bandsOf), for which each
// thread packs the block of A and then takes a band of B's panels at a
// time. The pool instead splits C in two halves that each pack all of B:
// the same B packed twice, and a half that finishes first waits for the
// other. Each block's tiles add their k block to C (store it, for the
// first, with the bias) exactly as gemmBlock does, so the results are the
// same bits.

// blockRows is the most rows of op(A) a block packs: 1 MB of A at kc =
// 256, half of this Xeon's L2 cache per core, where it stays while the
// bands stream B past it.
const blockRows = 1024

// blocksFit reports whether o, which does not fit bands (bandsFor), can go
// in blocks: enough work for the helper (minHelperWork), a B read as it
// lies (not PackedWeights, whose panels hold every k at once), and two
// bands of columns or more, no more than a loop may have.
func blocksFit(o *Op) bool {
	width := columnBandWidth(o.N)
	bands := (o.N + width - 1) / width
	return o.M*o.N*o.K >= minHelperWork && o.BPacked == nil && bands >= 2 && bands <= maxChunks
}

// shareBlocks computes o block by block (see blockRows) on the caller and
// the helper, or does nothing and says why, as shareProduct does.
func (h *helper) shareBlocks(o *Op) sharing {
	if h.awake.Load() == 0 || !h.mu.TryLock() {
		return notShared
	}
	defer h.mu.Unlock()
	if h.alone(float64(o.M) * float64(o.N) * float64(o.K)) {
		return aloneChosen
	}
	rows := blockHeight(o.M, kernel.rows)
	for i0 := 0; i0 < o.M; i0 += rows {
		for pc := 0; pc < o.K; pc += kc {
			b := block(o, i0, min(i0+rows, o.M), pc, min(kc, o.K-pc))
			h.shareBands(&b, bandsOf(&b, false))
		}
	}
	return sharedDone
}

// blockHeight is the rows of each block of m rows: as even as whole
// panels of mr rows allow, blockRows at most, give or take a panel (1025
// rows go as 528 and 497, not 1024 and 1).
func blockHeight(m, mr int) int {
	blocks := (m + blockRows - 1) / blockRows
	panels := (m + mr - 1) / mr
	return (panels + blocks - 1) / blocks * mr
}

// block is the product of rows [i0, i1) of op(A) and the k block [pc,
// pc+kcur) of op(A) and op(B), added to (or, for o's first k block when o
// does not accumulate, stored over) rows [i0, i1) of C, with o's ReLU
// in the last k block.
func block(o *Op, i0, i1, pc, kcur int) Op {
	b := *o
	b.M, b.K = i1-i0, kcur
	b.C = o.C[i0*o.LDC:]
	if o.TransA { // op(A)[i][p] = A[p·LDA + i]
		b.A = o.A[pc*o.LDA+i0:]
	} else {
		b.A = o.A[i0*o.LDA+pc:]
	}
	if o.TransB { // op(B)[p][j] = B[j·LDB + p]
		b.B = o.B[pc:]
	} else {
		b.B = o.B[pc*o.LDB:]
	}
	if pc > 0 { // the first k block stored C and added the bias
		b.Accumulate, b.Bias = true, nil
	}
	b.ReLU = o.ReLU && pc+kcur == o.K // the last k block completes each element
	return b
}

// ownPacking returns the thread's packing of sp's shared operand, every
// panel, packing it first when s holds none for this product: the first
// band a thread takes of a product packs it. s keeps the buffer (at most
// maxSharedPack floats, maxStepPack for a stepped product) for the next
// product.
func (s *scratch) ownPacking(o *Op, sp *sharedProduct) []float32 {
	n := sp.stride * o.K
	if s.packedFor == sp.id && len(s.shared) == n {
		return s.shared
	}
	s.shared = grow(s.shared, n)
	mk := kernel
	for pc := 0; pc < o.K; pc += kc { // each kc block's panels side by side, as the bands read them
		block, kcur := s.shared[pc*sp.stride:], min(kc, o.K-pc)
		if sp.ofA {
			packABlock(block, o, &mk, 0, o.M, pc, kcur)
		} else {
			packBBlock(block, o, pc, kcur, 0, o.N)
		}
	}
	s.packedFor = sp.id
	return s.shared
}

// A tile of 12 rows of C a multiple of 4 KiB apart (a layer of 1024
// units' output) puts its 24 lines of C into two sets of the L1 cache.
// Where the other core holds those lines, as it does when both threads
// read a layer's output before the layer writes it again, such a tile
// waited at its stores: on the Zen 5 with its vCPUs about 1 µs apart, a
// forward product of 128×1024×784 followed by a pass on both threads
// over its output ran 1.05–1.10× slower per flop than at 1008 units, and
// 1.18–1.25× with one k block (docs/PERFORMANCE.md, "The relu in the
// packed tiles"). In halves of 6 rows the lines fall into the sets half
// as thickly: that product then ran 537.9 against 568.3 µs (1008 units:
// 517.8), level without the pass. With the tiles that read A's packed
// panels in halves too, training lost (0.996), so only the tiles that
// read A in place go so, and only side by side: on one thread, where no
// other core holds the lines, they lost 0.9%. The halves read no lines
// ahead (no 6-row tile has a fetching form). Two hidden layers trained in
// one process with the halves switched, alternated stretches, the vCPUs
// far in every pair (medians): 1024 units at batch 128 1.013 (twelve
// pairs, every one 1.00 or more), at 512 1.010, at 32 1.013; 4096 at
// 128 1.039; 2048 at 128 and 512 and 4096 at 512 level (0.993 and
// 1.002, 0.999, 1.004). The same bits: each element is summed as the
// whole tile sums it.

// halvesTiles reports whether band tiles of o that read A in place (A's
// packing buf nil) go in halves of their rows: where the caller and the
// helper take the bands side by side and C's rows lie a multiple of 4 KiB
// (1024 floats) apart. That is any product so laid out, whichever layer's
// it is; in the benchmarks' networks, the first layer's forward product.
func (sp *sharedProduct) halvesTiles(o *Op, buf []float32) bool {
	return sp.sideBySide && buf == nil && o.LDC%1024 == 0 && kernel.pairRows != nil && kernel.rows > 1
}
