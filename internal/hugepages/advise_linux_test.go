package hugepages

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// vmFlags returns the VmFlags of the mapping that holds addr, from
// /proc/self/smaps: "hg" where 2 MiB pages were asked for, "nh" where they
// were refused.
func vmFlags(t *testing.T, addr uintptr) []string {
	t.Helper()
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	inside := false
	sc := bufio.NewScanner(bytes.NewReader(smaps))
	for sc.Scan() {
		line := sc.Text()
		if name, _, _ := strings.Cut(line, " "); !strings.HasSuffix(name, ":") { // a mapping's first line: its range, then its fields
			var lo, hi uintptr
			fmt.Sscanf(name, "%x-%x", &lo, &hi)
			inside = lo <= addr && addr < hi
			continue
		}
		if flags, ok := strings.CutPrefix(line, "VmFlags:"); ok && inside {
			return strings.Fields(flags)
		}
	}
	t.Fatalf("no mapping in /proc/self/smaps holds %#x", addr)
	return nil
}

func has(flags []string, f string) bool {
	for _, g := range flags {
		if g == f {
			return true
		}
	}
	return false
}

func TestLargeSlicesAskForHugePagesUntilGarbage(t *testing.T) {
	if !onRequest() {
		t.Skip("transparent huge pages are not set to madvise here, so Floats asks for nothing")
	}
	if err := unix.Madvise(wholePages(make([]float32, MinBytes/4)), unix.MADV_HUGEPAGE); err != nil {
		t.Skipf("this kernel refuses the advice (%v), so Floats asks for nothing", err)
	}
	s := Floats(MinBytes/4 + 1000)
	inner := wholePages(s)
	addr := uintptr(unsafe.Pointer(unsafe.SliceData(inner))) // the first whole 2 MiB page inside s
	if len(inner) < pageSize || addr%pageSize != 0 || addr < uintptr(unsafe.Pointer(&s[0])) || addr+uintptr(len(inner)) > uintptr(unsafe.Pointer(&s[len(s)-1])) {
		t.Fatalf("wholePages of a slice of %d bytes at %p: %d bytes at %#x, want whole 2 MiB pages inside it", len(s)*4, &s[0], len(inner), addr)
	}
	if flags := vmFlags(t, addr); !has(flags, "hg") {
		t.Fatalf("a slice of %d bytes: VmFlags %v, want hg (2 MiB pages asked for)", len(s)*4, flags)
	}
	runtime.KeepAlive(s)
	s = nil
	deadline := time.Now().Add(10 * time.Second)
	for {
		runtime.GC() // the first finds the slice garbage and runs its finalizer
		flags := vmFlags(t, addr)
		if has(flags, "nh") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the slice is garbage, but its addresses still have VmFlags %v, want nh (2 MiB pages refused again)", flags)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
