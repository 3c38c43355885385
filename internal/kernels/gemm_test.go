package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func randSlice(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(rng.NormFloat64())
	}
	return s
}

// refGemm is the naive float64 reference of Gemm.
func refGemm(o Op) []float32 {
	c := slices.Clone(o.C)
	for i := range o.M {
		for j := range o.N {
			var s float64
			if o.Accumulate {
				s = float64(c[i*o.LDC+j])
			}
			if o.Bias != nil {
				s += float64(o.Bias[j])
			}
			for p := range o.K {
				s += float64(o.at(i, p)) * float64(o.bt(p, j))
			}
			c[i*o.LDC+j] = float32(s)
		}
	}
	return c
}

// agree compares got with the float64 reference, relative to the size of
// the sum (k terms of unit size).
func agree(t *testing.T, what string, got, want []float32, k int) {
	t.Helper()
	tol := 2e-6 * math.Sqrt(float64(k)+1)
	for i := range want {
		if d := math.Abs(float64(got[i] - want[i])); d > tol*(1+math.Abs(float64(want[i]))) || math.IsNaN(float64(got[i])) {
			t.Fatalf("%s: element %d = %v, reference %v", what, i, got[i], want[i])
		}
	}
}

// randomOp makes an Op of the given shape and layout with a C that has room
// to spare on the right (LDC > N), so writes past N would show.
func randomOp(rng *rand.Rand, m, n, k int, transA, transB, acc bool) Op {
	o := Op{M: m, N: n, K: k, TransA: transA, TransB: transB, Accumulate: acc, LDC: n + 3}
	o.LDA, o.LDB = k, n
	if transA {
		o.LDA = m
	}
	if transB {
		o.LDB = k
	}
	o.A, o.B, o.C = randSlice(rng, m*k), randSlice(rng, k*n), randSlice(rng, m*o.LDC)
	return o
}

// shapes covers 1×1×1, primes, every row remainder of the 6-row and
// 12-row tiles, and sizes past each cache block (mc = 120 or 132, kc =
// 256, nc = 3072).
func shapes() [][3]int {
	s := [][3]int{{1, 1, 1}, {1, 256, 784}, {2, 10, 33}, {2, 3, 5}, {7, 11, 13}, {17, 19, 23}, {6, 16, 1}, {12, 32, 64},
		{121, 33, 257}, {129, 20, 30}, {133, 48, 257}, {128, 10, 256}, {5, 3100, 3}, {64, 50, 600}, {250, 17, 9}}
	for r := 1; r <= maxMR; r++ {
		s = append(s, [3]int{maxMR + r, nr + r, 29})
	}
	return s
}

func TestGemmMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, sh := range shapes() {
		for _, layout := range [][3]bool{{false, false, false}, {false, true, false}, {true, false, true}, {true, true, true}, {false, false, true}} {
			o := randomOp(rng, sh[0], sh[1], sh[2], layout[0], layout[1], layout[2])
			want := refGemm(o)
			Gemm(o)
			agree(t, "Gemm", o.C, want, sh[2])
			// Past column N of each row, C is untouched.
			for i := range o.M {
				for j := o.N; j < o.LDC; j++ {
					if o.C[i*o.LDC+j] != want[i*o.LDC+j] {
						t.Fatalf("shape %v: Gemm wrote C[%d][%d], outside the product", sh, i, j)
					}
				}
			}
		}
	}
}

// TestEveryKernelMatchesReference runs each micro-kernel this CPU has, not
// only the fastest, through the driver, adding to C and (storing its first
// k block) setting it.
func TestEveryKernelMatchesReference(t *testing.T) {
	saved := kernel
	defer func() { kernel = saved }()
	rng := rand.New(rand.NewPCG(2, 2))
	for _, kernel = range kernels() {
		for i, sh := range shapes() {
			o := randomOp(rng, sh[0], sh[1], sh[2], sh[0]%2 == 0, sh[1]%2 == 0, i%2 == 0)
			want := refGemm(o)
			Gemm(o)
			agree(t, kernel.name, o.C, want, sh[2])
		}
	}
}

// TestBiasIsAddedAsAccumulated checks Op.Bias on every kernel and shape:
// the bits of a C that starts as the bias and accumulates the product, no
// write past column N, and the reference's values; and with Accumulate,
// those of adding the bias to C first.
func TestBiasIsAddedAsAccumulated(t *testing.T) {
	saved := kernel
	defer func() { kernel = saved }()
	rng := rand.New(rand.NewPCG(9, 9))
	for _, kernel = range kernels() {
		for i, sh := range append(shapes(), [3]int{5, 40, 0}) { // K = 0: C is the bias
			o := randomOp(rng, sh[0], sh[1], sh[2], i%3 == 0, i%2 == 0, false)
			o.Bias = randSlice(rng, sh[1])
			accumulated := o
			accumulated.Bias, accumulated.Accumulate = nil, true
			accumulated.C = slices.Clone(o.C)
			for r := range o.M {
				copy(accumulated.C[r*o.LDC:], o.Bias)
			}
			for r := range o.M { // what Gemm leaves unwritten shows as NaN
				for j := range o.N {
					o.C[r*o.LDC+j] = float32(math.NaN())
				}
			}
			want := refGemm(o)
			Gemm(accumulated)
			Gemm(o)
			name := fmt.Sprintf("%s, shape %v", kernel.name, sh)
			if !sameBits(o.C, accumulated.C) {
				t.Fatalf("%s: a product with a bias differs from one accumulated onto it", name)
			}
			agree(t, name, o.C, want, sh[2])

			// With Accumulate, the bias is one more term: C += Bias, then
			// the product.
			both := randomOp(rng, sh[0], sh[1], sh[2], i%3 == 0, i%2 == 0, true)
			both.Bias = o.Bias
			added := both
			added.Bias, added.C = nil, slices.Clone(both.C)
			for r := range o.M {
				for j, b := range o.Bias {
					added.C[r*o.LDC+j] += b
				}
			}
			want = refGemm(both)
			Gemm(added)
			Gemm(both)
			if !sameBits(both.C, added.C) {
				t.Fatalf("%s: a bias with Accumulate differs from adding it to C first", name)
			}
			agree(t, name+", accumulating", both.C, want, sh[2])
		}
	}
}

// TestThreadsDoNotChangeResults checks bit-identical products on 1, 2 and 3
// threads, for products shared by the pool and by the helper.
func TestThreadsDoNotChangeResults(t *testing.T) {
	posted := splitting(t)
	rng := rand.New(rand.NewPCG(3, 3))
	// The first three are large enough (see minWorkPerThread) for the pool,
	// the others for the helper (minHelperWork): inference of one row, a
	// forward product and a weight gradient of the MLP, and inference of
	// a batch (split by rows: splitsByRows).
	for _, sh := range []struct {
		m, n, k        int
		transA, transB bool
	}{{512, 512, 300, false, true}, {600, 520, 330, false, true}, {97, 1100, 700, false, true},
		{1, 256, 784, false, true}, {128, 250, 300, false, true}, {250, 300, 128, true, false},
		{256, 250, 300, false, false}, {250, 10, 300, false, false}} {
		base := randomOp(rng, sh.m, sh.n, sh.k, sh.transA, sh.transB, sh.transA)
		var results [][]float32
		for _, threads := range []int{1, 2, 3} {
			SetThreads(threads)
			o := base
			o.C = slices.Clone(base.C)
			Gemm(o)
			results = append(results, o.C)
		}
		if !sameBits(results[0], results[1]) || !sameBits(results[0], results[2]) {
			t.Errorf("shape %+v: results differ between 1, 2 and 3 threads", sh)
		}
	}
	if posted() == 0 {
		t.Error("no product went to the helper")
	}
}

// TestProductsMatchReference runs the three products of training on odd and
// edge shapes against their own references.
func TestProductsMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, s := range shapes() {
		m, n, k := s[0], s[1], s[2]
		x, w, dY := randSlice(rng, m*k), randSlice(rng, n*k), randSlice(rng, m*n)

		out, ref := make([]float32, m*n), make([]float32, m*n)
		b := randSlice(rng, n)
		MatMulTransBBias(out, x, w, b, m, n, k)
		RefMatMulTransBBias(ref, x, w, b, m, n, k)
		agree(t, "MatMulTransBBias", out, ref, k)

		dX, refDX := randSlice(rng, m*k), make([]float32, m*k) // MatMul overwrites what dX held
		MatMul(dX, dY, w, m, n, k)
		RefMatMul(refDX, dY, w, m, n, k)
		agree(t, "MatMul", dX, refDX, n)

		start := randSlice(rng, n*k)
		dW, refDW := slices.Clone(start), slices.Clone(start)
		MatMulTransAAcc(dW, dY, x, m, n, k)
		RefMatMulTransAAcc(refDW, dY, x, m, n, k)
		agree(t, "MatMulTransAAcc", dW, refDW, m)
	}
}

// TestConcurrentCallers runs products from four goroutines at once: one
// in tiles and a narrow one (gemmNarrow, with its shared list of
// buffers), each against the reference.
func TestConcurrentCallers(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	narrow := randomOp(rng, 64, 10, 300, false, true, false)
	narrow.Bias = randSlice(rng, 10)
	for _, o := range []Op{randomOp(rng, 60, 70, 80, false, false, false), narrow} {
		want := refGemm(o)
		done := make(chan []float32)
		for range 4 {
			go func() {
				mine := o
				mine.C = slices.Clone(o.C)
				for range 20 {
					Gemm(mine)
				}
				done <- mine.C
			}()
		}
		for range 4 {
			agree(t, "concurrent Gemm", <-done, want, o.K)
		}
	}
}

func TestDotMatchesGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	for n := range 140 {
		a, b := randSlice(rng, n), randSlice(rng, n)
		var want float64
		for i := range a {
			want += float64(a[i]) * float64(b[i])
		}
		if got := Dot(a, b); math.Abs(float64(got)-want) > 1e-5*math.Sqrt(float64(n)+1)*(1+math.Abs(want)) {
			t.Fatalf("n=%d: Dot = %v, float64 sum %v", n, got, want)
		}
	}
}

func TestSplitSharesOnlyLargeProducts(t *testing.T) {
	defer SetThreads(SetThreads(3))
	for _, c := range []struct {
		m, n, k, want int
	}{{128, 256, 784, 1}, {512, 512, 300, 2}, {1024, 1024, 1024, 3}, {5, 3000, 2000, 1}} {
		o := Op{M: c.m, N: c.n, K: c.k}
		if got := defaultPool.split(&o); got != c.want {
			t.Errorf("%d×%d×%d: %d threads, want %d", c.m, c.n, c.k, got, c.want)
		}
	}
}

// TestPackTransposedMatchesGo holds the assembly packing to the Go loop
// for every remainder of 16 and 8 columns and strides wider than the rows,
// with the AVX2 form alone and after the AVX-512 one.
func TestPackTransposedMatchesGo(t *testing.T) {
	defer func(saved bool) { HasAVX512 = saved }(HasAVX512)
	rng := rand.New(rand.NewPCG(7, 7))
	for _, wide := range []bool{false, HasAVX512} { // the AVX2 form alone, and after the AVX-512 one
		HasAVX512 = wide
		for k := 1; k <= 72; k++ {
			ld := k + k%3
			src := randSlice(rng, (nr-1)*ld+k)
			got, want := randSlice(rng, k*nr), make([]float32, k*nr)
			packTransposed16(got, src, ld, k)
			packTransposed16Go(want, src, ld, k, 0)
			if !slices.Equal(got, want) {
				t.Fatalf("AVX-512 %v, k=%d ld=%d: packed panels differ", wide, k, ld)
			}
		}
	}
}

// TestFewRowsPackALargeB checks the products of a few rows
// (minFewPackedRows or more, fewer than minPackedRows) whose B, as it
// lies, spans minPackedSpan floats or more and whose A is not transposed:
// they pack B (a batch of 32 through a 1024-unit layer's input gradient),
// get the reference's values and the bits of their rows computed a few at
// a time (which read B in place) on one thread, and the same bits on two
// (shared with the helper), for a ragged last panel and a B whose rows
// are wider than N. Fewer rows, a smaller B, or A transposed (a weight
// gradient of few units) read B in place.
func TestFewRowsPackALargeB(t *testing.T) {
	posted := splitting(t)
	rng := rand.New(rand.NewPCG(6, 6))
	const k = 1100
	for _, c := range []struct {
		m, n, ldb int
		transA    bool
		packs     bool
	}{
		{32, 500, 500, false, true},
		{minFewPackedRows, 100, 480, false, true},
		{minPackedRows - 1, 70, 490, false, true},
		{minFewPackedRows - 1, 500, 500, false, false},
		{32, 400, 400, false, false}, // 440,000 floats: less than minPackedSpan
		{32, 500, 500, true, false},
	} {
		o := randomOp(rng, c.m, c.n, k, c.transA, false, false)
		o.LDB, o.B = c.ldb, randSlice(rng, k*c.ldb)
		name := fmt.Sprintf("%d rows, B %d×%d, A transposed %v", c.m, k, c.ldb, c.transA)
		if got := packsB(&o, c.m); got != c.packs {
			t.Errorf("%s: packs B %v, want %v", name, got, c.packs)
		}
		SetThreads(1)
		alone := o
		alone.C = slices.Clone(o.C)
		Gemm(alone)
		agree(t, name, alone.C, refGemm(o), k)
		if !c.transA { // the same bits as rows a few at a time, which read B in place (gemmRows)
			for i := 0; i < c.m; i += maxRowProduct {
				rows := o
				rows.M, rows.A, rows.C = min(maxRowProduct, c.m-i), o.A[i*o.LDA:], slices.Clone(o.C[i*o.LDC:])
				Gemm(rows)
				if !sameBits(rows.C[:rows.M*o.LDC], alone.C[i*o.LDC:(i+rows.M)*o.LDC]) {
					t.Fatalf("%s: rows %d… differ from the same rows read in place", name, i)
				}
			}
		}
		SetThreads(2)
		before := posted()
		shared := o
		shared.C = slices.Clone(o.C)
		Gemm(shared)
		if posted() == before {
			t.Errorf("%s: not shared with the helper", name)
		}
		if !sameBits(shared.C, alone.C) {
			t.Errorf("%s: two threads' bits differ from one's", name)
		}
	}
}

// TestRowsMatchTiles holds the one-row path (gemmRows, up to
// maxRowProduct rows) to the tiles, bit for bit, for every kernel this CPU
// runs: a row computed alone equals the same row computed among 40 (B
// read in place) or 70 (B packed: minPackedRows), for odd widths, several
// kc blocks and a B whose rows are wider than N.
func TestRowsMatchTiles(t *testing.T) {
	saved := kernel
	defer func() { kernel = saved }()
	rng := rand.New(rand.NewPCG(5, 5))
	for _, kernel = range kernels() {
		for _, n := range []int{1, 15, 16, 17, 64, 129, 300} {
			for _, k := range []int{1, 7, 256, 257, 600} {
				many := 40 + 30*(k%2)
				ldb := n + 5
				b := randSlice(rng, (k-1)*ldb+n)
				all := Op{M: many, N: n, K: k, A: randSlice(rng, many*k), LDA: k, B: b, LDB: ldb, C: randSlice(rng, many*n), LDC: n, Accumulate: true}
				start := slices.Clone(all.C)
				defaultPool.local(&all, 0, many, 0, n) // the tiles
				for m := 1; m <= maxRowProduct; m++ {
					first := rng.IntN(many - m + 1)
					few := Op{M: m, N: n, K: k, A: all.A[first*k:], LDA: k, B: b, LDB: ldb,
						C: slices.Clone(start[first*n : (first+m)*n]), LDC: n, Accumulate: true}
					Gemm(few) // m <= maxRowProduct and B in place: gemmRows
					if !slices.Equal(few.C, all.C[first*n:(first+m)*n]) {
						t.Fatalf("%s: %d rows of n=%d k=%d alone differ from the same rows among %d", kernel.name, m, n, k, many)
					}
				}
			}
		}
	}
}

// TestPairsMatchOnePanelAtATime holds the macro-kernel with each kernel's
// pair form (two B panels a call) to the same kernel without it, bit for
// bit: every count of rows a block can end with (each a pair form of its
// own), ragged last panels, B packed, read in place and packed weights,
// A read in place (pairRows and panelRows, where the kernel has them),
// storing with and without a bias, and accumulating.
func TestPairsMatchOnePanelAtATime(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	for _, mk := range kernels() {
		if mk.pair == nil {
			continue
		}
		single := mk // one packed panel at a time
		single.pair, single.pairRows, single.panelRows = nil, nil, nil
		type shape struct{ mcur, ncur, kcur int }
		// 48 columns: a whole panel after the pair; then a block ending in
		// each count of rows.
		shapes := []shape{{mk.mc, 96, 256}, {37, 70, 7}, {mk.mc - 1, 64, 100}, {25, 48, 33}}
		for h := 1; h <= mk.rows; h++ {
			shapes = append(shapes, shape{mk.rows + h, 2*nr + 7*(h%3), h})
		}
		for _, c := range shapes {
			for _, bway := range []string{"in place", "packed", "packed weights"} {
				for _, way := range []string{"store", "store with a bias", "accumulate"} {
					ldb := c.ncur + 3
					o := Op{M: c.mcur, N: c.ncur, K: c.kcur, B: randSlice(rng, c.kcur*ldb), LDB: ldb, LDC: c.ncur + 1}
					if way == "store with a bias" {
						o.Bias = randSlice(rng, c.ncur)
					}
					// A's rows with NaNs between them: a form that reads A in
					// place (pairRows, packed weights) past its k columns shows.
					o.A, o.LDA = randSlice(rng, c.mcur*(c.kcur+5)), c.kcur+5
					for i := range c.mcur {
						for j := c.kcur; j < o.LDA; j++ {
							o.A[i*o.LDA+j] = float32(math.NaN())
						}
					}
					pa := make([]float32, maxMC*kc)
					packABlock(pa, &o, &mk, 0, c.mcur, 0, c.kcur)
					var pb []float32
					switch bway {
					case "packed":
						pb = make([]float32, kc*nc)
						packBBlock(pb, &o, 0, c.kcur, 0, c.ncur)
					case "packed weights":
						o.BPacked = PackWeights(randSlice(rng, c.ncur*c.kcur), c.ncur, c.kcur)
					}
					start := randSlice(rng, (c.mcur+mk.rows)*o.LDC) // rows past C: a tile written too far shows there
					got, want := o, o
					got.C, want.C = slices.Clone(start), slices.Clone(start)
					store := way != "accumulate"
					gotA := pa // the kernel's forms that read A in place, where it has them
					if readsAInPlace(&got, &mk) {
						gotA = nil
					}
					newScratch().macroKernel(&got, &mk, 0, c.mcur, 0, 0, c.ncur, c.kcur, gotA, pb, store)
					newScratch().macroKernel(&want, &single, 0, c.mcur, 0, 0, c.ncur, c.kcur, pa, pb, store)
					if !sameBits(got.C, want.C) {
						t.Errorf("%s, %d×%d×%d, B %s, %s: pairs and single panels differ", mk.name, c.mcur, c.ncur, c.kcur, bway, way)
					}
				}
			}
		}
	}
}

// TestPackAPanelsMatchDefinition holds the A packings of the 12-row and
// 6-row kernels, in assembly (where this CPU runs it) and in Go, to their
// definitions for every count of rows and remainders of 16 and 8 columns,
// over a panel full of NaNs (every float must be written: rows past h are
// zero). The purego build runs the Go forms alone.
func TestPackAPanelsMatchDefinition(t *testing.T) {
	defer func(saved bool) { HasAVX512 = saved }(HasAVX512)
	rng := rand.New(rand.NewPCG(9, 9))
	for _, wide := range []bool{false, HasAVX512} {
		HasAVX512 = wide
		for _, k := range []int{1, 5, 7, 8, 9, 15, 16, 17, 40, 256} {
			for _, p := range []struct {
				name string
				mr   int
				pack func(panel, src []float32, ld, k, h int)
				rows bool // src[p·ld+i] (A transposed), else src[i·ld+p]
			}{
				{"packTransposed12", 12, packTransposed12, false},
				{"packRows12", 12, packRows12, true},
				{"packTransposed6", 6, packTransposed6, false},
				{"packRows6", 6, packRows6, true},
			} {
				for h := 1; h <= p.mr; h++ {
					ld := k + h + 3
					src := randSlice(rng, max(p.mr, k)*ld+k)
					got := make([]float32, k*p.mr)
					for i := range got {
						got[i] = float32(math.NaN())
					}
					p.pack(got, src, ld, k, h)
					for q := range k {
						for i := range p.mr {
							want := float32(0)
							switch {
							case i < h && p.rows:
								want = src[q*ld+i]
							case i < h:
								want = src[i*ld+q]
							}
							if v := got[q*p.mr+i]; math.Float32bits(v) != math.Float32bits(want) {
								t.Fatalf("%s, AVX-512 %v, h=%d k=%d: panel[%d·%d+%d] = %v, want %v", p.name, wide, h, k, q, p.mr, i, v, want)
							}
						}
					}
				}
			}
		}
	}
}

// TestPackRowPanelsMatchesPanelByPanel holds the packing of whole panels a
// row at a time, in assembly and in Go, to packRows a panel at a time.
func TestPackRowPanelsMatchesPanelByPanel(t *testing.T) {
	defer func(saved bool) { HasAVX512 = saved }(HasAVX512)
	rng := rand.New(rand.NewPCG(10, 10))
	for _, wide := range []bool{false, HasAVX512} {
		HasAVX512 = wide
		for _, c := range []struct{ k, panels int }{{1, 1}, {3, 2}, {17, 5}, {256, 12}, {5, 17}} {
			ld := c.panels*nr + 7
			src := randSlice(rng, (c.k-1)*ld+c.panels*nr)
			got, want := randSlice(rng, c.panels*c.k*nr), make([]float32, c.panels*c.k*nr)
			packRowPanels(got, src, ld, c.k, c.panels)
			for q := range c.panels {
				for p := range c.k {
					copy(want[(q*c.k+p)*nr:][:nr], src[p*ld+q*nr:])
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("AVX-512 %v, k=%d, %d panels: packed panels differ", wide, c.k, c.panels)
			}
		}
	}
}
