package kernels

import "unsafe"

// A band of a shared product packs its block of op(B) (packBBlock) before
// its tiles run. In a layer of 1024 units or more, the weights no longer
// stay in the caches from one step to the next, and that packing waited on
// memory: at 4096 units and batch 128, 13% of a training step (profile,
// two threads, Intel Xeon). So each band's full tiles fetch, into L2, the
// lines of op(B) the next band the thread will likely take packs (or
// reads in place): the band after it when the thread takes bands from the
// front (the caller), the one before from the back (the helper). Tiles
// that read A's packing fetch a line every other step of k
// (gemmPairAheadAVX512_12x32), or every step where a band has too few
// tiles for that (gemmPairAheadDenseAVX512_12x32: batch 32, 1.02–1.03×
// faster than every other step); tiles that read A's rows in place
// (readsAInPlace: rows not a multiple of 1024 floats long, such as a
// 784-pixel input's) two every four steps (gemmPairRowsAheadAVX512_12x32).
// Spread so over the band, the fetches took the packing from 13% of the
// step to 7%; fetched in bursts between tiles instead, it fell to 6% but
// the bursts took 9%, waiting for the line fill buffers.
//
// Measured with perf's trainingSpeed (MLPs of two hidden layers, relu,
// momentum; two threads, Intel Xeon; medians of three to five alternated
// runs), with the packed-A tiles fetching against none: 4096 units at
// batch 128 1.07–1.10× faster, 2048 units at batch 128 1.05–1.07×, at
// batch 256 and 512 1.02×, at batch 32 1.02×, 1024 units 0.99–1.02×, 4096
// units at batch 512 level; the in-place tiles fetching too, against
// none: 2000 and 3000 units at batch 128 1.07×, 1000 units level
// (docs/PERFORMANCE.md, "The next band's weights fetched ahead").
// Where B's rows lie a multiple of 4 KiB apart, or a forward product's
// bands are short beside what they fetch, a band fetches a k block ahead
// instead (rowsCollide and shortBands, below).

// fetchAhead is a band's plan (or, where it fetches a block ahead, a k
// block's) of cache lines to fetch: rows of lines lines each, their
// starts ld floats apart, the first row's start the float at first (each
// row's lines counted from the line its start is in), and how many of
// them to hand each tile.
type fetchAhead struct {
	first unsafe.Pointer // the region's first float; nil: nothing to fetch
	ld    int            // floats from a row's start to the next's
	lines int            // lines fetched of each row
	total int            // lines of all rows: rows · lines
	done  int            // lines handed to tiles so far
	per   int            // lines handed to each tile at most
}

// plan sets f to the lines of op(B) that band nb of o (laid out as sp, in
// bands of columns) packs, or reads in place, over all its k blocks,
// spread over the full tiles of band b, the band taking them through mk's
// fetching forms (mk.pairAhead, mk.pairRowsAhead). It sets f to nothing when
// there is no band nb, band b has no full tile, B is packed weights
// (whose panels no band packs) or smaller than minFetchedB, or mk has no
// fetching form.
func (f *fetchAhead) plan(o *Op, sp *sharedProduct, mk *microKernel, b, nb int) {
	*f = fetchAhead{}
	if !fetchesAhead(o, sp, mk) || nb < 0 || nb >= sp.bands {
		return
	}
	// The lines go to the tiles of band b's whole k blocks (a short last
	// block's steps may not fetch them all), or of its one block when
	// K < kc.
	tiles := max(1, o.K/kc) * (o.M / mk.rows) * (sp.bandWidth(o, b) / (2 * nr))
	if tiles == 0 {
		return
	}
	f.setRegion(o, mk, tiles, nb*sp.width, sp.bandWidth(o, nb), 0, o.K)
}

// fetchesAhead reports whether the bands of o, laid out as sp, fetch
// ahead: bands of columns, a B not packed already (whose panels no band
// packs) and of minFetchedB floats or more, and a kernel with the
// fetching forms.
func fetchesAhead(o *Op, sp *sharedProduct, mk *microKernel) bool {
	return mk.pairAhead != nil && mk.pairRowsAhead != nil && sp.ofA && o.BPacked == nil && o.N*o.K >= minFetchedB
}

// Where op(B)'s rows lie a multiple of 4 KiB apart (rowsCollide: the input
// gradient of a layer of 1024 inputs, or 2048, 3072...), a band's strip of
// each row (two B panels: 128 bytes) falls into the same few sets of L2 as
// every other row's: on the Zen 5 (1 MB a core, 16 ways of 1,024 sets,
// indexed by physical address: so in the 2 MiB pages that hold the
// weights) rows 4 KiB apart put a band's lines into 32 sets, room for 512,
// and a band of 1024 rows has 2,048 (rows 8 KiB apart, 16 sets, room for
// 256). The lines fetched for the next band evicted one another long
// before it packed them. There each k block of a band fetches the band's
// next k block instead (kc rows: 512 lines, as many as 32 sets hold; at 8
// KiB half of them can stay, against an eighth or less of a band's), and
// its last block the next band's first (planBlock). On the Zen 5, two
// threads: alone with B hot, dX = dY·W for a layer of 1024 units and
// inputs at batch 128 went from 350–357 to 367–374 GFLOP/s, the rate rows
// 1040 floats apart make, and a layer's input gradient in halves
// (InputGrad) at batch 32 1.15× at 2048 units, 1.16–1.26× at 4096; in
// training (perf's trainingSpeed, two hidden layers, medians of alternated
// pairs) 1024 units at batch 128 1.02× (fourteen pairs), 2048 and 4096
// units at batch 32 1.02× and 1.03× (six), the rest level
// (docs/PERFORMANCE.md, "Rows 4 KiB apart fetched a k block ahead").

// rowsCollide reports whether op(B) is B as it lies (not transposed),
// its rows a multiple of 4 KiB (1024 floats) apart: where a band of
// columns, a strip of every row, fetches one k block ahead rather than a
// band (planAhead), and bands of rows pack B rather than read it in place
// (bandsReadB).
func rowsCollide(o *Op) bool { return !o.TransB && o.LDB > 0 && o.LDB%1024 == 0 }

// A forward product at a small batch (x·wᵀ, op(B) transposed: each band
// packs w rows of the weights) does 2·M flops a float of B: at batch 32 a
// band's tiles run a quarter as long as at 128 while fetching as many
// lines. Where the next band's lines and A's rows then come to more than
// maxBandAhead bytes (a band of two panels, 32 rows of B, at batch 32:
// over 1,024 inputs; at 64: over 682), the lines fetched early in a band
// were no longer in L2 when the next band packed them, and each band
// waited on memory for most of its B. There too each k block fetches the
// band's next one, and its last the next band's first (planBlock); at
// batch 32, with two full tiles a block, as far as their steps go (488
// of a block's 512 lines with A packed, 256 with A read in place). On the
// Zen 5, two threads, the product alone, alternated calls: batch 32 at
// 2,048 units and inputs 1.024× (twice), 3,072 1.074×, 4,096
// 1.045–1.11×, 64 rows at 2,048 1.026×; level at 1,536 and at 2,000 (A
// read in place), 1.007× and 0.996×; level too with a block ahead forced
// at 1,000 and 1,024 inputs (0.997×, 1.002×) and at batch 128 from 1,000
// to 4,096 units (0.998–1.007×), so batches over maxShortBandRows keep
// the band ahead. In training (two hidden layers, relu, momentum,
// alternated stretches of 30 steps in one process, medians of 11 pairs):
// 4,096 units at batch 32 1.020, 1.028 and 1.019; 2,048 units level
// (0.996, 1.005).

// maxShortBandRows is the most rows of C (a batch) for which a forward
// product's bands count as short (shortBands).
const maxShortBandRows = 64

// maxBandAhead is the most bytes of the next band's lines and A's rows
// for which short bands still fetch the whole next band: a quarter of the
// Zen 5's L2 (shortBands).
const maxBandAhead = 256 << 10

// shortBands reports whether o, a product in bands laid out as sp, is a
// forward product whose bands fetch a k block ahead rather than the next
// band: op(B) transposed, maxShortBandRows rows or fewer, and the next
// band's lines with A's rows over maxBandAhead bytes.
func shortBands(o *Op, sp *sharedProduct) bool {
	return o.TransB && o.M <= maxShortBandRows && 4*(sp.width+o.M)*o.K > maxBandAhead
}

// fetchesBlockAhead reports whether o's bands, laid out as sp, fetch a k
// block ahead (planBlock) rather than the next band (plan).
func fetchesBlockAhead(o *Op, sp *sharedProduct) bool { return rowsCollide(o) || shortBands(o, sp) }

// planBlock sets f to the lines band b's tiles fetch in its k block pc
// where they fetch a block ahead (fetchesBlockAhead): the lines of the
// band's next k block, or, in its last, of band nb's first, spread over
// block pc's full tiles. A short last block's tiles, or too few tiles (a
// forward product at batch 32), fetch them as far as their steps allow.
// It sets f to nothing where o's bands fetch nothing
// (fetchesAhead) or band b has no full tile, and in the last block when
// there is no band nb.
func (f *fetchAhead) planBlock(o *Op, sp *sharedProduct, mk *microKernel, b, nb, pc int) {
	*f = fetchAhead{}
	tiles := (o.M / mk.rows) * (sp.bandWidth(o, b) / (2 * nr))
	if !fetchesAhead(o, sp, mk) || tiles == 0 {
		return
	}
	j0, w, p0 := b*sp.width, sp.bandWidth(o, b), pc+kc
	if p0 >= o.K {
		if nb < 0 || nb >= sp.bands {
			return
		}
		j0, w, p0 = nb*sp.width, sp.bandWidth(o, nb), 0
	}
	f.setRegion(o, mk, tiles, j0, w, p0, min(kc, o.K-p0))
}

// setRegion sets f to the lines of op(B)'s columns [j0, j0+w) in its rows
// [p0, p0+n), as B lays them out, handed out over tiles tiles.
func (f *fetchAhead) setRegion(o *Op, mk *microKernel, tiles, j0, w, p0, n int) {
	if o.TransB { // op(B)[p][j] = B[j·LDB + p]: w rows of n floats
		f.set(o, mk, tiles, j0*o.LDB+p0, w, n)
		return
	}
	f.set(o, mk, tiles, p0*o.LDB+j0, n, w) // n rows of w floats
}

// set sets f to rows of floats, o.LDB apart, from o.B[at], handed out
// over tiles tiles.
func (f *fetchAhead) set(o *Op, mk *microKernel, tiles, at, rows, floats int) {
	f.first = unsafe.Pointer(&o.B[at])
	f.ld = o.LDB
	f.lines = linesSpanned(uintptr(f.first)%64, floats, o.LDB)
	f.total = rows * f.lines
	f.per = (f.total + tiles - 1) / tiles
	if readsAInPlace(o, mk) { // those tiles fetch in twos: an odd share would leave a line each
		f.per += f.per % 2
	}
}

// minFetchedB is the fewest floats of op(B) for which bands fetch ahead,
// 1 MB: a smaller B stays in the L2 caches from one step to the next
// (MNIST's first layer, 784×256, 800 KB), where the fetches cost their
// instructions and save nothing. MNIST's step, whose products all read A
// in place, ran 0.99× as fast with the in-place tiles fetching as without
// (BenchmarkMLPStep, medians of six alternated runs: 187,200 against
// 188,800 samples/s). A product in blocks (shareBlocks) counts its
// block's B, a kc block of rows: a layer of fewer than 1024 units over
// many inputs at a large batch does not fetch, though its whole B may not
// stay in cache.
const minFetchedB = 1 << 18

// linesSpanned is how many cache lines a row of floats floats covers, at
// most, when the first row starts off bytes into a line and rows are ld
// floats apart (each row's start may fall elsewhere in its line).
func linesSpanned(off uintptr, floats, ld int) int {
	if ld%16 != 0 { // rows' starts move within their lines: count the worst
		off = 60
	}
	return (int(off) + 4*floats + 63) / 64
}

// next hands a tile its share of the lines, at most budget (what the
// tile's steps fetch: pairBudget, rowsFetchBudget) and a multiple of
// unit (the lines the kernel fetches at a time): the byte offset from
// f.first of the line to fetch first, how many lines of its row are left
// from it, and how many to fetch (0: none).
func (f *fetchAhead) next(budget, unit int) (from, left, count int) {
	count = min(f.per, budget, f.total-f.done)
	if count = count / unit * unit; count <= 0 {
		return 0, 1, 0
	}
	row, line := f.done/f.lines, f.done%f.lines
	f.done += count
	return row*f.ld*4 + line*64, f.lines - line, count
}

// pairBudget is the most lines a tile of k steps fetches through A's
// packing, and whether it fetches densely: one every other step after its
// first 12 (gemmPairAheadAVX512_12x32), or every step
// (gemmPairAheadDenseAVX512_12x32) where f's share a tile is more than
// that: bands of few tiles, at batch 32, whose next band's lines would
// otherwise not all be fetched.
func (f *fetchAhead) pairBudget(k int) (budget int, dense bool) {
	steps := k - min(k, 12)
	if f.per > steps/2 {
		return steps, true
	}
	return steps / 2, false
}

// rowsFetchBudget is the most lines a tile of k steps fetches reading A
// in place (gemmPairRowsAheadAVX512_12x32): two every four steps, two at
// a time.
func rowsFetchBudget(k int) int { return k / 4 * 2 }

// active reports whether f has lines left to fetch.
func (f *fetchAhead) active() bool { return f.done < f.total }
