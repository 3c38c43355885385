package kernels

import (
	"math"
	"testing"
)

// TestLinearBackwardsSpecialValues holds the identity's and the step's
// backward passes to dX += f′(x)·dOut computed as written, with ±Inf and
// NaN in x and in dOut: 0·Inf is NaN, and a NaN x makes dX NaN.
func TestLinearBackwardsSpecialValues(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	specials := []float32{0, float32(math.Copysign(0, -1)), 1.5, -2, inf, -inf, nan}
	for _, tc := range []struct {
		name     string
		backward func(dX, dOut, x []float32)
		deriv    float32
	}{
		{"identity", IdentityBackward, 1},
		{"step", StepBackward, 0},
	} {
		for _, x := range specials {
			for _, dOut := range specials {
				dX := []float32{0.25}
				tc.backward(dX, []float32{dOut}, []float32{x})
				want := 0.25 + tc.deriv*dOut
				if x != x {
					want = nan
				}
				if dX[0] != want && !(dX[0] != dX[0] && want != want) {
					t.Errorf("%s backward at x=%v, dOut=%v: dX = %v, want %v", tc.name, x, dOut, dX[0], want)
				}
			}
		}
	}
}

// TestStepSpecialValues holds Step to its definition at the values where
// the sign bit alone does not decide.
func TestStepSpecialValues(t *testing.T) {
	nan := float32(math.NaN())
	for _, tc := range []struct{ x, want float32 }{
		{0, 0.5}, {float32(math.Copysign(0, -1)), 0.5}, {1e-45, 1}, {-1e-45, 0},
		{float32(math.Inf(1)), 1}, {float32(math.Inf(-1)), 0}, {nan, nan},
	} {
		y := []float32{7}
		Step(y, []float32{tc.x}, 0.5)
		if y[0] != tc.want && !(y[0] != y[0] && tc.want != tc.want) {
			t.Errorf("Step(%v) = %v, want %v", tc.x, y[0], tc.want)
		}
	}
}
