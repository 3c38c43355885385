package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestStreamingMatches holds CopyStreaming to copy and ReLUStreaming to
// ReLU, bit for bit (NaN, −0 and infinities among the values), at every
// alignment of the destination within a cache line and at lengths around
// whole lines, and checks that nothing past the destination is written.
func TestStreamingMatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	special := []float32{float32(math.NaN()), float32(math.Copysign(0, -1)), 0, float32(math.Inf(1)), float32(math.Inf(-1)), -1e-40}
	const sentinel = 12345
	for _, n := range []int{0, 1, 15, 16, 17, 31, 33, 100, 1000, 4099} {
		for off := 0; off < 16; off++ {
			x := make([]float32, n)
			for i := range x {
				x[i] = float32(rng.NormFloat64())
				if i%7 == 3 {
					x[i] = special[i%len(special)]
				}
			}
			for _, c := range []struct {
				name       string
				fast, slow func(y, x []float32)
			}{
				{"CopyStreaming", CopyStreaming, func(y, x []float32) { copy(y, x) }},
				{"ReLUStreaming", ReLUStreaming, ReLU},
			} {
				got := make([]float32, n+off+16) // off floats in: every alignment of y's start
				for i := range got {
					got[i] = sentinel
				}
				want := make([]float32, n)
				c.fast(got[off:off+n], x)
				c.slow(want, x)
				for i := range want {
					if math.Float32bits(got[off+i]) != math.Float32bits(want[i]) {
						t.Fatalf("%s n=%d off=%d: y[%d] = %v (%#x), want %v (%#x)", c.name, n, off, i, got[off+i], math.Float32bits(got[off+i]), want[i], math.Float32bits(want[i]))
					}
				}
				for i, v := range got {
					if (i < off || i >= off+n) && v != sentinel {
						t.Fatalf("%s n=%d off=%d: wrote element %d outside y", c.name, n, off, i-off)
					}
				}
			}
		}
	}
}

// TestHeadToLine: the floats before the first 64-byte boundary.
func TestHeadToLine(t *testing.T) {
	buf := make([]float32, 64)
	base := headToLine(buf) // floats to the first boundary from buf's start
	for off := 0; off < 32; off++ {
		want := ((base-off)%16 + 16) % 16
		if got := headToLine(buf[off:]); got != want {
			t.Errorf("offset %d: %d floats before the line's end, want %d", off, got, want)
		}
		if got := headToLine(buf[off : off+1]); got != min(1, want) {
			t.Errorf("offset %d, one float: %d, want %d", off, got, min(1, want))
		}
	}
	if got := headToLine(nil); got != 0 {
		t.Errorf("nil: %d", got)
	}
}
