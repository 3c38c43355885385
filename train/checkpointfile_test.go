package train

import (
	"context"
	"errors"
	"maps"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
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

// trained runs cfg on checkpointRun's network and data to its end (Fit's
// error fails the test) and returns the checkpoint taken after its last
// epoch; cfg is then ready to resume from it, a checkpoint no more.
func trained(t *testing.T, net *nn.Sequential, trainSet, valSet *data.Dataset, cfg *Config) *Checkpoint {
	t.Helper()
	var saved *Checkpoint
	cfg.CheckpointEvery = cfg.Epochs
	cfg.OnCheckpoint = func(c *Checkpoint) error { saved = c; return nil }
	if _, err := Fit(context.Background(), net, loss.Softmax{}, trainSet, valSet, *cfg); err != nil || saved == nil {
		t.Fatalf("the run to resume: %v", err)
	}
	cfg.Epochs, cfg.CheckpointEvery, cfg.OnCheckpoint, cfg.Resume = cfg.Epochs+1, 0, nil, saved
	return saved
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
	return a.Epoch == b.Epoch && slices.EqualFunc(a.Layers, b.Layers, sameStats)
}

// sameStats compares two layers' figures, those at the start by value.
func sameStats(a, b probe.LayerStats) bool {
	same := func(x, y *float64) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	if !same(a.DeadAtStart, b.DeadAtStart) || !same(a.SaturatedAtStart, b.SaturatedAtStart) || !same(a.PreStdAtStart, b.PreStdAtStart) || a.DeadAtStart == nil || a.PreStdAtStart == nil {
		return false // a run checked before its first step knows its start, resumed or not
	}
	a.DeadAtStart, a.SaturatedAtStart, a.PreStdAtStart, b.DeadAtStart, b.SaturatedAtStart, b.PreStdAtStart = nil, nil, nil, nil, nil, nil
	return a == b
}

// TestResumeRefusesOtherSettings: a Resume whose Config differs from the
// checkpoint's run in an option that decides the steps is an
// *OptionError naming it; more Epochs, and the cosine schedule's length
// left to them, are not.
func TestResumeRefusesOtherSettings(t *testing.T) {
	net, trainSet, valSet, cfg := checkpointRun()
	cfg.Epochs = 2
	saved := trained(t, net, trainSet, valSet, &cfg)
	var weights [][]float32 // the checkpoint's: each resume starts from them
	for _, p := range net.Params() {
		weights = append(weights, slices.Clone(p.Value))
	}
	for _, c := range []struct {
		option string // the OptionError's, or "" for a resume that goes on
		change func(cfg *Config)
	}{
		{"Batch", func(cfg *Config) { cfg.Batch = 20 }},
		{"Seed", func(cfg *Config) { cfg.Seed = 4 }},
		{"Optimizer.LR", func(cfg *Config) { cfg.Optimizer.LR = 0.02 }},
		{"Optimizer.Name", func(cfg *Config) { cfg.Optimizer.Name = "adamw" }},
		{"Schedule.Name", func(cfg *Config) { cfg.Schedule = optim.Schedule{} }},
		{"Schedule.Epochs", func(cfg *Config) { cfg.Schedule.Epochs = 5 }}, // the run's cosine followed its Epochs, 2
		{"Patience", func(cfg *Config) { cfg.Patience = 0 }},
		{"Optimizer.Beta1", func(cfg *Config) { cfg.Optimizer.Beta1 = 0.8 }},
		{"", func(cfg *Config) { cfg.Epochs = 9 }},
		{"", func(cfg *Config) { cfg.Schedule.Epochs = 2 }},                                 // the length it followed, set
		{"", func(cfg *Config) { cfg.Optimizer.Beta2 = 0.999 }},                             // the default, written out
		{"", func(cfg *Config) { cfg.Optimizer.Momentum = 0.5 }},                            // adam has none
		{"", func(cfg *Config) { cfg.Schedule = optim.Schedule{Name: "cosine", Gamma: 3} }}, // cosine has no gamma
	} {
		for i, p := range net.Params() {
			copy(p.Value, weights[i])
		}
		_, _, _, cfg := checkpointRun()
		cfg.Probe, cfg.Resume = nil, saved
		c.change(&cfg)
		_, err := Fit(context.Background(), net, loss.Softmax{}, trainSet, valSet, cfg)
		var opt *OptionError
		switch {
		case c.option == "" && err != nil:
			t.Errorf("a resume of the same settings: %v", err)
		case c.option != "" && (!errors.As(err, &opt) || opt.Option != c.option || !strings.Contains(err.Error(), "in the run the checkpoint")):
			t.Errorf("resuming with another %s: %v; want an *OptionError naming it", c.option, err)
		}
	}
}

// TestSettingsCompareTheCosinesLength: the length a cosine schedule runs
// over must be the checkpoint's run's, unless both runs leave it to their
// Epochs (Schedule.Epochs 0), which a resume may raise.
func TestSettingsCompareTheCosinesLength(t *testing.T) {
	cosine := func(length, epochs int) Settings {
		return Settings{Schedule: optim.Schedule{Name: "cosine", Epochs: length}, Epochs: epochs}
	}
	for _, c := range []struct {
		now, was Settings
		differ   bool
	}{
		{cosine(6, 10), cosine(4, 4), true},
		{cosine(6, 10), cosine(6, 6), false},
		{cosine(0, 10), cosine(0, 6), false}, // both follow Epochs
		{cosine(0, 10), cosine(6, 6), true},  // now over 10, then over 6
		{cosine(6, 10), cosine(0, 6), false}, // set to the length the run followed
		{cosine(5, 10), cosine(0, 6), true},
		{cosine(5, 10), cosine(0, 0), false}, // a checkpoint from before: its length unknown
	} {
		err := c.now.differsFrom(c.was)
		var opt *OptionError
		if c.differ != (err != nil) || err != nil && (!errors.As(err, &opt) || opt.Option != "Schedule.Epochs") {
			t.Errorf("cosine %+v over %d epochs resuming %+v over %d: %v", c.now.Schedule, c.now.Epochs, c.was.Schedule, c.was.Epochs, err)
		}
	}
}

// TestSettingsNameAnotherSchedule: a cosine resuming a step schedule is
// another schedule, not another length.
func TestSettingsNameAnotherSchedule(t *testing.T) {
	now := Settings{Schedule: optim.Schedule{Name: "cosine", Epochs: 5}, Epochs: 10}
	was := Settings{Schedule: optim.Schedule{Name: "step", Gamma: 0.5, StepSize: 2}, Epochs: 2}
	var opt *OptionError
	if err := now.differsFrom(was); !errors.As(err, &opt) || opt.Option != "Schedule.Name" {
		t.Errorf("cosine resuming step: %v; want Schedule.Name named", err)
	}
}

// TestSettingsAreComparable: firstDifference compares Settings field by
// field with reflect.Value.Equal and Interface, which panic on a field
// that is unexported or not comparable: none may be.
func TestSettingsAreComparable(t *testing.T) {
	var walk func(prefix string, typ reflect.Type)
	walk = func(prefix string, typ reflect.Type) {
		for i := range typ.NumField() {
			f := typ.Field(i)
			switch {
			case !f.IsExported():
				t.Errorf("%s%s is unexported", prefix, f.Name)
			case f.Type.Kind() == reflect.Struct:
				walk(prefix+f.Name+".", f.Type)
			case !f.Type.Comparable() || f.Type.Kind() == reflect.Interface:
				t.Errorf("%s%s (%s) is not comparable", prefix, f.Name, f.Type)
			}
		}
	}
	walk("", reflect.TypeOf(Settings{}))
}

// TestResumeFromSettingsStoredAsGiven: checkpoints of an earlier wiggle
// stored the optimizer and schedule as the caller gave them (defaults
// left 0, fields the optimizer does not use); the same run resumes from
// them.
func TestResumeFromSettingsStoredAsGiven(t *testing.T) {
	net, trainSet, valSet, cfg := checkpointRun()
	cfg.Optimizer = optim.Config{Name: "momentum", LR: 0.05, Beta1: 0.3}
	cfg.Schedule = optim.Schedule{Name: "constant", Gamma: 0.1, StepSize: 10}
	cfg.Epochs, cfg.Probe = 2, nil
	saved := trained(t, net, trainSet, valSet, &cfg)
	old := *saved.Settings
	old.Optimizer, old.Schedule, old.Epochs = cfg.Optimizer, cfg.Schedule, 0
	saved.Settings = &old
	saved.Data, saved.ValData, saved.Loss, saved.Network, saved.Weights = "", "", "", "", "" // not recorded then
	cfg.Optimizer.Momentum = 0.9                                                             // the default, written out
	if _, err := Fit(context.Background(), net, loss.Softmax{}, trainSet, valSet, cfg); err != nil {
		t.Errorf("resuming a checkpoint whose settings are stored as given: %v", err)
	}
}

// TestResumeRefusesAnotherRunsNetworkOrData: a Resume on a network of
// another architecture, on one that does not hold the checkpoint's
// weights, or on other training rows is refused, saying which.
func TestResumeRefusesAnotherRunsNetworkOrData(t *testing.T) {
	net, trainSet, valSet, cfg := checkpointRun()
	cfg.Epochs, cfg.Probe = 2, nil
	trained(t, net, trainSet, valSet, &cfg)
	fresh, _, _, _ := checkpointRun() // the architecture, not the weights
	relu, err := nn.Build(nn.NewMLPSpec(2, []int{12, 12}, 3, "relu", nn.MLPOptions{Dropout: 0.1}), rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	fewer := trainSet.Slice(0, trainSet.Len()-1)
	for _, c := range []struct {
		name string
		net  *nn.Sequential
		rows *data.Dataset
		want string
	}{
		{"another activation", relu, trainSet, "the network (in 2, dense 2→12, relu, dropout 0.1"},
		{"fresh weights", fresh, trainSet, "does not hold the weights the checkpoint was taken with"},
		{"a row fewer", net, fewer, "the training data (89 rows"},
	} {
		if _, err := Fit(context.Background(), c.net, loss.Softmax{}, c.rows, valSet, cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want %q", c.name, err, c.want)
		}
	}
	if _, err := Fit(context.Background(), net, loss.Hinge{}, trainSet, valSet, cfg); err == nil || !strings.Contains(err.Error(), "the loss hinge is not the checkpoint's run's (softmax)") {
		t.Errorf("another loss: %v", err)
	}
	otherVal := valSet.Slice(0, valSet.Len()-1) // Patience watches them
	if _, err := Fit(context.Background(), net, loss.Softmax{}, trainSet, otherVal, cfg); err == nil || !strings.Contains(err.Error(), "the validation data") {
		t.Errorf("other validation rows with Patience: %v", err)
	}
	best := cloneAll(cfg.Resume.Best)
	if _, err := Fit(context.Background(), net, loss.Softmax{}, trainSet, valSet, cfg); err != nil {
		t.Errorf("the same run: %v", err)
	}
	if !slices.EqualFunc(best, cfg.Resume.Best, slices.Equal) {
		t.Error("the resumed run wrote into the checkpoint's best weights")
	}
}

// TestCheckpointFromFileRefusesWhatIsNotOne: a model file, a file whose
// checkpoint lost its shuffling state and a file of another network are
// errors saying so.
func TestCheckpointFromFileRefusesWhatIsNotOne(t *testing.T) {
	net, trainSet, valSet, cfg := checkpointRun()
	cfg.Epochs = 1
	saved := trained(t, net, trainSet, valSet, &cfg)
	m := &modelio.Model{Net: net, Loss: "softmax"}
	plain, _ := m.File()
	whole, err := saved.File(m)
	if err != nil {
		t.Fatal(err)
	}
	damaged := &modelio.File{Tensors: whole.Tensors, Metadata: maps.Clone(whole.Metadata)}
	damaged.Metadata[CheckpointKey] = `{"epoch": 1}`                                       // its shuffling state lost
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
	path := filepath.Join(t.TempDir(), "empty.ckpt")
	if err := SaveCheckpoint(path, m, &Checkpoint{}); err == nil || !strings.Contains(err.Error(), "an empty checkpoint") {
		t.Errorf("SaveCheckpoint of an empty checkpoint: %v; want it refused", err)
	}
	if err := SaveCheckpoint(path, nil, saved); err == nil || !strings.Contains(err.Error(), "no model (nil)") {
		t.Errorf("SaveCheckpoint of no model: %v", err)
	}
	uneven := *saved
	uneven.Optimizer.Steps = []int{3, 3, 2, 2, 3, 3} // a layer left out of a hand loop's steps
	if err := SaveCheckpoint(path, m, &uneven); err == nil || !strings.Contains(err.Error(), "different numbers of steps ([3 3 2 2 3 3]") {
		t.Errorf("SaveCheckpoint of uneven step counts: %v; want them refused (the file records one)", err)
	}
	if _, err := CheckpointFromFile(nil, net); err == nil || !strings.Contains(err.Error(), "no file (nil)") {
		t.Errorf("CheckpointFromFile(nil): %v", err)
	}
	if _, err := Fit(context.Background(), net, loss.Softmax{}, trainSet, valSet, cfg); err != nil { // trains on from saved
		t.Fatal(err)
	}
	if err := SaveCheckpoint(path, m, saved); err == nil || !strings.Contains(err.Error(), "no longer holds the weights") {
		t.Errorf("SaveCheckpoint after the network trained on: %v; want it refused (the file could never be resumed)", err)
	}
}

// TestResumeRefusesBestWeightsItCannotRestore: a checkpoint whose early
// stopping's best weights are not finite, of another size, or whose best
// loss is no loss is refused at the resume; a NaN had been restored into
// the network of a run that "stopped early", and a short tensor left the
// network as it was, silently.
func TestResumeRefusesBestWeightsItCannotRestore(t *testing.T) {
	for name, spoil := range map[string]func(c *Checkpoint){
		"a NaN best weight":    func(c *Checkpoint) { c.Best[0][0] = float32(math.NaN()) },
		"a short best tensor":  func(c *Checkpoint) { c.Best[1] = c.Best[1][:1] },
		"a negative best loss": func(c *Checkpoint) { c.BestLoss = -1 },
	} {
		net, trainSet, valSet, cfg := checkpointRun()
		saved := trained(t, net, trainSet, valSet, &cfg)
		if saved.BestEpoch == 0 {
			t.Fatal("the run kept no best weights: the test tests nothing")
		}
		spoil(saved)
		if _, err := Fit(context.Background(), net, loss.Softmax{}, trainSet, valSet, cfg); err == nil || !strings.Contains(err.Error(), "the checkpoint's best") {
			t.Errorf("%s: Fit = %v; want the checkpoint refused", name, err)
		}
	}
}

// TestResumeFromTheLastCheckpointTrainsNothing: a Resume from a checkpoint
// after the run's last epoch (a crash before its model was saved) trains
// nothing and ends with the checkpoint's weights, the epochs counted and
// the probe's series whole; one after more epochs than Epochs is refused.
func TestResumeFromTheLastCheckpointTrainsNothing(t *testing.T) {
	net, trainSet, valSet, cfg := checkpointRun()
	cfg.Epochs = 2
	saved := trained(t, net, trainSet, valSet, &cfg)
	path := filepath.Join(t.TempDir(), "last.ckpt")
	if err := SaveCheckpoint(path, &modelio.Model{Net: net, Loss: "softmax"}, saved); err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(weightsOf(net))
	m, c, err := LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Epochs, cfg.Resume = 2, c
	cfg.Probe = probe.NewRecorder(m.Net, trainSet.X)
	res, err := Fit(context.Background(), m.Net, loss.Softmax{}, trainSet, valSet, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Epochs != 2 || len(res.History) != 0 || !slices.Equal(weightsOf(m.Net), want) || len(cfg.Probe.Series()) != 2 {
		t.Errorf("Epochs %d, %d epochs trained, weights the same %v, %d epochs of health; want 2, none, true, 2", res.Epochs, len(res.History), slices.Equal(weightsOf(m.Net), want), len(cfg.Probe.Series()))
	}
	m, c, _ = LoadCheckpoint(path)
	cfg.Epochs, cfg.Resume, cfg.Probe = 1, c, nil
	if _, err := Fit(context.Background(), m.Net, loss.Softmax{}, trainSet, valSet, cfg); err == nil || !strings.Contains(err.Error(), "after 2 epochs, past Epochs 1") {
		t.Errorf("a resume past Epochs: %v", err)
	}
}

// weightsOf is every parameter's values of net, one after another.
func weightsOf(net *nn.Sequential) []float32 {
	var w []float32
	for _, p := range net.Params() {
		w = append(w, p.Value...)
	}
	return w
}

// TestResumedMidEpochCountsItsOwnRows: a run resumed in the middle of an
// epoch counts, in SamplesPerSecond, the rows it stepped through, not the
// whole of that epoch (the lab's trial: 120,000 counted where 85,568
// were trained).
func TestResumedMidEpochCountsItsOwnRows(t *testing.T) {
	net, trainSet, valSet, cfg := checkpointRun()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg.OnBatch = func(done, total int) {
		if len(cfg.Probe.Series()) == 2 && cfg.Probe.Partial().Step == 2 {
			cancel() // in epoch 3, after two of its steps
		}
	}
	var saved *Checkpoint
	cfg.OnCheckpoint = func(c *Checkpoint) error { saved = c; return nil }
	if _, err := Fit(ctx, net, loss.Softmax{}, trainSet, valSet, cfg); err == nil || saved == nil || saved.Row == 0 {
		t.Fatalf("the cancelled run: %v, its checkpoint %+v; want one in the middle of an epoch", err, saved)
	}
	_, _, _, cfg = checkpointRun()
	cfg.Probe, cfg.Resume = nil, saved
	res, err := Fit(context.Background(), net, loss.Softmax{}, trainSet, valSet, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := float64(len(res.History)*trainSet.Len() - saved.Row)
	if got := res.SamplesPerSecond * res.TrainSeconds; res.TrainSeconds <= 0 || math.Abs(got-want) > 1e-6*want {
		t.Errorf("rows counted %.3f (%.1f samples/s over %.6f s); the resumed run stepped through %.0f (%d epochs of %d rows less the checkpoint's %d)",
			got, res.SamplesPerSecond, res.TrainSeconds, want, len(res.History), trainSet.Len(), saved.Row)
	}
}
