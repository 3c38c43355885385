// Package memlimit tells how much more memory this process may take before
// the system refuses it (an address-space limit, where Go's runtime stops
// with a fatal "out of memory" and a stack trace) or kills it (a
// container's limit, the machine's memory), so that a command can refuse a
// job that cannot fit, with a message, before it allocates.
//
// It reads Linux's limits; elsewhere it knows none. It is safe for
// concurrent use.
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
	Limit string // AddressSpace, Container or Machine
}

// Takes is the room that heap bytes of large Go allocations take of r:
// under the address-space limit, about 200 MB more, which Go's runtime maps
// beside them (its arenas' reservations and metadata, new threads'
// stacks). Measured with wiggle train: a network of 537 MB of weights and
// gradients failed with 712 MB of address space left and trained with
// 763 MB; one of 1,343 MB (Adam's moments and a best copy besides) failed
// with about 1,440 MB and trained with 1,644 MB. Elsewhere it is heap.
func (r Room) Takes(heap float64) float64 {
	if r.Limit == AddressSpace {
		return heap + 200e6
	}
	return heap
}

// Heap is the most heap, in large Go allocations, that r holds: the
// inverse of Takes.
func (r Room) Heap() float64 {
	if r.Limit == AddressSpace {
		return r.Bytes - 200e6
	}
	return r.Bytes
}

// Get returns the least Room of the limits it can read, and false where it
// can read none.
func Get() (Room, bool) {
	return leastOf(rooms())
}

func leastOf(rs []Room) (Room, bool) {
	if len(rs) == 0 {
		return Room{}, false
	}
	least := rs[0]
	for _, r := range rs[1:] {
		if r.Bytes < least.Bytes {
			least = r
		}
	}
	return least, true
}

// The limits' names, as messages give them.
const (
	AddressSpace = "the address-space limit (ulimit -v)"
	Container    = "the container's memory limit (its cgroup)"
	Machine      = "the memory free on this machine (with free swap)"
)

// meminfoRoom reads /proc/meminfo's MemAvailable and SwapFree (in kB).
func meminfoRoom(meminfo string) (Room, bool) {
	avail, okAvail := field(meminfo, "MemAvailable:")
	swap, _ := field(meminfo, "SwapFree:")
	if !okAvail {
		return Room{}, false
	}
	return Room{Bytes: 1024 * (avail + swap), Limit: Machine}, true
}

// field reads the number after name in a "name value kB" list.
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

// cgroupRoom is a cgroup's limit less what its processes hold and cannot
// give back (anonymous memory, not the page cache the kernel reclaims).
// limit is memory.max (v2, "max" for none) or memory.limit_in_bytes (v1,
// a huge number for none); stat is memory.stat, whose "anon" (v2) or
// "total_rss" (v1) line counts that memory.
func cgroupRoom(limit, stat string) (Room, bool) {
	limitBytes, err := strconv.ParseFloat(strings.TrimSpace(limit), 64)
	if err != nil || limitBytes <= 0 || limitBytes >= 1<<62 { // "max", or v1's "no limit", 2^63 rounded down to pages
		return Room{}, false
	}
	used, ok := field(stat, "anon")
	if !ok {
		used, ok = field(stat, "total_rss")
	}
	if !ok {
		return Room{}, false
	}
	return Room{Bytes: limitBytes - used, Limit: Container}, true
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
