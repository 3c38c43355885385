package probe

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/tensor"
)

// twoLayer is 2 inputs → 4 relu units → 2 outputs with hand-set weights:
// units 0 and 1 follow x0 and x1, unit 2 is x0 − 100 (dead on data in
// [−1, 1]), unit 3 is x1 + 100 (always alive).
func twoLayer(t *testing.T, f string) *nn.Sequential {
	net, err := nn.Build(nn.NewMLPSpec(2, []int{4}, 2, f, nn.MLPOptions{}), rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	d := net.Layers[0].(*nn.Dense)
	copy(d.W.Value, []float32{1, 0, 0, 1, 1, 0, 0, 1})
	copy(d.B.Value, []float32{0, 0, -100, 100})
	out := net.Layers[2].(*nn.Dense)
	for i := range out.W.Value {
		out.W.Value[i] = 0.1
	}
	return net
}

func data(n int) *tensor.Matrix {
	rng := rand.New(rand.NewPCG(2, 2))
	x := tensor.New(n, 2)
	for i := range x.Data {
		x.Data[i] = float32(2*rng.Float64() - 1)
	}
	return x
}

func TestRecorderFindsDeadUnitsAndMeasuresUpdates(t *testing.T) {
	net := twoLayer(t, "relu")
	x := data(64)
	r := NewRecorder(net, x)
	r.Every = 1
	d := net.Layers[0].(*nn.Dense)
	stepByHand(r, net, x)
	h := r.EndEpoch(1)
	if len(h.Layers) != 1 {
		t.Fatalf("health of %d layers, want 1", len(h.Layers))
	}
	s := h.Layers[0]
	if s.Dead != 0.25 {
		t.Errorf("dead fraction %v, want 0.25 (unit 2 of 4)", s.Dead)
	}
	if math.Abs(s.UpdateRatio-0.01/1.01) > 1e-6 {
		t.Errorf("update ratio %v, want %v", s.UpdateRatio, 0.01/1.01)
	}
	if want := norm(d.W.Grad); math.Abs(s.WeightGradNorm-want) > 1e-9 || s.WeightGradNorm == 0 {
		t.Errorf("weight gradient norm %v, want %v", s.WeightGradNorm, want)
	}
	// relu′ = 0 where the pre-activation is negative (unit 2 always, units
	// 0 and 1 about half the time): off, not saturated (see flatness).
	if s.Saturated != 0 {
		t.Errorf("relu saturated %v, want 0", s.Saturated)
	}
	if s.PreMean > 0 || s.ActMean <= 0 {
		t.Errorf("pre-activation mean %v, activation mean %v", s.PreMean, s.ActMean)
	}
	if len(r.Series()) != 1 {
		t.Errorf("series of %d epochs", len(r.Series()))
	}
	// tanh: units 2 and 3, at about −100 and +100, saturate on every
	// example; units 0 and 1, within [−1, 1], never do.
	net = twoLayer(t, "tanh")
	r = NewRecorder(net, x)
	r.Every = 1
	stepByHand(r, net, x)
	if got := r.EndEpoch(1).Layers[0].Saturated; got != 0.5 {
		t.Errorf("tanh saturated %v, want 1/2", got)
	}
}

// stepByHand takes one step of net on x as a trainer would, with r
// watching: forward, a gradient of ones at the output, backward, and an
// update that moves the first layer's weight by exactly 1% of its norm.
func stepByHand(r *Recorder, net *nn.Sequential, x *tensor.Matrix) {
	net.ZeroGrad()
	out := net.Forward(x, true)
	dOut := tensor.New(out.Rows, out.Cols)
	for i := range dOut.Data {
		dOut.Data[i] = 1
	}
	net.Backward(dOut)
	r.AfterBackward()
	r.BeforeUpdate()
	w := net.Params()[0] // the first layer's weight
	for i := range w.Value {
		w.Value[i] *= 1.01
	}
	r.AfterUpdate()
}

func TestWarnings(t *testing.T) {
	h := EpochHealth{Epoch: 3, Layers: []LayerStats{
		{Layer: 1, Activation: "relu", Units: 256, Dead: 0.78, Saturated: 0.9, UpdateRatio: 0.02},
		{Layer: 2, Activation: "sigmoid", Units: 64, Dead: 0, Saturated: 0.7, UpdateRatio: 5e-5},
		{Layer: 3, Activation: "tanh", Units: 64, Dead: 0.05, Saturated: 0.2, UpdateRatio: 1e-3},
		{Layer: 4, Activation: "relu", Units: 64, Dead: 0.9, Saturated: 0, UpdateRatio: 5e-5},
		{Layer: 5, Activation: "maxout(pieces=2)", Units: 32, Dead: 1, UpdateRatio: 0.0104},
		{Layer: 6, Activation: "maxout(pieces=2)", Units: 32, Dead: 0.5, UpdateRatio: 5e-5},
	}}
	got := map[string]string{}
	for _, w := range Warnings(h) {
		got[fmt.Sprint(w.Layer)+w.Condition] = w.Message
	}
	want := map[string][]string{
		"1dead":        {"warning: layer 1 (relu)", "78%", "lower learning rate", "leaky_relu"},
		"1update-high": {"warning: layer 1", "0.02", "lower learning rate"},
		"2saturated":   {"warning: layer 2 (sigmoid)", "70%", "initial weights"},
		"2update-low":  {"warning: layer 2", "5e-05", "higher learning rate"},
		"4dead":        {"warning: layer 4 (relu)", "90%", "lower learning rate"},
		"4update-low":  {"warning: layer 4", "5e-05", "with 90% of its units dead", "over the live ones alone, about 0.00016", "may kill more of them"},
		// maxout units at 0 are not stuck: their pieces' weights say why
		"5dead":        {"warning: layer 5 (maxout(pieces=2))", "100% of its 32 units output 0", "not of dying: another initialisation"},
		"5update-high": {"ratio 0.0104, above 1e-02"},
		"6dead":        {"warning: layer 6 (maxout(pieces=2))", "50% of its 32 units output 0"},
		"6update-low":  {"warning: layer 6", "5e-05", "a higher learning rate or another initialisation"},
	}
	if len(got) != len(want) {
		t.Errorf("warnings %v, want exactly %v", got, want)
	}
	for key, parts := range want {
		for _, p := range parts {
			if !strings.Contains(got[key], p) {
				t.Errorf("warning %s = %q lacks %q", key, got[key], p)
			}
		}
	}
	if strings.Contains(got["5dead"], "leaky_relu") {
		t.Errorf("warning 5dead = %q: relu's remedies for a maxout layer", got["5dead"])
	}
	if strings.Contains(got["4update-low"], "a higher learning rate or") {
		t.Errorf("warning 4update-low = %q: a higher learning rate offered to a layer of dead units", got["4update-low"])
	}
}

func TestSampledStepsOnly(t *testing.T) {
	net := twoLayer(t, "tanh")
	r := NewRecorder(net, data(32))
	r.Every = 3
	x := data(8)
	for range 6 { // steps 0 and 3 are sampled
		net.Forward(x, true)
		net.Backward(tensor.New(8, 2))
		r.AfterBackward()
		r.BeforeUpdate()
		r.AfterUpdate()
	}
	if got := r.layers[0].sampled; got != 2 {
		t.Errorf("%d steps sampled of 6 with Every = 3, want 2", got)
	}
}

// TestEveryEpochSampled: epochs of fewer steps than Every (two steps an
// epoch, Every 10) are each measured at their first step, rather than
// reported as zeros between the epochs a global count happened to hit.
func TestEveryEpochSampled(t *testing.T) {
	net := twoLayer(t, "tanh")
	r := NewRecorder(net, data(32))
	x := data(8)
	for epoch := 1; epoch <= 6; epoch++ {
		for range 2 {
			stepByHand(r, net, x)
		}
		s := r.EndEpoch(epoch).Layers[0]
		if s.PreStd == 0 || s.WeightGradNorm == 0 || s.UpdateRatio == 0 {
			t.Errorf("epoch %d of 2 steps, Every 10: pre-activation std %v, |dW| %v, update ratio %v; want each measured", epoch, s.PreStd, s.WeightGradNorm, s.UpdateRatio)
		}
	}
}

// TestContinueRefusesOtherSums: a resumed Recorder takes sums of as many
// layers as it watches, sampled as it samples; the zero Partial starts
// the epoch afresh.
func TestContinueRefusesOtherSums(t *testing.T) {
	r := NewRecorder(twoLayer(t, "relu"), data(8))
	for _, c := range []struct {
		partial Partial
		want    string // the error, or "" for none
	}{
		{Partial{}, ""},
		{Partial{Step: 3, Every: 10, Layers: make([]PartialLayer, 1)}, ""},
		{Partial{Step: 3, Every: 10, Layers: make([]PartialLayer, 2)}, "sums are of 2 layers; the Recorder watches 1"},
		{Partial{Step: 3, Every: 4, Layers: make([]PartialLayer, 1)}, "sampled every 4 steps; this Recorder samples every 10"},
		{Partial{Step: -5, Every: 10, Layers: make([]PartialLayer, 1)}, "sums are of -5 steps; want 0 or more"},
		{Partial{Step: 3, Every: 10, Layers: []PartialLayer{{Pre: [3]float64{-1, 0, 0}}}}, "the probe's sums of layer 1"},
		{Partial{Step: 3, Every: 10, Layers: []PartialLayer{{UpdateRatios: math.NaN()}}}, "the probe's sums of layer 1"},
		{Partial{Step: 3, Every: 10, Layers: []PartialLayer{{Saturated: 5, Entries: 1}}}, "5 saturated entries of 1"},
		{Partial{Step: 3, Every: 10, Layers: []PartialLayer{{Sampled: 1, RatioSampled: 7}}}, "7 steps with an update ratio of 1 sampled"},
	} {
		err := r.Continue(nil, c.partial)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("Continue(%+v): %v; want %q", c.partial, err, c.want)
		}
	}
	if err := r.Continue([]EpochHealth{{Epoch: 1}}, Partial{Step: 2, Every: 10, Layers: []PartialLayer{{Sampled: 1, WeightGradNorms: 0.5}}}); err != nil {
		t.Fatal(err)
	}
	if p := r.Partial(); p.Step != 2 || p.Layers[0].Sampled != 1 || p.Layers[0].WeightGradNorms != 0.5 || len(r.Series()) != 1 {
		t.Errorf("after Continue, Partial() = %+v and %d epochs; want the sums given and 1 epoch", p, len(r.Series()))
	}
}

// TestRecorderWatchesMaxout: a maxout layer is a hidden layer of its own,
// numbered with the others (the tanh after it is layer 2, in Health too);
// its figures are its pieces' (the gradient of their weights, their values
// as pre-activations), a unit whose pieces are all 0 is dead, and none is
// saturated.
func TestRecorderWatchesMaxout(t *testing.T) {
	spec := nn.Spec{In: 2, Layers: []nn.LayerSpec{{Type: "maxout", In: 2, Out: 4, Pieces: 2},
		{Type: "dense", In: 4, Out: 3}, {Type: "activation", Act: "tanh"}, {Type: "dense", In: 3, Out: 2}}}
	net, err := nn.Build(spec, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if err := nn.Init(net, "default", rand.New(rand.NewPCG(3, 3))); err != nil {
		t.Fatal(err)
	}
	m := net.Layers[0].(*nn.Maxout)
	for _, row := range []int{2, 3} { // unit 1's two pieces: 0 everywhere
		clear(m.Linear.W.Value[row*2 : row*2+2])
		m.Linear.B.Value[row] = 0
	}
	x := data(64)
	r := NewRecorder(net, x)
	r.Every = 1
	net.Forward(x, true) // as the step will
	var pre moments
	pre.add(m.PieceValues().Data)
	stepByHand(r, net, x)
	h := r.EndEpoch(1)
	if len(h.Layers) != 2 {
		t.Fatalf("health of %d layers, want the maxout and the tanh", len(h.Layers))
	}
	s := h.Layers[0]
	if s.Layer != 1 || s.Activation != "maxout(pieces=2)" || s.Pieces != 2 || s.Units != 4 || h.Layers[1].Layer != 2 || h.Layers[1].Pieces != 0 {
		t.Errorf("layers %d %q of %d units, then %d; want 1 \"maxout(pieces=2)\" of 4, then 2", s.Layer, s.Activation, s.Units, h.Layers[1].Layer)
	}
	if s.Dead != 0.25 || s.Saturated != 0 {
		t.Errorf("maxout dead %v, saturated %v; want 0.25 (unit 1 of 4) and 0", s.Dead, s.Saturated)
	}
	if want := norm(m.Linear.W.Grad); math.Abs(s.WeightGradNorm-want) > 1e-9 || s.WeightGradNorm == 0 {
		t.Errorf("weight gradient norm %v, want %v (its pieces')", s.WeightGradNorm, want)
	}
	if want := norm(m.Linear.InputGrad().Data); math.Abs(s.InputGradNorm-want) > 1e-9 || s.InputGradNorm == 0 {
		t.Errorf("input gradient norm %v, want %v (reaching its pieces' input)", s.InputGradNorm, want)
	}
	if mean, std := pre.meanStd(); s.PreMean != mean || s.PreStd != std || pre.n != 64*8 {
		t.Errorf("pre-activations %v ± %v, want the pieces' %v ± %v (of %v values)", s.PreMean, s.PreStd, mean, std, pre.n)
	}
	if math.Abs(s.UpdateRatio-0.01/1.01) > 1e-6 {
		t.Errorf("update ratio %v, want %v", s.UpdateRatio, 0.01/1.01)
	}
	// Idle pieces, by their values at the epoch's end (the pass for dead
	// units): unit 1's second piece ties its first at 0, and ties go to
	// the first.
	won := make([]bool, 8)
	for i := range x.Rows {
		row := m.PieceValues().Row(i)
		for j := range 4 {
			best := 2 * j
			if row[2*j+1] > row[best] {
				best = 2*j + 1
			}
			won[best] = true
		}
	}
	if want := fractionDead(won); s.IdlePieces != want || won[3] || h.Layers[1].IdlePieces != 0 {
		t.Errorf("idle pieces %v, want %v (piece 3 among them); the tanh's %v", s.IdlePieces, want, h.Layers[1].IdlePieces)
	}
	if got := Health(net, x); len(got) != 1 || got[0].Hidden != 2 {
		t.Errorf("Health: %+v; want the tanh, numbered 2 after the maxout", got)
	}
}

// TestRecorderOutOfOrderAndNil: AfterUpdate without a BeforeUpdate in the
// step measures no update rather than indexing weights it never kept, and
// IdlePieces of no layer is 0.
func TestRecorderOutOfOrderAndNil(t *testing.T) {
	net := twoLayer(t, "relu")
	r := NewRecorder(net, data(8))
	r.AfterUpdate()
	if h := r.EndEpoch(1); len(h.Layers) != 1 || h.Layers[0].UpdateRatio != 0 {
		t.Errorf("an epoch of an AfterUpdate alone: %+v; want one layer, no update measured", h.Layers)
	}
	// A sampled step with BeforeUpdate, then one without (Every 1: both
	// sampled) after the weights moved: only the first is measured.
	r = NewRecorder(net, data(8))
	r.Every = 1
	r.BeforeUpdate()
	r.AfterUpdate() // no change: a ratio of 0
	net.Params()[0].Value[0] += 10
	r.AfterUpdate() // no BeforeUpdate in this step: not measured against the first's weights
	if h := r.EndEpoch(1); h.Layers[0].UpdateRatio != 0 {
		t.Errorf("a step without BeforeUpdate after one with: update ratio %v; want 0, the second step not measured", h.Layers[0].UpdateRatio)
	}
	if v := IdlePieces(nil); v != 0 {
		t.Errorf("IdlePieces(nil) = %v; want 0", v)
	}
}

// TestRecorderKeepsTheStart: a Recorder checked before its first step
// keeps each layer's dead share at the weights training started from,
// beside the epoch's; one never checked says it does not know.
func TestRecorderKeepsTheStart(t *testing.T) {
	for _, checked := range []bool{true, false} {
		net := twoLayer(t, "relu") // unit 2 dead from the start (bias −100)
		x := data(64)
		r := NewRecorder(net, x)
		if checked {
			if err := r.Check(net); err != nil {
				t.Fatal(err)
			}
		}
		net.Layers[0].(*nn.Dense).B.Value[0] = -100 // "training" kills unit 0
		stepByHand(r, net, x)
		s := r.EndEpoch(1).Layers[0]
		switch {
		case s.Dead != 0.5:
			t.Errorf("checked %v: dead %v after the epoch; want 0.5", checked, s.Dead)
		case checked && (s.DeadAtStart == nil || *s.DeadAtStart != 0.25 || s.SaturatedAtStart == nil):
			t.Errorf("checked: dead at the start %v, saturated %v; want 0.25 and a share", s.DeadAtStart, s.SaturatedAtStart)
		case !checked && (s.DeadAtStart != nil || s.SaturatedAtStart != nil):
			t.Errorf("never checked: dead and saturated at the start %v, %v; want not known (nil)", s.DeadAtStart, s.SaturatedAtStart)
		}
	}
}

// TestWarningsTellTheStart: a dead layer whose units were dead at the
// initial weights is not told to lower its learning rate (training did
// not kill them); a layer training drove onto its tails is told to lower
// it; a saturated layer's low update ratio is not told to raise it; a
// step layer, which passes no gradient, is not offered remedies.
func TestWarningsTellTheStart(t *testing.T) {
	share := func(v float64) *float64 { return &v }
	h := EpochHealth{Epoch: 2, Layers: []LayerStats{
		{Layer: 1, Activation: "relu", Units: 32, Dead: 0.16, DeadAtStart: share(0.16), UpdateRatio: 1e-3},
		{Layer: 2, Activation: "relu", Units: 32, Dead: 0.5, DeadAtStart: share(0.06), UpdateRatio: 1e-3},
		{Layer: 3, Activation: "tanh", Units: 32, Saturated: 0.97, SaturatedAtStart: share(0.01), UpdateRatio: 5.9e-5},
		{Layer: 4, Activation: "sigmoid", Units: 32, Saturated: 0.9, SaturatedAtStart: share(0.8), UpdateRatio: 1e-3},
		{Layer: 5, Activation: "step(at_zero=1)", Units: 16, Dead: 0.25, DeadAtStart: share(0.25), UpdateRatio: 1e-3},
		{Layer: 6, Activation: "relu", Units: 32, Dead: 0.6, DeadAtStart: share(0.3), UpdateRatio: 1e-3}, // half of them killed by training
	}}
	got := map[string]string{}
	for _, w := range Warnings(h) {
		got[fmt.Sprint(w.Layer)+w.Condition] = w.Message
	}
	for key, c := range map[string]struct{ has, lacks string }{
		"1dead":       {"16% were dead at the initial weights, so training killed few if any", "a lower learning rate, leaky_relu"},
		"2dead":       {"6% of them at the initial weights: training killed 44% more, and a lower learning rate", "killed few"},
		"3saturated":  {"against 1% at the initial weights: training drove them onto the tails, and a lower learning rate usually helps", "smaller initial weights"},
		"3update-low": {"with 97% of unit-examples saturated", "a higher learning rate or"},
		"4saturated":  {"smaller initial weights", "lower learning rate"},
		"5dead":       {"backpropagation cannot train it", "leaky_relu"},
		"6dead":       {"30% of them at the initial weights: training killed 30% more", "killed few"},
	} {
		if !strings.Contains(got[key], c.has) || strings.Contains(got[key], c.lacks) {
			t.Errorf("warning %s = %q; want %q in it and not %q", key, got[key], c.has, c.lacks)
		}
	}
}

// TestSumSquaresAtTheEdges: the probe's sums of squares run in float32 on
// the vector kernels, and in float64 where float32 would overflow (a
// gradient of 1e20) or underflow (one of 1e-20, a vanishing gradient the
// probe must show, not call 0); in between they stay within 1e-5 of the
// float64 sum, odd lengths included.
func TestSumSquaresAtTheEdges(t *testing.T) {
	exact := func(v []float32) float64 {
		var s float64
		for _, x := range v {
			s += float64(x) * float64(x)
		}
		return s
	}
	rng := rand.New(rand.NewPCG(3, 3))
	random := make([]float32, 200_003)
	for i := range random {
		random[i] = float32(rng.NormFloat64())
	}
	for _, v := range [][]float32{{1e20, -1e20, 3}, {1e-20, 1e-20, -1e-20}, random, random[:17], {}} {
		got, want := sumSquares(v), exact(v)
		if math.Abs(got-want) > 1e-5*want {
			t.Errorf("sumSquares of %d values from %g: %g; want %g", len(v), firstOf(v), got, want)
		}
	}
}

func firstOf(v []float32) float32 {
	if len(v) == 0 {
		return 0
	}
	return v[0]
}

// TestRecorderKeepsTheStartThroughAResume: a run stopped in its first
// epoch, before any epoch's health kept the start, carries it in its
// partial sums, and the Recorder that resumes it reports it as the first
// would have (it had reported none, and warned as if none were known).
// Each epoch's figure is its own.
func TestRecorderKeepsTheStartThroughAResume(t *testing.T) {
	net := twoLayer(t, "relu")
	x := data(64)
	first := NewRecorder(net, x)
	if err := first.Check(net); err != nil {
		t.Fatal(err)
	}
	stepByHand(first, net, x)
	partial := first.Partial()
	resumed := NewRecorder(net, x)
	if err := resumed.Continue(nil, partial); err != nil {
		t.Fatal(err)
	}
	if err := resumed.Check(net); err != nil {
		t.Fatal(err)
	}
	s := resumed.EndEpoch(1).Layers[0]
	if s.DeadAtStart == nil || *s.DeadAtStart != 0.25 {
		t.Fatalf("resumed in epoch 1: dead at the start %v; want the first run's 0.25", s.DeadAtStart)
	}
	*s.DeadAtStart = 0.9
	if next := resumed.EndEpoch(2).Layers[0]; *next.DeadAtStart != 0.25 {
		t.Errorf("a caller's change to one epoch's figure reached the next: %v", *next.DeadAtStart)
	}
}
