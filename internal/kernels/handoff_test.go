package kernels

import (
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wigglenn/wiggle/internal/clock"
)

// TestHandoffQuantile holds far to the handoffQuantile-th fastest of the
// last handoffSamples samples: undecided (false) until there are that
// many, unmoved by late starts up to the samples above the quantile, and
// following the host when the distance changes.
func TestHandoffQuantile(t *testing.T) {
	const (
		close = int64(120 * time.Nanosecond)
		far   = int64(500 * time.Nanosecond)
		late  = int64(2500 * time.Nanosecond) // the helper finishing a background chunk
	)
	var d handoff
	for i := range handoffSamples - 1 {
		d.record(far)
		if d.far.Load() {
			t.Fatalf("far after %d samples, before there are %d", i+1, handoffSamples)
		}
	}
	d.record(far)
	if !d.far.Load() || d.quantile.Load() != far {
		t.Fatalf("%d samples of %d ns: far %v, quantile %d ns", handoffSamples, far, d.far.Load(), d.quantile.Load())
	}

	// Close, with late starts in all samples but the quantile's few.
	for i := range handoffSamples {
		if i < handoffSamples-handoffQuantile {
			d.record(late)
		} else {
			d.record(close)
		}
	}
	if !d.far.Load() {
		t.Fatalf("%d fast samples of %d, the rest late starts: far turned false before the quantile was fast", handoffQuantile, handoffSamples)
	}
	d.record(close) // replaces the oldest late start
	if d.far.Load() || d.quantile.Load() != close {
		t.Errorf("%d fast samples of %d, the rest late starts: still far", handoffQuantile+1, handoffSamples)
	}

	for range handoffSamples - handoffQuantile - 1 {
		d.record(far)
	}
	if d.far.Load() {
		t.Errorf("the far samples not yet past the quantile: far already")
	}
	d.record(far)
	if !d.far.Load() {
		t.Errorf("%d far samples of the last %d: not far", handoffSamples-handoffQuantile, handoffSamples)
	}
}

// TestHandoffTimesLoops: with the helper awake, one posted loop in
// handoffEvery is timed, and the helper records the time it took to take
// its first chunk: 31·8−1 loops give 30 samples, one more the 31st, each
// between the post and the loop's end, and far and Handoff are their
// quantile's.
func TestHandoffTimesLoops(t *testing.T) {
	defer SetThreads(SetThreads(2))
	h := defaultHelper
	release := KeepHelperAwake()
	h.mu.Lock()
	saved := h.trial
	h.trial = keptTrial(false) // split every loop
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		h.trial = saved
		h.releasedAt.Store(0) // no pause for the next test's trial
		h.mu.Unlock()
	}()
	release()
	waitParked(t) // then the helper's side is the test's to read and reset
	h.mu.Lock()
	h.handoff = handoff{}
	h.mu.Unlock()

	var longest time.Duration
	post := func(loops int) {
		release := KeepHelperAwake()
		defer release()
		for range loops {
			w := &waitForHelper{}
			start := clock.Now() // the hand-offs' clock: time.Now on Windows moves every 0.5–15.6 ms
			if !Parallel(2, w) {
				t.Fatal("Parallel with the helper awake: false")
			}
			if w.late {
				t.Fatal("the helper did not take a posted loop's second chunk within 10 s")
			}
			longest = max(longest, clock.Since(start))
		}
	}
	post(handoffSamples*handoffEvery - 1)
	waitParked(t)
	d := &h.handoff
	if d.count != handoffSamples-1 || d.quantile.Load() != 0 || d.far.Load() {
		t.Fatalf("%d loops posted: %d hand-offs recorded (want %d), quantile %d ns, far %v (want none yet)", handoffSamples*handoffEvery-1, d.count, handoffSamples-1, d.quantile.Load(), d.far.Load())
	}
	if HandoffSamples() != handoffSamples-1 {
		t.Fatalf("%d hand-offs recorded, HandoffSamples %d", d.count, HandoffSamples())
	}
	post(1)
	waitParked(t)
	if HandoffSamples() != handoffSamples {
		t.Fatalf("%d hand-offs recorded, HandoffSamples %d", d.count, HandoffSamples())
	}
	if d.count != handoffSamples {
		t.Fatalf("%d loops posted: %d hand-offs recorded, want %d", handoffSamples*handoffEvery, d.count, handoffSamples)
	}
	for i, ns := range d.recent {
		if ns <= 0 || ns > int64(longest) {
			t.Errorf("sample %d: %d ns, not within a loop (the longest took %v)", i, ns, longest)
		}
	}
	sorted := d.recent
	slices.Sort(sorted[:])
	if want := sorted[handoffQuantile] > int64(farHandoff); d.far.Load() != want {
		t.Errorf("far = %v with the quantile at %d ns", d.far.Load(), sorted[handoffQuantile])
	}
	if q, far := Handoff(); q != time.Duration(sorted[handoffQuantile]) || far != d.far.Load() {
		t.Errorf("Handoff() = %v, %v; the samples' quantile %d ns, far %v", q, far, sorted[handoffQuantile], d.far.Load())
	}
	h.mu.Lock()
	h.handoff = handoff{}
	h.mu.Unlock()
}

// waitParked waits for the helper to park, which it does once no caller
// holds it: what it wrote before is then the test's to read.
func waitParked(t *testing.T) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !defaultHelper.parked.Load(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the helper did not park within 10 s of its release")
		}
	}
}

// waitForHelper is a Task of two chunks whose first waits, up to 10 s,
// for the second to start: posted by Parallel, the caller takes the
// first and the helper the second, so the helper takes part in every
// loop. late reports a wait that ran out.
type waitForHelper struct {
	started atomic.Bool
	late    bool
}

func (w *waitForHelper) Run(i int) {
	if i == 1 {
		w.started.Store(true)
		return
	}
	for deadline := time.Now().Add(10 * time.Second); !w.started.Load(); spinPause() {
		if time.Now().After(deadline) {
			w.late = true
			return
		}
	}
}
