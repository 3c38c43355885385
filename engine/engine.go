// Package engine sets how wiggle's float32 engine, under every other
// package, uses the machine's cores.
//
// By default the engine may use every core (GOMAXPROCS at start): large
// matrix products share their output among parked worker threads, and
// while a training loop runs (train.Trainer.Epoch, train.Fit) one helper
// thread takes part in its step's products and updates. When no training
// runs, the helper is parked and nothing polls. Results never depend on the
// number of threads: each output is summed in the same order.
//
// The settings are process-wide, like runtime.GOMAXPROCS: wiggle's own
// packages never change them (but perf, the benchmark, which sets the
// threads it measures and puts them back); a program may. The functions are
// safe for concurrent use.
package engine

import (
	"time"

	"github.com/wigglenn/wiggle/internal/kernels"
)

// SetThreads sets how many threads the engine may use (1 runs every
// product on its calling goroutine; n < 1 counts as 1, and more than
// 65,536 as 65,536) and returns the previous number. A product already
// running finishes with the number it started with.
//
// With two or more, called before the process's first training step
// (before it loads its data, say), it also has the engine start measuring
// what other programs use of the CPUs, on Linux, in the kernel's counters
// (each such call before that step starts the measure again). If, at
// that step, 250 ms to 10 s later, they left less than a quarter of a CPU
// beside the caller's, the helper thread's core is taken: the step runs
// on one thread, and the steps after it while the core stays taken, up
// to 4 s before the engine tries splitting again, where it would
// otherwise have tried splitting first. If they left three quarters of a
// CPU or more, the core is free: the engine's first trial of the two ways
// skips its window on one thread and keeps splitting, for 2 s, to the
// next trial. Results do not depend on it.
func SetThreads(n int) (previous int) { return kernels.SetThreads(n) }

// Threads returns how many threads the engine may use.
func Threads() int { return kernels.Threads() }

// Kernel names the matrix-product kernel this CPU runs, e.g. "avx512 12x32".
func Kernel() string { return kernels.Kernel() }

// KeepHelperAwake lets the engine's helper thread take part in the
// products and updates of every goroutine, polling for work between calls,
// until the returned function is called (once). train.Trainer.Epoch and
// train.Fit hold it while they train (Fit lets go while OnEpoch and its
// other end-of-epoch callbacks run: the engine's trials of the helper
// leave out the time from the last holder's release to the next call); a
// loop of one's own around Trainer.Step may hold it too. A service may
// hold it while it is busy: model.Model then splits each call of 32 rows
// or more between the caller and the helper, at the cost of a core
// polling for 200 µs after each call. Without a holder the helper is
// parked.
func KeepHelperAwake() (release func()) { return kernels.KeepHelperAwake() }

// HelperStats is what the engine's helper thread has done since the
// process started (see KeepHelperAwake and SetThreads): ReadHelperStats
// fills it. Its counts are process-wide, of every goroutine's work (a
// validation pass inside train.Fit's training too); two readings around a
// training tell how much of it the engine shared, where nothing else in
// the process used the engine meanwhile.
type HelperStats struct {
	// LoopsShared and LoopsAlone count the loops the engine's trials
	// judged: posted to share with the helper, or kept on the caller
	// alone because a trial chose so (another program held the helper's
	// core, splitting was slower, or the trial was timing the caller
	// alone). The loops judged are those of a training holding the helper
	// awake, on two threads or more: products large enough to share,
	// momentum updates and the halves of a layer's input gradient; not
	// activation passes or other optimizers' steps. A loop posted may
	// still run on the caller alone where the helper does not come in time
	// (parked, or its core taken away by the host).
	LoopsShared, LoopsAlone uint64
	// Handoff is the engine's latest measure of a hand-off between the
	// caller and the helper: from posting a loop to the helper taking its
	// first chunk, the fourth fastest of the last HandoffWindow hand-offs
	// timed (one loop posted in 8 is). 0 until that many have been timed.
	// It says how far apart the two cores are: tens to hundreds of
	// nanoseconds, a microsecond on some virtual machines (above 260 ns a
	// training step stores some buffers around the caches).
	Handoff time.Duration
	// HandoffsTimed counts the hand-offs timed since the process started:
	// where it grew by HandoffWindow or more between two readings, the
	// second reading's Handoff is of hand-offs between them.
	HandoffsTimed uint64
}

// HandoffWindow is how many of the latest timed hand-offs
// HelperStats.Handoff is taken from.
const HandoffWindow = kernels.HandoffWindow

// ReadHelperStats returns what the helper thread has done so far.
func ReadHelperStats() HelperStats {
	shared, alone := kernels.HelperLoops()
	handoff, _ := kernels.Handoff()
	return HelperStats{LoopsShared: shared, LoopsAlone: alone, Handoff: handoff, HandoffsTimed: kernels.HandoffSamples()}
}
