// Package probe measures what activations do to learning, layer by layer:
// dead units, saturation and gradient norms.
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
	Units int
	// Dead is the fraction of units whose output is 0 on every example.
	Dead float64
	// Saturated is the fraction of unit-examples where the local derivative
	// is below 1% of the activation's largest (all of them when f′ ≡ 0, as
	// for step): gradient barely passes there.
	Saturated float64
}

// Health runs x through net in evaluation mode and measures each activation
// layer.
//
//	x: [examples, net.In]
func Health(net *nn.Sequential, x *tensor.Matrix) []LayerHealth {
	net.Forward(x, false)
	var out []LayerHealth
	for i, l := range net.Layers {
		a, ok := l.(*nn.Activation)
		if !ok {
			continue
		}
		out = append(out, LayerHealth{
			Layer:     i,
			Units:     a.Output().Cols,
			Dead:      deadFraction(a.Output()),
			Saturated: saturatedFraction(a.F, a.Input(), a.Output()),
		})
	}
	return out
}

// deadFraction returns the fraction of columns of y that are 0 in every row.
//
//	y: [examples, units]
func deadFraction(y *tensor.Matrix) float64 {
	if y.Cols == 0 {
		return 0
	}
	alive := make([]bool, y.Cols)
	for i := range y.Rows {
		for j, v := range y.Row(i) {
			if v != 0 {
				alive[j] = true
			}
		}
	}
	dead := 0
	for _, a := range alive {
		if !a {
			dead++
		}
	}
	return float64(dead) / float64(y.Cols)
}

// saturatedFraction returns the fraction of entries where |f′(x)| is below
// 1% of f's largest slope.
//
//	x, y: [examples, units]
func saturatedFraction(f act.Func, x, y *tensor.Matrix) float64 {
	if len(x.Data) == 0 {
		return 0
	}
	info, _ := act.Lookup(f.Name())
	deriv := make([]float32, len(x.Data))
	act.Derivative(deriv, f, x.Data, y.Data)
	// Compared in float32, so leaky_relu's float32(0.01) is not below 1%.
	limit := float32(0.01 * info.MaxSlope)
	saturated := 0
	for _, d := range deriv {
		if math.Abs(float64(d)) < float64(limit) || info.MaxSlope == 0 {
			saturated++
		}
	}
	return float64(saturated) / float64(len(deriv))
}

// WeightGradNorms returns ‖dW‖ (Frobenius) of each Dense layer's weight
// gradient as it stands, first layer first.
func WeightGradNorms(net *nn.Sequential) []float64 {
	var norms []float64
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
