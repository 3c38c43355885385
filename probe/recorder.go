package probe

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/internal/kernels"
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

type moments struct{ n, sum, sq float64 }

func (m *moments) add(v []float32) {
	// Four running sums of each, in variables: a chain of additions each,
	// not one, so that a sampled step costs little beside the step.
	var s0, s1, s2, s3, q0, q1, q2, q3 float64
	i := 0
	for ; i+4 <= len(v); i += 4 {
		a, b, c, d := float64(v[i]), float64(v[i+1]), float64(v[i+2]), float64(v[i+3])
		s0, s1, s2, s3 = s0+a, s1+b, s2+c, s3+d
		q0, q1, q2, q3 = q0+a*a, q1+b*b, q2+c*c, q3+d*d
	}
	for ; i < len(v); i++ {
		f := float64(v[i])
		s0, q0 = s0+f, q0+f*f
	}
	m.sum += (s0 + s1) + (s2 + s3)
	m.sq += (q0 + q1) + (q2 + q3)
	m.n += float64(len(v))
}

func (m moments) meanStd() (float64, float64) {
	if m.n == 0 {
		return 0, 0
	}
	mean := m.sum / m.n
	return mean, math.Sqrt(math.Max(m.sq/m.n-mean*mean, 0))
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
			r.layers = append(r.layers, &watch{index: number, dense: m.Linear, maxout: m, alive: make([]bool, m.Out),
				output: func() (x, y *tensor.Matrix) { return m.PieceValues(), m.Output() }})
			continue
		}
		d := net.Layers[i-1].(*nn.Dense)
		w := &watch{index: number, dense: d, alive: make([]bool, d.Out)}
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
	for i, layer := range net.Layers {
		switch layer.(type) {
		case *nn.Maxout:
			hidden++
			numbers[i] = hidden
		case *nn.Activation, *nn.PReLU:
			if afterDense(net, i) {
				hidden++
				numbers[i] = hidden
			}
		}
	}
	return numbers
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
		return fmt.Errorf("a Recorder not made by NewRecorder")
	case r.net != net:
		return fmt.Errorf("the Recorder watches another network; make one with NewRecorder(net, x)")
	case r.sample == nil || r.sample.Cols != net.In:
		return fmt.Errorf("the Recorder's sample has %d columns; the network takes %d inputs", sampleCols(r.sample), net.In)
	case r.sample.Rows == 0:
		return fmt.Errorf("the Recorder's sample has no rows; dead units are found on examples: give NewRecorder the training rows")
	}
	if r.start == nil && r.step == 0 && len(r.series) == 0 && net.Check() == nil { // a network Forward can run, as a trainer checks it first
		r.measureStart()
	}
	return nil
}

// measureStart keeps each watched layer's dead and saturated shares at the
// weights as they are, before training: its hidden number's.
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
}

// startHealth is a layer's dead and saturated shares at the start (nil:
// not known).
type startHealth struct{ dead, saturated *float64 }

// copied is a new pointer to *p's value (nil for nil): figures handed out
// share no storage with the Recorder's or with one another.
func copied(p *float64) *float64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// share reports whether p is nil or a fraction from 0 to 1.
func share(p *float64) bool { return p == nil || *p >= 0 && *p <= 1 }

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
// layers hold its activations and gradients (a layer that has run no
// step yet is skipped).
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
		s.DeadAtStart, s.SaturatedAtStart = copied(r.start[w.index].dead), copied(r.start[w.index].saturated) // each epoch its own
		h.Layers = append(h.Layers, s)
		w.reset()
	}
	r.series = append(r.series, h)
	r.step = 0
	return h
}

// Series returns every epoch's health so far.
func (r *Recorder) Series() []EpochHealth { return r.series }

// Partial is a Recorder's sums of the epoch in progress: what a
// checkpoint taken in the middle of an epoch keeps, so that the resumed
// run reports that epoch as a run straight through would. Its zero value
// is an epoch not begun.
type Partial struct {
	Step   int            `json:"step"`  // steps done in the epoch
	Every  int            `json:"every"` // the Recorder's sampling (Every, 10 for 0)
	Layers []PartialLayer `json:"layers,omitempty"`
}

// PartialLayer is one watched layer's sums so far in the epoch, which
// EndEpoch turns into its LayerStats.
type PartialLayer struct {
	Pre             [3]float64 `json:"pre"`               // the pre-activations' count, sum and sum of squares
	Post            [3]float64 `json:"post"`              // the activations'
	Saturated       float64    `json:"saturated"`         // saturated entries of the sampled steps
	Entries         float64    `json:"entries"`           // all their entries
	WeightGradNorms float64    `json:"weight_grad_norms"` // sums over the sampled steps
	InputGradNorms  float64    `json:"input_grad_norms"`
	UpdateRatios    float64    `json:"update_ratios"`
	Sampled         int        `json:"sampled"`       // steps sampled
	RatioSampled    int        `json:"ratio_sampled"` // of them, those whose weights were not all 0
	// The layer at the initial weights (LayerStats.DeadAtStart), kept for
	// a run resumed before its first epoch ended.
	DeadAtStart      *float64 `json:"dead_at_start,omitempty"`
	SaturatedAtStart *float64 `json:"saturated_at_start,omitempty"`
}

// CheckPartial reports why r cannot take up partial: sums of another
// number of layers than r watches, or sampled otherwise (Every); a
// negative Step; counts, sums of squares or norms below 0 or not finite,
// or sums that are not finite.
func (r *Recorder) CheckPartial(partial Partial) error {
	switch {
	case partial.Layers != nil && len(partial.Layers) != len(r.layers) && r.watchesMaxout():
		return fmt.Errorf("the probe's sums are of %d layers; the Recorder watches %d, its maxout layers among them, which the probe of an earlier wiggle did not watch: continue that run without a Recorder", len(partial.Layers), len(r.layers))
	case partial.Layers != nil && len(partial.Layers) != len(r.layers):
		return fmt.Errorf("the probe's sums are of %d layers; the Recorder watches %d", len(partial.Layers), len(r.layers))
	case partial.Every != 0 && partial.Every != r.every():
		return fmt.Errorf("the probe sampled every %d steps; this Recorder samples every %d (Every): set it as the run's was", partial.Every, r.every())
	case partial.Step < 0:
		return fmt.Errorf("the probe's sums are of %d steps; want 0 or more", partial.Step)
	}
	for i, l := range partial.Layers {
		counts := []float64{l.Pre[0], l.Pre[2], l.Post[0], l.Post[2], l.Saturated, l.Entries, l.WeightGradNorms, l.InputGradNorms, l.UpdateRatios, float64(l.Sampled), float64(l.RatioSampled)}
		if slices.ContainsFunc(counts, func(v float64) bool { return !(v >= 0) || math.IsInf(v, 0) }) || !finite(l.Pre[1]) || !finite(l.Post[1]) || !share(l.DeadAtStart) || !share(l.SaturatedAtStart) {
			return fmt.Errorf("the probe's sums of layer %d: counts, squares and norms below 0 or not finite; want what a Recorder sums", i+1)
		}
	}
	return nil
}

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

// watchesMaxout reports whether r watches a Maxout layer.
func (r *Recorder) watchesMaxout() bool {
	return slices.ContainsFunc(r.layers, func(w *watch) bool { return w.maxout != nil })
}

// Partial returns the sums of the epoch in progress.
func (r *Recorder) Partial() Partial {
	p := Partial{Step: r.step, Every: r.every()}
	for _, w := range r.layers {
		p.Layers = append(p.Layers, PartialLayer{Pre: [3]float64{w.pre.n, w.pre.sum, w.pre.sq}, Post: [3]float64{w.post.n, w.post.sum, w.post.sq},
			Saturated: w.satCount, Entries: w.satTotal, WeightGradNorms: w.dW, InputGradNorms: w.dX, UpdateRatios: w.ratio,
			Sampled: w.sampled, RatioSampled: w.ratioSample,
			DeadAtStart: copied(r.start[w.index].dead), SaturatedAtStart: copied(r.start[w.index].saturated)})
	}
	return p
}

// Continue sets r where a checkpoint left the run it resumes: earlier is
// the health of the epochs done, in front of the series (replacing what r
// recorded), and partial the sums of the epoch in progress (the zero
// Partial for none), which must be of as many layers as r watches and
// sampled as r samples.
func (r *Recorder) Continue(earlier []EpochHealth, partial Partial) error {
	if err := r.CheckPartial(partial); err != nil {
		return err
	}
	r.series = slices.Clone(earlier)
	r.step = partial.Step
	r.start = map[int]startHealth{} // the run's start, as its first epoch kept it, or the epoch in progress
	if len(earlier) > 0 {
		for _, s := range earlier[0].Layers {
			r.start[s.Layer] = startHealth{copied(s.DeadAtStart), copied(s.SaturatedAtStart)}
		}
	} else {
		for i, l := range partial.Layers {
			r.start[r.layers[i].index] = startHealth{copied(l.DeadAtStart), copied(l.SaturatedAtStart)}
		}
	}
	for i, w := range r.layers {
		w.reset()
		if partial.Layers == nil {
			continue
		}
		l := partial.Layers[i]
		w.pre, w.post = moments{l.Pre[0], l.Pre[1], l.Pre[2]}, moments{l.Post[0], l.Post[1], l.Post[2]}
		w.satCount, w.satTotal, w.dW, w.dX, w.ratio = l.Saturated, l.Entries, l.WeightGradNorms, l.InputGradNorms, l.UpdateRatios
		w.sampled, w.ratioSample = l.Sampled, l.RatioSampled
	}
	return nil
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

func norm(v []float32) float64 { return math.Sqrt(sumSquares(v)) }

// sumSquares returns Σ v[i]²: on the vector kernels in float32 (a
// weight-sized sum is most of what a sampled step costs the probe), and
// again in float64 where that sum is outside [1e-30, 1e30] (squares past
// 1e19 overflow float32; tiny ones lose their digits, and a vanishing
// gradient is what the probe is there to show). The float32 sum's last
// bits depend on the CPU's kernels: the probe's figures, not the
// training's.
func sumSquares(v []float32) float64 {
	if s := float64(kernels.Dot(v, v)); s > 1e-30 && s < 1e30 {
		return s
	}
	var q0, q1, q2, q3 float64 // four running sums: four chains of additions, not one
	i := 0
	for ; i+4 <= len(v); i += 4 {
		a, b, c, d := float64(v[i]), float64(v[i+1]), float64(v[i+2]), float64(v[i+3])
		q0, q1, q2, q3 = q0+a*a, q1+b*b, q2+c*c, q3+d*d
	}
	for ; i < len(v); i++ {
		q0 += float64(v[i]) * float64(v[i])
	}
	return (q0 + q1) + (q2 + q3)
}

// changeAndSize returns ‖w − before‖² and ‖w‖²; before is left holding
// before − w.
func changeAndSize(w, before []float32) (diff, size float64) {
	kernels.Axpy(before, w, -1)
	return sumSquares(before), sumSquares(w)
}

// Thresholds of the warnings, and the advice each gives.
const (
	DeadLimit      = 0.10
	SaturatedLimit = 0.50
	RatioLow       = 1e-4
	RatioHigh      = 1e-2
)

// Warning is one condition met by one layer.
type Warning struct {
	Layer     int
	Condition string // "dead", "saturated", "update-high", "update-low", "large-inputs"
	Message   string // a sentence for standard error, starting "warning:"
}

// LargePreStd is the std of the first layer's pre-activations above which
// the inputs are taken to be unstandardised: standardised inputs through
// PyTorch's initialisation give a std near 1.
const LargePreStd = 50

// Warnings lists the conditions h meets: a first layer whose
// pre-activations' std passes LargePreStd, a layer past 10% dead units, 50%
// saturation, or an update ratio outside [1e-4, 1e-2], each with what
// usually helps (in a layer past 10% dead, a low ratio is given over the
// live units too, and a higher learning rate, which may kill more, is not
// offered: the dead units' remedies come first). Saturation is
// warned of for the activations that saturate on both sides (sigmoid, tanh
// and their hard forms); for relu and its kin
// the flat side is where dead units come from, and their warning covers it.
// Where the layer's shares at the initial weights are known
// (LayerStats.DeadAtStart), dead units the initialisation left are not
// blamed on the learning rate, saturation that training brought is, and a
// saturated layer's low update ratio is not answered with a higher rate.
func Warnings(h EpochHealth) []Warning {
	var out []Warning
	for k, s := range h.Layers {
		name := fmt.Sprintf("layer %d (%s)", s.Layer, s.Activation)
		if k == 0 && s.PreStd > LargePreStd {
			out = append(out, Warning{s.Layer, "large-inputs", fmt.Sprintf(
				"warning: %s: its pre-activations have a std of %.2g in epoch %d: the inputs are on large scales; standardising them usually helps",
				name, s.PreStd, h.Epoch)})
		}
		info, _ := act.Lookup(strings.SplitN(s.Activation, "(", 2)[0])
		maxout := strings.HasPrefix(s.Activation, "maxout")
		stuck := s.Dead > DeadLimit && !maxout // a maxout unit at 0 still passes its gradient to its winning piece
		if s.Dead > DeadLimit && maxout {
			out = append(out, Warning{s.Layer, "dead", fmt.Sprintf(
				"warning: %s: %.0f%% of its %d units output 0 on every training example in epoch %d; a maxout unit still passes its gradient to its winning piece, so this comes of its weights (all 0, as zeros initialisation leaves them), not of dying: another initialisation usually helps",
				name, 100*s.Dead, s.Units, h.Epoch)})
		}
		switch {
		case stuck && info.Name != "" && info.MaxSlope == 0: // step: no gradient passes, dead or not
			out = append(out, Warning{s.Layer, "dead", fmt.Sprintf(
				"warning: %s: %.0f%% of its %d units are dead (0 on every training example in epoch %d); its f' is 0 everywhere, so no gradient reaches its weights or the layers below, and no learning rate or initialisation helps: backpropagation cannot train it (wiggle lab step); choose another activation",
				name, 100*s.Dead, s.Units, h.Epoch)})
		case stuck:
			out = append(out, Warning{s.Layer, "dead", deadWarning(name, s, h.Epoch)})
		}
		saturated := s.Saturated > SaturatedLimit && info.Saturates == "both sides"
		if saturated {
			out = append(out, Warning{s.Layer, "saturated", saturatedWarning(name, s, h.Epoch)})
		}
		switch {
		case s.UpdateRatio > RatioHigh:
			out = append(out, Warning{s.Layer, "update-high", fmt.Sprintf(
				"warning: %s: update/weight ratio %.3g, above %.0e, in epoch %d; a lower learning rate usually helps",
				name, s.UpdateRatio, RatioHigh, h.Epoch)})
		case s.UpdateRatio > 0 && s.UpdateRatio < RatioLow && stuck:
			// The dead units' rows stand still: over the live rows alone (of
			// like norms) the ratio is about UpdateRatio/√(1 − Dead). A
			// higher rate, which may be what killed them, would kill more.
			out = append(out, Warning{s.Layer, "update-low", fmt.Sprintf(
				"warning: %s: update/weight ratio %.3g, below %.0e, in epoch %d, with %.0f%% of its units dead, whose weights no gradient moves (over the live ones alone, about %.2g); a higher learning rate may kill more of them: the dead units' remedies (a lower learning rate, leaky_relu, another initialisation) come first",
				name, s.UpdateRatio, RatioLow, h.Epoch, 100*s.Dead, s.UpdateRatio/math.Sqrt(1-s.Dead))})
		case s.UpdateRatio > 0 && s.UpdateRatio < RatioLow && saturated:
			// f′ near 0 on most examples lets little gradient through: the
			// update is small because of it, and a higher rate is what can
			// drive units onto the tails.
			out = append(out, Warning{s.Layer, "update-low", fmt.Sprintf(
				"warning: %s: update/weight ratio %.3g, below %.0e, in epoch %d, with %.0f%% of unit-examples saturated, where f' lets little gradient through; a higher learning rate may drive more onto the tails: the saturation's remedies come first",
				name, s.UpdateRatio, RatioLow, h.Epoch, 100*s.Saturated)})
		case s.UpdateRatio > 0 && s.UpdateRatio < RatioLow:
			out = append(out, Warning{s.Layer, "update-low", fmt.Sprintf(
				"warning: %s: update/weight ratio %.3g, below %.0e, in epoch %d; a higher learning rate or another initialisation usually helps",
				name, s.UpdateRatio, RatioLow, h.Epoch)})
		}
	}
	return out
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// deadWarning is the warning of a layer past DeadLimit dead. Where training
// killed more than DeadLimit of the layer beyond those dead at the weights
// it started from, a lower learning rate is offered; else the
// initialisation left them so, and a lower rate would not bring them back.
func deadWarning(name string, s LayerStats, epoch int) string {
	head := fmt.Sprintf("warning: %s: %.0f%% of its %d units are dead (0 on every training example in epoch %d)", name, 100*s.Dead, s.Units, epoch)
	switch {
	case s.DeadAtStart == nil:
		return head + "; a lower learning rate, leaky_relu, or another initialisation usually helps"
	case s.Dead-*s.DeadAtStart > DeadLimit:
		return head + fmt.Sprintf(", %.0f%% of them at the initial weights: training killed %.0f%% more, and a lower learning rate, leaky_relu, or another initialisation usually helps",
			100**s.DeadAtStart, 100*(s.Dead-*s.DeadAtStart))
	}
	return head + fmt.Sprintf("; %.0f%% were dead at the initial weights, so training killed few if any: another initialisation or leaky_relu usually helps, not a lower learning rate", 100**s.DeadAtStart)
}

// saturatedWarning is the warning of a layer past SaturatedLimit
// saturated. Where it was not so at the weights training started from,
// and a quarter of its unit-examples or more went onto the tails since
// (the start is measured on the sample's rows, the epoch on its batches:
// a small rise may be the measures'), training drove them there, as too
// high a learning rate does.
func saturatedWarning(name string, s LayerStats, epoch int) string {
	head := fmt.Sprintf("warning: %s: %.0f%% of unit-examples are saturated (f' below 1%% of its maximum) in epoch %d", name, 100*s.Saturated, epoch)
	if start := s.SaturatedAtStart; start != nil && *start <= SaturatedLimit && s.Saturated-*start >= 0.25 {
		return head + fmt.Sprintf(", against %.0f%% at the initial weights: training drove them onto the tails, and a lower learning rate usually helps (or relu, which does not saturate)", 100**s.SaturatedAtStart)
	}
	return head + "; smaller initial weights (xavier-uniform), standardised inputs or relu usually help"
}
