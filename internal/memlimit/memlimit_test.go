package memlimit

import (
	"runtime"
	"testing"
)

func TestMeminfoRoom(t *testing.T) {
	r, ok := meminfoRoom("MemTotal:       24000000 kB\nMemFree:  100 kB\nMemAvailable:    2000 kB\nSwapTotal: 0 kB\nSwapFree:        48 kB\n")
	if !ok || r.Bytes != 2048*1024 || r.Limit != Machine {
		t.Errorf("meminfo: %+v %v; want 2048 KiB of the machine's", r, ok)
	}
	if _, ok := meminfoRoom("MemTotal: 5 kB\n"); ok {
		t.Error("a meminfo without MemAvailable gave a room")
	}
}

// files serves a cgroup's files from a map.
func files(m map[string]string) func(string) string {
	return func(name string) string { return m[name] }
}

func TestCgroupV2Room(t *testing.T) {
	base := map[string]string{"memory.max": "1073741824\n", "memory.stat": "anon 73741824\nfile 500000000\n"}
	with := func(extra map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	for _, c := range []struct {
		name     string
		files    map[string]string
		swapFree float64
		want     float64 // -1: no room read
	}{
		{"the page cache not counted", base, 0, 1e9},
		{"no limit", map[string]string{"memory.max": "max\n", "memory.stat": "anon 5\n"}, 0, -1},
		{"swap allowed, the machine's free", with(map[string]string{"memory.swap.max": "500000000\n", "memory.swap.current": "100000000\n"}), 1e12, 1.4e9},
		{"swap allowed, the machine without", with(map[string]string{"memory.swap.max": "1073741824\n"}), 0, 1e9}, // docker -m on a host with no swap
		{"any swap, the machine's free", with(map[string]string{"memory.swap.max": "max\n"}), 3e8, 1.3e9},
		{"no swap", with(map[string]string{"memory.swap.max": "0\n"}), 3e8, 1e9},
		{"no usage line", map[string]string{"memory.max": "1000\n", "memory.stat": "nothing 5\n"}, 0, -1},
		{"nothing readable", map[string]string{}, 0, -1},
	} {
		r, ok := cgroupV2Room(files(c.files), c.swapFree)
		if got := map[bool]float64{true: r.Bytes, false: -1}[ok]; got != c.want || ok && r.Limit != Container {
			t.Errorf("%s: %+v, %v; want %g", c.name, r, ok, c.want)
		}
	}
}

func TestCgroupV1Room(t *testing.T) {
	for _, c := range []struct {
		name     string
		files    map[string]string
		swapFree float64
		want     float64
	}{
		{"a limit", map[string]string{"memory.limit_in_bytes": "2000000000\n", "memory.stat": "cache 1\nrss 7\ntotal_rss 1000000000\n"}, 0, 1e9},
		{"no limit", map[string]string{"memory.limit_in_bytes": "9223372036854771712\n", "memory.stat": "total_rss 5\n"}, 0, -1},
		{"a parent's limit", map[string]string{"memory.limit_in_bytes": "9223372036854771712\n", "memory.stat": "hierarchical_memory_limit 3000000000\ntotal_rss 1000000000\n"}, 0, 2e9},
		{"memsw allows swap, the machine has it", map[string]string{"memory.limit_in_bytes": "2000000000\n", "memory.memsw.limit_in_bytes": "4000000000\n",
			"memory.stat": "total_rss 1000000000\ntotal_swap 500000000\nhierarchical_memsw_limit 9223372036854771712\n"}, 1e12, 2.5e9},
		{"memsw allows swap, the machine has none", map[string]string{"memory.limit_in_bytes": "2000000000\n", "memory.memsw.limit_in_bytes": "4000000000\n",
			"memory.stat": "total_rss 1000000000\n"}, 0, 1e9},
		{"no usage line", map[string]string{"memory.limit_in_bytes": "2000000000\n", "memory.stat": "rss 5\n"}, 0, -1},
	} {
		r, ok := cgroupV1Room(files(c.files), c.swapFree)
		if got := map[bool]float64{true: r.Bytes, false: -1}[ok]; got != c.want || ok && r.Limit != Container {
			t.Errorf("%s: %+v, %v; want %g", c.name, r, ok, c.want)
		}
	}
}

func TestCgroupPaths(t *testing.T) {
	v2, v1 := cgroupPaths("0::/user.slice/session-1.scope\n")
	if v2 != "/user.slice/session-1.scope" || v1 != "" {
		t.Errorf("v2 only: %q %q", v2, v1)
	}
	v2, v1 = cgroupPaths("5:devices:/\n4:memory:/docker/abc\n3:cpu,cpuacct:/\n0::/\n")
	if v2 != "/" || v1 != "/docker/abc" {
		t.Errorf("v1 and v2: %q %q", v2, v1)
	}
}

// TestShortChecksEveryRoomWithItsMargin: a heap that fits the least room
// may not fit the address space, whose Margin comes on top; of the rooms
// it does not fit, the one it passes most binds.
func TestShortChecksEveryRoomWithItsMargin(t *testing.T) {
	rooms := []Room{{Bytes: 700e6, Limit: AddressSpace}, {Bytes: 650e6, Limit: Container}, {Bytes: 20e9, Limit: Machine}}
	if r, short := Short(rooms, 537e6); !short || r.Limit != AddressSpace {
		t.Errorf("537 MB in 700 MB of address space and 650 MB of container: %+v %v; want the address space short", r, short)
	}
	if r, short := Short(rooms, 400e6); short {
		t.Errorf("400 MB: short of %+v", r)
	}
	if r, short := Short([]Room{{Bytes: 4e9, Limit: AddressSpace}, {Bytes: 1e9, Limit: Machine}}, 3.9e9); !short || r.Limit != Machine {
		t.Errorf("3.9 GB in 4 GB of address space and 1 GB free: %+v %v; want the machine's memory to bind", r, short)
	}
	if most, ok := MostHeap(rooms); !ok || most != 500e6 {
		t.Errorf("MostHeap = %g, %v; want 500 MB (the address space less the Margin)", most, ok)
	}
	if _, ok := MostHeap(nil); ok {
		t.Error("MostHeap of no rooms")
	}
	for _, r := range append(rooms, Room{Bytes: 3e9, Limit: AddressSpace32}) {
		if r.Takes(r.Heap()) != r.Bytes {
			t.Errorf("%s: Takes(Heap()) = %g, want %g", r.Limit, r.Takes(r.Heap()), r.Bytes)
		}
	}
}

// TestRoomsOnLinux: on Linux the machine's free memory at least is read,
// and every room read is of a known limit.
func TestRoomsOnLinux(t *testing.T) {
	rooms := Rooms()
	switch runtime.GOOS {
	case "linux":
	case "windows":
		return // TestRoomsOnWindows
	default:
		if len(rooms) != 0 {
			t.Errorf("Rooms outside Linux and Windows: %+v", rooms)
		}
		return
	}
	machine := false
	for _, r := range rooms {
		machine = machine || r.Limit == Machine && r.Bytes > 0
		if r.Limit != Machine && r.Limit != Container && r.Limit != AddressSpace {
			t.Errorf("a room of an unknown limit: %+v", r)
		}
	}
	if !machine {
		t.Errorf("Rooms: %+v; want the machine's free memory", rooms)
	}
}
