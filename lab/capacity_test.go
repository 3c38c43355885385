package lab

import (
	"math"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/tensor"
)

// TestBoundaryShare: a straight boundary across the grid crosses one pair
// of neighbours a row; one class everywhere crosses none.
func TestBoundaryShare(t *testing.T) {
	x := tensor.FromRows([][]float32{{-1, -1}, {1, 1}})
	line := nn.NewDense(2, 2)
	copy(line.W.Value, []float32{1, 0, -1, 0}) // class 0 where x > 0, class 1 where x < 0
	const n = 10
	if got, want := boundaryShare(nn.NewSequential(2, line), x, n), float64(n)/float64(2*n*(n-1)); math.Abs(got-want) > 1e-12 {
		t.Errorf("a vertical line: boundary share %g, want %g (one pair a row)", got, want)
	}
	flat := nn.NewDense(2, 2)
	flat.B.Value[0] = 1 // class 0 everywhere
	if got := boundaryShare(nn.NewSequential(2, flat), x, n); got != 0 {
		t.Errorf("one class everywhere: boundary share %g, want 0", got)
	}
}

// TestSmoothTestText: the finding says how the smoother regions tested as
// the medians say, not as the claim might lead one to expect.
func TestSmoothTestText(t *testing.T) {
	for _, c := range []struct {
		heavy, light []float64
		want         string
	}{
		{[]float64{0.8, 0.82, 0.7}, []float64{0.85, 0.9, 0.84}, "did not test better here: test accuracy 0.8 (0.7–0.82) with L2 of 0.1, 0.85 (0.84–0.9) with 0.001"},
		{[]float64{0.9}, []float64{0.85}, "tested better here: test accuracy 0.9 with L2 of 0.1"},
		{[]float64{0.85}, []float64{0.85}, "tested as well here"},
	} {
		if got := smoothTestText(c.heavy, c.light, 60); !strings.Contains(got, c.want) || !strings.Contains(got, "on 60 noisy points") {
			t.Errorf("smoothTestText(%v, %v) = %q; want it to say %q", c.heavy, c.light, got, c.want)
		}
	}
	if got := smoothTestText([]float64{math.NaN()}, []float64{0.9}, 60); got != "" {
		t.Errorf("smoothTestText of a setting that diverged = %q; want nothing", got)
	}
}
