package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/probe"
	"github.com/wigglenn/wiggle/tensor"
)

func spiralRun() (*nn.Sequential, *data.Dataset, Config) {
	rng := rand.New(rand.NewPCG(4, 4))
	ds := data.Spiral(30, 3, 0.2, rng)
	net := nn.NewMLP(2, []int{8}, 3, act.MustNew("relu"), rng)
	return net, ds, Config{Epochs: 2, Batch: 8, Shuffle: true, Seed: 1, Optimizer: optim.Config{Name: "momentum", LR: 0.1}}
}

// TestFitRefusesWhatCannotWork gives Fit every kind of bad option and data:
// an error that names the option or the row, never a panic or a hang.
func TestFitRefusesWhatCannotWork(t *testing.T) {
	wide := data.Spiral(5, 3, 0.2, rand.New(rand.NewPCG(1, 1)))
	wide.X = tensor.New(wide.Len(), 3)
	badLabel := data.Spiral(5, 3, 0.2, rand.New(rand.NewPCG(1, 1)))
	badLabel.Labels[4] = 3
	nan := data.Spiral(5, 3, 0.2, rand.New(rand.NewPCG(1, 1)))
	nan.X.Data[3] = float32(math.NaN())
	for _, c := range []struct {
		name   string
		change func(cfg *Config, ds, val **data.Dataset, l *loss.Loss)
		option string // the OptionError's option, or "" for another error
		want   string
	}{
		{"batch 0", func(cfg *Config, _, _ **data.Dataset, _ *loss.Loss) { cfg.Batch = 0 }, "Batch", "Batch 0: want at least 1"},
		{"epochs 0", func(cfg *Config, _, _ **data.Dataset, _ *loss.Loss) { cfg.Epochs = 0 }, "Epochs", "Epochs 0"},
		{"negative l2", func(cfg *Config, _, _ **data.Dataset, _ *loss.Loss) { cfg.L2 = -1 }, "L2", "L2 -1"},
		{"l1 past float32", func(cfg *Config, _, _ **data.Dataset, _ *loss.Loss) { cfg.L1 = 1e300 }, "L1", "L1 1e+300: want 0 or more, at most float32's largest"},
		{"NaN clip", func(cfg *Config, _, _ **data.Dataset, _ *loss.Loss) { cfg.ClipNorm = math.NaN() }, "ClipNorm", "ClipNorm NaN"},
		{"lr 0", func(cfg *Config, _, _ **data.Dataset, _ *loss.Loss) { cfg.Optimizer.LR = 0 }, "Optimizer.LR", "Optimizer.LR 0"},
		{"momentum -1", func(cfg *Config, _, _ **data.Dataset, _ *loss.Loss) { cfg.Optimizer.Momentum = -1 }, "Optimizer.Momentum", "Optimizer.Momentum -1"},
		{"optimizer", func(cfg *Config, _, _ **data.Dataset, _ *loss.Loss) { cfg.Optimizer.Name = "lbfgs" }, "Optimizer.Name", `"lbfgs": want one of sgd`},
		{"schedule", func(cfg *Config, _, _ **data.Dataset, _ *loss.Loss) { cfg.Schedule.Name = "wavy" }, "Schedule.Name", `"wavy"`},
		{"step size", func(cfg *Config, _, _ **data.Dataset, _ *loss.Loss) {
			cfg.Schedule = optim.Schedule{Name: "step", Gamma: 0.5}
		}, "Schedule.StepSize", "Schedule.StepSize 0"},
		{"patience without validation", func(cfg *Config, _, _ **data.Dataset, _ *loss.Loss) { cfg.Patience = 2 }, "Patience", "validation rows"},
		{"checkpoints every -1", func(cfg *Config, _, _ **data.Dataset, _ *loss.Loss) { cfg.CheckpointEvery = -1 }, "CheckpointEvery", "CheckpointEvery -1"},
		{"no training data", func(_ *Config, ds, _ **data.Dataset, _ *loss.Loss) { *ds = nil }, "", "training data: none given"},
		{"no features", func(_ *Config, ds, _ **data.Dataset, _ *loss.Loss) { *ds = &data.Dataset{Labels: []int{0}, Classes: 3} }, "", "training data: no features (its X is nil)"},
		{"wrong width", func(_ *Config, ds, _ **data.Dataset, _ *loss.Loss) { *ds = wide }, "", "rows of 3 features; the network takes 2"},
		{"label out of range", func(_ *Config, ds, _ **data.Dataset, _ *loss.Loss) { *ds = badLabel }, "", "row 4 has label 3"},
		{"bad validation rows", func(_ *Config, _, val **data.Dataset, _ *loss.Loss) { *val = badLabel }, "", "validation data: row 4 has label 3"},
		{"NaN feature", func(_ *Config, ds, _ **data.Dataset, _ *loss.Loss) { *ds = nan }, "", "row 1, feature 1 is NaN"},
		{"classes for mse", func(_ *Config, _, _ **data.Dataset, l *loss.Loss) { *l = loss.MSE{} }, "", "needs target values"},
		{"no loss", func(_ *Config, _, _ **data.Dataset, l *loss.Loss) { *l = nil }, "", "no loss"},
	} {
		t.Run(c.name, func(t *testing.T) {
			net, ds, cfg := spiralRun()
			var val *data.Dataset
			var l loss.Loss = loss.Softmax{}
			c.change(&cfg, &ds, &val, &l)
			_, err := Fit(context.Background(), net, l, ds, val, cfg)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v; want one saying %q", err, c.want)
			}
			var opt *OptionError
			if got := errors.As(err, &opt); got != (c.option != "") || got && opt.Option != c.option {
				t.Errorf("error %#v; want an OptionError for %q", err, c.option)
			}
		})
	}
	net, ds, cfg := spiralRun()
	//lint:ignore SA1012 a nil context is what this checks
	if _, err := Fit(nil, net, loss.Softmax{}, ds, nil, cfg); err == nil {
		t.Error("Fit with a nil context: no error")
	}
	net.Freeze() // its Backward would not give the gradients: Fit had trained it uphill and called that divergence
	if _, err := Fit(context.Background(), net, loss.Softmax{}, ds, nil, cfg); err == nil || !strings.Contains(err.Error(), "the network is frozen") {
		t.Errorf("Fit of a frozen network: %v; want an error saying it is frozen", err)
	}
}

// TestTargetsMustBeFinite: a regression target that is NaN or infinite is
// the data's error, naming its row, in Fit, a Trainer's Check and Evaluate
// (Fit had trained on it and called the NaN loss a divergence, Evaluate
// returned +Inf).
func TestTargetsMustBeFinite(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(1))} {
		ds, err := data.Generate(data.SyntheticSpec{Name: "sine", N: 16}, rng)
		if err != nil {
			t.Fatal(err)
		}
		ds.Values.Data[10] = bad
		net := nn.NewMLP(1, []int{4}, 1, act.MustNew("tanh"), rng)
		want := fmt.Sprintf("row 10, target 0 is %v", bad)
		cfg := Config{Epochs: 1, Batch: 4, Optimizer: optim.Config{Name: "sgd", LR: 0.01}}
		if _, err := Fit(context.Background(), net, loss.MSE{}, ds, nil, cfg); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Fit on a target %v: %v; want an error saying %q", bad, err, want)
		}
		tr := Trainer{Net: net, Loss: loss.MSE{}, Opt: &optim.SGD{LR: 0.01}, Batch: 4}
		if err := tr.Check(ds); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Check of a target %v: %v; want an error saying %q", bad, err, want)
		}
		if _, _, err := Evaluate(net, loss.MSE{}, ds); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Evaluate on a target %v: %v; want an error saying %q", bad, err, want)
		}
	}
}

// TestTrainerRefusesWhatCannotWork: the Trainer's own fields, checked by
// Epoch and Step alike.
func TestTrainerRefusesWhatCannotWork(t *testing.T) {
	net, ds, _ := spiralRun()
	ok := Trainer{Net: net, Opt: &optim.SGD{LR: 0.1}, Batch: 4}
	for _, c := range []struct {
		change func(*Trainer)
		want   string
	}{
		{func(tr *Trainer) { tr.Batch = 0 }, "Batch 0"},
		{func(tr *Trainer) { tr.Shuffle = true }, "Rng nil"},
		{func(tr *Trainer) { tr.Opt = nil }, "Opt nil"},
		{func(tr *Trainer) { tr.Net = nil }, "Net nil"},
		{func(tr *Trainer) { tr.L2 = math.Inf(1) }, "L2 +Inf"},
		{func(tr *Trainer) { tr.L1 = 1e39 }, "L1 1e+39"},
		{func(tr *Trainer) { tr.Net, _ = net.Replica(); tr.Net.Freeze() }, "Net frozen"},
	} {
		tr := ok
		c.change(&tr)
		if _, _, err := tr.Epoch(context.Background(), ds); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Epoch: %v; want an error saying %q", err, c.want)
		}
		if _, _, err := tr.Step(ds, []int{0, 1}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Step: %v; want an error saying %q", err, c.want)
		}
	}
	tr := ok
	//lint:ignore SA1012 a nil context is what this checks
	if _, _, err := tr.Epoch(nil, ds); err == nil || !strings.Contains(err.Error(), "no context") {
		t.Errorf("Epoch with a nil context: %v; want an error saying so", err)
	}
	for _, rows := range [][]int{{0, 90}, {-1}, {}} {
		if _, _, err := tr.Step(ds, rows); err == nil {
			t.Errorf("Step on rows %v of %d: no error", rows, ds.Len())
		}
	}
	values := &data.Dataset{X: ds.X, Values: tensor.New(ds.Len(), 3)}
	if _, _, err := tr.Step(values, []int{0, 1}); err == nil || !strings.Contains(err.Error(), "needs class labels") {
		t.Errorf("Step of softmax on target values: %v; want an error", err)
	}
	short := &data.Dataset{X: &tensor.Matrix{Rows: 4, Cols: 2, Data: make([]float32, 5)}, Labels: []int{0, 1, 2, 0}}
	if _, _, err := tr.Step(short, []int{3}); err == nil || !strings.Contains(err.Error(), "holds 5 numbers") {
		t.Errorf("Step on a matrix shorter than its shape: %v; want an error", err)
	}
	logistic := Trainer{Net: net, Loss: loss.Logistic{}, Opt: &optim.SGD{LR: 0.1}, Batch: 4}
	if _, _, err := logistic.Step(ds, []int{0}); err == nil || !strings.Contains(err.Error(), "one output") {
		t.Errorf("Step of logistic on 3 outputs: %v; want an error", err)
	}
	bad := data.Spiral(5, 4, 0.2, rand.New(rand.NewPCG(1, 1))) // labels up to 3, three outputs
	if _, _, err := tr.Step(bad, []int{19}); err == nil || !strings.Contains(err.Error(), "label 3") {
		t.Errorf("Step on a label the network lacks: %v", err)
	}
}

// TestLayersThatDoNotChainAreAnError: a network put together by hand
// whose widths do not meet is an error naming the layer in Fit, Evaluate
// and a Trainer's Step and Epoch; Forward had panicked in each.
func TestLayersThatDoNotChainAreAnError(t *testing.T) {
	_, ds, cfg := spiralRun()
	net := nn.NewSequential(2, nn.NewDense(2, 4), nn.NewActivation(act.MustNew("relu")), nn.NewDense(5, 3))
	const want = "architecture: layer 2 (dense): takes 5 inputs but receives 4"
	if _, err := Fit(context.Background(), net, loss.Softmax{}, ds, nil, cfg); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Fit: %v; want an error saying %q", err, want)
	}
	if _, _, err := Evaluate(net, loss.Softmax{}, ds); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Evaluate: %v; want an error saying %q", err, want)
	}
	tr := Trainer{Net: net, Opt: &optim.SGD{LR: 0.1}, Batch: 4}
	if _, _, err := tr.Step(ds, []int{0, 1}); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Step: %v; want an error saying %q", err, want)
	}
	if _, _, err := tr.Epoch(context.Background(), ds); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Epoch: %v; want an error saying %q", err, want)
	}
}

// TestFitStopsWhenCancelled cancels from OnBatch: Fit returns the context's
// error at once, and the network is usable.
func TestFitStopsWhenCancelled(t *testing.T) {
	net, ds, cfg := spiralRun()
	ctx, cancel := context.WithCancel(context.Background())
	steps := 0
	cfg.Epochs = 1000
	cfg.OnBatch = func(done, total int) {
		if steps++; steps == 5 {
			cancel()
		}
	}
	res, err := Fit(ctx, net, loss.Softmax{}, ds, nil, cfg)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v; want context.Canceled", err)
	}
	if steps != 5 || len(res.History) != 0 {
		t.Errorf("%d steps and %d epochs after cancelling at step 5", steps, len(res.History))
	}
	if !strings.Contains(err.Error(), "epoch 1") {
		t.Errorf("error %q does not say where training stopped", err)
	}
}

// TestFitSaysItsCheckpointFailed cancels a run whose checkpoint then fails:
// the error is a *CheckpointError that names both, and still unwraps to
// the cancellation.
func TestFitSaysItsCheckpointFailed(t *testing.T) {
	net, ds, cfg := spiralRun()
	ctx, cancel := context.WithCancel(context.Background())
	cfg.Epochs = 1000
	cfg.OnBatch = func(done, total int) { cancel() }
	cfg.OnCheckpoint = func(*Checkpoint) error { return errors.New("disk full") }
	_, err := Fit(ctx, net, loss.Softmax{}, ds, nil, cfg)
	var failed *CheckpointError
	if !errors.As(err, &failed) || !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "disk full") || failed.Epoch != 1 {
		t.Errorf("error %v (%T); want a *CheckpointError in epoch 1 that unwraps to context.Canceled", err, err)
	}
}

// TestFitsRunConcurrently trains four networks at once (run with -race):
// each ends with the weights it has when trained alone.
func TestFitsRunConcurrently(t *testing.T) {
	alone := func() []float32 {
		net, ds, cfg := spiralRun()
		if _, err := Fit(context.Background(), net, loss.Softmax{}, ds, nil, cfg); err != nil {
			t.Error(err)
		}
		return net.Params()[0].Value
	}
	want := alone()
	var wg sync.WaitGroup
	results := make([][]float32, 4)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = alone()
		}()
	}
	wg.Wait()
	for i, got := range results {
		if !slices.Equal(got, want) {
			t.Errorf("run %d of 4 at once ended with other weights than alone", i)
		}
	}
}

// TestFitWithValidationAndNothingElse: a validation set and no callbacks,
// probe or schedule (the zero values) train and measure the validation rows.
func TestFitWithValidationAndNothingElse(t *testing.T) {
	net, ds, _ := spiralRun()
	trainPart, valPart := ds.SplitTail(0.2)
	res, err := Fit(context.Background(), net, loss.Softmax{}, trainPart, valPart, Config{Epochs: 2, Batch: 8, Optimizer: optim.Config{Name: "sgd", LR: 0.1}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.History) != 2 || !res.History[1].HasVal || !(res.History[1].ValLoss > 0) {
		t.Errorf("history %+v; want two epochs with a validation loss", res.History)
	}
}

// TestEmptyValidationIsNone: SplitTail(0)'s empty second part trains as
// no validation (HasVal false), and Patience, which would watch it, is
// refused as with nil.
func TestEmptyValidationIsNone(t *testing.T) {
	net, ds, _ := spiralRun()
	trainPart, valPart := ds.SplitTail(0)
	cfg := Config{Epochs: 1, Batch: 8, Optimizer: optim.Config{Name: "sgd", LR: 0.1}}
	res, err := Fit(context.Background(), net, loss.Softmax{}, trainPart, valPart, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.History) != 1 || res.History[0].HasVal {
		t.Errorf("history %+v; want one epoch without validation", res.History)
	}
	cfg.Patience = 2
	var oe *OptionError
	if _, err := Fit(context.Background(), net, loss.Softmax{}, trainPart, valPart, cfg); !errors.As(err, &oe) || oe.Option != "Patience" {
		t.Errorf("Patience over an empty validation set: %v; want an *OptionError for Patience", err)
	}
}

// TestGuardCatchesDivergence: a NaN planted in a weight mid-run, and a
// learning rate of 1e6, each stop Fit at once with a *DivergedError that
// says where.
func TestGuardCatchesDivergence(t *testing.T) {
	net, ds, cfg := spiralRun()
	cfg.Epochs = 3
	steps := 0
	cfg.OnBatch = func(done, total int) {
		if steps++; steps == 7 {
			net.Params()[2].Value[3] = float32(math.NaN()) // 2.weight
		}
	}
	_, err := Fit(context.Background(), net, loss.Softmax{}, ds, nil, cfg)
	var div *DivergedError
	if !errors.As(err, &div) || div.Epoch != 1 || div.Batch != 8 || div.Param != "2.weight" || !math.IsNaN(div.Loss) {
		t.Fatalf("a NaN planted after step 7: %#v (%v); want epoch 1, batch 8, parameter 2.weight, a NaN loss", div, err)
	}
	if !strings.Contains(err.Error(), "batch 8 of 12") || !strings.Contains(err.Error(), "2.weight") {
		t.Errorf("message %q", err)
	}
	net, ds, cfg = spiralRun()
	cfg.Optimizer.LR, cfg.Optimizer.Name = 1e6, "sgd"
	_, err = Fit(context.Background(), net, loss.Softmax{}, ds, nil, cfg)
	if !errors.As(err, &div) || div.Epoch != 1 || !(div.Loss > Explosion*div.FirstLoss || math.IsNaN(div.Loss)) {
		t.Fatalf("lr 1e6: %v; want the guard in epoch 1", err)
	}
	t.Log(err)
}

// TestEpochSeesWeightsOverflow makes one step of an epoch with a learning
// rate so large that the update overflows: the step's loss was finite, but
// the epoch ends in a *DivergedError that names the weights (Batch 0).
func TestEpochSeesWeightsOverflow(t *testing.T) {
	net, ds, _ := spiralRun()
	tr := &Trainer{Net: net, Loss: loss.Softmax{}, Opt: &optim.SGD{LR: 1e300}, Batch: ds.Len()}
	_, _, err := tr.Epoch(context.Background(), ds)
	var div *DivergedError
	if !errors.As(err, &div) || div.Batch != 0 || div.Param == "" || !strings.Contains(err.Error(), "weights are no longer finite") {
		t.Errorf("error %v; want a *DivergedError about the weights", err)
	}
}

// TestCheckSaysWhereAFeatureIsNotFinite puts NaN, +Inf or −Inf at places
// the vector check reads in its wide loop and in its tail (a 37×29 matrix:
// 1,073 numbers), and checks that Check names the first one's row and
// feature, or finds nothing wrong without one.
func TestCheckSaysWhereAFeatureIsNotFinite(t *testing.T) {
	net := nn.NewMLP(29, []int{4}, 3, act.MustNew("relu"), rand.New(rand.NewPCG(2, 2)))
	tr := &Trainer{Net: net, Loss: loss.Softmax{}, Opt: &optim.SGD{LR: 0.1}, Batch: 8}
	ds := &data.Dataset{X: tensor.New(37, 29), Labels: make([]int, 37), Classes: 3}
	for i := range ds.X.Data {
		ds.X.Data[i] = float32(i%7) - 3
	}
	if err := tr.Check(ds); err != nil {
		t.Fatalf("finite data: %v", err)
	}
	for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))} {
		for _, at := range []int{0, 15, 16, 500, 1056, 1071, 1072} {
			x := slices.Clone(ds.X.Data)
			x[at] = bad
			if at+1 < len(x) {
				x[len(x)-1] = bad // a later one is not the one named
			}
			err := tr.Check(&data.Dataset{X: &tensor.Matrix{Rows: 37, Cols: 29, Data: x}, Labels: ds.Labels, Classes: 3})
			want := fmt.Sprintf("data: row %d, feature %d is %v; want finite numbers", at/29, at%29, bad)
			if err == nil || err.Error() != want {
				t.Errorf("%v at %d: %v, want %q", bad, at, err, want)
			}
		}
	}
}

// TestDivergedErrorWithoutAFirstLoss: where no batch's loss was kept, the
// message does not speak of a first batch's loss of 0.
func TestDivergedErrorWithoutAFirstLoss(t *testing.T) {
	msg := (&DivergedError{Epoch: 2, Loss: math.NaN(), LR: 0.1}).Error()
	if !strings.Contains(msg, "diverged in epoch 2: the loss is NaN.") || strings.Contains(msg, "first batch") {
		t.Errorf("message %q", msg)
	}
	msg = (&DivergedError{Epoch: 2, Batch: 3, Batches: 5, Loss: math.Inf(1), FirstLoss: 1.5}).Error()
	if !strings.Contains(msg, "the loss is +Inf (the first batch's was 1.5)") {
		t.Errorf("message %q", msg)
	}
}

// TestDivergedErrorAfterAFirstLossOf0: weights so large that the first
// batch's loss is 0 (a network that had diverged, trained again) and then
// a batch past the guard: the message gives the first loss as 0 and the
// yardstick the guard used, not the float64 that stands for it
// (4.941e-324).
func TestDivergedErrorAfterAFirstLossOf0(t *testing.T) {
	tr := Trainer{}
	if tr.diverging(0) || !tr.diverging(Explosion*MinFirstLoss*1.5) {
		t.Fatal("the guard: a first loss of 0, then 15: want the second past it")
	}
	msg := (&DivergedError{Epoch: 1, Batch: 3, Batches: 5, Loss: 15, FirstLoss: tr.firstLoss}).Error()
	if want := "the loss grew to 15, over 1000 times the first batch's 0 (counted as 0.01)"; !strings.Contains(msg, want) {
		t.Errorf("message %q; want it to say %q", msg, want)
	}
	msg = (&DivergedError{Epoch: 1, Batch: 3, Batches: 5, Loss: 2e4, FirstLoss: 1.25}).Error()
	if want := "the loss grew to 2e+04, over 1000 times the first batch's 1.25."; !strings.Contains(msg, want) {
		t.Errorf("message %q; want it to say %q", msg, want)
	}
}

// TestFitRefusesWhatCannotBeWatchedOrResumed: a probe recorder made for
// another network or for rows of another width, target values shorter
// than their shape, a checkpoint whose progress the training data cannot
// hold or that holds nothing, and checkpoints with no OnCheckpoint to
// take them are errors naming them; a validation set without rows
// (the zero Dataset) is none, and Evaluate refuses no rows.
func TestFitRefusesWhatCannotBeWatchedOrResumed(t *testing.T) {
	net, ds, cfg := spiralRun()
	other, _, _ := spiralRun()
	var saved *Checkpoint
	cfg.Epochs, cfg.CheckpointEvery = 1, 1
	cfg.OnCheckpoint = func(c *Checkpoint) error { saved = c; return nil }
	if _, err := Fit(context.Background(), net, loss.Softmax{}, ds, &data.Dataset{}, cfg); err != nil || saved == nil {
		t.Fatalf("a zero validation set: %v (checkpoint %v)", err, saved != nil)
	}
	cfg.Epochs, cfg.OnCheckpoint, cfg.CheckpointEvery = 2, nil, 0
	short := &data.Dataset{X: ds.X, Values: &tensor.Matrix{Rows: ds.Len(), Cols: 3}}
	for _, c := range []struct {
		name   string
		change func(cfg *Config, ds **data.Dataset, l *loss.Loss)
		want   string
	}{
		{"probe of another network", func(cfg *Config, _ **data.Dataset, _ *loss.Loss) { cfg.Probe = probe.NewRecorder(other, ds.X) }, "the probe (Config.Probe): the Recorder watches another network"},
		{"probe of other rows", func(cfg *Config, _ **data.Dataset, _ *loss.Loss) {
			cfg.Probe = probe.NewRecorder(net, tensor.New(4, 7))
		}, "sample has 7 columns; the network takes 2"},
		{"values short", func(_ *Config, d **data.Dataset, l *loss.Loss) { *d, *l = short, loss.MSE{} }, "training data: the target values (Values): a 90×3 matrix holds 0 numbers"},
		{"a row past the data", func(cfg *Config, _ **data.Dataset, _ *loss.Loss) { c := *saved; c.Row = 1000; cfg.Resume = &c }, "row 1000 of an epoch; the training data has 90 rows"},
		{"more right than rows", func(cfg *Config, _ **data.Dataset, _ *loss.Loss) {
			c := *saved
			c.Row, c.Right = 10, 11
			cfg.Resume = &c
		}, "11 right answers in 10 rows"},
		{"a NaN loss", func(cfg *Config, _ **data.Dataset, _ *loss.Loss) { c := *saved; c.Total = math.NaN(); cfg.Resume = &c }, "summed loss NaN"},
		{"epochs past Epochs", func(cfg *Config, _ **data.Dataset, _ *loss.Loss) { c := *saved; c.Epoch = 3; cfg.Resume = &c }, "after 3 epochs, past Epochs 2"}, // as many: the run's last checkpoint, resumed to save its model
		{"a negative epoch", func(cfg *Config, _ **data.Dataset, _ *loss.Loss) { c := *saved; c.Epoch = -1; cfg.Resume = &c }, "after -1 epochs; want 0 or more"},
		{"negative steps", func(cfg *Config, _ **data.Dataset, _ *loss.Loss) { c := *saved; c.Optimizer.Step = -1; cfg.Resume = &c }, "counts -1 optimizer steps"},
		{"a best epoch in the future", func(cfg *Config, _ **data.Dataset, _ *loss.Loss) { c := *saved; c.BestEpoch = 99; cfg.Resume = &c }, "best epoch is 99, after 1 epochs"},
		{"a negative best epoch", func(cfg *Config, _ **data.Dataset, _ *loss.Loss) { c := *saved; c.BestEpoch = -5; cfg.Resume = &c }, "best epoch is -5"},

		{"an empty checkpoint", func(cfg *Config, _ **data.Dataset, _ *loss.Loss) { cfg.Resume = &Checkpoint{} }, "an empty checkpoint: it holds no shuffling state"},
		{"checkpoints to no one", func(cfg *Config, _ **data.Dataset, _ *loss.Loss) { cfg.CheckpointEvery = 1 }, "CheckpointEvery 1: want an OnCheckpoint to receive the checkpoints"},
	} {
		cfg, d := cfg, ds
		var l loss.Loss = loss.Softmax{}
		c.change(&cfg, &d, &l)
		if _, err := Fit(context.Background(), net, l, d, nil, cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	cfg.Resume = saved
	if _, err := Fit(context.Background(), net, loss.Softmax{}, ds, nil, cfg); err != nil {
		t.Errorf("resuming from the checkpoint as saved: %v", err)
	}
	if _, _, err := Evaluate(net, loss.Softmax{}, ds.Slice(0, 0)); err == nil || !strings.Contains(err.Error(), "no rows") {
		t.Errorf("Evaluate of no rows: %v", err)
	}
}

// TestResetGuard: weights scaled far from where a run began raise a
// batch's loss past Explosion times the first batch's, which the guard
// refuses as divergence; after ResetGuard that batch's loss is the
// yardstick, and the step is made.
func TestResetGuard(t *testing.T) {
	for _, reset := range []bool{false, true} {
		net, ds, _ := spiralRun()
		tr := &Trainer{Net: net, Loss: loss.Softmax{}, Opt: &optim.SGD{LR: 1e-6}, Batch: ds.Len()}
		rows := make([]int, ds.Len())
		for i := range rows {
			rows[i] = i
		}
		first, _, err := tr.Step(ds, rows)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range net.Params() {
			for i := range p.Value {
				p.Value[i] *= 300 // by hand, between steps
			}
		}
		if reset {
			tr.ResetGuard()
		}
		l, _, err := tr.Step(ds, rows)
		var div *DivergedError
		if diverged := errors.As(err, &div); diverged == reset || !(l > Explosion*first) {
			t.Errorf("reset %v: loss %v from the first batch's %v, error %v; want the guard to refuse it only without ResetGuard", reset, l, first, err)
		}
	}
}
