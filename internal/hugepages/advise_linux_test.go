package hugepages

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// mapping is what /proc/self/smaps says of the mapping that holds an
// address.
type mapping struct {
	flags     []string // VmFlags: "hg" where 2 MiB pages are asked for, "nh" where refused
	hugeBytes int      // AnonHugePages: its memory in 2 MiB pages
}

// mappingOf reads /proc/self/smaps for the mapping that holds addr.
func mappingOf(t *testing.T, addr uintptr) mapping {
	t.Helper()
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	var m mapping
	inside := false
	sc := bufio.NewScanner(bytes.NewReader(smaps))
	for sc.Scan() {
		line := sc.Text()
		name, rest, _ := strings.Cut(line, " ")
		switch {
		case !strings.HasSuffix(name, ":"): // a mapping's first line: its range, then its fields
			var lo, hi uintptr
			fmt.Sscanf(name, "%x-%x", &lo, &hi)
			inside = lo <= addr && addr < hi
		case !inside:
		case name == "AnonHugePages:":
			kb, _ := strconv.Atoi(strings.Fields(rest)[0])
			m.hugeBytes = kb << 10
		case name == "VmFlags:":
			m.flags = strings.Fields(rest)
			return m
		}
	}
	t.Fatalf("no mapping in /proc/self/smaps holds %#x", addr)
	return m
}

func (m mapping) has(flag string) bool {
	for _, f := range m.flags {
		if f == flag {
			return true
		}
	}
	return false
}

// firstWholePage returns the address of the first whole 2 MiB page inside
// s, checking that wholePages found one.
func firstWholePage(t *testing.T, s []float32) uintptr {
	t.Helper()
	inner := wholePages(s)
	addr := uintptr(unsafe.Pointer(unsafe.SliceData(inner)))
	first, end := uintptr(unsafe.Pointer(&s[0])), uintptr(unsafe.Pointer(&s[0]))+uintptr(len(s))*4
	if len(inner) < pageSize || len(inner)%pageSize != 0 || addr%pageSize != 0 || addr < first || addr+uintptr(len(inner)) > end {
		t.Fatalf("wholePages of %d bytes at %#x: %d bytes at %#x, want whole 2 MiB pages inside them", len(s)*4, first, len(inner), addr)
	}
	return addr
}

// kernelGivesHugePages reports whether this kernel backs a page asked for
// with a 2 MiB page when it is written, done here step by step.
func kernelGivesHugePages(t *testing.T) bool {
	probe := make([]float32, MinBytes/4)
	inner := wholePages(probe)
	if unix.Madvise(inner, unix.MADV_HUGEPAGE) != nil {
		return false
	}
	inner[0] = 1
	return mappingOf(t, uintptr(unsafe.Pointer(&inner[0]))).hugeBytes > 0
}

func TestLargeSlicesGetHugePages(t *testing.T) {
	if !onRequest() {
		t.Skip("transparent huge pages are not set to madvise here, so Floats asks for nothing")
	}
	s := Floats(MinBytes/4 + 1000)
	m := mappingOf(t, firstWholePage(t, s))
	if !m.has("nh") {
		t.Errorf("after Floats, the slice's pages have VmFlags %v, want nh (no more 2 MiB pages made there)", m.flags)
	}
	if m.hugeBytes == 0 {
		if !kernelGivesHugePages(t) {
			t.Skip("this kernel gives no 2 MiB page even when asked (none free, or advice refused)")
		}
		t.Errorf("Floats's slice has no 2 MiB page, though the kernel gives one to a page asked for and written")
	}
}
