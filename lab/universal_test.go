package lab

import (
	"math"
	"testing"
)

func TestWorseStep(t *testing.T) {
	for _, c := range []struct {
		name string
		errs []float64
		want int
	}{
		{"falls", []float64{0.07, 0.005, 0.0004, 0.0002}, -1},
		{"grows above the floor", []float64{0.07, 0.005, 0.006, 0.0002}, 2},
		{"grows below the floor", []float64{0.07, 0.005, 6.2e-7, 7e-7}, -1},
		{"grows across the floor", []float64{0.07, 5e-7, 2e-6}, 2},
		{"within 10%", []float64{0.07, 0.005, 0.0054}, -1},
		{"diverged", []float64{0.07, math.NaN()}, 1},
	} {
		if got := worseStep(c.errs); got != c.want {
			t.Errorf("%s: worseStep(%v) = %d, want %d", c.name, c.errs, got, c.want)
		}
	}
}
