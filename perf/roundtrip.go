package perf

import (
	"runtime"
	"slices"
	"sync/atomic"
	"time"

	"github.com/wigglenn/wiggle/internal/clock"
)

// RoundTrip measures how long a cache line takes to go from one core to
// another and back: one thread writes a number, a second thread, polling,
// writes it back, and the first polls for the answer. It is the least any
// hand-off between the engine's two threads costs (a loop posted, a chunk
// taken, a band of C one core wrote and the other reads), and it is not a
// constant of the machine: on a 2-vCPU AMD EPYC it read about 100 ns for
// seconds at a time and 500 ns at others, as the host placed the two vCPUs
// nearer or farther apart, and a two-thread MNIST step ran at 139k and at
// 89k samples/s with it (docs/PERFORMANCE.md). So it is measured in the
// same run as the figures it explains.
//
// The result is the median over opt.Repeats runs, each about a tenth of
// opt.MinTime (a millisecond at least), of the mean round trip in
// nanoseconds; a run that overran its time by maxRoundTrip (the threads
// were taking turns on one core) counts for nothing. It is 0 when fewer
// than two threads can run Go code at once (GOMAXPROCS), or when no run
// counted. It keeps two threads busy while it runs; calls at once are safe
// but measure each other.
func RoundTrip(opt Options) float64 {
	if runtime.GOMAXPROCS(0) < 2 {
		return 0
	}
	var ping, pong paddedInt
	echoed := make(chan struct{})
	go func() {
		runtime.LockOSThread() // the echo keeps a thread of its own
		defer runtime.UnlockOSThread()
		defer close(echoed)
		echo(&ping, &pong)
	}()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var per []float64
	var sent int64
	for range max(opt.Repeats, 1) {
		if ns := trips(&ping, &pong, &sent, max(opt.MinTime/10, time.Millisecond)); ns > 0 {
			per = append(per, ns)
		}
	}
	ping.v.Store(-1) // stop the echo
	<-echoed
	if len(per) == 0 {
		return 0
	}
	slices.Sort(per)
	return per[len(per)/2]
}

// paddedInt is a number on a cache line of its own, so the two threads'
// lines do not share one.
type paddedInt struct {
	_ [64]byte
	v atomic.Int64
	_ [64]byte
}

// echo answers each number written to ping by writing it to pong, until
// ping is negative.
func echo(ping, pong *paddedInt) {
	for seen := int64(0); ; {
		v := ping.v.Load()
		if v == seen {
			continue
		}
		if v < 0 {
			return
		}
		pong.v.Store(v)
		seen = v
	}
}

// maxRoundTrip is how far past its time a run of trips may go before it
// gives up: threads that take turns on one core need a time slice of the
// scheduler for a round trip.
const maxRoundTrip = time.Millisecond

// trips sends numbers after *sent through ping and waits for each to come
// back on pong, for about d, and returns the mean round trip in
// nanoseconds, or 0 if the run went on maxRoundTrip past d.
func trips(ping, pong *paddedInt, sent *int64, d time.Duration) float64 {
	const batch = 256 // round trips between reads of the clock
	start := clock.Now()
	n := 0
	for n == 0 || clock.Since(start) < d {
		for range batch {
			*sent++
			ping.v.Store(*sent)
			for spins := 0; pong.v.Load() != *sent; spins++ {
				if spins%4096 == 4095 && clock.Since(start) > d+maxRoundTrip {
					return 0
				}
			}
		}
		n += batch
	}
	return float64(clock.Since(start).Nanoseconds()) / float64(n)
}
