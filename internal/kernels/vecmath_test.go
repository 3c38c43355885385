package kernels

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// ulps is the distance between got and the float64 want in units of the
// last place of float32 at want (subnormal spacing below the normals).
func ulps(got float32, want float64) float64 {
	if math.IsNaN(want) {
		if got != got {
			return 0
		}
		return math.Inf(1)
	}
	if math.IsInf(want, 0) || math.Abs(want) > math.MaxFloat32 {
		if float64(got) == math.Copysign(math.Inf(1), want) {
			return 0
		}
		return math.Inf(1)
	}
	w := float32(want)
	spacing := math.Abs(float64(math.Nextafter32(w, float32(math.Inf(1)))) - float64(w))
	if spacing == 0 {
		spacing = math.SmallestNonzeroFloat32
	}
	return math.Abs(float64(got)-want) / spacing
}

// inputs spans the float32 range: every power of two with random
// mantissas, both signs, and the specials.
func inputs() []float32 {
	rng := rand.New(rand.NewPCG(7, 7))
	x := []float32{0, float32(math.Copysign(0, -1)), float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)),
		88.72283, 88.72284, -87.33654, -103.9, -104, 0.625, -0.625, 0.62499994, 17, -17, 44.5, 9, -9}
	for e := -30; e <= 12; e++ {
		for range 200 {
			v := float32(math.Ldexp(1+rng.Float64(), e))
			x = append(x, v, -v)
		}
	}
	for range 20000 {
		x = append(x, float32(rng.Float64()*220-110))
	}
	return x
}

// ulpCase is a routine held to float64 in ULPs, with its reference and
// its bound.
type ulpCase struct {
	name  string
	run   func(y, x []float32)
	ref   func(float64) float64
	limit float64
}

// ulpCases are the slice routines: the assembly, where the CPU has it.
// Logsigmoid and softplus share ln(1 + e^−|x|) (log1pExp in asmgen): 1.57
// ULP at worst on every 251st float32 to ±110 and 1.59 over every float32,
// near x = 0, where five roundings add up; the form before, through a
// quotient and Cephes' logf, was 2.88 ULP off on every 97th, 3.26 over
// every float32.
var ulpCases = []ulpCase{
	{"exp", Exp, math.Exp, 1},
	{"sigmoid", Sigmoid, sigmoid64, 2},
	{"tanh", Tanh, math.Tanh, 1.5},
	{"logsigmoid", LogSigmoid, logSigmoid64, 1.75},
	{"softplus", Softplus, softplusScaled(1, 20).ref, 1.75},
}

// plainGoCases are the plain Go forms, each element alone, on every CPU,
// held to 0.52 ULP: their float64 is within 1e−9 of the exact value, and a
// polynomial a degree short already gives 0.58 to 0.72.
var plainGoCases = []ulpCase{
	{"exp", eachAlone(expGo), math.Exp, 0.52},
	{"sigmoid", eachAlone(sigmoidGo), sigmoid64, 0.52},
	{"tanh", eachAlone(tanhGo), math.Tanh, 0.52},
}

func sigmoid64(v float64) float64 {
	if v >= 0 {
		return 1 / (1 + math.Exp(-v))
	}
	return math.Exp(v) / (1 + math.Exp(v))
}

// eachAlone applies f to each element.
func eachAlone(f func(float32) float32) func(y, x []float32) {
	return func(y, x []float32) {
		for i, v := range x {
			y[i] = f(v)
		}
	}
}

// worstULP returns the largest distance in ULPs of y from ref(x), and the x
// where it is.
func worstULP(y, x []float32, ref func(float64) float64) (worst float64, at float32) {
	for i, v := range x {
		if u := ulps(y[i], ref(float64(v))); u > worst {
			worst, at = u, v
		}
	}
	return worst, at
}

// TestVectorMathULP holds exp, sigmoid and tanh to float64 over the float32
// range, each within its case's bound (a dense sweep is in TestDenseSweep).
func TestVectorMathULP(t *testing.T) {
	checkULP(t, inputs())
}

// checkULP holds ulpCases in each form of the CPU, and plainGoCases, to
// their bounds over x.
func checkULP(t *testing.T, x []float32) {
	t.Helper()
	y := make([]float32, len(x))
	check := func(form string, cases []ulpCase) {
		for _, c := range cases {
			c.run(y, x)
			worst, at := worstULP(y, x, c.ref)
			if worst > c.limit {
				t.Errorf("%s %s: %.2f ULP at x = %v (got %v, want %v)", form, c.name, worst, at, y[slicesIndex(x, at)], c.ref(float64(at)))
			}
			t.Logf("%s %s: worst %.2f ULP over %d inputs", form, c.name, worst, len(x))
		}
	}
	eachForm(t, func(form string) { check(form, ulpCases) })
	check("scalar plain Go", plainGoCases)
}

// eachForm runs f with the AVX2 forms of the vector math and then, where
// the CPU has them, the AVX-512 ones, which may differ in the last bit.
func eachForm(t *testing.T, f func(form string)) {
	saved := HasAVX512
	defer func() { HasAVX512 = saved }()
	forms := []bool{false}
	if saved {
		forms = append(forms, true)
	}
	for _, wide := range forms {
		HasAVX512 = wide
		form := map[bool]string{false: "AVX2", true: "AVX-512"}[wide]
		if !HasAVX2FMA {
			form = "plain Go"
		}
		if !wide {
			f(form)
			continue
		}
		eachPassForm(func(pass string) { f(form + pass) })
	}
}

func slicesIndex(x []float32, v float32) int {
	for i := range x {
		if x[i] == v || (x[i] != x[i] && v != v) {
			return i
		}
	}
	return 0
}

func TestVectorBackward(t *testing.T) {
	x := inputs()
	y, dOut := make([]float32, len(x)), make([]float32, len(x))
	for i := range dOut {
		dOut[i] = float32(i%7) - 3
	}
	for _, c := range []struct {
		name     string
		forward  func(y, x []float32)
		backward func(dX, dOut, y []float32)
		deriv    func(y float64) float64
	}{
		{"sigmoid", Sigmoid, SigmoidBackward, func(y float64) float64 { return y * (1 - y) }},
		{"tanh", Tanh, TanhBackward, func(y float64) float64 { return 1 - y*y }},
	} {
		c.forward(y, x)
		dX := make([]float32, len(x))
		c.backward(dX, dOut, y)
		for i := range x {
			want := float64(dOut[i]) * c.deriv(float64(y[i]))
			if !(math.Abs(float64(dX[i])-want) <= 1e-6*(1+math.Abs(want))) && !(math.IsNaN(want) && dX[i] != dX[i]) {
				t.Fatalf("%s backward at x = %v: %v, want %v", c.name, x[i], dX[i], want)
			}
		}
	}
}

// TestDenseSweep holds exp, sigmoid and tanh within their cases' bounds of
// float64 on every 251st float32 of either sign up to 110 (9M inputs; every
// 25100th with -short).
func TestDenseSweep(t *testing.T) {
	stride := uint32(251)
	if testing.Short() {
		stride *= 100
	}
	var x []float32
	for b := uint32(0); math.Float32frombits(b) <= 110; b += stride {
		v := math.Float32frombits(b)
		x = append(x, v, -v)
	}
	checkULP(t, x)
}

// TestSiLUAccuracy holds silu's assembly, the AVX2 form alone and the
// AVX-512 one, to float64: the forward within 3.5 ULP (one division, as
// PyTorch computes it) where σ(x) is a normal number (x > −87; below, x·σ(x)
// inherits σ's subnormal spacing), and its derivative within 4·2⁻²⁴
// (absolute: it crosses zero near x = −1.28), on every 251st float32 of
// either sign up to 87 (every 25100th with -short).
func TestSiLUAccuracy(t *testing.T) {
	if !HasAVX2FMA {
		t.Skip("no AVX2 and FMA: silu runs the float64 reference")
	}
	stride := uint32(251)
	if testing.Short() {
		stride *= 100
	}
	var x []float32
	for b := uint32(0); math.Float32frombits(b) < 87; b += stride {
		v := math.Float32frombits(b)
		x = append(x, v, -v)
	}
	sigmoid := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	silu := func(v float64) float64 { return v * sigmoid(v) }
	deriv := func(v float64) float64 { return sigmoid(v) * (1 + v*sigmoid(-v)) }
	defer func(saved bool) { HasAVX512 = saved }(HasAVX512)
	for _, wide := range []bool{false, HasAVX512} {
		HasAVX512 = wide
		y := make([]float32, len(x))
		SiLU(y, x)
		if worst, at := worstULP(y, x, silu); worst > 3.5 {
			t.Errorf("AVX-512 %v: silu: %.2f ULP at x = %v", wide, worst, at)
		} else {
			t.Logf("AVX-512 %v: silu: worst %.2f ULP over %d inputs", wide, worst, len(x))
		}
		dX, dOut := make([]float32, len(x)), make([]float32, len(x))
		for i := range dOut {
			dOut[i] = 1
		}
		SiLUBackward(dX, dOut, x)
		worst, at := 0.0, float32(0)
		for i, v := range x {
			e := math.Abs(float64(dX[i])-deriv(float64(v))) / 0x1p-24
			if e != e { // NaN where the derivative is a number
				worst, at = math.Inf(1), v
				break
			}
			if e > worst {
				worst, at = e, v
			}
		}
		if worst > 4 {
			t.Errorf("AVX-512 %v: silu backward: off by %.2f·2⁻²⁴ at x = %v", wide, worst, at)
		}
		t.Logf("AVX-512 %v: silu backward: worst %.2f·2⁻²⁴ over %d inputs", wide, worst, len(x))
	}
}

// TestLogSigmoidBackwardULP holds logsigmoid's derivative, taken as the
// backward pass takes it, 1 − e^y from the y the same form's forward pass
// gave, in each form of the CPU, on the inputs of TestVectorMathULP and
// on every 251st float32 of either sign up to 110 (every 25100th with
// -short): within 1.5 ULP of −expm1(y) for that y, the kernel's own
// error; and within 2.5 ULP of σ(−x), the forward pass's rounding of y
// included, which the derivative carries (σ(−x) ≈ −y as x grows) and,
// where σ(−x) lies a binade below |y|, doubles in ULPs (2.01 ULP at
// worst on these inputs, 2.26 over every float32, at x = 1.9610685;
// 4.10 at x = 2.7300582 with the forward
// pass before log1pExp, whose y was up to 3.2 ULP off; the quotient from
// x kept within 2, PyTorch's float32 kernel divides an e^−|x| rounded
// once).
func TestLogSigmoidBackwardULP(t *testing.T) {
	stride := uint32(251)
	if testing.Short() {
		stride *= 100
	}
	x := inputs()
	for b := uint32(0); math.Float32frombits(b) <= 110; b += stride {
		v := math.Float32frombits(b)
		x = append(x, v, -v)
	}
	dOut := make([]float32, len(x))
	for i := range dOut {
		dOut[i] = 1
	}
	eachForm(t, func(form string) {
		y, dX := make([]float32, len(x)), make([]float32, len(x))
		LogSigmoid(y, x)
		LogSigmoidBackward(dX, dOut, y)
		kernel, at := worstULP(dX, y, func(v float64) float64 { return -math.Expm1(v) })
		if kernel > 1.5 {
			t.Errorf("%s logsigmoid′: %.2f ULP from −expm1(y) at y = %v", form, kernel, at)
		}
		whole, atX := worstULP(dX, x, func(v float64) float64 { return sigmoid64(-v) })
		if whole > 2.5 {
			t.Errorf("%s logsigmoid′: %.2f ULP from σ(−x) at x = %v", form, whole, atX)
		}
		t.Logf("%s logsigmoid′: worst %.2f ULP from −expm1(y), %.2f from σ(−x), over %d inputs", form, kernel, whole, len(x))
	})
}

// TestElementsDoNotDependOnTheirPlace computes slices of every length up to
// 200 (a loop's passes and the vectors after them, in each form of two
// and four vectors a pass) and each element alone: the same bits, so that a row's activations do
// not depend on the rows computed with it (the model package's promise).
func TestElementsDoNotDependOnTheirPlace(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for _, c := range []struct {
		name string
		f    func(y, x []float32)
	}{
		{"exp", Exp}, {"sigmoid", Sigmoid}, {"tanh", Tanh},
		{"silu", SiLU},
		{"elu", func(y, x []float32) { ELU(y, x, 1, 1, 1) }},
		{"gelu_tanh", GELUTanh},
		{"softplus", Softplus}, {"gelu", GELU}, {"softsign", Softsign}, {"logsigmoid", LogSigmoid}, {"hardswish", HardSwish},
		{"mish", Mish},
		{"identity", Identity}, {"step", func(y, x []float32) { Step(y, x, 0.5) }},
	} {
		eachPassForm(func(pass string) {
			for n := 1; n <= 200; n++ {
				x := make([]float32, n)
				for i := range x {
					x[i] = float32(8 * rng.NormFloat64())
				}
				y := make([]float32, n)
				c.f(y, x)
				for i := range x {
					alone := make([]float32, 1)
					c.f(alone, x[i:i+1])
					if alone[0] != y[i] {
						t.Fatalf("%s%s: element %d of %d is %v in the slice, %v alone", c.name, pass, i, n, y[i], alone[0])
					}
				}
			}
		})
	}
}

// TestBackwardElementsDoNotDependOnTheirPlace is the backward passes' form
// of TestElementsDoNotDependOnTheirPlace where every element runs through
// the assembly: with AVX-512 (an AVX2 CPU leaves the last elements past a
// multiple of 8 to plain Go, and so do identity's and step's loops, AVX2
// alone, whose plain Go gives the same bits). dX starts non-zero, as it
// accumulates.
func TestBackwardElementsDoNotDependOnTheirPlace(t *testing.T) {
	if !HasAVX512 || !HasAVX2FMA {
		t.Skip("no AVX-512: backward tails run plain Go")
	}
	rng := rand.New(rand.NewPCG(10, 10))
	for _, c := range []struct {
		name string
		f    func(dX, dOut, in []float32)
	}{
		{"sigmoid", SigmoidBackward}, {"tanh", TanhBackward},
		{"silu", SiLUBackward},
		{"gelu_tanh", GELUTanhBackward},
		{"softplus", SoftplusBackward}, {"gelu", GELUBackward},
		{"mish", MishBackward},
		{"elu", func(dX, dOut, x []float32) { ELUBackward(dX, dOut, x, 1, 1, 1) }},
		{"logsigmoid", LogSigmoidBackward}, {"hardswish", HardSwishBackward},
		{"identity", IdentityBackward}, {"step", StepBackward},
	} {
		eachPassForm(func(pass string) {
			for n := 1; n <= 200; n++ {
				in, dOut, dX0 := make([]float32, n), make([]float32, n), make([]float32, n)
				for i := range in {
					in[i], dOut[i], dX0[i] = float32(rng.Float64()), float32(rng.NormFloat64()), float32(rng.NormFloat64())
					if c.name != "sigmoid" && c.name != "tanh" { // these read y = f(x), in (0, 1) here
						in[i] = float32(8 * rng.NormFloat64())
					}
				}
				dX := slices.Clone(dX0)
				c.f(dX, dOut, in)
				for i := range in {
					alone := []float32{dX0[i]}
					c.f(alone, dOut[i:i+1], in[i:i+1])
					if math.Float32bits(alone[0]) != math.Float32bits(dX[i]) {
						t.Fatalf("%s backward%s: element %d of %d is %v in the slice, %v alone", c.name, pass, i, n, dX[i], alone[0])
					}
				}
			}
		})
	}
}
