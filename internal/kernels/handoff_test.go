package kernels

import (
	"slices"
	"sync/atomic"
	"testing"
	"time"
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
// its first chunk: handoffSamples loops later, the samples are all in,
// each between the post and the loop's end, and far is their quantile's.
func TestHandoffTimesLoops(t *testing.T) {
	defer SetThreads(SetThreads(2))
	h := defaultHelper
	release := KeepHelperAwake()
	h.mu.Lock()
	saved := h.trial
	h.trial = trial{until: time.Now().Add(time.Hour)} // split every loop
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		h.trial = saved
		h.mu.Unlock()
	}()
	waitParked := func() {
		for deadline := time.Now().Add(5 * time.Second); !h.parked.Load(); time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the helper did not park within 5 s of its release")
			}
		}
	}
	release()
	waitParked() // then the helper's side is the test's to read and reset
	h.handoff = handoff{}

	release = KeepHelperAwake()
	var longest time.Duration
	for range handoffSamples * handoffEvery {
		w := &waitForHelper{limit: 50 * time.Millisecond}
		start := time.Now()
		if !Parallel(2, w) {
			t.Fatal("Parallel with the helper awake: false")
		}
		longest = max(longest, time.Since(start))
	}
	release()
	waitParked()
	d := &h.handoff
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
	h.handoff = handoff{}
}

// waitForHelper is a Task of two chunks whose first waits, up to limit,
// for the second to start: posted by Parallel, the helper takes the
// second (unless it is late by limit), so the helper takes part in every
// loop.
type waitForHelper struct {
	limit   time.Duration
	started atomic.Bool
}

func (w *waitForHelper) Run(i int) {
	if i == 1 {
		w.started.Store(true)
		return
	}
	for deadline := time.Now().Add(w.limit); !w.started.Load() && time.Now().Before(deadline); {
		spinPause()
	}
}
