package hugepages

import "testing"

func TestFloatsIsZeroed(t *testing.T) {
	for _, n := range []int{0, 1, 1000, MinBytes/4 - 1, MinBytes / 4, MinBytes/4 + 12345} {
		s := Floats(n)
		if len(s) != n || cap(s) != n {
			t.Fatalf("Floats(%d): len %d, cap %d", n, len(s), cap(s))
		}
		for i, v := range s {
			if v != 0 {
				t.Fatalf("Floats(%d)[%d] = %v, want 0", n, i, v)
			}
		}
	}
}
