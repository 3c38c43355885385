package hugepages

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

func TestReadTHP(t *testing.T) {
	const pmd = 2 << 20
	for _, c := range []struct {
		name  string
		files map[string]string // under the settings' directory
		want  int
	}{
		{"madvise, the PMD size inherits", map[string]string{"enabled": "always [madvise] never", "hugepages-2048kB/enabled": "always [inherit] madvise never", "hugepages-64kB/enabled": "always inherit madvise [never]"}, pmd},
		{"madvise, no sizes listed (before Linux 6.8)", map[string]string{"enabled": "always [madvise] never"}, pmd},
		{"always", map[string]string{"enabled": "[always] madvise never"}, 0},
		{"never", map[string]string{"enabled": "always madvise [never]"}, 0},
		{"madvise, but the PMD size never", map[string]string{"enabled": "always [madvise] never", "hugepages-2048kB/enabled": "always inherit madvise [never]"}, 0},
		{"never, but the PMD size madvise", map[string]string{"enabled": "always madvise [never]", "hugepages-2048kB/enabled": "always inherit [madvise] never"}, pmd},
		{"madvise, but a smaller size always", map[string]string{"enabled": "always [madvise] never", "hugepages-64kB/enabled": "[always] inherit madvise never"}, 0},
		{"madvise, a smaller size inherits", map[string]string{"enabled": "always [madvise] never", "hugepages-64kB/enabled": "always [inherit] madvise never"}, pmd},
		{"no PMD size", map[string]string{"enabled": "always [madvise] never", "hpage_pmd_size": ""}, 0},
		{"a PMD size not a power of two", map[string]string{"enabled": "always [madvise] never", "hpage_pmd_size": "3000000\n"}, 0},
		{"no settings", map[string]string{"hpage_pmd_size": ""}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{"hpage_pmd_size": "2097152\n"}
			for name, text := range c.files {
				files[name] = text
			}
			for name, text := range files {
				if name == "hpage_pmd_size" && text == "" {
					continue // absent
				}
				path := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(text+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if got := readTHP(dir); got != c.want {
				t.Errorf("readTHP: size %d, want %d", got, c.want)
			}
		})
	}
}

func TestWholePages(t *testing.T) {
	const size = 2 << 20
	s := make([]float32, 3*size/4)
	first := uintptr(unsafe.Pointer(&s[0]))
	for _, n := range []int{len(s), len(s) - 1, size / 4, size/4 + 1, 2 * size / 4} {
		inner := wholePages(s[:n], size)
		if len(inner) == 0 {
			continue // too short to hold a whole page where it lies
		}
		lo := uintptr(unsafe.Pointer(&inner[0]))
		hi := lo + uintptr(len(inner))
		if lo%size != 0 || len(inner)%size != 0 || lo < first || hi > first+uintptr(n)*4 || lo-first >= size || first+uintptr(n)*4-hi >= size {
			t.Errorf("wholePages of %d floats at %#x: [%#x, %#x), want the whole 2 MiB pages inside", n, first, lo, hi)
		}
	}
	if len(wholePages(s, size)) < size {
		t.Errorf("wholePages of 6 MiB: %d bytes, want at least one whole 2 MiB page", len(wholePages(s, size)))
	}
	if got := wholePages(s, 0); got != nil {
		t.Errorf("wholePages with no huge page size: %d bytes, want none", len(got))
	}
}

// mapping is what /proc/self/smaps says of the mapping that holds an
// address.
type mapping struct {
	lo, hi    uintptr
	flags     []string // VmFlags: "hg" where huge pages are asked for, "nh" where refused
	hugeBytes int      // AnonHugePages: its memory in huge pages
}

// mappingOf reads /proc/self/smaps for the mapping that holds addr.
func mappingOf(t testing.TB, addr uintptr) mapping {
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
			m = mapping{}
			fmt.Sscanf(name, "%x-%x", &m.lo, &m.hi)
			inside = m.lo <= addr && addr < m.hi
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

// freshFloats maps 3 huge pages of size bytes of memory no one has
// touched and returns it as float32s less 4 KiB at each end, so that its
// ends are not whole pages wherever the kernel placed it.
func freshFloats(t *testing.T, size int) []float32 { return freshBytes(t, 3*size) }

// freshBytes maps n bytes of memory no one has touched and returns it as
// float32s less 4 KiB at each end.
func freshBytes(t *testing.T, n int) []float32 {
	t.Helper()
	b, err := unix.Mmap(-1, 0, n, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Munmap(b) })
	return unsafe.Slice((*float32)(unsafe.Pointer(&b[4096])), (len(b)-2*4096)/4)
}

// skipUnlessKernelGivesHugePages skips t unless this kernel, asked step by
// step on other fresh memory, backs a page of size bytes with a huge page
// now: a test that found none where it expected them then fails rather
// than blaming a kernel out of huge pages.
func skipUnlessKernelGivesHugePages(t *testing.T, size int) {
	t.Helper()
	probe := wholePages(freshFloats(t, size), size)
	if unix.Madvise(probe, unix.MADV_HUGEPAGE) != nil {
		t.Skip("this kernel refuses the advice")
	}
	probe[0] = 1
	if mappingOf(t, uintptr(unsafe.Pointer(&probe[0]))).hugeBytes == 0 {
		t.Skip("this kernel gives no huge page now, even to a page asked for and written")
	}
}

func TestAdviseBacksWholePagesWithHugePages(t *testing.T) {
	size := thp()
	if size == 0 {
		t.Skip("this kernel does not give huge pages on request alone, so advise asks for nothing")
	}
	s := freshFloats(t, size)
	advise(s)
	start, end := uintptr(unsafe.Pointer(&s[0])), uintptr(unsafe.Pointer(&s[0]))+uintptr(len(s))*4
	page := uintptr(size)
	lo, hi := (start+page-1)/page*page, end/page*page // the whole pages inside s
	m := mappingOf(t, lo)
	if !m.has("nh") || m.lo > lo || m.hi < hi {
		t.Fatalf("after advise, the whole pages [%#x, %#x) are in a mapping [%#x, %#x) with VmFlags %v, want a mapping over all of them with nh (no more huge pages made there)", lo, hi, m.lo, m.hi, m.flags)
	}
	for _, edge := range []uintptr{start, end - 1} {
		if edge >= lo && edge < hi {
			continue // s's end is a page's end: nothing of s lies past it there
		}
		if e := mappingOf(t, edge); e.has("nh") || e.has("hg") {
			t.Errorf("after advise, s's partial page at %#x has VmFlags %v: the advice reached past the whole pages [%#x, %#x)", edge, e.flags, lo, hi)
		}
	}
	if m.hugeBytes >= int(hi-lo) {
		return
	}
	skipUnlessKernelGivesHugePages(t, size)
	t.Errorf("after advise, %d of the %d bytes of whole pages are huge pages, though the kernel gives one to a page asked for and written", m.hugeBytes, hi-lo)
}

func TestFloatsAdvisesLargeSlices(t *testing.T) {
	size := thp()
	if size == 0 {
		t.Skip("this kernel does not give huge pages on request alone, so Floats asks for nothing")
	}
	s := Floats(max(MinBytes, 2*size) / 4)
	inner := wholePages(s, size)
	if m := mappingOf(t, uintptr(unsafe.Pointer(&inner[0]))); !m.has("nh") {
		t.Errorf("Floats of %d bytes: its whole pages have VmFlags %v, want nh (advised)", len(s)*4, m.flags)
	}
}

func TestCarvedSlicesLieInHugePages(t *testing.T) {
	size := thp()
	if size == 0 {
		t.Skip("this kernel does not give huge pages on request alone, so Carve cuts no slabs")
	}
	// Slabs of freshly mapped memory: one made of memory the Go runtime
	// had used would keep the pages it has.
	c := &slabCutter{newSlab: func(n int) []float32 { return freshBytes(t, 4*n+2*4096) }}
	for _, n := range []int{1000, 1, 300000} {
		s := c.cut(n, size)
		m := mappingOf(t, uintptr(unsafe.Pointer(&s[0])))
		if !m.has("nh") {
			t.Fatalf("a slice cut of %d floats lies in a mapping with VmFlags %v, want nh (a slab's advised pages)", n, m.flags)
		}
		if m.hugeBytes > 0 {
			continue
		}
		skipUnlessKernelGivesHugePages(t, size)
		t.Fatalf("a slice cut of %d floats lies in a mapping with no huge page, though the kernel gives one to a page asked for and written", n)
	}
}
