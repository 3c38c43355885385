package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// TestCopyStreamingMatchesCopy holds CopyStreaming to copy, bit for bit
// (NaN, −0 and infinities among the values), with the destination at each
// of the 16 alignments within a cache line and lengths around whole lines,
// and checks that nothing outside the destination is written.
func TestCopyStreamingMatchesCopy(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	special := []float32{float32(math.NaN()), float32(math.Copysign(0, -1)), 0, float32(math.Inf(1)), float32(math.Inf(-1)), -1e-40}
	const sentinel = 12345
	buf := make([]float32, 4099+64)
	line := headToLine(buf) // buf[line] starts a cache line
	for _, n := range []int{0, 1, 15, 16, 17, 31, 33, 100, 1000, 4099} {
		src := make([]float32, n)
		for i := range src {
			src[i] = float32(rng.NormFloat64())
			if i%7 == 3 {
				src[i] = special[i%len(special)]
			}
		}
		for align := range 16 {
			for i := range buf {
				buf[i] = sentinel
			}
			at := line + align
			CopyStreaming(buf[at:at+n], src)
			for i := range buf {
				want := float32(sentinel)
				if i >= at && i < at+n {
					want = src[i-at]
				}
				if math.Float32bits(buf[i]) != math.Float32bits(want) {
					t.Fatalf("n=%d, %d floats past a line: element %d of the buffer (destination at %d) = %v, want %v", n, align, i, at, buf[i], want)
				}
			}
		}
	}
}

// TestHeadToLine: the floats before the first 64-byte boundary, checked
// against the address itself.
func TestHeadToLine(t *testing.T) {
	buf := make([]float32, 64)
	for off := range 32 {
		s := buf[off:]
		got := headToLine(s)
		if got < 0 || got >= 16 || (uintptr(unsafe.Pointer(&s[got])))%64 != 0 {
			t.Errorf("offset %d: %d floats to the line's start, which is not on a 64-byte boundary", off, got)
		}
		if one := headToLine(s[:1]); one != min(1, got) {
			t.Errorf("offset %d, one float: %d, want %d", off, one, min(1, got))
		}
	}
	if got := headToLine(nil); got != 0 {
		t.Errorf("nil: %d", got)
	}
}
