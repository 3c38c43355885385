package hugepages

import "unsafe"

// pageBytes is a base page, 4 KiB: the span of addresses whose bits pick
// a line's set in the L1 data cache (48 KiB of 12 ways: 64 sets of
// 64-byte lines on the cores wiggle is measured on).
const pageBytes = 4096

// CarveApart returns a zeroed slice of n float32s, its capacity n, cut as
// Carve cuts, whose first element lies offset bytes after like's first
// element in the addresses' bits below 4 KiB: with an offset from 64 to
// 4032, s[i] and like[i] then never share an L1 set. It is for a buffer
// read beside another, element for element, in tiles whose rows may lie
// 4 KiB apart: an optimizer's state beside its weights, which a momentum
// step of a layer of 1024 inputs reads and writes twelve rows at a time.
// Placed alike, the two tiles' 48 lines compete for the 24 places of two
// sets and evict each other; half a page apart, each has its own. offset
// is taken modulo 4096 and rounded down to a multiple of 64 (a cache
// line), so an aligned like gives an aligned s. The slice costs 4 KiB more
// than Carve(n) would. A slice shorter than a page (n below 1024), or an
// empty like, gets Carve(n): it holds no rows a page apart.
//
// CarveApart is safe for concurrent use.
func CarveApart(n int, like []float32, offset int) []float32 {
	if n < pageBytes/4 || len(like) == 0 {
		return Carve(n)
	}
	s := Carve(n + pageBytes/4)
	want := (addr(like) + uintptr(offset&(pageBytes-1)&^63)) % pageBytes
	skip := (want + pageBytes - addr(s)%pageBytes) % pageBytes / 4
	return s[skip : skip+uintptr(n) : skip+uintptr(n)]
}

// addr is the address of s's first element.
func addr(s []float32) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(s))) }
