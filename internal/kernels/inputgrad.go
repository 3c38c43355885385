package kernels

// InputGrad computes a Dense layer's input gradient, dX = dY·W, and keeps
// what it needs from call to call, so a call allocates nothing once its
// buffer has grown. Its zero value is ready to use; one InputGrad serves
// one goroutine at a time.
//
// For a layer of 64 to 4096 units at a batch of 64 or fewer, or of 1024
// to 2048 units at a batch of 128 or fewer (splitsUnits),
// the sum over the n units goes in two halves, h = ⌊n/2⌋ units and the
// rest: dX = dY[:, :h]·W[:h] + dY[:, h:]·W[h:], each half summed as Gemm
// sums it, the second into a buffer of the InputGrad's, and the two then
// added. The halves run side by side on the caller and the helper, or one
// after the other, with the same bits either way, so the bits do not
// depend on the threads; they are not MatMul's, which sums all n units in
// one.
//
// Why: a training step then steps W's rows (the units) on the thread that
// read them here, as its forward pass and the step's bands of rows do.
// Split the usual way, by columns of dX, each thread read half of every
// row of W, and the step of a 256-unit layer at batch 32 then waited for
// lines held in the other core's cache: 54 µs against 20 µs (Intel Xeon,
// two threads). Alternated runs of perf.Scaling (two hidden layers, two
// threads, Intel Xeon):
//
//	units  batch 32  batch 64  batch 128
//	128    1.12×     1.05×
//	256    1.16×     1.06×     level
//	512    1.21×     1.02×     0.98×
//	1024   level               0.94×
//
// On one thread the halves cost 1–1.5% (256 units, batch 32). At batch 128
// the second half's sum grew as large as the lines it saved.
//
// Layers of 513 to 4096 units split too since 2026-12-02. On a 2-vCPU Zen
// 5 EPYC, where a line read by the other core comes at 25–35 GB/s (its
// vCPUs about 1 µs apart in the benchmark runs around these), two hidden
// layers at batch 32 trained faster on two threads, medians of alternated
// pairs: 600 units 1.13× (four pairs), 768 units 1.41× (four), 1024 units
// 1.13× (eleven), 2048 1.14× and 4096 1.08× (eight each); at batch 64,
// 1.03× and 1.07× at 1024 and 2048 (three). At batch 128 they were level
// to 2048 units and 0.94× at 4096, so batch 128 stayed out (until the
// thirty-second session: below). On one thread
// 2048 units at batch 32 lost 4% (six pairs), 1024 units none.
//
// Layers of 1024 to 2048 units split at batches of up to 128 too since
// the thirty-second session, measured on the Zen 5 alone (the Intel
// Xeon's 0.94× at 1024 units and batch 128, above, came before halves in
// bands and the stepping tiles' fetches for writing, and is not measured
// again). On the Zen 5, its vCPUs 460–520 ns apart
// by a two-goroutine ping-pong, two hidden layers at batch 128 trained
// faster on two threads, medians of alternated epochs (19, 14 or 7 pairs
// a run, an in-process scratch test of train's Epoch): 1024 units 1.047,
// 1.072, 1.047, 1.041 and 1.039; 2048 units 1.042, 1.025 and 1.038. On one
// thread, 1024 units 1.000, 0.989 and 1.002, 2048 units 1.005. One run
// each at other widths: 512 units 1.012, 1536 1.015 (inside the range,
// taken in with it), 3072 1.006, 4096 0.968; at batch 512, 1024 units
// 1.005 and 0.995: level. (Split by columns of dX, the thread that steps
// a row of W had read only half of it, the other half coming from the
// other core's cache as the step claims it.) At batch 128 a half with
// fewer than 256 inputs goes by rows of dX, not in bands of columns
// (splitsByRows); the bits are a half's either way.
//
// Where a thread takes a half for itself (side by side, or the trial
// keeping the caller alone: runWith), it computes it as a thread alone
// computes a product (gemmAlone): with the AVX-512 kernel in bands of
// columns, the helper's from the last band to the first, rather than a
// block at a time as until the twenty-fifth session. On the Zen 5, two
// threads, medians of alternated pairs (scratch runs of perf's
// trainingSpeed), two hidden layers at batch 32: 1024 units 1.04× (seven
// pairs), 2048 1.06× (seven), 3072 1.02× (four), 512 level (four), 4096
// 0.97× (fourteen, 0.84–1.07×: within the noise of its runs, and on one
// thread bands beat blocks there by 1.05–1.16×); at batch 64, 1024 units
// 1.04× and 4096 1.03× (four each).
type InputGrad struct {
	part []float32 // the second half's sum, [m, k]
	task inputGradHalves
}

// MatMul sets dX = dY·w.
//
//	dY: [m, n], w: [n, k], dX: [m, k]
func (g *InputGrad) MatMul(dX, dY, w []float32, m, n, k int) {
	if !splitsUnits(m, n, k) {
		MatMul(dX, dY, w, m, n, k)
		return
	}
	_, _, _ = dX[m*k-1], dY[m*n-1], w[n*k-1] // short arrays panic here, on the caller, not on the helper
	g.part = grow(g.part, m*k)
	t := &g.task
	*t = inputGradHalves{dX: dX, dY: dY, w: w, part: g.part, m: m, n: n, k: k, h: n / 2}
	switch parallel(2, t, float64(m)*float64(n)*float64(k)) {
	case sharedDone:
	case aloneChosen: // counted in the trial already: not through Gemm's sharing again
		s := defaultPool.getScratch()
		t.runWith(0, s)
		t.runWith(1, s)
		defaultPool.putScratch(s)
	default:
		t.Run(0)
		t.Run(1)
	}
	Axpy(dX[:m*k], g.part, 1) // dX + 1·part: the sum of the halves, rounded once, on any path
	*t = inputGradHalves{}    // keep no caller's arrays alive
}

// splitsUnits reports whether InputGrad sums over a layer's n units in two
// halves: a layer of 64 to maxSplitUnits units, whose weights and
// momentum buffers then stay with the core that steps them (in its
// caches, where they fit), at a batch m of 64 or fewer, where the second
// half's sum (m·k floats) is small beside the weights (n·k) it keeps on
// one core; and a layer of minWideSplit to maxWideSplit units at a batch
// of up to maxWideBatch (see InputGrad). It depends on the shape alone,
// never on the threads, so the bits do not either.
func splitsUnits(m, n, k int) bool {
	if m <= 0 || k <= 0 {
		return false
	}
	return (n >= 64 && n <= maxSplitUnits && m <= 64) || (n >= minWideSplit && n <= maxWideSplit && m <= maxWideBatch)
}

// maxSplitUnits is the widest layer whose input gradient goes in halves:
// the widest measured (see InputGrad).
const maxSplitUnits = 4096

// minWideSplit to maxWideSplit units at batches of up to maxWideBatch
// also go in halves: measured faster at 1024 and 2048 units and batch 128
// on the Zen 5, the widths between taken in (see InputGrad). The second
// half's sum is then at most an eighth of the weights it keeps on one
// core.
const (
	minWideSplit = 1024
	maxWideSplit = 2048
	maxWideBatch = 128
)

// inputGradHalves is one InputGrad.MatMul call's halves: half 0 sums over
// the units [0, h) into dX, half 1 over [h, n) into part.
type inputGradHalves struct {
	dX, dY, w, part []float32
	m, n, k, h      int
}

// half returns the product of half i.
func (t *inputGradHalves) half(i int) Op {
	if i == 0 {
		return inputGradOp(t.dX, t.dY, t.w, t.m, t.h, t.k, t.n)
	}
	return inputGradOp(t.part, t.dY[t.h:], t.w[t.h*t.k:], t.m, t.n-t.h, t.k, t.n)
}

// Run computes half i through Gemm, which may share it.
func (t *inputGradHalves) Run(i int) { Gemm(t.half(i)) }

// runWith computes half i on this thread with s where it goes in tiles,
// as Gemm computes it alone (gemmAlone: in bands of columns, or a block
// at a time), so with the same bits.
func (t *inputGradHalves) runWith(i int, s *scratch) {
	o := t.half(i)
	if isNarrow(&o) || smallProduct(&o) != inTiles {
		Gemm(o)
		return
	}
	s.product(&o)
}
