package nn

import (
	"fmt"

	"github.com/wigglenn/wiggle/internal/kernels"
	"github.com/wigglenn/wiggle/tensor"
)

// Dense is a fully-connected layer: y = x·Wᵀ + b, one neuron per output,
// each computing w·x + b over its inputs.
type Dense struct {
	In, Out int
	W, B    *Param // W: [Out, In], B: [Out]

	x         *tensor.Matrix // the input of the last Forward
	out       *tensor.Matrix
	dInput    *tensor.Matrix
	dXNow     bool                   // the last backward pass computed dInput (see InputGrad)
	frozen    *kernels.PackedWeights // W packed once by Freeze; Forward reads it then
	dXProduct kernels.InputGrad      // Backward's dX = dOut·W, its buffer kept from step to step
	store     storage                // where W, B, out and dInput live
}

// NewDense returns an in→out layer with zero weights; see Init to fill them.
// It panics where in or out is below 1 or in·out is above MaxParams (Build
// returns an error for those).
func NewDense(in, out int) *Dense { return newDense(carved, in, out) }

func newDense(store storage, in, out int) *Dense {
	return &Dense{In: in, Out: out, W: newParam(store, "weight", true, out, in), B: newParam(store, "bias", false, out), store: store}
}

// Forward computes y = x·Wᵀ + b.
//
//	x: [batch, In] → y: [batch, Out]
func (d *Dense) Forward(x *tensor.Matrix, _ bool) *tensor.Matrix {
	d.takeInput(x)
	if d.frozen != nil {
		kernels.MatMulPackedBias(d.out.Data, x.Data, d.frozen, d.B.Value, x.Rows)
		return d.out
	}
	kernels.MatMulTransBBias(d.out.Data, x.Data, d.W.Value, d.B.Value, x.Rows, d.Out, d.In)
	return d.out
}

// takeInput keeps x as the input of a forward pass and sizes the output
// for it; a width other than In panics (*tensor.ShapeError).
func (d *Dense) takeInput(x *tensor.Matrix) {
	mustBeMade(d)
	tensor.MustBeWhole("Dense.Forward", x)
	if x.Cols != d.In {
		panic(&tensor.ShapeError{Op: "Dense.Forward", Detail: fmt.Sprintf("input has %d columns, layer takes %d", x.Cols, d.In)})
	}
	d.x = x
	d.out = d.store.keep(d.out, x.Rows, d.Out)
}

// forwardTrainingReLU is Forward and then relu over its output, with the
// same bits, for a layer in training before a relu (ForwardFused): the
// product's tiles apply the relu as they complete (Op.ReLU).
//
//	x: [batch, In] → y: [batch, Out]
func (d *Dense) forwardTrainingReLU(x *tensor.Matrix) *tensor.Matrix {
	d.takeInput(x)
	kernels.MatMulTransBBiasReLU(d.out.Data, x.Data, d.W.Value, d.B.Value, x.Rows, d.Out, d.In)
	return d.out
}

// forwardReLU is Forward and then relu over its output, with the same
// bits, for a frozen layer before a relu: in one pass over the output
// (kernels.MatMulPackedBiasReLU).
//
//	x: [batch, In] → y: [batch, Out]
func (d *Dense) forwardReLU(x *tensor.Matrix) *tensor.Matrix {
	d.takeInput(x)
	kernels.MatMulPackedBiasReLU(d.out.Data, x.Data, d.frozen, d.B.Value, x.Rows)
	return d.out
}

// freeze keeps a packed copy of W for Forward to read (see
// Sequential.Freeze).
func (d *Dense) freeze() { d.frozen = kernels.PackWeights(d.W.Value, d.Out, d.In) }

// Backward accumulates dW += dOutᵀ·x and dB += Σ_rows dOut, and returns
// dX = dOut·W.
//
//	dOut: [batch, Out] → dX: [batch, In]
func (d *Dense) Backward(dOut *tensor.Matrix) *tensor.Matrix {
	return d.backward(dOut, true, true, nil)
}

// BackwardParams is Backward without dX: it only accumulates dW and dB.
// The first layer of a network needs no more, and dX = dOut·W would cost
// as much again as dW.
//
//	dOut: [batch, Out]
func (d *Dense) BackwardParams(dOut *tensor.Matrix) { d.backward(dOut, true, false, nil) }

// setGradients is Backward (BackwardParams without wantDX, returning nil)
// setting dW and dB rather than adding to them (see
// Sequential.Gradients); with step, dW goes straight into that momentum
// step of W (kernels.Op.Step, which may leave W.Grad as it was), and the
// caller steps B.
func (d *Dense) setGradients(dOut *tensor.Matrix, wantDX bool, step *kernels.MomentumUpdate) *tensor.Matrix {
	return d.backward(dOut, false, wantDX, step)
}

// backward computes dX = dOut·W when wantDX, first, as a step of W
// (step) must come after it; then dW = dOutᵀ·x and dB = Σ_rows dOut,
// added to the gradients or (accumulate false) in their place.
//
//	dOut: [batch, Out] → dX: [batch, In]
func (d *Dense) backward(dOut *tensor.Matrix, accumulate, wantDX bool, step *kernels.MomentumUpdate) *tensor.Matrix {
	tensor.MustMatch("Dense.Backward", dOut, d.out)
	batch := dOut.Rows
	var dX *tensor.Matrix
	d.dXNow = wantDX
	if wantDX {
		d.dInput = d.store.keep(d.dInput, dOut.Rows, d.In)
		d.dXProduct.MatMul(d.dInput.Data, dOut.Data, d.W.Value, dOut.Rows, d.Out, d.In)
		dX = d.dInput
	}
	if accumulate {
		kernels.MatMulTransAAcc(d.W.grad(), dOut.Data, d.x.Data, batch, d.Out, d.In)
	} else {
		kernels.MatMulTransAStep(d.W.grad(), dOut.Data, d.x.Data, batch, d.Out, d.In, step) // a nil step: MatMulTransA
		clear(d.B.grad())
	}
	kernels.AddRows(d.B.grad(), dOut.Data, batch, d.Out)
	return dX
}

func (d *Dense) unmade() string {
	if d.W == nil || d.B == nil || d.In < 1 || d.Out < 1 || !whole(d.W, d.In*d.Out) || !whole(d.B, d.Out) {
		return "a Dense layer without In×Out weights and Out biases: make it with NewDense or Build"
	}
	return ""
}

// Params returns W and B.
func (d *Dense) Params() []*Param { return []*Param{d.W, d.B} }

// OutSize returns Out.
func (d *Dense) OutSize(int) int { return d.Out }

// Spec describes the layer.
func (d *Dense) Spec() LayerSpec { return LayerSpec{Type: "dense", In: d.In, Out: d.Out} }

// InputGrad returns dX of the last backward pass, for probes, or nil
// where that pass did not compute it (BackwardParams, and the first
// layer's in Sequential.Gradients), rather than an older pass's.
func (d *Dense) InputGrad() *tensor.Matrix {
	if !d.dXNow {
		return nil
	}
	return d.dInput
}
