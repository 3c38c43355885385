// Package hugepagestest tells tests whether buffers were cut from
// hugepages.Carve's slabs.
package hugepagestest

import (
	"testing"
	"unsafe"

	"github.com/wigglenn/wiggle/internal/hugepages"
)

// CarvedDuring runs f between two probes cut by hugepages.Carve and
// reports, for each address f returns, whether it lies between them: cut
// from the first probe's slab after it, by Carve or CarveInts during f.
// Where a new
// slab was made meanwhile, it runs f again, up to three times in all, so f
// must make fresh buffers each time. It skips t where Carve cuts no slabs
// (not Linux, or a kernel that gives no huge pages on request).
func CarvedDuring(t testing.TB, f func() []unsafe.Pointer) []bool {
	t.Helper()
	if a, b := address(hugepages.Carve(1)), address(hugepages.Carve(1)); b != a+64 && address(hugepages.Carve(1)) != b+64 {
		t.Skip("hugepages.Carve cuts no slabs here")
	}
	for range 3 {
		lo := address(hugepages.Carve(1))
		addrs := f()
		hi := address(hugepages.Carve(1))
		if hi < lo || hi-lo >= slabBytes {
			continue // a new slab came between the probes
		}
		carved := make([]bool, len(addrs))
		for i, p := range addrs {
			carved[i] = lo < uintptr(p) && uintptr(p) < hi
		}
		return carved
	}
	t.Fatal("a new slab was made during each of three tries")
	return nil
}

// slabBytes bounds a slab's size (hugepages' slabs are 8 MiB).
const slabBytes = 8 << 20

func address(s []float32) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(s))) }
