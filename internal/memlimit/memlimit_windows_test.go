package memlimit

import (
	"testing"
	"unsafe"
)

// TestRoomsOnWindows: Windows tells the memory it may still commit: some,
// and not past a petabyte; the status's layout is MEMORYSTATUSEX's 64
// bytes, which the call checks by its length field.
func TestRoomsOnWindows(t *testing.T) {
	if size := unsafe.Sizeof(memoryStatus{}); size != 64 {
		t.Fatalf("memoryStatus is %d bytes; MEMORYSTATUSEX is 64", size)
	}
	rs := Rooms()
	if len(rs) == 0 || rs[0].Limit != Commit {
		t.Fatalf("Rooms: %+v; want the commit limit's room first", rs)
	}
	if rs[0].Bytes < 64<<20 || rs[0].Bytes > 1<<50 {
		t.Errorf("the machine's room: %.0f bytes; want between 64 MiB and 1 PiB", rs[0].Bytes)
	}
}
