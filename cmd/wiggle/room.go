package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/wigglenn/wiggle/internal/memlimit"
	"github.com/wigglenn/wiggle/optim"
)

// memoryRooms is memlimit.Rooms; tests set other rooms.
var memoryRooms = memlimit.Rooms

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
		c.named = append(c.named, fmt.Sprintf("%s's state (%s a weight)", opt.Name, plural(n, "float")))
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
// flags that set the widths, and smaller says how to ask for less
// ("choose narrower layers"), for the message. The refusal is of the
// machine's state, not the command line: exit 2, without the usage hint.
func checkRoom(flags, smaller string, params float64, c copies) error {
	need := 4 * float64(c.n) * params
	room, short := memlimit.Short(memoryRooms(), need)
	if !short {
		return nil
	}
	return fmt.Errorf("%s: the network's %.4g parameters take at least %s (in float32: %s)%s; %s, or %s",
		flags, params, megabytes(need), strings.Join(c.named, ", "), exceeds(room, need), smaller, room.Remedy())
}

// checkFileRoom refuses, before reading it, a model file that is a folder
// or a device (/dev/zero has no end: it was read until Go's runtime died)
// or that cannot fit the memory left with what is built from it: copies times
// its size, as measured, named by what ("the file, and the network built
// from it"). flag is the flag that names the file, or "" for an argument.
// A file it cannot stat passes, for its reader to say what is wrong.
func checkFileRoom(flag, path string, copies float64, what string) error {
	info, err := os.Stat(path)
	if err != nil {
		return nil
	}
	where := path
	if flag != "" {
		where = flag + " " + path
	}
	if err := notFolderOrDevice(where, info); err != nil {
		return err
	}
	need := copies * float64(info.Size()) // 0 for a pipe, which is read once and passes
	room, short := memlimit.Short(memoryRooms(), need)
	if !short {
		return nil
	}
	return fmt.Errorf("%s: reading its %s takes about %s (%s)%s; %s",
		where, megabytes(float64(info.Size())), megabytes(need), what, exceeds(room, need), room.Remedy())
}

// notFolderOrDevice refuses a file to read that is a folder or a device,
// where (a flag and a path, or a path) names it: a device like /dev/zero
// never ends.
func notFolderOrDevice(where string, info os.FileInfo) error {
	switch {
	case info.IsDir():
		return fmt.Errorf("%s is a folder; give a file", where)
	case info.Mode()&os.ModeDevice != 0:
		return fmt.Errorf("%s is a device, not a file; give a file", where)
	}
	return nil
}

// tableFile refuses a table to read that is not a regular file: a folder,
// a device, or a pipe where the command reads its table more than once
// (data show: its IDX sniff, then the table, and again where the first
// reading finds values or one class). train, eval and predict read a
// table once (data.ReadCSV streams a pipe): pipe is true for them.
func tableFile(where string, info os.FileInfo, pipe bool) error {
	if err := notFolderOrDevice(where, info); err != nil {
		return err
	}
	if !info.Mode().IsRegular() && !pipe {
		return fmt.Errorf("%s is a pipe, not a file: data show reads a table more than once; save it to a file first (cmd > table.csv) and give that", where)
	}
	return nil
}

// exceeds says that need bytes of heap pass room: ", more than the 483 MB
// that the memory free on this machine leaves", with the address space
// they take under ulimit -v.
func exceeds(room memlimit.Room, need float64) string {
	s := ""
	if room.Takes(need) > need {
		s = fmt.Sprintf(", about %s of address space", megabytes(room.Takes(need)))
	}
	s += fmt.Sprintf(", more than the %s that %s leaves", megabytes(max(room.Bytes, 0)), room.Limit)
	if room.Of > 0 { // why a limit of 2 GB leaves 300 MB
		s += fmt.Sprintf(" (the process maps %s of its %s already, most of it reserved by Go's runtime, a little more or less from run to run)", megabytes(room.Of-room.Bytes), megabytes(room.Of))
	}
	return s
}

// megabytes writes bytes in MB, whole from 100 MB up: "3496 MB", "12.3 MB",
// "0.0012 MB".
func megabytes(b float64) string {
	if b >= 100e6 {
		return fmt.Sprintf("%.0f MB", b/1e6)
	}
	return fmt.Sprintf("%.3g MB", b/1e6)
}

// plural is "1 run", "2 runs".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
