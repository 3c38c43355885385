package kernels

import (
	"bytes"
	"math/bits"
	"time"
)

// otherLoad measures how much of the CPUs this process may run on the
// machine's other programs used over a while: the busy time the kernel
// counts on those CPUs less this process's own CPU time. A trial that
// found the second core busy can then see that it still is without a split
// window, which costs the caller a share of its speed each time (see
// trial.look). Where the counters cannot be read (not Linux, /proc not
// mounted), it says so and the trials go on as they were.
type otherLoad struct {
	read     func() (loadReading, bool) // a test's counters; nil for the kernel's
	counters counters                   // the kernel's
	from     loadReading
	started  time.Time
	ok       bool // whether from was read
}

// loadReading is the kernel's counters at one moment.
type loadReading struct {
	busy time.Duration // CPU time the CPUs this process may run on spent busy, all programs together
	own  time.Duration // this process's CPU time
	cpus cpuSet        // the CPUs it may run on
}

// cpuSet is a set of CPUs, CPU i at bit i%64 of word i/64.
type cpuSet [16]uint64

// count returns how many CPUs s holds.
func (s *cpuSet) count() int {
	n := 0
	for _, w := range s {
		n += bits.OnesCount64(w)
	}
	return n
}

// has reports whether s holds CPU i.
func (s *cpuSet) has(i int) bool { return i >= 0 && i/64 < len(s) && s[i/64]&(1<<(i%64)) != 0 }

// start takes the reading the next measure is counted from.
func (l *otherLoad) start(now time.Time) {
	l.from, l.ok = l.reading()
	l.started = now
}

// since returns how many CPUs other programs kept busy, on average, since
// the measure started, and how many CPUs this process may run on, and
// starts the next measure from its reading. ok is false when either
// reading failed, the CPUs changed or no time has passed.
func (l *otherLoad) since(now time.Time) (others float64, cpus int, ok bool) {
	from, started, wasOK := l.from, l.started, l.ok
	l.start(now)
	elapsed := now.Sub(started)
	if !wasOK || !l.ok || elapsed <= 0 || l.from.cpus != from.cpus {
		return 0, 0, false
	}
	used := (l.from.busy - from.busy) - (l.from.own - from.own)
	return max(used.Seconds()/elapsed.Seconds(), 0), l.from.cpus.count(), true
}

func (l *otherLoad) reading() (loadReading, bool) {
	if l.read != nil {
		return l.read()
	}
	return l.counters.read()
}

// userHZ is the unit of /proc/stat's times: USER_HZ, 100 a second on every
// architecture Go runs Linux on.
const userHZ = 100

// statBusy sums the busy time (user, system, irq and softirq; guest time
// is inside user) that the "cpuN" lines of a /proc/stat text give the CPUs
// mine reports true for, and counts those CPUs. ok is false if a line of a
// chosen CPU is cut short or a field is not a number. Idle, iowait and
// steal time (another virtual machine's) are not busy, nor is nice time:
// a program that runs niced yields its CPU to the helper. It allocates
// nothing.
func statBusy(stat []byte, mine func(cpu int) bool) (busy time.Duration, cpus int, ok bool) {
	for len(stat) > 0 {
		line := stat
		if i := bytes.IndexByte(stat, '\n'); i >= 0 {
			line, stat = stat[:i], stat[i+1:]
		} else {
			stat = nil
		}
		rest, isCPU := bytes.CutPrefix(line, []byte("cpu"))
		if !isCPU {
			break // the cpu lines come first
		}
		cpu, rest, numbered := leadingUint(rest)
		if !numbered || cpu >= 1<<31 || !mine(int(cpu)) {
			continue // the "cpu" line of all CPUs together, or one not ours
		}
		var t [7]uint64 // user nice system idle iowait irq softirq
		for k := range t {
			if t[k], rest, ok = leadingUint(bytes.TrimLeft(rest, " ")); !ok {
				return 0, 0, false
			}
		}
		busy += time.Duration(t[0]+t[2]+t[5]+t[6]) * (time.Second / userHZ)
		cpus++
	}
	return busy, cpus, cpus > 0
}

// leadingUint reads the number b starts with: up to 18 decimal digits,
// then a space or the end.
func leadingUint(b []byte) (v uint64, rest []byte, ok bool) {
	i := 0
	for ; i < len(b) && i < 18 && '0' <= b[i] && b[i] <= '9'; i++ {
		v = v*10 + uint64(b[i]-'0')
	}
	if i == 0 || i < len(b) && b[i] != ' ' {
		return 0, b, false
	}
	return v, b[i:], true
}
