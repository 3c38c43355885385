// Package clock reads the monotonic clock as finely as the system keeps
// it, for timing work of microseconds: Go's time.Now on Linux, macOS and
// the rest, and on Windows the performance counter. There time.Now moves
// only at the system's timer tick, every 0.5 to 15.6 ms, so that a call
// of 100 µs timed with it reads 0 (Go's testing package times benchmarks
// with the counter on Windows for the same reason).
//
// Now's values carry a monotonic reading: compare them with Sub, Since,
// Before and After, with each other and not with time.Now's (on Windows
// the two differ by up to a timer tick). Their wall-clock fields are
// time.Now's at the package's start plus the time since, and drift from
// the system's clock as it is set. Safe for concurrent use.
package clock

import "time"

// Now returns the current time, to the performance counter's tick on
// Windows (100 ns or finer) and to time.Now's elsewhere (in a browser,
// performance.now's, which may be coarser).
func Now() time.Time { return now() }

// Since returns the time elapsed since t, a value of Now.
func Since(t time.Time) time.Duration { return now().Sub(t) }
