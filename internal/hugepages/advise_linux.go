package hugepages

import (
	"bytes"
	"os"
	"runtime"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// advise asks for 2 MiB pages over s where the kernel gives them only to
// memory that asks, and sets a finalizer that gives s's addresses back to
// that mode's default when s is garbage. An error (a kernel without
// transparent huge pages) leaves s in 4 KiB pages, as it was.
func advise(s []float32) {
	if !onRequest() || unix.Madvise(bytesOf(s), unix.MADV_HUGEPAGE) != nil {
		return
	}
	n := len(s) // the finalizer must not hold s, or s is never garbage
	runtime.SetFinalizer(&s[0], func(first *float32) {
		unix.Madvise(bytesOf(unsafe.Slice(first, n)), unix.MADV_NOHUGEPAGE)
	})
}

// onRequest reports whether the kernel's transparent huge pages are set to
// "madvise": given to memory that asks for them. With "always" every large
// slice may get them without asking, and with "never" none does.
var onRequest = sync.OnceValue(func() bool {
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	return err == nil && bytes.Contains(mode, []byte("[madvise]"))
})

// bytesOf is s's memory as bytes.
func bytesOf(s []float32) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*4)
}
