package hugepages

import "unsafe"

// wholePages is the memory of the whole pages of size bytes (a power of
// two) inside s, as bytes; none for size 0.
func wholePages(s []float32, size int) []byte {
	if size <= 0 {
		return nil
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(s)))
	end := start + uintptr(len(s))*4
	mask := uintptr(size) - 1
	lo, hi := (start+mask)&^mask, end&^mask
	if hi <= lo || lo < start { // lo < start: the rounding wrapped past the top of memory
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(s)), lo-start)), hi-lo)
}
