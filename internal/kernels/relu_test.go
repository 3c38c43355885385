package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The definitions the piecewise-linear loops are held to, written with
// branches, as the act package's float64 forms are.

func reluDef(v float32) float32 {
	if v < 0 {
		return 0
	}
	return v
}

func reluBackwardDef(d, g, v float32) float32 {
	switch {
	case v > 0:
		return d + g
	case v != v:
		return v
	}
	return d + 0 // −0 becomes 0, as in the assembly's masked sum
}

func leakyDef(v, slope float32) float32 {
	if v > 0 {
		return v
	}
	return slope * v
}

func leakyDeriv(v, slope float32) float32 {
	switch {
	case v > 0:
		return 1
	case v != v:
		return v
	}
	return slope
}

// clampDef is PyTorch's clamp: hardtanh's min(max(x, lo), hi), which
// keeps −0, and hardsigmoid's min(max(x + 3, 0), 6)/6.
func clampDef(v, shift, lo, hi, mul float32) float32 {
	if shift != 0 {
		v += shift
	}
	if v < lo {
		v = lo
	} else if v > hi {
		v = hi
	}
	return v * mul
}

// clampBackwardDef is PyTorch's clamp backward: x itself against the
// bounds moved (hardsigmoid's −3 < x < 3), not x + 3 against 0 and 6.
func clampBackwardDef(d, g, v, shift, lo, hi, mul float32) float32 {
	switch {
	case v != v:
		return v
	case v > lo-shift && v < hi-shift:
		return d + float32(g*mul)
	}
	return d + 0 // 0 outside, whatever g is
}

// sumRounded is a backward pass's dX + dOut·f′(x), the product rounded
// to float32 first, as PyTorch forms dOut·slope before any sum.
func sumRounded(d, g, deriv float32) float32 { return d + float32(g*deriv) }

// piecewiseCase is one loop pair, with and without the assembly, beside
// its definition.
type piecewiseCase struct {
	name               string
	forward, forwardGo func(y, x []float32)
	def                func(v float32) float32
	backward           func(dX, dOut, x []float32)
	backwardGo         func(dX, dOut, x []float32)
	backwardDef        func(d, g, v float32) float32
}

func piecewiseCases() []piecewiseCase {
	const slope = 0.01
	leaky := func(name string, s float32) piecewiseCase {
		return piecewiseCase{name, func(y, x []float32) { LeakyReLU(y, x, s) }, func(y, x []float32) { leakyGo(y, x, s) },
			func(v float32) float32 { return leakyDef(v, s) },
			func(dX, dOut, x []float32) { LeakyReLUBackward(dX, dOut, x, s) }, func(dX, dOut, x []float32) { leakyBackwardGo(dX, dOut, x, s) },
			func(d, g, v float32) float32 { return sumRounded(d, g, leakyDeriv(v, s)) }}
	}
	clamp := func(name string, shift, lo, hi, mul float32) piecewiseCase {
		return piecewiseCase{name, func(y, x []float32) { Clamp(y, x, shift, lo, hi, mul) }, func(y, x []float32) { clampGo(y, x, shift, lo, hi, mul) },
			func(v float32) float32 { return clampDef(v, shift, lo, hi, mul) },
			func(dX, dOut, x []float32) { ClampBackward(dX, dOut, x, shift, lo, hi, mul) },
			func(dX, dOut, x []float32) { clampBackwardGo(dX, dOut, x, shift, lo, hi, mul) },
			func(d, g, v float32) float32 { return clampBackwardDef(d, g, v, shift, lo, hi, mul) }}
	}
	return []piecewiseCase{
		{"relu", ReLU, reluForwardGo, reluDef, ReLUBackward, reluBackwardGo, reluBackwardDef},
		leaky("leaky_relu", slope), leaky("leaky_relu(-0.3)", -0.3),
		clamp("hardtanh", 0, -1, 1, 1), clamp("hardtanh(-2, 0.5)", 0, -2, 0.5, 1),
		clamp("relu6", 0, 0, 6, 1), clamp("hardsigmoid", 3, 0, 6, 1.0/6),
	}
}

// TestPiecewiseLoopsMatchDefinitions holds relu, leaky_relu and the clamps,
// with the assembly and in plain Go alone, to their definitions bit for bit
// on every length up to 40 (all tails), with ±0, ±Inf, NaNs of either sign,
// subnormals and the kinks themselves among the inputs, and dX starting
// at ±0 as well as elsewhere.
func TestPiecewiseLoopsMatchDefinitions(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	negNaN := math.Float32frombits(0xffc00001)
	special := []float32{float32(math.NaN()), negNaN, 0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)),
		1e-45, -1e-45, -3, 3, -1, 1, 6, -2, 0.5,
		3 - 0x1p-22, -3 + 0x1p-22, 3 - 0x1p-23} // x + 3 rounds to 6 (or x to 0) where PyTorch's slope is still 1/6
	pick := func() float32 {
		if rng.IntN(3) == 0 {
			return special[rng.IntN(len(special))]
		}
		return float32(4 * rng.NormFloat64())
	}
	same := func(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) || (a != a && b != b) }
	for _, c := range piecewiseCases() {
		for n := range 41 {
			x, dOut, start := make([]float32, n), make([]float32, n), make([]float32, n)
			for i := range x {
				x[i], dOut[i], start[i] = pick(), pick(), pick()
			}
			for _, form := range []struct {
				name     string
				forward  func(y, x []float32)
				backward func(dX, dOut, x []float32)
			}{{"", c.forward, c.backward}, {" in plain Go", c.forwardGo, c.backwardGo}} {
				y := make([]float32, n)
				form.forward(y, x)
				dX := append([]float32(nil), start...)
				form.backward(dX, dOut, x)
				for i, v := range x {
					if want := c.def(v); !same(y[i], want) {
						t.Fatalf("%s%s, n=%d: f(%v) = %v, want %v", c.name, form.name, n, v, y[i], want)
					}
					if want := c.backwardDef(start[i], dOut[i], v); !same(dX[i], want) {
						t.Fatalf("%s%s backward, n=%d: dX %v + dOut %v at x = %v gave %v, want %v",
							c.name, form.name, n, start[i], dOut[i], v, dX[i], want)
					}
				}
			}
		}
	}
}

// BenchmarkPiecewiseGo times the plain Go loops over 64 Ki inputs of
// either sign in random order, where a branch an element would be
// mispredicted half the time.
func BenchmarkPiecewiseGo(b *testing.B) {
	const n = 1 << 16
	rng := rand.New(rand.NewPCG(6, 6))
	x, y, dX, dOut := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range x {
		x[i], dOut[i] = float32(16*rng.Float64()-8), 1
	}
	for _, c := range piecewiseCases() {
		b.Run(c.name+"/forward", func(b *testing.B) {
			b.SetBytes(8 * n)
			for b.Loop() {
				c.forwardGo(y, x)
			}
		})
		b.Run(c.name+"/backward", func(b *testing.B) {
			b.SetBytes(16 * n)
			for b.Loop() {
				c.backwardGo(dX, dOut, x)
			}
		})
	}
}
