package kernels

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
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

// keptTrial is a trial that has chosen its way (alone or split) for the
// next hour and never reads its clock in a test's time: its loop count
// starts so low that it never reaches keptClock. Read, the kept way would
// not last: the first read (lastRead still zero, a gap of more than
// trialWindow) cuts a split's hour to splitMin, and a test that ran
// longer than that (products slowed by the race detector) saw a trial's
// alone window leave its products unshared; a kept alone looks at the
// other programs' load at each read.
func keptTrial(alone bool) trial {
	return trial{chosenAlone: alone, until: time.Now().Add(time.Hour), loops: math.MinInt}
}

// TestKeptTrialStaysKept holds keptTrial to its promise: loops a quarter
// of a second apart for a minute of a fake clock, far past splitMin and
// trialWindow, all the way it was set.
func TestKeptTrialStaysKept(t *testing.T) {
	for _, alone := range []bool{false, true} {
		tr := keptTrial(alone)
		start := time.Now()
		now := start
		clock := func() time.Time { return now }
		for i := range 240 {
			if got := tr.alone(1e6, clock); got != alone {
				t.Fatalf("kept alone %v: loop %d, %v after the start: alone %v", alone, i, now.Sub(start), got)
			}
			now = now.Add(time.Second / 4)
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
	h.trial = keptTrial(false)
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
	h.trial = keptTrial(true)
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

// TestHelperLoopsCountTheTrialsChoice checks HelperLoops: a product the
// helper shares counts as shared, one the trial keeps on the caller as
// alone, and on one thread neither.
func TestHelperLoopsCountTheTrialsChoice(t *testing.T) {
	splitting(t)
	o := Op{M: 128, N: 256, K: 256, LDA: 256, LDB: 256, LDC: 256,
		A: make([]float32, 128*256), B: make([]float32, 256*256), C: make([]float32, 128*256)}
	for _, c := range []struct {
		name    string
		threads int
		alone   bool
	}{{"split", 2, false}, {"alone", 2, true}, {"one thread", 1, false}} {
		SetThreads(c.threads)
		h := defaultHelper
		h.mu.Lock()
		h.trial = keptTrial(c.alone)
		h.mu.Unlock()
		shared0, alone0 := HelperLoops()
		for range 3 {
			Gemm(o)
		}
		shared, alone := HelperLoops()
		want := [2]uint64{3, 0}
		switch {
		case c.threads == 1:
			want = [2]uint64{0, 0}
		case c.alone:
			want = [2]uint64{0, 3}
		}
		if got := [2]uint64{shared - shared0, alone - alone0}; got != want {
			t.Errorf("%s: %d shared and %d alone, want %v", c.name, got[0], got[1], want)
		}
	}
}

// collectingChunks is a task whose chunks start a garbage collection,
// which stops the world: every other goroutine must reach a safe point.
type collectingChunks struct{}

func (collectingChunks) Run(int) { runtime.GC() }

// TestWaitYieldsToTheCollector: with asynchronous preemption off
// (GODEBUG=asyncpreemptoff=1), a caller waiting for the helper's last
// chunk reaches a safe point, so that a collection a chunk on the helper
// starts can stop it (a trial's `wiggle predict` of a maxout network hung
// so, at 100% of a core, in 7 runs of 20). The loops run in a child
// process with the setting, which must end within a minute.
func TestWaitYieldsToTheCollector(t *testing.T) {
	if os.Getenv("WIGGLE_WAIT_CHILD") == "1" {
		defer SetThreads(SetThreads(2))
		release := KeepHelperAwake()
		defer release()
		for range 200 {
			Parallel(2, collectingChunks{})
		}
		return
	}
	if testing.Short() {
		t.Skip("runs a child process of 200 collections")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestWaitYieldsToTheCollector$", "-test.count=1")
	cmd.Env = append(os.Environ(), "WIGGLE_WAIT_CHILD=1", "GODEBUG=asyncpreemptoff=1")
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatal("200 loops whose helper's chunk collects garbage did not end within a minute: the wait has no safe point")
	}
	if err != nil {
		t.Fatalf("the child: %v\n%s", err, out)
	}
}
