package kernels

import (
	"math"
	"testing"
)

// TestWideFormsMatchAVX2 checks the AVX-512 forms of the vector math
// against the AVX2 forms, forward and backward: the same bits in every lane,
// but for the passes built on sigmoid (sigmoid's and gelu_tanh's, and the
// backward passes of softplus and mish), whose AVX-512 forms
// start from VRCP14PS's reciprocal where AVX2 divides: those forward
// passes agree within 2 ULP, those derivatives from x within
// 2⁻²¹·(1+|f′|) (f′ crosses zero where terms cancel), and sigmoid's
// derivative, given the same y, bit for bit (each form of sigmoid is held to float64 in
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
		// the AVX-512 form of the forward or the backward pass starts
		// from a reciprocal estimate
		estimateY, estimateDX bool
	}{
		{"exp", Exp, nil, false, false, false},
		{"sigmoid", Sigmoid, SigmoidBackward, true, true, false},
		{"tanh", Tanh, TanhBackward, true, false, false},
		{"silu", SiLU, SiLUBackward, false, false, false},
		{"gelu", GELU, GELUBackward, false, false, false},
		{"gelu_tanh", GELUTanh, GELUTanhBackward, false, true, true},
		{"softplus", Softplus, SoftplusBackward, false, false, true},
		{"mish", Mish, MishBackward, false, false, true},
		{"selu", func(y, x []float32) { ELU(y, x, 1.0507, 1.0507*1.6733, 1) }, func(dX, dOut, x []float32) { ELUBackward(dX, dOut, x, 1.0507, 1.0507*1.6733, 1) }, false, false, false},
		{"celu", func(y, x []float32) { ELU(y, x, 1, 0.5, 2) }, func(dX, dOut, x []float32) { ELUBackward(dX, dOut, x, 1, 0.5, 2) }, false, false, false},
		{"logsigmoid", LogSigmoid, LogSigmoidBackward, true, false, false},
		{"hardswish", HardSwish, HardSwishBackward, false, false, false},
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
		if c.estimateY {
			sameY = func(a, b float32) bool { return bits(a, b) || (a != a && b != b) || ulps(b, float64(a)) <= 2 }
		}
		if c.estimateDX {
			// f′ crosses zero (gelu_tanh's, mish's): a bound on the error
			// beside the terms that cancel there, not on the result
			sameDX = func(a, b float32) bool {
				return bits(a, b) || (a != a && b != b) || math.Abs(float64(a)-float64(b)) <= 0x1p-21*(1+math.Abs(float64(a)))
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
