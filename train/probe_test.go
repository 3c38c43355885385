package train

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/probe"
)

// TestProbeChangesNoBit: a probe runs its sampled steps unfused (every
// layer's values kept apart) and the others on the fused forward and the
// step in the backward pass; the weights end bit for bit as without it,
// and the probe still counts every step (its update ratio is measured on
// the sampled ones, which it could not be if it lost count).
func TestProbeChangesNoBit(t *testing.T) {
	run := func(watch bool) ([][]float32, *probe.Recorder) {
		rng := rand.New(rand.NewPCG(4, 4))
		ds := data.Spiral(60, 3, 0.2, rng)
		net, err := nn.Build(nn.NewMLPSpec(2, []int{16, 16}, 3, "relu", nn.MLPOptions{}), rng)
		if err != nil {
			t.Fatal(err)
		}
		nn.InitDefault(net, rng)
		tr := &Trainer{Net: net, Loss: loss.Softmax{}, Opt: &optim.SGD{LR: 0.1, Momentum: 0.9}, Batch: 16, Shuffle: true,
			Rng: rand.New(rand.NewPCG(5, 5)), StepInBackward: true}
		var r *probe.Recorder
		if watch {
			r = probe.NewRecorder(net, ds.X)
			r.Every = 3
			tr.Probe = r
		}
		for e := 1; e <= 3; e++ {
			if _, _, err := tr.Epoch(t.Context(), ds); err != nil {
				t.Fatal(err)
			}
			if r != nil {
				r.EndEpoch(e)
			}
		}
		var weights [][]float32
		for _, p := range net.Params() {
			weights = append(weights, slices.Clone(p.Value))
		}
		return weights, r
	}
	plain, _ := run(false)
	watched, r := run(true)
	for i := range plain {
		if !slices.Equal(plain[i], watched[i]) {
			t.Fatalf("parameter %d differs with a probe watching", i)
		}
	}
	for _, h := range r.Series() {
		for _, s := range h.Layers {
			if s.UpdateRatio <= 0 || s.WeightGradNorm <= 0 {
				t.Errorf("epoch %d layer %d: update ratio %v, ‖dW‖ %v; want both measured", h.Epoch, s.Layer, s.UpdateRatio, s.WeightGradNorm)
			}
		}
	}
}

// TestFitRefusesAProbeUsedOrOutOfDate: a Recorder that watched a training
// is refused by the next Fit not resuming it (its epochs would run into
// the new run's), and one whose network had an activation replaced since
// NewRecorder is refused before the first step (its end-of-epoch pass had
// read the old layer's values: a panic in Fit).
func TestFitRefusesAProbeUsedOrOutOfDate(t *testing.T) {
	net, ds, cfg := spiralRun()
	cfg.Epochs = 1
	cfg.Probe = probe.NewRecorder(net, ds.X)
	if _, err := Fit(context.Background(), net, loss.Softmax{}, ds, nil, cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := Fit(context.Background(), net, loss.Softmax{}, ds, nil, cfg); err == nil || !strings.Contains(err.Error(), "has watched a training already: make a new Recorder") {
		t.Errorf("a Recorder used again: %v", err)
	}
	net, ds, cfg = spiralRun()
	cfg.Epochs, cfg.Probe = 1, probe.NewRecorder(net, ds.X)
	for i, l := range net.Layers {
		if _, ok := l.(*nn.Activation); ok {
			net.Layers[i] = nn.NewActivation(act.MustNew("tanh"))
			break
		}
	}
	if _, err := Fit(context.Background(), net, loss.Softmax{}, ds, nil, cfg); err == nil || !strings.Contains(err.Error(), "layers changed since NewRecorder") {
		t.Errorf("an activation replaced after NewRecorder: %v", err)
	}
}
