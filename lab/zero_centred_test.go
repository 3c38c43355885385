package lab

import (
	"math"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/act"
)

// TestShiftedSigmoid holds σ(x) − 1/2 to float64's sigmoid and its slope to
// finite differences: the control differs from sigmoid by its centring only.
func TestShiftedSigmoid(t *testing.T) {
	f := shiftedSigmoid{act.MustNew("sigmoid")}
	x := []float32{-30, -4, -1, -0.1, 0, 0.1, 1, 4, 30}
	y := make([]float32, len(x))
	f.Forward(y, x)
	dOut := make([]float32, len(x))
	for i := range dOut {
		dOut[i] = 1
	}
	dX := make([]float32, len(x))
	f.Backward(dX, dOut, x, y)
	for i, v := range x {
		s := 1 / (1 + math.Exp(-float64(v)))
		if got := float64(y[i]); math.Abs(got-(s-0.5)) > 1e-6 {
			t.Errorf("f(%g) = %g, want σ − 1/2 = %g", v, got, s-0.5)
		}
		const h = 1e-3
		fd := (1/(1+math.Exp(-(float64(v)+h))) - 1/(1+math.Exp(-(float64(v)-h)))) / (2 * h)
		if math.Abs(float64(dX[i])-fd) > 1e-5 {
			t.Errorf("f′(%g) = %g, want %g", v, dX[i], fd)
		}
	}
}

// TestGapText: the gap in epochs to 90% said in words, within a limit of
// 100 epochs (101: never); two runs that never reach it tell nothing, where
// they had read as "centring alone changes nothing".
func TestGapText(t *testing.T) {
	for _, c := range []struct {
		centred, sigmoid float64
		want             string
	}{{20, 80, "4 times as fast"}, {80, 20, "slower"}, {30, 30, "changes nothing"}, {101, 101, "neither reaches it"}, {40, 101, "2.5 times as fast"}} {
		if got := gapText(c.centred, c.sigmoid, 100); !strings.Contains(got, c.want) {
			t.Errorf("gapText(%g, %g) = %q; want %q", c.centred, c.sigmoid, got, c.want)
		}
	}
}
