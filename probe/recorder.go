package probe

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/tensor"
)

// LayerStats is one hidden layer's health over one epoch. A hidden layer is
// a Dense module and the activation after it, or a Maxout layer; it is
// numbered from 1, as CS231n numbers layers.
type LayerStats struct {
	Layer      int    `json:"layer"`
	Activation string `json:"activation"`
	Units      int    `json:"units"`

	PreMean float64 `json:"pre_activation_mean"`
	PreStd  float64 `json:"pre_activation_std"`
	ActMean float64 `json:"activation_mean"`
	ActStd  float64 `json:"activation_std"`
	// Dead is the fraction of units whose output is 0, with the weights at
	// the end of the epoch, on every example of the training set (or of an
	// even sample of MaxDeadSample rows from a larger one); NaN where an
	// output there is NaN (see DeadFraction), null in JSON, which has no
	// NaN.
	Dead float64 `json:"dead_fraction"`
	// Saturated is the fraction of unit-examples that were saturated
	// (sampled steps): on a tail where the activation flattens, its output
	// not 0 (see Health; relu's off side is not saturation).
	Saturated float64 `json:"saturated_fraction"`
	// WeightGradNorm and InputGradNorm are ‖dW‖ of the layer's weights and
	// ‖dX‖ reaching its input, means over the sampled steps.
	WeightGradNorm float64 `json:"weight_grad_norm"`
	InputGradNorm  float64 `json:"input_grad_norm"`
	// UpdateRatio is ‖ΔW‖/‖W‖ of one optimizer step, mean over the sampled
	// steps.
	UpdateRatio float64 `json:"update_ratio"`
	// IdlePieces, of a maxout layer, is the fraction of its pieces that
	// win on none of the examples Dead is measured on (with the epoch's
	// last weights, in evaluation mode): no gradient from those examples
	// reaches them, as none reaches a dead relu unit (a maxout unit does
	// not die; its pieces may). 0, and left out of the JSON, for other
	// layers and where every piece wins somewhere.
	IdlePieces float64 `json:"idle_piece_fraction,omitempty"`
	Pieces     int     `json:"pieces,omitempty"` // a maxout layer's pieces a unit; 0 for other layers
	// DeadAtStart and SaturatedAtStart are the layer's Dead and Saturated
	// with the weights training started from (Health on the rows Dead is
	// measured on), so that a warning tells units the initialisation left
	// dead or on a tail from those training put there; nil where not known
	// (a Recorder not checked before its first step, a NaN there, a PReLU
	// or maxout layer, which Health does not measure). Each epoch's are its
	// own: compare them by value, not with ==.
	DeadAtStart      *float64 `json:"dead_at_start,omitempty"`
	SaturatedAtStart *float64 `json:"saturated_at_start,omitempty"`
	// PreStdAtStart is the std of the layer's pre-activations at those
	// weights, on those rows: a first layer's std far past LargePreStd
	// there comes of its inputs' scales, one that grew since of its
	// weights. nil where not known, as the others.
	PreStdAtStart *float64 `json:"pre_activation_std_at_start,omitempty"`
}

// MarshalJSON writes s as its fields' tags say, a Dead of NaN as null.
func (s LayerStats) MarshalJSON() ([]byte, error) {
	type plain LayerStats // its fields and tags, without this method
	var dead *float64
	if !math.IsNaN(s.Dead) {
		dead = &s.Dead
	}
	return json.Marshal(struct {
		plain
		Dead *float64 `json:"dead_fraction"`
	}{plain(s), dead})
}

// UnmarshalJSON reads what MarshalJSON writes: a dead_fraction of null
// as NaN.
func (s *LayerStats) UnmarshalJSON(b []byte) error {
	type plain LayerStats
	aux := struct {
		*plain
		Dead *float64 `json:"dead_fraction"`
	}{plain: (*plain)(s)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	s.Dead = math.NaN()
	if aux.Dead != nil {
		s.Dead = *aux.Dead
	}
	return nil
}

// EpochHealth is every hidden layer's health after one epoch.
type EpochHealth struct {
	Epoch  int          `json:"epoch"`
	Layers []LayerStats `json:"layers"`
}

// Recorder watches a network train. At the first step of each epoch and
// every Every-th step after it, it takes the moments of the
// pre-activations and activations, the saturation, the gradient norms and
// the update ratio from values the step computed anyway (so that an epoch
// of fewer steps than Every is measured too);
// at the end of each epoch it runs the training rows (or an even sample of
// them) through the network once to find the dead units.
type Recorder struct {
	Every  int // the sampling period; 10 if 0
	net    *nn.Sequential
	sample *tensor.Matrix
	layers []*watch
	series []EpochHealth
	step   int                 // in this epoch
	start  map[int]startHealth // by hidden number, at the weights training started from

	sampleFinite bool // Check found every value of sample finite
}

// MaxDeadSample bounds the rows the end-of-epoch pass for dead units takes,
// so that it costs a few percent of an epoch however large the data.
const MaxDeadSample = 4096

// watch follows one hidden layer.
type watch struct {
	index  int // 1-based
	dense  *nn.Dense
	f      act.Func // nil for a PReLU or a Maxout
	flat   flatness // f's saturation rule
	prelu  *nn.PReLU
	maxout *nn.Maxout
	layer  nn.Layer // the Activation, PReLU or Maxout whose output is the hidden layer's (Check finds it still there)
	output func() (x, y *tensor.Matrix)

	alive                []bool
	outputNaN            bool // an output NaN at the epoch's end: Dead is not defined
	pre, post            moments
	satCount, satTotal   float64
	idlePieces           float64 // a maxout layer's, at the epoch's end
	dW, dX, ratio        float64
	sampled, ratioSample int
	before               []float32
}

// NewRecorder watches every Dense module of net that an activation or a
// PReLU follows, and every Maxout layer (its pieces' Dense, their values
// its pre-activations; a maxout unit is dead where it outputs 0 on every
// example, and never saturated: one of its pieces passes each gradient
// whole).
//
// x is the training data: all of it, or MaxDeadSample evenly spaced rows,
// is kept for the end-of-epoch pass. A nil net gives a Recorder that
// watches nothing, which Check refuses.
func NewRecorder(net *nn.Sequential, x *tensor.Matrix) *Recorder {
	r := &Recorder{net: net, sample: evenRows(x, MaxDeadSample)}
	if net == nil {
		return r
	}
	for i, number := range hiddenNumbers(net) {
		if number == 0 {
			continue
		}
		if m, ok := net.Layers[i].(*nn.Maxout); ok {
			r.layers = append(r.layers, &watch{index: number, dense: m.Linear, maxout: m, layer: m, alive: make([]bool, m.Out),
				output: func() (x, y *tensor.Matrix) { return m.PieceValues(), m.Output() }})
			continue
		}
		d := net.Layers[i-1].(*nn.Dense)
		w := &watch{index: number, dense: d, layer: net.Layers[i], alive: make([]bool, d.Out)}
		switch next := net.Layers[i].(type) {
		case *nn.Activation:
			w.f = next.F
			w.flat = flatnessOf(next.F)
			w.output = func() (x, y *tensor.Matrix) { return next.Input(), next.Output() }
		case *nn.PReLU:
			w.prelu = next
			w.output = func() (x, y *tensor.Matrix) { return next.Input(), next.Output() }
		}
		r.layers = append(r.layers, w)
	}
	return r
}

// hiddenNumbers gives each layer of net that makes a hidden layer's
// output (an Activation or PReLU right after a Dense, or a Maxout) the
// hidden layer's number, from 1, as LayerStats counts them; 0 for the
// other layers.
func hiddenNumbers(net *nn.Sequential) []int {
	numbers := make([]int, len(net.Layers))
	hidden := 0
	for i := range net.Layers {
		if endsHidden(net, i) {
			hidden++
			numbers[i] = hidden
		}
	}
	return numbers
}

// endsHidden reports whether layer i of net makes a hidden layer's
// output: a Maxout, or an Activation or PReLU right after a Dense.
func endsHidden(net *nn.Sequential, i int) bool {
	switch net.Layers[i].(type) {
	case *nn.Maxout:
		return true
	case *nn.Activation, *nn.PReLU:
		return afterDense(net, i)
	}
	return false
}

// afterDense reports whether layer i of net follows a Dense layer.
func afterDense(net *nn.Sequential, i int) bool {
	if i == 0 {
		return false
	}
	_, dense := net.Layers[i-1].(*nn.Dense)
	return dense
}

// Check reports whether r can watch net: made by NewRecorder for net,
// with a sample of net's input width and at least one row. train.Fit checks it before it uses
// r.
//
// The first Check before any step also measures the layers at the weights
// training starts from (LayerStats.DeadAtStart).
func (r *Recorder) Check(net *nn.Sequential) error {
	switch {
	case r.net == nil:
		return fmt.Errorf("a Recorder of no network (NewRecorder(nil, x), or a Recorder not made by NewRecorder); make one with NewRecorder(net, x)")
	case r.net != net:
		return fmt.Errorf("the Recorder watches another network; make one with NewRecorder(net, x)")
	case r.sample == nil || r.sample.Cols != net.In:
		return fmt.Errorf("the Recorder's sample has %d columns; the network takes %d inputs", sampleCols(r.sample), net.In)
	case r.sample.Rows == 0:
		return fmt.Errorf("the Recorder's sample has no rows; dead units are found on examples: give NewRecorder the training rows")
	case !r.watchesStill(net):
		return fmt.Errorf("the network's layers changed since NewRecorder(net, x) (a layer replaced, added or removed): the Recorder watches layers no longer there; make a new one with NewRecorder(net, x)")
	}
	if !r.sampleFinite { // once: a trainer checks r at every step, and the sample is r's for good
		if row, col, ok := nanAt(r.sample); ok {
			return fmt.Errorf("the Recorder's sample holds %v (row %d, column %d): dead units are found on the training rows, whose values are finite", r.sample.At(row, col), row, col)
		}
		r.sampleFinite = true
	}
	if r.start == nil && r.step == 0 && len(r.series) == 0 && net.Check() == nil { // a network Forward can run, as a trainer checks it first
		r.measureStart()
	}
	return nil
}

// measureStart keeps each watched layer's dead and saturated shares and
// its pre-activations' std at the weights as they are, before training:
// its hidden number's.
func (r *Recorder) measureStart() {
	r.start = map[int]startHealth{}
	for _, h := range Health(r.net, r.sample) {
		if h.Hidden == 0 {
			continue
		}
		var s startHealth
		if !math.IsNaN(h.Dead) {
			s.dead = &h.Dead
		}
		if !math.IsNaN(h.Saturated) {
			s.saturated = &h.Saturated
		}
		r.start[h.Hidden] = s
	}
	for _, w := range r.layers { // Health's pass left each layer's values of the sample
		x, _ := w.output()
		if x == nil {
			continue
		}
		var m moments
		m.add(x.Data)
		if _, std := m.meanStd(); finite(std) {
			s := r.start[w.index]
			s.preStd = &std
			r.start[w.index] = s
		}
	}
}

// startHealth is a layer's dead and saturated shares and its
// pre-activations' std at the start (nil: not known).
type startHealth struct{ dead, saturated, preStd *float64 }

// watchesStill reports whether the layers r watches are net's hidden
// layers still, each after the Dense it followed: a layer replaced since
// NewRecorder is not run, and its values are not the network's.
func (r *Recorder) watchesStill(net *nn.Sequential) bool {
	k := 0
	for i := range net.Layers { // no hiddenNumbers slice: a trainer checks r at every step
		if !endsHidden(net, i) {
			continue
		}
		if k == len(r.layers) || r.layers[k].layer != net.Layers[i] {
			return false
		}
		if _, maxout := net.Layers[i].(*nn.Maxout); !maxout && r.layers[k].dense != net.Layers[i-1] {
			return false
		}
		k++
	}
	return k == len(r.layers)
}

// nanAt is the first value of x that is not finite (NaN, ±Inf), by row
// and column from 0.
func nanAt(x *tensor.Matrix) (row, col int, ok bool) {
	for i := range x.Rows {
		for j, v := range x.Row(i) {
			if v != v || math.IsInf(float64(v), 0) {
				return i, j, true
			}
		}
	}
	return 0, 0, false
}

func sampleCols(x *tensor.Matrix) int {
	if x == nil {
		return 0
	}
	return x.Cols
}

func (r *Recorder) every() int {
	if r.Every < 1 {
		return 10
	}
	return r.Every
}

// sampling reports whether this step measures the costlier figures.
func (r *Recorder) sampling() bool { return r.step%r.every() == 0 }

// SamplesNextStep reports whether the step about to run is one r measures
// (the first of an epoch and every Every-th after it). Only such a step
// needs every layer's values kept apart (an activation's input beside its
// output, the gradient reaching the first layer's input); a trainer may run
// the others on its fused paths, which compute the same bits, and must
// still call AfterUpdate after each, which counts the steps.
func (r *Recorder) SamplesNextStep() bool { return r.sampling() }

// AfterBackward takes the figures of a sampled step just computed: the
// layers hold its activations and gradients. A sampled step needs the
// full backward pass, net.ZeroGrad then net.Backward, as train.Trainer
// runs it: Gradients and BackwardParams leave out the gradient reaching
// the first layer's input, and a layer without its input gradient (or
// that has run no step yet) is skipped in that step, its figures 0 for
// an epoch of such steps.
func (r *Recorder) AfterBackward() {
	if !r.sampling() {
		return
	}
	for _, w := range r.layers {
		x, y := w.output()
		if x == nil || y == nil || w.dense.InputGrad() == nil {
			continue
		}
		w.pre.add(x.Data)
		w.post.add(y.Data)
		w.satCount += w.saturated(x, y)
		w.satTotal += float64(len(x.Data))
		w.dW += norm(w.dense.W.Grad)
		w.dX += norm(w.dense.InputGrad().Data)
		w.sampled++
	}
}

// BeforeUpdate keeps the weights of a sampled step, to measure the update.
func (r *Recorder) BeforeUpdate() {
	if !r.sampling() {
		return
	}
	for _, w := range r.layers {
		w.before = append(w.before[:0], w.dense.W.Value...)
	}
}

// AfterUpdate measures ‖ΔW‖/‖W‖ of a sampled step and counts the step.
func (r *Recorder) AfterUpdate() {
	if r.sampling() {
		for _, w := range r.layers {
			if len(w.before) != len(w.dense.W.Value) { // no BeforeUpdate in this step: nothing to compare
				continue
			}
			diff, size := changeAndSize(w.dense.W.Value, w.before)
			if size > 0 {
				w.ratio += math.Sqrt(diff / size)
				w.ratioSample++
			}
			w.before = w.before[:0] // used: the next step keeps its own
		}
	}
	r.step++
}

// EndEpoch finds the dead units with the epoch's final weights, closes the
// epoch's figures, keeps them in the series, starts the next epoch afresh
// and returns them.
func (r *Recorder) EndEpoch(epoch int) EpochHealth {
	if r.net != nil { // else r watches nothing
		r.net.Forward(r.sample, false)
	}
	for _, w := range r.layers {
		_, y := w.output()
		markAlive(w.alive, y)
		w.outputNaN = hasNaN(y.Data)
		if w.maxout != nil {
			w.idlePieces = IdlePieces(w.maxout)
		}
	}
	h := EpochHealth{Epoch: epoch}
	for _, w := range r.layers {
		s := w.stats()
		start := r.start[w.index]
		s.DeadAtStart, s.SaturatedAtStart, s.PreStdAtStart = copied(start.dead), copied(start.saturated), copied(start.preStd) // each epoch its own
		h.Layers = append(h.Layers, s)
		w.reset()
	}
	r.series = append(r.series, cloneHealth(h)) // the caller's h shares nothing with what r keeps
	r.step = 0
	return h
}

// Series returns every epoch's health so far: a copy, which the caller
// may change without changing what r keeps (and a checkpoint saves).
func (r *Recorder) Series() []EpochHealth {
	out := make([]EpochHealth, len(r.series))
	for i, h := range r.series {
		out[i] = cloneHealth(h)
	}
	return out
}

// cloneHealth is h with its own layers and figures at the start: it
// shares no storage with h.
func cloneHealth(h EpochHealth) EpochHealth {
	layers := slices.Clone(h.Layers)
	for i := range layers {
		s := &layers[i]
		s.DeadAtStart, s.SaturatedAtStart, s.PreStdAtStart = copied(s.DeadAtStart), copied(s.SaturatedAtStart), copied(s.PreStdAtStart)
	}
	return EpochHealth{Epoch: h.Epoch, Layers: layers}
}

// Started reports whether r has watched a step or holds epochs: a
// Recorder is for one training (train.Fit refuses one that has watched
// another), which a checkpoint's resume takes up again (Continue).
func (r *Recorder) Started() bool { return r.step > 0 || len(r.series) > 0 }

// IdlePieces is the share of m's pieces that won no entry of its last
// Forward (LayerStats.IdlePieces, on the examples that Forward took); 0
// before one, and for a nil m.
func IdlePieces(m *nn.Maxout) float64 {
	if m == nil || m.Winners() == nil {
		return 0
	}
	won := make([]bool, m.Out*m.Pieces)
	for _, p := range m.Winners() {
		won[p] = true
	}
	return fractionDead(won)
}

func (w *watch) stats() LayerStats {
	s := LayerStats{Layer: w.index, Units: len(w.alive)}
	switch {
	case w.f != nil:
		s.Activation = w.f.String()
	case w.maxout != nil:
		s.Activation, s.Pieces = fmt.Sprintf("maxout(pieces=%d)", w.maxout.Pieces), w.maxout.Pieces
	default:
		s.Activation = "prelu"
	}
	s.PreMean, s.PreStd = w.pre.meanStd()
	s.ActMean, s.ActStd = w.post.meanStd()
	s.Dead = fractionDead(w.alive)
	if w.outputNaN {
		s.Dead = math.NaN()
	}
	s.IdlePieces = w.idlePieces
	if w.satTotal > 0 {
		s.Saturated = w.satCount / w.satTotal
	}
	if w.sampled > 0 {
		s.WeightGradNorm, s.InputGradNorm = w.dW/float64(w.sampled), w.dX/float64(w.sampled)
	}
	if w.ratioSample > 0 {
		s.UpdateRatio = w.ratio / float64(w.ratioSample)
	}
	return s
}

func (w *watch) reset() {
	clear(w.alive)
	w.outputNaN = false
	w.pre, w.post = moments{}, moments{}
	w.satCount, w.satTotal, w.dW, w.dX, w.ratio = 0, 0, 0, 0, 0
	w.sampled, w.ratioSample = 0, 0
	w.idlePieces = 0
}

// saturated counts the saturated entries of one step.
func (w *watch) saturated(x, y *tensor.Matrix) float64 {
	if w.prelu != nil || w.maxout != nil {
		return 0 // slope 1 or the learned a, or the winning piece's: PReLU and maxout do not saturate
	}
	return float64(w.flat.count(x.Data, y.Data))
}

// evenRows returns x, or max rows of it evenly spaced.
func evenRows(x *tensor.Matrix, max int) *tensor.Matrix {
	if x == nil || x.Rows <= max {
		return x
	}
	s := tensor.New(max, x.Cols)
	for i := range max {
		copy(s.Row(i), x.Row(i*x.Rows/max))
	}
	return s
}

func markAlive(alive []bool, y *tensor.Matrix) {
	for i := range y.Rows {
		for j, v := range y.Row(i) {
			if v != 0 {
				alive[j] = true
			}
		}
	}
}
