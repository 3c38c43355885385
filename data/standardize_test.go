package data

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/wigglenn/wiggle/tensor"
)

// TestFitStandardizerMatchesColumnPasses holds FitStandardizer, which
// reads the rows where they lie, to a pass down each column in float64,
// bit for bit, on columns of different scales, a constant one among them.
func TestFitStandardizerMatchesColumnPasses(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	x := tensor.New(301, 37)
	for i := range x.Rows {
		for j, row := 0, x.Row(i); j < len(row); j++ {
			row[j] = float32(rng.NormFloat64()*float64(j*j+1) + float64(j))
			if j == 5 {
				row[j] = 2.5
			}
		}
	}
	got := FitStandardizer(x)
	for j := range x.Cols {
		var sum, sq float64
		for i := range x.Rows {
			sum += float64(x.At(i, j))
		}
		mean := sum / float64(x.Rows)
		for i := range x.Rows {
			d := float64(x.At(i, j)) - mean
			sq += d * d
		}
		std := math.Sqrt(sq / float64(x.Rows))
		if std == 0 {
			std = 1
		}
		if got.Mean[j] != float32(mean) || got.Std[j] != float32(std) {
			t.Errorf("column %d: mean %v, std %v; a pass down the column gives %v, %v", j, got.Mean[j], got.Std[j], float32(mean), float32(std))
		}
	}
	if got.Std[5] != 1 {
		t.Errorf("a constant column's std %v, want 1", got.Std[5])
	}
}
