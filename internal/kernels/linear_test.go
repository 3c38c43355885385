package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// linearSpecials are the inputs where the identity's and the step's
// passes have cases: zeros of either sign, numbers, infinities, and a NaN
// with a payload.
var linearSpecials = []float32{0, float32(math.Copysign(0, -1)), 1.5, -2, 1e-45, -1e-45,
	float32(math.Inf(1)), float32(math.Inf(-1)), math.Float32frombits(0x7fc01234)}

// TestLinearBackwardsSpecialValues holds the identity's and the step's
// backward passes to dX += f′(x)·dOut computed as written, with ±Inf and
// NaN in x and in dOut: 0·Inf is NaN, and a NaN x makes dX NaN. Every pair
// of specials goes through a slice eight times over, so that the assembly
// takes each (its loops take 8 elements a vector), and alone, where plain
// Go takes it: the two give the same bits, from a dX of 0.25 and from a
// NaN dX (a NaN either way where NaNs meet: which payload a sum keeps
// follows its operands' order, which the compiler chooses).
func TestLinearBackwardsSpecialValues(t *testing.T) {
	for _, tc := range []struct {
		name     string
		backward func(dX, dOut, x []float32)
		deriv    float32
	}{
		{"identity", IdentityBackward, 1},
		{"step", StepBackward, 0},
	} {
		var x, dOut []float32
		for range 8 {
			for _, xv := range linearSpecials {
				for _, dv := range linearSpecials {
					x, dOut = append(x, xv), append(dOut, dv)
				}
			}
		}
		for _, start := range []float32{0.25, math.Float32frombits(0xffc0abcd)} {
			dX := make([]float32, len(x))
			for i := range dX {
				dX[i] = start
			}
			tc.backward(dX, dOut, x)
			for i := range x {
				alone := []float32{start}
				tc.backward(alone, dOut[i:i+1], x[i:i+1])
				want := start + tc.deriv*dOut[i]
				if x[i] != x[i] {
					want = x[i]
				}
				if got := dX[i]; got != want && !(got != got && want != want) {
					t.Errorf("%s backward at x=%v, dOut=%v, dX=%v: %v, want %v", tc.name, x[i], dOut[i], start, got, want)
				}
				if bothNaN := alone[0] != alone[0] && dX[i] != dX[i]; !bothNaN && math.Float32bits(alone[0]) != math.Float32bits(dX[i]) {
					t.Errorf("%s backward at x=%v, dOut=%v, dX=%v: bits %#x alone, %#x in the slice",
						tc.name, x[i], dOut[i], start, math.Float32bits(alone[0]), math.Float32bits(dX[i]))
				}
			}
		}
	}
}

// TestStepSpecialValues holds Step to its definition at the values where
// the sign bit alone does not decide, in a slice long enough for the
// assembly (16 elements a pass) and alone.
func TestStepSpecialValues(t *testing.T) {
	nan := math.Float32frombits(0x7fc01234)
	cases := []struct{ x, want float32 }{
		{0, 0.5}, {float32(math.Copysign(0, -1)), 0.5}, {1e-45, 1}, {-1e-45, 0}, {3, 1}, {-3, 0},
		{float32(math.Inf(1)), 1}, {float32(math.Inf(-1)), 0}, {nan, nan},
	}
	var x []float32
	for range 16 {
		for _, c := range cases {
			x = append(x, c.x)
		}
	}
	y := make([]float32, len(x))
	Step(y, x, 0.5)
	for i := range x {
		alone := []float32{7}
		Step(alone, x[i:i+1], 0.5)
		want := cases[i%len(cases)].want
		for _, got := range []float32{y[i], alone[0]} {
			if math.Float32bits(got) != math.Float32bits(want) {
				t.Errorf("Step(%v) = %v (bits %#x), want %v (bits %#x)", x[i], got, math.Float32bits(got), want, math.Float32bits(want))
			}
		}
	}
}

// TestIdentityCopiesEveryBit holds Identity to a copy of x, NaN payloads
// and signed zeros included, at every length to 100 (the assembly's
// passes, its padded tail) and in place.
func TestIdentityCopiesEveryBit(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for n := range 101 {
		x := make([]float32, n)
		for i := range x {
			x[i] = math.Float32frombits(rng.Uint32()) // NaNs with payloads among them
		}
		y := make([]float32, n+1)
		y[n] = 42
		Identity(y, x)
		for i := range x {
			if math.Float32bits(y[i]) != math.Float32bits(x[i]) {
				t.Fatalf("n=%d: y[%d] has bits %#x, x[%d] %#x", n, i, math.Float32bits(y[i]), i, math.Float32bits(x[i]))
			}
		}
		if y[n] != 42 {
			t.Fatalf("n=%d: Identity wrote past len(x)", n)
		}
		inPlace := append([]float32(nil), x...)
		Identity(inPlace, inPlace)
		for i := range x {
			if math.Float32bits(inPlace[i]) != math.Float32bits(x[i]) {
				t.Fatalf("n=%d in place: element %d changed", n, i)
			}
		}
	}
}
