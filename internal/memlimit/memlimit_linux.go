package memlimit

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// rooms reads the address-space limit, the cgroup's (v2, else v1) and the
// machine's free memory, each where it is set and readable.
func rooms() []Room {
	var rs []Room
	if r, ok := addressSpaceRoom(); ok {
		rs = append(rs, r)
	}
	if r, ok := readCgroupRoom(); ok {
		rs = append(rs, r)
	}
	if r, ok := meminfoRoom(readFile("/proc/meminfo")); ok {
		rs = append(rs, r)
	}
	return rs
}

// addressSpaceRoom is RLIMIT_AS less the address space the process maps
// now (Go's runtime reserves much of it before it is used).
func addressSpaceRoom() (Room, bool) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &lim); err != nil || lim.Cur == ^uint64(0) || float64(lim.Cur) >= 1<<62 {
		return Room{}, false
	}
	statm := strings.Fields(readFile("/proc/self/statm"))
	if len(statm) == 0 {
		return Room{}, false
	}
	pages, err := strconv.ParseFloat(statm[0], 64)
	if err != nil {
		return Room{}, false
	}
	return Room{Bytes: float64(lim.Cur) - pages*float64(os.Getpagesize()), Limit: AddressSpace}, true
}

func readCgroupRoom() (Room, bool) {
	v2, v1 := cgroupPaths(readFile("/proc/self/cgroup"))
	if v2 != "" {
		dir := filepath.Join("/sys/fs/cgroup", v2)
		if r, ok := cgroupRoom(readFile(filepath.Join(dir, "memory.max")), readFile(filepath.Join(dir, "memory.stat"))); ok {
			return r, true
		}
	}
	if v1 != "" {
		dir := filepath.Join("/sys/fs/cgroup/memory", v1)
		return cgroupRoom(readFile(filepath.Join(dir, "memory.limit_in_bytes")), readFile(filepath.Join(dir, "memory.stat")))
	}
	return Room{}, false
}

// readFile is the file's text, or "" where it cannot be read.
func readFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return string(b)
}
