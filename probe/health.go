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
	// Dead is the fraction of units whose output is 0 on every example.
	Dead float64
	// Saturated is the fraction of unit-examples where the local derivative
	// is below 1% of the activation's largest on a part of the curve that
	// flattens (all of them when f′ ≡ 0, as for step): gradient barely
	// passes there. relu's off side is not saturation: see Dead.
	Saturated float64
}

// Health runs x through net in evaluation mode and measures each activation
// layer. With no examples (x has no rows) Dead and Saturated are NaN: no
// unit was seen, dead or alive.
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
// 0 in every example (row); NaN where y has no rows, as no unit was seen.
//
//	y: [examples, units]
func DeadFraction(y *tensor.Matrix) float64 {
	tensor.MustBeWhole("DeadFraction", y)
	if y.Rows == 0 {
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
	if x.Rows == 0 {
		return math.NaN()
	}
	if len(x.Data) == 0 {
		return 0
	}
	info, _ := act.Lookup(f.Name())
	var scratch derivScratch
	return float64(scratch.countSaturated(f, info, x.Data, y.Data)) / float64(len(x.Data))
}

// flatness is the rule by which an entry counts as saturated, the one
// wiggle's every measure of saturation follows (the probe's tables and
// warnings, compare, the lab, the playground): |f′| below 1% of f's
// largest slope, on a part of the curve that flattens towards an
// asymptote, and everywhere for a function flat everywhere (step). Where
// f′ is exactly 0 over one side (relu's x ≤ 0, hardswish's x < −3), a
// unit is off there, not saturated: one off on every example is dead, as
// CS231n counts relu, which does not saturate. Where f′ is 0 nowhere but
// underflows to it far out (sigmoid, elu), that 0 is the asymptote's.
type flatness struct {
	limit      float32 // 1% of the largest |f′|, in float32: leaky_relu's 0.01 is not below it
	everywhere bool    // f′ ≡ 0
	zeroCounts bool    // f′ = 0 exactly is saturation: f flattens on both sides, or is flat nowhere
}

func flatnessOf(info act.Info) flatness {
	return flatness{
		limit:      float32(0.01 * info.MaxSlope),
		everywhere: info.MaxSlope == 0,
		zeroCounts: info.Saturates == "both sides" || info.FlatWhere == "nowhere",
	}
}

// saturated tells whether an entry whose f′ is d is saturated.
func (r flatness) saturated(d float32) bool {
	return r.everywhere || d < r.limit && d > -r.limit && (d != 0 || r.zeroCounts)
}

// derivScratch holds the buffers of a derivative pass, reused across calls.
type derivScratch struct{ deriv, ones []float32 }

// countSaturated counts the saturated entries (see flatness).
//
//	x, y: [n], y = f(x)
func (s *derivScratch) countSaturated(f act.Func, info act.Info, x, y []float32) int {
	n := len(x)
	rule := flatnessOf(info)
	if rule.everywhere {
		return n
	}
	if cap(s.deriv) < n {
		s.deriv, s.ones = make([]float32, n), make([]float32, n)
		for i := range s.ones {
			s.ones[i] = 1
		}
	}
	d := s.deriv[:n]
	clear(d)
	f.Backward(d, s.ones[:n], x, y)
	count := 0
	for _, v := range d {
		if rule.saturated(v) {
			count++
		}
	}
	return count
}

// WeightGradNorms returns ‖dW‖ (Frobenius) of each Dense layer's weight
// gradient as it stands, first layer first.
func WeightGradNorms(net *nn.Sequential) []float64 {
	var norms []float64
	if net == nil {
		return nil
	}
	for _, l := range net.Layers {
		if d, ok := l.(*nn.Dense); ok {
			var s float64
			for _, g := range d.W.Grad {
				s += float64(g) * float64(g)
			}
			norms = append(norms, math.Sqrt(s))
		}
	}
	return norms
}
