package act

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/internal/reftest/actref"
)

// kinks are the inputs where some catalogue entry's derivative jumps; the
// finite-difference check stays clear of them.
var kinks = []float64{-3, -1, 0, 1, 3, 6}

func nearKink(x, margin float64) bool {
	for _, k := range kinks {
		if math.Abs(x-k) < margin {
			return true
		}
	}
	return false
}

func defaults(t *testing.T, info Info) scalarPair {
	t.Helper()
	set, err := resolveParams(info, nil)
	if err != nil {
		t.Fatal(err)
	}
	pair, err := info.build(set)
	if err != nil {
		t.Fatal(err)
	}
	return pair
}

// TestDerivativeFiniteDifference checks every f′ against the float64 central
// difference (f(x+h) − f(x−h))/2h away from kinks.
func TestDerivativeFiniteDifference(t *testing.T) {
	const h = 1e-6
	rng := rand.New(rand.NewPCG(1, 2))
	for _, info := range catalogue {
		pair := defaults(t, info)
		for range 2000 {
			x := rng.Float64()*24 - 12
			if nearKink(x, 1e-4) {
				continue
			}
			numeric := (pair.f(x+h) - pair.f(x-h)) / (2 * h)
			if got := pair.df(x); math.Abs(got-numeric) > 1e-6+1e-6*math.Abs(numeric) {
				t.Errorf("%s′(%v) = %v, central difference %v", info.Name, x, got, numeric)
				break
			}
		}
	}
}

// TestPReLUWeightFiniteDifference checks ∂f/∂weight of prelu the same way.
func TestPReLUWeightFiniteDifference(t *testing.T) {
	const h = 1e-6
	for _, x := range []float64{-7.5, -2, -0.3, 0.4, 5} {
		numeric := (LeakyReLU(x, 0.25+h) - LeakyReLU(x, 0.25-h)) / (2 * h)
		if got := PReLUWeightDeriv(x); math.Abs(got-numeric) > 1e-6 {
			t.Errorf("∂prelu/∂weight(%v) = %v, central difference %v", x, got, numeric)
		}
	}
}

// TestCatalogueProperties samples each entry on a fine grid and checks the
// table's claims about it.
func TestCatalogueProperties(t *testing.T) {
	const step = 1.0 / 512
	for _, info := range catalogue {
		pair := defaults(t, info)
		maxSlope, flat, monotonic, odd := 0.0, 0, true, true
		n := 0
		prev := pair.f(-20)
		lowest, highest := math.Inf(1), math.Inf(-1)
		for x := -20.0; x <= 20; x += step {
			y, d := pair.f(x), pair.df(x)
			lowest, highest = math.Min(lowest, y), math.Max(highest, y)
			maxSlope = math.Max(maxSlope, math.Abs(d))
			if d == 0 {
				flat++
			}
			if y < prev {
				monotonic = false
			}
			if x != 0 && math.Abs(pair.f(-x)+y) > 1e-12*math.Max(1, math.Abs(y)) {
				odd = false
			}
			prev = y
			n++
		}
		// The range's ends, rounded outward where they are reached (mish's
		// least value, −0.308843, is not within "[-0.3088, inf)"), and a
		// closed end within 1e-3 of the value sampled there.
		if lo, hi, ok := rangeEnds(info.Range); ok && (lowest < lo || highest > hi) {
			t.Errorf("%s: sampled values from %.7g to %.7g, outside the table's range %s", info.Name, lowest, highest, info.Range)
		} else if ok && (info.Range[0] == '[' && lowest-lo > 1e-3 || info.Range[len(info.Range)-1] == ']' && hi-highest > 1e-3) {
			t.Errorf("%s: sampled values from %.7g to %.7g; the table's closed range %s is looser", info.Name, lowest, highest, info.Range)
		}
		if math.Abs(maxSlope-info.MaxSlope) > 1e-3*math.Max(info.MaxSlope, 1) {
			t.Errorf("%s: sampled max |f′| = %v, table says %v", info.Name, maxSlope, info.MaxSlope)
		}
		if monotonic != info.Monotonic {
			t.Errorf("%s: sampled monotonic = %v, table says %v", info.Name, monotonic, info.Monotonic)
		}
		if odd != info.ZeroCentred {
			t.Errorf("%s: sampled odd (zero-centred) = %v, table says %v", info.Name, odd, info.ZeroCentred)
		}
		var sampled string
		switch flat {
		case 0:
			sampled = "nowhere"
		case n:
			sampled = "everywhere"
		default:
			sampled = "somewhere"
		}
		if want := info.FlatWhere; sampled != want && !(sampled == "somewhere" && strings.Contains(want, "x")) {
			t.Errorf("%s: f′ = 0 on %d of %d samples, table says %q", info.Name, flat, n, want)
		}
	}
}

// rangeEnds reads an Info.Range written as an interval, "[-0.17, inf)";
// ok is false for another form (step's set of values).
func rangeEnds(r string) (lo, hi float64, ok bool) {
	if len(r) < 2 || !strings.ContainsRune("[(", rune(r[0])) || !strings.ContainsRune("])", rune(r[len(r)-1])) {
		return 0, 0, false
	}
	a, b, found := strings.Cut(r[1:len(r)-1], ",")
	if !found {
		return 0, 0, false
	}
	lo, errLo := strconv.ParseFloat(strings.TrimSpace(a), 64)
	hi, errHi := strconv.ParseFloat(strings.TrimSpace(b), 64)
	return lo, hi, errLo == nil && errHi == nil
}

// TestTanhIsShiftedSigmoid checks the seed's identity tanh(x) = 2σ(2x) − 1
// over the float32 range, both sides computed in float32.
func TestTanhIsShiftedSigmoid(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var x []float32
	for e := -40; e <= 38; e++ {
		for range 20 {
			v := float32((1 + rng.Float64()*9) * math.Pow(10, float64(e)))
			x = append(x, v, -v)
		}
	}
	x = append(x, 0, math.MaxFloat32, -math.MaxFloat32, float32(math.Inf(1)), float32(math.Inf(-1)))
	n := len(x)
	tanh, sig, twice := make([]float32, n), make([]float32, n), make([]float32, n)
	MustNew("tanh").Forward(tanh, x)
	for i, v := range x {
		twice[i] = 2 * v
	}
	MustNew("sigmoid").Forward(sig, twice)
	for i := range x {
		if want := 2*sig[i] - 1; !actref.Close(float64(tanh[i]), float64(want)) {
			t.Errorf("x=%v: tanh = %v, 2σ(2x)−1 = %v", x[i], tanh[i], want)
		}
	}
}

// TestFiniteWhereTrueValueIs covers the overflow cases the issue names.
func TestFiniteWhereTrueValueIs(t *testing.T) {
	cases := []struct {
		name string
		x    float32
		want float64
	}{
		{"sigmoid", -100, 3.7200759760208356e-44},
		{"softplus", 1000, 1000},
		{"logsigmoid", -200, -200},
		{"tanh", 50, 1},
		{"gelu", -40, 0},
		{"silu", -200, 0},
		{"mish", -200, 0},
		{"selu", -1e30, -SELUScale * SELUAlpha},
	}
	for _, c := range cases {
		y, dy := Eval(MustNew(c.name), []float32{c.x})
		if math.IsNaN(float64(y[0])) || math.IsInf(float64(y[0]), 0) || math.IsNaN(float64(dy[0])) || !actref.Close(float64(y[0]), c.want) {
			t.Errorf("%s(%v) = %v (f′ %v), want %v", c.name, c.x, y[0], dy[0], c.want)
		}
	}
}

func TestNaNInNaNOut(t *testing.T) {
	nan := []float32{float32(math.NaN())}
	for _, name := range Names() {
		y, dy := Eval(MustNew(name), nan)
		if y[0] == y[0] || dy[0] == dy[0] {
			t.Errorf("%s(NaN) = %v, f′ = %v; want NaN, NaN", name, y[0], dy[0])
		}
	}
}

// TestFastLoopsMatchReference holds the float32 slice loops to the
// float64 scalar pair they stand for, on random and special inputs: relu,
// identity and step bit for bit (a NaN's payload aside); the others within 2.5 ULP or PyTorch's tolerance for f (gelu's
// erf is approximated to 1.5e-7 absolute) and PyTorch's tolerance for f′.
func TestFastLoopsMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	x := []float32{0, float32(math.Copysign(0, -1)), float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 1e-45, -1e-45, 100, -100}
	for range 1000 {
		x = append(x, float32(rng.NormFloat64()*10))
	}
	dOut := make([]float32, len(x))
	for i := range dOut {
		dOut[i] = float32(rng.NormFloat64())
	}
	for _, info := range catalogue {
		pair := defaults(t, info)
		if pair.forward == nil {
			continue
		}
		exact := info.Name == "relu" || info.Name == "identity" || info.Name == "step" // the others approximate in float32
		var f *elementwise
		switch g := MustNew(info.Name).(type) {
		case *elementwise:
			f = g
		case *slopeLearner:
			f = &g.elementwise
		}
		slow := &elementwise{f: f.f, df: f.df}
		y1, y2 := make([]float32, len(x)), make([]float32, len(x))
		f.Forward(y1, x)
		slow.Forward(y2, x)
		d1, d2 := make([]float32, len(x)), make([]float32, len(x))
		f.Backward(d1, dOut, x, y1)
		slow.Backward(d2, dOut, x, y2)
		for i := range x {
			bothNaN := y1[i] != y1[i] && y2[i] != y2[i]
			switch {
			case bothNaN:
			case exact && math.Float32bits(y1[i]) != math.Float32bits(y2[i]):
				t.Errorf("%s(%v): fast %v, reference %v", info.Name, x[i], y1[i], y2[i])
			case !exact && ulpDistance(y1[i], y2[i]) > 2.5 && !actref.Close(float64(y1[i]), float64(y2[i])):
				t.Errorf("%s(%v): fast %v, reference %v: %.1f ULP apart", info.Name, x[i], y1[i], y2[i], ulpDistance(y1[i], y2[i]))
			}
			if d1[i] != d1[i] && d2[i] != d2[i] {
				continue
			}
			if (exact && d1[i] != d2[i]) || (!exact && !actref.Close(float64(d1[i]), float64(d2[i]))) {
				t.Errorf("%s′(%v)·%v: fast %v, reference %v", info.Name, x[i], dOut[i], d1[i], d2[i])
			}
		}
	}
}

// ulpDistance counts the float32 values between a and b.
func ulpDistance(a, b float32) float64 {
	key := func(v float32) int64 {
		bits := int64(math.Float32bits(v))
		if bits&0x80000000 != 0 {
			return -(bits & 0x7fffffff)
		}
		return bits
	}
	return math.Abs(float64(key(a) - key(b)))
}

// TestFastLoopsWithParameters holds the parameterised fast loops to the
// float64 formulas at non-default parameters.
func TestFastLoopsWithParameters(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 10))
	x := make([]float32, 512)
	for i := range x {
		x[i] = float32(rng.NormFloat64() * 5)
	}
	x[0], x[1] = 0, float32(math.Copysign(0, -1)) // step's at_zero
	for _, spec := range []string{"step(at_zero=0.5)", "elu(alpha=0.5)", "celu(alpha=2)", "leaky_relu(negative_slope=0.2)", "prelu(weight=-0.3)", "hardtanh(min_val=-2, max_val=0.5)",
		"softplus(beta=2)", "softplus(beta=0.5, threshold=5)", "softplus(beta=-1)"} {
		f, err := Parse(spec)
		if err != nil {
			t.Fatal(err)
		}
		var e *elementwise
		switch g := f.(type) {
		case *elementwise:
			e = g
		case *slopeLearner:
			e = &g.elementwise
		}
		y, dy := Eval(f, x)
		for i, v := range x {
			if want := e.f(float64(v)); !actref.Close(float64(y[i]), want) {
				t.Errorf("%s(%v) = %v, want %v", spec, v, y[i], want)
			}
			if want := e.df(float64(v)); !actref.Close(float64(dy[i]), want) {
				t.Errorf("%s′(%v) = %v, want %v", spec, v, dy[i], want)
			}
		}
	}
}

// TestForwardInPlace holds every activation of the catalogue, which
// ForwardsInPlace vouches for, to the same bits over x itself as into
// another slice: random and special inputs, past the vector loops' widths
// and into their tails. A Func of another package is not vouched for.
func TestForwardInPlace(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 10))
	x := []float32{0, float32(math.Copysign(0, -1)), float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 1e-45, -1e-45, 100, -100}
	for range 1037 {
		x = append(x, float32(rng.NormFloat64()*10))
	}
	for _, name := range Names() {
		f := MustNew(name)
		if !ForwardsInPlace(f) {
			t.Errorf("%s: ForwardsInPlace is false", name)
		}
		want := make([]float32, len(x))
		f.Forward(want, x)
		got := slices.Clone(x)
		f.Forward(got, got)
		for i := range got {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("%s(%v) in place = %v, into another slice %v", name, x[i], got[i], want[i])
			}
		}
	}
	if ForwardsInPlace(struct{ Func }{MustNew("relu")}) {
		t.Error("ForwardsInPlace vouches for a Func of another package")
	}
}
