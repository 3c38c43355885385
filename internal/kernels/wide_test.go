package kernels

import (
	"math"
	"testing"
)

// TestWideFormsMatchAVX2 checks the AVX-512 forms of the vector math
// against the AVX2 forms, forward and backward: the same bits in every lane,
// but for sigmoid and the routines built on it, whose AVX-512 forms start
// from VRCP14PS's reciprocal where AVX2 divides: their forward passes
// agree within 2 ULP, their derivatives from x within 2⁻²¹·(1+|f′|) (f′
// crosses zero where terms cancel), and sigmoid's derivative, given the
// same y, bit for bit (each form of sigmoid is held to float64 in
// TestVectorMathULP). A CPU runs one form for every element (unaryWide).
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
	for _, c := range []struct {
		name     string
		forward  func(y, x []float32)
		backward func(dX, dOut, in []float32)
		fromY    bool // backward reads y rather than x
		estimate bool // the AVX-512 form starts from a reciprocal estimate
	}{
		{"exp", Exp, nil, false, false},
		{"sigmoid", Sigmoid, SigmoidBackward, true, true},
		{"tanh", Tanh, TanhBackward, true, false},
		{"silu", SiLU, SiLUBackward, false, false},
		{"gelu", GELU, GELUBackward, false, false},
		{"gelu_tanh", GELUTanh, GELUTanhBackward, false, true},
		{"softplus", Softplus, SoftplusBackward, false, true},
		{"mish", Mish, MishBackward, false, true},
		{"selu", func(y, x []float32) { ELU(y, x, 1.0507, 1.0507*1.6733, 1) }, func(dX, dOut, x []float32) { ELUBackward(dX, dOut, x, 1.0507, 1.0507*1.6733, 1) }, false, false},
		{"celu", func(y, x []float32) { ELU(y, x, 1, 0.5, 2) }, func(dX, dOut, x []float32) { ELUBackward(dX, dOut, x, 1, 0.5, 2) }, false, false},
		{"logsigmoid", LogSigmoid, LogSigmoidBackward, false, true},
		{"hardswish", HardSwish, HardSwishBackward, false, false},
	} {
		var ys, dXs [2][]float32
		for i, wide := range []bool{false, true} {
			HasAVX512 = wide
			ys[i] = make([]float32, len(x))
			c.forward(ys[i], x)
			if c.backward != nil {
				in := x
				if c.fromY {
					in = ys[0] // the same y for both forms: their f′ is compared, not their f
				}
				dXs[i] = make([]float32, len(x))
				c.backward(dXs[i], dOut, in)
			}
		}
		bits := func(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) }
		sameY, sameDX := bits, bits
		if c.estimate {
			sameY = func(a, b float32) bool { return bits(a, b) || (a != a && b != b) || ulps(b, float64(a)) <= 2 }
			if !c.fromY {
				// f′ crosses zero (gelu_tanh's, mish's): a bound on the error
				// beside the terms that cancel there, not on the result
				sameDX = func(a, b float32) bool {
					return bits(a, b) || (a != a && b != b) || math.Abs(float64(a)-float64(b)) <= 0x1p-21*(1+math.Abs(float64(a)))
				}
			}
		}
		for i := range x[:len(x)/32*32] { // the AVX2 form leaves a plain Go tail of backward
			if !sameY(ys[0][i], ys[1][i]) {
				t.Fatalf("%s(%v): AVX2 %v, AVX-512 %v", c.name, x[i], ys[0][i], ys[1][i])
			}
			if dXs[0] != nil && !sameDX(dXs[0][i], dXs[1][i]) {
				t.Fatalf("%s backward at %v: AVX2 %v, AVX-512 %v", c.name, x[i], dXs[0][i], dXs[1][i])
			}
		}
	}
}
