// Package memlimit tells how much more memory this process may take before
// the system refuses it (an address-space limit, where Go's runtime stops
// with a fatal "out of memory" and a stack trace) or kills it (a
// container's limit, the machine's memory), so that a command can refuse a
// job that cannot fit, with a message, before it allocates.
//
// It reads Linux's limits, and Windows's commit limit (its memory and page
// files); elsewhere it knows none. It is safe for concurrent use.
package memlimit

import (
	"bufio"
	"strconv"
	"strings"
)

// Room is memory this process may still take, and the limit that leaves
// it.
type Room struct {
	Bytes float64
	Limit string  // AddressSpace, AddressSpace32, Container, Machine or Commit
	Of    float64 // the limit's whole size, where the process holds the rest (an address space); 0 otherwise
}

// The limits' names, as messages give them.
const (
	AddressSpace   = "the address-space limit (ulimit -v)"
	AddressSpace32 = "a 32-bit process's address space"
	Container      = "the container's memory limit (its cgroup)"
	Machine        = "the memory free on this machine (with free swap)"
	Commit         = "the memory Windows may still commit (its memory and page files)"
)

// Margin is the address space, beyond the heap it allocates, that Go's
// runtime may map while a job runs under an address-space limit: arenas'
// reservations and metadata, and the stacks of threads it starts. The
// space a process maps moves by tens of MB between identical runs, so this
// is a margin, measured, not a bound: with wiggle train on a network of
// 537 MB of weights and gradients, runs failed with 712 MB of room and
// passed with 691 and 763; with one of 1,343 MB, runs failed with about
// 1,440 and passed with 1,644. Near it a job that might have fitted is
// refused.
const Margin = 200e6

// Takes is the room that heap bytes of large Go allocations take of r:
// under an address-space limit, heap and the Margin; elsewhere heap.
func (r Room) Takes(heap float64) float64 {
	if r.addressSpace() {
		return heap + Margin
	}
	return heap
}

// Heap is the most heap, in large Go allocations, that r holds: the
// inverse of Takes.
func (r Room) Heap() float64 {
	if r.addressSpace() {
		return r.Bytes - Margin
	}
	return r.Bytes
}

func (r Room) addressSpace() bool { return r.Limit == AddressSpace || r.Limit == AddressSpace32 }

// Remedy says what gives a job more of r: "raise the limit (ulimit -v)",
// "use a 64-bit build of wiggle", "raise the container's memory limit",
// "close other programs, or let Windows's page file grow", "free memory".
func (r Room) Remedy() string {
	switch r.Limit {
	case AddressSpace:
		return "raise the limit (ulimit -v)"
	case AddressSpace32:
		return "use a 64-bit build of wiggle"
	case Container:
		return "raise the container's memory limit"
	case Commit:
		return "close other programs, or let Windows's page file grow (System, Advanced system settings, Performance, Virtual memory)"
	}
	return "free memory"
}

// Rooms returns the room each limit it can read leaves: none outside Linux
// and Windows.
func Rooms() []Room { return rooms() }

// Short returns, of the rooms heap bytes of large allocations do not fit,
// the one they pass by most (the limit that binds), and false where they
// fit them all.
func Short(rooms []Room, heap float64) (Room, bool) {
	var worst Room
	short := false
	for _, r := range rooms {
		if over := r.Takes(heap) - r.Bytes; over > 0 && (!short || over > worst.Takes(heap)-worst.Bytes) {
			worst, short = r, true
		}
	}
	return worst, short
}

// MostHeap returns the most heap every one of rooms holds, and false where
// there are none.
func MostHeap(rooms []Room) (float64, bool) {
	if len(rooms) == 0 {
		return 0, false
	}
	most := rooms[0].Heap()
	for _, r := range rooms[1:] {
		most = min(most, r.Heap())
	}
	return most, true
}

// meminfoRoom reads /proc/meminfo's MemAvailable and SwapFree (in kB).
func meminfoRoom(meminfo string) (Room, bool) {
	avail, okAvail := field(meminfo, "MemAvailable:")
	swap, _ := field(meminfo, "SwapFree:")
	if !okAvail {
		return Room{}, false
	}
	return Room{Bytes: 1024 * (avail + swap), Limit: Machine}, true
}

// field reads the number after name in a "name value [kB]" list.
func field(text, name string) (float64, bool) {
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == name {
			v, err := strconv.ParseFloat(f[1], 64)
			return v, err == nil
		}
	}
	return 0, false
}

// limitOf reads a cgroup limit file: a number of bytes, or none ("max" in
// v2; v1's 2^63 rounded down to pages, or anything unreadable).
func limitOf(text string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
	if err != nil || v <= 0 || v >= 1<<62 {
		return 0, false
	}
	return v, true
}

// cgroupV2Room is the room a v2 cgroup leaves: its memory.max less the
// anonymous memory (memory.stat's "anon") its processes hold, the page
// cache the kernel reclaims not counted; and the swap it may still use
// beside: memory.swap.max less memory.swap.current ("max": any), but no
// more than swapFree, the machine's. files reads a file of the cgroup.
func cgroupV2Room(files func(name string) string, swapFree float64) (Room, bool) {
	limit, ok := limitOf(files("memory.max"))
	used, okUsed := field(files("memory.stat"), "anon")
	if !ok || !okUsed {
		return Room{}, false
	}
	swap := swapFree
	if swapLimit, ok := limitOf(files("memory.swap.max")); ok {
		swapped, _ := limitOf(files("memory.swap.current"))
		swap = min(swap, swapLimit-swapped)
	} else if strings.TrimSpace(files("memory.swap.max")) == "0" {
		swap = 0
	}
	return Room{Bytes: limit - used + max(swap, 0), Limit: Container}, true
}

// cgroupV1Room is the room a v1 memory cgroup leaves: the least of its
// memory.limit_in_bytes and the hierarchy's (memory.stat's
// hierarchical_memory_limit), less what the hierarchy's processes hold
// (total_rss), with swap beside as v2's: where memsw is accounted, no more
// than its limit (memsw.limit_in_bytes, hierarchical_memsw_limit) less
// the memory and swap held (total_rss, total_swap), and no more than
// swapFree, the machine's.
func cgroupV1Room(files func(name string) string, swapFree float64) (Room, bool) {
	stat := files("memory.stat")
	used, okUsed := field(stat, "total_rss")
	if !okUsed {
		return Room{}, false
	}
	limit, ok := limitOf(files("memory.limit_in_bytes"))
	if h, okH := field(stat, "hierarchical_memory_limit"); okH && h > 0 && h < 1<<62 && (!ok || h < limit) {
		limit, ok = h, true
	}
	if !ok {
		return Room{}, false
	}
	room := limit - used + swapFree
	if sw, okSw := limitOf(files("memory.memsw.limit_in_bytes")); okSw {
		if h, okH := field(stat, "hierarchical_memsw_limit"); okH && h > 0 && h < sw {
			sw = h
		}
		swapped, _ := field(stat, "total_swap")
		room = min(room, sw-used-swapped)
	}
	return Room{Bytes: room, Limit: Container}, true
}

// cgroupPaths reads /proc/self/cgroup: the v2 path ("0::/path") and the
// v1 memory controller's ("N:memory:/path"), each "" if absent.
func cgroupPaths(text string) (v2, v1 string) {
	for _, line := range strings.Split(text, "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		switch {
		case parts[0] == "0" && parts[1] == "":
			v2 = parts[2]
		case strings.Contains(","+parts[1]+",", ",memory,"):
			v1 = parts[2]
		}
	}
	return v2, v1
}
