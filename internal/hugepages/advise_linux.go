package hugepages

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"golang.org/x/sys/unix"
)

// advise backs each whole huge page inside s with a huge page, where the
// kernel gives them only to memory that asks (thp() is 0 elsewhere):
// it asks (MADV_HUGEPAGE), writes one zero into each page so that the
// kernel backs it now, and then refuses them there again
// (MADV_NOHUGEPAGE), which keeps the pages made but makes no more: memory
// the Go runtime later reuses for other things gets the pages it would
// have got. The partial pages at s's ends could never be huge pages and
// are left alone, so the advice never reaches memory beside s. An error
// (advice refused) leaves s in base pages, as it was.
func advise(s []float32) {
	size := thp()
	inner := wholePages(s, size)
	if len(inner) == 0 || unix.Madvise(inner, unix.MADV_HUGEPAGE) != nil {
		return
	}
	for i := 0; i < len(inner); i += size {
		inner[i] = 0 // s is zero already: the write only makes the kernel back the page
	}
	unix.Madvise(inner, unix.MADV_NOHUGEPAGE)
}

// thpDir holds the kernel's settings of transparent huge pages.
const thpDir = "/sys/kernel/mm/transparent_hugepage"

// thp is the size in bytes of the huge page that a page table's middle
// level maps (hpage_pmd_size: 2 MiB on amd64) where that size is given
// only to memory that asks for it; 0 where it is given without asking
// ("always"), never, or not at all, or where some smaller size is given
// without asking, which MADV_NOHUGEPAGE would take away. It is read once.
var thp = sync.OnceValue(func() int { return readTHP(thpDir) })

// readTHP reads thp's answer from the settings under dir: the top mode,
// the PMD size's own mode, which may say "inherit", and every other
// size's.
func readTHP(dir string) int {
	top := choice(dir, "enabled")
	raw, err := os.ReadFile(filepath.Join(dir, "hpage_pmd_size"))
	if err != nil {
		return 0
	}
	size, err := strconv.Atoi(string(bytes.TrimSpace(raw)))
	if err != nil || size <= 0 || size&(size-1) != 0 {
		return 0
	}
	sizes, _ := filepath.Glob(filepath.Join(dir, "hugepages-*kB"))
	pmd := "hugepages-" + strconv.Itoa(size>>10) + "kB"
	mode := top
	for _, d := range sizes {
		m := choice(d, "enabled")
		if m == "inherit" {
			m = top
		}
		switch {
		case filepath.Base(d) == pmd:
			mode = m
		case m == "always":
			return 0
		}
	}
	if mode != "madvise" {
		return 0
	}
	return size
}

// choice returns the bracketed word of a sysfs setting such as "always
// [madvise] never", or "" if the file cannot be read.
func choice(dir, name string) string {
	raw, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return ""
	}
	_, after, ok := bytes.Cut(raw, []byte("["))
	word, _, ok2 := bytes.Cut(after, []byte("]"))
	if !ok || !ok2 {
		return ""
	}
	return string(word)
}
