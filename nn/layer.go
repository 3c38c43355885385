// Package nn builds fully-connected networks from layers: Dense (y = x·Wᵀ + b,
// W as [out, in] like torch.nn.Linear) and Activation (any act.Func),
// chained by Sequential and trained by backpropagation.
//
// A layer's Forward returns a matrix the layer owns and reuses: it stays valid
// until the layer's next Forward (in a frozen network's inference, until an
// activation after it runs in place over it: see Sequential.Freeze). Backward takes the gradient of the loss with
// respect to the layer's output (dOut), accumulates (+=) the gradients of the
// layer's parameters, and returns the gradient with respect to its input
// (dX), also owned by the layer.
//
// Programmer's errors panic, naming what is wrong, before anything
// changes: a nil matrix, or one whose Data does not hold its Rows×Cols
// values, given to Forward or Backward (a *tensor.ShapeError, as for
// widths that do not fit; Dropout out of training passes its matrices on
// as they are); a nil layer or act.Func; and a layer written as a literal,
// which lacks the parameters (or, for Dropout, the source) its New
// function gives it. Make layers with their New functions or Build.
//
// Concurrency: a layer keeps the buffers of its last Forward and Backward,
// so a network is not safe for concurrent use. For evaluation on several
// goroutines, give each a Replica (the model package does this).
package nn

import (
	"fmt"

	"github.com/wigglenn/wiggle/internal/hugepages"
	"github.com/wigglenn/wiggle/tensor"
)

// Layer is one module of a Sequential.
type Layer interface {
	// Forward computes the output for a batch x: [batch, in] → [batch, out].
	// training is false at evaluation (it matters to dropout).
	Forward(x *tensor.Matrix, training bool) *tensor.Matrix
	// Backward takes dOut: [batch, out] for the batch of the last Forward,
	// accumulates the parameters' gradients and returns dX: [batch, in].
	Backward(dOut *tensor.Matrix) *tensor.Matrix
	// Params lists the learnable tensors, in PyTorch's state_dict order.
	Params() []*Param
	// OutSize is the width of the output for an input of width in.
	OutSize(in int) int
	// Spec describes the layer, enough to build it again (see Build).
	Spec() LayerSpec
}

// Param is one learnable tensor with its gradient, named as in PyTorch's
// state_dict ("0.weight", "0.bias"). On Linux the Value and Grad of a
// network's own layers (Build, the New functions) lie in huge pages where
// the kernel gives them: their own from 4 MiB on, else shared slabs of
// them (internal/hugepages.Carve). A Replica's and BuildSharing's hold the
// values they are given and no Grad (nil) until a Backward makes one.
type Param struct {
	Name  string
	Shape []int     // [out, in] for a weight matrix, [out] for a bias
	Value []float32 // row-major
	Grad  []float32 // same length as Value (or nil, see above); Backward adds to it
	// Decay is true for weight matrices: L2 and weight decay apply to them,
	// not to biases or PReLU slopes.
	Decay bool
	// lazy marks a parameter of a Replica or of BuildSharing: its Value is
	// given and its Grad is made at the first Backward that needs it
	// (grad).
	lazy bool
	// owner is the network whose NewSequential named the parameter last:
	// a network whose layer another has taken since no longer owns it
	// (Check).
	owner *Sequential
}

// grad returns p's gradient, made first where p is lazy.
func (p *Param) grad() []float32 {
	if p.Grad == nil && p.lazy {
		p.Grad = make([]float32, len(p.Value))
	}
	return p.Grad
}

// newParam makes a parameter with its value and gradient in store (where
// store is shared, with neither: see lazy). It
// panics, before it allocates, on a size below 1 or one of more than
// MaxParams values (see the constructors' docs; Build returns errors
// instead): the runtime's own end, out of memory, cannot be recovered.
func newParam(store storage, name string, decay bool, shape ...int) *Param {
	n := 1
	for _, s := range shape {
		if s < 1 || s > MaxParams || n*s > MaxParams {
			panic(fmt.Sprintf("nn: a %s of shape %v: each size must be from 1 and the whole hold at most MaxParams (%d) values; nn.Build returns such sizes as errors", name, shape, MaxParams))
		}
		n *= s
	}
	if store == shared {
		return &Param{Name: name, Shape: shape, Decay: decay, lazy: true}
	}
	return &Param{Name: name, Shape: shape, Value: hugepages.Carve(n), Grad: hugepages.Carve(n), Decay: decay}
}

// made is a layer of this package, which can say what it lacks of what its
// New function gives it.
type made interface {
	// unmade says what the layer lacks, as a literal may, or "" where
	// nothing is missing.
	unmade() string
}

// mustBeMade panics, saying what is missing, where l lacks what its New
// function gives it: a layer written as a literal, whose Forward would
// otherwise dereference nil or index past its parameters.
func mustBeMade(l made) {
	if what := l.unmade(); what != "" {
		panic("nn: " + what)
	}
}

// mustBeLayers panics, naming the layer, where one is nil, one of this
// package's lacks what its New function gives it, or another has a nil
// parameter: NewSequential checks them all before it names any parameter.
func mustBeLayers(layers []Layer) {
	for i, l := range layers {
		what := ""
		switch l := l.(type) {
		case nil:
			what = "nil"
		case made:
			what = l.unmade()
		default:
			for _, p := range l.Params() {
				if p == nil {
					what = fmt.Sprintf("a %T with a nil parameter", l)
				}
			}
		}
		if what != "" {
			panic(fmt.Sprintf("nn: NewSequential: layer %d: %s", i, what))
		}
	}
}

// valuesIn is the number of values a parameter of the given shape holds.
func valuesIn(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}

// whole reports whether p holds n values and as many gradients, or none
// yet where it is lazy.
func whole(p *Param, n int) bool {
	return len(p.Value) == n && (len(p.Grad) == n || p.lazy && p.Grad == nil)
}

// storage is where a layer's parameters and the buffers it keeps from
// batch to batch (its outputs and input gradients) live.
type storage uint8

const (
	// carved is a network's own: in shared slabs of huge pages
	// (hugepages.Carve), already backed, so that a training's first step
	// does not fault its buffers in a 4 KiB page at a time. The zero value,
	// so that a layer made as a literal is a network's own too.
	carved storage = iota
	// shared is a Replica's and BuildSharing's: no memory of its own for
	// the parameters, whose values are given (the original's, the
	// caller's) and whose gradients are made at a first Backward (lazy),
	// and buffers of ordinary Go memory, kept only as long as the network
	// lives, perhaps one evaluation (carved, each would hold its slab).
	shared
)

// keep returns m, a buffer the layer keeps, reshaped to rows×cols: its
// first storage carved for a network's own (tensor's ReshapeKept).
func (s storage) keep(m *tensor.Matrix, rows, cols int) *tensor.Matrix {
	if s == carved {
		return m.ReshapeKept(rows, cols)
	}
	return m.Reshape(rows, cols)
}
