package kernels

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// The float64 references the plain Go forms are held to, written from the
// definitions with math.Exp, math.Expm1, math.Tanh and math.Log1p, and
// with each function's limit at ±Inf.

func silu64(x float64) float64 {
	if math.IsInf(x, -1) {
		return 0
	}
	return x / (1 + math.Exp(-x))
}

func siluDeriv64(x float64) float64 { return sigmoid64(x) * (1 + x*sigmoid64(-x)) }

func geluTanhU(x float64) (u, du float64) {
	c := math.Sqrt(2 / math.Pi)
	return c * (x + 0.044715*x*x*x), c * (1 + 3*0.044715*x*x)
}

func geluTanh64(x float64) float64 {
	if math.IsInf(x, -1) {
		return 0
	}
	u, _ := geluTanhU(x)
	return x * sigmoid64(2*u) // x·(1+tanh u)/2, without the cancelling sum
}

func geluTanhDeriv64(x float64) float64 {
	u, du := geluTanhU(x)
	return sigmoid64(2*u) + x*2*du*sigmoid64(2*u)*sigmoid64(-2*u)
}

func mish64(x float64) float64 {
	if math.IsInf(x, -1) {
		return 0
	}
	return x * math.Tanh(math.Log1p(math.Exp(x)))
}

func mishDeriv64(x float64) float64 {
	tsp := math.Tanh(math.Log1p(math.Exp(x)))
	return tsp + x*sigmoid64(x)*(1-tsp*tsp)
}

// eluCase is an elu-shaped function's pos, neg and in, in float32 as the
// kernels take them; pos·x and in·x are formed in float32, as the
// kernels (and PyTorch) form them.
type eluCase struct {
	name         string
	pos, neg, in float32
}

var eluCases = []eluCase{{"elu", 1, 1, 1}, {"selu", 1.0507009873554805, 1.0507009873554805 * 1.6732632423543772, 1},
	{"celu(alpha=3)", 1, 3, 1.0 / 3}, {"celu(alpha=-1)", 1, -1, -1}, {"celu(alpha=-0.05)", 1, -0.05, -20}}

// f and deriv take e^(in·x) past float32's range as +Inf, as the float32
// exponential of the assembly and PyTorch gives it: celu(alpha=-0.05) is
// −Inf from x = −4.44, where −0.05·e^(in·x) alone would be in range.
func (c eluCase) f(x float64) float64 {
	if x > 0 {
		return float64(c.pos * float32(x))
	}
	return float64(c.neg) * beyond32(math.Expm1(float64(c.in*float32(x))))
}

func (c eluCase) deriv(x float64) float64 {
	if x > 0 {
		return float64(c.pos)
	}
	return float64(c.neg) * float64(c.in) * beyond32(math.Exp(float64(c.in*float32(x))))
}

// beyond32 is v, or +Inf past float32's range.
func beyond32(v float64) float64 {
	if v > math.MaxFloat32 {
		return math.Inf(1)
	}
	return v
}

// plainGoForm is a plain Go form with its float64 references.
type plainGoForm struct {
	name          string
	f             func(float32) float32
	ref           func(float64) float64
	deriv         func(float32) float64
	dRef          func(float64) float64
	atInf, dAtInf [2]float64 // f and f′ at −Inf and +Inf, compared in float32
}

func plainGoForms() []plainGoForm {
	inf := math.Inf(1)
	forms := []plainGoForm{
		{"silu", siluGo, silu64, siluDerivGo, siluDeriv64, [2]float64{0, inf}, [2]float64{0, 1}},
		{"gelu_tanh", geluTanhGo, geluTanh64, geluTanhDerivGo, geluTanhDeriv64, [2]float64{0, inf}, [2]float64{0, 1}},
		{"mish", mishGo, mish64, mishDerivGo, mishDeriv64, [2]float64{0, inf}, [2]float64{0, 1}},
	}
	for _, c := range eluCases {
		atInf, dAtInf := [2]float64{-float64(c.neg), inf}, [2]float64{0, float64(c.pos)}
		if c.in < 0 { // x ≤ 0 drives e^(in·x) up: neg·(e^(in·x) − 1) → −Inf·sign(neg)
			atInf[0], dAtInf[0] = math.Copysign(inf, float64(c.neg)), math.Copysign(inf, float64(c.neg*c.in))
		}
		forms = append(forms, plainGoForm{c.name,
			func(v float32) float32 { return eluGo(v, c.pos, c.neg, c.in) }, c.f,
			func(v float32) float64 { return eluDerivGo(v, c.pos, c.neg, c.in) }, c.deriv,
			atInf, dAtInf})
	}
	return forms
}

// The float64 references of gelu, softplus, logsigmoid, softsign and
// hardswish, from the definitions with math.Erfc and math.Log1p.

func normalCDF64(x float64) float64 { return math.Erfc(-x/math.Sqrt2) / 2 }

func gelu64(x float64) float64 {
	if math.IsInf(x, -1) {
		return 0
	}
	return x * normalCDF64(x)
}

func geluDeriv64(x float64) float64 {
	return normalCDF64(x) + x*math.Exp(-x*x/2)/math.Sqrt(2*math.Pi)
}

// softplusScaled is softplus at a β and threshold, as a plainGoForm.
func softplusScaled(beta, threshold float64) plainGoForm {
	p := softplusParams{beta: beta, invBeta: 1 / beta, threshold: threshold}
	inf := math.Inf(1)
	atInf, dAtInf := [2]float64{0, inf}, [2]float64{0, 1}
	if beta < 0 { // βx > threshold as x → −Inf, where softplus is x
		atInf, dAtInf = [2]float64{-inf, 0}, [2]float64{1, 0}
	}
	return plainGoForm{fmt.Sprintf("softplus(beta=%v, threshold=%v)", beta, threshold),
		func(v float32) float32 { return softplusGo(v, p) },
		func(x float64) float64 {
			bx := beta * x
			if bx > threshold {
				return x
			}
			return (max(bx, 0) + math.Log1p(math.Exp(-math.Abs(bx)))) / beta
		},
		func(v float32) float64 { return softplusDerivGo(v, p) },
		func(x float64) float64 {
			if beta*x > threshold {
				return 1
			}
			return sigmoid64(beta * x)
		},
		atInf, dAtInf}
}

func logSigmoid64(x float64) float64 { return min(x, 0) - math.Log1p(math.Exp(-math.Abs(x))) }

func softsign64(x float64) float64 {
	if math.IsInf(x, 0) {
		return math.Copysign(1, x)
	}
	return x / (1 + math.Abs(x))
}

func softsignDeriv64(x float64) float64 { return 1 / ((1 + math.Abs(x)) * (1 + math.Abs(x))) }

func hardswish64(x float64) float64 {
	if x <= -3 {
		return 0
	}
	return x * min(max(x+3, 0), 6) / 6
}

func hardswishDeriv64(x float64) float64 {
	switch {
	case x < -3:
		return 0
	case x <= 3:
		return x/3 + 0.5
	}
	return 1
}

// logSigmoidDerivOfX is logsigmoid′ as the plain Go backward pass takes
// it, from the y its forward pass gives x.
func logSigmoidDerivOfX(x float32) float64 { return logSigmoidDerivGo(logSigmoidGo(x)) }

// plainGoRest are the plain Go forms whose derivatives do not all vanish
// below gateFloor as plainGoForms' do (logsigmoid's is 1 there, softsign's
// about 1/x²); TestPlainGoDerivativesAtTheirLimits holds softplus's and
// logsigmoid's gates.
func plainGoRest() []plainGoForm {
	inf := math.Inf(1)
	return []plainGoForm{
		{"gelu", geluGo, gelu64, geluDerivGo, geluDeriv64, [2]float64{0, inf}, [2]float64{0, 1}},
		softplusScaled(1, 20),
		{"logsigmoid", logSigmoidGo, logSigmoid64, logSigmoidDerivOfX, func(x float64) float64 { return sigmoid64(-x) },
			[2]float64{-inf, 0}, [2]float64{1, 0}},
		{"softsign", softsignGo, softsign64, softsignDerivGo, softsignDeriv64, [2]float64{-1, 1}, [2]float64{0, 0}},
		{"hardswish", hardswishGo, hardswish64, hardswishDerivGo, hardswishDeriv64, [2]float64{0, inf}, [2]float64{0, 1}},
		softplusScaled(2, 20), softplusScaled(0.5, 5), softplusScaled(-1, 20), softplusScaled(3, -2),
	}
}

// TestPlainGoFormsMatchFloat64 holds the plain Go forms (plainGoForms and
// plainGoRest) to float64 over the float32 range (inputs) and every
// 2511th float32 of either sign up to 110, with ±3, ±20 and their
// neighbours (where hardswish, softplus and gelu change form): the
// forward passes within 0.52 ULP (as plainGoCases), the derivatives
// within 1e−7 relative or 1e−9 absolute (they cross zero, where the terms
// cancel in any form); and at ±Inf and NaN to their limits.
func TestPlainGoFormsMatchFloat64(t *testing.T) {
	x := append(inputs(), 1e30, -1e30, math.MaxFloat32, -math.MaxFloat32)
	for b := uint32(0); math.Float32frombits(b) <= 110; b += 2511 {
		v := math.Float32frombits(b)
		x = append(x, v, -v)
	}
	// hardswish's ±3, softplus's threshold and gelu's ±20 cut, and the
	// scaled softplus forms' thresholds over β
	for _, kink := range []float32{3, 20, 10, 2.0 / 3} {
		for _, v := range []float32{kink, math.Nextafter32(kink, 0), math.Nextafter32(kink, 100)} {
			x = append(x, v, -v)
		}
	}
	y := make([]float32, len(x))
	for _, c := range append(plainGoForms(), plainGoRest()...) {
		eachAlone(c.f)(y, x)
		worst, at := worstULP(y, x, c.ref)
		if worst > 0.52 {
			t.Errorf("%s: %.2f ULP at x = %v (got %v, want %v)", c.name, worst, at, y[slicesIndex(x, at)], c.ref(float64(at)))
		}
		t.Logf("%s: worst %.2f ULP over %d inputs", c.name, worst, len(x))
		for _, v := range x {
			xv := float64(v)
			if math.IsInf(xv, 0) || xv != xv {
				continue
			}
			got, want := c.deriv(v), c.dRef(xv)
			if math.Abs(got) > math.MaxFloat32 && math.Abs(want) > math.MaxFloat32 && got*want > 0 {
				continue // ±Inf alike once multiplied by dOut and rounded to float32
			}
			if d := math.Abs(got - want); !(d <= 1e-7*math.Abs(want) || d <= 1e-9) {
				t.Fatalf("%s′(%v) = %v, want %v", c.name, v, got, want)
			}
		}
		for i, v := range []float32{float32(math.Inf(-1)), float32(math.Inf(1))} {
			if got := c.f(v); got != float32(c.atInf[i]) {
				t.Errorf("%s(%v) = %v, want %v", c.name, v, got, c.atInf[i])
			}
			if got := c.deriv(v); float32(got) != float32(c.dAtInf[i]) {
				t.Errorf("%s′(%v) = %v, want %v", c.name, v, got, c.dAtInf[i])
			}
		}
		if got, d := c.f(float32(math.NaN())), c.deriv(float32(math.NaN())); got == got || d == d {
			t.Errorf("%s(NaN) = %v, f′ %v; want NaN", c.name, got, d)
		}
	}
}

// TestPlainGoSpecialCases holds the plain Go exp, sigmoid and tanh, and
// the signs of zero of the forms above, to their special cases bit for bit
// (any NaN for NaN); the finite values are float64 math.Exp rounded to
// float32.
func TestPlainGoSpecialCases(t *testing.T) {
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	negZero := float32(math.Copysign(0, -1))
	elu := func(v float32) float32 { return eluGo(v, 1, 1, 1) }
	celuNeg2 := func(v float32) float32 { return eluGo(v, 1, -2, -0.5) }
	eluNeg := func(v float32) float32 { return eluGo(v, 1, -1, 1) }
	for _, c := range []struct {
		name    string
		f       func(float32) float32
		x, want float32
	}{
		{"exp", expGo, negZero, 1}, {"exp", expGo, inf, inf}, {"exp", expGo, -inf, 0}, {"exp", expGo, nan, nan},
		{"exp", expGo, 88.72283, 3.4027985e38}, {"exp", expGo, 88.72284, inf}, {"exp", expGo, -103.9, 1e-45}, {"exp", expGo, -104, 0},
		{"sigmoid", sigmoidGo, 0, 0.5}, {"sigmoid", sigmoidGo, inf, 1}, {"sigmoid", sigmoidGo, -inf, 0}, {"sigmoid", sigmoidGo, nan, nan},
		{"sigmoid", sigmoidGo, -100, 3.8e-44}, {"sigmoid", sigmoidGo, 17, 0.99999994},
		{"tanh", tanhGo, 0, 0}, {"tanh", tanhGo, negZero, negZero}, {"tanh", tanhGo, inf, 1}, {"tanh", tanhGo, -inf, -1}, {"tanh", tanhGo, nan, nan},
		{"tanh", tanhGo, 1e-45, 1e-45}, {"tanh", tanhGo, -1e-30, -1e-30}, {"tanh", tanhGo, 9.1, 1}, {"tanh", tanhGo, -9.1, -1},
		{"silu", siluGo, negZero, negZero}, {"silu", siluGo, -inf, negZero},
		{"gelu_tanh", geluTanhGo, negZero, negZero}, {"gelu_tanh", geluTanhGo, -inf, negZero},
		{"mish", mishGo, negZero, negZero}, {"mish", mishGo, -inf, negZero},
		// e^(in·x) − 1 is +0 at x = ±0, whatever the signs of in and neg
		// (PyTorch's float32 elu and celu, and the assembly)
		{"elu", elu, negZero, 0}, {"elu", elu, 0, 0},
		{"celu(alpha=-2)", celuNeg2, 0, negZero}, {"celu(alpha=-2)", celuNeg2, negZero, negZero},
		{"elu(alpha=-1)", eluNeg, 0, negZero}, {"elu(alpha=-1)", eluNeg, negZero, negZero},
		{"gelu", geluGo, negZero, negZero}, {"gelu", geluGo, -inf, negZero}, {"gelu", geluGo, -20.5, negZero},
		{"softplus", softplusDefaultGo, 20.5, 20.5}, {"softplus", softplusDefaultGo, -inf, 0},
		{"logsigmoid", logSigmoidGo, inf, negZero}, {"logsigmoid", logSigmoidGo, -inf, -inf},
		{"softsign", softsignGo, negZero, negZero}, {"softsign", softsignGo, -inf, -1},
		{"hardswish", hardswishGo, negZero, negZero}, {"hardswish", hardswishGo, -3, negZero}, {"hardswish", hardswishGo, -inf, negZero},
		{"hardswish", hardswishGo, 3, 3}, {"hardswish", hardswishGo, 1e30, 1e30},
	} {
		got := c.f(c.x)
		if math.Float32bits(got) != math.Float32bits(c.want) && !(got != got && c.want != c.want) {
			t.Errorf("%s(%v) = %v, want %v", c.name, c.x, got, c.want)
		}
	}
}

// TestPlainGoDerivativesAtTheirLimits holds the derivatives of
// plainGoForms and softplus to exactly 0 below gateFloor, and
// logsigmoid's above −gateFloor (as the assembly's float32 gives, and so
// that an infinite dOut gives NaN, as 0·Inf, rather than ±Inf); silu's and
// gelu_tanh's to exactly 1 above gateCeiling; mish's gate to exactly 1
// from mishCeiling on, where its derivative is 1 in float32.
func TestPlainGoDerivativesAtTheirLimits(t *testing.T) {
	inf := float32(math.Inf(1))
	for _, c := range plainGoForms() {
		if strings.HasPrefix(c.name, "celu(alpha=-") {
			continue // in < 0: the exponential grows as x falls
		}
		scale := float32(1) // the elu family's floor is on in·x
		for _, e := range eluCases {
			if e.name == c.name {
				scale = 1 / e.in
			}
		}
		for _, v := range []float32{-inf, -1e30, -200 * scale, -111 * scale} {
			if got := c.deriv(v); got != 0 {
				t.Errorf("%s′(%v) = %v, want exactly 0", c.name, v, got)
			}
		}
	}
	for _, v := range []float32{111, 200, 1e30, inf} {
		if a, b := siluDerivGo(v), geluTanhDerivGo(v); a != 1 || b != 1 {
			t.Errorf("silu′(%v) = %v, gelu_tanh′(%v) = %v; want exactly 1", v, a, v, b)
		}
		if got := mishDerivGo(v); float32(got) != 1 {
			t.Errorf("mish′(%v) = %v, want 1 in float32", v, got)
		}
	}
	for _, v := range []float32{20, 21, 1000} {
		if got := mishGo(v); got != v {
			t.Errorf("mish(%v) = %v, want %v (the gate 1)", v, got, v)
		}
	}
	for _, v := range []float32{-inf, -1e30, -200, -111} {
		if a, b := softplusDefaultDerivGo(v), logSigmoidDerivOfX(-v); a != 0 || b != 0 {
			t.Errorf("softplus′(%v) = %v, logsigmoid′(%v) = %v; want exactly 0", v, a, -v, b)
		}
	}
	for _, beta := range []float64{2, 0.5, -1, 3} { // the gate is on β·x
		p := softplusParams{beta: beta, invBeta: 1 / beta, threshold: 20}
		for _, bx := range []float64{-111, -200} {
			if got := softplusDerivGo(float32(bx/beta), p); got != 0 {
				t.Errorf("softplus(beta=%v)′(%v) = %v, want exactly 0", beta, bx/beta, got)
			}
		}
	}
	if n := expOf(float32(mishCeiling)); n*(n+2)/(n*(n+2)+2) != 1 {
		t.Errorf("mish's gate at %v is not 1 in float64", mishCeiling)
	}
}

// TestSoftplusDefaultIsTheGeneralForm holds softplusDefaultGo and its
// derivative to softplusGo and softplusDerivGo at PyTorch's defaults, bit
// for bit, on every 4093rd float32 bit pattern (NaNs and infinities
// among them) and around the threshold; TestPlainGoFormsMatchFloat64
// holds the general form to float64.
func TestSoftplusDefaultIsTheGeneralForm(t *testing.T) {
	softplusDefaults := softplusParams{beta: 1, invBeta: 1, threshold: 20} // PyTorch's
	check := func(v float32) {
		y, want := softplusDefaultGo(v), softplusGo(v, softplusDefaults)
		if math.Float32bits(y) != math.Float32bits(want) && !(y != y && want != want) {
			t.Fatalf("softplusDefaultGo(%v) = %v, softplusGo at the defaults %v", v, y, want)
		}
		d, dWant := softplusDefaultDerivGo(v), softplusDerivGo(v, softplusDefaults)
		if math.Float64bits(d) != math.Float64bits(dWant) && !(d != d && dWant != dWant) {
			t.Fatalf("softplusDefaultDerivGo(%v) = %v, softplusDerivGo at the defaults %v", v, d, dWant)
		}
	}
	for bits := uint64(0); bits < 1<<32; bits += 4093 {
		check(math.Float32frombits(uint32(bits)))
	}
	for _, v := range []float32{20, math.Nextafter32(20, 0), math.Nextafter32(20, 21), gateFloor, math.Nextafter32(gateFloor, 0)} {
		check(v)
		check(-v)
	}
}

// TestCELUOfNegativeAlphaOverflowsAsTheAssembly: celu with alpha -0.05
// and -2, every float32 input across the edge where e^(x/alpha) leaves
// float32's range: plain Go and the kernel (the assembly, where the CPU
// has it) are −Inf at the same inputs, and the backward passes, of a
// small dOut, +Inf at the same inputs too (the float32 exponential's
// +Inf, not its float64 value; (neg·in)·e, which is finite where neg·e
// alone would overflow).
func TestCELUOfNegativeAlphaOverflowsAsTheAssembly(t *testing.T) {
	eachForm(t, func(form string) { celuOverflowsAsPlainGo(t, form) })
}

func celuOverflowsAsPlainGo(t *testing.T, form string) {
	for _, c := range []struct{ neg, in, from, to float32 }{{-0.05, -20, -4.6, -4.4}, {-2, -0.5, -178, -175}} {
		var x []float32
		for v := c.from; v < c.to; v = math.Nextafter32(v, 0) {
			x = append(x, v)
		}
		y, dX, dOut := make([]float32, len(x)), make([]float32, len(x)), make([]float32, len(x))
		for i := range dOut {
			dOut[i] = 1e-30
		}
		ELU(y, x, 1, c.neg, c.in)
		ELUBackward(dX, dOut, x, 1, c.neg, c.in)
		infinite := 0
		for i, v := range x {
			goY, goD := eluGo(v, 1, c.neg, c.in), float32(1e-30*eluDerivGo(v, 1, c.neg, c.in))
			if math.IsInf(float64(goY), -1) != math.IsInf(float64(y[i]), -1) || math.IsInf(float64(goD), 0) != math.IsInf(float64(dX[i]), 0) {
				t.Fatalf("%s: celu(alpha=%v) at %v: plain Go %v and %v, the kernel %v and %v", form, c.neg, v, goY, goD, y[i], dX[i])
			}
			if math.IsInf(float64(goY), -1) {
				infinite++
			}
		}
		if infinite == 0 || infinite == len(x) {
			t.Errorf("%s: celu(alpha=%v): %d of %d inputs −Inf; want the edge of float32's range among them", form, c.neg, infinite, len(x))
		}
	}
}
