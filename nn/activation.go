package nn

import (
	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/tensor"
)

// Activation applies an activation function element-wise. It has no
// parameters; its place in a Sequential still counts in the parameter names,
// as in PyTorch.
type Activation struct {
	F act.Func

	x, y   *tensor.Matrix // input and output of the last Forward
	dInput *tensor.Matrix
}

// NewActivation wraps f as a layer.
func NewActivation(f act.Func) *Activation { return &Activation{F: f} }

// Forward computes y = f(x).
//
//	x: [batch, n] → y: [batch, n]
func (a *Activation) Forward(x *tensor.Matrix, _ bool) *tensor.Matrix {
	a.x = x
	a.y = a.y.Reshape(x.Rows, x.Cols)
	a.F.Forward(a.y.Data, x.Data)
	return a.y
}

// Backward returns dX = f′(x)·dOut.
//
//	dOut: [batch, n] → dX: [batch, n]
func (a *Activation) Backward(dOut *tensor.Matrix) *tensor.Matrix {
	tensor.MustMatch("Activation.Backward", dOut, a.y)
	a.dInput = a.dInput.Reshape(dOut.Rows, dOut.Cols)
	a.dInput.Zero()
	a.F.Backward(a.dInput.Data, dOut.Data, a.x.Data, a.y.Data)
	return a.dInput
}

// Params returns nothing: an activation learns nothing.
func (a *Activation) Params() []*Param { return nil }

// OutSize returns in.
func (a *Activation) OutSize(in int) int { return in }

// Spec describes the layer.
func (a *Activation) Spec() LayerSpec { return LayerSpec{Type: "activation", Act: a.F.String()} }

// Input returns the input of the last Forward, for probes.
func (a *Activation) Input() *tensor.Matrix { return a.x }

// Output returns the output of the last Forward, for probes.
func (a *Activation) Output() *tensor.Matrix { return a.y }

// InputGrad returns dX of the last Backward, for probes.
func (a *Activation) InputGrad() *tensor.Matrix { return a.dInput }
