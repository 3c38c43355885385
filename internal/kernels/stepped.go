package kernels

import "sync/atomic"

// A weight gradient that only a momentum step reads (Op.Step). Computed
// into the gradient's array and then stepped, it is written to memory by
// the product (a line read for ownership and one written back) and read
// back by the update, on top of the weights and buffers the update
// streams: in a 2048-unit network at batch 128, 28 bytes a weight where
// the step itself needs 16. Here each band of the gradient's rows is
// computed into a buffer of the thread's own, which stays in its cache,
// and the rows of the weights and buffers are stepped with it at once;
// the gradient's array is not written. Where the kernel has a stepping
// form (AVX-512: microKernel.pairStep), a full band's tiles step straight
// from their sums in the last k block, each fetching the next tile's
// weights and buffers while it multiplies, so that the step's traffic
// overlaps the products' arithmetic rather than following it.
// Alternated runs against stepping each band after it (Intel Xeon, 2
// threads, medians of 6): MNIST's step (784-256-256-10, batch 128) 1.03×;
// two hidden layers of 256 units at batch 32 1.05×, at 512 1.03×; 1024 at
// 32 1.07×, at 128 1.03×, at 512 1.02×; 2048 at 128 1.06×; 4096 at 128
// 1.04×; 2048 and 4096 at 512 0.98×, but level against a build whose
// tiles stepped only products of one k block (which lost 5% at 256 units
// and batch 512). The tiles, their panels and their order of k blocks are
// those of any other way the product goes, and the step is
// MomentumStep's, so the weights and buffers get the same bits.

// MatMulTransAStep steps u with dW = dYᵀ·x, u's W and Buf laid out as
// dW, whose array may or may not hold dW afterwards (see Op.Step): a
// Dense layer's weight gradient and its momentum step.
//
//	dY: [m, n], x: [m, k], dW, u.W, u.Buf: [n, k]
func MatMulTransAStep(dW, dY, x []float32, m, n, k int, u *MomentumUpdate) {
	Gemm(Op{M: n, N: k, K: m, A: dY, LDA: n, TransA: true, B: x, LDB: k, C: dW, LDC: k, Step: u})
}

// MomentumUpdate is a momentum step with a gradient that Gemm computes
// (Op.Step): MomentumStep(W, Buf, gradient, LR, Mu), or NesterovStep
// with Nesterov.
type MomentumUpdate struct {
	W, Buf   []float32
	LR, Mu   float32
	Nesterov bool
}

// gemmStep computes o, whose Step is set: in bands of rows, each stepped
// as it completes and C left as it was, where o can go in them (see
// stepsInBands) and they run as gemm would run the product: shared with
// the helper, or alone where gemm computes it alone (one thread, too
// little work, the trial's choice, a narrow layer's single band:
// narrowAlone); else the product into C (the pool's
// two workers, bands of columns for a single panel of rows) and then the
// step.
func gemmStep(o *Op) {
	u := o.Step
	o.Step = nil
	if sp, ok := stepsInBands(o, u); ok {
		o.Step = u
		alone := Threads() == 1 || o.M*o.N*o.K < minHelperWork || sp.bands == 1 && narrowAlone(o.M, o.M*o.N*o.K)
		if !alone && sp.bands >= 2 && defaultHelper.awake.Load() > 0 {
			switch defaultHelper.shareProduct(o, sp) {
			case sharedDone:
				return
			case aloneChosen:
				alone = true
			}
		}
		if alone {
			sp.runAlone(o)
			return
		}
		o.Step = nil
	}
	gemm(*o)
	if o.LDC == o.N {
		n := o.M * o.N
		momentumStep(u.W[:n], u.Buf[:n], o.C[:n], u.LR, u.Mu, u.Nesterov)
		return
	}
	for i := range o.M {
		row := i * o.LDC
		momentumStep(u.W[row:row+o.N], u.Buf[row:row+o.N], o.C[row:row+o.N], u.LR, u.Mu, u.Nesterov)
	}
}

// stepsInBands reports whether o with Step u goes in bands of rows that
// each step their rows (stepBand), and lays them out: a product in tiles
// that sets C (no Accumulate, Bias or ReLU), whose rows lie one after
// another, as u's arrays do, and whose shared operand, if packed, fits a
// thread's packing (stepPackLimit); not one the worker pool would share
// among more than two threads (gemm), which bands would leave to two.
func stepsInBands(o *Op, u *MomentumUpdate) (sharedProduct, bool) {
	n := o.M * o.N
	if o.Accumulate || o.Bias != nil || o.ReLU || o.LDC != o.N || o.K == 0 || smallProduct(o) != inTiles ||
		len(u.W) < n || len(u.Buf) < n || o.BPacked != nil || defaultPool.split(o) > 2 {
		return sharedProduct{}, false
	}
	sp := bandsOf(o, true)
	return sp, sp.bands <= maxChunks && (!sp.pack || sp.stride*o.K <= stepPackLimit(o.K))
}

// stepPackLimit is the most floats of the shared operand that a stepped
// product of k steps packs once a thread and goes in bands of rows with:
// maxStepPack, but maxSharedPack for a product of more than one k block
// where blocksInBands is false. On an Intel Xeon (2 MB of L2 a core;
// sixty-second session, two threads, medians of alternated trainings of
// two hidden layers, one epoch each, two at 256 units) bands stepped with
// a packing of 1 to 4 MB over more than one k block lost at batch 512:
// storing and then stepping was 1.03× as fast at 1024 units (four
// pairs), 1.04× at 2048 (four), 1.03× at 4096 (three: more than the one
// product changed there, the first layer's, would explain), and 256
// units at batch 512 (784 inputs, a 1.6 MB packing) 1.05× (six); in a
// single k block the bands kept their lead (4096 units at batch 128, a 2
// MB packing: bands 1.06× as fast, four pairs). Why several blocks lose
// is not established: a band reads the packing once either way, and with
// several it also keeps its rows' partial sums in the thread's buffer
// between blocks. On a Zen 5 (sixty-third session, the same trainings)
// storing and then stepping was 1.03× as fast at 256 units (sixteen
// pairs) and level at 1024 (0.997, eight), 2048 (1.014, six) and 4096
// (1.002, four), so every amd64 core stores and steps (a Zen 4 not
// measured). The plain-Go kernels, which have no stepping tiles, keep
// the bands (kernel_generic.go; not measured).
func stepPackLimit(k int) int {
	if k > kc && !blocksInBands {
		return maxSharedPack
	}
	return maxStepPack
}

// maxStepPack is the most floats of the shared operand a stepped product
// packs once a thread and goes in bands of rows with, 4 MB: four times as
// much as other products (maxSharedPack), because each band that streams
// it from L3 saves its rows' round trip through memory. Alternated runs
// against maxSharedPack (Intel Xeon): 4096 units at batch 128 (a 2 MB
// batch) 1.07×, 1024 at 512 1.02×, 2048 and 4096 at 512 level; 8 MB
// added nothing (the seventh session; for more than one k block see
// stepPackLimit).
const maxStepPack = 4 * maxSharedPack

// stepBand computes band b of o's rows (mr of them, fewer for the last)
// into the thread's buffer s.stepped, as band computes it into C, and
// then steps the same rows of o.Step's weights and buffers with it; or,
// where its tiles step from their sums (stepsTiles), hands it to
// stepTiles.
func (sp *sharedProduct) stepBand(o *Op, b int, s *scratch) {
	mk := kernel
	i0 := b * mk.rows
	h := min(mk.rows, o.M-i0)
	s.stepped = grow(s.stepped, mk.rows*o.N) // a full band's, whichever band comes first
	rows := *o                               // the band's rows alone, into the buffer
	rows.M, rows.C, rows.Step = h, s.stepped[:h*o.N], nil
	if o.TransA { // op(A)[i][p] = A[p·LDA + i]
		rows.A = o.A[i0:]
	} else {
		rows.A = o.A[i0*o.LDA:]
	}
	var packed []float32 // the shared operand, B, where packed
	if sp.pack {
		packed = s.ownPacking(o, sp)
	}
	switch {
	case sp.stepsTiles(&rows, h):
		sp.stepTiles(o, &rows, i0, packed, s)
		return
	case !sp.pack:
		s.gemmBlock(&rows, 0, h, 0, o.N)
	default:
		for pc := 0; pc < o.K; pc += kc {
			kcur := min(kc, o.K-pc)
			packABlock(s.packA, &rows, &mk, 0, h, pc, kcur)
			s.macroKernel(&rows, &mk, 0, h, pc, 0, o.N, kcur, s.packA, packed[pc*sp.stride:], pc == 0)
		}
	}
	u := o.Step
	w := u.W[i0*o.N : (i0+h)*o.N]
	momentumRange(w, u.Buf[i0*o.N:(i0+h)*o.N], rows.C, u.LR, u.Mu, u.Nesterov)
}

// stepsTiles reports whether a band of h rows (rows: the band's product)
// steps from its tiles' sums (stepTiles): where the kernel has pairStep,
// the band has all its rows, and B's panels are in the shared packing or
// read in place (not transposed: bandsOf packs a transposed B).
func (sp *sharedProduct) stepsTiles(rows *Op, h int) bool {
	return kernel.pairStep != nil && h == kernel.rows && (sp.pack || !packsB(rows, h))
}

// stepTiles computes the band of rows at row i0 of o and steps it, B's
// panels in the shared packing (each k block's side by side, sp.stride
// floats a step of k) or, where packed is nil, in B: the k blocks before
// the last into the thread's buffer, as stepBand computes them, then the
// last one's full pairs of panels, each added to them and stepped from
// its sums (microKernel.pairStep), fetching the next pair's weights and
// buffers as it goes; the columns past the last full pair into the buffer
// and then through momentumRange.
func (sp *sharedProduct) stepTiles(o, rows *Op, i0 int, packed []float32, s *scratch) {
	mk, u := kernel, o.Step
	block := func(pc int) []float32 { // the packing's k block at pc
		if packed == nil {
			return nil
		}
		return packed[pc*sp.stride:]
	}
	ldb := nr // between rows of B's panels
	if packed == nil {
		ldb = o.LDB
	}
	panel := func(pc, kcur, j int) []float32 { // B's panel of columns [j, j+nr) at pc
		if packed == nil {
			return o.B[pc*o.LDB+j:]
		}
		return block(pc)[j*kcur:]
	}
	last := (o.K - 1) / kc * kc // the last k block's first step
	for pc := 0; pc < last; pc += kc {
		packABlock(s.packA, rows, &mk, 0, mk.rows, pc, kc)
		s.macroKernel(rows, &mk, 0, mk.rows, pc, 0, o.N, kc, s.packA, block(pc), pc == 0)
	}
	kcur := o.K - last
	packABlock(s.packA, rows, &mk, 0, mk.rows, last, kcur)
	w, buf := u.W[i0*o.N:(i0+mk.rows)*o.N], u.Buf[i0*o.N:(i0+mk.rows)*o.N]
	floor := momentumFloor(u.LR, u.Mu)
	full := o.N / (2 * nr) * (2 * nr)
	for j := 0; j < full; j += 2 * nr {
		var sums []float32 // the earlier blocks' sums, if any
		if last > 0 {
			sums = rows.C[j:]
		}
		next := min(j+2*nr, full-2*nr) // the last pair fetches its own lines again: harmless
		mk.pairStep(kcur, s.packA, panel(last, kcur, j), panel(last, kcur, j+nr), ldb, sums, o.N, w[j:], buf[j:], o.N, w[next:], buf[next:], u, floor)
	}
	if full == o.N {
		return
	}
	var pb []float32 // the rest's panels, where packed
	if packed != nil {
		pb = panel(last, kcur, full)
	}
	s.macroKernel(rows, &mk, 0, mk.rows, last, full, o.N-full, kcur, s.packA, pb, last == 0)
	for i := range mk.rows {
		row := i * o.N
		momentumRange(w[row+full:row+o.N], buf[row+full:row+o.N], rows.C[row+full:row+o.N], u.LR, u.Mu, u.Nesterov)
	}
}

// productIDs numbers the products that threads pack a shared operand for
// (scratch.packedFor): each gets a number of its own.
var productIDs atomic.Uint64

func nextProductID() uint64 { return productIDs.Add(1) }
