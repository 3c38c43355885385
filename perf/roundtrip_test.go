package perf

import (
	"runtime"
	"testing"
	"time"
)

// TestRoundTripIsACoresHandOff checks that a round trip, where two threads
// ran side by side, is as long as a cache line's trip between cores can be:
// more than a few nanoseconds (an echo that never ran, or a count of trips
// gone wrong, would read less) and less than maxRoundTrip.
func TestRoundTripIsACoresHandOff(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("GOMAXPROCS is 1: no second thread to hand a line to")
	}
	ns := RoundTrip(Options{Repeats: 3, MinTime: 20 * time.Millisecond})
	if ns == 0 {
		t.Skip("the two threads took turns on one core (the machine is busy)")
	}
	if !(ns > 5 && ns < float64(maxRoundTrip.Nanoseconds())) {
		t.Errorf("round trip %v ns", ns)
	}
}

// TestRoundTripNeedsTwoThreads checks that with one thread for Go code,
// RoundTrip measures nothing rather than timing the scheduler.
func TestRoundTripNeedsTwoThreads(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	if ns := RoundTrip(Quick); ns != 0 {
		t.Errorf("one thread: %v ns, want 0", ns)
	}
}

// TestTripsGiveUpWithoutAnEcho checks that trips returns 0, not a time,
// when nothing answers: the case of two threads taking turns, at its
// extreme.
func TestTripsGiveUpWithoutAnEcho(t *testing.T) {
	var ping, pong paddedInt
	var sent int64
	start := time.Now()
	if ns := trips(&ping, &pong, &sent, time.Millisecond); ns != 0 {
		t.Errorf("no echo: %v ns, want 0", ns)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("gave up after %v", d)
	}
}
