package kernels

import (
	"math"
	"slices"
	"testing"
	"time"
)

// TestTrialKeepsTheFasterWay runs trials on a clock of its own: a split
// window, an alone window, then the faster way kept, for twice as long
// each time it wins again (alone from aloneMin to aloneMax; split from
// splitMin to splitMax, where splitSlowed watched it and did not cut it
// short), and from aloneMin when alone wins after splitting; while kept,
// the clock is read once every keptClock loops.
func TestTrialKeepsTheFasterWay(t *testing.T) {
	tr := trial{others: unmeasured}
	now, reads := time.Unix(0, 0), 0
	clock := func() time.Time { reads++; return now }
	// window runs n loops of unit work, each taking d, and returns how many
	// of them ran alone.
	window := func(n int, d time.Duration) (alone int) {
		for range n {
			if tr.alone(1, clock) {
				alone++
			}
			now = now.Add(d)
		}
		return alone
	}
	// toTrial runs kept loops until the next trial starts, as the clock
	// allows, and returns how many ran alone. The last of them is the first
	// loop of the trial's split window.
	toTrial := func() (loops, alone int) {
		for tr.phase == kept && loops < 10*keptClock {
			if tr.alone(1, clock) {
				alone++
			}
			loops++
		}
		return loops, alone
	}
	if loops, _ := toTrial(); loops != keptClock {
		t.Fatalf("the first trial started after %d loops, want %d", loops, keptClock)
	}
	if n := window(trialLoops-1, time.Millisecond); n != 0 {
		t.Fatalf("the first window ran %d loops alone; a trial starts split", n)
	}
	if n := window(trialLoops, time.Millisecond/2); n != trialLoops { // alone is twice as fast
		t.Fatalf("the second window ran %d of %d loops alone", n, trialLoops)
	}
	if !tr.alone(1, clock) || tr.phase != kept || tr.keptFor != aloneMin {
		t.Fatalf("alone won: phase %v, alone %v, for %v", tr.phase, tr.chosenAlone, tr.keptFor)
	}
	reads = 0
	if _, alone := toTrial(); alone != 10*keptClock || reads != 10 {
		t.Fatalf("kept alone before its time: %d of %d loops alone, %d clock reads", alone, 10*keptClock, reads)
	}
	now = now.Add(aloneMin) // the next trial, and alone wins again: kept twice as long
	toTrial()
	window(trialLoops-1, time.Millisecond)
	window(trialLoops, time.Millisecond/2)
	if !tr.alone(1, clock) || tr.keptFor != 2*aloneMin {
		t.Fatalf("alone won twice: for %v, want %v", tr.keptFor, 2*aloneMin)
	}
	now = now.Add(2 * aloneMin) // then splitting wins: kept for splitMin
	toTrial()
	window(trialLoops-1, time.Millisecond/2)
	window(trialLoops/2, time.Millisecond) // alone clearly slower: its window ends at half (windowOver)
	if tr.alone(1, clock) || tr.chosenAlone || !tr.until.Equal(now.Add(splitMin)) {
		t.Fatalf("split won: alone %v, until %v, want %v", tr.chosenAlone, tr.until.Sub(now), splitMin)
	}
	if n := window(int((splitMin-time.Millisecond)/(time.Millisecond/2)), time.Millisecond/2); n != 0 || tr.phase != kept {
		t.Fatal("splitting, as fast as in its trial, was not kept until the next trial")
	}
	// splitWins runs kept loops, split, of pace each until the next trial
	// starts, then the trial with split twice as fast as alone, and
	// reports the time splitting is kept for.
	splitWins := func(pace time.Duration) time.Duration {
		for tr.phase == kept {
			tr.alone(1, clock)
			now = now.Add(pace)
		}
		window(trialLoops-1, time.Millisecond/2)
		alone := trialLoops / 2 // alone clearly slower: its window ends at half (windowOver)
		if tr.early {
			alone = trialLoops // but not in a trial splitSlowed started
		}
		window(alone, time.Millisecond)
		if tr.alone(1, clock) {
			t.Fatal("split lost a trial it won")
		}
		return tr.until.Sub(now)
	}
	for _, want := range []time.Duration{2 * splitMin, 4 * splitMin, splitMax, splitMax} { // and wins again, watched at its pace
		if got := splitWins(time.Millisecond / 2); got != want {
			t.Fatalf("split won again: kept for %v, want %v", got, want)
		}
	}
	if got := splitWins(time.Millisecond); got != splitMin { // slowed to half: tried early, and kept from the start
		t.Fatalf("split won a trial that splitSlowed started: kept for %v, want %v", got, splitMin)
	}
	splitWins(time.Millisecond / 2)
	now = tr.until // not watched (no clock read in its time but the last)
	if _, alone := toTrial(); alone != 0 {
		t.Fatal("kept split ran alone")
	}
	window(trialLoops-1, time.Millisecond/2)
	window(trialLoops/2, time.Millisecond) // alone clearly slower: its window ends at half (windowOver)
	if tr.alone(1, clock) || tr.until.Sub(now) != splitMin {
		t.Fatalf("split won after a kept split no measure watched: kept for %v, want %v", tr.until.Sub(now), splitMin)
	}
	now = tr.until // then alone wins: kept for aloneMin, from the start
	toTrial()
	window(trialLoops-1, time.Millisecond)
	window(trialLoops, time.Millisecond/2)
	if !tr.alone(1, clock) || tr.keptFor != aloneMin {
		t.Fatalf("alone won after splitting: alone %v, for %v, want %v", tr.chosenAlone, tr.keptFor, aloneMin)
	}
	now = now.Add(aloneMin) // split a little faster, within the margin: alone is kept
	toTrial()
	window(trialLoops-1, time.Millisecond)
	window(trialLoops, time.Duration(float64(time.Millisecond)*(1+splitMargin)/2))
	if !tr.alone(1, clock) || !tr.chosenAlone {
		t.Fatalf("split %.2fx as fast as alone, under the margin %.2f: alone %v", 2/(1+splitMargin), splitMargin, tr.chosenAlone)
	}
}

// TestTrialWindowsLastMinTrialWindow runs a trial on loops of 0.1 ms, a
// small network's: each window lasts minTrialWindow, many more than
// trialLoops loops, so that it spans several of the scheduler's time
// slices.
func TestTrialWindowsLastMinTrialWindow(t *testing.T) {
	tr := trial{phase: trySplit, others: unmeasured}
	now := time.Unix(0, 0)
	clock := func() time.Time { return now }
	const pace = 100 * time.Microsecond
	split := 0
	for ; tr.phase == trySplit; split++ {
		tr.alone(1, clock)
		now = now.Add(pace)
	}
	if want := int(minTrialWindow / pace); split < want || split > want+1 {
		t.Errorf("the split window ran %d loops of %v, want %d", split, pace, want)
	}
}

// TestTrialEndsAloneWindowEarly runs trials whose split loops take 0.1
// ms (4 ms for a large network's) and alone loops longer or shorter.
// Where alone is clearly slower (below 1/aloneClearlySlower of the split
// speed), its window ends at half, minTrialWindow/2 (trialWindow/2 for
// the large loops), and splitting is kept; a little slower, or faster,
// and it lasts minTrialWindow, and the margin decides. A trial started
// early runs its full alone window however slow alone is, and a split
// window is never cut short, even one slower than the last trial's.
func TestTrialEndsAloneWindowEarly(t *testing.T) {
	const pace = 100 * time.Microsecond
	for _, c := range []struct {
		name                 string
		splitPace, alonePace time.Duration
		early                bool
		lastSplit            float64       // the split speed a trial before measured, loops a second
		window               time.Duration // how long the alone window lasts
		aloneKept            bool
	}{
		{"split 2× as fast", pace, 2 * pace, false, 0, minTrialWindow / 2, false},
		{"1.4×", pace, pace * 14 / 10, false, 0, minTrialWindow / 2, false},
		{"1.35×", pace, pace * 135 / 100, false, 0, minTrialWindow / 2, false},
		{"1.25×: within aloneClearlySlower, past splitMargin", pace, pace * 125 / 100, false, 0, minTrialWindow, false},
		{"1.1×: within splitMargin", pace, pace * 11 / 10, false, 0, minTrialWindow, true},
		{"alone faster", pace, pace / 2, false, 0, minTrialWindow, true},
		{"a trial started early", pace, 2 * pace, true, 0, minTrialWindow, false},
		{"large loops, split 2× as fast", 40 * pace, 80 * pace, false, 0, trialWindow / 2, false},
		{"a split slower than the last trial's", pace, 2 * pace, false, 1e9, minTrialWindow / 2, false},
	} {
		tr := trial{phase: trySplit, early: c.early, splitSpeed: c.lastSplit, others: unmeasured}
		now := time.Unix(0, 0)
		clock := func() time.Time { return now }
		tr.alone(1, clock) // the split window's first loop: it starts the window
		now = now.Add(c.splitPace)
		for {
			tr.alone(1, clock)
			if tr.phase != trySplit { // this loop ended the split window and is the alone window's first
				now = now.Add(c.alonePace)
				break
			}
			now = now.Add(c.splitPace)
		}
		split, want := tr.started.Sub(time.Unix(0, 0)), minTrialWindow
		if c.splitPace*trialLoops > trialWindow {
			want = trialWindow
		}
		if split < want || split > want+c.splitPace {
			t.Errorf("%s: the split window lasted %v, want %v", c.name, split, want)
		}
		begun := tr.started // the alone window's start
		for tr.phase == tryAlone {
			tr.alone(1, clock)
			now = now.Add(c.alonePace)
		}
		got := tr.started.Sub(begun) // keep starts the kept way's measure when the window ends
		if got < c.window || got > c.window+c.alonePace {
			t.Errorf("%s: the alone window lasted %v, want %v", c.name, got, c.window)
		}
		if tr.chosenAlone != c.aloneKept {
			t.Errorf("%s: alone kept %v, want %v", c.name, tr.chosenAlone, c.aloneKept)
		}
	}
}

// TestTrialRetriesSlowedSplit keeps a way (split, where the trial's split
// loops take 0.1 ms and alone ones 0.2 ms; alone, the other way round),
// runs its loops for a second at the trial's pace, then, optionally, stops
// for a pause, and then runs them at another pace (another program took
// the second core, or left it) until the next trial. A kept split slowed
// below splitSlowdown of its trial's speed is tried again within three
// measures (minTrialWindow and a clock read each: two slow ones in a row,
// after the one the change falls in) and not before minTrialWindow has
// passed; a split a little slower, a pause, a stall of a few milliseconds
// (the host taking a virtual CPU away: one slow measure), or an alone way
// however slow waits for its time.
func TestTrialRetriesSlowedSplit(t *testing.T) {
	const fast, slow = 100 * time.Microsecond, 200 * time.Microsecond
	for _, c := range []struct {
		name        string
		aloneWins   bool
		pause, pace time.Duration
		retry       bool
	}{
		{"split at half its speed", false, 0, 2 * fast, true},
		{"split at 0.7 of its speed", false, 0, fast * 10 / 7, true},
		{"split at 0.8 of its speed", false, 0, fast * 10 / 8, false},
		{"split at its speed after a pause", false, 300 * time.Millisecond, fast, false},
		{"split at its speed after a stall of 10 ms", false, 10 * time.Millisecond, fast, false}, // one slow measure
		{"alone at a fifth of its speed", true, 0, 5 * fast, false},
	} {
		now := time.Unix(0, 0)
		clock := func() time.Time { return now }
		tr := trial{phase: trySplit, others: unmeasured}
		for tr.phase != kept {
			alone := tr.alone(1, clock)
			now = now.Add(map[bool]time.Duration{false: fast, true: slow}[alone != c.aloneWins])
		}
		if tr.chosenAlone != c.aloneWins {
			t.Fatalf("%s: alone kept %v", c.name, tr.chosenAlone)
		}
		for end := now.Add(time.Second); now.Before(end); {
			tr.alone(1, clock)
			now = now.Add(fast)
		}
		if tr.phase != kept {
			t.Fatalf("%s: a trial at the kept way's own pace", c.name)
		}
		now = now.Add(c.pause)
		changed, loops := now, 0
		for ; tr.phase == kept && now.Before(tr.until); loops++ {
			tr.alone(1, clock)
			now = now.Add(c.pace)
		}
		retried := tr.phase == trySplit && now.Before(tr.until)
		after := now.Sub(changed)
		if retried != c.retry {
			t.Errorf("%s: a trial %v after %d loops (%v), want %v", c.name, retried, loops, after, c.retry)
		}
		if measure := minTrialWindow + keptClock*c.pace; retried && (after < minTrialWindow || after > 3*measure) {
			t.Errorf("%s: the trial started %v after the change, want between %v and %v", c.name, after, minTrialWindow, 3*measure)
		}
	}
}

// TestTrialLargeLoopsKeepSplitMin keeps splitting on loops of 5 ms, a
// large network's products (10 ms alone), whose keptClock loops take
// longer than trialWindow: splitSlowed judges none of them, so a split
// kept at their pace and winning again is kept for splitMin, not twice
// as long.
func TestTrialLargeLoopsKeepSplitMin(t *testing.T) {
	const fast, slow = 5 * time.Millisecond, 10 * time.Millisecond
	now := time.Unix(0, 0)
	clock := func() time.Time { return now }
	tr := trial{phase: trySplit, others: unmeasured}
	loop := func() {
		alone := tr.alone(1, clock)
		now = now.Add(map[bool]time.Duration{false: fast, true: slow}[alone])
	}
	for tr.phase != kept {
		loop()
	}
	for tr.phase == kept { // its time at its pace, then a trial it wins
		loop()
	}
	for tr.phase != kept {
		loop()
	}
	if tr.chosenAlone || tr.keptFor != splitMin || tr.watched {
		t.Fatalf("split won again, unwatched: alone %v, kept for %v, watched %v; want splitting for %v", tr.chosenAlone, tr.keptFor, tr.watched, splitMin)
	}
}

// TestTrialSlowedPastTrialWindow keeps splitting, watched, on loops of
// 2 ms (32 of them in 64 ms), until it is kept for splitMax; then a second
// program slows them to 4 ms, and 32 take longer than trialWindow, too
// long to judge: the split is tried again within splitMin and three reads, not
// when its splitMax is up, and splitting, winning that trial, is kept for
// splitMin.
func TestTrialSlowedPastTrialWindow(t *testing.T) {
	const fast, slow = 2 * time.Millisecond, 4 * time.Millisecond
	now := time.Unix(0, 0)
	clock := func() time.Time { return now }
	tr := trial{phase: trySplit, others: unmeasured}
	pace := fast
	loop := func() {
		alone := tr.alone(1, clock)
		now = now.Add(map[bool]time.Duration{false: pace, true: slow}[alone])
	}
	for tr.keptFor < splitMax || tr.phase != kept {
		loop()
	}
	for end := now.Add(time.Second); now.Before(end); {
		loop()
	}
	changed := now
	pace = slow
	for tr.phase == kept {
		loop()
	}
	if after, most := now.Sub(changed), splitMin+3*keptClock*slow; after > most { // a read that still judges, one that cannot, splitMin, and the read after it
		t.Fatalf("slowed past trialWindow, tried again %v after, want within %v", after, most)
	}
	pace = fast // the trial: splitting wins
	for tr.phase != kept {
		loop()
	}
	if tr.chosenAlone || tr.keptFor != splitMin {
		t.Errorf("after an unwatched stretch, kept alone %v for %v, want splitting for %v", tr.chosenAlone, tr.keptFor, splitMin)
	}
}

// TestTrialForgetsASlowMeasure keeps splitting, lets one measure be slow
// (a stall of 10 ms), and then pauses longer than trialWindow (and runs
// until the clock has been read twice) or runs a trial that keeps
// splitting: a second stall right after is then the first slow measure of
// a row again, and no trial starts early.
func TestTrialForgetsASlowMeasure(t *testing.T) {
	const fast, slow, stall = 100 * time.Microsecond, 200 * time.Microsecond, 10 * time.Millisecond
	for _, forget := range []string{"pause", "trial"} {
		now := time.Unix(0, 0)
		clock := func() time.Time { return now }
		tr := trial{phase: trySplit, others: unmeasured}
		loop := func() { // split takes fast, alone slow
			alone := tr.alone(1, clock)
			now = now.Add(map[bool]time.Duration{false: fast, true: slow}[alone])
		}
		for end := now.Add(time.Second); now.Before(end); { // a trial, and splitting kept
			loop()
		}
		now = now.Add(stall)
		for !tr.slowMeasure && tr.phase == kept {
			loop()
		}
		switch forget {
		case "pause":
			now = now.Add(2 * trialWindow)
			for range 2 * keptClock { // a clock read that starts the measure again, and one in it
				loop()
			}
		case "trial":
			now = tr.until
			for tr.phase == kept {
				loop()
			}
			for tr.phase != kept {
				loop()
			}
		}
		if tr.phase != kept || tr.chosenAlone {
			t.Fatalf("%s: phase %v, alone %v before the second stall", forget, tr.phase, tr.chosenAlone)
		}
		until := tr.until
		now = now.Add(stall)
		for end := now.Add(3 * trialWindow); now.Before(end) && now.Before(until) && tr.phase == kept; {
			loop()
		}
		if tr.phase != kept || !tr.until.Equal(until) || !now.Before(until) {
			t.Errorf("after a slow measure and a %s, one more slow measure started a trial", forget)
		}
	}
}

// TestTrialWindowsEndInTime runs a trial on loops of tens of milliseconds,
// a large network's products (30 ms split, 36 alone: split faster by more
// than splitMargin, less than aloneClearlySlower): each window ends once
// it has lasted trialWindow, not after trialLoops of them, and the faster
// way is kept.
func TestTrialWindowsEndInTime(t *testing.T) {
	tr := trial{phase: trySplit, others: unmeasured}
	now := time.Unix(0, 0)
	clock := func() time.Time { return now }
	var ways []bool
	for range 8 {
		alone := tr.alone(1, clock)
		ways = append(ways, alone)
		now = now.Add(map[bool]time.Duration{false: 30 * time.Millisecond, true: 36 * time.Millisecond}[alone])
	}
	// four split (the fifth starts at 120 ms), three alone (the next at 108 ms), then split kept
	want := []bool{false, false, false, false, true, true, true, false}
	if !slices.Equal(ways, want) {
		t.Errorf("loops alone %v, want %v", ways, want)
	}
	if tr.phase != kept || tr.chosenAlone {
		t.Errorf("after the two windows: phase %v, alone %v; want split kept", tr.phase, tr.chosenAlone)
	}
}

// TestTrialWindowLeavesOutAPause runs trials whose caller lets go of the
// helper for half a second in the middle of a window (paused), as a
// program building its next network between trainings does: the window
// leaves the pause out and goes on with its loops (the split window takes
// as many as without the pause), so the split window's speed is its
// loops' speed, and the faster way wins, though the pause fell in its
// window.
func TestTrialWindowLeavesOutAPause(t *testing.T) {
	for _, c := range []struct {
		pauseIn              trialPhase
		splitPace, alonePace time.Duration
		wantAlone            bool
	}{
		{trySplit, 100 * time.Microsecond, 150 * time.Microsecond, false},
		{tryAlone, 100 * time.Microsecond, 60 * time.Microsecond, true},
	} {
		splitCalls := map[bool]int{}
		for _, pause := range []bool{false, true} {
			tr := trial{phase: trySplit, others: unmeasured}
			now := time.Unix(0, 0)
			clock := func() time.Time { return now }
			paused := false
			for tr.phase != kept {
				if pause && tr.phase == c.pauseIn && tr.loops == 20 && !paused {
					tr.paused(now)
					now = now.Add(500 * time.Millisecond)
					paused = true
				}
				if tr.phase == trySplit {
					splitCalls[pause]++
				}
				if tr.alone(1, clock) {
					now = now.Add(c.alonePace)
				} else {
					now = now.Add(c.splitPace)
				}
			}
			want := 1 / c.splitPace.Seconds()
			if paused != pause || tr.chosenAlone != c.wantAlone || math.Abs(tr.splitSpeed/want-1) > 0.01 {
				t.Errorf("a pause (%v) in window %d, split loops of %v, alone of %v: alone chosen %v, split at %.0f loops/s; want %v, %.0f",
					paused, c.pauseIn, c.splitPace, c.alonePace, tr.chosenAlone, tr.splitSpeed, c.wantAlone, want)
			}
		}
		if splitCalls[true] != splitCalls[false] {
			t.Errorf("a pause in window %d: the split window took %d loops, %d without it", c.pauseIn, splitCalls[true], splitCalls[false])
		}
	}
}

// TestReleasePausesTheTrial: letting go of the last hold on the helper
// (KeepHelperAwake's release), even while another goroutine holds mu,
// pauses a trial's window in progress at the next loop that consults it
// (helper.alone, trial.paused); letting go of one of two holds does not.
func TestReleasePausesTheTrial(t *testing.T) {
	defer SetThreads(SetThreads(2))
	h := defaultHelper
	if n := h.awake.Load(); n != 0 {
		t.Fatalf("%d holds on the helper left by other tests", n)
	}
	for _, holders := range []int{1, 2} {
		var releases []func()
		for range holders {
			releases = append(releases, KeepHelperAwake())
		}
		h.mu.Lock() // as a goroutine running a loop would
		saved := h.trial
		start := time.Now().Add(-time.Millisecond)
		h.trial = trial{phase: trySplit, loops: 5, started: start, others: unmeasured}
		h.releasedAt.Store(0)
		releases[0]()
		h.alone(1)
		moved := h.trial.started.After(start)
		h.trial = saved
		h.mu.Unlock()
		for _, release := range releases[1:] {
			release()
		}
		if moved != (holders == 1) {
			t.Errorf("%d holders, one let go: the split window's start moved %v, want %v", holders, moved, holders == 1)
		}
	}
}

// TestSplitsNowFollowsTheTrial: splitsNow reports the trial's choice at
// the last loop that consulted it (helper.alone), and false on one
// thread or with no caller holding the helper; StreamStores reports it
// where the cores are far apart (handoff.far), else false.
func TestSplitsNowFollowsTheTrial(t *testing.T) {
	defer SetThreads(SetThreads(2))
	h := defaultHelper
	if n := h.awake.Load(); n != 0 {
		t.Fatalf("%d holds on the helper left by other tests", n)
	}
	release := KeepHelperAwake()
	defer release()
	h.mu.Lock()
	saved, savedSplitting, savedFar := h.trial, h.splitting.Load(), h.handoff.far.Load()
	defer h.handoff.far.Store(savedFar)
	now := time.Now()
	for _, alone := range []bool{false, true, false} {
		h.trial = trial{phase: kept, chosenAlone: alone, until: now.Add(time.Hour), decided: now, others: unmeasured}
		if got := h.alone(1); got != alone {
			t.Fatalf("the trial kept alone=%v, the loop ran alone=%v", alone, got)
		}
		if splitsNow() == alone {
			t.Errorf("after a loop kept alone=%v, splitsNow() = %v", alone, splitsNow())
		}
		for _, far := range []bool{false, true} {
			h.handoff.far.Store(far)
			if got := StreamStores(); got != (far && !alone) {
				t.Errorf("alone=%v, far=%v: StreamStores() = %v", alone, far, got)
			}
		}
	}
	SetThreads(1)
	if splitsNow() || StreamStores() {
		t.Errorf("on one thread, splitsNow() = %v, StreamStores() = %v (far)", splitsNow(), StreamStores())
	}
	SetThreads(2)
	release()
	if splitsNow() || StreamStores() {
		t.Errorf("with no holder, splitsNow() = %v, StreamStores() = %v (far)", splitsNow(), StreamStores())
	}
	h.trial = saved
	h.splitting.Store(savedSplitting)
	h.releasedAt.Store(0) // no pause for the next test's trial
	h.mu.Unlock()
}
