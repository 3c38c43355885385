package kernels

import (
	"io"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// counters reads the busy time of the CPUs this process may run on from
// /proc/stat, and its own CPU time from getrusage. The first read opens
// /proc/stat and keeps it open, one descriptor for as long as the
// process uses it, so that later reads allocate nothing: each reads it
// again from the start, as the kernel makes it anew. If it cannot be
// opened, reads fail from then on.
type counters struct {
	stat   *os.File
	buf    []byte
	failed bool
	set    unix.CPUSet
	usage  unix.Rusage
}

// maxStat is the most of /proc/stat that counters reads: its cpu lines
// come first, and a large machine's line of interrupt counts after them
// can be long.
const maxStat = 1 << 20

func (c *counters) read() (loadReading, bool) {
	if c.failed || unix.SchedGetaffinity(0, &c.set) != nil {
		return loadReading{}, false
	}
	var r loadReading
	for i := range len(r.cpus) * 64 {
		if c.set.IsSet(i) {
			r.cpus[i/64] |= 1 << (i % 64)
		}
	}
	if c.stat == nil {
		f, err := os.Open("/proc/stat")
		if err != nil {
			c.failed = true
			return loadReading{}, false
		}
		c.stat, c.buf = f, make([]byte, 4096)
	}
	n, err := c.stat.ReadAt(c.buf, 0)
	for n == len(c.buf) && len(c.buf) < maxStat { // it may go on: read it all, into a larger buffer
		c.buf = make([]byte, 2*len(c.buf))
		n, err = c.stat.ReadAt(c.buf, 0)
	}
	if err != nil && err != io.EOF {
		return loadReading{}, false
	}
	busy, cpus, ok := statBusy(c.buf[:n], r.cpus.has)
	// Every CPU of the set must have its line: where a container numbers
	// them otherwise, the lines are of other CPUs.
	if !ok || cpus != r.cpus.count() || unix.Getrusage(unix.RUSAGE_SELF, &c.usage) != nil {
		return loadReading{}, false
	}
	r.busy = busy
	r.own = time.Duration(c.usage.Utime.Nano() + c.usage.Stime.Nano())
	return r, true
}
