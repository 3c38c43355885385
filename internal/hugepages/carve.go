package hugepages

import (
	"sync"
	"unsafe"
)

// Carve returns a zeroed slice of n float32s, its capacity n, for a buffer
// that lives about as long as others carved around the same time: a
// network's parameters and their gradients, an optimizer's state, a
// layer's output buffer. Where Floats asks for huge pages, a slice
// smaller than MinBytes is cut from slabs of huge pages that such slices
// share, so that a small network's buffers take a few TLB entries rather
// than hundreds; a slab (slabBytes, made and backed when the last one is
// used up) stays in memory while any slice cut from it does. Elsewhere,
// and from MinBytes on, Carve is Floats.
//
// Carve is safe for concurrent use.
func Carve(n int) []float32 {
	if n == 0 || n >= MinBytes/4 || thp().size == 0 {
		return Floats(n)
	}
	return slabs.cut(n, thp().size)
}

// slabBytes is the size of a slab: four 2 MiB pages, of which three or four
// lie whole inside it wherever the Go runtime places it.
const slabBytes = 8 << 20

// lineFloats aligns each slice cut to a cache line.
const lineFloats = 16

// slabs is where Carve cuts.
var slabs slabCutter

// slabCutter cuts slices from the whole huge pages of a slab, one after
// another.
type slabCutter struct {
	mu      sync.Mutex
	free    []float32             // what is left of the latest slab's whole huge pages
	newSlab func(n int) []float32 // makes a slab of n floats; make when nil (tests map fresh memory)
}

// cut returns the next n floats, first making a new slab of huge pages of
// size bytes if the latest has fewer left; the rest of that one stays
// unused.
func (c *slabCutter) cut(n, size int) []float32 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.free) < n {
		var slab []float32
		if c.newSlab != nil {
			slab = c.newSlab(slabBytes / 4)
		} else {
			slab = make([]float32, slabBytes/4)
		}
		advise(slab)
		inner := wholePages(slab, size)
		off := (uintptr(unsafe.Pointer(unsafe.SliceData(inner))) - uintptr(unsafe.Pointer(&slab[0]))) / 4
		c.free = slab[off : off+uintptr(len(inner))/4]
		if len(c.free) < n { // no whole page inside (a page size above slabBytes/2)
			return make([]float32, n)
		}
	}
	s := c.free[:n:n]
	c.free = c.free[min(len(c.free), (n+lineFloats-1)/lineFloats*lineFloats):]
	return s
}
