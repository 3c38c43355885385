package probe

import (
	"math"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/tensor"
)

// UnitHealth is one activation layer seen unit by unit, as the playground
// marks its neurons.
type UnitHealth struct {
	Layer  int      // the index of the activation layer in the network
	Hidden int      // the hidden layer it ends, from 1 (as LayerHealth.Hidden); 0 after no Dense layer
	F      act.Func // its activation
	// Dead[j] is true when unit j outputs 0 on every example. A unit whose
	// pre-activation or output is NaN on some example (a network that
	// diverged) is not dead: it is neither dead nor alive, and its
	// Saturated[j] is NaN.
	Dead []bool
	// Saturated[j] is the fraction of examples where unit j is saturated,
	// as LayerHealth.Saturated counts them (relu's off side is not).
	Saturated []float64
	// Pre is the layer's input, the pre-activations [examples, units]: the
	// network's own buffer, valid until its next Forward.
	Pre *tensor.Matrix
}

// Units runs x through net in evaluation mode and measures every unit of
// each activation layer. With no examples every unit reads dead (none was
// seen alive) and unsaturated; Health says NaN there.
//
//	x: [examples, net.In]
func Units(net *nn.Sequential, x *tensor.Matrix) []UnitHealth {
	mustBeNet("Units", net)
	net.Forward(x, false)
	var out []UnitHealth
	hidden := hiddenNumbers(net)
	for i, l := range net.Layers {
		a, ok := l.(*nn.Activation)
		if !ok {
			continue
		}
		pre, post := a.Input(), a.Output()
		u := UnitHealth{Layer: i, Hidden: hidden[i], F: a.F, Dead: make([]bool, post.Cols), Saturated: make([]float64, post.Cols), Pre: pre}
		alive := make([]bool, post.Cols)
		markAlive(alive, post)
		saturatedByUnit(u.Saturated, a.F, pre, post)
		notNumbers := columnsWithNaN(pre, post)
		for j, live := range alive {
			u.Dead[j] = !live && !notNumbers[j]
			if notNumbers[j] {
				u.Saturated[j] = math.NaN()
			}
		}
		out = append(out, u)
	}
	return out
}

// saturatedByUnit sets frac[j] to the fraction of rows where column j is
// saturated (see flatness; all rows when f′ ≡ 0).
//
//	x, y: [examples, units], y = f(x); frac: [units]
func saturatedByUnit(frac []float64, f act.Func, x, y *tensor.Matrix) {
	if x.Rows == 0 {
		return
	}
	rule := flatnessOf(f)
	counts := make([]int, len(frac))
	for i := range x.Rows {
		out := y.Row(i)
		for j, v := range x.Row(i) {
			if rule.saturated(v, out[j]) {
				counts[j]++
			}
		}
	}
	for j, c := range counts {
		frac[j] = float64(c) / float64(x.Rows)
	}
}

// columnsWithNaN reports, for each column, whether a or b holds a NaN in it.
//
//	a, b: [examples, units]; the result: [units]
func columnsWithNaN(a, b *tensor.Matrix) []bool {
	nan := make([]bool, a.Cols)
	for _, m := range []*tensor.Matrix{a, b} {
		for i := range m.Rows {
			for j, v := range m.Row(i) {
				if v != v {
					nan[j] = true
				}
			}
		}
	}
	return nan
}
