package hugepages

import (
	"sync"
	"sync/atomic"
	"unsafe"
)

// Carve returns a zeroed slice of n float32s, its capacity n, for a
// buffer that lives as long as its owner: a network's parameters and their
// gradients, an optimizer's state, a network's or a trainer's kept
// buffers (see the package doc). Where Floats asks for huge pages of at
// most slabBytes/2, a slice smaller than MinBytes is cut from slabs of
// huge pages that such slices share, so that a small network's buffers
// take a few TLB entries rather than hundreds. Slices are cut one after
// another and never reused: a slab (slabBytes, backed when made) stays in
// memory while any slice cut from it does, so a buffer that is dropped and
// made again, or made by a short-lived owner, belongs elsewhere. Elsewhere,
// and from MinBytes on, Carve is Floats.
//
// Carve is safe for concurrent use.
func Carve(n int) []float32 { return carve(n, thp(), &slabs) }

// CutsSlabs tells whether Carve cuts slices from slabs here (rather than
// being Floats).
func CutsSlabs() bool { return cutsSlabs(thp()) }

// SlabsMade returns how many slabs Carve has made so far: a test that
// tells where a slice was cut from its address can see that none was made
// meanwhile.
func SlabsMade() uint64 { return slabs.made.Load() }

// CarveInts is Carve for n ints (a trainer's order of rows), cut as the
// floats that hold them. The floats are memory the garbage collector does
// not scan, which ints need not be, aligned for an int: a slab's slices
// start on a cache line, and the Go allocator aligns a slice of 8-byte
// multiples (two floats an int) to 8 bytes.
//
// CarveInts is safe for concurrent use.
func CarveInts(n int) []int {
	f := Carve(n * floatsPerInt)
	return unsafe.Slice((*int)(unsafe.Pointer(unsafe.SliceData(f))), n)
}

// floatsPerInt is the float32s an int takes.
const floatsPerInt = int(unsafe.Sizeof(int(0)) / 4)

// carve is Carve with huge pages of size bytes (0: none asked for) and
// slabs from c.
func carve(n, size int, c *slabCutter) []float32 {
	if n == 0 || n >= MinBytes/4 || !cutsSlabs(size) {
		return Floats(n)
	}
	return c.cut(n, size)
}

// cutsSlabs tells whether carve cuts slabs with huge pages of size bytes
// (0: none asked for): pages that two fit in a slab.
func cutsSlabs(size int) bool { return size > 0 && size <= slabBytes/2 }

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
	made    atomic.Uint64         // slabs made, for SlabsMade
}

// cut returns the next n floats (n below MinBytes/4), first making a new
// slab with whole huge pages of size bytes (at most slabBytes/2) if the
// latest has fewer left; the rest of that one stays unused.
func (c *slabCutter) cut(n, size int) []float32 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.free) < n {
		c.free = c.slab(size)
	}
	s := c.free[:n:n]
	c.free = c.free[min(len(c.free), (n+lineFloats-1)/lineFloats*lineFloats):]
	return s
}

// slab makes a slab, backs its whole huge pages of size bytes (see
// advise) and returns them.
func (c *slabCutter) slab(size int) []float32 {
	var slab []float32
	if c.newSlab != nil {
		slab = c.newSlab(slabBytes / 4)
	} else {
		slab = make([]float32, slabBytes/4)
	}
	advise(slab)
	c.made.Add(1)
	inner := wholePages(slab, size) // not empty: size is at most half a slab
	off := (uintptr(unsafe.Pointer(unsafe.SliceData(inner))) - uintptr(unsafe.Pointer(&slab[0]))) / 4
	return slab[off : off+uintptr(len(inner))/4]
}
