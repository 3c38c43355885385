package kernels

import (
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// TestHelperParksWhenNotKeptAwake checks that the helper takes no part and
// parks unless a caller keeps it awake: library users who never train pay
// for no polling thread.
func TestHelperParksWhenNotKeptAwake(t *testing.T) {
	defer SetThreads(SetThreads(2))
	o := Op{M: 1, N: 256, K: 784, TransB: true, LDA: 784, LDB: 784, LDC: 256,
		A: make([]float32, 784), B: make([]float32, 256*784), C: make([]float32, 256)}
	release := KeepHelperAwake()
	if !defaultHelper.shareColumns(&o, gemvChunk) {
		t.Fatal("kept awake, the helper did not take the product")
	}
	release()
	release() // a second call changes nothing
	if n := defaultHelper.awake.Load(); n != 0 {
		t.Fatalf("after release, %d holders keep the helper awake", n)
	}
	if defaultHelper.shareColumns(&o, gemvChunk) {
		t.Fatal("not kept awake, the helper still took the product")
	}
	deadline := time.Now().Add(5 * time.Second)
	for !defaultHelper.parked.Load() {
		if time.Now().After(deadline) {
			t.Fatal("the helper still polls 5 s after its last holder let go")
		}
		time.Sleep(time.Millisecond)
	}
}

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
	window(trialLoops, time.Millisecond)
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
		window(trialLoops, time.Millisecond)
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
	window(trialLoops, time.Millisecond)
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

// splitting sets the engine to two threads with the helper awake and the
// trial's choice to split for the next hour, so that products and
// Parallel tasks do go to the helper; it returns a function telling how
// many loops have been posted since, and undoes all of it at the test's
// end.
func splitting(t *testing.T) (posted func() uint64) {
	t.Helper()
	previous := SetThreads(2)
	release := KeepHelperAwake()
	h := defaultHelper
	h.mu.Lock()
	saved := h.trial
	h.trial = trial{until: time.Now().Add(time.Hour)}
	h.mu.Unlock()
	t.Cleanup(func() {
		h.mu.Lock()
		h.trial = saved
		h.mu.Unlock()
		release()
		SetThreads(previous)
	})
	start := h.state.Load() >> 48
	return func() uint64 { return (h.state.Load()>>48 - start) & 0xffff }
}

// countChunks counts how often each chunk runs.
type countChunks struct{ runs []atomic.Int32 }

func (c *countChunks) Run(i int) { c.runs[i].Add(1) }

// TestParallelRunsEachChunkOnce checks Parallel: every chunk once, on two
// threads when the helper is awake and free; false, having run nothing,
// with one thread, without the helper, or from inside a chunk; and no
// task left behind for the next product.
func TestParallelRunsEachChunkOnce(t *testing.T) {
	if Parallel(2, &countChunks{runs: make([]atomic.Int32, 2)}) {
		t.Fatal("Parallel without the helper awake: true")
	}
	posted := splitting(t)
	for _, n := range []int{2, 3, 7, 64} {
		c := &countChunks{runs: make([]atomic.Int32, n)}
		if !Parallel(n, c) {
			t.Fatalf("Parallel(%d) with the helper awake: false", n)
		}
		for i := range c.runs {
			if got := c.runs[i].Load(); got != 1 {
				t.Fatalf("Parallel(%d): chunk %d ran %d times", n, i, got)
			}
		}
	}
	if posted() < 4 {
		t.Errorf("%d loops posted for 4 Parallel calls", posted())
	}
	if defaultHelper.l.task != nil {
		t.Error("Parallel left its task in the helper's loop")
	}
	nested := &nestedTask{}
	if !Parallel(2, nested) || nested.inner.Load() != 0 {
		t.Errorf("Parallel from inside a chunk ran on the helper (%d inner calls succeeded)", nested.inner.Load())
	}
	SetThreads(1)
	if Parallel(2, &countChunks{runs: make([]atomic.Int32, 2)}) {
		t.Error("Parallel on one thread: true")
	}
}

// nestedTask calls Parallel from each of its chunks.
type nestedTask struct{ inner atomic.Int32 }

func (n *nestedTask) Run(int) {
	if Parallel(2, &countChunks{runs: make([]atomic.Int32, 2)}) {
		n.inner.Add(1)
	}
}

// TestHalfSplitsAtAnAlignedMiddle checks Half: the two halves cover [0, n)
// without overlap, meet at a multiple of align at or below n/2, and the
// second is never the shorter by align or more.
func TestHalfSplitsAtAnAlignedMiddle(t *testing.T) {
	for _, c := range []struct{ n, align, mid int }{
		{0, 1, 0}, {1, 1, 0}, {2, 1, 1}, {7, 1, 3}, {128, 1, 64},
		{100, 16, 48}, {31, 16, 0}, {32, 16, 16}, {33, 8, 16}, {5, 0, 2},
	} {
		lo0, hi0 := Half(0, c.n, c.align)
		lo1, hi1 := Half(1, c.n, c.align)
		if lo0 != 0 || hi0 != c.mid || lo1 != c.mid || hi1 != c.n {
			t.Errorf("Half(·, %d, %d) = [%d, %d) and [%d, %d), want [0, %d) and [%d, %d)",
				c.n, c.align, lo0, hi0, lo1, hi1, c.mid, c.mid, c.n)
		}
	}
}

// TestHalvesRunsBothHalvesOnce checks Halves: both chunks once, whether it
// splits or not, with the helper asleep and awake, posted to the helper
// only when it is awake and asked to split.
func TestHalvesRunsBothHalvesOnce(t *testing.T) {
	posted := func() uint64 { return 0 }
	check := func(when string, split bool, wantPosted uint64) {
		c := &countChunks{runs: make([]atomic.Int32, 2)}
		before := posted()
		Halves(c, split)
		if got := posted() - before; got != wantPosted {
			t.Errorf("%s, split %v: %d loops posted, want %d", when, split, got, wantPosted)
		}
		for i := range c.runs {
			if got := c.runs[i].Load(); got != 1 {
				t.Errorf("%s, split %v: chunk %d ran %d times, want 1", when, split, i, got)
			}
		}
	}
	check("helper asleep", true, 0)
	check("helper asleep", false, 0)
	posted = splitting(t)
	check("helper awake", true, 1)
	check("helper awake", false, 0)
}

// TestTrialWindowsEndInTime runs a trial on loops of tens of milliseconds,
// a large network's products (30 ms split, 60 alone): each window ends once
// it has lasted trialWindow, not after trialLoops of them, and the faster
// way is kept.
func TestTrialWindowsEndInTime(t *testing.T) {
	tr := trial{phase: trySplit, others: unmeasured}
	now := time.Unix(0, 0)
	clock := func() time.Time { return now }
	var ways []bool
	for range 7 {
		alone := tr.alone(1, clock)
		ways = append(ways, alone)
		now = now.Add(map[bool]time.Duration{false: 30 * time.Millisecond, true: 60 * time.Millisecond}[alone])
	}
	// four split (the fifth starts at 120 ms), two alone, then split kept
	want := []bool{false, false, false, false, true, true, false}
	if !slices.Equal(ways, want) {
		t.Errorf("loops alone %v, want %v", ways, want)
	}
	if tr.phase != kept || tr.chosenAlone {
		t.Errorf("after the two windows: phase %v, alone %v; want split kept", tr.phase, tr.chosenAlone)
	}
}

// TestAloneMeansAlone has the trial choose the caller alone (as when
// another program keeps the second core busy): products that would go to
// the helper in bands or in blocks then post no loop and do not go to the
// pool's workers either, whose thread would take the busy core all the same;
// a product the helper would not take (another goroutine holds it) still
// goes to the pool.
func TestAloneMeansAlone(t *testing.T) {
	posted := splitting(t)
	h := defaultHelper
	h.mu.Lock()
	h.trial = trial{chosenAlone: true, until: time.Now().Add(time.Hour)}
	h.mu.Unlock()
	rng := rand.New(rand.NewPCG(12, 12))
	for _, sh := range [][3]int{{128, 1024, 1024}, {600, 600, 900}} { // bands, blocks: two workers' worth each
		o := randomOp(rng, sh[0], sh[1], sh[2], false, true, false)
		if defaultPool.split(&o) != 2 {
			t.Fatalf("%v: split %d, want a product the pool would share", sh, defaultPool.split(&o))
		}
		loops, runs := posted(), defaultPool.runs.Load()
		Gemm(o)
		if posted() != loops || defaultPool.runs.Load() != runs {
			t.Errorf("%v with the caller chosen alone: %d loops posted, %d pool runs", sh, posted()-loops, defaultPool.runs.Load()-runs)
		}
		h.mu.Lock() // another goroutine has the helper: the pool
		Gemm(o)
		h.mu.Unlock()
		if defaultPool.runs.Load() != runs+1 {
			t.Errorf("%v with the helper taken: %d pool runs, want 1", sh, defaultPool.runs.Load()-runs)
		}
	}
}
