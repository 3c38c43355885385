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
	meminfo := readFile("/proc/meminfo")
	swapFree, _ := field(meminfo, "SwapFree:")
	if r, ok := readCgroupRoom(1024 * swapFree); ok {
		rs = append(rs, r)
	}
	if r, ok := meminfoRoom(meminfo); ok {
		rs = append(rs, r)
	}
	return rs
}

// addressSpaceRoom is RLIMIT_AS (for a 32-bit process, at most 3 GB) less
// the address space the process maps now (Go's runtime reserves much of it
// before it is used).
func addressSpaceRoom() (Room, bool) {
	var lim syscall.Rlimit
	limit, name := float64(1<<62), AddressSpace // none
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &lim); err == nil {
		limit = float64(lim.Cur)
	}
	if strconv.IntSize == 32 && limit > 3e9 {
		limit, name = 3e9, AddressSpace32 // a 32-bit process's own, about 3 of its 4 GB
	}
	if limit >= 1<<62 {
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
	return Room{Bytes: limit - pages*float64(os.Getpagesize()), Limit: name, Of: limit}, true
}

// readCgroupRoom reads the least room of the process's cgroup and its
// ancestors (v2), or of its memory cgroup's hierarchy (v1). Inside a
// container whose cgroup files are mounted at the root, /proc/self/cgroup
// may give the host's path: the root's files are the container's then.
func readCgroupRoom(swapFree float64) (Room, bool) {
	v2, v1 := cgroupPaths(readFile("/proc/self/cgroup"))
	if v2 != "" {
		room := func(files func(string) string) (Room, bool) { return cgroupV2Room(files, swapFree) }
		if r, ok := leastUpFrom("/sys/fs/cgroup", v2, room); ok {
			return r, true
		}
	}
	if v1 != "" {
		room := func(files func(string) string) (Room, bool) { return cgroupV1Room(files, swapFree) }
		return leastUpFrom("/sys/fs/cgroup/memory", v1, room)
	}
	return Room{}, false
}

// leastUpFrom reads room from the cgroup at root/path, or at root where
// that is missing, and from each folder above it up to root, and returns
// the least.
func leastUpFrom(root, path string, room func(files func(string) string) (Room, bool)) (Room, bool) {
	dir := filepath.Join(root, path)
	if _, err := os.Stat(dir); err != nil {
		dir = root
	}
	var least Room
	found := false
	for {
		d := dir
		if r, ok := room(func(name string) string { return readFile(filepath.Join(d, name)) }); ok && (!found || r.Bytes < least.Bytes) {
			least, found = r, true
		}
		if dir == root || !strings.HasPrefix(dir, root) {
			return least, found
		}
		dir = filepath.Dir(dir)
	}
}

// readFile is the file's text, or "" where it cannot be read.
func readFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return string(b)
}
