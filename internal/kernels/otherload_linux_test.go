package kernels

import (
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestReadCounters reads this machine's counters: the CPUs this process
// may run on, and its own CPU time, which grows by what a spinning loop
// spends. Reads after the first allocate nothing (a training step does
// not).
func TestReadCounters(t *testing.T) {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil {
		t.Skip("no affinity to read:", err)
	}
	stat, err := os.ReadFile("/proc/stat")
	if err != nil {
		t.Skip("no /proc/stat:", err)
	}
	if _, n, _ := statBusy(stat, set.IsSet); n != set.Count() {
		t.Skipf("/proc/stat has lines for %d of the %d CPUs of the affinity (a container numbering them otherwise?): the counters are not read here", n, set.Count())
	}
	var c counters
	before, ok := c.read()
	if !ok {
		t.Fatal("reading the counters failed")
	}
	if before.cpus.count() != set.Count() {
		t.Errorf("%d CPUs read, the affinity has %d", before.cpus.count(), set.Count())
	}
	// Spin until getrusage counts 30 ms more: on a busy machine that may
	// take longer than 30 ms.
	const spin = 30 * time.Millisecond
	var usage unix.Rusage
	ownTime := func() time.Duration {
		if err := unix.Getrusage(unix.RUSAGE_SELF, &usage); err != nil {
			t.Fatal(err)
		}
		return time.Duration(usage.Utime.Nano() + usage.Stime.Nano())
	}
	for from, deadline := ownTime(), time.Now().Add(10*time.Second); ownTime()-from < spin; {
		if time.Now().After(deadline) {
			t.Fatal("no CPU time in 10 s")
		}
	}
	after, ok := c.read()
	if !ok {
		t.Fatal("reading the counters failed the second time")
	}
	if grown := after.own - before.own; grown < spin {
		t.Errorf("own CPU time grew by %v over a spin of %v", grown, spin)
	}
	if after.busy < before.busy || after.cpus != before.cpus {
		t.Errorf("busy time %v, then %v; CPUs %v, then %v", before.busy, after.busy, before.cpus, after.cpus)
	}
	if allocs := testing.AllocsPerRun(20, func() { c.read() }); allocs != 0 {
		t.Errorf("a read allocated %v times", allocs)
	}
}
