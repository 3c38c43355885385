package main

import (
	"fmt"
	"strings"

	"github.com/wigglenn/wiggle/internal/memlimit"
	"github.com/wigglenn/wiggle/optim"
)

// memoryRoom is memlimit.Get; tests set other rooms.
var memoryRoom = memlimit.Get

// copies are the float32 copies of a network's parameters a command holds
// at once, counted and named for a message.
type copies struct {
	n     int
	named []string
}

// training are the copies one training holds: the weights, their
// gradients, opt's state and, with bestCopy, the best weights' copy.
func training(opt optim.Config, bestCopy bool) copies {
	c := copies{2, []string{"the weights", "their gradients"}}
	if n := opt.StateFloats(); n > 0 {
		c.n += n
		c.named = append(c.named, fmt.Sprintf("%s's state (%d float%s a weight)", opt.Name, n, map[bool]string{true: "s"}[n > 1]))
	}
	if bestCopy {
		c.n++
		c.named = append(c.named, "the best weights' copy (--patience)")
	}
	return c
}

// checkRoom refuses, before they are built, networks of params parameters
// whose copies cannot fit the memory this process may still take
// (memlimit), a bound the runs' activations, packed operands and buffers
// only add to. Past it, Go's runtime would stop with a fatal "out of
// memory" and a stack trace, or the system kill the run. flags are the
// flags that set the widths, for the message.
func checkRoom(flags string, params float64, c copies) error {
	room, ok := memoryRoom()
	need := 4 * float64(c.n) * params
	if !ok || room.Takes(need) <= room.Bytes {
		return nil
	}
	what := fmt.Sprintf("%s: the network's %.4g parameters take at least %s (in float32: %s)",
		flags, params, megabytes(need), strings.Join(c.named, ", "))
	return usageError{fmt.Errorf("%s%s; choose narrower layers, or free memory", what, exceeds(room, need))}
}

// exceeds says that need bytes of heap pass room: ", more than the 483 MB
// that the machine's free memory leaves", with the address space they
// take under ulimit -v.
func exceeds(room memlimit.Room, need float64) string {
	s := ""
	if room.Takes(need) > need {
		s = fmt.Sprintf(", about %s of address space", megabytes(room.Takes(need)))
	}
	return s + fmt.Sprintf(", more than the %s that %s leaves", megabytes(max(room.Bytes, 0)), room.Limit)
}

// megabytes writes bytes in MB, whole from 100 MB up: "3496 MB", "12.3 MB",
// "0.0012 MB".
func megabytes(b float64) string {
	if b >= 100e6 {
		return fmt.Sprintf("%.0f MB", b/1e6)
	}
	return fmt.Sprintf("%.3g MB", b/1e6)
}
