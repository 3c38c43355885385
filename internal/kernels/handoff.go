package kernels

import (
	"slices"
	"sync/atomic"
	"time"
)

// handoff measures how far apart the caller's and the helper's cores are:
// the time from a caller posting a loop (run) to the helper taking its
// first chunk, on one loop in handoffEvery. Most of that time is one
// cache line's trip from one core to the other (the state word), so it
// says what every line the two threads pass back and forth costs.
//
// On a 2-vCPU Zen 5 EPYC (a PVM guest) the vCPUs' round trip was about
// 1 µs for hours and about 200 ns for minutes at a time, and stores
// around the caches (CopyStreaming) paid only at the larger distance:
// 1.02–1.03× a one-epoch MNIST training there, 0.94× at the smaller.
//
// The samples have two modes: the line's trip alone, where the helper was
// polling (about 500 ns with the vCPUs 1 µs apart), and 2–3 µs more,
// where it was finishing a background chunk (the next batch's copy); the
// second is up to half of them. So the measure is a low quantile of the
// recent samples, handoffQuantile of them, not their median: far is
// whether it is above farHandoff.
//
// Each side's fields are on cache lines of their own: the caller counts
// every loop, the helper records one in handoffEvery.
type handoff struct {
	// The caller's side; only the holder of mu touches it.
	posted int // loops posted since the last sample
	_      [64]byte

	// The helper's side; only the helper goroutine touches it.
	recent [handoffSamples]int64 // the last samples, ns, in a ring
	next   int                   // where the next sample goes in recent
	count  int                   // samples taken, up to handoffSamples
	_      [64]byte

	far atomic.Bool // the handoffQuantile of recent is above farHandoff
}

const (
	// handoffEvery is one loop in how many that is timed: two clock reads
	// on a sample of loops, which are each several microseconds.
	handoffEvery = 8
	// handoffSamples is how many recent samples the quantile is of: at
	// tens of loops a step, a few steps' worth, so the measure follows
	// the host within milliseconds.
	handoffSamples = 31
	// handoffQuantile is the sample, in order from the fastest, that
	// stands for the line's trip: the fourth of 31, past a fast outlier
	// or two, well below the late starts.
	handoffQuantile = 3
	// farHandoff is the hand-off time above which the cores count as
	// far apart: about midway between the two distances measured.
	farHandoff = 300 * time.Nanosecond
)

// stamp returns the time to post a loop with (h.l.postedAt), 0 for a
// loop not timed. The caller holds mu.
func (d *handoff) stamp() int64 {
	d.posted++
	if d.posted < handoffEvery {
		return 0
	}
	d.posted = 0
	return monotonic()
}

// arrived records the hand-off of a loop posted at postedAt (0: not
// timed), on the helper goroutine as it takes its first chunk.
func (d *handoff) arrived(postedAt int64) {
	if postedAt != 0 {
		d.record(monotonic() - postedAt)
	}
}

// record adds a sample of delay nanoseconds and updates far once there
// are handoffSamples of them.
func (d *handoff) record(delay int64) {
	d.recent[d.next] = delay
	d.next = (d.next + 1) % handoffSamples
	d.count = min(d.count+1, handoffSamples)
	if d.count < handoffSamples {
		return
	}
	sorted := d.recent
	slices.Sort(sorted[:])
	if far := sorted[handoffQuantile] > int64(farHandoff); far != d.far.Load() {
		d.far.Store(far)
	}
}

// monotonic returns the time since clockBase in nanoseconds, plus one so
// that it is never 0.
func monotonic() int64 { return int64(time.Since(clockBase)) + 1 }
