package kernels

import (
	"math"
	"testing"
)

// TestWideFormsMatchAVX2 checks that the AVX-512 forms of the vector math
// give the AVX2 forms' bits in every lane, forward and backward, so which
// one runs never changes a result.
func TestWideFormsMatchAVX2(t *testing.T) {
	if !HasAVX512 {
		t.Skip("no AVX-512 on this CPU")
	}
	defer func(saved bool) { HasAVX512 = saved }(HasAVX512)
	x := inputs()
	dOut := make([]float32, len(x))
	for i := range dOut {
		dOut[i] = float32(i%7) - 3
	}
	noRef := func(float64) float64 { return math.NaN() } // the fast paths cover all but a short tail
	for _, c := range []struct {
		name     string
		forward  func(y, x []float32)
		backward func(dX, dOut, in []float32)
		fromY    bool // backward reads y rather than x
	}{
		{"exp", Exp, nil, false},
		{"sigmoid", Sigmoid, SigmoidBackward, true},
		{"tanh", Tanh, TanhBackward, true},
		{"silu", func(y, x []float32) { SiLU(y, x, noRef) }, func(dX, dOut, x []float32) { SiLUBackward(dX, dOut, x, noRef) }, false},
		{"gelu", func(y, x []float32) { GELU(y, x, noRef) }, func(dX, dOut, x []float32) { GELUBackward(dX, dOut, x, noRef) }, false},
		{"gelu_tanh", func(y, x []float32) { GELUTanh(y, x, noRef) }, func(dX, dOut, x []float32) { GELUTanhBackward(dX, dOut, x, noRef) }, false},
		{"softplus", func(y, x []float32) { Softplus(y, x, noRef) }, func(dX, dOut, x []float32) { SoftplusBackward(dX, dOut, x, noRef) }, false},
		{"mish", func(y, x []float32) { Mish(y, x, noRef) }, func(dX, dOut, x []float32) { MishBackward(dX, dOut, x, noRef) }, false},
		{"selu", func(y, x []float32) { ELU(y, x, 1.0507, 1.0507*1.6733, 1, noRef) }, func(dX, dOut, x []float32) { ELUBackward(dX, dOut, x, 1.0507, 1.0507*1.6733, 1, noRef) }, false},
		{"celu", func(y, x []float32) { ELU(y, x, 1, 0.5, 2, noRef) }, func(dX, dOut, x []float32) { ELUBackward(dX, dOut, x, 1, 0.5, 2, noRef) }, false},
	} {
		var ys, dXs [2][]float32
		for i, wide := range []bool{false, true} {
			HasAVX512 = wide
			ys[i] = make([]float32, len(x))
			c.forward(ys[i], x)
			if c.backward != nil {
				in := x
				if c.fromY {
					in = ys[i]
				}
				dXs[i] = make([]float32, len(x))
				c.backward(dXs[i], dOut, in)
			}
		}
		for i := range x[:len(x)/32*32] { // the float64 tail is the same code either way
			if math.Float32bits(ys[0][i]) != math.Float32bits(ys[1][i]) {
				t.Fatalf("%s(%v): AVX2 %v, AVX-512 %v", c.name, x[i], ys[0][i], ys[1][i])
			}
			if dXs[0] != nil && math.Float32bits(dXs[0][i]) != math.Float32bits(dXs[1][i]) {
				t.Fatalf("%s backward at %v: AVX2 %v, AVX-512 %v", c.name, x[i], dXs[0][i], dXs[1][i])
			}
		}
	}
}
