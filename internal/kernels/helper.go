package kernels

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wigglenn/wiggle/internal/clock"
)

// helper is a second thread for work too short to wait for a parked
// worker: single-sample inference (microseconds), the products and
// optimizer updates of a training step (a fraction of a millisecond each),
// and the halves of a caller's own work (Parallel).
// The caller posts a loop of independent chunks and takes them from the
// front; the helper, if it is awake, takes them from the back. The caller
// never waits for the helper to wake up: if the helper is parked, the caller
// does every chunk itself and wakes it for next time.
//
// The helper takes part only while some caller keeps it awake
// (KeepHelperAwake: a training loop, a benchmark); then, after a loop, it
// polls for helperSpin before it parks. Otherwise it stays parked, costing
// nothing, and every product runs on its calling goroutine.
//
// A product goes in bands a panel or two wide, taken from the two ends, each
// thread reading its own packing of the operand every band reads
// (shared.go): its bands of units stay about where they were, so each
// core keeps about the same part of the weights in its cache step after
// step. A momentum update goes in updateChunks chunks the same way.
// (Parallel tasks, the other optimizers' steps among them, split in fixed
// halves.)
//
// Between loops, the helper computes the chunks of work a caller posted
// for its idle moments (Background, background.go), going back to the
// loops as soon as one is posted.
//
// Each chunk is computed the same way whichever thread takes it, so results
// do not depend on the split.
type helper struct {
	mu sync.Mutex // held by the one caller using the helper
	l  loop       // what the posted loop computes, reused

	_     [64]byte      // state and done each on a cache line of their own:
	state atomic.Uint64 // the posted loop (see stateWord); the helper polls it
	_     [64]byte      // the two threads pass them back and forth
	done  atomic.Int64  // chunks of the posted loop finished
	_     [64]byte

	parked atomic.Bool
	awake  atomic.Int32 // callers keeping the helper awake (KeepHelperAwake)
	wake   chan struct{}
	once   sync.Once
	s      *scratch // the helper's packing buffers
	cs     *scratch // the caller's, for its part of a loop; only the holder of mu uses it

	// Whether splits pay at all (see alone); only the holder of mu touches it.
	trial trial
	// releasedAt is when the last hold on the helper was let go (as time
	// since clockBase, plus one; 0: not since the trial last heard), for
	// the next loop that consults the trial to leave out (trial.paused).
	// Atomic: the release may come while another goroutine holds mu.
	releasedAt atomic.Int64
	// splitting mirrors the trial's last choice, true when it was to
	// split, for splitsNow to read without mu.
	splitting atomic.Bool

	// A product in bands (shareBands); only the holder of mu touches it.
	product sharedProduct

	handoff handoff // how far apart the two threads' cores are

	bg atomic.Pointer[Background] // a task posted for the helper (background.go), nil for none
}

// The state word: a generation counting posted loops, the loop's number of
// chunks, and how many chunks have been taken from the front and from the
// back, 16 bits each. A chunk is taken by swapping in a word with one more
// taken, so a thread holding an old generation can take nothing of a new
// loop, and one whose take succeeded reads h.l knowing the caller will not
// change it until that chunk is done.
func stateWord(gen, n, front, back uint64) uint64 { return gen<<48 | n<<32 | front<<16 | back }

func splitState(s uint64) (gen uint64, n, front, back int) {
	return s >> 48, int(s >> 32 & 0xffff), int(s >> 16 & 0xffff), int(s & 0xffff)
}

// loop is what a posted loop computes: chunk i of n of a caller's task, of
// a product in bands, of a single-row product or of a momentum update. Its
// fields are kept here, not in a closure, so posting a loop allocates
// nothing and callers' Ops stay on their stacks.
type loop struct {
	task Task // a caller's own chunks (Parallel), else a product or an update

	op     Op
	shared *sharedProduct // a product in bands (shareBands), else nil

	width        int // columns of C (elements of an update) per chunk
	update       bool
	w, buf, grad []float32
	lr, mu       float32
	nesterov     bool

	postedAt int64 // when the loop was posted (handoff.stamp), 0 if not timed
}

// body computes one chunk.
func (l *loop) body(chunk int, s *scratch) {
	if l.task != nil {
		if st, ok := l.task.(scratchTask); ok {
			st.runWith(chunk, s)
			return
		}
		l.task.Run(chunk)
		return
	}
	o := &l.op
	if sp := l.shared; sp != nil {
		sp.band(o, chunk, s)
		return
	}
	if l.update {
		lo, hi := chunk*l.width, min(len(l.w), (chunk+1)*l.width)
		momentumRange(l.w[lo:hi], l.buf[lo:hi], l.grad[lo:hi], l.lr, l.mu, l.nesterov)
		return
	}
	j0, j1 := chunk*l.width, min(o.N, (chunk+1)*l.width)
	if o.BPacked != nil {
		gemmRowsPackedCols(o, j0, j1)
		return
	}
	gemvCols(o, j0, j1)
}

// helperSpin is how long the helper polls for the next loop before it
// parks: longer than the gaps between the products of a training step, and
// between back-to-back inference calls.
const helperSpin = 200 * time.Microsecond

var defaultHelper = &helper{wake: make(chan struct{}, 1)}

// take claims the next chunk of loop gen from the front or the back, or
// returns false when none is left or the loop is no longer gen.
func (h *helper) take(gen uint64, back bool) (int, bool) {
	for {
		s := h.state.Load()
		g, n, front, fromBack := splitState(s)
		if g != gen || front+fromBack >= n {
			return 0, false
		}
		next, chunk := s+1<<16, front
		if back {
			next, chunk = s+1, n-1-fromBack
		}
		if h.state.CompareAndSwap(s, next) {
			return chunk, true
		}
	}
}

// work computes chunks of loop gen from one end until none is left.
// The helper (back) times its first take, and records it once the loop
// is done (handoff).
func (h *helper) work(gen uint64, back bool, s *scratch) {
	var delay int64
	for first := back; ; first = false {
		chunk, ok := h.take(gen, back)
		if !ok {
			break
		}
		if first {
			delay = took(h.l.postedAt)
		}
		h.l.body(chunk, s)
		h.done.Add(1)
	}
	if back {
		h.handoff.record(delay)
	}
}

// shareColumns computes o, a product of a few rows (gemvRows, or
// gemmRowsPacked through a served model's packed weights), on the calling
// goroutine and the helper in chunks of width columns of C taken from the
// two ends: each thread reads its part of B, which stays in its core's
// cache from call to call. It returns false, having done nothing, on one
// thread, when the helper is parked or another goroutine has it (the
// caller then computes o alone rather than wait), and when width makes
// fewer than two chunks or more than a loop may have.
func (h *helper) shareColumns(o *Op, width int) bool {
	chunks := (o.N + width - 1) / width
	if chunks < 2 || chunks > maxChunks || Threads() < 2 || h.awake.Load() == 0 || !h.mu.TryLock() {
		return false
	}
	defer h.mu.Unlock()
	l := &h.l
	l.task, l.update, l.op, l.width, l.shared = nil, false, *o, width, nil
	h.run(chunks)
	return true
}

// sharing is how a product offered to the helper went.
type sharing int

const (
	notShared   sharing = iota // the helper is parked or another goroutine has it: do without it
	sharedDone                 // computed with the helper
	aloneChosen                // the trial has the caller compute it alone (the second core is busy, or in its alone window)
)

// shareProduct computes o on the calling goroutine and the helper in bands
// laid out as sp (bandsFor, shared.go). It does nothing, and says why,
// when another goroutine has the helper or when the trial finds the
// caller alone faster (see trial).
func (h *helper) shareProduct(o *Op, sp sharedProduct) sharing {
	if h.awake.Load() == 0 || !h.mu.TryLock() {
		return notShared
	}
	defer h.mu.Unlock()
	if h.alone(float64(o.M) * float64(o.N) * float64(o.K)) {
		return aloneChosen
	}
	h.shareBands(o, sp)
	return sharedDone
}

// updateChunks is how many chunks a momentum update goes in, taken from
// the two ends: the two threads finish within a chunk of each other. (Two
// parts balanced by how often the caller waited made MNIST steps slower:
// 73-108k samples/s against 74-114k, 8 alternations.)
const updateChunks = 16

// shareUpdate runs a momentum (or Nesterov) update in updateChunks chunks
// of whole vectors, or returns false, having done nothing, where
// shareProduct would not share.
func (h *helper) shareUpdate(w, buf, grad []float32, lr, mu float32, nesterov bool) bool {
	if h.awake.Load() == 0 || !h.mu.TryLock() {
		return false
	}
	defer h.mu.Unlock()
	if h.alone(updateWork * float64(len(w))) {
		return false
	}
	l := &h.l
	l.task, l.update, l.shared = nil, true, nil
	l.w, l.buf, l.grad, l.lr, l.mu, l.nesterov = w, buf, grad, lr, mu, nesterov
	l.width = (len(w) + updateChunks*nr - 1) / (updateChunks * nr) * nr
	h.run((len(w) + l.width - 1) / l.width)
	l.w, l.buf, l.grad = nil, nil, nil
	return true
}

// Task is work in independent chunks, for Parallel.
type Task interface {
	// Run computes chunk i; chunks may run on two threads at once.
	Run(i int)
}

// Parallel runs the chunks 0 … n−1 of task on the calling goroutine and on
// the helper thread, and returns when every chunk is done: data
// parallelism for a caller whose chunks are whole computations (the rows
// of an inference batch through a network). The products a chunk calls
// run on the thread that runs the chunk (those large enough for the
// worker pool may still use it). Parallel returns false, having run
// nothing, unless some caller keeps the helper awake (KeepHelperAwake), no
// other goroutine has it, and the trial has not found the second core
// busy (see trial): the caller then runs the chunks itself. Run must not
// panic: on the helper thread a panic ends the program. Safe for
// concurrent use.
func Parallel(n int, task Task) bool { return parallel(n, task, 0) == sharedDone }

// parallel is Parallel for a task whose chunks are work multiply-adds of
// products in all (0 for other work), and says which way it went. The
// products a chunk computes cannot reach the trial (the caller holds the
// helper), so the task's work counts in the trial's books here, once, as
// a shared product's does; where the trial then has the caller compute
// alone (aloneChosen), the caller should compute the chunks without
// counting them again.
func parallel(n int, task Task, work float64) sharing {
	h := defaultHelper
	if n < 2 || n > maxChunks || Threads() < 2 || h.awake.Load() == 0 || !h.mu.TryLock() {
		return notShared
	}
	defer h.mu.Unlock()
	if work > 0 && h.alone(work) || work == 0 && h.mirror(h.trial.choseAlone()) {
		return aloneChosen
	}
	h.l.task = task
	defer func() { h.l.task = nil }()
	h.run(n)
	return sharedDone
}

// scratchTask is a Task whose chunks pack into the buffers of the thread
// that runs them (the caller's or the helper's own, as a shared product's
// bands do), rather than buffers from the pool's free list.
type scratchTask interface {
	runWith(chunk int, s *scratch)
}

// Halves runs chunks 0 and 1 of task: side by side through Parallel when
// split is true and Parallel can, else one after the other on the calling
// goroutine. Callers whose halves compute each element alike either way get
// the same results on any number of threads.
func Halves(task Task, split bool) {
	if !split || !Parallel(2, task) {
		task.Run(0)
		task.Run(1)
	}
}

// Half returns the bounds of half i (0 or 1) of [0, n): the halves meet at
// the multiple of align (at least 1) at or below n/2, so a half of
// vectors starts on a whole vector.
func Half(i, n, align int) (lo, hi int) {
	align = max(align, 1)
	mid := n / 2 / align * align
	if i == 0 {
		return 0, mid
	}
	return mid, n
}

// maxChunks is the most chunks a loop may have (16 bits of the state word).
const maxChunks = 1<<16 - 1

// run posts h.l as n chunks, the first already the caller's, and works on
// it until every chunk is done.
func (h *helper) run(n int) {
	h.once.Do(h.start)
	if h.cs == nil {
		h.cs = newScratch()
	}
	s := h.cs // one caller's at a time: its packing of a banded product stays one buffer
	gen := (h.state.Load()>>48 + 1) & 0xffff
	h.done.Store(0)
	h.l.postedAt = h.handoff.stamp()
	h.state.Store(stateWord(gen, uint64(n), 1, 0))
	if h.parked.Load() {
		h.signal() // for the next loop; this one does not wait
	}
	h.l.body(0, s)
	h.done.Add(1)
	h.work(gen, false, s)
	for spins := 1; h.done.Load() < int64(n); spins++ { // the helper is finishing its last chunk
		waitPause(spins)
	}
}

// waitPause pauses a wait for the helper between two looks at its
// progress, and every yieldEvery of them yields the thread (runtime.Gosched,
// a safe point): a garbage collection that a chunk on the helper starts
// stops the world, and with asynchronous preemption off
// (GODEBUG=asyncpreemptoff=1) only a safe point stops this goroutine, so a
// wait without one waited for ever (a trial's `wiggle predict` hung in 7
// runs of 20).
func waitPause(spins int) {
	spinPause()
	if spins%yieldEvery == 0 {
		runtime.Gosched()
	}
}

// yieldEvery is how many pauses a wait for the helper makes between
// yields: some tens of microseconds, where the helper's last chunk
// ordinarily ends within a few.
const yieldEvery = 4096

// signal wakes the helper if it is parked.
func (h *helper) signal() {
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

// KeepHelperAwake lets the helper thread take part in the products,
// updates and Parallel tasks of every goroutine, and poll for them for
// helperSpin after each (then it parks until the next wakes it), until the
// returned function is called (once). A training loop holds it for its
// steps. Without it the engine runs each call on its calling goroutine and
// the helper stays parked. Calls may nest and overlap; results do not
// depend on them. Safe for concurrent use.
func KeepHelperAwake() (release func()) {
	if Threads() < 2 {
		return func() {} // one thread: no helper to keep (on js/wasm a polling goroutine would take the only thread)
	}
	h := defaultHelper
	h.once.Do(h.start)
	if h.awake.Add(1) == 1 {
		h.signal()
	}
	var released atomic.Bool
	return func() {
		if released.CompareAndSwap(false, true) && h.awake.Add(-1) == 0 {
			h.releasedAt.Store(monotonic())
		}
	}
}

// HelperHeld reports whether some caller holds the helper awake
// (KeepHelperAwake), for tests of callers that must let go of it at times.
// Safe for concurrent use.
func HelperHeld() bool { return defaultHelper.awake.Load() > 0 }

// clockBase is where releasedAt and the hand-off's times count from, on
// the monotonic clock.
var clockBase = clock.Now()

// monotonic returns the time since clockBase in nanoseconds, plus one so
// that it is never 0.
func monotonic() int64 { return int64(clock.Since(clockBase)) + 1 }

// alone consults the trial for a loop of the given work, first telling it
// of a release since it last heard (trial.paused). The caller holds mu.
// It loads releasedAt before it swaps it: a swap at every loop would write
// the line each time, a load leaves it shared.
func (h *helper) alone(work float64) bool {
	if h.releasedAt.Load() != 0 {
		if at := h.releasedAt.Swap(0); at != 0 {
			h.trial.paused(clockBase.Add(time.Duration(at - 1)))
		}
	}
	alone := h.mirror(h.trial.alone(work, clock.Now))
	loopsJudged.count(alone)
	return alone
}

// loopsJudged counts the loops the trial judged (helper.alone).
var loopsJudged loopCounts

// loopCounts counts loops posted to the helper and kept on the caller
// alone. A caller holding the helper's mutex counts (helper.alone);
// HelperLoops reads them from anywhere. The padding keeps them off other
// variables' lines.
type loopCounts struct {
	_             [64]byte
	shared, alone atomic.Uint64
	_             [64]byte
}

// count counts one loop, alone or shared.
func (c *loopCounts) count(alone bool) {
	if alone {
		c.alone.Add(1)
		return
	}
	c.shared.Add(1)
}

// HelperLoops returns, since the process started, how many of the loops
// the engine's trial judged were posted to share with the helper and how
// many it kept on the caller alone (another program held the helper's
// core, splitting was slower, or a trial was timing the caller alone).
// The loops judged are those of a caller holding the helper awake, on two
// threads or more: products large enough to share (a product that goes a
// block at a time counts once), momentum updates, and the halves of a
// layer's input gradient; not the passes Parallel and Halves take without
// a measure of their work (activations, Adam's and RMSprop's steps). A
// loop posted may still run on the caller alone where the helper does not
// come in time (parked, or its core taken away). Safe for concurrent use.
func HelperLoops() (shared, alone uint64) {
	return loopsJudged.shared.Load(), loopsJudged.alone.Load()
}

// mirror records the way the trial chose (splitting) and returns alone.
// It loads first: a store at every loop would write the line each time.
func (h *helper) mirror(alone bool) bool {
	if h.splitting.Load() == alone {
		h.splitting.Store(!alone)
	}
	return alone
}

// splitsNow reports whether the engine's loops now go to the caller and
// the helper together: two threads or more, a caller holding the helper
// awake (KeepHelperAwake), and the trial's last choice to split.
func splitsNow() bool {
	h := defaultHelper
	return Threads() >= 2 && h.awake.Load() > 0 && h.splitting.Load()
}

// StreamStores reports whether a buffer of a training step that both
// threads read should be rewritten with stores around the caches
// (CopyStreaming) rather than through them: the engine splits its loops
// between the caller and the helper (two threads or more, a caller
// holding the helper awake, the trial's last choice) and the two cores
// are far apart (handoff). The choice changes no result. Safe for
// concurrent use; it may be out of date as soon as it returns.
func StreamStores() bool {
	return splitsNow() && defaultHelper.handoff.far.Load()
}

// prime starts the trial's measure of other programs' load before the
// first loop (trial.prime), unless a caller holds the helper: only the
// holder of mu touches the trial.
func (h *helper) prime() {
	if h.mu.TryLock() {
		h.trial.prime(clock.Now())
		h.mu.Unlock()
	}
}

func (h *helper) start() {
	h.s = newScratch()
	h.s.fromBack = true // serve takes bands from the back
	go h.serve()
}

// serve is the helper's loop: poll for posted loops, park when idle.
func (h *helper) serve() {
	idleSince, seen := clock.Now(), uint64(0)
	for polls := 0; ; polls++ {
		if gen := h.state.Load() >> 48; gen != seen {
			seen = gen
			h.work(gen, true, h.s)
			idleSince, polls = clock.Now(), 0
			continue
		}
		if h.runBackground(seen) {
			idleSince, polls = clock.Now(), 0
			continue
		}
		if h.awake.Load() == 0 || polls%256 == 0 && clock.Since(idleSince) > helperSpin {
			h.park(seen)
			idleSince, polls = clock.Now(), 0
		}
		spinPause()
	}
}

// park blocks until run or Background.Post wakes the helper. A loop or
// task posted while parking is seen by the check after parked is set, or
// by its poster, which then wakes it.
func (h *helper) park(seen uint64) {
	h.parked.Store(true)
	if h.state.Load()>>48 == seen && h.bg.Load() == nil {
		<-h.wake
	}
	h.parked.Store(false)
	select { // drop a wake that raced with the check
	case <-h.wake:
	default:
	}
}

// minHelperWork is the fewest multiply-adds a product must have for the
// helper to take part: below it, posting the loop costs more than half the
// product.
const minHelperWork = 1 << 15

// narrowAlone reports whether a product of a layer of few units (no more
// than a tile's rows, so that its weight step goes in a single band, on
// the caller), of work multiply-adds, runs on the caller alone: the
// layer's forward product (MatMulTransBBias), its input gradient
// (InputGrad.MatMul) and its stepped weight gradient. Shared, the helper
// read the layer's weights, and the caller's step then waited for each
// line of them in the other core's cache: MNIST's ten-unit layer at batch
// 32 spent 18 µs in its three products in a step of 784-256-256-10
// against 11 alone (Intel Xeon, two threads), and `wiggle train` on MNIST
// ran 1.027× faster (four alternated rounds; perf.Scaling 1.018× at 256
// units and 1.038× at 128, batch 32). Only below minNarrowHelperWork,
// 2^17 multiply-adds (a ten-unit layer with 256 inputs at a batch of 51):
// at batch 128 its forward product took 17 µs alone against 10 shared.
func narrowAlone(units, work int) bool {
	return units <= kernel.rows && work < minNarrowHelperWork
}

const minNarrowHelperWork = 1 << 17
