package session

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/probe"
	"github.com/wigglenn/wiggle/tensor"
	"github.com/wigglenn/wiggle/train"

	"github.com/wigglenn/wiggle/modelio"
)

func TestConfigErrorsNameTheSetting(t *testing.T) {
	for _, c := range []struct {
		change func(*Config)
		want   string
	}{
		{func(c *Config) { c.Dataset = "swirl" }, `data set "swirl"`},
		{func(c *Config) { c.Hidden = []int{8, 8, 8, 8, 8, 8, 8, 8, 8} }, "9 hidden layers"},
		{func(c *Config) { c.Hidden = []int{65} }, "hidden layer of 65 neurons"},
		{func(c *Config) { c.Hidden = []int{100, 100, 100, 100, 100, 100, 100, 100, 100, 100} }, "10 hidden layers: want at most 8, each of 1 to 64 neurons (one has 100)"}, // both said at once
		{func(c *Config) { c.Act = "wiggly" }, `activation "wiggly"`},
		{func(c *Config) { c.LR = -1 }, "learning rate -1"},
		{func(c *Config) { c.Batch = 0 }, "batch size 0"},
		{func(c *Config) { c.L1 = -1 }, "L1 -1: want 0 or more, at most float32's largest"},
		{func(c *Config) { c.TestFraction = 1 }, "test fraction 1"},
		{func(c *Config) { c.Dataset = "sine" }, "choose the mse loss"},
		{func(c *Config) { c.Loss = "logistic" }, "tells two classes apart; spiral has 3"},
		{func(c *Config) { c.Classes = 1 }, "1 classes: want 2 to 8"},
		{func(c *Config) { c.Dataset, c.Points = "xor", 2501 }, "2501 points of each of 2 classes: want at most 5000"},
		{func(c *Config) { c.Dataset, c.Classes, c.Points = "blobs", 4, 1251 }, "1251 points of each of 4 classes"},
		{func(c *Config) { c.Dataset, c.Classes, c.Points = "xor", 3, 2500 }, "xor has 2 classes, not 3"},
		{func(c *Config) { c.Dataset = Custom }, "none are loaded (a link cannot carry a file)"},
	} {
		cfg := Default()
		c.change(&cfg)
		if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New: %v; want an error saying %q", err, c.want)
		}
	}
}

// TestDivergenceStopsTheRun: a learning rate far too high makes the loss
// explode (the page's own rule) or not finite (train's guard); the run
// says so, with what helps among the page's controls, and stays stopped.
func TestDivergenceStopsTheRun(t *testing.T) {
	guarded := false
	for _, lr := range []float64{100, 1000, 1e6} {
		cfg := Default()
		cfg.LR = lr
		s, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		stopped := epochsUntilStopped(s, 50)
		if stopped == nil || !strings.Contains(stopped.Error(), "diverged") || !strings.Contains(stopped.Error(), "lower learning rate") {
			t.Fatalf("50 epochs at learning rate %g: %v; want the divergence message", lr, stopped)
		}
		if strings.Contains(stopped.Error(), "clip") || strings.Contains(stopped.Error(), "rescale") {
			t.Errorf("learning rate %g: the page's divergence message %q offers clipping, which the page has no control for, or rescaling the spiral", lr, stopped)
		}
		var div *train.DivergedError
		guarded = guarded || errors.As(stopped, &div)
		if d := s.Divergence(); d == nil || d.LR != lr || d.Reach != 0 || !strings.Contains(stopped.Error(), fmt.Sprintf("epoch %d", d.Epoch)) || d.Loss == "" && !strings.Contains(stopped.Error(), "weights") {
			t.Errorf("learning rate %g: the divergence's figures %+v for %q", lr, d, stopped)
		}
		if _, err := s.Epoch(); err == nil {
			t.Errorf("learning rate %g: a diverged run trained on", lr)
		}
		if err := s.SetWeight(0, 0, 0, 1); err == nil || !strings.Contains(err.Error(), "start it again to set its weights") {
			t.Errorf("learning rate %g: SetWeight on the diverged run: %v; want refused, saying to start again", lr, err)
		}
	}
	if !guarded {
		t.Error("no learning rate reached train's guard: the test does not see its message")
	}
	// Points of a scale far from the network's: the message names it.
	var b strings.Builder
	b.WriteString("x,y,label\n")
	for i := range 40 {
		fmt.Fprintf(&b, "%d,%d,%d\n", i*1e7, (i%7)*1e7, i%2)
	}
	s, err := NewFromCSV(Default(), "far.csv", b.String())
	if err != nil {
		t.Fatal(err)
	}
	if stopped := epochsUntilStopped(s, 50); stopped == nil || !strings.Contains(stopped.Error(), "The points reach 3.9e+08") || !strings.Contains(stopped.Error(), "rescale the columns") {
		t.Errorf("points up to 3.9e8: %v; want the divergence put down to their scale", stopped)
	}
	if d := s.Divergence(); d == nil || d.Reach != 3.9e8 {
		t.Errorf("points up to 3.9e8: the divergence's figures %+v; want their reach", d)
	}
	fresh, err := New(Default())
	if err != nil || fresh.Divergence() != nil {
		t.Errorf("a new run: %v, its divergence %+v; want none", err, fresh.Divergence())
	}
}

// epochsUntilStopped trains s for up to n epochs and returns the error
// that stopped it, or nil.
func epochsUntilStopped(s *Session, n int) error {
	for range n {
		if _, err := s.Epoch(); err != nil {
			return err
		}
	}
	return nil
}

func TestSplitAndViews(t *testing.T) {
	s, err := New(Default())
	if err != nil {
		t.Fatal(err)
	}
	trainPoints, testPoints := s.Points()
	if len(trainPoints) != 150 || len(testPoints) != 150 {
		t.Errorf("%d training and %d test points of 300; want half each", len(trainPoints), len(testPoints))
	}
	classes := map[int]int{}
	for _, p := range testPoints {
		classes[p.Label]++
	}
	if len(classes) != 3 || classes[0] < 30 || classes[1] < 30 || classes[2] < 30 {
		t.Errorf("test classes %v; want every arm of the spiral held out alike", classes)
	}
	r := s.Regions(10)
	if len(r.Class) != 100 || len(r.Confidence) != 100 {
		t.Fatalf("a 10×10 grid of %d classes and %d confidences", len(r.Class), len(r.Confidence))
	}
	for i, c := range r.Confidence {
		if !(c >= 1.0/3-1e-6 && c <= 1) || r.Class[i] < 0 || r.Class[i] > 2 {
			t.Fatalf("cell %d: class %d, confidence %v", i, r.Class[i], c)
		}
	}
	cfg := Default()
	cfg.Dataset, cfg.Loss = "sine", "mse"
	sine, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if r := sine.Regions(20); len(r.Curve) != 20 || r.Class != nil {
		t.Errorf("sine: a curve of %d points, %d classes; want a curve of 20", len(r.Curve), len(r.Class))
	}
	// Its units over the same points of x, which its output layer sums
	// into the curve (they had been none: the page drew the plane's
	// pictures of the run before).
	maps := sine.Neurons(20)
	out := sine.Net().Layers[len(sine.Net().Layers)-1].(*nn.Dense)
	if units := out.In; len(maps) == 0 || len(maps[len(maps)-1]) != units*20 {
		t.Fatalf("sine: %d layers of units over x; want the last with %d units × 20 points", len(maps), units)
	}
	curve, last := sine.Regions(20).Curve, maps[len(maps)-1]
	for c := range 20 {
		sum := float64(out.B.Value[0])
		for j := range out.In {
			sum += float64(out.W.Value[j]) * float64(last[j*20+c])
		}
		if math.Abs(sum-float64(curve[c])) > 1e-5*(1+math.Abs(sum)) {
			t.Fatalf("sine: point %d: the units sum to %v through the output layer, the curve is %v", c, sum, curve[c])
		}
	}
	for _, n := range []int{-1, 0} { // no units' values at no points, for either kind of set
		for _, set := range []*Session{s, sine} {
			for _, maps := range set.Neurons(n) {
				if len(maps) != 0 {
					t.Errorf("Neurons(%d): %d values; want none", n, len(maps))
				}
			}
		}
	}
	// Odd sizes: none below 0, a curve of one point midway (not 0/0), at
	// most MaxGrid a side.
	if r := sine.Regions(1); len(r.Curve) != 1 || math.IsNaN(float64(r.Curve[0])) {
		t.Errorf("sine: a curve of one point: %v", r.Curve)
	}
	for _, n := range []int{-1, 0} {
		if r := sine.Regions(n); r.Grid != 0 || len(r.Curve) != 0 || len(s.Regions(n).Class) != 0 {
			t.Errorf("Regions(%d) = %+v", n, r)
		}
	}
	if r := s.Regions(math.MaxInt); r.Grid != MaxGrid || len(r.Class) != MaxGrid*MaxGrid {
		t.Errorf("Regions(MaxInt): a grid of %d, %d cells; want MaxGrid", r.Grid, len(r.Class))
	}
}

// TestModelRoundTrip saves a run's model and starts a run from it: the
// same network, the same weights, the same predictions.
func TestModelRoundTrip(t *testing.T) {
	for _, a := range []string{"tanh", "prelu", "maxout", "leaky_relu(negative_slope=0.2)"} {
		cfg := Default()
		cfg.Act, cfg.Hidden, cfg.Dropout = a, []int{6, 5}, 0.1
		s, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Epoch(); err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := modelio.Write(&b, s.Model()); err != nil {
			t.Fatal(err)
		}
		m, err := modelio.Read(&b)
		if err != nil {
			t.Fatal(err)
		}
		back, err := FromModel(Default(), m)
		if err != nil {
			t.Fatalf("%s: %v", a, err)
		}
		if got := back.Config(); got.Act != a || !slices.Equal(got.Hidden, []int{6, 5}) || got.Dropout != 0.1 {
			t.Errorf("%s: the model's run has act %q, hidden %v, dropout %v", a, got.Act, got.Hidden, got.Dropout)
		}
		if r1, r2 := s.Regions(8), back.Regions(8); !slices.Equal(r1.Confidence, r2.Confidence) {
			t.Errorf("%s: the loaded network predicts otherwise than the saved one", a)
		}
	}
	sine := Default()
	sine.Dataset, sine.Loss = "sine", "mse"
	s, _ := New(sine)
	if _, err := FromModel(Default(), s.Model()); err == nil || !strings.Contains(err.Error(), "the model predicts a value (its loss is mse); the spiral data has classes: open it on sine, plane, gaussians") {
		t.Errorf("a sine model on the spiral: %v; want it refused, naming the sets of values", err)
	}
	xorCfg := Default()
	xorCfg.Dataset = "xor"
	xor, _ := New(xorCfg)
	if _, err := FromModel(sine, xor.Model()); err == nil || !strings.Contains(err.Error(), "the model tells classes apart (its loss is softmax); the sine data has values: open this model of 2 classes on xor, circles, moons, linear") {
		t.Errorf("an xor model on sine: %v; want it refused, naming the sets of 2 classes", err)
	}
	if _, err := FromModel(Default(), xor.Model()); err == nil || !strings.Contains(err.Error(), "the spiral data has 2 and needs 3: open this model of 2 classes on xor, circles, moons, linear") {
		t.Errorf("an xor model on the spiral: %v; want the sets of 2 classes named", err)
	}
	spiral, _ := New(Default())
	nanModel := spiral.Model()
	nanModel.Net.Params()[0].Value[3] = float32(math.NaN())
	if _, err := FromModel(Default(), nanModel); err == nil || !strings.Contains(err.Error(), "is NaN; a model's parameters are finite") {
		t.Errorf("a model of a NaN weight: %v; want refused, naming it", err)
	}
}

func TestInputsLayersAndPoints(t *testing.T) {
	cfg := Default()
	cfg.Inputs = []string{"x", "y", "x2", "y2", "xy", "sinx", "siny"}
	cfg.Hidden, cfg.Acts = []int{5, 4}, []string{"", "tanh"}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if s.Net().In != 7 || s.TrainSet.X.Cols != 7 {
		t.Fatalf("a network of %d inputs on data of %d columns; want 7", s.Net().In, s.TrainSet.X.Cols)
	}
	row, raw := s.TrainSet.X.Row(3), s.rawTrain.X.Row(3)
	x, y := float64(raw[0]), float64(raw[1])
	for j, want := range []float64{x, y, x * x, y * y, x * y, math.Sin(x), math.Sin(y)} {
		if math.Abs(float64(row[j])-want) > 1e-6 {
			t.Errorf("input %s of a point (%v, %v) is %v, want %v", cfg.Inputs[j], x, y, row[j], want)
		}
	}
	spec := s.Net().Spec()
	if spec.Layers[1].Act != "relu" || spec.Layers[3].Act != "tanh" {
		t.Errorf("layer activations %q and %q; want relu then tanh", spec.Layers[1].Act, spec.Layers[3].Act)
	}
	if r := s.Regions(6); len(r.Class) != 36 {
		t.Errorf("regions of %d cells", len(r.Class))
	}
	if n := s.Neurons(4); len(n) != 2 || len(n[0]) != 5*16 {
		t.Errorf("neuron maps %d layers", len(n))
	}
	before := s.TrainSet.Len()
	if err := s.AddPoint(0.3, -0.2, 2); err != nil {
		t.Fatal(err)
	}
	if s.TrainSet.Len() != before+1 || s.TrainSet.X.Cols != 7 || s.Config().Dataset != Custom {
		t.Errorf("after adding a point: %d rows of %d, data %q", s.TrainSet.Len(), s.TrainSet.X.Cols, s.Config().Dataset)
	}
	if _, err := s.Epoch(); err != nil {
		t.Fatal(err)
	}
	if err := s.AddPoint(0, 0, 5); err == nil {
		t.Error("a point of class 5 on three classes: no error")
	}
	// The added point is in the run's Data, and its twin trains on the
	// run's points, the added one among them.
	if d := s.Data(); d.Len() != s.TrainSet.Len()+s.TestSet.Len() || d.Labels[d.Len()-1] != 2 || d.X.At(d.Len()-1, 0) != 0.3 {
		t.Errorf("Data after AddPoint: %d points, the last of class %d; want %d, the added one last", d.Len(), d.Labels[d.Len()-1], s.TrainSet.Len()+s.TestSet.Len())
	}
	compare := *s
	compare.cfg.Compare = "tanh"
	twin, err := compare.Twin()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(twin.TrainSet.X.Data, s.TrainSet.X.Data) || !slices.Equal(twin.TrainSet.Labels, s.TrainSet.Labels) {
		t.Errorf("the twin trains on %d points; the run on %d, an added one among them", twin.TrainSet.Len(), s.TrainSet.Len())
	}
	back, err := FromModel(Default(), s.Model())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back.Config().Inputs, cfg.Inputs) {
		t.Errorf("a model of inputs %v opens with %v", cfg.Inputs, back.Config().Inputs)
	}
}

func TestUploadedPoints(t *testing.T) {
	csv := "a,b,kind\n0.1,0.2,cat\n-0.3,0.4,dog\n0.5,-0.6,cat\n0.7,0.8,dog\n"
	ds, err := data.ParseCSV("points.csv", strings.NewReader(csv), data.CSVOptions{Target: "kind"})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Default()
	cfg.TestFraction = 0
	s, err := NewWithData(cfg, ds)
	if err != nil {
		t.Fatal(err)
	}
	if s.Config().Dataset != Custom || s.TrainSet.Len() != 4 {
		t.Errorf("data %q of %d points", s.Config().Dataset, s.TrainSet.Len())
	}
	three, _ := data.ParseCSV("p.csv", strings.NewReader("a,b,c,kind\n1,2,3,x\n4,5,6,y\n"), data.CSVOptions{Target: "kind"})
	if _, err := NewWithData(cfg, three); err == nil || !strings.Contains(err.Error(), "3 feature columns (a, b, c); the playground draws two") {
		t.Errorf("three feature columns: %v", err)
	}
	one, _ := data.ParseCSV("p.csv", strings.NewReader("a,kind\n1,x\n4,y\n"), data.CSVOptions{Target: "kind"})
	if _, err := NewWithData(cfg, one); err == nil || !strings.Contains(err.Error(), "1 feature column (a);") {
		t.Errorf("one feature column: %v; want it counted as one", err)
	}
	none := Default()
	none.Inputs = []string{}
	if _, err := New(none); err == nil || !strings.Contains(err.Error(), "tick at least one of x, y, x², y², x·y, sin x, sin y") {
		t.Errorf("no inputs: %v; want the page's names of them", err)
	}
	far := &data.Dataset{X: tensor.FromRows([][]float32{{0, 1}, {2e20, 3}}), Labels: []int{0, 1}, Classes: 2}
	noTarget := &data.Dataset{X: tensor.FromRows([][]float32{{0, 1}, {2, 3}})}
	nanPoint := &data.Dataset{X: tensor.FromRows([][]float32{{float32(math.NaN()), 1}, {2, 3}}), Labels: []int{0, 1}, Classes: 2}
	noRows := &data.Dataset{X: tensor.New(0, 2), Labels: []int{}, Classes: 2}
	for _, c := range []struct {
		ds   *data.Dataset
		want string
	}{
		{far, "point 2 has the feature 2e+20; the playground takes finite numbers from -1e+09 to 1e+09 (rescale the column)"},
		{nanPoint, "point 1 has the feature NaN"},
		{noTarget, "the points have no target"},
		{noRows, "no points"},
	} {
		if _, err := NewWithData(cfg, c.ds); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewWithData: %v; want an error saying %q", err, c.want)
		}
	}
	for _, none := range []*data.Dataset{nil, {}} {
		if _, err := NewWithData(cfg, none); err == nil || !strings.Contains(err.Error(), "no data") {
			t.Errorf("NewWithData(%v): %v, want no data", none, err)
		}
	}
	// A point that is not finite is refused, named, where the split holds
	// it out for testing too, not taken to fail every later Test.
	cfg.TestFraction = 0.5
	for i := range ds.Len() {
		ds.X.Row(i)[0] = float32(i)
	}
	_, test := split(ds, cfg.TestFraction, cfg.Seed)
	held := int(test.X.At(0, 0))
	ds.X.Row(held)[1] = float32(math.NaN())
	if _, err := NewWithData(cfg, ds); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("point %d has the feature NaN; the playground takes finite numbers", held+1)) {
		t.Errorf("a NaN among the test points: %v", err)
	}
	if _, err := FromModel(cfg, nil); err == nil || !strings.Contains(err.Error(), "no model") {
		t.Errorf("FromModel of no model: %v", err)
	}
}

// TestLayersAreTheHiddenLayers: one entry per hidden layer, whatever its
// kind, in order, with PReLU's learned slope in its lens.
func TestLayersAreTheHiddenLayers(t *testing.T) {
	cfg := Default()
	cfg.Hidden, cfg.Acts = []int{4, 5, 6}, []string{"tanh", "prelu", "maxout"}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	layers := s.Layers()
	if len(layers) != 3 {
		t.Fatalf("%d layers, want 3", len(layers))
	}
	for k, want := range []struct {
		act   string
		units int
	}{{"tanh", 4}, {"prelu", 5}, {"maxout", 6}} {
		l := layers[k]
		if !strings.HasPrefix(l.Act, want.act) || l.Units != want.units || l.Index != k+1 {
			t.Errorf("layer %d: %s of %d units (index %d), want %s of %d", k+1, l.Act, l.Units, l.Index, want.act, want.units)
		}
	}
	if layers[1].F == nil || layers[2].F != nil {
		t.Errorf("lens curves: prelu %d points, maxout %d; want one for prelu only", len(layers[1].F), len(layers[2].F))
	}
	if _, err := s.Epoch(); err != nil {
		t.Fatal(err)
	}
	for k, l := range s.Layers() { // maxout's among them: its own Dense's gradient, which had read 0
		if !(l.GradNorm > 0) {
			t.Errorf("layer %d (%s): gradient %g after an epoch; want it measured", k+1, l.Act, l.GradNorm)
		}
	}
	m := s.net.Layers[len(s.net.Layers)-2].(*nn.Maxout) // a maxout unit whose pieces are 0 is dead
	clear(m.Linear.W.Value[4*m.Linear.In : 6*m.Linear.In])
	clear(m.Linear.B.Value[4:6])
	if l := s.Layers()[2]; !slices.Equal(l.Dead, []bool{false, false, true, false, false, false}) || l.DeadFraction != 1.0/6 {
		t.Errorf("maxout layer with unit 2's pieces 0: dead %v (%g)", l.Dead, l.DeadFraction)
	}
	// idle pieces measured on the training points (unit 2's second piece
	// ties its first everywhere, and ties go to the first)
	l := s.Layers()
	s.net.Forward(s.TrainSet.X, false)
	if want := probe.IdlePieces(m); l[2].IdlePieces != want || !(want >= 1.0/12) || l[0].IdlePieces != 0 {
		t.Errorf("idle pieces: maxout %g, on the training points %g (at least 1 of 12); tanh %g", l[2].IdlePieces, want, l[0].IdlePieces)
	}
	if maps := s.Neurons(4); len(maps) != 3 || len(maps[2]) != 6*16 {
		t.Errorf("neuron maps of %d layers", len(maps))
	}
	var maxout *nn.Maxout
	for _, l := range s.Net().Layers {
		if m, ok := l.(*nn.Maxout); ok {
			maxout = m
		}
	}
	in, bias, ok := s.Unit(3, 5)
	if !ok || len(in) != maxout.Pieces || len(bias) != maxout.Pieces {
		t.Fatalf("maxout unit 6: %v, bias %v, %v; want its %d pieces", in, bias, ok, maxout.Pieces)
	}
	for p := range maxout.Pieces { // unit 6's pieces: rows 5·Pieces on of [6·Pieces, 5]
		row := 5*maxout.Pieces + p
		if want := maxout.Linear.W.Value[row*5 : (row+1)*5]; !slices.Equal(in[p], want) || bias[p] != maxout.Linear.B.Value[row] {
			t.Errorf("maxout unit 6, piece %d: %v, bias %g; want %v, bias %g", p+1, in[p], bias[p], want, maxout.Linear.B.Value[row])
		}
	}
	tanh := s.Net().Layers[0].(*nn.Dense) // layer 1's unit 2: one row
	if in, bias, ok := s.Unit(1, 1); !ok || len(in) != 1 || !slices.Equal(in[0], tanh.W.Value[2:4]) || bias[0] != tanh.B.Value[1] {
		t.Errorf("tanh unit 2: %v, bias %v, %v; want %v, bias %g", in, bias, ok, tanh.W.Value[2:4], tanh.B.Value[1])
	}
	if _, _, ok := s.Unit(3, 6); ok {
		t.Error("maxout unit 7 of 6 was found")
	}
	if err := s.AddPoint(float32(math.NaN()), 0, 0); err == nil {
		t.Error("a NaN point was taken")
	}
	if err := s.AddPoint(3e38, 0, 0); err == nil || !strings.Contains(err.Error(), "want finite coordinates from -1e+09 to 1e+09") {
		t.Errorf("a point at 3e38: %v; want refused, saying the range", err)
	}
}

// TestDefaultKeepsLearning: the page's first run, left to play, learns the
// spiral and stays learnt (at lr 0.1 its relu units died off within a few
// hundred epochs and the accuracy sank to 60%, a poor first sight).
func TestDefaultKeepsLearning(t *testing.T) {
	for _, seed := range []uint64{1, 2} {
		cfg := Default()
		cfg.Seed = seed
		s, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		var st Stats
		for range 1000 {
			if st, err = s.Epoch(); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Test(&st); err != nil {
			t.Fatal(err)
		}
		if st.TrainAccuracy < 0.95 || st.TestAccuracy < 0.9 {
			t.Errorf("seed %d, 1000 epochs: training accuracy %.3f, test %.3f; want 0.95 and 0.9 or more", seed, st.TrainAccuracy, st.TestAccuracy)
		}
	}
}

// TestSummaryCountsADeadUnitOnce: a dead unit is flat on every point; the
// layer's flat share is over the live units, so it is not counted twice.
func TestSummaryCountsADeadUnitOnce(t *testing.T) {
	l := Layer{Units: 4, Dead: []bool{true, false, false, false}, Saturated: []float32{1, 0.5, 0.25, 0}}
	l.summarise()
	if l.DeadFraction != 0.25 || l.SaturatedFraction != 0.25 {
		t.Errorf("dead %g, flat %g; want 0.25 dead and (0.5+0.25+0)/3 = 0.25 flat", l.DeadFraction, l.SaturatedFraction)
	}
	all := Layer{Units: 2, Dead: []bool{true, true}, Saturated: []float32{1, 1}}
	all.summarise()
	if all.DeadFraction != 1 || all.SaturatedFraction != 0 {
		t.Errorf("every unit dead: dead %g, flat %g; want 1 and 0 (no live unit)", all.DeadFraction, all.SaturatedFraction)
	}
}

// TestGraphIsTheNetworksWeights: the graph's columns are the inputs, the
// hidden layers and the outputs, and its edges the weights between them;
// a maxout unit's edge is its piece's weight of largest magnitude.
func TestGraphIsTheNetworksWeights(t *testing.T) {
	cfg := Default()
	cfg.Hidden, cfg.Act, cfg.Inputs = []int{5, 4}, "tanh", []string{"x", "y", "xy"}
	cfg.Acts = []string{"", "maxout"}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	g := s.Graph()
	if !slices.Equal(g.Inputs, []string{"x", "y", "xy"}) || len(g.Edges) != 3 {
		t.Fatalf("inputs %v, %d columns of edges; want x, y, xy and 3", g.Inputs, len(g.Edges))
	}
	var dense []*nn.Dense
	var maxout *nn.Maxout
	for _, l := range s.Net().Layers {
		switch l := l.(type) {
		case *nn.Dense:
			dense = append(dense, l)
		case *nn.Maxout:
			maxout = l
		}
	}
	if maxout == nil || len(dense) != 2 {
		t.Fatalf("the network is not 3-5-(maxout 4)-3: %v", s.Net().Size())
	}
	for c, want := range []struct {
		to, from int
		w        func(j, i int) float32
	}{
		{5, 3, func(j, i int) float32 { return dense[0].W.Value[j*3+i] }},
		{4, 5, func(j, i int) float32 {
			var best float32
			for p := range maxout.Pieces {
				if w := maxout.Linear.W.Value[(j*maxout.Pieces+p)*5+i]; math.Abs(float64(w)) > math.Abs(float64(best)) {
					best = w
				}
			}
			return best
		}},
		{3, 4, func(j, i int) float32 { return dense[1].W.Value[j*4+i] }},
	} {
		e := g.Edges[c]
		if e.To != want.to || e.From != want.from || len(e.W) != want.to*want.from {
			t.Fatalf("column %d: %d×%d with %d weights; want %d×%d", c, e.To, e.From, len(e.W), want.to, want.from)
		}
		for j := range e.To {
			for i := range e.From {
				if e.W[j*e.From+i] != want.w(j, i) {
					t.Errorf("column %d, edge %d→%d: %g, want %g", c, i, j, e.W[j*e.From+i], want.w(j, i))
				}
			}
		}
	}
	dense[0].W.Value[0] = 42
	if s.Graph().Edges[0].W[0] != 42 || g.Edges[0].W[0] == 42 {
		t.Error("the graph's weights are not copies of the weights as they stand")
	}
}

// TestL1SparsifiesTheWeights: the page's L1 reaches the trainer. From
// the same initial weights and batches, 40 epochs with L1 0.003 leave the
// weight matrices smaller in Σ|W| and with more weights near 0 than
// without; the biases are not penalised.
func TestL1SparsifiesTheWeights(t *testing.T) {
	trainWith := func(l1 float64) (sum float64, small int) {
		cfg := Default()
		cfg.L1 = l1
		s, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		epochs(t, s, 40)
		for _, p := range s.Net().Params() {
			if !p.Decay {
				continue
			}
			for _, w := range p.Value {
				sum += math.Abs(float64(w))
				if math.Abs(float64(w)) < 0.01 {
					small++
				}
			}
		}
		return sum, small
	}
	plainSum, plainSmall := trainWith(0)
	l1Sum, l1Small := trainWith(0.003)
	t.Logf("Σ|W| %.2f without L1, %.2f with; weights under 0.01: %d, %d", plainSum, l1Sum, plainSmall, l1Small)
	if l1Sum > 0.8*plainSum || l1Small < 2*plainSmall {
		t.Errorf("L1 0.003 left Σ|W| %.2f (without: %.2f) and %d weights under 0.01 (without: %d); want under 0.8 of it and at least twice as many", l1Sum, plainSum, l1Small, plainSmall)
	}
}

// TestPlaneRegression: a 2-D regression set (gaussians) lies in the
// plane: its points carry their values, its Regions are the network's
// predictions at the cells' centres (no classes, no curve), its neurons
// have maps, it takes the extra inputs, and the network learns it.
// Regression sets count their points in all, not per class.
func TestPlaneRegression(t *testing.T) {
	cfg := Default()
	cfg.Dataset, cfg.Loss, cfg.Hidden, cfg.Act, cfg.Optimizer, cfg.LR = "gaussians", "mse", []int{12, 12}, "tanh", "adam", 0.01
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Plane() || !s.TrainSet.Regression() {
		t.Fatalf("gaussians: Plane %v, Regression %v; want both", s.Plane(), s.TrainSet.Regression())
	}
	trainPoints, _ := s.Points()
	nonzero := 0
	for i, p := range trainPoints {
		x := s.rawTrain.X.Row(i)
		if p.X != x[0] || p.Y != x[1] || p.Value != s.rawTrain.Values.Data[i] || p.Label != 0 {
			t.Fatalf("point %d = %+v; want (%v, %v) of value %v", i, p, x[0], x[1], s.rawTrain.Values.Data[i])
		}
		if p.Value != 0 {
			nonzero++
		}
	}
	if nonzero < len(trainPoints)/2 {
		t.Errorf("%d of %d points carry a value", nonzero, len(trainPoints))
	}
	const n = 7
	r := s.Regions(n)
	if len(r.Value) != n*n || r.Class != nil || r.Curve != nil {
		t.Fatalf("Regions(%d): %d values, %d classes, a curve of %d; want %d values alone", n, len(r.Value), len(r.Class), len(r.Curve), n*n)
	}
	b := s.Bounds()
	for i := range n {
		for j := range n {
			cell := tensor.FromRows([][]float32{{float32(b.XMin + (b.XMax-b.XMin)*(float64(j)+0.5)/n), float32(b.YMax - (b.YMax-b.YMin)*(float64(i)+0.5)/n)}})
			if want := s.Net().Forward(cell, false).Data[0]; math.Abs(float64(r.Value[i*n+j]-want)) > 1e-5*(1+math.Abs(float64(want))) { // one row's sums run in another order
				t.Errorf("cell (%d, %d): %v, the network gives %v there", i, j, r.Value[i*n+j], want)
			}
		}
	}
	if maps := s.Neurons(4); len(maps) != 2 || len(maps[0]) != 12*16 {
		t.Errorf("neuron maps: %d layers; want 2 of 12 maps of 16 cells", len(maps))
	}
	first := s.initialLoss
	last := epochs(t, s, 300)
	if last.TrainLoss > first/4 || !last.Regression {
		t.Errorf("300 epochs: loss %v from %v; want under a quarter of it", last.TrainLoss, first)
	}

	cfg.Inputs = []string{"x", "y", "xy"}
	if s, err := New(cfg); err != nil || s.TrainSet.X.Cols != 3 {
		t.Errorf("gaussians with x, y, xy: %v; want a network of 3 inputs", err)
	}
	cfg.Inputs, cfg.Points = nil, MaxPoints
	if _, err := New(cfg); err != nil {
		t.Errorf("gaussians of %d points: %v; want them taken (a regression set counts all its points)", MaxPoints, err)
	}
	cfg.Dataset, cfg.Loss = "moons", "softmax"
	if _, err := New(cfg); err == nil {
		t.Errorf("moons of %d points a class: want refused", MaxPoints)
	}
}

// TestNewFromCSV: an uploaded table's last column is read as labels where
// it holds labels (even with mse asked for), else as values, for
// regression with mse, over one or two features; three features are
// refused, naming what the playground draws.
func TestNewFromCSV(t *testing.T) {
	cfg := Default()
	cfg.Loss = "mse"
	s, err := NewFromCSV(cfg, "up.csv", "x,y,label\n0,0,a\n1,1,b\n0,1,a\n1,0,b\n")
	if err != nil || s.Config().Loss != "softmax" || s.TrainSet.Regression() || s.Config().Dataset != Custom {
		t.Fatalf("labels: %v; want a softmax run of classes on custom data", err)
	}
	var b strings.Builder
	b.WriteString("x,y,value\n")
	for i := range 40 {
		fmt.Fprintf(&b, "%g,%g,%g\n", float64(i)/40, float64(i%7)/7, float64(i)*0.137)
	}
	cfg.Loss = "softmax"
	s, err = NewFromCSV(cfg, "up.csv", b.String())
	if err != nil || s.Config().Loss != "mse" || !s.TrainSet.Regression() || !s.Plane() {
		t.Fatalf("values over x, y: %v; want an mse run on the plane", err)
	}
	if r := s.Regions(3); len(r.Value) != 9 {
		t.Errorf("values over x, y: %d predictions on a 3×3 grid; want 9", len(r.Value))
	}
	s, err = NewFromCSV(cfg, "up.csv", "x,value\n0,0.1\n1,0.25\n2,0.5\n3,0.7\n4,1.1\n5,1.3\n6,1.7\n7,2.1\n8,2.2\n9,2.9\n10,3.3\n11,3.4\n12,3.9\n")
	if err != nil || s.Plane() || !s.TrainSet.Regression() {
		t.Fatalf("values over x: %v; want a run of a curve", err)
	}
	b.Reset()
	b.WriteString("x,y,z,value\n")
	for i := range 40 {
		fmt.Fprintf(&b, "%d,%d,%d,%g\n", i, i%3, i%5, float64(i)*0.137)
	}
	if _, err := NewFromCSV(cfg, "up.csv", b.String()); err == nil || !strings.Contains(err.Error(), "the playground draws one or two features and one value") {
		t.Errorf("values over three features: %v; want refused, saying what the playground draws", err)
	}
	// The last column as the reader sees the header, which the raw first
	// line's text after its last comma is not.
	utf16 := []byte{0xff, 0xfe}
	for _, r := range "x,y,label\n0,0,a\n1,1,b\n0,1,a\n1,0,b\n" {
		utf16 = append(utf16, byte(r), 0)
	}
	for name, text := range map[string]string{
		"UTF-16":                   string(utf16),
		"semicolons":               "x;y;label\n0;0;a\n1;1;b\n0;1;a\n1;0;b\n",
		"a quoted name with comma": "x,y,\"label, class\"\n0,0,a\n1,1,b\n0,1,a\n1,0,b\n",
		"a spreadsheet's margin":   "x,y,label,\n0,0,a,\n1,1,b,\n0,1,a,\n1,0,b,\n",
	} {
		s, err := NewFromCSV(Default(), "up.csv", text)
		if err != nil || s.TrainSet.Regression() || s.TrainSet.X.Cols != 2 || s.TrainSet.Classes != 2 || !slices.Equal(s.TrainSet.ClassNames, []string{"a", "b"}) || s.Notice() != "" {
			t.Errorf("%s: %v; want two features and the classes a, b, without a notice", name, err)
		}
	}
	// More whole numbers than the page has colours: values, and it says so.
	b.Reset()
	b.WriteString("x,y,grade\n")
	for i := range 40 {
		fmt.Fprintf(&b, "%g,%g,%d\n", float64(i)/40, float64(i%7)/7, i%12)
	}
	s, err = NewFromCSV(Default(), "up.csv", b.String())
	if err != nil || !s.TrainSet.Regression() || !strings.Contains(s.Notice(), `"grade" holds 12 different numbers, more classes than the page has colours for (8): it is read as values`) {
		t.Errorf("twelve whole numbers: %v, notice %q; want values, and the notice", err, s.Notice())
	}
	if _, err := NewFromCSV(Default(), "up.csv", ""); err == nil || !strings.Contains(err.Error(), "up.csv: the file is empty") {
		t.Errorf("an empty file: %v; want it refused as empty", err)
	}
}

// TestParseConfig: the page's settings over the defaults; a value of the
// wrong kind named as the page names the setting, not as Go's decoder.
func TestParseConfig(t *testing.T) {
	cfg, err := ParseConfig(`{"lr": 0.5, "hidden": [4]}`)
	if want := Default(); err != nil || cfg.LR != 0.5 || !slices.Equal(cfg.Hidden, []int{4}) || cfg.Act != want.Act || cfg.Seed != want.Seed {
		t.Errorf("ParseConfig = %+v, %v; want lr 0.5 and hidden [4] over the defaults", cfg, err)
	}
	for text, want := range map[string]string{
		`{"seed": -1}`:      "seed -1: want a whole number from 0 to 9007199254740991",
		`{"seed": 1.5}`:     "seed 1.5: want a whole number from 0",
		`{"seed": 1e20}`:    "seed 1e20: want a whole number from 0",
		`{"batch": 2.5}`:    "batch size 2.5: want a whole number of points from 1",
		`{"lr": "fast"}`:    "learning rate: got a string; want a number",
		`{"hidden": [1.5]}`: "hidden layers 1.5: want whole numbers of neurons",
		`{"act": 3}`:        "activation: got a number; want an activation's name",
		`not json`:          "the settings are not JSON",
	} {
		if _, err := ParseConfig(text); err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "Go struct") {
			t.Errorf("ParseConfig(%s) = %v; want %q", text, err, want)
		}
	}
	wiggly := Default()
	wiggly.Act = "wiggly"
	if _, err := New(wiggly); err == nil || strings.Count(err.Error(), "prelu") != 1 {
		t.Errorf("an unknown activation: %v; want prelu among the choices once", err)
	}
}

// TestSetWeight: a weight set through the graph's coordinates is the
// Dense layer's W[to, from], and the network computes with it; lines into
// a maxout layer, coordinates outside the network and weights that are
// not finite are refused, leaving the weights as they were.
func TestSetWeight(t *testing.T) {
	cfg := Default()
	cfg.Hidden, cfg.Acts = []int{5, 4}, []string{"", "maxout"}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	before, measuredBefore := s.Regions(4), measure(t, s)
	if err := s.SetWeight(0, 3, 1, 2.5); err != nil {
		t.Fatal(err)
	}
	if after := measure(t, s); after.TrainLoss == measuredBefore.TrainLoss || after.Epoch != 0 || !after.HasTest || after.TestLoss == measuredBefore.TestLoss {
		t.Errorf("Measure after SetWeight: %+v, before %+v; want other losses, no epoch trained, the test set's", after, measuredBefore)
	}
	if g := s.Graph(); g.Edges[0].W[3*2+1] != 2.5 {
		t.Errorf("the graph's line from y to the fourth unit: %v, want 2.5", g.Edges[0].W[3*2+1])
	}
	if slices.Equal(before.Confidence, s.Regions(4).Confidence) {
		t.Error("the regions did not change with the weight")
	}
	if err := s.SetWeight(2, 1, 3, -1); err != nil || s.Graph().Edges[2].W[1*4+3] != -1 {
		t.Errorf("the output layer's weight: %v, %v; want -1", err, s.Graph().Edges[2].W[1*4+3])
	}
	snapshot := s.Graph()
	for _, c := range []struct {
		c, to, from int
		w           float64
		want        string
	}{
		{1, 0, 0, 1, "maxout"},
		{0, 5, 0, 1, "no line from node 0 to node 5: the columns have 2 and 5 nodes"},
		{0, 0, -1, 1, "no line from node -1"},
		{3, 0, 0, 1, "no column of lines 3: the network has 3"},
		{0, 0, 0, math.NaN(), "weight NaN"},
		{0, 0, 0, math.Inf(1), "weight +Inf"},
		{0, 0, 0, 101, "want a number from -100 to 100"},
	} {
		if err := s.SetWeight(c.c, c.to, c.from, c.w); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("SetWeight(%d, %d, %d, %v): %v; want an error saying %q", c.c, c.to, c.from, c.w, err, c.want)
		}
	}
	for c, e := range s.Graph().Edges {
		if !slices.Equal(e.W, snapshot.Edges[c].W) {
			t.Errorf("column %d of lines changed under refused settings", c)
		}
	}
}

// measure is s.Measure, which must not fail nor change the weights.
func measure(t *testing.T, s *Session) Stats {
	t.Helper()
	g := s.Graph()
	st, err := s.Measure()
	if err != nil {
		t.Fatal(err)
	}
	for c, e := range s.Graph().Edges {
		if !slices.Equal(e.W, g.Edges[c].W) {
			t.Fatal("Measure changed the weights")
		}
	}
	return st
}

// TestSetWeightKeepsTheRun: a weight set by hand far from training's,
// raising the loss past the page's and train's divergence rules measured
// from the run's start, does not stop the run: the rules measure from the
// loss the weight makes, and training brings it down.
func TestSetWeightKeepsTheRun(t *testing.T) {
	s, err := New(Default())
	if err != nil {
		t.Fatal(err)
	}
	epochs(t, s, 20)
	first := s.initialLoss
	for to := range 16 {
		if err := s.SetWeight(0, to, 0, MaxSetWeight); err != nil {
			t.Fatal(err)
		}
	}
	st, err := s.Measure()
	if err != nil {
		t.Fatal(err)
	}
	if st.TrainLoss < explosion*first {
		t.Fatalf("loss %v after the weights were set, under the page's rule of %v times the start's %v: the test does not reach the rules", st.TrainLoss, explosion, first)
	}
	last := epochs(t, s, 30) // after weights set by hand: training goes on
	if last.TrainLoss >= st.TrainLoss {
		t.Errorf("loss %v after 30 epochs from %v; want it brought down", last.TrainLoss, st.TrainLoss)
	}
}

// epochs trains s for n epochs, which must not fail, and returns the last
// one's figures.
func epochs(t *testing.T, s *Session, n int) Stats {
	t.Helper()
	var st Stats
	for e := range n {
		var err error
		if st, err = s.Epoch(); err != nil {
			t.Fatalf("epoch %d of %d: %v", e+1, n, err)
		}
	}
	return st
}

// TestTwinHealth: compare mode's twin measures its layers' health as the
// run does its own (Health is Layers' figures), and a deep sigmoid twin
// beside a relu run shows what the page compares: its first layer's
// gradient vanishing against its last's, far more than the run's.
func TestTwinHealth(t *testing.T) {
	cfg := Default()
	cfg.Hidden, cfg.Compare = []int{8, 8, 8, 8, 8, 8}, "sigmoid"
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	twin, err := s.Twin()
	if err != nil || twin == nil {
		t.Fatalf("Twin: %v, %v", twin, err)
	}
	for range 3 {
		for _, r := range []*Session{s, twin} {
			if _, err := r.Epoch(); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, r := range []*Session{s, twin} {
		layers, health := r.Layers(), r.Health()
		if len(health) != len(layers) {
			t.Fatalf("%s: Health has %d layers, Layers %d", r.Config().Act, len(health), len(layers))
		}
		for k, h := range health {
			l := layers[k]
			if h != (Health{Act: l.Act, DeadFraction: l.DeadFraction, SaturatedFraction: l.SaturatedFraction, IdlePieces: l.IdlePieces, GradNorm: l.GradNorm}) {
				t.Errorf("%s layer %d: Health %+v; Layers says %s, %g, %g, %g, %g", r.Config().Act, k+1, h, l.Act, l.DeadFraction, l.SaturatedFraction, l.IdlePieces, l.GradNorm)
			}
		}
	}
	ratio := func(h []Health) float64 { return h[0].GradNorm / h[len(h)-1].GradNorm }
	run, sig := ratio(s.Health()), ratio(twin.Health())
	t.Logf("first layer over last: relu %.3g, sigmoid %.3g", run, sig)
	if twin.Health()[0].Act != "sigmoid" || !(sig < 1e-2) || !(sig < run/10) {
		t.Errorf("first layer's gradient over the last's: sigmoid twin %.3g (%s), relu run %.3g; want the twin's vanishing, far below the run's", sig, twin.Health()[0].Act, run)
	}
}

// TestGradientIsTheEpochsMean: a layer's GradNorm is the mean of ‖dW‖ over
// the last epoch's steps, measured here on a second run of the same
// configuration (the same weights and batches) step by step; not the last
// step's, nor a mean that reaches back into the epoch before.
func TestGradientIsTheEpochsMean(t *testing.T) {
	cfg := Default()
	cfg.Hidden, cfg.Act = []int{8, 6}, "tanh"
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	watched, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var steps [][]float64 // the second epoch's ‖dW‖, step by step
	epochs(t, s, 2)
	epochs(t, watched, 1)
	watched.trainer.AfterStep = func(int) { steps = append(steps, probe.WeightGradNorms(watched.net)) }
	epochs(t, watched, 1)
	if len(steps) < 2 {
		t.Fatalf("%d steps in an epoch", len(steps))
	}
	for k, l := range s.Layers() {
		var sum float64
		for _, norms := range steps {
			sum += norms[k]
		}
		mean, last := sum/float64(len(steps)), steps[len(steps)-1][k]
		if math.Abs(l.GradNorm-mean) > 1e-12*mean || l.GradNorm == last {
			t.Errorf("layer %d: GradNorm %.9g; the epoch's %d steps' mean %.9g, its last step's %.9g", k+1, l.GradNorm, len(steps), mean, last)
		}
	}
}
