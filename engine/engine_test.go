package engine

import "testing"

func TestSetThreadsReturnsThePrevious(t *testing.T) {
	start := Threads()
	defer SetThreads(start)
	for _, c := range []struct{ set, want int }{{3, 3}, {0, 1}, {-5, 1}, {2, 2}} {
		before := Threads()
		if got := SetThreads(c.set); got != before {
			t.Errorf("SetThreads(%d) returned %d, want the previous %d", c.set, got, before)
		}
		if got := Threads(); got != c.want {
			t.Errorf("after SetThreads(%d): Threads() = %d, want %d", c.set, got, c.want)
		}
	}
}
