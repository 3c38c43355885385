// Package probe measures what activations do to learning, layer by layer:
// dead units, saturation and gradient norms.
//
// Programmer's errors panic with a message, as in nn: a nil network given
// to Health or Units, or a matrix that is nil, not whole or of another
// width than the network takes (a *tensor.ShapeError). WeightGradNorms of
// a nil network is nil, and a Recorder of a nil network watches nothing.
//
// Concurrency: a Recorder belongs to the Trainer it watches, on one
// goroutine.
package probe

import (
	"math"
	"sync"
	"sync/atomic"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/tensor"
)

// LayerHealth is the state of one activation layer over a set of examples.
type LayerHealth struct {
	Layer int // index in the Sequential
	// Hidden is the hidden layer the activation ends, numbered from 1 as
	// LayerStats.Layer and the Recorder's warnings number them; 0 for an
	// activation that follows no Dense layer.
	Hidden int
	Units  int
	// Dead is the fraction of units whose output is 0 on every example;
	// NaN where an output is NaN (see DeadFraction).
	Dead float64
	// Saturated is the fraction of unit-examples where the local derivative
	// is below 1% of the activation's largest on a part of the curve that
	// flattens (for step, whose f′ ≡ 0, each one whose output is not 0):
	// gradient barely passes there. An off side, where the output is 0
	// (relu's, step's), is not saturation: see Dead. NaN where a
	// pre-activation is NaN.
	Saturated float64
}

// Health runs x through net in evaluation mode and measures each activation
// layer. With no examples (x has no rows) Dead and Saturated are NaN: no
// unit was seen, dead or alive. They are NaN too where the layer's values
// hold a NaN, as a network that diverged computes: such a unit is neither
// dead nor alive, and it is not on a tail of its curve.
//
//	x: [examples, net.In]
func Health(net *nn.Sequential, x *tensor.Matrix) []LayerHealth {
	mustBeNet("Health", net)
	net.Forward(x, false)
	var out []LayerHealth
	hidden := hiddenNumbers(net)
	for i, l := range net.Layers {
		a, ok := l.(*nn.Activation)
		if !ok {
			continue
		}
		out = append(out, LayerHealth{
			Layer:     i,
			Hidden:    hidden[i],
			Units:     a.Output().Cols,
			Dead:      DeadFraction(a.Output()),
			Saturated: saturatedFraction(a.F, a.Input(), a.Output()),
		})
	}
	return out
}

// DeadFraction returns the fraction of units (columns of y) whose output is
// 0 in every example (row). It is NaN where y has no rows, as no unit was
// seen, and where an output is NaN: a unit that outputs NaN (its weights or
// its inputs diverged) is neither dead nor alive, and 0 would read as a
// healthy layer.
//
//	y: [examples, units]
func DeadFraction(y *tensor.Matrix) float64 {
	tensor.MustBeWhole("DeadFraction", y)
	if y.Rows == 0 || hasNaN(y.Data) {
		return math.NaN()
	}
	alive := make([]bool, y.Cols)
	markAlive(alive, y)
	return fractionDead(alive)
}

// mustBeNet panics, naming op, on a nil network, whose Forward would
// dereference nil.
func mustBeNet(op string, net *nn.Sequential) {
	if net == nil {
		panic("probe: " + op + ": a nil network")
	}
}

// hasNaN reports whether v holds a NaN.
func hasNaN(v []float32) bool {
	for _, x := range v {
		if x != x {
			return true
		}
	}
	return false
}

// fractionDead is the share of units never seen alive.
func fractionDead(alive []bool) float64 {
	if len(alive) == 0 {
		return 0
	}
	dead := 0
	for _, a := range alive {
		if !a {
			dead++
		}
	}
	return float64(dead) / float64(len(alive))
}

// saturatedFraction returns the fraction of entries that are saturated
// (see flatness).
//
//	x, y: [examples, units]
func saturatedFraction(f act.Func, x, y *tensor.Matrix) float64 {
	if x.Rows == 0 || hasNaN(x.Data) {
		return math.NaN()
	}
	if len(x.Data) == 0 {
		return 0
	}
	return float64(flatnessOf(f).count(x.Data, y.Data)) / float64(len(x.Data))
}

// flatness is the rule by which an entry counts as saturated, the one
// every measure of saturation in wiggle follows (the probe's tables and
// warnings, compare, the lab, the playground): its pre-activation lies on
// a tail of the curve that flattens towards an asymptote, on a side the
// catalogue names (act.Info.Saturates), from where |f′| stays under 1% of
// its largest on out; or anywhere, for a function flat everywhere (step).
// An entry whose output is exactly 0 is off, not saturated (relu's x ≤ 0,
// relu6's, hardsigmoid's and hardswish's lower flat sides): a unit off on
// every example is dead, as CS231n counts relu, which does not saturate.
// A dip where f′ passes 0 (gelu's, silu's or mish's minimum) is no tail.
type flatness struct {
	everywhere bool    // f′ ≡ 0
	lo, hi     float32 // the tails: x ≤ lo, x ≥ hi (−Inf, +Inf on a side that does not flatten)
}

// flatnessOf finds f's tails, with its parameters (leaky_relu with a slope
// of 0 has none: its catalogue entry saturates nowhere), once for each
// spec (f.String()): the search takes a fraction of a millisecond, and
// the playground's layers and the lab's sweeps ask many times a second.
func flatnessOf(f act.Func) flatness {
	key := f.String()
	if r, ok := tails.Load(key); ok {
		return r.(flatness)
	}
	r := findFlatness(f)
	if tailsKept.Add(1) <= maxTailsKept { // a bound, for a program that tries spec after spec
		tails.Store(key, r)
	}
	return r
}

// tails holds flatnessOf's answers by spec, at most maxTailsKept of them.
var (
	tails     sync.Map
	tailsKept atomic.Int64
)

const maxTailsKept = 1024

// findFlatness is flatnessOf's search.
func findFlatness(f act.Func) flatness {
	info, _ := act.Lookup(f.Name())
	r := flatness{everywhere: info.MaxSlope == 0, lo: float32(math.Inf(-1)), hi: float32(math.Inf(1))}
	if r.everywhere {
		return r
	}
	limit := float32(0.01 * info.MaxSlope)
	if info.Saturates == "both sides" || info.Saturates == "x -> -inf" {
		r.lo = tailStart(f, -1, limit)
	}
	if info.Saturates == "both sides" || info.Saturates == "x -> +inf" {
		r.hi = tailStart(f, 1, limit)
	}
	return r
}

// saturated tells whether an entry of pre-activation x and output y is.
func (r flatness) saturated(x, y float32) bool {
	return y != 0 && (r.everywhere || x <= r.lo || x >= r.hi) // where f and f′ are 0, a unit is off (dead if on every example), not saturated
}

// count counts the saturated entries.
//
//	x, y: [n], y = f(x)
func (r flatness) count(x, y []float32) int {
	n := 0
	for i, v := range x {
		if r.saturated(v, y[i]) {
			n++
		}
	}
	return n
}

// tailStart finds where f's tail on one side (sign −1: towards −∞, +1:
// towards +∞) begins: the x nearest 0 from which |f′| stays under limit
// out to a point where it is under limit (64, or as far as it takes, up
// to 1e30), read on a grid of 2¹⁴ steps and then to the float32 by
// halving; ±Inf (no tail) where f′ stays above limit that far out.
func tailStart(f act.Func, sign float64, limit float32) float32 {
	flat := func(d float32) bool { return d < limit && d > -limit }
	far := 64.0
	for ; far < 1e30 && !flat(derivative(f, []float32{float32(sign * far)})[0]); far *= 4 {
	}
	if far >= 1e30 {
		return float32(math.Inf(int(sign)))
	}
	const steps = 1 << 14
	x := make([]float32, steps+1) // from the far point to 0
	for i := range x {
		x[i] = float32(sign * far * (1 - float64(i)/steps))
	}
	d := derivative(f, x)
	for i := 1; i < len(x); i++ {
		if !flat(d[i]) {
			return edge(f, flat, x[i-1], x[i])
		}
	}
	return 0 // flat all the way in: the whole side
}

// edge narrows [out, in], f′ flat at out and not at in, to the float32
// nearest in where it is still flat, by halving: the grid's step would
// leave out the entries between.
func edge(f act.Func, flat func(float32) bool, out, in float32) float32 {
	for range 40 {
		mid := out + (in-out)/2
		if mid == out || mid == in {
			break
		}
		if flat(derivative(f, []float32{mid})[0]) {
			out = mid
		} else {
			in = mid
		}
	}
	return out
}

// derivative returns f′ at x.
func derivative(f act.Func, x []float32) []float32 {
	y, d := make([]float32, len(x)), make([]float32, len(x))
	f.Forward(y, x)
	act.Derivative(d, f, x, y)
	return d
}

// WeightGradNorms returns ‖dW‖ (Frobenius) of each Dense layer's weight
// gradient as it stands, first layer first; a Maxout layer's own Dense
// counts in its place.
func WeightGradNorms(net *nn.Sequential) []float64 { return AppendWeightGradNorms(nil, net) }

// AppendWeightGradNorms is WeightGradNorms appended to norms, for a
// caller that measures every step and keeps its slice.
func AppendWeightGradNorms(norms []float64, net *nn.Sequential) []float64 {
	if net == nil {
		return norms
	}
	for _, l := range net.Layers {
		d, ok := l.(*nn.Dense)
		if m, isMaxout := l.(*nn.Maxout); isMaxout {
			d, ok = m.Linear, true
		}
		if ok {
			var s float64
			for _, g := range d.W.Grad {
				s += float64(g) * float64(g)
			}
			norms = append(norms, math.Sqrt(s))
		}
	}
	return norms
}
