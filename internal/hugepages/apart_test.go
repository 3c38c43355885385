package hugepages

import "testing"

// TestCarveApart holds CarveApart to its contract over short lengths and
// long ones (cut from slabs or made by Floats, as the system's huge pages
// allow) and every kind of offset: the length and capacity asked for,
// zeros, the placement against like modulo 4 KiB from a page's length on,
// and like's cache-line alignment kept.
func TestCarveApart(t *testing.T) {
	likes := [][]float32{
		Carve(100),                // from a slab, line-aligned
		Carve(1 << 20),            // MinBytes: Floats
		make([]float32, 3000)[5:], // not line-aligned
	}
	for li, like := range likes {
		for _, n := range []int{1, 17, 1023, 1024, 5000, 1<<20 - 512, 1 << 20} {
			for _, offset := range []int{0, 64, 100, 2048, 4095, 4096 + 2048, -64} {
				s := CarveApart(n, like, offset)
				if len(s) != n || cap(s) != n {
					t.Fatalf("like %d, n %d, offset %d: len %d cap %d, want %d and %d", li, n, offset, len(s), cap(s), n, n)
				}
				for i, v := range s {
					if v != 0 {
						t.Fatalf("like %d, n %d, offset %d: s[%d] = %v, want 0", li, n, offset, i, v)
					}
				}
				s[n-1] = 1 // the whole length is usable
				if n < pageBytes/4 {
					continue // Carve(n): no rows a page apart to place
				}
				want := uint(offset) % pageBytes / 64 * 64
				if got := (addr(s) - addr(like)) % pageBytes; got != uintptr(want) {
					t.Errorf("like %d, n %d, offset %d: s lies %d bytes past like modulo 4096, want %d", li, n, offset, got, want)
				}
				if addr(like)%64 == 0 && addr(s)%64 != 0 {
					t.Errorf("like %d, n %d, offset %d: like is line-aligned, s is %d bytes past a line", li, n, offset, addr(s)%64)
				}
			}
		}
	}
}

// TestCarveApartEmpty: nothing to lie apart from, or nothing asked for.
func TestCarveApartEmpty(t *testing.T) {
	if s := CarveApart(10, nil, 2048); len(s) != 10 || cap(s) != 10 {
		t.Errorf("no like: len %d cap %d, want 10 and 10", len(s), cap(s))
	}
	if s := CarveApart(0, Carve(10), 2048); len(s) != 0 {
		t.Errorf("n = 0: len %d, want 0", len(s))
	}
}
