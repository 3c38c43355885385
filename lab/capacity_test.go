package lab

import (
	"math"
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
