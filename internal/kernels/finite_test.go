package kernels

import (
	"math"
	"testing"
)

// TestAllFinite plants each value that is not finite at every place of
// rows of finite values up to the largest, of every length to 100 (the
// assembly's blocks of 32 and the tail), and holds AllFinite to the
// plain Go reference.
func TestAllFinite(t *testing.T) {
	bad := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), math.Float32frombits(0xffc00001)}
	good := []float32{math.MaxFloat32, -math.MaxFloat32, 1.5, float32(math.Copysign(0, -1)), math.SmallestNonzeroFloat32, 0x1p-126}
	for n := 0; n <= 100; n++ {
		for _, g := range good {
			row := make([]float32, n)
			for i := range row {
				row[i] = g * float32(1-2*(i%2))
			}
			if !AllFinite(row) || !allFiniteGo(row) {
				t.Fatalf("%d values of ±%v: not finite, says AllFinite (%v) or its reference (%v)", n, g, AllFinite(row), allFiniteGo(row))
			}
			for i := range row {
				for _, v := range bad {
					saved := row[i]
					row[i] = v
					if AllFinite(row) || allFiniteGo(row) {
						t.Fatalf("%d values, %v at %d: finite, says AllFinite (%v) or its reference (%v)", n, v, i, AllFinite(row), allFiniteGo(row))
					}
					row[i] = saved
				}
			}
		}
	}
}
