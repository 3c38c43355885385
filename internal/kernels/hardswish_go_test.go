package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestHardSwishBackwardMasksBelowMinusThree runs HardSwishBackward over
// slices of every length up to 40 (the assembly's vectors and the plain
// Go tail), x at the joins and ±Inf among them, with an infinite or NaN
// dOut wherever x < −3 (a dX of −0 among them). It must add 0 there, as
// PyTorch's hardswish_backward does, and elsewhere dOut·f′ as float64
// gives it, within a few float32 roundings of the terms (the assembly
// forms x/3 + 1/2 in float32, which cancels near x = −1.5); NaN where x
// is NaN. It runs the plain Go loop alone too.
func TestHardSwishBackwardMasksBelowMinusThree(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	for _, form := range []struct {
		name     string
		backward func(dX, dOut, x []float32)
	}{{"HardSwishBackward", HardSwishBackward}, {"plain Go", hardswishBackwardGo}} {
		for n := 1; n <= 40; n++ {
			x, dOut, dX := make([]float32, n), make([]float32, n), make([]float32, n)
			for i := range x {
				x[i] = float32(12*rng.Float64() - 6)
			}
			if n%5 == 0 {
				x[n-1] = nan
			}
			if n > 6 { // the joins and ±Inf
				copy(x, []float32{-3, math.Nextafter32(-3, -4), 3, inf, -inf, -5})
			}
			for i, v := range x {
				dOut[i], dX[i] = float32(rng.NormFloat64()), float32(rng.NormFloat64())
				if v < -3 {
					dOut[i] = []float32{inf, -inf, nan}[i%3]
				}
				if i == 5 {
					dX[i] = float32(math.Copysign(0, -1)) // −0 + 0 is +0
				}
			}
			dX0 := append([]float32(nil), dX...)
			form.backward(dX, dOut, x)
			for i, v := range x {
				switch {
				case v != v:
					if dX[i] == dX[i] {
						t.Errorf("%s, n=%d: dX[%d] = %v at x = NaN, want NaN", form.name, n, i, dX[i])
					}
				case v < -3:
					if math.Float32bits(dX[i]) != math.Float32bits(dX0[i]+0) {
						t.Errorf("%s, n=%d: x = %v, dOut = %v: dX %v → %v, want it to add 0", form.name, n, v, dOut[i], dX0[i], dX[i])
					}
				default:
					want := float64(dX0[i]) + float64(dOut[i])*hardswishDeriv64(float64(v))
					tol := 0x1p-21 * (math.Abs(float64(dX0[i])) + math.Abs(float64(dOut[i]))*(1+min(math.Abs(float64(v)), 6)))
					if d := math.Abs(float64(dX[i]) - want); !(d <= tol) {
						t.Errorf("%s, n=%d: x = %v: dX %v, want %v (off by %.3g, tolerance %.3g)", form.name, n, v, dX[i], want, d, tol)
					}
				}
			}
		}
	}
}
