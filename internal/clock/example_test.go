package clock_test

import (
	"fmt"

	"github.com/wigglenn/wiggle/internal/clock"
)

// Timing a short piece of work: the elapsed time is positive even where
// it is far shorter than the system's timer tick.
func Example() {
	start := clock.Now()
	sum := 0
	for i := range 100000 {
		sum += i
	}
	fmt.Println(clock.Since(start) > 0, sum)
	// Output: true 4999950000
}
