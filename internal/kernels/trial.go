package kernels

import "time"

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
// splitting, each at two thirds of its speed alone); a due trial's alone
// window ends at half its length where alone is already clearly the
// slower (windowOver); a window leaves out the time from the last
// release of the helper to the next loop (paused). A kept split that
// slows down is tried again early (splitSlowed); a kept alone is watched
// in the kernel's counters (look): kept on without a trial while other
// programs still keep the helper's core busy, tried again early when they
// leave it; and the counters read from engine.SetThreads to the first
// loop can start the caller alone, or spare the first trial its alone
// window (startsAlone). Alone, no loop is posted and the helper parks:
// it takes no CPU. Results never depend on it.
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

	others   otherLoad   // what other programs use while alone is kept (look)
	load     loadVerdict // what the last look found
	sawBusy  bool        // whether a look found busy since the last trial
	decided  time.Time   // when the last trial ended, or the first loop started alone (startsAlone)
	pausedAt time.Time   // when the last holder let go of the helper in this window (paused); zero if not since its last loop
	// primed is whether others' measure started before the first loop
	// (prime), for that loop to judge; unconfirmed, whether the first
	// loop started alone on it and no trial has run since; freedAtStart,
	// whether that measure found the helper's core free, so that the
	// first trial keeps splitting without an alone window (startsAlone),
	// cleared as that trial's split window ends, or as it starts if the
	// measure is maxPrimeAge old by then.
	primed, unconfirmed, freedAtStart bool
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
	if t.primed && t.startsAlone(clock()) {
		t.work = work // this loop runs in the kept way's first measure
		return true
	}
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
		if limit := t.skipLimit(); due && t.load == busy && now.Sub(t.decided) < limit {
			t.keep(true, now)
			t.until = minTime(t.until, t.decided.Add(limit))
			t.work = work
			return true
		}
		t.phase, t.started, t.work, t.early = trySplit, now, 0, !due
		if t.freedAtStart && now.Sub(t.others.started) > maxPrimeAge { // what the first loop saw is old news
			t.freedAtStart = false
		}
	} else if now := clock(); t.loops == 0 {
		t.started, t.work, t.pausedAt = now, 0, time.Time{}
	} else if t.resumed(now); t.windowOver(now) { // this loop starts the next window, or the way kept
		speed := t.work / max(now.Sub(t.started).Seconds(), 1e-9)
		if t.phase == trySplit && t.freedAtStart {
			t.splitSpeed, t.freedAtStart = speed, false
			t.settle(false, now)
			t.work = work // this loop runs in the kept split's first measure
			return false
		} else if t.phase == trySplit {
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

// paused tells the trial that the last caller holding the helper let go
// of it at now (KeepHelperAwake released; helper.alone passes it on at
// the next loop): what the caller did until its next loop, building a
// network, say, is not the engine's work, and a window that counted it
// would judge its way slower than it is. A trial window in progress
// leaves that time out (resumed, at the next loop) and keeps its loops,
// so that callers holding the helper for short bursts still finish their
// trials; a window may then hold loops of two workloads, which both
// windows of a trial usually do anyway. While a way is kept, splitSlowed's
// own rule for gaps applies. A pause while some caller still holds the
// helper is not seen, so train.Fit lets go of it for OnHealth, OnEpoch
// and OnCheckpoint.
func (t *trial) paused(now time.Time) {
	if t.phase != kept && t.pausedAt.IsZero() {
		t.pausedAt = now
	}
}

// resumed leaves the time since paused, if the caller paused, out of the
// window in progress.
func (t *trial) resumed(now time.Time) {
	if !t.pausedAt.IsZero() {
		t.started = t.started.Add(now.Sub(t.pausedAt))
		t.pausedAt = time.Time{}
	}
}

// windowOver reports whether the trial's window that started at
// t.started is over at now: when it has run trialLoops loops and lasted
// minTrialWindow, or has lasted trialWindow. The alone window of a trial
// that came when due ends at half that (trialLoops/2 loops and
// minTrialWindow/2, or trialWindow/2) where its loops so far ran below
// 1/aloneClearlySlower of the split window's speed: so far below that
// only a second half nearly as fast as splitting could have made alone
// win. A trial started early (splitSlowed, or a look that found the other
// program gone) runs its full windows: something on the machine changed,
// and a short window decides less surely. On a machine with nothing else
// running, where splitting wins by 1.4–1.9×, each trial's alone window,
// which runs at one thread's speed, then costs half as long: in a
// one-epoch MNIST training on the Zen 5 EPYC (a scratch run around
// train.Fit, batch 128, two threads, five runs each way), the steps of
// the first trial took 3.0–4.5 ms more than steady steps, against
// 6.2–7.8 ms before, of an epoch of 270–330 ms. (Where the counters
// found the helper's core free before the first loop, the first trial
// has no alone window at all: startsAlone.)
func (t *trial) windowOver(now time.Time) bool {
	elapsed := now.Sub(t.started)
	if t.loops >= trialLoops && elapsed >= minTrialWindow || elapsed >= trialWindow {
		return true
	}
	half := t.loops >= trialLoops/2 && elapsed >= minTrialWindow/2 || elapsed >= trialWindow/2
	return half && t.phase == tryAlone && !t.early && t.work/elapsed.Seconds()*aloneClearlySlower < t.splitSpeed
}

// aloneClearlySlower is how much faster than the alone window's first
// half the split window must have been for windowOver to end it there.
const aloneClearlySlower = 1.3

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
// every 2 s, up to 2% of a training alone on the machine (half that where
// splitting clearly wins: windowOver; none in the first trial where the
// helper's core was found free: startsAlone).
func (t *trial) decide(aloneSpeed float64, now time.Time) {
	t.settle(aloneSpeed*splitMargin > t.splitSpeed, now)
}

// settle ends a trial: it keeps the way chosen from now (keep) and starts
// the books of the time kept.
func (t *trial) settle(alone bool, now time.Time) {
	t.keep(alone, now)
	t.decided, t.load, t.sawBusy, t.unconfirmed = now, unknown, false, false
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
	t.phase, t.chosenAlone, t.loops, t.pausedAt = kept, alone, 0, time.Time{}
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
// of the CPUs this process may run on in the last aloneMin or more
// (firstLook or more while no trial has confirmed a start alone), and
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
	if now.Sub(t.others.started) < t.lookWindow() {
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

// lookWindow returns the shortest measure look judges: aloneMin, or
// firstLook after a first loop that started alone on prime's measure
// (unconfirmed). That measure averages the whole time the caller loaded
// its data, and a program that kept the second core busy for only part
// of it may be gone by the first loop: the start of a pyenv python3 shim
// reading the training's output through a pipe took a core for 0.37 s,
// and a one-epoch MNIST training beside it, alone until a look of
// aloneMin, ran 49-59% of its loops alone. Ten ticks a CPU still tell a
// busy core from a free one. The trial such a look calls still runs both
// windows: a look this short may fall in a pause of the other program
// (a second training's validation, say), which the alone window shows.
func (t *trial) lookWindow() time.Duration {
	if t.unconfirmed {
		return firstLook
	}
	return aloneMin
}

// prime starts measuring what other programs use of the CPUs before the
// first loop, so that the first loop can judge whether they keep the
// helper's core busy already (startsAlone): a training that starts beside
// another would otherwise split its first loops and run its first trial's
// split window at half to two thirds of its speed alone. engine.SetThreads
// calls it, before a training loads its data; called again before the
// first loop, it starts the measure again. Once a loop has run, it does
// nothing.
func (t *trial) prime(now time.Time) {
	if t.beforeFirstLoop() {
		t.others.start(now)
		t.primed = true
	}
}

// beforeFirstLoop reports whether no loop has run: no trial started or
// decided, none of the first keptClock loops counted.
func (t *trial) beforeFirstLoop() bool {
	return t.phase == kept && !t.chosenAlone && t.decided.IsZero() && t.loops == 0 && t.until.IsZero()
}

// startsAlone judges, at the first loop after prime (no loop has run
// since: alone clears primed), the load measured since (look), and
// reports whether the loop runs alone. The measure counts when it ran
// aloneMin to maxPrimeAge:
//   - busy: the first trial is skipped. Alone is kept as if it had won
//     it, and the looks go on from there, firstLook apart (lookWindow),
//     keeping it while they stay busy, for aloneMax at most (no trial has
//     confirmed it: see skipLimit), and calling a trial as soon as the
//     other program goes.
//   - freed: the first trial runs its split window only, for the speed
//     splitSlowed watches, and keeps splitting for splitMin, to the next
//     trial. With the helper's core free splitting wins (by 1.4–1.9× on
//     the machines measured), and the alone window, at one thread's speed,
//     cost a one-epoch MNIST training 1.0–1.5% of its time. A host that
//     takes the virtual CPU away, which the counters do not show, keeps a
//     slower split for splitMin at most.
//   - otherwise (a lighter load than busy, counters that cannot be read,
//     a measure too short or too old) the loops go on as without prime.
func (t *trial) startsAlone(now time.Time) bool {
	t.primed = false
	if now.Sub(t.others.started) > maxPrimeAge {
		return false
	}
	if t.look(now); t.load != busy {
		t.freedAtStart = t.load == freed
		t.load = unknown
		return false
	}
	t.keep(true, now)
	t.decided, t.unconfirmed = now, true
	return true
}

// skipLimit returns how long after the last trial the looks may keep
// alone on without a trial: maxSkipping, or after a first loop that
// started alone on prime's measure, which no trial has confirmed,
// aloneMax.
func (t *trial) skipLimit() time.Duration {
	if t.unconfirmed {
		return aloneMax
	}
	return maxSkipping
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
	busySpare   = 0.25                   // see look
	freedSpare  = 0.75                   // see look
	maxSkipping = 16 * time.Second       // see look
	maxPrimeAge = 10 * time.Second       // see startsAlone: a load averaged over longer says little of now
	firstLook   = 100 * time.Millisecond // see lookWindow
)
