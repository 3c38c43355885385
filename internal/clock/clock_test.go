package clock

import (
	"slices"
	"testing"
	"time"
)

// TestNowIsFine: the clock moves in small steps: read it until it
// changes, a hundred times; the median step must be under 10 µs (60 ns on
// Linux, 100 ns from Windows's counter under Wine). time.Now on Windows
// moves every 0.5 to 15.6 ms and fails this; a thread preempted between
// two reads, now and then, does not.
func TestNowIsFine(t *testing.T) {
	steps := make([]time.Duration, 100)
	for i := range steps {
		t0 := Now()
		t1 := t0
		for spins := 0; !t1.After(t0); spins++ {
			if spins > 1e8 {
				t.Fatalf("the clock did not move in %d reads", spins)
			}
			t1 = Now()
		}
		steps[i] = t1.Sub(t0)
	}
	slices.Sort(steps)
	if median := steps[len(steps)/2]; median > 10*time.Microsecond {
		t.Errorf("the clock moved in steps of %v (median; %v to %v); want steps under 10 µs", median, steps[0], steps[len(steps)-1])
	}
}

// TestSinceFollowsTheSystem: Since agrees with time.Since over a sleep
// (the two clocks run at one rate), and never goes back.
func TestSinceFollowsTheSystem(t *testing.T) {
	t0, sys0 := Now(), time.Now()
	time.Sleep(50 * time.Millisecond)
	ours, theirs := Since(t0), time.Since(sys0)
	if ours < 40*time.Millisecond || ours > theirs+20*time.Millisecond || ours < theirs-20*time.Millisecond {
		t.Errorf("over a 50 ms sleep Since read %v and time.Since %v; want them within the system tick, and at least 40 ms", ours, theirs)
	}
	last := Now()
	for range 10000 {
		next := Now()
		if next.Before(last) {
			t.Fatalf("the clock went back from %v to %v", last, next)
		}
		last = next
	}
}
