package probe

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/nn"
)

// TestCheckFindsTheLayersChanged: a Recorder whose network had a layer
// replaced, added or removed since NewRecorder is refused by Check (its
// end-of-epoch pass had read the old layer's values, nil: a panic in
// train.Fit), as is a sample holding NaN and a Recorder of no network,
// each said as it is.
func TestCheckFindsTheLayersChanged(t *testing.T) {
	for name, change := range map[string]func(net *nn.Sequential){
		"activation replaced": func(net *nn.Sequential) { net.Layers[1] = nn.NewActivation(act.MustNew("tanh")) },
		"dense replaced":      func(net *nn.Sequential) { net.Layers[0] = nn.NewDense(2, 4) },
		"layer removed":       func(net *nn.Sequential) { net.Layers = append(net.Layers[:1:1], net.Layers[2:]...) },
	} {
		net := twoLayer(t, "relu")
		r := NewRecorder(net, data(8))
		change(net)
		if err := r.Check(net); err == nil || !strings.Contains(err.Error(), "layers changed since NewRecorder") {
			t.Errorf("%s: Check = %v; want the layers told changed", name, err)
		}
	}
	net := twoLayer(t, "relu")
	if err := NewRecorder(net, data(8)).Check(net); err != nil {
		t.Errorf("an unchanged network: %v", err)
	}
	x := data(8)
	x.Data[5] = float32(math.NaN())
	if err := NewRecorder(net, x).Check(net); err == nil || !strings.Contains(err.Error(), "holds NaN (row 2, column 1)") {
		t.Errorf("a sample with NaN: %v; want it refused, naming where", err)
	}
	if err := NewRecorder(nil, x).Check(net); err == nil || !strings.Contains(err.Error(), "NewRecorder(nil, x)") {
		t.Errorf("a Recorder of no network: %v", err)
	}
}

// TestSeriesIsACopy: what Series returns the caller may change without
// changing what the Recorder keeps.
func TestSeriesIsACopy(t *testing.T) {
	net := twoLayer(t, "relu")
	x := data(16)
	r := NewRecorder(net, x)
	if err := r.Check(net); err != nil { // the start measured: figures held by pointer
		t.Fatal(err)
	}
	for e := 1; e <= 2; e++ {
		stepByHand(r, net, x)
		r.EndEpoch(e)
	}
	s := r.Series()
	s[0].Layers[0].Dead = 0.99
	*s[0].Layers[0].PreStdAtStart = 12345
	_ = append(s[:1], EpochHealth{Epoch: 99})
	if again := r.Series(); again[1].Epoch != 2 || again[0].Layers[0].Dead == 0.99 || *again[0].Layers[0].PreStdAtStart == 12345 {
		t.Errorf("after the caller's changes, the Recorder keeps epochs %d and %d, dead %v, pre std at the start %v", again[0].Epoch, again[1].Epoch, again[0].Layers[0].Dead, *again[0].Layers[0].PreStdAtStart)
	}
	resumed := NewRecorder(net, x)
	if err := resumed.Continue(s[:1], Partial{}); err != nil {
		t.Fatal(err)
	}
	*s[0].Layers[0].PreStdAtStart = 1
	if kept := resumed.Series()[0].Layers[0].PreStdAtStart; *kept != 12345 {
		t.Errorf("a change to the epochs Continue was given reached the Recorder: %v", *kept)
	}
	if !r.Started() || NewRecorder(net, x).Started() {
		t.Errorf("Started: %v for a Recorder of two epochs, %v for a new one; want true, false", r.Started(), NewRecorder(net, x).Started())
	}
}

// TestWarningsOfStillAndGrownLayers: weights no sampled step moved
// (ratio 0) are warned of, with the saturation's remedies where the layer
// sits on elu's flat tail, which is saturation (its output is −1 there,
// not 0: no unit is dead); a first layer whose pre-activations' std passes
// LargePreStd is told its weights grew where they did not start so, its
// inputs' scales where they did.
func TestWarningsOfStillAndGrownLayers(t *testing.T) {
	v := func(x float64) *float64 { return &x }
	cases := []struct {
		s         LayerStats
		condition string
		has       string
	}{
		{LayerStats{Layer: 1, Activation: "elu(alpha=1)", Units: 8, Saturated: 1, WeightGradNorm: 3.7e-15}, "update-low", "did not move in the steps sampled in epoch 4 (update/weight ratio 0, ‖dW‖ 3.7e-15)"},
		{LayerStats{Layer: 1, Activation: "elu(alpha=1)", Units: 8, Saturated: 1, WeightGradNorm: 3.7e-15}, "saturated", "100% of unit-examples are saturated (f' below 1% of its maximum) in epoch 4; smaller initial weights (xavier-uniform), standardised inputs or leaky_relu"},
		{LayerStats{Layer: 1, Activation: "tanh", Units: 8, Saturated: 0.9, UpdateRatio: 1e-3}, "saturated", "standardised inputs or relu, which does not saturate"},
		{LayerStats{Layer: 1, Activation: "relu", Units: 8, PreStd: 79, PreStdAtStart: v(0.46), UpdateRatio: 1e-3}, "weights-grown", "std of 79 in epoch 4, against 0.46 at the initial weights: its weights grew"},
		{LayerStats{Layer: 1, Activation: "relu", Units: 8, PreStd: 79, PreStdAtStart: v(75), UpdateRatio: 1e-3}, "large-inputs", "the inputs are on large scales"},
		{LayerStats{Layer: 1, Activation: "relu", Units: 8, PreStd: 79, UpdateRatio: 1e-3}, "large-inputs", "the inputs are on large scales"},
	}
	for _, c := range cases {
		var said []string
		found := false
		for _, w := range Warnings(EpochHealth{Epoch: 4, Layers: []LayerStats{c.s}}) {
			said = append(said, w.Condition)
			found = found || w.Condition == c.condition && strings.Contains(w.Message, c.has)
		}
		if !found {
			t.Errorf("%+v: warnings %v; want %s saying %q", c.s, said, c.condition, c.has)
		}
	}
	// relu's off side is no saturation (its units there are dead), and a
	// layer whose ratio was measured above 0 gets no still-weights warning.
	for _, w := range Warnings(EpochHealth{Epoch: 4, Layers: []LayerStats{{Layer: 1, Activation: "relu", Units: 8, Saturated: 0.9, UpdateRatio: 1e-3}}}) {
		t.Errorf("relu at 90%% \"saturated\" and a ratio of 1e-3: %s", w.Message)
	}
}

// TestTheStartsPreStdThroughAResume: the first layer's pre-activations'
// std at the initial weights is measured at Check, kept in each epoch and
// in the sums a checkpoint keeps, and taken up by a resumed Recorder.
func TestTheStartsPreStdThroughAResume(t *testing.T) {
	net := twoLayer(t, "relu") // unit 2 at −100, unit 3 at +100: a std near √5000 ≈ 71
	x := data(64)
	r := NewRecorder(net, x)
	if err := r.Check(net); err != nil {
		t.Fatal(err)
	}
	stepByHand(r, net, x)
	resumed := NewRecorder(net, x)
	if err := resumed.Continue(nil, r.Partial()); err != nil {
		t.Fatal(err)
	}
	a, b := r.EndEpoch(1).Layers[0].PreStdAtStart, resumed.EndEpoch(1).Layers[0].PreStdAtStart
	if a == nil || b == nil || *a < 65 || *a > 75 || *a != *b {
		t.Errorf("the pre-activations' std at the start: %v straight through, %v resumed; want one number near 71", deref(a), deref(b))
	}
}

func deref(p *float64) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprint(*p)
}

// TestContinueRefusesFiguresNoRecorderGives: earlier epochs whose shares
// pass 1 or fall below 0, whose counts are negative or whose epochs do
// not count from 1 are refused; a NaN dead share (a diverged output) is
// not.
func TestContinueRefusesFiguresNoRecorderGives(t *testing.T) {
	net := twoLayer(t, "relu")
	good := LayerStats{Layer: 1, Activation: "relu", Units: 4, Dead: math.NaN(), Saturated: 0.1, UpdateRatio: 1e-3}
	for name, c := range map[string]struct {
		change func(*EpochHealth)
		ok     bool
	}{
		"as a Recorder gives": {func(*EpochHealth) {}, true},
		"dead 3.5":            {func(h *EpochHealth) { h.Layers[0].Dead = 3.5 }, false},
		"saturated -1":        {func(h *EpochHealth) { h.Layers[0].Saturated = -1 }, false},
		"units -999":          {func(h *EpochHealth) { h.Layers[0].Units = -999 }, false},
		"norm +Inf":           {func(h *EpochHealth) { h.Layers[0].WeightGradNorm = math.Inf(1) }, false},
		"epoch 2 first":       {func(h *EpochHealth) { h.Epoch = 2 }, false},
	} {
		h := EpochHealth{Epoch: 1, Layers: []LayerStats{good}}
		c.change(&h)
		err := NewRecorder(net, data(8)).Continue([]EpochHealth{h}, Partial{})
		if (err == nil) != c.ok {
			t.Errorf("%s: Continue = %v; want ok %v", name, err, c.ok)
		}
	}
}
