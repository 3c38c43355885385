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
	what := fmt.Sprintf("%s: the network's %.4g parameters take at least %.0f MB (in float32: %s)",
		flags, params, need/1e6, strings.Join(c.named, ", "))
	if room.Takes(need) > need {
		what += fmt.Sprintf(", about %.0f MB of address space", room.Takes(need)/1e6)
	}
	return usageError{fmt.Errorf("%s, more than the %.0f MB that %s leaves; choose narrower layers, or free memory", what, max(room.Bytes, 0)/1e6, room.Limit)}
}
