package nn

import (
	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/internal/kernels"
	"github.com/wigglenn/wiggle/tensor"
)

// Activation applies an activation function element-wise. It has no
// parameters; its place in a Sequential still counts in the parameter names,
// as in PyTorch.
type Activation struct {
	F act.Func

	x, y *tensor.Matrix // input and output of the last Forward
	// own is the layer's own output buffer, y after Forward: y may be
	// another layer's output instead, after a pass in place or fused
	// into a Dense layer's product (infer, ForwardFused), and Forward must
	// not write there.
	own    *tensor.Matrix
	dInput *tensor.Matrix
	halves actHalves // a pass in two halves, one on the engine's helper
	store  storage   // where own and dInput live
}

// NewActivation wraps f as a layer. It panics on a nil f.
func NewActivation(f act.Func) *Activation {
	if f == nil {
		panic("nn: NewActivation: a nil act.Func")
	}
	return &Activation{F: f}
}

// Forward computes y = f(x).
//
//	x: [batch, n] → y: [batch, n]
func (a *Activation) Forward(x *tensor.Matrix, _ bool) *tensor.Matrix {
	mustBeMade(a)
	tensor.MustBeWhole("Activation.Forward", x)
	a.own = a.store.keep(a.own, x.Rows, x.Cols)
	a.x, a.y = x, a.own
	a.halves.run(a.F, a.y.Data, nil, x.Data, nil)
	return a.y
}

func (a *Activation) unmade() string {
	if a.F == nil {
		return "an Activation layer without its act.Func: make it with NewActivation or Build"
	}
	return ""
}

// forwardInPlace computes y = f(x) over x itself, for inference (see
// Sequential.Freeze): x is then both input and output.
func (a *Activation) forwardInPlace(x *tensor.Matrix) *tensor.Matrix {
	a.x, a.y = x, x
	a.halves.run(a.F, x.Data, nil, x.Data, nil)
	return x
}

// Backward returns dX = f′(x)·dOut.
//
//	dOut: [batch, n] → dX: [batch, n]
func (a *Activation) Backward(dOut *tensor.Matrix) *tensor.Matrix {
	tensor.MustMatch("Activation.Backward", dOut, a.y)
	a.dInput = a.store.keep(a.dInput, dOut.Rows, dOut.Cols)
	a.halves.run(a.F, a.dInput.Data, dOut.Data, a.x.Data, a.y.Data)
	return a.dInput
}

// actHalves is an activation's forward pass (y = f(x)) or backward pass
// (dX = f′(x)·dOut, into zeros) in two halves, side by side on the caller
// and the engine's helper when it is awake and the pass is long enough
// (kernels.Halves): between a training step's products the helper would
// otherwise wait. The halves meet at a multiple of 64 elements, so each
// element goes through the same code as in one pass (the vector loops and
// their tails), and the results are the same bits.
type actHalves struct {
	f         act.Func
	out, dOut []float32 // y, or dX with dOut
	x, y      []float32
}

// minSplitAct is the fewest elements an activation's pass splits: a
// [128, 256] layer's, an MNIST step's.
const minSplitAct = 1 << 14

// run computes the pass: forward when dOut is nil, else backward.
func (h *actHalves) run(f act.Func, out, dOut, x, y []float32) {
	h.f, h.out, h.dOut, h.x, h.y = f, out, dOut, x, y
	kernels.Halves(h, len(x) >= minSplitAct)
	*h = actHalves{} // keep no buffers alive
}

// Run computes half i.
func (h *actHalves) Run(i int) {
	lo, hi := kernels.Half(i, len(h.x), 64)
	if h.dOut == nil {
		h.f.Forward(h.out[lo:hi], h.x[lo:hi])
		return
	}
	dX := h.out[lo:hi]
	clear(dX)
	h.f.Backward(dX, h.dOut[lo:hi], h.x[lo:hi], h.y[lo:hi])
}

// Params returns nothing: an activation learns nothing.
func (a *Activation) Params() []*Param { return nil }

// OutSize returns in.
func (a *Activation) OutSize(in int) int { return in }

// Spec describes the layer.
func (a *Activation) Spec() LayerSpec { return LayerSpec{Type: "activation", Act: a.F.String()} }

// Input returns the input of the last forward pass, for probes; after
// Sequential.ForwardFused, a relu that follows a Dense layer has its
// output here (see ForwardFused), until the next Forward.
func (a *Activation) Input() *tensor.Matrix { return a.x }

// Output returns the output of the last Forward, for probes.
func (a *Activation) Output() *tensor.Matrix { return a.y }

// InputGrad returns dX of the last Backward, for probes.
func (a *Activation) InputGrad() *tensor.Matrix { return a.dInput }
