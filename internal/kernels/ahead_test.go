package kernels

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"
)

// needFetching skips a test of the fetching kernels where the CPU's
// kernel has none.
func needFetching(t *testing.T) {
	t.Helper()
	if kernel.pairAhead == nil || kernel.pairRowsAhead == nil {
		t.Skip("the kernel has no fetching forms")
	}
}

// walk lists the cache lines (addresses / 64) the fetching kernels fetch
// for one tile handed from, left and count by fetchAhead.next, and the
// bytes from f.first to where the walk stops: the Go model of the
// kernels' walk (asmgen's aheadWalk), which TestFetchingKernelsWalk holds
// them to.
func (f *fetchAhead) walk(from, left, count int) (lines []uintptr, end int) {
	p := from
	for range count {
		lines = append(lines, (uintptr(f.first)+uintptr(p))/64)
		p += 64
		if left--; left == 0 {
			p += f.ld*4 - f.lines*64
			left = f.lines
		}
	}
	return lines, p
}

// TestFetchAheadCoversTheNextBand plans band nb of products laid out in
// bands of columns, hands the lines out to the band's tiles as panelPair
// does (each k block's full tiles in turn), and checks what the kernel's
// walk fetches: every line holding a float of op(B) that band nb packs,
// once where rows start on a line (elsewhere two rows may share one), no
// tile more than its steps allow, where the budget suffices; only such
// lines where it does not (k blocks too short).
func TestFetchAheadCoversTheNextBand(t *testing.T) {
	needFetching(t)
	rng := rand.New(rand.NewPCG(21, 21))
	for _, c := range []struct {
		name    string
		m, n, k int
		transB  bool
		ldb     int // 0: as randomOp lays B
		skip    int // floats B starts past its array's start: rows off their lines
		nb      int
		all     bool // every line fits the tiles' budget
	}{
		{"forward, rows of W", 128, 1000, 300, true, 0, 0, 3, true},
		{"forward, rows not aligned", 128, 1100, 258, true, 261, 0, 2, true},
		{"forward, B off its lines", 128, 1000, 300, true, 301, 5, 2, true},
		{"forward, a block of k", 128, 4096, 256, true, 4096, 0, 7, true},
		{"input gradient, rows of W", 128, 784, 512, false, 0, 0, 4, true},
		{"input gradient, rows not aligned", 128, 1010, 300, false, 0, 0, 6, true},
		{"the last band narrower", 128, 1010, 300, false, 0, 0, 31, true},
		{"input gradient, B off its lines", 128, 1024, 256, false, 0, 3, 6, true},
		{"batch 512", 512, 1024, 256, true, 0, 0, 1, true},
		{"k blocks too short for all", 24, 13200, 20, false, 0, 0, 2, false},
		{"batch 32: two tiles a band, fetching every step, most lines", 32, 1024, 256, true, 0, 0, 3, false},
	} {
		minFetched := 0
		if c.m == 32 { // every other step of two tiles of 256 would fetch 244 lines of the 512
			minFetched = 2 * (256 - 12)
		}
		o := randomOp(rng, c.m, c.n, c.k, false, c.transB, false)
		if c.ldb > 0 {
			o.LDB = c.ldb
		}
		rowsB := c.k
		if c.transB {
			rowsB = c.n
		}
		o.B = randSlice(rng, c.skip+rowsB*o.LDB)[c.skip:]
		sp := bandsOf(&o, false)
		mk := kernel
		b := c.nb - 1 // the band fetching for nb: the caller's, from the front
		var f fetchAhead
		f.plan(&o, &sp, &mk, b, c.nb)
		if !f.active() {
			t.Fatalf("%s: no lines planned", c.name)
		}
		want := map[uintptr]bool{} // the lines of the floats band nb packs
		j0, w := c.nb*sp.width, sp.bandWidth(&o, c.nb)
		for p := range o.K {
			for j := j0; j < j0+w; j++ {
				i := p*o.LDB + j
				if o.TransB {
					i = j*o.LDB + p
				}
				want[uintptr(unsafe.Pointer(&o.B[i]))/64] = true
			}
		}
		got := map[uintptr]int{}
		for pc := 0; pc < o.K; pc += kc {
			kcur := min(kc, o.K-pc)
			for range (o.M / mk.rows) * (sp.bandWidth(&o, b) / (2 * nr)) { // band b's full tiles
				budget, _ := f.pairBudget(kcur)
				from, left, count := f.next(budget, 1)
				if count > budget {
					t.Fatalf("%s: a tile of %d steps handed %d lines, more than its %d", c.name, kcur, count, budget)
				}
				lines, _ := f.walk(from, left, count)
				for _, l := range lines {
					got[l]++
				}
			}
		}
		if rows := f.total / f.lines; len(got) > len(want)+rows {
			t.Errorf("%s: %d lines fetched, more than the %d the band's floats are in and one a row", c.name, len(got), len(want))
		}
		missing := 0
		for l := range want {
			if got[l] == 0 {
				missing++
			}
		}
		if c.all && (missing > 0 || f.active()) {
			t.Errorf("%s: %d of %d lines not fetched, %d of %d lines not handed out", c.name, missing, len(want), f.total-f.done, f.total)
		}
		if !c.all && missing == 0 {
			t.Errorf("%s: every line fetched; the case means to test a budget too short", c.name)
		}
		if len(got) < minFetched {
			t.Errorf("%s: %d lines fetched, want %d or more", c.name, len(got), minFetched)
		}
		aligned := o.LDB%16 == 0 && uintptr(f.first)%64 == 0
		stray := 0
		for l, n := range got {
			if n > 1 && aligned || n > 2 {
				t.Errorf("%s: line %x fetched %d times", c.name, l, n)
			}
			// A row's lines may take one past the band's floats where
			// rows are not aligned; none may be farther.
			if !want[l] && !want[l-1] && !want[l+1] {
				stray++
			}
		}
		if stray > 0 {
			t.Errorf("%s: %d lines fetched away from the band's floats", c.name, stray)
		}
	}
}

// TestFetchAheadPlansOnlyBandsThatExist checks the plans there is nothing
// to fetch for: past either end of the bands, a fetching band without a
// full tile, a product in bands of rows, one through packed weights, and
// one whose B stays in cache.
func TestFetchAheadPlansOnlyBandsThatExist(t *testing.T) {
	needFetching(t)
	rng := rand.New(rand.NewPCG(22, 22))
	o := randomOp(rng, 128, 1000, 300, false, true, false)
	sp := bandsOf(&o, false)
	small := randomOp(rng, 128, 250, 300, false, true, false)
	spSmall := bandsOf(&small, false)
	few := randomOp(rng, 11, 1000, 300, false, true, false) // fewer rows than a tile
	spFew := bandsOf(&few, false)
	rows := randomOp(rng, 250, 3000, 128, true, false, true)
	spRows := bandsOf(&rows, true)
	packed := randomOp(rng, 24, 1000, 530, false, false, false) // as MatMulPackedBias makes it
	pw := PackWeights(randSlice(rng, 1000*530), 1000, 530)
	packed.B, packed.LDB, packed.BPacked = pw.panels, 0, pw
	spPacked := bandsOf(&packed, false)
	for _, c := range []struct {
		name  string
		o     *Op
		sp    *sharedProduct
		b, nb int
	}{
		{"before the first band", &o, &sp, 0, -1},
		{"past the last band", &o, &sp, sp.bands - 1, sp.bands},
		{"no full tile: too few rows", &few, &spFew, 0, 1},
		{"no full tile: the last band narrower", &o, &sp, sp.bands - 1, sp.bands - 2},
		{"bands of rows", &rows, &spRows, 0, 1},
		{"packed weights", &packed, &spPacked, 0, 1},
		{"B below minFetchedB", &small, &spSmall, 0, 1},
	} {
		var f fetchAhead
		f.first = unsafe.Pointer(&o.B[0]) // a stale plan must go
		f.total = 5
		mk := kernel
		f.plan(c.o, c.sp, &mk, c.b, c.nb)
		if f.active() || f.first != nil {
			t.Errorf("%s: %d lines planned", c.name, f.total)
		}
	}
}

// TestFetchingTilesKeepThePairBits runs the macro-kernel with a plan of
// lines to fetch and without, its tiles reading A's packing and reading A
// in place, on B packed and in place, storing (with and without a bias)
// and accumulating, over blocks of several full tiles and a short last
// one: the same bits, and the plan's lines handed out where the tiles'
// steps fetch any (in twos where A is read in place).
func TestFetchingTilesKeepThePairBits(t *testing.T) {
	needFetching(t)
	mk := kernel
	rng := rand.New(rand.NewPCG(23, 23))
	for _, kcur := range []int{1, 3, 4, 12, 13, 14, 40, 255, 256} {
		for _, way := range []string{"store", "store with a bias", "store with relu", "accumulate"} {
			for _, packed := range []bool{false, true} {
				for _, aInPlace := range []bool{false, true} {
					o := randomOp(rng, 3*mk.rows+5, 2*nr+7, kcur, false, false, way == "accumulate")
					o.A, o.LDA = randSlice(rng, o.M*(kcur+3)), kcur+3 // not a multiple of 1024: read in place
					if way == "store with a bias" {
						o.Bias = randSlice(rng, o.N)
					}
					o.ReLU = way == "store with relu"
					var pa []float32
					if !aInPlace {
						pa = make([]float32, maxMC*kc)
						packABlock(pa, &o, &mk, 0, o.M, 0, kcur)
					}
					var pb []float32
					if packed {
						pb = make([]float32, kc*nc)
						packBBlock(pb, &o, 0, kcur, 0, o.N)
					}
					far := randomOp(rng, 128, 4096, 256, false, true, false) // what the plan fetches
					spFar := bandsOf(&far, false)
					got, want := o, o
					got.C, want.C = slices.Clone(o.C), slices.Clone(o.C)
					fetching := newScratch()
					fetching.ahead.plan(&far, &spFar, &mk, 2, 3)
					fetching.macroKernel(&got, &mk, 0, o.M, 0, 0, o.N, kcur, pa, pb, way != "accumulate")
					newScratch().macroKernel(&want, &mk, 0, o.M, 0, 0, o.N, kcur, pa, pb, way != "accumulate")
					name := fmt.Sprintf("k %d, %s, B packed %v, A in place %v", kcur, way, packed, aInPlace)
					if !sameBits(got.C, want.C) {
						t.Errorf("%s: fetching tiles give other bits", name)
					}
					budget, _ := fetching.ahead.pairBudget(kcur)
					if aInPlace {
						budget = rowsFetchBudget(kcur)
					}
					handed := fetching.ahead.done
					if (handed > 0) != (budget > 0) || aInPlace && handed%2 != 0 {
						t.Errorf("%s: %d lines handed to the tiles, each fetching up to %d", name, handed, budget)
					}
				}
			}
		}
	}
}

// TestBandsFetchForTheNextTheyTake checks which band a thread fetches
// for: the helper, which takes bands from the back, the one before; the
// caller, from the front, the one after.
func TestBandsFetchForTheNextTheyTake(t *testing.T) {
	h := defaultHelper
	h.once.Do(h.start)
	for _, c := range []struct {
		who  string
		s    *scratch
		want int
	}{{"the helper", h.s, 4}, {"a caller", newScratch(), 6}} {
		if got := c.s.nextBand(5); got != c.want {
			t.Errorf("%s, after band 5: fetches for band %d, want %d", c.who, got, c.want)
		}
	}
}

// TestBandsFetchTheirPlans runs every band of products in bands of
// columns, as the caller (from the front) and as the helper (from the
// back) would take them, and checks how many lines each band's tiles
// fetched: all of their plans' lines (the next band's, or where they
// fetch a block ahead each k block's next: fetchesBlockAhead; whole k
// blocks of enough tiles: every line fits),
// whether the tiles read A's packing or A in place, none where the band
// has no full tile; and that no band keeps its plan after it.
func TestBandsFetchTheirPlans(t *testing.T) {
	needFetching(t)
	mk := kernel
	rng := rand.New(rand.NewPCG(24, 24))
	for _, c := range []struct {
		name    string
		m, n, k int
		transB  bool
		inPlace bool // the tiles read A in place
		ldb     int  // 0: as randomOp lays B
	}{
		{"forward, the last band narrower", 128, 270, 1024, true, false, 0},
		{"input gradient", 128, 256, 1024, false, false, 0},
		{"rows past an mc block", 200, 300, 1024, true, false, 0},
		{"forward, A read in place", 128, 270, 1000, true, true, 0},
		{"input gradient, A read in place", 128, 270, 1000, false, true, 0},
		{"A read in place, an odd share of lines a tile", 128, 1000, 768, false, true, 0},
		{"input gradient, rows 4 KiB apart", 128, 1024, 1024, false, false, 0},
		{"rows 4 KiB apart, a short last block, A read in place", 128, 1024, 712, false, true, 0},
		{"rows 8 KiB apart, fewer k than a block", 128, 2048, 240, false, true, 0},
		{"rows 4 KiB apart, the last band narrower", 128, 1000, 1024, false, false, 1024},
		{"rows 8 KiB apart, the last band narrower, past an mc block", 200, 2000, 768, false, true, 2048},
		{"forward at a small batch, a block ahead, the last band narrower", 60, 300, 2048, true, false, 0},
		{"forward at a small batch, a block ahead, A read in place", 60, 400, 1280, true, true, 0},
	} {
		o := randomOp(rng, c.m, c.n, c.k, false, c.transB, false)
		if c.ldb > 0 {
			o.LDB, o.B = c.ldb, randSlice(rng, c.k*c.ldb)
		}
		if got := readsAInPlace(&o, &mk); got != c.inPlace {
			t.Fatalf("%s: the tiles read A in place: %v", c.name, got)
		}
		sp := bandsOf(&o, false)
		sp.id = nextProductID()
		for _, fromBack := range []bool{false, true} {
			s := newScratch()
			s.fromBack = fromBack
			planned := 0
			for b := range sp.bands {
				want := plannedLines(&o, &sp, &mk, b, s.nextBand(b))
				if want > 0 {
					planned++
				}
				sp.band(&o, b, s)
				if s.aheadFetched != want {
					t.Errorf("%s, from the back %v, band %d: %d lines fetched, want %d", c.name, fromBack, b, s.aheadFetched, want)
				}
				if s.ahead.first != nil || s.ahead.active() {
					t.Errorf("%s, from the back %v, band %d: the plan outlives the band", c.name, fromBack, b)
				}
			}
			if planned < sp.bands-2 { // all but the last band taken, and a narrower one
				t.Errorf("%s, from the back %v: %d bands of %d planned fetches", c.name, fromBack, planned, sp.bands)
			}
		}
	}
}

// plannedLines is how many lines band b's plans hand its tiles: the
// whole-band plan, or where the band fetches a block ahead
// (fetchesBlockAhead) each k block's. Every k block here is long enough
// for its tiles to fetch them all.
func plannedLines(o *Op, sp *sharedProduct, mk *microKernel, b, nb int) int {
	var f fetchAhead
	if !fetchesBlockAhead(o, sp) {
		f.plan(o, sp, mk, b, nb)
		return f.total
	}
	total := 0
	for pc := 0; pc < o.K; pc += kc {
		f.planBlock(o, sp, mk, b, nb, pc)
		total += f.total
	}
	return total
}

// TestBlockAheadFetches follows the plans a band's k blocks make
// (planAhead) and what the kernels' walk fetches with them, handed out as
// panelPair does. Where the band fetches a block ahead
// (fetchesBlockAhead: B's rows 4 KiB or 8 KiB apart; a forward product's
// short bands at 60 rows, A read in place and packed), each block fetches
// the lines of the band's next block, each once, and the last block those
// of the next band's first; at 32 rows, two full tiles a block, only such
// lines, each once, as far as the tiles' steps go. Where the band does
// not (rows of 1040 floats; a forward product at 65 rows), the first
// block plans the next band's lines, fetches some and none other, and the
// later blocks keep that plan.
func TestBlockAheadFetches(t *testing.T) {
	needFetching(t)
	rng := rand.New(rand.NewPCG(26, 26))
	for _, c := range []struct {
		ldb             int
		blockAhead, all bool
	}{{1024, true, true}, {2048, true, true}, {1040, false, false}} {
		o := randomOp(rng, 128, 1000, 3*kc, false, false, false)
		o.LDB, o.B = c.ldb, randSlice(rng, o.K*c.ldb)
		checkBlockAhead(t, fmt.Sprintf("rows %d floats apart", c.ldb), &o, c.blockAhead, c.all)
	}
	for _, c := range []struct {
		m, k, lda       int
		blockAhead, all bool
	}{
		{60, 3 * kc, 3 * kc, true, true}, // A read in place
		{60, 3 * kc, 1024, true, true},   // A packed
		{32, 5 * kc, 5 * kc, true, false},
		{32, 5 * kc, 2048, true, false},
		{65, 3 * kc, 3 * kc, false, false},
	} {
		o := randomOp(rng, c.m, 400, c.k, false, true, false)
		o.LDA, o.A = c.lda, randSlice(rng, c.m*c.lda)
		checkBlockAhead(t, fmt.Sprintf("forward, %d rows, A %d floats a row", c.m, c.lda), &o, c.blockAhead, c.all)
	}
}

// checkBlockAhead runs TestBlockAheadFetches's checks on band 3 of o,
// which fetches a block ahead where blockAhead says so, and then all of
// each block's plan where all does.
func checkBlockAhead(t *testing.T, name string, o *Op, blockAhead, all bool) {
	t.Helper()
	mk := kernel
	sp := bandsOf(o, false)
	if got := fetchesBlockAhead(o, &sp); got != blockAhead {
		t.Fatalf("%s: fetches a block ahead %v", name, got)
	}
	s := newScratch()
	const b, nb = 3, 4
	linesOf := func(band, p0, p1 int) map[uintptr]bool { // the lines of band's floats of op(B) in rows [p0, p1)
		lines := map[uintptr]bool{}
		j0, w := band*sp.width, sp.bandWidth(o, band)
		for p := p0; p < p1; p++ {
			for j := j0; j < j0+w; j++ {
				at := p*o.LDB + j
				if o.TransB {
					at = j*o.LDB + p
				}
				lines[uintptr(unsafe.Pointer(&o.B[at]))/64] = true
			}
		}
		return lines
	}
	var firstPlan unsafe.Pointer
	for pc := 0; pc < o.K; pc += kc {
		s.planAhead(o, &sp, &mk, b, pc)
		if pc == 0 {
			firstPlan = s.ahead.first
		}
		got := map[uintptr]int{}
		for range (o.M / mk.rows) * (sp.bandWidth(o, b) / (2 * nr)) { // the block's full tiles
			budget, unit := rowsFetchBudget(kc), 2
			if !readsAInPlace(o, &mk) {
				budget, _ = s.ahead.pairBudget(kc)
				unit = 1
			}
			lines, _ := s.ahead.walk(s.ahead.next(budget, unit))
			for _, l := range lines {
				got[l]++
			}
		}
		block := fmt.Sprintf("%s, block %d", name, pc/kc)
		if pc == 0 && (firstPlan == nil || len(got) == 0) {
			t.Fatalf("%s: fetches nothing", block)
		}
		if !blockAhead {
			if pc > 0 && s.ahead.first != firstPlan {
				t.Errorf("%s: planned anew", block)
			}
			want := linesOf(nb, 0, o.K) // the first block fetches as far as its steps go
			for l := range got {
				if !want[l] {
					t.Errorf("%s: line %x is not the next band's", block, l)
				}
			}
			continue
		}
		want := linesOf(nb, 0, kc)
		if pc+kc < o.K {
			want = linesOf(b, pc+kc, pc+2*kc)
		}
		if all && len(got) != len(want) || len(got) == 0 {
			t.Errorf("%s: %d lines fetched, want %d", block, len(got), len(want))
		}
		for l, n := range got {
			if !want[l] || n > 1 {
				t.Errorf("%s: line %x fetched %d times; one of the lines wanted: %v", block, l, n, want[l])
			}
		}
	}
}

// TestShortBandsBounds checks which products fetch a block ahead for
// their short bands: forward products (op(B) transposed) of at most
// maxShortBandRows rows whose next band's lines and A's rows come to more
// than maxBandAhead bytes; no input gradient, nothing at more rows, and
// the bounds themselves, for the kernel's bands of two panels (those that
// fetch ahead).
func TestShortBandsBounds(t *testing.T) {
	needFetching(t)
	for _, c := range []struct {
		m, n, k int
		transB  bool
		want    bool
	}{
		{32, 4096, 4096, true, true},
		{32, 2048, 2048, true, true},
		{32, 1024, 1025, true, true},  // 4·(32+32)·1025 bytes: just over
		{32, 1024, 1024, true, false}, // 4·(32+32)·1024: maxBandAhead itself
		{64, 2048, 2048, true, true},
		{65, 4096, 4096, true, false}, // past maxShortBandRows
		{128, 4096, 4096, true, false},
		{32, 4096, 4096, false, false}, // an input gradient: B as it lies
	} {
		o := Op{M: c.m, N: c.n, K: c.k, TransB: c.transB}
		sp := bandsOf(&o, false)
		if got := shortBands(&o, &sp); got != c.want {
			t.Errorf("%d×%d×%d, op(B) transposed %v: short bands %v, want %v", c.m, c.n, c.k, c.transB, got, c.want)
		}
	}
}

// TestPairBudgetFetchesDenselyOnlyWhereNeeded checks when the packed-A
// tiles fetch every step: only where a tile's share of the plan is more
// than every other step after the first 12 can fetch.
func TestPairBudgetFetchesDenselyOnlyWhereNeeded(t *testing.T) {
	for _, c := range []struct {
		per, k    int
		budget    int
		wantDense bool
	}{
		{per: 52, k: 256, budget: 122, wantDense: false}, // batch 128: ten tiles a band
		{per: 122, k: 256, budget: 122, wantDense: false},
		{per: 123, k: 256, budget: 244, wantDense: true},
		{per: 256, k: 256, budget: 244, wantDense: true}, // batch 32: two tiles a band
		{per: 5, k: 20, budget: 8, wantDense: true},
		{per: 4, k: 20, budget: 4, wantDense: false},
		{per: 1, k: 12, budget: 0, wantDense: true}, // no step left to fetch on
	} {
		f := fetchAhead{per: c.per}
		budget, dense := f.pairBudget(c.k)
		if budget != c.budget || dense != c.wantDense {
			t.Errorf("share %d, k %d: budget %d, dense %v; want %d, %v", c.per, c.k, budget, dense, c.budget, c.wantDense)
		}
	}
}

// linesSpanned counts the lines a row covers from its start's offset,
// and the worst case where rows' starts move within their lines.
func TestLinesSpanned(t *testing.T) {
	for _, c := range []struct {
		off       uintptr
		floats    int
		ld        int
		wantLines int
	}{
		{0, 1, 16, 1},
		{0, 16, 16, 1},     // one whole line
		{0, 17, 16, 2},     // and a float of the next
		{60, 1, 16, 1},     // a line's last float
		{60, 2, 16, 2},     // across a line's end
		{4, 16, 16, 2},     // a line's worth, from the second float
		{32, 784, 784, 50}, // an MNIST row half a line in
		{0, 16, 20, 2},     // rows 20 floats apart start anywhere: the worst, 60 bytes in
	} {
		if got := linesSpanned(c.off, c.floats, c.ld); got != c.wantLines {
			t.Errorf("linesSpanned(%d, %d, %d) = %d, want %d", c.off, c.floats, c.ld, got, c.wantLines)
		}
	}
}
