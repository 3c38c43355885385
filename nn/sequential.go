package nn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/internal/kernels"
	"github.com/wigglenn/wiggle/tensor"
)

// Sequential chains layers, each feeding the next. Its parameters are named
// as in torch.nn.Sequential: the i-th layer (activations counted) owns
// "i.weight" and "i.bias".
type Sequential struct {
	In     int // input width
	Layers []Layer

	params   []*Param               // every layer's, gathered once
	cleared  []*Param               // those of layers that only add to gradients, which Gradients clears first
	zero     gradZero               // ZeroGrad's halves
	frozen   bool                   // Freeze was called: inference runs activations in place
	distinct bool                   // no layer appears twice (layersDistinct), as in place and GradientsStepping need
	update   kernels.MomentumUpdate // GradientsStepping's step of the weights of the layer in hand
	counts   []int                  // each layer's number of parameters, as NewSequential found them
}

// NewSequential chains layers that take inputs of width in, and names their
// parameters. It panics, naming the layer, before it names any, on a nil
// one or one that lacks what its New function gives it (a layer written as
// a literal).
func NewSequential(in int, layers ...Layer) *Sequential {
	mustBeLayers(layers)
	s := &Sequential{In: in, Layers: layers}
	for i, l := range layers {
		_, sets := l.(gradientSetter)
		s.counts = append(s.counts, len(l.Params()))
		for _, p := range l.Params() {
			if _, base, found := strings.Cut(p.Name, "."); found {
				p.Name = base
			}
			p.Name = paramName(i, p.Name)
			p.owner = s
			s.params = append(s.params, p)
			if !sets {
				s.cleared = append(s.cleared, p)
			}
		}
	}
	s.distinct = s.layersDistinct()
	return s
}

// NewMLP builds the usual fully-connected network: a Dense layer for each
// entry of hidden followed by f, then a Dense output layer of width out. The
// weights take PyTorch's Linear default (see InitDefault) from rng. For
// prelu, each f is a learnable PReLU layer starting at prelu's weight.
//
// NewMLP(2, []int{100}, 3, relu, rng) is Linear(2,100), ReLU, Linear(100,3).
// It panics where NewDense would (Build, from NewMLPSpec, returns an error
// instead), on a nil f where hidden is not empty, and on a nil rng.
func NewMLP(in int, hidden []int, out int, f act.Func, rng *rand.Rand) *Sequential {
	switch {
	case f == nil && len(hidden) > 0:
		panic("nn: NewMLP: a nil act.Func")
	case rng == nil:
		panic("nn: NewMLP: no random source (rng is nil) to initialise the weights from")
	}
	var layers []Layer
	width := in
	for _, h := range hidden {
		layers = append(layers, NewDense(width, h), hiddenActivation(f))
		width = h
	}
	layers = append(layers, NewDense(width, out))
	s := NewSequential(in, layers...)
	InitDefault(s, rng)
	return s
}

// hiddenActivation is the layer that applies f: a learnable PReLU (one
// shared slope starting at prelu's weight) for prelu, else f as it is.
func hiddenActivation(f act.Func) Layer {
	if slope, ok := preluSlope(f.String()); ok && slope != nil {
		return NewPReLU(1, float32(*slope))
	}
	return NewActivation(f)
}

// Replica returns a network with the same layers that shares s's
// parameter values (not their gradients, which it makes at its first
// Backward) and frozen copies (see Freeze) but owns its buffers, so that
// replicas can run Forward on different goroutines at once, for
// evaluation. Nothing may change the shared values meanwhile: training
// either network changes both. It fails for a network of layers that Build
// does not know, and for a nil s.
func (s *Sequential) Replica() (*Sequential, error) {
	if s == nil {
		return nil, errors.New("no network to replicate (nil)")
	}
	values := map[string][]float32{}
	for _, p := range s.params {
		values[p.Name] = p.Value
	}
	r, err := build(s.Spec(), rand.New(rand.NewPCG(0, 0)), shared, func(name string, _ []int) []float32 { return values[name] })
	if err != nil {
		return nil, err
	}
	frozen := s.dense()
	for i, d := range r.dense() {
		d.frozen = frozen[i].frozen
	}
	r.frozen, r.distinct = s.frozen, r.layersDistinct()
	return r, nil
}

// Freeze readies s for inference alone, where its weights no longer
// change: each Dense layer keeps a copy of its weights packed as the
// products read them, so that no call packs them again, a single row costs
// one pass over the weights, and it gives the same bits as among other rows
// (without Freeze, one or two rows go through dot products summed in
// another order). Replicas made after Freeze share the copies. Training
// or changing the weights after Freeze leaves Forward reading the old ones,
// and the backward passes (Backward, Gradients, ...) panic on a frozen
// network. It is not PyTorch's freezing of a layer (requires_grad=False):
// to train some layers and not others, give the optimizer only their
// parameters.
//
// A frozen network's Forward for inference (training false) also runs each
// activation of the catalogue in place over the output of the layer
// before (never over the network's input, nor over the output of a layer
// of another package), and a relu after a Dense layer in that layer's
// product (kernels.MatMulPackedBiasReLU): one pass over memory instead of
// two, or none. The bits are the same. So after such a pass an
// activation's Input, and the output the layer before it returned, hold
// the activation's output, and Backward would not give the gradients of
// an unfrozen network: a frozen network is for inference alone. (Where a
// layer appears twice in s, whose output would then serve twice, nothing
// runs in place; Freeze looks at s.Layers as they are when it is called.)
func (s *Sequential) Freeze() {
	for _, d := range s.dense() {
		d.freeze()
	}
	s.frozen = true
	s.distinct = s.layersDistinct()
}

// Frozen reports whether Freeze was called on s: a network for inference
// alone, which train refuses.
func (s *Sequential) Frozen() bool { return s != nil && s.frozen }

// mustNotBeFrozen panics, naming op, on a frozen s: its Forward reads the
// weights as Freeze packed them and may run activations in place, so a
// backward pass would give gradients of other weights than a step
// changes, or of no network at all.
func (s *Sequential) mustNotBeFrozen(op string) {
	if s.Frozen() {
		panic("nn: Sequential." + op + " of a frozen network: Freeze readies a network for inference alone (to train some layers and not others, step only their parameters); train the network before Freeze, or a copy built again")
	}
}

// layersDistinct reports whether each layer of nn's kinds appears once in
// s, a Dense layer inside a Maxout included, and each parameter once in
// s.params (a layer of another package that appears twice, or wraps one
// of s's layers, shows there when it has parameters).
func (s *Sequential) layersDistinct() bool {
	seen := map[any]bool{}
	for _, p := range s.params {
		if seen[p] {
			return false
		}
		seen[p] = true
	}
	for _, l := range s.Layers {
		var own []any
		switch l := l.(type) {
		case *Maxout:
			own = []any{l, l.Linear}
		case *Dense, *Activation, *PReLU, *Dropout:
			own = []any{l}
		}
		for _, p := range own {
			if seen[p] {
				return false
			}
			seen[p] = true
		}
	}
	return true
}

// dense lists the Dense layers, those inside Maxout layers too, in order.
func (s *Sequential) dense() []*Dense {
	var ds []*Dense
	for _, l := range s.Layers {
		switch l := l.(type) {
		case *Dense:
			ds = append(ds, l)
		case *Maxout:
			ds = append(ds, l.Linear)
		}
	}
	return ds
}

// Forward runs x through every layer.
//
//	x: [batch, In] → [batch, out]
func (s *Sequential) Forward(x *tensor.Matrix, training bool) *tensor.Matrix {
	tensor.MustBeWhole("Sequential.Forward", x)
	if s.frozen && !training {
		return s.infer(x)
	}
	for _, l := range s.Layers {
		x = l.Forward(x, training)
	}
	return x
}

// ForwardFused is Forward(x, true) for a training step in which nothing
// reads the input of a relu layer that follows a Dense layer: that Dense
// layer applies the relu as its product completes each tile
// (kernels.MatMulTransBBiasReLU), a pass over the layer's output fewer,
// and the relu layer's Input is then its Output, until the next Forward.
// relu's derivative reads the same from either (positive where x is, NaN
// where x is NaN, as the same NaN), so Backward and the gradients get the
// same bits as after Forward. A probe (probe.Recorder) reads those
// inputs, and needs Forward. Where a layer appears twice in s, s.Layers
// changed since s was built, or the layer is frozen (Freeze), it is
// Forward.
//
//	x: [batch, In] → [batch, out]
func (s *Sequential) ForwardFused(x *tensor.Matrix) *tensor.Matrix {
	for i := 0; i < len(s.Layers); i++ {
		if d, ok := s.Layers[i].(*Dense); ok && s.asBuilt() && d.frozen == nil && reluAfter(s.Layers, i) {
			x = d.forwardTrainingReLU(x)
			a := s.Layers[i+1].(*Activation)
			a.x, a.y = x, x
			i++
			continue
		}
		x = s.Layers[i].Forward(x, true)
	}
	return x
}

// infer is Forward for inference through a frozen network: each
// activation of the catalogue in place over the output of a layer of
// nn's own (a buffer of this network's that nothing reads again), and a
// relu after a Dense layer in that layer's product (see Freeze).
func (s *Sequential) infer(x *tensor.Matrix) *tensor.Matrix {
	owned := false // x is the output of a layer of this network, which nothing reads again
	for i := 0; i < len(s.Layers); i++ {
		l := s.Layers[i]
		if a, ok := l.(*Activation); ok && owned && s.distinct && act.ForwardsInPlace(a.F) {
			x = a.forwardInPlace(x)
			continue
		}
		if s.distinct && reluNext(s.Layers, i) {
			x = l.(*Dense).forwardReLU(x)
			a := s.Layers[i+1].(*Activation)
			a.x, a.y = x, x
			i++
			owned = true
			continue
		}
		x = l.Forward(x, false)
		switch l.(type) {
		case *Dense, *Maxout, *Activation, *PReLU: // each writes a buffer of its own
			owned = true
		case *Dropout: // passes x on: it is what it was
		default:
			owned = false
		}
	}
	return x
}

// reluNext reports whether layers[i] is a frozen Dense layer and
// layers[i+1] relu.
func reluNext(layers []Layer, i int) bool {
	d, ok := layers[i].(*Dense)
	return ok && d.frozen != nil && reluAfter(layers, i)
}

// asBuilt reports whether s's layers are as NewSequential (or Build,
// Load) found them, each once: what ForwardFused and GradientsStepping
// rely on to share a buffer between layers or step as they go.
func (s *Sequential) asBuilt() bool { return s.distinct && len(s.counts) == len(s.Layers) }

// reluAfter reports whether layers[i+1] is relu of the catalogue.
func reluAfter(layers []Layer, i int) bool {
	if i+1 >= len(layers) {
		return false
	}
	a, ok := layers[i+1].(*Activation)
	return ok && a.F.Name() == "relu" && act.ForwardsInPlace(a.F)
}

// Backward runs dOut back through every layer, accumulating gradients, and
// returns the gradient with respect to the input. It panics on a frozen
// network (see Freeze), as BackwardParams, Gradients and
// GradientsStepping do.
//
//	dOut: [batch, out] → dX: [batch, In]
func (s *Sequential) Backward(dOut *tensor.Matrix) *tensor.Matrix {
	s.mustNotBeFrozen("Backward")
	for i := len(s.Layers) - 1; i >= 0; i-- {
		dOut = s.Layers[i].Backward(dOut)
	}
	return dOut
}

// BackwardParams is Backward for training: it accumulates every
// parameter's gradient but skips the gradient with respect to the input
// where the first layer can (see Dense.BackwardParams), as PyTorch does for
// inputs that do not require a gradient.
//
//	dOut: [batch, out]
func (s *Sequential) BackwardParams(dOut *tensor.Matrix) {
	s.mustNotBeFrozen("BackwardParams")
	for i := len(s.Layers) - 1; i >= 1; i-- {
		dOut = s.Layers[i].Backward(dOut)
	}
	if len(s.Layers) == 0 {
		return
	}
	if first, ok := s.Layers[0].(interface{ BackwardParams(*tensor.Matrix) }); ok {
		first.BackwardParams(dOut)
		return
	}
	s.Layers[0].Backward(dOut)
}

// Gradients sets every parameter's gradient to the batch's, as ZeroGrad
// and then BackwardParams do, with the same results, in fewer passes over
// memory: a Dense layer writes its weight gradient where adding it to
// zeros would clear the gradient first and read it back. (Backward and
// BackwardParams add to the gradients, to sum them over several batches.)
//
//	dOut: [batch, out]
func (s *Sequential) Gradients(dOut *tensor.Matrix) {
	s.mustNotBeFrozen("Gradients")
	tensor.MustBeWhole("Sequential.Gradients", dOut)
	for _, p := range s.cleared {
		clear(p.Grad)
	}
	for i := len(s.Layers) - 1; i >= 0; i-- {
		l := s.Layers[i]
		if g, ok := l.(gradientSetter); ok {
			dOut = g.setGradients(dOut, i > 0, nil) // the first layer's dX: see BackwardParams
			continue
		}
		dOut = l.Backward(dOut) // Dense, the one layer with BackwardParams, is a gradientSetter
	}
}

// gradientSetter is a layer that can set its parameters' gradients rather
// than add to them (Sequential.Gradients), computing dX when wantDX, and
// can hand its weight gradient to a momentum step instead (step, see
// GradientsStepping).
type gradientSetter interface {
	setGradients(dOut *tensor.Matrix, wantDX bool, step *kernels.MomentumUpdate) *tensor.Matrix
}

// Params lists every learnable tensor in state_dict order; none for a nil
// s. The slice is the network's own: read it, do not change it.
func (s *Sequential) Params() []*Param {
	if s == nil {
		return nil
	}
	return s.params
}

// ZeroGrad sets every gradient to 0 (of a nil s, none).
func (s *Sequential) ZeroGrad() {
	if s == nil {
		return
	}
	s.zero.params = s.params
	kernels.Halves(&s.zero, s.zero.elements() >= minSplitZero)
	s.zero.params = nil
}

// minSplitZero is the fewest gradient elements ZeroGrad splits between two
// threads.
const minSplitZero = 1 << 15

// gradZero zeroes gradients in two halves of their elements, one on the
// engine's helper when it is awake (kernels.Parallel): in a training step
// on two threads the helper would otherwise wait while the caller clears
// them (5% of an MNIST step).
type gradZero struct{ params []*Param }

func (z *gradZero) elements() (n int) {
	for _, p := range z.params {
		n += len(p.Grad)
	}
	return n
}

// Run zeroes half i of the elements, counted across the parameters in order.
func (z *gradZero) Run(i int) {
	lo, hi := kernels.Half(i, z.elements(), 16)
	start := 0
	for _, p := range z.params {
		from, to := max(lo-start, 0), min(hi-start, len(p.Grad))
		if from < to {
			clear(p.Grad[from:to])
		}
		start += len(p.Grad)
	}
}

// NonFinite finds the first value of s's parameters, in state_dict
// order, that is NaN or infinite: its parameter and its index there; nil
// where every value is finite.
func (s *Sequential) NonFinite() (*Param, int) {
	for _, p := range s.Params() {
		for i, v := range p.Value {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return p, i
			}
		}
	}
	return nil, 0
}

// OutSize is the width of the network's output; 0 for a nil s.
func (s *Sequential) OutSize() int {
	if s == nil {
		return 0
	}
	w := s.In
	for _, l := range s.Layers {
		w = l.OutSize(w)
	}
	return w
}

// Size counts the network the way CS231n does: neurons are the outputs of
// Dense and Maxout layers (inputs do not count), parameters every
// learnable number. Its String form is "2-100-3: 103 neurons, 603
// parameters". A nil s has the zero Size.
func (s *Sequential) Size() Size {
	if s == nil {
		return Size{}
	}
	sz := Size{Widths: []int{s.In}}
	for _, l := range s.Layers {
		out := 0
		switch l := l.(type) {
		case *Dense:
			out = l.Out
		case *Maxout:
			out = l.Out
		default:
			continue
		}
		sz.Widths = append(sz.Widths, out)
		sz.Neurons += out
	}
	for _, p := range s.Params() {
		sz.Parameters += len(p.Value)
	}
	return sz
}

// Size is a network's layer widths, neuron count and parameter count.
type Size struct {
	Widths     []int
	Neurons    int
	Parameters int
}

func (sz Size) String() string {
	w := make([]string, len(sz.Widths))
	for i, v := range sz.Widths {
		w[i] = strconv.Itoa(v)
	}
	return fmt.Sprintf("%s: %s, %s", strings.Join(w, "-"), counted(sz.Neurons, "neuron"), counted(sz.Parameters, "parameter"))
}

// counted writes n things, "1 neuron", "2 neurons".
func counted(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
