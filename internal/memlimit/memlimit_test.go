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

func TestCgroupRoom(t *testing.T) {
	for _, c := range []struct {
		limit, stat string
		want        float64 // -1: no room read
	}{
		{"1073741824\n", "anon 73741824\nfile 500000000\n", 1e9},        // v2: the page cache is not counted
		{"max\n", "anon 5\n", -1},                                       // v2 without a limit
		{"2000000000\n", "cache 1\nrss 7\ntotal_rss 1000000000\n", 1e9}, // v1
		{"9223372036854771712\n", "total_rss 5\n", -1},                  // v1 without a limit
		{"1000\n", "nothing 5\n", -1},                                   // no usage line
		{"", "", -1},                                                    // unreadable
	} {
		r, ok := cgroupRoom(c.limit, c.stat)
		if got := map[bool]float64{true: r.Bytes, false: -1}[ok]; got != c.want || ok && r.Limit != Container {
			t.Errorf("cgroupRoom(%q, %q) = %+v, %v; want %g", c.limit, c.stat, r, ok, c.want)
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

func TestLeastOf(t *testing.T) {
	if _, ok := leastOf(nil); ok {
		t.Error("no limits gave a room")
	}
	r, ok := leastOf([]Room{{3e9, Machine}, {1e9, AddressSpace}, {2e9, Container}})
	if !ok || r.Limit != AddressSpace {
		t.Errorf("least of three: %+v", r)
	}
}

// TestGetOnLinux: on Linux the machine's free memory at least is read, and
// it is positive.
func TestGetOnLinux(t *testing.T) {
	r, ok := Get()
	if runtime.GOOS != "linux" {
		if ok {
			t.Errorf("Get outside Linux: %+v", r)
		}
		return
	}
	if !ok || !(r.Bytes > 0) {
		t.Errorf("Get: %+v %v; want a positive room", r, ok)
	}
}
