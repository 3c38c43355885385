package hugepages

import (
	"runtime"
	"sync"
	"testing"
	"unsafe"
)

// span is the memory of a slice, [lo, hi).
type span struct{ lo, hi uintptr }

func spanOf(s []float32) span {
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(s)))
	return span{lo, lo + uintptr(cap(s))*4}
}

// TestCarve cuts slices of many sizes from one cutter with 2 MiB pages, on
// four goroutines at once (run it with -race too), and checks each:
// zeroed, its capacity its length, aligned to a cache line where it was
// cut, and sharing no memory with any other, though each goroutine writes
// all of its own. It runs on any system: where no kernel is asked, the
// slabs are plain memory.
func TestCarve(t *testing.T) {
	const size = 2 << 20
	sizes := []int{1, 3, 15, 16, 17, 100, 1000, 4096, 65537, 300000, MinBytes/4 - 1, MinBytes / 4, 0}
	c := &slabCutter{}
	var mu sync.Mutex
	var spans []span
	var kept [][]float32 // alive to the end, so that no memory is reused
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := range 3 {
				for _, n := range sizes {
					s := carve(n, size, c)
					if len(s) != n || cap(s) != n {
						t.Errorf("carve(%d): len %d, cap %d", n, len(s), cap(s))
						return
					}
					for i, v := range s {
						if v != 0 {
							t.Errorf("carve(%d)[%d] = %v, want 0", n, i, v)
							return
						}
						s[i] = float32(g*10 + round) // a neighbour sharing it would see this
					}
					if n > 0 && n < MinBytes/4 && spanOf(s).lo%64 != 0 {
						t.Errorf("carve(%d) at %#x: not aligned to 64 bytes", n, spanOf(s).lo)
					}
					if n > 0 {
						mu.Lock()
						spans, kept = append(spans, spanOf(s)), append(kept, s)
						mu.Unlock()
					}
				}
			}
		}()
	}
	wg.Wait()
	defer runtime.KeepAlive(kept)
	for i, a := range spans {
		for _, b := range spans[i+1:] {
			if a.lo < b.hi && b.lo < a.hi {
				t.Fatalf("two carved slices share memory: [%#x, %#x) and [%#x, %#x)", a.lo, a.hi, b.lo, b.hi)
			}
		}
	}
}

// TestCarveWithoutSlabs: with no huge pages asked for, or pages too large
// for a slab to hold two (arm64 with 64 KiB base pages: 512 MiB), carve
// is Floats and cuts nothing.
func TestCarveWithoutSlabs(t *testing.T) {
	for _, size := range []int{0, 32 << 20, 512 << 20} {
		c := &slabCutter{}
		if s := carve(1000, size, c); len(s) != 1000 || cap(s) != 1000 || c.free != nil {
			t.Errorf("carve(1000) with huge pages of %d bytes: len %d, cap %d, a slab cut: %v; want Floats's slice and no slab", size, len(s), cap(s), c.free != nil)
		}
	}
}

// TestCarveInts: CarveInts's slices are zeroed, as long as asked, aligned
// for ints, and their own: each is filled with its own pattern, and every
// slice still holds its pattern once all are filled.
func TestCarveInts(t *testing.T) {
	perInt := MinBytes / int(unsafe.Sizeof(0)) // the first CarveInts that is Floats
	sizes := []int{0, 1, 2, 3, 15, 16, 17, 1000, 60000, perInt - 1, perInt, perInt + 1}
	got := make([][]int, len(sizes))
	for k, n := range sizes {
		s := CarveInts(n)
		if len(s) != n || cap(s) != n {
			t.Fatalf("CarveInts(%d): len %d, cap %d", n, len(s), cap(s))
		}
		if n > 0 && uintptr(unsafe.Pointer(&s[0]))%unsafe.Alignof(int(0)) != 0 {
			t.Errorf("CarveInts(%d) at %p: not aligned for an int", n, &s[0])
		}
		for i, v := range s {
			if v != 0 {
				t.Fatalf("CarveInts(%d)[%d] = %d, want 0", n, i, v)
			}
			s[i] = k<<20 | i
		}
		got[k] = s
	}
	for k, s := range got {
		for i, v := range s {
			if v != k<<20|i {
				t.Fatalf("CarveInts(%d)[%d] = %#x after the others were filled, want %#x", sizes[k], i, v, k<<20|i)
			}
		}
	}
}
