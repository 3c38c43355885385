package kernels

import (
	"fmt"
	"math"
	"testing"
	"time"
)

// unmeasured is an otherLoad that cannot read the counters, for trials
// whose tests run on a made-up clock.
var unmeasured = otherLoad{read: func() (loadReading, bool) { return loadReading{}, false }}

const statSample = `cpu  700 50 80 6000 30 0 10 20 0 0
cpu0 100 5 20 3000 10 0 1 7 0 0
cpu1 300 20 30 1000 10 0 4 8 0 0
cpu2 300 25 30 2000 10 0 5 5 0 0
intr 128508101 0 0 0 0
ctxt 175870992
`

func TestStatBusy(t *testing.T) {
	ours := func(cpus ...int) func(int) bool {
		return func(c int) bool {
			for _, o := range cpus {
				if c == o {
					return true
				}
			}
			return false
		}
	}
	tick := time.Second / 100
	for _, c := range []struct {
		name string
		stat string
		mine func(int) bool
		busy time.Duration
		cpus int
		ok   bool
	}{
		// user system irq softirq: cpu0 100+20+0+1, cpu2 300+30+0+5
		{"cpu0 and cpu2", statSample, ours(0, 2), (121 + 335) * tick, 2, true},
		{"cpu1", statSample, ours(1), 334 * tick, 1, true},
		{"none of them", statSample, ours(7), 0, 0, false},
		{"a chosen line cut short", "cpu  1 2 3 4\ncpu0 1 2 3 4 5\n", ours(0), 0, 0, false},
		{"a line not chosen cut short", "cpu0 1 2 3 4 5 6 7 8\ncpu1 1 2\n", ours(0), (1 + 3 + 6 + 7) * tick, 1, true},
		{"not a number", "cpu0 1 2 x 4 5 6 7 8\n", ours(0), 0, 0, false},
		{"a number run into letters", "cpu0 1 2 3a 4 5 6 7 8\n", ours(0), 0, 0, false},
		{"a number too long", "cpu0 1 2 3 4 5 6 1234567890123456789 8\n", ours(0), 0, 0, false},
		{"seven fields, no steal", "cpu0 1 2 3 4 5 6 7\n", ours(0), (1 + 3 + 6 + 7) * tick, 1, true},
		{"cpu lines after others are not read", "intr 1 2\ncpu0 1 2 3 4 5 6 7 8\n", ours(0), 0, 0, false},
		{"empty", "", ours(0), 0, 0, false},
		{"a CPU numbered below 0", "cpu-1 1 2 3 4 5 6 7 8\ncpu0 1 1 1 1 1 1 1 1\n", func(int) bool { return true }, 4 * tick, 1, true},
	} {
		busy, cpus, ok := statBusy([]byte(c.stat), c.mine)
		if busy != c.busy || cpus != c.cpus || ok != c.ok {
			t.Errorf("%s: busy %v on %d CPUs, ok %v; want %v on %d, %v", c.name, busy, cpus, ok, c.busy, c.cpus, c.ok)
		}
	}
}

// fakeLoad is a machine of a few CPUs on a made-up clock: this process
// uses one CPU, and other programs whatever others says, from the moment
// it is set.
type fakeLoad struct {
	now         time.Time
	busy, own   time.Duration
	others      float64
	cpus        cpuSet
	reads       int
	unavailable bool
}

func newFakeLoad(cpus int, others float64) *fakeLoad {
	f := &fakeLoad{now: time.Unix(0, 0), others: others}
	for i := range cpus {
		f.cpus[i/64] |= 1 << (i % 64)
	}
	return f
}

func (f *fakeLoad) advance(d time.Duration) {
	f.now = f.now.Add(d)
	f.own += d
	f.busy += d + time.Duration(f.others*float64(d))
}

func (f *fakeLoad) read() (loadReading, bool) {
	f.reads++
	return loadReading{busy: f.busy, own: f.own, cpus: f.cpus}, !f.unavailable
}

func TestCPUSet(t *testing.T) {
	var s cpuSet
	for _, i := range []int{0, 5, 63, 64, 1023} {
		s[i/64] |= 1 << (i % 64)
	}
	if s.count() != 5 {
		t.Errorf("count %d, want 5", s.count())
	}
	for i, want := range map[int]bool{0: true, 1: false, 63: true, 64: true, 65: false, 1023: true, 1024: false, -1: false} {
		if s.has(i) != want {
			t.Errorf("has(%d) = %v, want %v", i, s.has(i), want)
		}
	}
}

func TestOtherLoadSince(t *testing.T) {
	f := newFakeLoad(2, 0)
	l := otherLoad{read: f.read}
	for _, c := range []struct {
		name    string
		others  float64
		failAt  string // "start" or "end": the reading that fails; "cpus": the CPUs change
		want    float64
		cpus    int
		wantOK  bool
		elapsed time.Duration
	}{
		{"a busy CPU", 1, "", 1, 2, true, 250 * time.Millisecond},
		{"a third of one", 1.0 / 3, "", 1.0 / 3, 2, true, 300 * time.Millisecond},
		{"idle", 0, "", 0, 2, true, time.Second},
		{"no time passed", 1, "", 0, 0, false, 0},
		{"the first reading failed", 1, "start", 0, 0, false, 250 * time.Millisecond},
		{"the second reading failed", 1, "end", 0, 0, false, 250 * time.Millisecond},
		{"the CPUs changed", 1, "cpus", 0, 0, false, 250 * time.Millisecond},
	} {
		f.others, f.unavailable, f.cpus = c.others, c.failAt == "start", newFakeLoad(2, 0).cpus
		l.start(f.now)
		f.advance(c.elapsed)
		f.unavailable = c.failAt == "end"
		if c.failAt == "cpus" {
			f.cpus = newFakeLoad(3, 0).cpus
		}
		got, cpus, ok := l.since(f.now)
		if ok != c.wantOK || cpus != c.cpus || ok && (got < c.want-1e-9 || got > c.want+1e-9) {
			t.Errorf("%s: %.4f others on %d CPUs, ok %v; want %.4f on %d, %v", c.name, got, cpus, ok, c.want, c.cpus, c.wantOK)
		}
	}
	// since starts the next measure from its reading.
	f.others, f.unavailable, f.cpus = 0.5, false, newFakeLoad(2, 0).cpus
	l.start(f.now)
	f.advance(100 * time.Millisecond)
	l.since(f.now)
	f.others = 1
	f.advance(100 * time.Millisecond)
	if got, _, ok := l.since(f.now); !ok || got < 1-1e-9 || got > 1+1e-9 {
		t.Errorf("the measure after a since: %v others, ok %v; want 1", got, ok)
	}
	// A reading whose own time grew faster than the CPUs' busy time (the
	// kernel counts busy time a tick at a time) is none, not less.
	l.start(f.now)
	f.now, f.own = f.now.Add(100*time.Millisecond), f.own+100*time.Millisecond
	if got, _, ok := l.since(f.now); !ok || got != 0 {
		t.Errorf("own time ahead of busy time: %v others, ok %v; want 0", got, ok)
	}
}

// TestTrialSkipsTrialsWhileBusy has the trial choose alone (another
// program took the second core), then lets the time kept run out while
// other programs keep busy what the caller leaves: no trial runs, alone is
// kept twice as long each time, and the counters are read once when alone
// is chosen and at most once every aloneMin after, until maxSkipping has
// passed since the trial. A trial runs early when the other program goes;
// when alone's time is up where the load is lighter, unreadable, or leaves
// CPUs spare without having been busy; and when a kept split is due, busy
// or not.
func TestTrialSkipsTrialsWhileBusy(t *testing.T) {
	var f *fakeLoad
	var tr trial
	clock := func() time.Time { return f.now }
	// runTrial runs a trial in which the way given wins by half.
	runTrial := func(aloneWins bool) {
		for tr.phase == kept { // reach the trial's first loop
			tr.alone(1, clock)
			f.advance(time.Millisecond)
		}
		for tr.phase != kept {
			alone := tr.alone(1, clock)
			f.advance(map[bool]time.Duration{true: time.Millisecond, false: 2 * time.Millisecond}[alone == aloneWins])
		}
		if tr.chosenAlone != aloneWins {
			t.Fatalf("a trial alone won: alone %v", tr.chosenAlone)
		}
	}
	// toDue runs loops of 1 ms until the kept time is over, and then
	// without time passing until the clock is read (every keptClock loops),
	// and reports how many ran split.
	toDue := func() (split int) {
		for end := tr.until; f.now.Before(end); f.advance(time.Millisecond) {
			if !tr.alone(1, clock) {
				split++
			}
		}
		for i := 0; i < keptClock && tr.phase == kept && !f.now.Before(tr.until); i++ {
			tr.alone(1, clock)
		}
		return split
	}
	start := func(cpus int, others float64) {
		f = newFakeLoad(cpus, others)
		tr = trial{phase: trySplit, others: otherLoad{read: f.read}}
		runTrial(true)
		if f.reads != 1 {
			t.Fatalf("%d readings when alone was chosen, want 1", f.reads)
		}
	}

	start(2, 1)
	for i, want := range []time.Duration{2 * aloneMin, 4 * aloneMin, 8 * aloneMin, aloneMax, aloneMax, aloneMax, aloneMax} {
		if split := toDue(); split != 0 {
			t.Fatalf("still busy, %d: %d loops split", i, split)
		}
		if tr.phase != kept || !tr.chosenAlone || tr.keptFor != want {
			t.Fatalf("still busy, %d: phase %v, alone %v, kept for %v; want alone kept for %v", i, tr.phase, tr.chosenAlone, tr.keptFor, want)
		}
		if most := 1 + int(f.now.Sub(tr.decided)/aloneMin); f.reads > most {
			t.Fatalf("still busy, %d: %d readings in %v, want %d at most", i, f.reads, f.now.Sub(tr.decided), most)
		}
	}
	if toDue(); tr.phase != trySplit || f.now.Sub(tr.decided) > maxSkipping+keptClock*time.Millisecond { // the last skip kept alone to maxSkipping, not 4 s more
		t.Fatalf("busy for %v since the trial: phase %v, want a trial", f.now.Sub(tr.decided), tr.phase)
	}

	// The trial is due when alone's time is up, neither skipped nor early,
	// where the counters show neither a busy CPU nor, after one, a freed one.
	for _, c := range []struct {
		name        string
		cpus        int
		others      float64
		unavailable bool
	}{
		{"load fell", 2, 1 - busySpare - 0.05, false},
		{"half a CPU busy", 2, 0.5, false},
		{"load unreadable", 2, 1, true},
		{"idle, never busy", 2, 0, false},
		{"two CPUs spare of four", 4, 1, false},
	} {
		start(c.cpus, c.others)
		f.unavailable = c.unavailable
		if toDue(); tr.phase != trySplit || f.now.Before(tr.until) {
			t.Fatalf("%s: phase %v %v before alone's time is up, want a trial then", c.name, tr.phase, tr.until.Sub(f.now))
		}
	}

	// The other program goes: a trial within two looks, before alone's time.
	start(2, 1)
	toDue()
	toDue()
	f.others = 0
	left := f.now
	for tr.phase == kept && f.now.Before(tr.until) {
		tr.alone(1, clock)
		f.advance(time.Millisecond)
	}
	if tr.phase != trySplit || f.now.Sub(left) > 2*(aloneMin+keptClock*time.Millisecond) {
		t.Fatalf("the other program gone: phase %v after %v (alone kept %v), want a trial within two looks", tr.phase, f.now.Sub(left), tr.keptFor)
	}

	// The trial that followed chose alone again, the other program gone:
	// no trial before alone's time is up.
	f.others = 0
	runTrial(true)
	if toDue(); tr.phase != trySplit || f.now.Before(tr.until) {
		t.Fatalf("alone chosen again, idle: phase %v %v before alone's time is up, want a trial then", tr.phase, tr.until.Sub(f.now))
	}

	// It eases to half a CPU: neither busy nor freed, the trial comes when
	// alone's time is up.
	start(2, 1)
	toDue()
	toDue()
	f.others = 0.5
	if toDue(); tr.phase != trySplit || f.now.Before(tr.until) {
		t.Fatalf("the other program at half a CPU: phase %v %v before alone's time is up, want a trial then", tr.phase, tr.until.Sub(f.now))
	}

	// Alone chosen twice with no busy CPU seen (a host taking the virtual
	// CPU away, say): the trial waits for alone's time, twice aloneMin.
	start(2, 0)
	toDue()
	runTrial(true)
	if toDue(); tr.keptFor != 2*aloneMin || tr.phase != trySplit || f.now.Before(tr.until) {
		t.Fatalf("alone won twice, idle: phase %v %v before its time is up, kept for %v; want a trial then, %v", tr.phase, tr.until.Sub(f.now), tr.keptFor, 2*aloneMin)
	}

	start(2, 0) // splitting wins, and another program comes: a trial at the time due
	runTrial(false)
	reads := f.reads
	f.others = 1
	for tr.phase == kept {
		tr.alone(1, clock)
		f.advance(time.Millisecond / 2)
	}
	if f.reads != reads {
		t.Errorf("a kept split read the counters %d times", f.reads-reads)
	}
}

// TestTrialPrimedStartsAloneWhenBusy primes the trial (engine.SetThreads)
// and lets time pass (a training loading its data) before the first
// loop: where other programs kept busy what the caller leaves, that loop
// and the next run alone with no trial, as after a trial that chose alone
// and looks that found busy, for aloneMax (no trial has confirmed it);
// a trial comes then, or as soon as the other program goes. Otherwise
// the first loops split and the first trial comes after keptClock of
// them, as without prime. A prime after a loop has run changes nothing;
// a second prime before the first loop starts the measure again.
func TestTrialPrimedStartsAloneWhenBusy(t *testing.T) {
	var f *fakeLoad
	var tr trial
	clock := func() time.Time { return f.now }
	primeThen := func(others float64, loading time.Duration) {
		f = newFakeLoad(2, others)
		tr = trial{others: otherLoad{read: f.read}}
		tr.prime(f.now)
		f.advance(loading)
	}
	// aloneUntilTrial runs loops of 1 ms until a trial starts, or for
	// limit, and returns how long alone ran, failing on a split loop.
	aloneUntilTrial := func(what string, limit time.Duration) time.Duration {
		from := f.now
		for tr.phase == kept && f.now.Sub(from) < limit {
			if !tr.alone(1, clock) && tr.phase == kept { // the loop that starts a trial splits
				t.Fatalf("%s, %v into the run: a loop split", what, f.now.Sub(from))
			}
			f.advance(time.Millisecond)
		}
		return f.now.Sub(from)
	}

	primeThen(1, time.Second)
	if ran := aloneUntilTrial("busy since prime", maxSkipping); tr.phase != trySplit || ran < aloneMax || ran > aloneMax+keptClock*time.Millisecond {
		t.Errorf("busy since prime: a trial after %v alone (phase %v), want one after aloneMax, %v", ran, tr.phase, aloneMax)
	}
	if most := 2 + int(aloneMax/firstLook); f.reads > most {
		t.Errorf("busy since prime: %d readings, want at most one a look, %d", f.reads, most)
	}
	for tr.phase != kept { // that trial: alone wins by half, the other program still there
		alone := tr.alone(1, clock)
		f.advance(map[bool]time.Duration{true: time.Millisecond, false: 2 * time.Millisecond}[alone])
	}
	if ran := aloneUntilTrial("busy after a trial chose alone", 2*maxSkipping); ran < maxSkipping-aloneMax {
		t.Errorf("busy after a trial chose alone: a trial after %v, want skips up to maxSkipping, %v", ran, maxSkipping)
	}

	// The other program goes: a trial within two looks of firstLook, with
	// both its windows, and looks of aloneMin once it has decided.
	primeThen(1, time.Second)
	aloneUntilTrial("busy since prime", time.Second)
	f.others = 0
	if ran := aloneUntilTrial("the other program gone", aloneMax); tr.phase != trySplit || ran > 2*(firstLook+keptClock*time.Millisecond) {
		t.Errorf("the other program gone: phase %v after %v, want a trial within two looks of %v", tr.phase, ran, firstLook)
	}
	ranAlone := false
	for tr.phase != kept {
		ranAlone = tr.alone(1, clock) || ranAlone
		f.advance(time.Millisecond)
	}
	if !ranAlone || tr.unconfirmed || tr.lookWindow() != aloneMin {
		t.Errorf("the other program gone: the trial ran alone %v, unconfirmed after it %v, looks of %v; want an alone window, then looks of aloneMin", ranAlone, tr.unconfirmed, tr.lookWindow())
	}

	primeThen(0, time.Second) // busy only after a second prime: measured from that one
	f.others = 1
	tr.prime(f.now)
	f.advance(time.Second)
	if !tr.alone(1, clock) {
		t.Errorf("busy since a second prime, idle before it: the first loop split")
	}

	for _, c := range []struct {
		name        string
		others      float64
		loading     time.Duration
		unavailable bool
		trialFirst  bool // a loop has run before prime: it does nothing
	}{
		{"idle", 0, time.Second, false, false},
		{"half a CPU busy", 0.5, time.Second, false, false},
		{"primed too shortly before", 1, aloneMin / 2, false, false},
		{"primed too long before", 1, maxPrimeAge + time.Second, false, false},
		{"load unreadable", 1, time.Second, true, false},
		{"primed after the first loops", 1, time.Second, false, true},
	} {
		f = newFakeLoad(2, c.others)
		f.unavailable = c.unavailable
		tr = trial{others: otherLoad{read: f.read}}
		if c.trialFirst {
			tr.alone(1, clock)
		}
		tr.prime(f.now)
		if c.trialFirst && (tr.primed || f.reads != 0) {
			t.Errorf("%s: primed %v, %d readings; want neither", c.name, tr.primed, f.reads)
		}
		f.advance(c.loading)
		split := 0
		for tr.phase == kept {
			if !tr.alone(1, clock) {
				split++
			}
			if tr.primed {
				t.Fatalf("%s: still primed after a loop", c.name)
			}
			f.advance(time.Millisecond)
		}
		if want := keptClock - map[bool]int{true: 1}[c.trialFirst]; split != want || tr.phase != trySplit {
			t.Errorf("%s: %d loops split before phase %v, want %d and then a trial", c.name, split, tr.phase, want)
		}
	}

	// A prime in a trial's windows, or after it decided, changes nothing
	// and reads nothing.
	f = newFakeLoad(2, 1)
	tr = trial{others: otherLoad{read: f.read}}
	for _, phase := range []trialPhase{trySplit, tryAlone, kept} {
		for tr.phase != phase {
			tr.alone(1, clock)
			f.advance(time.Millisecond)
		}
		state := func() string {
			return fmt.Sprint(tr.phase, tr.chosenAlone, tr.loops, tr.work, tr.started, tr.until, tr.decided, tr.primed, tr.others.started, tr.others.from)
		}
		before, reads := state(), f.reads
		tr.prime(f.now)
		if state() != before || f.reads != reads {
			t.Errorf("a prime in phase %v changed the trial or read the counters", phase)
		}
	}
}

// TestTrialPrimedIdleSparesTheAloneWindow primes the trial and lets time
// pass with the helper's core free: the first trial runs its split window
// only, takes its speed for splitSlowed to watch, and keeps splitting for
// splitMin, and the trial after it runs both windows. Where prime's
// measure did not find the core free (a lighter load than busy, counters
// that cannot be read, a measure too short or too old), or the first
// trial comes maxPrimeAge after the first loop, the first trial runs its
// alone window too.
func TestTrialPrimedIdleSparesTheAloneWindow(t *testing.T) {
	for _, c := range []struct {
		name        string
		cpus        int
		others      float64
		loading     time.Duration
		unavailable bool
		pause       time.Duration // after the first loop
		spared      bool
	}{
		{"idle", 2, 0, time.Second, false, 0, true},
		{"a CPU busy of four", 4, 1, time.Second, false, 0, true},
		{"idle, a pause of a second after the first loop", 2, 0, time.Second, false, time.Second, true},
		{"half a CPU busy", 2, 0.5, time.Second, false, 0, false},
		{"load unreadable", 2, 0, time.Second, true, 0, false},
		{"primed too shortly before", 2, 0, aloneMin / 2, false, 0, false},
		{"primed too long before", 2, 0, maxPrimeAge + time.Second, false, 0, false},
		{"idle, the first trial maxPrimeAge after the first loop", 2, 0, time.Second, false, maxPrimeAge + time.Second, false},
	} {
		f := newFakeLoad(c.cpus, c.others)
		f.unavailable = c.unavailable
		tr := trial{others: otherLoad{read: f.read}}
		clock := func() time.Time { return f.now }
		tr.prime(f.now)
		f.advance(c.loading)
		if tr.alone(1, clock) {
			t.Fatalf("%s: the first loop ran alone", c.name)
		}
		f.advance(time.Millisecond + c.pause)
		// trialAlone runs loops (1 ms split, 2 ms alone: splitting wins)
		// until a trial has ended, and counts the loops it ran alone.
		trialAlone := func() (alone int) {
			for tr.phase == kept {
				if tr.alone(1, clock) {
					t.Fatalf("%s: a loop ran alone while splitting was kept", c.name)
				}
				f.advance(time.Millisecond)
			}
			for tr.phase != kept {
				a := tr.alone(1, clock)
				if a {
					alone++
				}
				f.advance(map[bool]time.Duration{true: 2 * time.Millisecond, false: time.Millisecond}[a])
			}
			return alone
		}
		if n := trialAlone(); (n == 0) != c.spared || tr.chosenAlone || tr.keptFor != splitMin {
			t.Errorf("%s: the first trial ran %d loops alone and kept alone %v for %v; want none alone %v, splitting kept for splitMin", c.name, n, tr.chosenAlone, tr.keptFor, c.spared)
		}
		if math.Abs(tr.splitSpeed-1000) > 1 { // a loop of work 1 a millisecond
			t.Errorf("%s: the split window's speed %v, want 1000 a second", c.name, tr.splitSpeed)
		}
		if n := trialAlone(); n == 0 {
			t.Errorf("%s: the second trial ran no loop alone", c.name)
		}
	}
}

// TestSetThreadsPrimesTheTrial checks that SetThreads primes the helper's
// trial before its first loop with two threads or more, and not with one.
func TestSetThreadsPrimesTheTrial(t *testing.T) {
	h := defaultHelper
	h.mu.Lock()
	saved := h.trial
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		h.trial = saved
		h.mu.Unlock()
	}()
	defer SetThreads(SetThreads(1))
	for _, threads := range []int{1, 2, 3} {
		f := newFakeLoad(2, 1)
		h.mu.Lock()
		h.trial = trial{others: otherLoad{read: f.read}}
		h.mu.Unlock()
		SetThreads(threads)
		h.mu.Lock()
		primed := h.trial.primed
		h.mu.Unlock()
		if want := threads >= 2; primed != want || f.reads != map[bool]int{true: 1}[want] {
			t.Errorf("SetThreads(%d): primed %v after %d readings, want %v", threads, primed, f.reads, want)
		}
	}
}
