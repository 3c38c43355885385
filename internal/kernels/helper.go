package kernels

import (
	"sync"
	"sync/atomic"
	"time"
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

	// A product in bands (shareBands); only the holder of mu touches it.
	product sharedProduct

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
func (h *helper) work(gen uint64, back bool, s *scratch) {
	for {
		chunk, ok := h.take(gen, back)
		if !ok {
			return
		}
		h.l.body(chunk, s)
		h.done.Add(1)
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
	if h.trial.alone(float64(o.M)*float64(o.N)*float64(o.K), time.Now) {
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
	if h.trial.alone(updateWork*float64(len(w)), time.Now) {
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
	if work > 0 && h.trial.alone(work, time.Now) || work == 0 && h.trial.choseAlone() {
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
	h.state.Store(stateWord(gen, uint64(n), 1, 0))
	if h.parked.Load() {
		h.signal() // for the next loop; this one does not wait
	}
	h.l.body(0, s)
	h.done.Add(1)
	h.work(gen, false, s)
	for h.done.Load() < int64(n) { // the helper is finishing its last chunk
		spinPause()
	}
}

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
		if released.CompareAndSwap(false, true) {
			h.awake.Add(-1)
		}
	}
}

func (h *helper) start() {
	h.s = newScratch()
	h.s.fromBack = true // serve takes bands from the back
	go h.serve()
}

// serve is the helper's loop: poll for posted loops, park when idle.
func (h *helper) serve() {
	idleSince, seen := time.Now(), uint64(0)
	for polls := 0; ; polls++ {
		if gen := h.state.Load() >> 48; gen != seen {
			seen = gen
			h.work(gen, true, h.s)
			idleSince, polls = time.Now(), 0
			continue
		}
		if h.runBackground(seen) {
			idleSince, polls = time.Now(), 0
			continue
		}
		if h.awake.Load() == 0 || polls%256 == 0 && time.Since(idleSince) > helperSpin {
			h.park(seen)
			idleSince, polls = time.Now(), 0
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

// trial decides whether products and updates shared between the caller and
// the helper beat the caller alone, by trying both (it counts each once,
// however many loops it posts). When another program keeps
// the second core busy (a second training, say), the helper gets a fraction
// of it, and its polling takes that fraction from the other program: two
// threads then run slower than one. So every so often the engine runs a
// window of trialLoops of them shared, then one alone, compares the work
// done per second of wall time, and keeps the faster way (splitting only
// by a margin, splitMargin) until the next trial, after a while that
// doubles each time the same way wins again (see decide). A window ends
// sooner once it has lasted trialWindow (a large network's products take
// tens of milliseconds each, and 64 of them alone were a third of its
// training), and lasts minTrialWindow at least, several of the
// scheduler's time slices (64 loops of a small network at batch 32 took
// 1–2 ms, so a window measured whether the other program's threads
// happened to run in it, and two trainings side by side could both keep
// splitting, each at two thirds of its speed alone). A kept split that
// slows down is tried again early (splitSlowed); a kept alone is watched
// in the kernel's counters (look): kept on without a trial while other
// programs still keep the helper's core busy, tried again early when they
// leave it. Alone, no loop is posted and the helper parks: it takes no
// CPU. Results never depend on it.
type trial struct {
	phase       trialPhase
	chosenAlone bool
	until       time.Time     // when the next trial starts (phase kept)
	keptFor     time.Duration // how long the way chosen last is kept: doubles while it wins

	loops int // in this window; while kept, since the clock was last read
	// work is the multiply-adds (and update work) of the loops since
	// started: those of this window, or while a split is kept, those since
	// splitSlowed last measured (each loop counted from the call before it
	// runs).
	work       float64
	started    time.Time
	lastRead   time.Time // the kept way's last clock read (splitSlowed)
	splitSpeed float64   // work per second in the split window
	// slowMeasure is whether splitSlowed's last measure was slow; watched,
	// whether it judged any since the last trial; early, whether that
	// trial was started before its time (by splitSlowed, or by a look
	// that found the other program gone).
	slowMeasure, watched, early bool

	others  otherLoad   // what other programs use while alone is kept (look)
	load    loadVerdict // what the last look found
	sawBusy bool        // whether a look found busy since the last trial
	decided time.Time   // when the last trial ended
}

type trialPhase int

const (
	kept     trialPhase = iota // the chosen way, until t.until
	trySplit                   // the split window of a trial
	tryAlone                   // the alone window
)

const (
	trialLoops     = 64
	minTrialWindow = 20 * time.Millisecond  // and at least this long: see trial
	trialWindow    = 100 * time.Millisecond // or a window's length, whichever comes first
	splitMin       = 2 * time.Second
	splitMax       = 16 * time.Second // see decide
	aloneMin       = 250 * time.Millisecond
	aloneMax       = 4 * time.Second
	updateWork     = 2 // an update's work per element, in multiply-adds: it streams three arrays
)

// splitMargin is how much faster than alone splitting must be to be kept.
// With another program on the second core, the two ways measure within
// the noise of each other's windows, and two trainings side by side, each
// trying both, kept splitting often enough that a two-thread training beside
// another ran at 54-84k samples/s against 72-89k for a one-thread one; with
// the margin, 85-88k against 84-90k (four rounds each, MNIST, Intel Xeon).
// Alone on the machine, splitting wins by 1.4-1.6x.
const splitMargin = 1.15

// keptClock is how many loops the chosen way runs between reads of the
// clock, which cost as much as a small product's posting.
const keptClock = 32

// alone tells whether the loop about to run, of the given work, should run
// on the caller alone, and keeps the trial's books. It reads the clock at
// each loop of a trial's two windows and every keptClock loops while a way
// is kept.
func (t *trial) alone(work float64, clock func() time.Time) bool {
	if t.phase == kept {
		if t.loops++; t.loops < keptClock {
			t.work += work
			return t.chosenAlone
		}
		t.loops = 0
		now := clock()
		if t.chosenAlone {
			t.look(now)
		}
		due := !now.Before(t.until)
		if !due && !t.splitSlowed(now) && !(t.load == freed && t.sawBusy) {
			t.work += work // this loop runs in the next measure
			return t.chosenAlone
		}
		if due && t.load == busy && now.Sub(t.decided) < maxSkipping {
			t.keep(true, now)
			t.until = minTime(t.until, t.decided.Add(maxSkipping))
			t.work = work
			return true
		}
		t.phase, t.started, t.work, t.early = trySplit, now, 0, !due
	} else if now := clock(); t.loops == 0 {
		t.started, t.work = now, 0
	} else if t.loops >= trialLoops && now.Sub(t.started) >= minTrialWindow || now.Sub(t.started) >= trialWindow { // the window is over; this loop starts the next
		speed := t.work / max(now.Sub(t.started).Seconds(), 1e-9)
		if t.phase == trySplit {
			t.splitSpeed, t.phase = speed, tryAlone
			t.loops, t.started, t.work = 0, now, 0
		} else {
			t.decide(speed, now)
			t.work = work // this loop runs in the kept way's first measure
			return t.chosenAlone
		}
	}
	t.loops++
	t.work += work
	return t.phase == tryAlone
}

// splitSlowed measures, while splitting is kept, the speed of the loops
// since it last measured (at least minTrialWindow of them, read every
// keptClock loops), starts measuring again, and reports whether that
// speed and the one before are both below splitSlowdown of the speed the
// trial measured: another program has taken the second core since. A
// trial then starts at once, not splitMin or more after the last: two
// trainings started together, one deciding while the other still read
// its data, had split for the first 2 s of each, a whole short run, at
// two thirds of the speed of one thread. One slow measure alone is not
// enough: a host that takes a virtual CPU away for a few milliseconds
// slows a measure of 20 ms by a quarter, and each trial that followed
// cost an alone window (see decide). Reads more than trialWindow apart (a
// pause between calls, or loops too long to tell: keptClock loops of a
// large network take longer, or of a smaller one slowed by a second
// program) start the measure again without judging it; the split is then
// no longer watched, and kept for splitMin at most from there.
func (t *trial) splitSlowed(now time.Time) bool {
	if t.chosenAlone {
		return false
	}
	gap := now.Sub(t.lastRead)
	t.lastRead = now
	if gap > trialWindow {
		t.started, t.work, t.slowMeasure, t.watched = now, 0, false, false
		if until := now.Add(splitMin); until.Before(t.until) {
			t.until = until
		}
		return false
	}
	elapsed := now.Sub(t.started)
	if elapsed < minTrialWindow {
		return false
	}
	speed := t.work / elapsed.Seconds()
	t.started, t.work, t.watched = now, 0, true
	slow := speed < splitSlowdown*t.splitSpeed
	slowed := slow && t.slowMeasure
	t.slowMeasure = slow
	return slowed
}

// splitSlowdown is the fraction of its trial's speed below which splitting
// is tried again early (splitSlowed).
const splitSlowdown = 0.75

// choseAlone tells whether loops run alone now: the way kept, or the
// alone window of a trial. It changes nothing.
func (t *trial) choseAlone() bool {
	return t.phase == tryAlone || t.phase == kept && t.chosenAlone
}

// decide keeps the faster way, given the alone window's speed: splitting
// only when it is splitMargin times as fast. It keeps it twice as long as
// last time if the same way won then, within aloneMin to aloneMax or
// splitMin to splitMax. Splitting doubles only if splitSlowed watched the
// last kept split (judged at least one measure of it) and that split ran
// its full time: a split that a second program slows is tried again
// within three measures however long it is kept, and one that is not
// watched (keptClock loops take longer than trialWindow: 2048 units at
// batch 512, say, or a smaller network slowed) is tried again within
// splitMin, as before splitMax. Each trial runs its alone window at one
// thread's speed, 80 ms of it at 1024 units and batch 128 (Intel Xeon):
// every 2 s, up to 2% of a training alone on the machine.
func (t *trial) decide(aloneSpeed float64, now time.Time) {
	alone := aloneSpeed*splitMargin > t.splitSpeed
	t.keep(alone, now)
	t.decided, t.load, t.sawBusy = now, unknown, false
	if alone {
		t.others.start(now) // what other programs use while alone is kept (look)
	}
}

// keep keeps splitting or the caller alone from now, for keptFor (see
// decide).
func (t *trial) keep(alone bool, now time.Time) {
	if alone != t.chosenAlone || !alone && (!t.watched || t.early) {
		t.keptFor = 0
	}
	t.phase, t.chosenAlone, t.loops = kept, alone, 0
	t.started, t.work, t.lastRead = now, 0, now // the kept way's speed, for splitSlowed
	t.slowMeasure, t.watched = false, false
	if alone {
		t.keptFor = min(max(2*t.keptFor, aloneMin), aloneMax)
	} else {
		t.keptFor = min(max(2*t.keptFor, splitMin), splitMax)
	}
	t.until = now.Add(t.keptFor)
}

// look measures, while the caller is kept alone, what other programs used
// of the CPUs this process may run on in the last aloneMin or more, and
// judges it (load). A trial's split window runs at half to two thirds of
// the caller's speed alone when the second core is busy, so the counters
// spare what they can:
//   - busy: they left less than busySpare of a CPU beside the caller's.
//     The helper's core is still taken, as the trial that chose alone
//     found: the trial due is skipped and alone kept on, as if it had won
//     again, until maxSkipping has passed since the last trial (a program
//     that fills whatever core is free, splitting may beat).
//   - freed: they left freedSpare of a CPU or more. If a look found busy
//     since the last trial, the other program has gone: a trial starts at
//     once rather than when alone's time is up. (Otherwise the trial chose
//     alone for a reason the counters do not show, a host that takes the
//     virtual CPU away, say, and waits for its time.)
//   - neither, or unknown (the counters cannot be read): the trial runs
//     when it is due, as it would without them.
func (t *trial) look(now time.Time) {
	if now.Sub(t.others.started) < aloneMin {
		return // too short to tell: the counters count 10 ms ticks
	}
	others, cpus, ok := t.others.since(now)
	switch spare := float64(cpus) - 1 - others; {
	case !ok:
		t.load = unknown
	case spare < busySpare:
		t.load, t.sawBusy = busy, true
	case spare >= freedSpare:
		t.load = freed
	default:
		t.load = neither
	}
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

type loadVerdict int

const (
	unknown loadVerdict = iota
	busy
	freed
	neither
)

const (
	busySpare   = 0.25             // see look
	freedSpare  = 0.75             // see look
	maxSkipping = 16 * time.Second // see look
)

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
