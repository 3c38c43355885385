package nn

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/wigglenn/wiggle/act"
)

// Spec describes a network's architecture: its input width and its layers in
// order. It is what model files store to rebuild a network, as JSON.
type Spec struct {
	In     int         `json:"in"`
	Layers []LayerSpec `json:"layers"`
}

// LayerSpec describes one layer. Type is "dense" (In, Out), "activation"
// (Act, an act.Parse spec), "prelu" (Units: 1 for one shared slope, or the
// width; Slope: the initial slope, PReLUInit if nil), "maxout" (In, Out,
// Pieces) or "dropout" (P).
type LayerSpec struct {
	Type   string   `json:"type"`
	In     int      `json:"in,omitempty"`
	Out    int      `json:"out,omitempty"`
	Act    string   `json:"act,omitempty"`
	Units  int      `json:"units,omitempty"`
	Slope  *float64 `json:"slope,omitempty"`
	Pieces int      `json:"pieces,omitempty"`
	P      float64  `json:"p,omitempty"`
}

// String writes s on one line, its input then each layer:
// "in 2, dense 2→16, relu, dropout 0.1, dense 16→3".
func (s Spec) String() string {
	out := fmt.Sprintf("in %d", s.In)
	for _, l := range s.Layers {
		out += ", " + l.String()
	}
	return out
}

// String writes one layer as Spec.String does.
func (l LayerSpec) String() string {
	switch l.Type {
	case "dense":
		return fmt.Sprintf("dense %d→%d", l.In, l.Out)
	case "activation":
		return l.Act
	case "prelu":
		return fmt.Sprintf("prelu (%d slopes)", l.Units)
	case "maxout":
		return fmt.Sprintf("maxout %d→%d (%d pieces)", l.In, l.Out, l.Pieces)
	case "dropout":
		return fmt.Sprintf("dropout %g", l.P)
	}
	return l.Type
}

// Spec describes s; a nil s, as the zero Spec.
func (s *Sequential) Spec() Spec {
	if s == nil {
		return Spec{}
	}
	spec := Spec{In: s.In}
	for _, l := range s.Layers {
		spec.Layers = append(spec.Layers, l.Spec())
	}
	return spec
}

// MaxParams bounds the parameters Build makes: 2^28 float32s, 1 GiB of
// weights, which training holds three or four times over (gradients,
// optimizer state); the widest network wiggle's benchmarks train has 20M.
// A width that would pass it is far more likely a mistake than a network:
// refused, it is an error rather than the runtime's fatal "out of memory".
// A network below it may still not fit a small machine's memory (wiggle
// train refuses such a one before building it, from the limits it reads).
const MaxParams = 1 << 28

// SizeError is CheckSize's error, and so Build's, for a network of more
// than MaxParams parameters.
type SizeError struct {
	Params float64 // as Spec.Params counts them
}

func (e *SizeError) Error() string {
	return fmt.Sprintf("%.4g parameters (%s of float32); at most %d (1 GiB) are built", e.Params, bytesOf(4*e.Params), MaxParams)
}

// CheckSize refuses a spec of more than MaxParams parameters with a
// *SizeError, before anything is allocated.
func (s Spec) CheckSize() error {
	if n := s.Params(); n > MaxParams {
		return &SizeError{Params: n}
	}
	return nil
}

// Params counts the parameters of the dense, maxout and prelu layers s
// describes, in float64 so that no width overflows it. Widths are taken
// as given, unchecked (Build checks them), and by their magnitude, so
// that a negative one cannot hide a large one from MaxParams.
func (s Spec) Params() float64 {
	var n float64
	for _, ls := range s.Layers {
		in, out, pieces := math.Abs(float64(ls.In)), math.Abs(float64(ls.Out)), math.Abs(float64(ls.Pieces))
		switch ls.Type {
		case "dense":
			n += (in + 1) * out
		case "maxout":
			n += (in + 1) * out * pieces
		case "prelu":
			n += math.Abs(float64(ls.Units))
		}
	}
	return n
}

// paramName is the name of the i-th layer's parameter base in the network,
// as PyTorch's state_dict names it: "0.weight".
func paramName(i int, base string) string { return strconv.Itoa(i) + "." + base }

// ParamShape is a parameter's name in the network ("0.weight", as in
// PyTorch's state_dict) and its shape.
type ParamShape struct {
	Name  string
	Shape []int
}

// ParamShapes lists the parameters Build makes for s, in the network's
// order, without making them: a file's tensors can be checked against
// them before anything is allocated. Widths are taken as given, as Params
// takes them.
func (s Spec) ParamShapes() []ParamShape {
	var out []ParamShape
	for i, ls := range s.Layers {
		name := func(p string) string { return paramName(i, p) }
		switch ls.Type {
		case "dense":
			out = append(out, ParamShape{name("weight"), []int{ls.Out, ls.In}}, ParamShape{name("bias"), []int{ls.Out}})
		case "maxout":
			out = append(out, ParamShape{name("weight"), []int{ls.Out * ls.Pieces, ls.In}}, ParamShape{name("bias"), []int{ls.Out * ls.Pieces}})
		case "prelu":
			out = append(out, ParamShape{name("weight"), []int{ls.Units}})
		}
	}
	return out
}

// MLPOptions shapes the hidden layers NewMLPSpec builds. Values other
// than the defaults named here go into the Spec as given, for Build to
// check: a Pieces below 1 or a Dropout outside [0, 1) is Build's error,
// not a quiet default.
type MLPOptions struct {
	Pieces       int     // linear pieces of each maxout unit (act "maxout"); 2 if 0
	PReLUPerUnit bool    // one PReLU slope per unit instead of one per layer
	Dropout      float64 // dropout rate after each hidden activation; 0 for none
}

// NewMLPSpec describes a fully-connected network: for each hidden width, a
// Dense layer and the activation act (a catalogue spec such as "relu" or
// "leaky_relu(negative_slope=0.2)"), then a Dense output layer. Two names are
// layers rather than functions: prelu is a learnable PReLU layer, its weight
// parameter the initial slope ("prelu" starts at PReLUInit,
// "prelu(weight=0.1)" at 0.1), and "maxout" replaces Dense and activation by
// a Maxout layer. Build makes the network (then InitDefault or Init: Build
// leaves its weights 0).
func NewMLPSpec(in int, hidden []int, out int, activation string, opt MLPOptions) Spec {
	spec := Spec{In: in}
	width := in
	slope, isPReLU := preluSlope(activation)
	for _, h := range hidden {
		switch {
		case activation == "maxout":
			spec.Layers = append(spec.Layers, LayerSpec{Type: "maxout", In: width, Out: h, Pieces: cmp.Or(opt.Pieces, 2)})
		case isPReLU:
			units := 1
			if opt.PReLUPerUnit {
				units = h
			}
			spec.Layers = append(spec.Layers, LayerSpec{Type: "dense", In: width, Out: h}, LayerSpec{Type: "prelu", Units: units, Slope: slope})
		default:
			spec.Layers = append(spec.Layers, LayerSpec{Type: "dense", In: width, Out: h}, LayerSpec{Type: "activation", Act: activation})
		}
		if opt.Dropout != 0 { // a negative or NaN rate too: Build refuses it
			spec.Layers = append(spec.Layers, LayerSpec{Type: "dropout", P: opt.Dropout})
		}
		width = h
	}
	spec.Layers = append(spec.Layers, LayerSpec{Type: "dense", In: width, Out: out})
	return spec
}

// preluSlope reports whether spec names prelu, and its initial slope if it
// gives one.
func preluSlope(spec string) (*float64, bool) {
	f, err := act.Parse(spec)
	if err != nil || f.Name() != "prelu" {
		return nil, false
	}
	if spec == "prelu" {
		return nil, true
	}
	w, _ := strconv.ParseFloat(act.Params(f)["weight"], 64) // a number: act checked it
	return &w, true
}

// Build makes the network spec describes, with zero weights and biases and
// PReLU slopes at their spec's Slope (PReLUInit if it has none; a built
// layer's Spec has none: its slopes are parameters). Dropout layers draw
// their masks from sources seeded from rng. The error says which layer is
// wrong and why.
//
// Zero weights are for values loaded after (as modelio does): trained from
// there, a network's hidden units stay alike and, with relu or tanh, get
// no gradient at all, so it learns nothing but its output biases. Give it
// starting weights first with InitDefault (PyTorch's) or Init, as NewMLP
// does.
func Build(spec Spec, rng *rand.Rand) (*Sequential, error) { return build(spec, rng, carved, nil) }

// BuildSharing is Build for a network whose parameters' values are given,
// not made: value returns each parameter's, by its name and shape, and the
// network holds them as they are, shared with the caller, not copied.
// Values of another length than the shape holds, nil among them, are an
// error. The gradients are made at the first Backward that needs them, so
// a network that only infers, as a model loaded to serve
// (modelio.FromFileShared), costs the memory of its values and buffers
// alone; its buffers are ordinary Go memory, not the huge pages Build
// backs at once for a training's first step. Dropout's masks come from a
// fixed source.
func BuildSharing(spec Spec, value func(name string, shape []int) []float32) (*Sequential, error) {
	if value == nil {
		return nil, fmt.Errorf("no values to share (value is nil)")
	}
	return build(spec, rand.New(rand.NewPCG(0, 0)), shared, value)
}

// build makes spec's network with its parameters in store; where store is
// shared, value gives each parameter's values as the layer is made.
func build(spec Spec, rng *rand.Rand, store storage, value func(name string, shape []int) []float32) (*Sequential, error) {
	if spec.In < 1 {
		return nil, fmt.Errorf("architecture: input width %d; want at least 1", spec.In)
	}
	if len(spec.Layers) == 0 {
		return nil, fmt.Errorf("architecture: no layers")
	}
	if err := spec.CheckSize(); err != nil {
		return nil, fmt.Errorf("architecture: %w", err)
	}
	layers := make([]Layer, len(spec.Layers))
	width := spec.In
	for i, ls := range spec.Layers {
		l, err := buildLayer(ls, width, rng, store)
		if err != nil {
			return nil, fmt.Errorf("architecture: layer %d (%s): %w", i, ls.Type, err)
		}
		if store == shared {
			if err := share(l, i, value); err != nil {
				return nil, err
			}
		}
		layers[i] = l
		width = l.OutSize(width)
	}
	return NewSequential(spec.In, layers...), nil
}

// share gives each parameter of l, the network's i-th layer, the values
// value returns for its name in the network ("0.weight"), which must be as
// many as its shape holds.
func share(l Layer, i int, value func(name string, shape []int) []float32) error {
	for _, p := range l.Params() {
		name := paramName(i, p.Name)
		v, n := value(name, slices.Clone(p.Shape)), valuesIn(p.Shape)
		if len(v) != n {
			return fmt.Errorf("parameter %s of shape %v: %d values given, want %d", name, p.Shape, len(v), n)
		}
		p.Value = v
	}
	return nil
}

// bytesOf writes a size in bytes for people: "1.5 GB", "40 PB".
func bytesOf(b float64) string {
	units := []string{"B", "kB", "MB", "GB", "TB", "PB", "EB"}
	i := 0
	for ; b >= 1000 && i < len(units)-1; i++ {
		b /= 1000
	}
	return fmt.Sprintf("%.3g %s", b, units[i])
}

// takes reports whether the layer ls describes can take inputs of width:
// a dense or maxout layer its In, a prelu layer one slope or one a unit;
// the others (and types nn does not know) any width.
func (ls LayerSpec) takes(width int) error {
	switch ls.Type {
	case "dense", "maxout":
		if ls.In != width {
			return fmt.Errorf("takes %d inputs but receives %d", ls.In, width)
		}
	case "prelu":
		if ls.Units != 1 && ls.Units != width {
			return fmt.Errorf("%d slopes for %d units; want 1 or %d", ls.Units, width, width)
		}
	}
	return nil
}

func buildLayer(ls LayerSpec, width int, rng *rand.Rand, store storage) (Layer, error) {
	if err := ls.takes(width); err != nil {
		return nil, err
	}
	switch ls.Type {
	case "dense", "maxout":
		if ls.Out < 1 {
			return nil, fmt.Errorf("%d outputs; want at least 1", ls.Out)
		}
		if ls.Type == "dense" {
			return newDense(store, ls.In, ls.Out), nil
		}
		if ls.Pieces < 1 {
			return nil, fmt.Errorf("%d pieces; want at least 1", ls.Pieces)
		}
		return newMaxout(store, ls.In, ls.Out, ls.Pieces), nil
	case "activation":
		f, err := act.Parse(ls.Act)
		if err != nil {
			return nil, err
		}
		a := NewActivation(f)
		a.store = store
		return a, nil
	case "prelu":
		slope := float32(PReLUInit)
		if ls.Slope != nil {
			if !(math.Abs(*ls.Slope) <= math.MaxFloat32) { // NaN too; 1e39 would be float32's +Inf
				return nil, fmt.Errorf("initial slope %v; want a finite number float32 holds (at most 3.4e38 in size)", *ls.Slope)
			}
			slope = float32(*ls.Slope)
		}
		return newPReLU(store, ls.Units, slope), nil
	case "dropout":
		if !(ls.P >= 0 && ls.P < 1) {
			return nil, fmt.Errorf("rate %g; want 0 <= p < 1", ls.P)
		}
		if rng == nil {
			return nil, fmt.Errorf("no random source (rng is nil) to seed its masks from")
		}
		d := NewDropoutPCG(ls.P, rand.NewPCG(rng.Uint64(), rng.Uint64()))
		d.store = store
		return d, nil
	}
	return nil, fmt.Errorf("unknown layer type %q; want dense, activation, prelu, maxout or dropout", ls.Type)
}
