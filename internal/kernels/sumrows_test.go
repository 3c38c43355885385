package kernels

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestAddRowsAddsRowAfterRow holds AddRows to adding each row in turn
// (Axpy with 1, and plain float32 additions), bit for bit, on widths
// around the assembly's blocks of 64 and 8 columns, and writes nothing
// past dst's columns.
func TestAddRowsAddsRowAfterRow(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for _, rows := range []int{1, 2, 3, 17, 128} {
		for _, cols := range []int{1, 7, 8, 9, 10, 63, 64, 65, 72, 129, 256, 300} {
			src := randSlice(rng, rows*cols)
			src[rng.IntN(len(src))] = float32(math.Copysign(0, -1)) // a -0: x + -0 keeps x, -0 + -0 stays -0
			start := randSlice(rng, cols+3)
			start[cols], start[cols+1], start[cols+2] = float32(math.NaN()), float32(math.NaN()), float32(math.NaN()) // past dst: must stay
			got, byAxpy, byAdd := slices.Clone(start), slices.Clone(start), slices.Clone(start)
			AddRows(got[:cols], src, rows, cols)
			for i := range rows {
				Axpy(byAxpy[:cols], src[i*cols:(i+1)*cols], 1)
				for j, v := range src[i*cols : (i+1)*cols] {
					byAdd[j] += v
				}
			}
			if !sameBits(got, byAxpy) || !sameBits(got, byAdd) {
				t.Errorf("%d rows of %d: AddRows %v\nrow by row %v", rows, cols, got[:min(cols, 12)], byAdd[:min(cols, 12)])
			}
		}
	}
}

// TestAddRowsNothing checks that no rows or no columns change nothing.
func TestAddRowsNothing(t *testing.T) {
	dst := []float32{1, 2}
	AddRows(dst, nil, 0, 2)
	AddRows(dst, nil, 3, 0)
	if dst[0] != 1 || dst[1] != 2 {
		t.Errorf("dst %v", dst)
	}
}
