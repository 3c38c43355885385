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
// after the first probe from its slab (by Carve, CarveInts or CarveApart)
// during f. Where a new slab was made meanwhile, it runs f again, up to
// three times in all, so f must make fresh buffers each time. Where Carve
// cuts no slabs (not Linux, or huge pages not asked for), it runs f once
// and returns nil.
func CarvedDuring(t testing.TB, f func() []unsafe.Pointer) []bool {
	t.Helper()
	if !hugepages.CutsSlabs() {
		f()
		return nil
	}
	for range 3 {
		made := hugepages.SlabsMade()
		lo := address(hugepages.Carve(1))
		addrs := f()
		hi := address(hugepages.Carve(1))
		if hugepages.SlabsMade() != made {
			continue // the probes may lie in two slabs
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

func address(s []float32) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(s))) }
