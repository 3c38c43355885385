package train

import (
	"context"
	"errors"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/probe"
)

// checkpointRun is a small run with dropout, Adam (two slots a
// parameter), early stopping's best weights and a probe: every part of a
// Checkpoint.
func checkpointRun() (*nn.Sequential, *data.Dataset, *data.Dataset, Config) {
	rng := rand.New(rand.NewPCG(7, 7))
	ds := data.Spiral(40, 3, 0.2, rng)
	trainSet, valSet := ds.Rows(rng.Perm(ds.Len())).SplitTail(0.25)
	net, err := nn.Build(nn.NewMLPSpec(2, []int{12, 12}, 3, "tanh", nn.MLPOptions{Dropout: 0.1}), rng)
	if err != nil {
		panic(err)
	}
	nn.InitDefault(net, rng) // Build leaves the weights at 0
	cfg := Config{Epochs: 6, Batch: 10, Shuffle: true, Seed: 3, Patience: 10,
		Optimizer: optim.Config{Name: "adam", LR: 0.01}, Schedule: optim.Schedule{Name: "cosine"}}
	cfg.Probe = probe.NewRecorder(net, trainSet.X)
	return net, trainSet, valSet, cfg
}

// TestCheckpointFileResumesBitForBit: a run saved with SaveCheckpoint
// after 3 of 6 epochs, loaded with LoadCheckpoint (the network rebuilt
// from the file) and resumed, ends with the weights and the probe's
// series of a run straight through.
func TestCheckpointFileResumesBitForBit(t *testing.T) {
	net, trainSet, valSet, cfg := checkpointRun()
	if _, err := Fit(context.Background(), net, loss.Softmax{}, trainSet, valSet, cfg); err != nil {
		t.Fatal(err)
	}
	straight := cfg.Probe.Series()
	if h := straight[len(straight)-1].Layers[0]; h.Dead == 1 || h.ActStd == 0 || h.UpdateRatio == 0 {
		t.Fatalf("the run straight through learned nothing to compare: %+v", h)
	}

	half, _, _, cfg := checkpointRun()
	path := filepath.Join(t.TempDir(), "run.ckpt")
	cfg.CheckpointEvery = 3
	cfg.OnCheckpoint = func(c *Checkpoint) error {
		if c.Epoch != 3 {
			return nil
		}
		return SaveCheckpoint(path, &modelio.Model{Net: half, Loss: "softmax"}, c)
	}
	if _, err := Fit(context.Background(), half, loss.Softmax{}, trainSet, valSet, cfg); err != nil {
		t.Fatal(err)
	}

	m, c, err := LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.Epoch != 3 || len(c.Health) != 3 || c.Settings == nil || len(c.Optimizer.Tensors) != 2 || c.Best == nil {
		t.Fatalf("loaded checkpoint: epoch %d, %d epochs of health, settings %v, optimizer slots %v, best weights %v",
			c.Epoch, len(c.Health), c.Settings, sortedKeys(c.Optimizer.Tensors), c.Best != nil)
	}
	_, _, _, cfg = checkpointRun()
	cfg.Probe, cfg.Resume = probe.NewRecorder(m.Net, trainSet.X), c
	if _, err := Fit(context.Background(), m.Net, loss.Softmax{}, trainSet, valSet, cfg); err != nil {
		t.Fatal(err)
	}
	for i, p := range net.Params() {
		if q := m.Net.Params()[i]; !slices.Equal(p.Value, q.Value) {
			t.Fatalf("%s differs between the run straight through and the resumed one", p.Name)
		}
	}
	if got := cfg.Probe.Series(); len(got) != len(straight) || !slices.EqualFunc(got, straight, sameHealth) {
		t.Errorf("the resumed run's probe holds %d epochs unlike the straight run's %d", len(got), len(straight))
	}
}

// TestResumeMidEpochKeepsTheProbesEpoch: a run cancelled in the middle
// of an epoch, its checkpoint written then and resumed, reports that
// epoch's health and every other as a run straight through: the probe's
// sums of the unfinished epoch travel in the checkpoint.
func TestResumeMidEpochKeepsTheProbesEpoch(t *testing.T) {
	net, trainSet, valSet, cfg := checkpointRun()
	if _, err := Fit(context.Background(), net, loss.Softmax{}, trainSet, valSet, cfg); err != nil {
		t.Fatal(err)
	}
	straight := cfg.Probe.Series()

	half, _, _, cfg := checkpointRun()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg.OnBatch = func(done, total int) {
		if cfg.Probe.Partial().Step == 2 && len(cfg.Probe.Series()) == 2 {
			cancel() // in epoch 3, after its second step of three
		}
	}
	var saved *Checkpoint
	cfg.OnCheckpoint = func(c *Checkpoint) error { saved = c; return nil }
	if _, err := Fit(ctx, half, loss.Softmax{}, trainSet, valSet, cfg); err == nil || saved == nil || saved.Row == 0 {
		t.Fatalf("the cancelled run: %v, its checkpoint %+v; want one in the middle of an epoch", err, saved)
	}
	if saved.Probe.Step != 2 || len(saved.Probe.Layers) != 2 {
		t.Fatalf("the checkpoint's probe sums %+v; want 2 steps of 2 layers", saved.Probe)
	}
	path := filepath.Join(t.TempDir(), "mid.ckpt") // through a file, as a later process would read it
	if err := SaveCheckpoint(path, &modelio.Model{Net: half, Loss: "softmax"}, saved); err != nil {
		t.Fatal(err)
	}
	m, loaded, err := LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	_, _, _, cfg = checkpointRun()
	cfg.Probe, cfg.Resume = probe.NewRecorder(m.Net, trainSet.X), loaded
	if _, err := Fit(context.Background(), m.Net, loss.Softmax{}, trainSet, valSet, cfg); err != nil {
		t.Fatal(err)
	}
	if got := cfg.Probe.Series(); !slices.EqualFunc(got, straight, sameHealth) {
		t.Errorf("resumed in epoch 3, the probe reports %v; straight through %v", got, straight)
	}
}

func sameHealth(a, b probe.EpochHealth) bool {
	return a.Epoch == b.Epoch && slices.Equal(a.Layers, b.Layers)
}

// TestResumeRefusesOtherSettings: a Resume whose Config differs from the
// checkpoint's run in an option that decides the steps is an
// *OptionError naming it; more Epochs, and the cosine schedule's length
// left to them, are not.
func TestResumeRefusesOtherSettings(t *testing.T) {
	net, trainSet, valSet, cfg := checkpointRun()
	var saved *Checkpoint
	cfg.Epochs, cfg.CheckpointEvery = 2, 2
	cfg.OnCheckpoint = func(c *Checkpoint) error { saved = c; return nil }
	if _, err := Fit(context.Background(), net, loss.Softmax{}, trainSet, valSet, cfg); err != nil || saved == nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		option string
		change func(cfg *Config)
	}{
		{"Batch", func(cfg *Config) { cfg.Batch = 20 }},
		{"Seed", func(cfg *Config) { cfg.Seed = 4 }},
		{"Optimizer.LR", func(cfg *Config) { cfg.Optimizer.LR = 0.02 }},
		{"Optimizer.Name", func(cfg *Config) { cfg.Optimizer.Name = "adamw" }},
		{"Schedule.Name", func(cfg *Config) { cfg.Schedule = optim.Schedule{} }},
		{"", func(cfg *Config) { cfg.Schedule.Epochs = 5 }}, // saved 0: the length followed Epochs
		{"Patience", func(cfg *Config) { cfg.Patience = 0 }},
		{"Optimizer.Beta1", func(cfg *Config) { cfg.Optimizer.Beta1 = 0.8 }},
		{"", func(cfg *Config) { cfg.Epochs = 9 }},
		{"", func(cfg *Config) { cfg.Optimizer.Beta2 = 0.999 }},                             // the default, written out
		{"", func(cfg *Config) { cfg.Optimizer.Momentum = 0.5 }},                            // adam has none
		{"", func(cfg *Config) { cfg.Epochs, cfg.Schedule.Epochs = 9, 9 }},                  // still its length: 2, then 9
		{"", func(cfg *Config) { cfg.Schedule = optim.Schedule{Name: "cosine", Gamma: 3} }}, // cosine has no gamma
	} {
		_, _, _, cfg := checkpointRun()
		cfg.Probe, cfg.Resume = nil, saved
		c.change(&cfg)
		_, err := Fit(context.Background(), net, loss.Softmax{}, trainSet, valSet, cfg)
		var opt *OptionError
		switch {
		case c.option == "" && err != nil:
			t.Errorf("resuming with more epochs: %v", err)
		case c.option != "" && (!errors.As(err, &opt) || opt.Option != c.option || !strings.Contains(err.Error(), "as in the run the checkpoint")):
			t.Errorf("resuming with another %s: %v; want an *OptionError naming it", c.option, err)
		}
	}
}

// TestSettingsCompareTheCosinesLength: a cosine schedule's length set in
// both runs must agree; left to Epochs (0) in either, it is not compared.
func TestSettingsCompareTheCosinesLength(t *testing.T) {
	cosine := func(epochs int) Settings { return Settings{Schedule: optim.Schedule{Name: "cosine", Epochs: epochs}} }
	for _, c := range []struct {
		now, was int
		differ   bool
	}{{6, 4, true}, {6, 6, false}, {0, 4, false}, {6, 0, false}} {
		err := cosine(c.now).differsFrom(cosine(c.was))
		var opt *OptionError
		if c.differ != (err != nil) || err != nil && (!errors.As(err, &opt) || opt.Option != "Schedule.Epochs") {
			t.Errorf("cosine over %d epochs resuming one over %d: %v", c.now, c.was, err)
		}
	}
}

// TestCheckpointFromFileRefusesWhatIsNotOne: a model file, a file whose
// checkpoint lost its shuffling state and a file of another network are
// errors saying so.
func TestCheckpointFromFileRefusesWhatIsNotOne(t *testing.T) {
	net, trainSet, valSet, cfg := checkpointRun()
	var saved *Checkpoint
	cfg.Epochs, cfg.CheckpointEvery = 1, 1
	cfg.OnCheckpoint = func(c *Checkpoint) error { saved = c; return nil }
	if _, err := Fit(context.Background(), net, loss.Softmax{}, trainSet, valSet, cfg); err != nil {
		t.Fatal(err)
	}
	m := &modelio.Model{Net: net, Loss: "softmax"}
	plain, _ := m.File()
	damaged, _ := (&Checkpoint{Epoch: 1, Settings: saved.Settings}).File(m)
	whole, err := saved.File(m)
	if err != nil {
		t.Fatal(err)
	}
	other := nn.NewSequential(2, nn.NewActivation(act.MustNew("relu")), nn.NewDense(2, 3)) // parameters 1.weight, 1.bias
	narrow := nn.NewMLP(2, []int{7}, 3, act.MustNew("relu"), rand.New(rand.NewPCG(1, 1)))  // 0.weight as the run's, of another shape
	for _, c := range []struct {
		name string
		file *modelio.File
		net  *nn.Sequential
		want string
	}{
		{"a model file", plain, net, "a model file, not a checkpoint"},
		{"no shuffling state", damaged, net, "the file is damaged"},
		{"another network", whole, other, "is the state of no parameter of the network"},
		{"other shapes", whole, narrow, "has shape [12 2]; parameter 0.weight has [7 2]"},
		{"no network", whole, nil, "no network"},
	} {
		if _, err := CheckpointFromFile(c.file, c.net); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want %q", c.name, err, c.want)
		}
	}
	if _, err := (*Checkpoint)(nil).File(m); err == nil {
		t.Error("a nil checkpoint made a file")
	}
}
