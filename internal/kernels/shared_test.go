package kernels

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestBandsMatchOneThread runs products through the helper in bands
// (shareBands) — A shared by bands of columns, B shared by bands of rows,
// B read in place, one large enough for the worker pool, products of one
// panel the usual way turned to the other, products too large to pack an
// operand once, a block of A at a time (shareBlocks) — and products that
// do not go in bands (the caller alone), on shapes with ragged last panels,
// several kc blocks and more rows than an mc block, and holds each to the
// same bits as on one thread and, but the large ones, to the float64
// reference, with each micro-kernel this CPU has (the large ones with the
// fastest). It checks the
// loops posted: one of bands a product (each thread packs the shared
// operand itself before its first band), one a block, none when the helper
// takes no part.
func TestBandsMatchOneThread(t *testing.T) {
	posted := splitting(t)
	saved := kernel
	defer func() { kernel = saved }()
	rng := rand.New(rand.NewPCG(4, 4))
	for _, c := range []struct {
		name           string
		m, n, k        int
		transA, transB bool
		acc            bool
		loops          uint64 // loops posted: one a product, one a block
		bias           bool   // a forward product's Op.Bias
	}{
		{"forward with a bias, A shared", 128, 250, 300, false, true, false, 1, true},
		{"ten units forward with a bias: bands of rows", 128, 10, 256, false, true, false, 1, true},
		{"forward, A shared", 128, 250, 300, false, true, false, 1, false},
		{"forward, rows past an mc block", 200, 70, 300, false, true, true, 1, false},
		{"weight gradient, B shared", 250, 300, 128, true, false, true, 1, false},
		{"weight gradient, few rows, B in place", 37, 784, 64, true, false, true, 1, false},
		{"input gradient, A shared", 128, 784, 256, false, false, false, 1, false},
		{"inference batch, B shared", 256, 250, 300, false, false, false, 1, false},
		{"few rows, B in place", 40, 50, 300, false, false, false, 1, false},
		{"an input gradient at batch 32, B of 2 MB or more: packed", 32, 520, 1100, false, false, false, 1, false},
		{"columns wider than nc, with a bias", 20, 3100, 16, false, true, false, 1, true},
		{"ten units' input gradient, k ≤ shortK: bands of rows", 128, 784, 10, false, false, false, 1, false},
		{"few inputs forward, k ≤ shortK, with a bias: bands of rows", 150, 100, 20, false, true, false, 1, true},
		{"large enough for the pool, in bands, with a bias", 128, 1024, 520, false, true, false, 1, true},
		{"ten units forward: turned to bands of rows", 128, 10, 256, false, true, false, 1, false},
		{"six units' weight gradient: turned to columns", 6, 256, 128, true, false, true, 1, false},
		{"ten inputs, 32 units' weight gradient: two bands of one panel", 10, 32, 128, true, false, true, 1, false},
		{"a product too large with 32 columns: blocks in two bands of one panel", 600, 32, 17000, false, false, false, 67, false},
		{"one panel both ways: the caller alone", 5, 12, 600, false, true, false, 0, false},
		{"too large to pack once either way: blocks of A, with a bias", 600, 600, 900, false, true, false, 4, true},
		{"a weight gradient too large: blocks past blockRows rows, accumulating", 1100, 900, 600, true, false, true, 6, false},
		{"an input gradient too large: blocks, B as it lies", 700, 800, 800, false, false, false, 4, false},
		{"a forward product too large: two blocks of rows", 1100, 900, 600, false, true, false, 6, true},
		{"both transposed, too large: blocks", 700, 800, 800, true, true, true, 4, false},
		{"too small for the helper, too many columns for one panel: the caller alone", 16, 32, 4, false, true, false, 0, true},
		{"more bands than a loop may have chunks: the caller alone", 3, 2*nr*maxChunks + 1, 1, false, true, false, 0, false},
	} {
		o := randomOp(rng, c.m, c.n, c.k, c.transA, c.transB, c.acc)
		if c.bias {
			o.Bias = randSlice(rng, c.n)
		}
		every, want := kernels(), []float32(nil)
		if large := c.m*c.n*c.k > 1<<25; large {
			every = every[len(every)-1:] // the fastest: what these test is the way the product takes
		} else {
			want = refGemm(o)
		}
		for _, kernel = range every {
			name := c.name + ", " + kernel.name
			alone, banded, loops := oneThreadThenTwo(o, posted)
			if loops != c.loops {
				t.Errorf("%s: %d loops posted, want %d", name, loops, c.loops)
			}
			if !sameBits(banded, alone) {
				t.Errorf("%s: bands and one thread give different bits", name)
			}
			if want != nil {
				agree(t, name, banded, want, c.k)
			}
		}
	}
}

// oneThreadThenTwo computes o on one thread and then on two (splitting's
// helper), each into a copy of o.C, and returns both results and the
// loops posted for the second. A product that sets C gets NaN in the
// second copy first, so that any element it leaves unwritten shows.
func oneThreadThenTwo(o Op, posted func() uint64) (alone, two []float32, loops uint64) {
	SetThreads(1)
	first := o
	first.C = slices.Clone(o.C)
	Gemm(first)
	SetThreads(2)
	second := o
	second.C = slices.Clone(o.C)
	if !o.Accumulate {
		for i := range o.M {
			for j := range o.N {
				second.C[i*o.LDC+j] = float32(math.NaN())
			}
		}
	}
	before := posted()
	Gemm(second)
	return first.C, second.C, posted() - before
}

// TestBandsReadPackedWeights checks a batch through frozen weights
// (MatMulPackedBias) in bands: the same bits as on one thread.
func TestBandsReadPackedWeights(t *testing.T) {
	posted := splitting(t)
	rng := rand.New(rand.NewPCG(5, 5))
	const m, n, k = 24, 300, 530 // 2m < n: bands of columns, each thread packing A
	w, x, b := randSlice(rng, n*k), randSlice(rng, m*k), randSlice(rng, n)
	pw := PackWeights(w, n, k)
	alone, banded := make([]float32, m*n), make([]float32, m*n)
	SetThreads(1)
	MatMulPackedBias(alone, x, pw, b, m)
	SetThreads(2)
	before := posted()
	MatMulPackedBias(banded, x, pw, b, m)
	if got := posted() - before; got != 1 {
		t.Errorf("%d loops posted, want 1 (the bands)", got)
	}
	if !sameBits(banded, alone) {
		t.Error("packed weights: bands and one thread give different bits")
	}
}

// TestBandsWithConcurrentCallers runs products from several goroutines at
// once with the helper awake: one has the helper (and the caller's buffers it keeps),
// the others compute alone, and every result has one thread's bits.
func TestBandsWithConcurrentCallers(t *testing.T) {
	splitting(t)
	rng := rand.New(rand.NewPCG(6, 6))
	o := randomOp(rng, 128, 250, 300, false, true, false)
	SetThreads(1)
	want := slices.Clone(o.C)
	alone := o
	alone.C = want
	Gemm(alone)
	SetThreads(2)
	done := make(chan []float32)
	for range 4 {
		go func() {
			var last []float32
			for range 20 {
				mine := o
				mine.C = slices.Clone(o.C)
				Gemm(mine)
				last = mine.C
			}
			done <- last
		}()
	}
	for range 4 {
		if got := <-done; !sameBits(got, want) {
			t.Fatal("a product computed beside others differs from one thread's")
		}
	}
}

// TestBandsPackEachProductAfresh runs products of one shape one after
// another, each with an A of its own, in bands: each thread must pack each
// product's shared operand again (ownPacking), not read the last one's.
func TestBandsPackEachProductAfresh(t *testing.T) {
	posted := splitting(t)
	rng := rand.New(rand.NewPCG(12, 12))
	before := posted()
	for range 6 {
		o := randomOp(rng, 128, 250, 300, false, true, false)
		alone, banded := o, o
		alone.C, banded.C = slices.Clone(o.C), slices.Clone(o.C)
		SetThreads(1)
		Gemm(alone)
		SetThreads(2)
		Gemm(banded)
		if !sameBits(banded.C, alone.C) {
			t.Fatal("a product in bands gave other bits than on one thread")
		}
	}
	if posted() == before {
		t.Error("no product went in bands")
	}
}

// TestShortProductsGoInBandsOfRows checks the way bandsFor lays out
// products over shortK k or fewer: in bands of rows, where they would go in
// bands of columns over more k.
func TestShortProductsGoInBandsOfRows(t *testing.T) {
	for _, c := range []struct {
		name           string
		m, n, k        int
		transA, transB bool
		rows           bool
	}{
		{"ten units' input gradient", 128, 784, 10, false, false, true},
		{"an input gradient over shortK", 128, 784, shortK, false, false, true},
		{"an input gradient over shortK+1", 128, 784, shortK + 1, false, false, false},
		{"few inputs forward", 150, 100, 20, false, true, true},
		{"a forward product", 150, 100, 300, false, true, false},
	} {
		o := Op{M: c.m, N: c.n, K: c.k, TransA: c.transA, TransB: c.transB}
		sp, ok := bandsFor(&o)
		if !ok || sp.ofA == c.rows {
			t.Errorf("%s (%d×%d over %d): shared %v, in bands of rows %v, want %v", c.name, c.m, c.n, c.k, ok, !sp.ofA, c.rows)
		}
	}
}

// TestBandsOfRowsPackRowsApart checks when bands of rows read B where it
// lies and when each thread packs it (bandsReadB): a weight gradient's B,
// a batch of activations, is read in place up to maxBandsReadB floats
// unless its rows lie a multiple of 4 KiB apart.
func TestBandsOfRowsPackRowsApart(t *testing.T) {
	if kernel.pair == nil {
		t.Skip("the kernel has no pair form: bands of rows pack every B")
	}
	for _, c := range []struct {
		name          string
		units, inputs int
		batch         int
		pack          bool
	}{
		{"MNIST's first layer", 256, 784, 128, false},
		{"1000 inputs at batch 128", 1024, 1000, 128, false},
		{"1024 inputs at batch 128: rows 4 KiB apart", 1024, 1024, 128, true},
		{"1024 inputs at batch 32", 1024, 1024, 32, true},
		{"4096 inputs at batch 32: rows 16 KiB apart", 4096, 4096, 32, true},
		{"3072 inputs at batch 8", 3072, 3072, 8, true},
		{"512 inputs at batch 256: maxBandsReadB itself", 1024, 512, 256, false},
		{"512 inputs at batch 257: past it", 1024, 512, 257, true},
		{"1040 inputs at batch 127: past it", 1024, 1040, 127, true},
	} {
		o := Op{M: c.units, N: c.inputs, K: c.batch, TransA: true, LDA: c.units, LDB: c.inputs}
		if sp := bandsOf(&o, true); sp.pack != c.pack {
			t.Errorf("%s: B packed %v, want %v", c.name, sp.pack, c.pack)
		}
	}
}

// TestAloneInBandsMatchesBlocks holds products that a thread alone
// computes in bands of columns (gemmAlone) to the bits of the same
// product a block at a time (gemmBlock) and to the float64 reference:
// forward products with a bias, accumulating, with A read in place and
// with A packed (its rows 4 KiB apart), input gradients (one at batch 32
// whose B is packed; four whose B's rows lie 4 KiB apart, a k block of
// every band at a time: A read in place and packed, a ragged last band
// with a bias, accumulating), a weight gradient of a few units turned to
// columns, ragged last bands, several kc blocks and a short last one,
// with each micro-kernel this CPU has that has the pair form. Each product must go
// in bands (runBands numbers it: nextProductID), so the test cannot pass
// by taking the blocks' way, and in bands from the back too (the helper's
// order, an input gradient's half), with the same bits. Taken from the
// back, the last band is the first, whose next (nextBand) is past the end,
// so a large B's last band fetches nothing ahead: it would if the bands
// went front to back.
func TestAloneInBandsMatchesBlocks(t *testing.T) {
	saved := kernel
	defer func() { kernel = saved }()
	defer SetThreads(SetThreads(1))
	rng := rand.New(rand.NewPCG(6, 6))
	for _, kernel = range pairKernels(t) {
		for _, c := range []struct {
			name           string
			m, n, k        int
			transA, transB bool
			acc, bias      bool
			cols           int  // o.N, fewer than n (whose B's rows stay n apart); 0: n
			outer          bool // a k block of every band at a time (blocksOuter)
		}{
			{"forward with a bias, ragged last band", 128, 250, 300, false, true, false, true, 0, false},
			{"forward, every kc block and a short last one", 32, 1024, 784, false, true, false, true, 0, false},
			{"forward accumulating", 60, 100, 520, false, true, true, false, 0, false},
			{"forward accumulating, with a bias", 60, 100, 520, false, true, true, true, 0, false},
			{"forward, A's rows 4 KiB apart: A packed", 32, 300, 1024, false, true, false, true, 0, false},
			{"input gradient", 128, 784, 256, false, false, false, false, 0, false},
			{"weight gradient of a few units, turned to columns", 6, 256, 128, true, false, true, false, 0, false},
			{"input gradient at batch 32, B packed", 32, 520, 1100, false, false, false, false, 0, false},
			{"input gradient at batch 32, B's rows 4 KiB apart: a block at a time", 32, 1024, 600, false, false, false, false, 0, true},
			{"the same, A's rows 4 KiB apart too: A packed", 32, 1024, 1024, false, false, false, false, 0, true},
			{"the same, 45 rows, a ragged last band, with a bias", 45, 1024, 530, false, false, false, true, 1000, true},
			{"the same, accumulating", 30, 1024, 300, false, false, true, false, 0, true},
			{"B's rows 4 KiB apart, one k block", 32, 1024, 256, false, false, false, false, 0, false},
		} {
			name := c.name + ", " + kernel.name
			o := randomOp(rng, c.m, c.n, c.k, c.transA, c.transB, c.acc)
			if c.bias {
				o.Bias = randSlice(rng, c.n)
			}
			if c.cols > 0 {
				o.N = c.cols
			}
			sp, ok := bandsFor(&o)
			if !ok || !sp.ofA || sp.width != 2*nr {
				t.Fatalf("%s: does not go in bands of columns two panels wide (ok %v): the test no longer tests them", name, ok)
			}
			if sp.blocksOuter(&o) != c.outer {
				t.Fatalf("%s: a k block of every band at a time %v, want %v", name, !c.outer, c.outer)
			}
			blocks, bands, backward := o, o, o
			blocks.C, bands.C, backward.C = slices.Clone(o.C), slices.Clone(o.C), slices.Clone(o.C)
			if c.bias && c.acc {
				addBias(&blocks) // as gemm does before either way
				addBias(&bands)
				addBias(&backward)
			}
			defaultPool.local(&blocks, 0, o.M, 0, o.N)
			before := productIDs.Load()
			gemmAlone(&bands)
			back := newScratch()
			back.fromBack = true // the helper's: its bands go last to first
			back.product(&backward)
			if productIDs.Load()-before != 2 {
				t.Fatalf("%s: computed a block at a time, not in bands", name)
			}
			if back.aheadFetched != 0 {
				t.Errorf("%s: from the back, the last band fetched %d lines ahead: not the first band", name, back.aheadFetched)
			}
			if !slices.Equal(bands.C, blocks.C) {
				t.Errorf("%s: in bands, not the bits of blocks", name)
			}
			if !slices.Equal(backward.C, blocks.C) {
				t.Errorf("%s: in bands from the back, not the bits of blocks", name)
			}
			agree(t, name, bands.C, refGemm(o), c.k)
		}
	}
}

// TestBlocksOuterBounds checks which products a thread alone takes a k
// block of every band at a time (blocksOuter): fewer than minPackedRows
// rows, more than one k block, B as it lies with its rows 4 KiB apart,
// and a k block of them spanning 1 MB at most; bands of columns only.
func TestBlocksOuterBounds(t *testing.T) {
	for _, c := range []struct {
		name        string
		m, k, ldb   int
		transB, ofA bool
		want        bool
	}{
		{"a 1024-input layer's input gradient at batch 32", 32, 512, 1024, false, true, true},
		{"63 rows", 63, 512, 1024, false, true, true},
		{"minPackedRows", 64, 512, 1024, false, true, false},
		{"two k blocks, the second of one step", 32, kc + 1, 1024, false, true, true},
		{"one k block", 32, kc, 1024, false, true, false},
		{"rows 8 KiB apart: a block spans 2 MB", 32, 1024, 2048, false, true, false},
		{"rows 1000 floats apart", 32, 512, 1000, false, true, false},
		{"B transposed", 32, 512, 1024, true, true, false},
		{"bands of rows", 32, 512, 1024, false, false, false},
	} {
		o := Op{M: c.m, N: 1024, K: c.k, LDB: c.ldb, TransB: c.transB}
		sp := sharedProduct{ofA: c.ofA}
		if got := sp.blocksOuter(&o); got != c.want {
			t.Errorf("%s: a k block of every band at a time %v, want %v", c.name, got, c.want)
		}
	}
}

// pairKernels returns this CPU's micro-kernels that have the pair form,
// the ones a thread alone computes in bands with (gemmAlone), and skips t
// where there is none.
func pairKernels(t *testing.T) []microKernel {
	var pairs []microKernel
	for _, k := range kernels() {
		if k.pair != nil {
			pairs = append(pairs, k)
		}
	}
	if len(pairs) == 0 {
		t.Skip("no micro-kernel with the pair form on this CPU: gemmAlone computes in blocks")
	}
	return pairs
}

// TestHalvesTilesBounds holds halvesTiles to its rule: the tiles of a
// product in bands of columns that read A in place go in halves where
// the caller and the helper take the bands side by side and C's rows lie
// a multiple of 4 KiB apart, and not otherwise.
func TestHalvesTilesBounds(t *testing.T) {
	if kernel.pairRows == nil {
		t.Skip("no in-place pair kernel on this CPU")
	}
	rng := rand.New(rand.NewPCG(8, 8))
	for _, c := range []struct {
		name       string
		ldc        int
		sideBySide bool
		packedA    bool
		want       bool
	}{
		{"C's rows 1024 floats apart, side by side", 1024, true, false, true},
		{"2048 floats apart", 2048, true, false, true},
		{"1040 floats apart", 1040, true, false, false},
		{"1008 floats apart", 1008, true, false, false},
		{"1536 floats apart (6 KiB)", 1536, true, false, false},
		{"one thread alone", 1024, false, false, false},
		{"A's packed panels", 1024, true, true, false},
	} {
		o := randomOp(rng, 128, 1000, 300, false, true, false)
		o.C, o.LDC = make([]float32, 128*c.ldc), c.ldc
		sp := bandsOf(&o, false)
		sp.sideBySide = c.sideBySide
		var buf []float32
		if c.packedA {
			buf = make([]float32, 1)
		}
		if got := sp.halvesTiles(&o, buf); got != c.want {
			t.Errorf("%s: halvesTiles %v, want %v", c.name, got, c.want)
		}
	}
}

// TestHalfTilesMatchOneThread runs forward products whose C's rows lie a
// multiple of 4 KiB apart (a Dense layer of 1024 or 2048 units) in bands
// on two threads, where their tiles that read A in place go in halves
// (halvesTiles), with a bias, with relu, accumulating, and with a last
// tile of 11 rows (halves of 6 and 5): the same bits as on one thread,
// where they go whole, and one loop posted, so the bands were shared,
// the caller's last band in halves. Its first band, computed directly,
// runs its tiles in halves where the product is marked side by side (and
// not where it is not), with the same bits.
func TestHalfTilesMatchOneThread(t *testing.T) {
	if kernel.pairRows == nil {
		t.Skip("no in-place pair kernel on this CPU")
	}
	posted := splitting(t)
	rng := rand.New(rand.NewPCG(9, 9))
	for _, c := range []struct {
		name      string
		m, n, k   int
		acc, relu bool
	}{
		{"1024 units, a bias", 128, 1024, 300, false, false},
		{"1024 units, a bias and relu, several k blocks", 128, 1024, 600, false, true},
		{"2048 units, accumulating", 40, 2048, 100, true, false},
		{"a last tile of 11 rows, relu", 143, 1024, 200, false, true},
	} {
		o := randomOp(rng, c.m, c.n, c.k, false, true, c.acc)
		o.LDC = c.n // rows 4 KiB apart, or 8 KiB
		o.C = randSlice(rng, c.m*o.LDC)
		if !c.acc {
			o.Bias = randSlice(rng, c.n)
		}
		o.ReLU = c.relu
		alone, shared, loops := oneThreadThenTwo(o, posted)
		if loops != 1 {
			t.Errorf("%s: %d loops posted, want 1", c.name, loops)
		}
		if !sameBits(shared, alone) {
			t.Errorf("%s: tiles in halves give other bits than whole ones", c.name)
		}
		if defaultHelper.cs.halvedTiles == 0 { // the caller's last band, on this goroutine
			t.Errorf("%s: the caller's last band ran no tile in halves", c.name)
		}
		var halved [2]int
		var firstBand [2][]float32
		for i, sideBySide := range []bool{false, true} {
			band := o
			band.C = slices.Clone(o.C)
			sp := bandsOf(&band, false)
			sp.sideBySide = sideBySide
			s := newScratch()
			sp.band(&band, 0, s)
			halved[i], firstBand[i] = s.halvedTiles, band.C
		}
		if want := ((c.m + kernel.rows - 1) / kernel.rows) * ((o.K + kc - 1) / kc); halved[0] != 0 || halved[1] != want {
			t.Errorf("%s: the first band ran %d tiles in halves alone and %d side by side, want 0 and %d", c.name, halved[0], halved[1], want)
		}
		if !sameBits(firstBand[1], firstBand[0]) {
			t.Errorf("%s: the first band in halves gives other bits than whole", c.name)
		}
	}
}
