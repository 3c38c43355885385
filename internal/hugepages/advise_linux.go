package hugepages

import (
	"bytes"
	"os"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// advise gives the whole 2 MiB pages inside s 2 MiB pages where the kernel
// gives them only to memory that asks: it asks (MADV_HUGEPAGE), writes
// one zero into each page so that the kernel backs it now, and then
// refuses them there again (MADV_NOHUGEPAGE), which keeps the pages made
// but makes no more: memory the Go runtime later reuses for other things
// gets the pages it would have got. The partial pages at s's ends could
// never be 2 MiB pages and are left alone, so the advice never reaches
// memory beside s. An error (a kernel without transparent huge pages)
// leaves s in 4 KiB pages, as it was.
func advise(s []float32) {
	inner := wholePages(s)
	if !onRequest() || len(inner) == 0 || unix.Madvise(inner, unix.MADV_HUGEPAGE) != nil {
		return
	}
	for i := 0; i < len(inner); i += pageSize {
		inner[i] = 0 // s is zero already: the write only makes the kernel back the page
	}
	unix.Madvise(inner, unix.MADV_NOHUGEPAGE)
}

// pageSize is the size of a transparent huge page on amd64 and arm64.
const pageSize = 2 << 20

// wholePages is the memory of the whole 2 MiB pages inside s, as bytes.
func wholePages(s []float32) []byte {
	start := uintptr(unsafe.Pointer(unsafe.SliceData(s)))
	end := start + uintptr(len(s))*4
	lo, hi := (start+pageSize-1)&^(pageSize-1), end&^(pageSize-1)
	if hi <= lo {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(s)), lo-start)), hi-lo)
}

// onRequest reports whether the kernel's transparent huge pages are set to
// "madvise": given to memory that asks for them. With "always" every large
// slice may get them without asking, and with "never" none does. It is
// read once.
var onRequest = sync.OnceValue(func() bool {
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	return err == nil && bytes.Contains(mode, []byte("[madvise]"))
})
