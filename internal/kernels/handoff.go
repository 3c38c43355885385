package kernels

import (
	"slices"
	"sync/atomic"
	"time"
)

// handoff measures how far apart the caller's and the helper's cores are:
// the time from a caller posting a loop (run) to the helper taking its
// first chunk, on one loop in handoffEvery. Most of that time is the
// state word's trips between the cores (the helper's poll misses, then
// its take claims the line), so it says what every line the two threads
// pass back and forth costs.
//
// On a 2-vCPU Zen 5 EPYC (a PVM guest) the vCPUs' round trip was about
// 1 µs for hours and about 200 ns for minutes at a time, and stores
// around the caches (CopyStreaming, and then relu's pass too) paid only
// at the larger distance: 1.02–1.03× a one-epoch MNIST training there,
// 0.94× at the smaller.
//
// The samples have two modes: the trips alone, where the helper was
// polling (320–840 ns in MNIST training with the vCPUs 1 µs apart), and
// 1–5 µs, where it was finishing a background chunk (the next batch's
// copy); the second is up to half of them. So the measure is a low
// quantile of the recent samples, handoffQuantile of them, not their
// median: far is whether it is above farHandoff. With the vCPUs 1 µs
// apart it was 330–580 ns; with them 160–180 ns apart (the closer mode,
// a few minutes at a time), 151–200 ns.
//
// Each side's fields are on cache lines of their own, and far on one
// more: the caller counts every loop and reads far at every step, the
// helper records one loop in handoffEvery.
type handoff struct {
	// The caller's side; only the holder of mu touches it.
	posted int // loops posted since the last sample
	_      [64]byte

	// The helper's side; only the helper goroutine touches it.
	recent [handoffSamples]int64 // the last samples, ns, in a ring
	next   int                   // where the next sample goes in recent
	count  int                   // samples taken, up to handoffSamples
	// quantile is the last handoffQuantile of recent, ns (0 before the
	// first handoffSamples), for Handoff; the helper stores it, a report
	// reads it now and then. taken counts every sample since the start,
	// for HandoffSamples.
	quantile atomic.Int64
	taken    atomic.Uint64
	_        [64]byte

	far atomic.Bool // the handoffQuantile of recent is above farHandoff
	_   [64]byte    // the helper's next fields change at every step
}

const (
	// handoffEvery is one loop in how many that is timed: two clock reads
	// on a sample of loops, which are each several microseconds.
	handoffEvery = 8
	// handoffSamples is how many recent samples the quantile is of:
	// MNIST's step posts 13 loops, so 31 samples are 19 steps' worth,
	// about 10 ms, and the measure follows the host within that.
	handoffSamples = 31
	// handoffQuantile is the sample, in order from the fastest, that
	// stands for the line's trip: the fourth of 31, past a fast outlier
	// or two, well below the late starts.
	handoffQuantile = 3
	// farHandoff is the hand-off time above which the cores count as
	// far apart: between the two modes measured, 1.3 times the most of
	// the closer (200 ns) and 0.79 of the least of the farther (330).
	farHandoff = 260 * time.Nanosecond
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

// took returns the hand-off of a loop posted at postedAt (0: not timed),
// on the helper goroutine as it takes its first chunk: the delay, or 0.
func took(postedAt int64) int64 {
	if postedAt == 0 {
		return 0
	}
	return monotonic() - postedAt
}

// record adds a sample of delay nanoseconds (none for 0) and updates far
// once there are handoffSamples of them. The helper calls it after the
// loop, off the caller's path: it sorts the samples.
func (d *handoff) record(delay int64) {
	if delay == 0 {
		return
	}
	d.recent[d.next] = delay
	d.taken.Add(1)
	d.next = (d.next + 1) % handoffSamples
	d.count = min(d.count+1, handoffSamples)
	if d.count < handoffSamples {
		return
	}
	sorted := d.recent
	slices.Sort(sorted[:])
	d.quantile.Store(sorted[handoffQuantile])
	if far := sorted[handoffQuantile] > int64(farHandoff); far != d.far.Load() {
		d.far.Store(far)
	}
}

// Handoff returns the helper's latest measure of its hand-off (see
// handoff): the fourth fastest of the last 31 timed loops, from the
// caller posting a loop to the helper taking its first chunk, and
// whether that counts as far (above farHandoff, 260 ns), where
// StreamStores has a training step store around the caches while it
// splits. It returns 0 and false until the helper has taken 31 timed
// loops (one in 8 of those posted while some caller keeps it awake).
// Safe for concurrent use.
func Handoff() (time.Duration, bool) {
	q := time.Duration(defaultHelper.handoff.quantile.Load())
	return q, q > farHandoff
}

// HandoffSamples returns how many hand-offs the helper has timed since
// the process started: Handoff's measure is of the last HandoffWindow of
// them. Safe for concurrent use.
func HandoffSamples() uint64 { return defaultHelper.handoff.taken.Load() }

// HandoffWindow is how many of the latest timed hand-offs Handoff's
// measure is of.
const HandoffWindow = handoffSamples
