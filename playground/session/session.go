// Package session is the playground's training run, in plain Go: the page's
// configuration, the generated data and its train/test split, the network,
// and one epoch at a time, with what the views draw. The playground runs it
// compiled to WebAssembly in a Web Worker (playground/wasm); tests run it
// natively.
//
// A configuration trains exactly as `wiggle train` does with the same
// flags: the data from data.Generate seeded as --seed does, the network
// from nn.NewMLPSpec with the default initialisation from the seed, and the
// batches in the order train.Fit draws them. With a test fraction of 0 the
// losses are those of `wiggle train --data NAME --seed S ...`, bit for bit
// where both run natively; compiled to WebAssembly, whose plain-Go kernels
// sum in another order than the assembly's, they agree to float32's
// rounding (a loss of 0.8930623881 natively, 0.8930623834 in the page).
//
// Concurrency: a Session belongs to one goroutine.
package session

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/tensor"
	"github.com/wigglenn/wiggle/train"
)

// Config is what the page's controls set. The JSON names are the URL's.
type Config struct {
	Dataset      string  `json:"data"`  // a generated set: spiral, xor, circles, moons, blobs, linear; sine, plane, gaussians (regression)
	Noise        float64 `json:"noise"` // the noise's standard deviation; negative for the set's default
	Points       int     `json:"n"`     // points per class (in all, for regression); 0 for the set's own (data.SyntheticSpec)
	Classes      int     `json:"k"`     // classes, where the set allows a choice; 0 for its default
	TestFraction float64 `json:"test"`  // the fraction of points held out for testing, drawn from the seed

	// Inputs are the features the network takes, made from each point
	// (x, y): "x", "y", "x2", "y2", "xy", "sinx", "siny"; nil for x and y.
	// (The 1-D regression set takes only its x.)
	Inputs []string `json:"inputs"`

	Hidden []int  `json:"hidden"` // hidden layer widths
	Act    string `json:"act"`    // the activation, with parameters: "leaky_relu(negative_slope=0.2)", prelu, maxout
	// Acts gives hidden layer i its own activation where Acts[i] is not
	// empty; nil for Act everywhere.
	Acts    []string `json:"acts"`
	Dropout float64  `json:"dropout"` // after each hidden activation
	// Compare is a second activation, for the page's compare mode: a twin
	// network that differs only in it, trained beside this one from the
	// same initial weights and batch order. New only checks it.
	Compare string `json:"vs"`
	// InitScale multiplies the initial weights (PyTorch's Linear default)
	// of every layer: above 1 to watch saturation set in.
	InitScale float64 `json:"scale"`

	Loss      string  `json:"loss"` // softmax, hinge, logistic, binary-hinge; mse for regression
	Optimizer string  `json:"opt"`
	LR        float64 `json:"lr"`
	Momentum  float64 `json:"momentum"`
	Batch     int     `json:"batch"`
	L2        float64 `json:"l2"` // L2 strength on the weights (train.Trainer.L2)
	L1        float64 `json:"l1"` // L1 strength on the weights (train.Trainer.L1)
	Seed      uint64  `json:"seed"`
}

// Limits of the page: a network the browser trains fast enough to watch.
const (
	MaxLayers  = 8
	MaxWidth   = 64
	MaxPoints  = 5000
	MaxClasses = 8         // the page's colours
	MaxSeed    = 1<<53 - 1 // JavaScript's numbers hold integers exactly up to here
	MaxGrid    = 512       // Regions' cells a side: 262,144 forward passes
)

// Default is the page's first configuration: CS231n's spiral and relu.
func Default() Config {
	return Config{Dataset: "spiral", Noise: -1, TestFraction: 0.5, Hidden: []int{16, 16}, Act: "relu", InitScale: 1,
		Loss: "softmax", Optimizer: "momentum", LR: 0.03, Momentum: 0.9, Batch: 10, Seed: 1}
}

// Session is one training run.
type Session struct {
	cfg     Config
	loss    loss.Loss
	net     *nn.Sequential
	trainer *train.Trainer
	opt     optim.Optimizer

	// TrainSet and TestSet are the points as the network takes them (the
	// Inputs made of each); TestSet has no rows when TestFraction is 0.
	TrainSet, TestSet *data.Dataset
	// rawTrain and rawTest are the points themselves, for the views.
	rawTrain, rawTest *data.Dataset
	all               *data.Dataset // the points before the split, for a twin
	added             []addedPoint  // the training points AddPoint added since, in turn
	initialLoss       float64       // on the training points, with the initial weights
	epoch             int
	diverged          error
	divergence        *Divergence    // diverged's figures
	grads             epochGradients // the layers' mean ‖dW‖ over the last epoch
	notice            string         // Notice's
	clickedOn         string         // the generated set AddPoint turned Custom, which the page still names (Tune)
}

// New checks cfg and builds the data and the network. Every error names
// the setting that is wrong.
func New(cfg Config) (*Session, error) {
	if cfg.Dataset == Custom { // its points come with NewFromCSV or NewWithData
		return nil, ErrNoOwnPoints
	}
	if err := check(cfg); err != nil {
		return nil, err
	}
	spec, err := data.SyntheticSpec{Name: cfg.Dataset, N: cfg.Points, Classes: cfg.Classes, Noise: cfg.Noise}.Resolve()
	if err != nil {
		return nil, err
	}
	cfg.Points, cfg.Classes, cfg.Noise = spec.N, spec.Classes, spec.Noise    // what the page shows
	all, err := data.Generate(spec, rand.New(rand.NewPCG(cfg.Seed, 0xda7a))) // as `wiggle train --data NAME --seed`
	if err != nil {
		return nil, err
	}
	return withData(cfg, all)
}

// Custom is the Dataset of a run on the page's own points (NewWithData).
const Custom = "custom"

// ErrNoOwnPoints is New's error for a Config of Custom data, whose points
// New does not have: a link to a run on an uploaded file, say.
var ErrNoOwnPoints = errors.New(`data set "custom" is points of your own, and none are loaded (a link cannot carry a file): upload the CSV file again, or choose a generated set`)

// MaxCoordinate bounds the numbers of points of one's own: far past any
// the page draws, near enough 0 that their squares and products (the
// page's inputs x², xy) stay numbers in float32.
const MaxCoordinate = 1e9

// withinReach refuses a point or value beyond ±MaxCoordinate, naming it.
func withinReach(all *data.Dataset) error {
	for _, c := range []struct {
		what string
		m    *tensor.Matrix
	}{{"feature", all.X}, {"target value", all.Values}} {
		what, m := c.what, c.m
		if m == nil {
			continue
		}
		for i, v := range m.Data {
			if !(math.Abs(float64(v)) <= MaxCoordinate) { // NaN too
				hint := ""
				if !math.IsNaN(float64(v)) && !math.IsInf(float64(v), 0) {
					hint = " (rescale the column)"
				}
				return fmt.Errorf("point %d has the %s %g; the playground takes finite numbers from %g to %g%s", i/m.Cols+1, what, v, -MaxCoordinate, MaxCoordinate, hint)
			}
		}
	}
	return nil
}

// featureColumns counts and names the feature columns of all: "1 feature
// column (a)", "3 feature columns (a, b, c)".
func featureColumns(all *data.Dataset) string {
	noun := "feature columns"
	if all.X.Cols == 1 {
		noun = "feature column"
	}
	return fmt.Sprintf("%d %s (%s)", all.X.Cols, noun, strings.Join(all.Features, ", "))
}

// NewWithData starts a run on points of one's own (an uploaded CSV file):
// two feature columns and class labels, or one or two feature columns and
// a value for regression. cfg.Dataset becomes Custom.
func NewWithData(cfg Config, all *data.Dataset) (*Session, error) {
	if err := all.Check(); err != nil {
		return nil, err
	}
	cfg.Dataset, cfg.Points, cfg.Classes, cfg.Noise = Custom, 0, all.Classes, 0
	if err := check(cfg); err != nil {
		return nil, err
	}
	switch {
	case all.Len() == 0:
		return nil, errors.New("no points: the table has a header and no rows")
	case !all.Regression() && all.Labels == nil:
		return nil, errors.New("the points have no target: want a column of class labels or of values after the features")
	case all.Regression() && (all.X.Cols > 2 || all.Values.Cols != 1):
		return nil, fmt.Errorf("the points have %s and %d target values; the playground draws one or two features and one value", featureColumns(all), all.Values.Cols)
	case !all.Regression() && all.X.Cols != 2:
		return nil, fmt.Errorf("the points have %s; the playground draws two, and a label column", featureColumns(all))
	case all.Len() > MaxPoints:
		return nil, fmt.Errorf("%d points; the playground takes up to %d", all.Len(), MaxPoints)
	case !all.Regression() && all.Classes > MaxClasses:
		return nil, fmt.Errorf("%d classes; the playground colours up to %d", all.Classes, MaxClasses)
	}
	if err := withinReach(all); err != nil {
		return nil, err
	}
	return withData(cfg, all)
}

// withData builds the run of a checked cfg on its points.
func withData(cfg Config, all *data.Dataset) (*Session, error) {
	l, err := loss.New(cfg.Loss)
	if err != nil {
		return nil, err
	}
	if all.Regression() != (l.Name() == "mse") {
		if all.Regression() {
			return nil, fmt.Errorf("%s is a regression set: choose the mse loss", cfg.Dataset)
		}
		return nil, fmt.Errorf("%s is a classification set: choose a classification loss", cfg.Dataset)
	}
	if l.Outputs(2) == 1 && !all.Regression() && all.Classes != 2 {
		return nil, fmt.Errorf("the %s loss tells two classes apart; %s has %d", l.Name(), cfg.Dataset, all.Classes)
	}
	s := &Session{cfg: cfg, loss: l, all: all}
	s.rawTrain, s.rawTest = split(all, cfg.TestFraction, cfg.Seed)
	if s.rawTrain.Len() == 0 {
		return nil, fmt.Errorf("a test fraction of %g leaves no training points", cfg.TestFraction)
	}
	if s.TrainSet, err = s.inputs(s.rawTrain); err != nil {
		return nil, err
	}
	if s.TestSet, err = s.inputs(s.rawTest); err != nil {
		return nil, err
	}
	outputs := l.Outputs(all.Classes)
	if all.Regression() {
		outputs = all.Values.Cols
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0)) // as `wiggle train --seed`
	if s.net, err = nn.Build(mlpSpec(s.TrainSet.X.Cols, outputs, cfg), rng); err != nil {
		return nil, err
	}
	if err := nn.Init(s.net, "default", rng); err != nil {
		return nil, err
	}
	if cfg.InitScale != 1 {
		scaleWeights(s.net, cfg.InitScale)
	}
	if s.opt, err = optim.New(optim.Config{Name: cfg.Optimizer, LR: cfg.LR, Momentum: cfg.Momentum}); err != nil {
		return nil, err
	}
	s.trainer = &train.Trainer{Net: s.net, Loss: l, Opt: s.opt, L2: cfg.L2, L1: cfg.L1, Batch: cfg.Batch, Shuffle: true,
		Rng: rand.New(rand.NewPCG(cfg.Seed, 0x5eed))} // as train.Fit draws the batches
	s.trainer.AfterStep = s.addStepGradients
	if err := s.trainer.Check(s.TrainSet); err != nil {
		return nil, err
	}
	if err := s.trainer.Check(s.TestSet); s.TestSet.Len() > 0 && err != nil {
		return nil, fmt.Errorf("the test points: %w", err)
	}
	s.initialLoss, _, err = train.Evaluate(s.net, l, s.TrainSet)
	return s, err
}

// explosion is how many times the initial loss an epoch's loss may reach
// before the run counts as diverged: a network that learns never comes
// near it (softmax starts at ln k; 50·ln 3 means the right class gets
// e^-55 on average), while too high a learning rate passes it at once
// (spiral at learning rate 100: 80 to 2,700 times).
const explosion = 50

// ClassChoice are the generated sets whose number of classes Config.Classes
// chooses (spiral, circles, blobs); the others have their own.
func ClassChoice() []string {
	var sets []string
	for _, name := range data.SyntheticNames() {
		if _, err := (data.SyntheticSpec{Name: name, Classes: 3}).Resolve(); err == nil && !slices.Contains(RegressionSets(), name) {
			sets = append(sets, name)
		}
	}
	return sets
}

// RegressionSets are the generated sets that hold values, not classes
// (sine, plane, gaussians): they take the mse loss, and their Points are
// all their points, not a class's.
func RegressionSets() []string {
	var sets []string
	for _, name := range data.SyntheticNames() {
		if s, err := (data.SyntheticSpec{Name: name}).Resolve(); err == nil && s.Classes == 0 {
			sets = append(sets, name)
		}
	}
	return sets
}

// setClasses is how many classes cfg's generated set has: cfg.Classes, or
// the set's own; 1 for a set that cannot be made (Resolve says why).
func setClasses(cfg Config) int {
	spec, err := data.SyntheticSpec{Name: cfg.Dataset, Classes: cfg.Classes}.Resolve()
	if err != nil { // xor of 3 classes: New's Resolve says so, not the point limit
		return 1
	}
	return max(spec.Classes, 1)
}

// check finds the settings that cannot work, naming them as the page does.
// widthsBeside is what a refusal of too many layers adds where a layer is
// too wide too, so that one change mends both.
func widthsBeside(hidden []int) string {
	for _, w := range hidden {
		if w < 1 || w > MaxWidth {
			return fmt.Sprintf(", each of 1 to %d neurons (one has %d)", MaxWidth, w)
		}
	}
	return ""
}

func check(cfg Config) error {
	switch {
	case !slices.Contains(data.SyntheticNames(), cfg.Dataset) && cfg.Dataset != Custom:
		return fmt.Errorf("data set %q: want one of %s", cfg.Dataset, strings.Join(data.SyntheticNames(), ", "))
	case cfg.Points < 0 || cfg.Points > MaxPoints:
		return fmt.Errorf("points %d: want 1 to %d (0 for the default)", cfg.Points, MaxPoints)
	case cfg.Classes < 0 || cfg.Classes == 1 || cfg.Classes > MaxClasses:
		return fmt.Errorf("%d classes: want 2 to %d (0 for the set's own)", cfg.Classes, MaxClasses)
	case !slices.Contains(RegressionSets(), cfg.Dataset) && cfg.Points*setClasses(cfg) > MaxPoints:
		return fmt.Errorf("%d points of each of %d classes: want at most %d in all", cfg.Points, setClasses(cfg), MaxPoints)
	case cfg.Seed > MaxSeed:
		return fmt.Errorf("seed %d: want 0 to %d (what a page's number keeps exactly)", cfg.Seed, uint64(MaxSeed))
	case !(cfg.TestFraction >= 0 && cfg.TestFraction <= 0.9):
		return fmt.Errorf("test fraction %g: want 0 to 0.9", cfg.TestFraction)
	case len(cfg.Hidden) > MaxLayers:
		return fmt.Errorf("%d hidden layers: want at most %d%s", len(cfg.Hidden), MaxLayers, widthsBeside(cfg.Hidden))
	case !(cfg.InitScale > 0 && cfg.InitScale <= 100):
		return fmt.Errorf("initial weight scale %g: want more than 0, up to 100", cfg.InitScale)
	case !(cfg.Dropout >= 0 && cfg.Dropout < 1):
		return fmt.Errorf("dropout %g: want 0 up to (not including) 1", cfg.Dropout)
	case cfg.Act != "prelu" && cfg.Act != "maxout" && !validAct(cfg.Act):
		return fmt.Errorf("activation %q: want one of %s", cfg.Act, activationChoices())
	case cfg.Compare != "" && cfg.Compare != "prelu" && cfg.Compare != "maxout" && !validAct(cfg.Compare):
		return fmt.Errorf("activation to compare with %q: want one of %s", cfg.Compare, activationChoices())
	}
	for _, w := range cfg.Hidden {
		if w < 1 || w > MaxWidth {
			return fmt.Errorf("hidden layer of %d neurons: want 1 to %d", w, MaxWidth)
		}
	}
	if cfg.Acts != nil && len(cfg.Acts) != len(cfg.Hidden) {
		return fmt.Errorf("%d activations for %d hidden layers", len(cfg.Acts), len(cfg.Hidden))
	}
	for i, a := range cfg.Acts {
		if a != "" && a != "prelu" && a != "maxout" && !validAct(a) {
			return fmt.Errorf("activation %q of layer %d: want one of %s", a, i+1, activationChoices())
		}
	}
	for _, in := range cfg.Inputs {
		if !slices.Contains(InputNames, in) {
			return fmt.Errorf("input %q: want some of %s", in, strings.Join(InputNames, ", "))
		}
	}
	var opt *train.OptionError
	if err := train.CheckConfig(train.Config{Epochs: 1, Batch: cfg.Batch, L2: cfg.L2, L1: cfg.L1,
		Optimizer: optim.Config{Name: cfg.Optimizer, LR: cfg.LR, Momentum: cfg.Momentum}}); errors.As(err, &opt) {
		return fmt.Errorf("%s %v: want %s", pageNames[opt.Option], opt.Value, opt.Want)
	} else if err != nil {
		return err
	}
	return nil
}

// activationChoices lists the activations a layer takes: the catalogue's
// (prelu among them) and maxout.
func activationChoices() string {
	return strings.Join(act.Names(), ", ") + " or maxout"
}

// mlpSpec describes the network: as nn.NewMLPSpec builds it, but each
// hidden layer with its own activation where cfg.Acts gives one.
func mlpSpec(in, outputs int, cfg Config) nn.Spec {
	opt := nn.MLPOptions{Dropout: cfg.Dropout}
	if cfg.Acts == nil {
		return nn.NewMLPSpec(in, cfg.Hidden, outputs, cfg.Act, opt)
	}
	spec := nn.Spec{In: in}
	width := in
	for i, h := range cfg.Hidden {
		a := cfg.Act
		if cfg.Acts[i] != "" {
			a = cfg.Acts[i]
		}
		one := nn.NewMLPSpec(width, []int{h}, 1, a, opt)
		spec.Layers = append(spec.Layers, one.Layers[:len(one.Layers)-1]...) // less its output layer
		width = h
	}
	spec.Layers = append(spec.Layers, nn.LayerSpec{Type: "dense", In: width, Out: outputs})
	return spec
}

// scaleWeights multiplies every weight matrix (not the biases) by k.
func scaleWeights(net *nn.Sequential, k float64) {
	for _, p := range net.Params() {
		if p.Decay {
			for i := range p.Value {
				p.Value[i] *= float32(k)
			}
		}
	}
}

func validAct(spec string) bool {
	_, err := act.Parse(spec)
	return err == nil
}

// pageNames are the page's names for the options train checks.
var pageNames = map[string]string{
	"Batch": "batch size", "L2": "L2", "L1": "L1", "Optimizer.Name": "optimizer", "Optimizer.LR": "learning rate",
	"Optimizer.Momentum": "momentum", "Epochs": "epochs",
}

// split holds out the given fraction of the rows for testing, chosen from
// the seed; with 0, every row trains, in the generated order.
func split(all *data.Dataset, frac float64, seed uint64) (trainPart, testPart *data.Dataset) {
	n := all.Len()
	nTest := int(frac*float64(n) + 0.5)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	if nTest > 0 {
		rand.New(rand.NewPCG(seed, 0x7e57)).Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
	}
	trainRows, testRows := order[:n-nTest], order[n-nTest:]
	slices.Sort(trainRows) // the generated order, less the test rows
	slices.Sort(testRows)
	return all.Rows(trainRows), all.Rows(testRows)
}

// Stats is where the run stands.
type Stats struct {
	Epoch         int     `json:"epoch"`
	TrainLoss     float64 `json:"trainLoss"`     // the epoch's mean batch loss, as `wiggle train` prints it
	TrainAccuracy float64 `json:"trainAccuracy"` // during the epoch, each batch before its update, as `wiggle train` prints it
	TestLoss      float64 `json:"testLoss"`
	TestAccuracy  float64 `json:"testAccuracy"`
	HasTest       bool    `json:"hasTest"`
	Regression    bool    `json:"regression"`
}

// Epoch trains one epoch and returns the training figures; Test adds the
// test set's. Divergence stops the run: this and every later call return
// an error that says what happened and what helps. The rule is train's
// guard (a batch's loss not finite, or over train.Explosion times the
// first batch's), and for the page a stricter one besides: an epoch's mean
// loss over 50 times the initial loss, which a learning rate far too high
// reaches before the loss explodes.
func (s *Session) Epoch() (Stats, error) {
	if s.diverged != nil {
		return Stats{}, s.diverged
	}
	s.grads.start()
	meanLoss, accuracy, err := s.trainer.Epoch(context.Background(), s.TrainSet)
	var div *train.DivergedError
	if errors.As(err, &div) { // train's guard: a batch's loss not finite, or 1000 times the first's
		div.Epoch, div.LR = s.epoch+1, s.cfg.LR
		s.diverged = divergedOnPage{div, s.scaleHint()}
		s.divergence = &Divergence{Epoch: div.Epoch, FirstLoss: lossText(div.FirstLoss), LR: s.cfg.LR, Reach: s.farReach()}
		if div.Batch > 0 { // else the weights, not the loss, stopped it
			s.divergence.Loss = lossText(div.Loss)
		}
		return Stats{}, s.diverged
	}
	if err != nil {
		return Stats{}, err
	}
	s.epoch++
	if meanLoss > explosion*max(s.initialLoss, 0.1) { // train's guard has seen every loss and weight finite
		s.diverged = fmt.Errorf("training diverged in epoch %d: the loss grew from %.3g to %.3g; a lower learning rate (now %g) usually helps%s",
			s.epoch, s.initialLoss, meanLoss, s.cfg.LR, s.scaleHint())
		s.divergence = &Divergence{Epoch: s.epoch, FirstLoss: lossText(s.initialLoss), Loss: lossText(meanLoss), LR: s.cfg.LR, Reach: s.farReach()}
	}
	if s.diverged != nil {
		return Stats{}, s.diverged
	}
	s.grads.finish()
	return Stats{Epoch: s.epoch, TrainLoss: meanLoss, TrainAccuracy: accuracy, Regression: s.TrainSet.Regression()}, nil
}

// Measure is the figures of the weights as they stand, without training:
// the training points' loss and accuracy at those weights (where Epoch's
// are the epoch's batches', each before its update) and the test set's.
// The page asks for them when a weight is set by hand (SetWeight).
func (s *Session) Measure() (Stats, error) {
	st := Stats{Epoch: s.epoch, Regression: s.TrainSet.Regression()}
	var err error
	if st.TrainLoss, st.TrainAccuracy, err = train.Evaluate(s.net, s.loss, s.TrainSet); err != nil {
		return Stats{}, err
	}
	return st, s.Test(&st)
}

// Test adds the test set's loss and accuracy, with the current weights, to
// st. The page asks for them when it draws, not after every epoch: they
// cost as much as a third of an epoch.
func (s *Session) Test(st *Stats) error {
	if st.HasTest = s.TestSet.Len() > 0; !st.HasTest {
		return nil
	}
	var err error
	st.TestLoss, st.TestAccuracy, err = train.Evaluate(s.net, s.loss, s.TestSet)
	return err
}

// Net is the network being trained, for the views and for saving.
func (s *Session) Net() *nn.Sequential { return s.net }

// AddPoint adds a training point (a click on the page's plot) of the given
// class; the run goes on with it. The run's Dataset becomes Custom.
func (s *Session) AddPoint(x, y float32, label int) error {
	switch {
	case s.rawTrain.Regression():
		return fmt.Errorf("points are added to the classification sets, not to %s", s.cfg.Dataset)
	case label < 0 || label >= s.rawTrain.Classes:
		return fmt.Errorf("class %d: the data has classes 0 to %d", label, s.rawTrain.Classes-1)
	case s.rawTrain.Len()+s.rawTest.Len() >= MaxPoints:
		return fmt.Errorf("the playground takes up to %d points", MaxPoints)
	case !(math.Abs(float64(x)) <= MaxCoordinate && math.Abs(float64(y)) <= MaxCoordinate): // NaN too
		return fmt.Errorf("the point (%v, %v): want finite coordinates from %g to %g", x, y, -MaxCoordinate, MaxCoordinate)
	}
	raw := *s.rawTrain
	raw.X = tensor.New(s.rawTrain.Len()+1, 2)
	copy(raw.X.Data, s.rawTrain.X.Data)
	copy(raw.X.Row(s.rawTrain.Len()), []float32{x, y})
	raw.Labels = append(slices.Clone(s.rawTrain.Labels), label)
	in, err := s.inputs(&raw)
	if err != nil {
		return err
	}
	s.rawTrain, s.TrainSet = &raw, in
	if s.cfg.Dataset != Custom {
		s.clickedOn = s.cfg.Dataset
	}
	s.cfg.Dataset = Custom
	s.added = append(s.added, addedPoint{x, y, label})
	return nil
}

// addedPoint is a training point AddPoint added.
type addedPoint struct {
	x, y  float32
	label int
}

// Config is the run's configuration.
func (s *Session) Config() Config { return s.cfg }

// divergedOnPage is train's divergence as the page tells it: without the
// gradient clipping that train's text offers, which the page has no
// control for.
type divergedOnPage struct {
	*train.DivergedError
	hint string // scaleHint's
}

func (d divergedOnPage) Error() string {
	return strings.Replace(d.DivergedError.Error(), ", clipping the gradient norm,", "", 1) + d.hint
}

// farPoints is how far from 0 points of one's own may reach before a
// divergence names their scale: the generated sets lie within about 6.
const farPoints = 100

// scaleHint says, where the points or their values reach past farPoints,
// that their scale is the likelier cause of a divergence than the
// learning rate; "" otherwise.
func (s *Session) scaleHint() string {
	far := s.farReach()
	if far == 0 {
		return ""
	}
	return fmt.Sprintf(". The points reach %.3g, far from the −1 to 1 a network's first weights suit: rescale the columns of the file (divide each by its largest value) and upload it again", far)
}

// farReach is how far from 0 the points or their values reach, where that
// is past farPoints; 0 otherwise.
func (s *Session) farReach() float64 {
	var far float64
	for _, m := range []*tensor.Matrix{s.all.X, s.all.Values} {
		if m == nil {
			continue
		}
		for _, v := range m.Data {
			far = max(far, math.Abs(float64(v)))
		}
	}
	if far <= farPoints {
		return 0
	}
	return far
}

// Divergence is a diverged run's figures, for a page to say them in its
// own language: Diverged's error says them in English.
type Divergence struct {
	Epoch     int     `json:"epoch"`     // from 1
	FirstLoss string  `json:"firstLoss"` // the loss it began at, %.3g; "" where none was finite
	Loss      string  `json:"loss"`      // the loss that stopped it, %.3g ("NaN", "+Inf" too); "" where its weights did
	LR        float64 `json:"lr"`
	Reach     float64 `json:"reach,omitempty"` // how far the points reach, where that is past farPoints (their scale the likelier cause); else 0
}

// lossText writes a loss as the errors do, %.3g; "" for 0 (none kept).
func lossText(loss float64) string {
	if loss == 0 {
		return ""
	}
	return fmt.Sprintf("%.3g", loss)
}

func (d divergedOnPage) Unwrap() error { return d.DivergedError }

// Diverged is the error that stopped the run, or nil.
func (s *Session) Diverged() error { return s.diverged }

// Divergence is Diverged's figures, or nil where the run goes on.
func (s *Session) Divergence() *Divergence { return s.divergence }

// Data is the run's points before the split (its own, for Custom data),
// with the points AddPoint added after them: a run started on them splits
// them anew, so an added point may then be a test point.
func (s *Session) Data() *data.Dataset {
	if len(s.added) == 0 {
		return s.all
	}
	all := *s.all
	all.X = tensor.New(s.all.Len()+len(s.added), s.all.X.Cols)
	copy(all.X.Data, s.all.X.Data)
	all.Labels = slices.Clone(s.all.Labels)
	for i, p := range s.added {
		copy(all.X.Row(s.all.Len()+i), []float32{p.x, p.y})
		all.Labels = append(all.Labels, p.label)
	}
	return &all
}

// Twin returns the run's twin for compare mode: the same configuration with
// the activation Compare, so the same data (the points AddPoint added
// among them: not to be added to the twin again), initial weights (the
// Dense layers are drawn alike) and batch order; nil when Compare is
// empty.
func (s *Session) Twin() (*Session, error) {
	if s.cfg.Compare == "" {
		return nil, nil
	}
	cfg := s.cfg
	cfg.Act, cfg.Compare, cfg.Acts = s.cfg.Compare, "", nil
	t, err := withData(cfg, s.all)
	if err != nil {
		return nil, err
	}
	for _, p := range s.added { // its training points as the run's, in the run's order
		if err := t.AddPoint(p.x, p.y, p.label); err != nil {
			return nil, err
		}
	}
	return t, nil
}
