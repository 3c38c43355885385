package act

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/wigglenn/wiggle/internal/kernels"
)

// Info describes one activation of the catalogue. The properties hold at the
// default parameters.
type Info struct {
	Name    string
	Aliases []string // other names New accepts
	Formula string
	Params  []Param

	Range       string  // the set of outputs, e.g. "(0, 1)"
	ZeroCentred bool    // odd, f(−x) = −f(x): outputs centre on zero when inputs do
	Saturates   string  // where f′ → 0 as |x| grows: "both sides", "x -> -inf", "x -> +inf", "no"
	Monotonic   bool    // non-decreasing
	MaxSlope    float64 // sup |f′(x)|
	FlatWhere   string  // where f′(x) = 0 exactly: "nowhere", "everywhere", "x <= 0", ...

	build func(p paramSet) (scalarPair, error)
}

// Saturation says where f saturates, as `wiggle act list` shows it: the
// sides of Saturates, less those where f and f′ are both exactly 0, which
// are off rather than saturated and named so: "no (x -> -inf: off)" for
// relu, "x -> +inf (x -> -inf: off)" for relu6, "everywhere it is not 0
// (x -> -inf: off)" for step (wiggle's measures count a
// unit off on every example as dead, and none of an off side as
// saturated).
func (info Info) Saturation() string {
	f, err := New(info.Name)
	switch {
	case err != nil || info.Saturates == "no":
		return info.Saturates
	case info.Saturates == "everywhere" && offAt(f, -10): // step: flat at 1, and off at 0
		return "everywhere it is not 0 (x -> -inf: off)"
	case info.Saturates == "everywhere":
		return info.Saturates
	}
	var saturated, off []string
	for _, side := range []struct {
		name string
		x    float32
	}{{"x -> -inf", -10}, {"x -> +inf", 10}} {
		switch {
		case info.Saturates != "both sides" && info.Saturates != side.name:
		case offAt(f, side.x):
			off = append(off, side.name+": off")
		default:
			saturated = append(saturated, side.name)
		}
	}
	text := info.Saturates // both sides
	if len(saturated) < 2 {
		text = cmp.Or(strings.Join(saturated, ", "), "no")
	}
	if len(off) > 0 {
		text += " (" + strings.Join(off, ", ") + ")"
	}
	return text
}

// offAt reports whether f and f′ are both exactly 0 at x.
func offAt(f Func, x float32) bool {
	y, d := make([]float32, 1), make([]float32, 1)
	f.Forward(y, []float32{x})
	f.Backward(d, []float32{1}, []float32{x}, y)
	return y[0] == 0 && d[0] == 0
}

// scalarPair is an activation's float64 reference: f, f′ and, for a learnable
// slope, ∂f/∂weight; and optionally fast float32 slice loops held to it by
// the tests: exactly for relu, identity and step; for the others f within
// 2.5 ULP or PyTorch's tolerance (|d| ≤ 1e-5 + 1.3e-6·|want|: a tiny
// value far in elu's or gelu's tail may be many ULP off, as PyTorch's
// float32 is), f′ within PyTorch's tolerance.
type scalarPair struct {
	f, df, dWeight func(x float64) float64
	forward        func(y, x []float32)
	backward       func(dX, dOut, x []float32) // f′ from x
	backwardY      func(dX, dOut, y []float32) // f′ from y = f(x)
}

// newFunc makes the Func for an entry and its resolved parameters.
func (info Info) newFunc(set paramSet) (Func, error) {
	pair, err := info.build(set)
	if err != nil {
		return nil, err
	}
	e := elementwise{name: info.Name, params: set, f: pair.f, df: pair.df, forward: pair.forward, backward: pair.backward, backwardY: pair.backwardY}
	if pair.dWeight != nil {
		return &slopeLearner{elementwise: e, dWeight: pair.dWeight}, nil
	}
	return &e, nil
}

// Catalogue returns every activation, in the order of the table.
func Catalogue() []Info { return slices.Clone(catalogue) }

// Names returns the catalogue's names, in the order of the table.
func Names() []string {
	names := make([]string, len(catalogue))
	for i, info := range catalogue {
		names[i] = info.Name
	}
	return names
}

// Lookup finds an activation by name or alias.
func Lookup(name string) (Info, bool) {
	for _, info := range catalogue {
		if info.Name == name || slices.Contains(info.Aliases, name) {
			return info, true
		}
	}
	return Info{}, false
}

// eluPair is an elu-shaped activation, x > 0 ? pos·x : neg·(e^(in·x) − 1),
// with the float32 loops.
func eluPair(f, df func(float64) float64, pos, neg, in float64) scalarPair {
	p, n, i := float32(pos), float32(neg), float32(in)
	return scalarPair{f: f, df: df,
		forward:  func(y, x []float32) { kernels.ELU(y, x, p, n, i) },
		backward: func(dX, dOut, x []float32) { kernels.ELUBackward(dX, dOut, x, p, n, i) }}
}

// clampPair is a clamp-shaped activation, y = min(max(x+shift, lo), hi)·mul,
// with the float32 loops.
func clampPair(f, df func(float64) float64, shift, lo, hi, mul float64) scalarPair {
	s, l, h, m := float32(shift), float32(lo), float32(hi), float32(mul)
	return scalarPair{f: f, df: df,
		forward:  func(y, x []float32) { kernels.Clamp(y, x, s, l, h, m) },
		backward: func(dX, dOut, x []float32) { kernels.ClampBackward(dX, dOut, x, s, l, h, m) }}
}

// leakyPair is leaky_relu (and prelu, with its slope gradient) of a slope,
// with the float32 loops: slope·x in float32, as PyTorch computes it.
func leakyPair(slope float64, dWeight func(float64) float64) scalarPair {
	s := float32(slope)
	return scalarPair{
		f:        func(x float64) float64 { return LeakyReLU(x, slope) },
		df:       func(x float64) float64 { return LeakyReLUDeriv(x, slope) },
		dWeight:  dWeight,
		forward:  func(y, x []float32) { kernels.LeakyReLU(y, x, s) },
		backward: func(dX, dOut, x []float32) { kernels.LeakyReLUBackward(dX, dOut, x, s) },
	}
}

// geluTanhPair is gelu's tanh form, for both of the names that reach it.
var geluTanhPair = scalarPair{f: GELUTanh, df: GELUTanhDeriv, forward: kernels.GELUTanh, backward: kernels.GELUTanhBackward}

func number(name, def, doc string) Param { return Param{Name: name, Default: def, Doc: doc} }

// divisor is a number parameter the activation divides by: 0 is refused.
func divisor(name, def, doc string) Param {
	return Param{Name: name, Default: def, Doc: doc, NonZero: true}
}

// catalogue is the one table of activations. The CLI, the docs and the tests
// read it.
var catalogue = []Info{
	{
		Name: "identity", Aliases: []string{"linear"}, Formula: "x",
		Range: "(-inf, inf)", ZeroCentred: true, Saturates: "no", Monotonic: true, MaxSlope: 1, FlatWhere: "nowhere",
		build: func(paramSet) (scalarPair, error) {
			return scalarPair{f: Identity, df: IdentityDeriv,
				forward:  kernels.Identity,
				backward: kernels.IdentityBackward}, nil
		},
	},
	{
		Name: "step", Aliases: []string{"heaviside"}, Formula: "1 if x > 0, at_zero if x = 0, else 0",
		Params: []Param{number("at_zero", "1", "the value at x = 0")},
		Range:  "{0, at_zero, 1}", Saturates: "everywhere", Monotonic: true, MaxSlope: 0, FlatWhere: "everywhere",
		build: func(p paramSet) (scalarPair, error) {
			atZero := p.float("at_zero")
			return scalarPair{f: func(x float64) float64 { return Step(x, atZero) }, df: StepDeriv,
				forward:  func(y, x []float32) { kernels.Step(y, x, float32(atZero)) },
				backward: kernels.StepBackward}, nil
		},
	},
	{
		Name: "sigmoid", Aliases: []string{"logistic"}, Formula: "1/(1+exp(-x))",
		Range: "(0, 1)", Saturates: "both sides", Monotonic: true, MaxSlope: 0.25, FlatWhere: "nowhere",
		build: func(paramSet) (scalarPair, error) {
			return scalarPair{f: Sigmoid, df: SigmoidDeriv, forward: kernels.Sigmoid, backwardY: kernels.SigmoidBackward}, nil
		},
	},
	{
		Name: "tanh", Formula: "2*sigmoid(2x) - 1",
		Range: "(-1, 1)", ZeroCentred: true, Saturates: "both sides", Monotonic: true, MaxSlope: 1, FlatWhere: "nowhere",
		build: func(paramSet) (scalarPair, error) {
			return scalarPair{f: Tanh, df: TanhDeriv, forward: kernels.Tanh, backwardY: kernels.TanhBackward}, nil
		},
	},
	{
		Name: "relu", Formula: "max(0, x)",
		Range: "[0, inf)", Saturates: "x -> -inf", Monotonic: true, MaxSlope: 1, FlatWhere: "x <= 0",
		build: func(paramSet) (scalarPair, error) {
			return scalarPair{f: ReLU, df: ReLUDeriv, forward: kernels.ReLU, backward: kernels.ReLUBackward}, nil
		},
	},
	{
		Name: "leaky_relu", Formula: "x if x > 0 else negative_slope*x",
		Params: []Param{number("negative_slope", "0.01", "slope for x <= 0")},
		Range:  "(-inf, inf)", Saturates: "no", Monotonic: true, MaxSlope: 1, FlatWhere: "nowhere",
		build: func(p paramSet) (scalarPair, error) {
			slope := p.float("negative_slope")
			return leakyPair(slope, nil), nil
		},
	},
	{
		Name: "prelu", Formula: "x if x > 0 else weight*x, weight learned",
		Params: []Param{number("weight", "0.25", "the learnable slope for x <= 0 (its initial value)")},
		Range:  "(-inf, inf)", Saturates: "no", Monotonic: true, MaxSlope: 1, FlatWhere: "nowhere",
		build: func(p paramSet) (scalarPair, error) {
			return leakyPair(p.float("weight"), PReLUWeightDeriv), nil
		},
	},
	{
		Name: "elu", Formula: "x if x > 0 else alpha*(exp(x)-1)",
		Params: []Param{number("alpha", "1", "the negative saturation value is -alpha")},
		Range:  "(-1, inf)", Saturates: "x -> -inf", Monotonic: true, MaxSlope: 1, FlatWhere: "nowhere",
		build: func(p paramSet) (scalarPair, error) {
			alpha := p.float("alpha")
			return eluPair(func(x float64) float64 { return ELU(x, alpha) },
				func(x float64) float64 { return ELUDeriv(x, alpha) }, 1, alpha, 1), nil
		},
	},
	{
		Name: "selu", Formula: "scale*elu(x, alpha), scale=1.0507, alpha=1.6733",
		Range: "(-1.7581, inf)", Saturates: "x -> -inf", Monotonic: true, MaxSlope: SELUScale * SELUAlpha, FlatWhere: "nowhere",
		build: func(paramSet) (scalarPair, error) {
			return eluPair(SELU, SELUDeriv, SELUScale, SELUScale*SELUAlpha, 1), nil
		},
	},
	{
		Name: "celu", Formula: "x if x > 0 else alpha*(exp(x/alpha)-1)",
		Params: []Param{divisor("alpha", "1", "the negative saturation value is -alpha; not 0")},
		Range:  "(-1, inf)", Saturates: "x -> -inf", Monotonic: true, MaxSlope: 1, FlatWhere: "nowhere",
		build: func(p paramSet) (scalarPair, error) {
			alpha := p.float("alpha")
			return eluPair(func(x float64) float64 { return CELU(x, alpha) },
				func(x float64) float64 { return CELUDeriv(x, alpha) }, 1, alpha, 1/alpha), nil
		},
	},
	{
		Name: "gelu", Formula: "x*Phi(x), Phi the normal CDF",
		Params: []Param{{Name: "approximate", Default: "none", Choices: []string{"none", "tanh"},
			Doc: `"none" for the exact erf form, "tanh" for the tanh approximation`}},
		Range: "[-0.17, inf)", Saturates: "x -> -inf", MaxSlope: 1.1289, FlatWhere: "nowhere",
		build: func(p paramSet) (scalarPair, error) {
			if p.get("approximate") == "tanh" {
				return geluTanhPair, nil
			}
			return scalarPair{f: GELU, df: GELUDeriv, forward: kernels.GELU, backward: kernels.GELUBackward}, nil
		},
	},
	{
		Name: "gelu_tanh", Formula: "x/2*(1+tanh(sqrt(2/pi)*(x+0.044715x^3)))",
		Range: "[-0.1701, inf)", Saturates: "x -> -inf", MaxSlope: 1.1290, FlatWhere: "nowhere",
		build: func(paramSet) (scalarPair, error) { return geluTanhPair, nil },
	},
	{
		Name: "silu", Aliases: []string{"swish"}, Formula: "x*sigmoid(x)",
		Range: "[-0.2785, inf)", Saturates: "x -> -inf", MaxSlope: 1.0998, FlatWhere: "nowhere",
		build: func(paramSet) (scalarPair, error) {
			return scalarPair{f: SiLU, df: SiLUDeriv, forward: kernels.SiLU, backward: kernels.SiLUBackward}, nil
		},
	},
	{
		Name: "softplus", Formula: "log(1+exp(beta*x))/beta; x where beta*x > threshold",
		Params: []Param{
			divisor("beta", "1", "sharpness; not 0"),
			number("threshold", "20", "above beta*x > threshold the result is x"),
		},
		Range: "(0, inf)", Saturates: "x -> -inf", Monotonic: true, MaxSlope: 1, FlatWhere: "nowhere",
		build: func(p paramSet) (scalarPair, error) {
			beta, threshold := p.float("beta"), p.float("threshold")
			pair := scalarPair{
				f:  func(x float64) float64 { return Softplus(x, beta, threshold) },
				df: func(x float64) float64 { return SoftplusDeriv(x, beta, threshold) },
			}
			pair.forward = func(y, x []float32) { kernels.SoftplusScaled(y, x, beta, threshold) }
			pair.backward = func(dX, dOut, x []float32) { kernels.SoftplusScaledBackward(dX, dOut, x, beta, threshold) }
			if beta == 1 && threshold == 20 { // the assembly has PyTorch's defaults built in
				pair.forward, pair.backward = kernels.Softplus, kernels.SoftplusBackward
			}
			return pair, nil
		},
	},
	{
		Name: "mish", Formula: "x*tanh(softplus(x))",
		Range: "[-0.3089, inf)", Saturates: "x -> -inf", MaxSlope: 1.0885, FlatWhere: "nowhere",
		build: func(paramSet) (scalarPair, error) {
			return scalarPair{f: Mish, df: MishDeriv, forward: kernels.Mish, backward: kernels.MishBackward}, nil
		},
	},
	{
		Name: "hardtanh", Formula: "clamp(x, min_val, max_val)",
		Params: []Param{number("min_val", "-1", "lower bound"), number("max_val", "1", "upper bound; above min_val")},
		Range:  "[-1, 1]", ZeroCentred: true, Saturates: "both sides", Monotonic: true, MaxSlope: 1, FlatWhere: "x <= -1, x >= 1",
		build: func(p paramSet) (scalarPair, error) {
			lo, hi := p.float("min_val"), p.float("max_val")
			if float32(hi) <= float32(lo) { // the engine's precision
				return scalarPair{}, fmt.Errorf("hardtanh: max_val=%g must be above min_val=%g in float32", hi, lo)
			}
			return clampPair(func(x float64) float64 { return HardTanh(x, lo, hi) },
				func(x float64) float64 { return HardTanhDeriv(x, lo, hi) }, 0, lo, hi, 1), nil
		},
	},
	{
		Name: "relu6", Formula: "min(max(0, x), 6)",
		Range: "[0, 6]", Saturates: "both sides", Monotonic: true, MaxSlope: 1, FlatWhere: "x <= 0, x >= 6",
		build: func(paramSet) (scalarPair, error) { return clampPair(ReLU6, ReLU6Deriv, 0, 0, 6, 1), nil },
	},
	{
		Name: "hardsigmoid", Formula: "relu6(x+3)/6",
		Range: "[0, 1]", Saturates: "both sides", Monotonic: true, MaxSlope: 1.0 / 6, FlatWhere: "x <= -3, x >= 3",
		build: func(paramSet) (scalarPair, error) {
			return clampPair(HardSigmoid, HardSigmoidDeriv, 3, 0, 6, 1.0/6), nil
		},
	},
	{
		Name: "hardswish", Formula: "x*relu6(x+3)/6",
		Range: "[-0.375, inf)", Saturates: "x -> -inf", MaxSlope: 1.5, FlatWhere: "x < -3",
		build: func(paramSet) (scalarPair, error) {
			return scalarPair{f: HardSwish, df: HardSwishDeriv, forward: kernels.HardSwish, backward: kernels.HardSwishBackward}, nil
		},
	},
	{
		Name: "softsign", Formula: "x/(1+|x|)",
		Range: "(-1, 1)", ZeroCentred: true, Saturates: "both sides", Monotonic: true, MaxSlope: 1, FlatWhere: "nowhere",
		build: func(paramSet) (scalarPair, error) {
			return scalarPair{f: Softsign, df: SoftsignDeriv, forward: kernels.Softsign, backward: kernels.SoftsignBackward}, nil
		},
	},
	{
		Name: "logsigmoid", Formula: "log(sigmoid(x)) = -softplus(-x)",
		Range: "(-inf, 0)", Saturates: "x -> +inf", Monotonic: true, MaxSlope: 1, FlatWhere: "nowhere",
		build: func(paramSet) (scalarPair, error) {
			return scalarPair{f: LogSigmoid, df: LogSigmoidDeriv, forward: kernels.LogSigmoid, backwardY: kernels.LogSigmoidBackward}, nil
		},
	},
}
