package lab

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/tensor"
	"github.com/wigglenn/wiggle/train"
)

func quickConfig() CompareConfig {
	cfg := DefaultCompareConfig()
	cfg.Epochs = 40
	return cfg
}

// TestCompareIndependentOfWorkers checks that running activations in
// parallel changes nothing but the wall time.
func TestCompareIndependentOfWorkers(t *testing.T) {
	ds := data.Spiral(100, 3, 0.2, rand.New(rand.NewPCG(1, 1)))
	cfg := quickConfig()
	cfg.Acts = []string{"sigmoid", "relu", "tanh"}
	cfg.Workers = 1
	one, err := Compare(cfg, ds)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Workers = 3
	three, err := Compare(cfg, ds)
	if err != nil {
		t.Fatal(err)
	}
	for i := range one {
		one[i].Seconds, three[i].Seconds = Spread{}, Spread{}
		one[i].Net, three[i].Net = nil, nil
		if !reflect.DeepEqual(one[i], three[i]) {
			t.Errorf("%s: one worker %+v, three workers %+v", cfg.Acts[i], one[i], three[i])
		}
	}
}

// TestCompareTellsTheSeedsStory checks the seed's claims on the default
// spiral: linear collapses, step gets no gradient below the top, ReLU learns.
func TestCompareTellsTheSeedsStory(t *testing.T) {
	ds := data.Spiral(100, 3, 0.2, rand.New(rand.NewPCG(1, 1)))
	cfg := quickConfig()
	cfg.Acts = []string{"step", "identity", "relu", "sigmoid"}
	rows, err := Compare(cfg, ds)
	if err != nil {
		t.Fatal(err)
	}
	step, identity, relu, sigmoid := rows[0], rows[1], rows[2], rows[3]
	if step.GradNorm.Max != 0 || step.Saturated.Min <= 0 || step.Saturated.Max >= 1 { // flat where it is 1, off (not saturated) where it is 0
		t.Errorf("step: first-layer gradient %v, saturated %v; want 0, and some but not all saturated", step.GradNorm, step.Saturated)
	}
	if identity.Accuracy.Max > 0.6 || identity.Reached != 0 {
		t.Errorf("identity reached %.2f accuracy (90%% in %d runs); a linear map cannot separate the spiral", identity.Accuracy.Max, identity.Reached)
	}
	if relu.Accuracy.Median < 0.9 || relu.Reached < 2 || relu.ValAccuracy.Median < 0.8 {
		t.Errorf("relu: accuracy %v, validation %v, reached 90%% in %d of 3 runs", relu.Accuracy, relu.ValAccuracy, relu.Reached)
	}
	if e := relu.EpochsToTarget; e.Min < 1 || e.Max > float64(cfg.Epochs) || identity.EpochsToTarget != (Spread{}) {
		t.Errorf("epochs to 90%%: relu %+v, identity %+v; want relu's within 1 to %d (of the runs that got there), none for identity", e, identity.EpochsToTarget, cfg.Epochs)
	}
	// The catalogue's saturation: relu's flat side is off (dead units come
	// from it), not saturated. The probe's plain count (f′ below 1% of its
	// largest) puts relu's flat side in.
	if relu.Saturated.Max != 0 || sigmoid.Saturated.Max > 0.5 {
		t.Errorf("saturated: relu %v, sigmoid %v; want none for relu", relu.Saturated, sigmoid.Saturated)
	}
	if relu.Seconds.Min > relu.Seconds.Median || relu.Seconds.Median > relu.Seconds.Max {
		t.Errorf("relu's times %v are not a median within its range", relu.Seconds)
	}
}

func TestCompareRejectsBadConfig(t *testing.T) {
	ds := data.Spiral(10, 3, 0.2, rand.New(rand.NewPCG(1, 1)))
	cfg := quickConfig()
	cfg.Acts = []string{"nope"}
	if _, err := Compare(cfg, ds); err == nil {
		t.Error("an unknown activation was accepted")
	}
	for _, c := range []struct {
		option string
		set    func(*CompareConfig)
	}{
		{"Batch", func(c *CompareConfig) { c.Batch = 0 }},
		{"Epochs", func(c *CompareConfig) { c.Epochs = 0 }},
		{"Optimizer.LR", func(c *CompareConfig) { c.LR = math.NaN() }},
		{"Optimizer.LR", func(c *CompareConfig) { c.LR = -1 }},
		{"Optimizer.Momentum", func(c *CompareConfig) { c.Momentum = math.Inf(1) }},
	} {
		cfg = quickConfig()
		c.set(&cfg)
		_, err := Compare(cfg, ds)
		var opt *train.OptionError
		if !errors.As(err, &opt) || opt.Option != c.option {
			t.Errorf("%+v: error %v; want an OptionError on %s", cfg, err, c.option)
		}
	}
	for _, c := range []struct {
		name string
		set  func(*CompareConfig)
		want string
	}{
		{"Val -0.5", func(c *CompareConfig) { c.Val = -0.5 }, "Val -0.5: want a fraction"},
		{"Val NaN", func(c *CompareConfig) { c.Val = math.NaN() }, "Val NaN: want a fraction"},
		{"Val 1", func(c *CompareConfig) { c.Val = 1 }, "Val 1: want a fraction"},
		{"no activations", func(c *CompareConfig) { c.Acts = nil }, "no activations"},
		{"Val 0.99 of 30 rows", func(c *CompareConfig) { c.Val = 0.99 }, "holds out 30 of 30 rows and leaves none"},
	} {
		cfg = quickConfig()
		c.set(&cfg)
		if _, err := Compare(cfg, ds); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	for _, c := range []struct {
		name string
		ds   *data.Dataset
		want string
	}{
		{"nil", nil, "no data"},
		{"a label past its classes", &data.Dataset{X: tensor.New(4, 2), Labels: []int{0, 1, 2, 0}, Classes: 2}, "row 2 has label 2"},
		{"one class", &data.Dataset{X: tensor.New(4, 2), Labels: make([]int, 4), Classes: 1}, "1 classes; want"},
		{"target values", &data.Dataset{X: tensor.New(4, 2), Values: tensor.New(4, 1)}, "2 or more class labels"},
	} {
		if _, err := Compare(quickConfig(), c.ds); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

// TestCompareCountsDivergedRuns: a run whose loss blows up is counted,
// not reported with the figures of where it stopped (a loss of 0 before
// its first epoch).
func TestCompareCountsDivergedRuns(t *testing.T) {
	ds := data.Spiral(20, 3, 0.2, rand.New(rand.NewPCG(1, 1)))
	cfg := quickConfig()
	cfg.Acts, cfg.Epochs, cfg.LR = []string{"relu"}, 3, 1e30
	rows, err := Compare(cfg, ds)
	if err != nil {
		t.Fatal(err)
	}
	if r := rows[0]; r.Diverged != cfg.Seeds || r.Reached != 0 || r.Loss != (Spread{}) || r.Accuracy != (Spread{}) {
		t.Errorf("lr 1e30: %+v; want %d diverged runs and no figures", r, cfg.Seeds)
	}
	cfg.LR = 0.1
	if rows, err = Compare(cfg, ds); err != nil || rows[0].Diverged != 0 || !(rows[0].Loss.Median > 0) {
		t.Errorf("lr 0.1: %+v, %v; want no run diverged and a loss", rows, err)
	}
}

// TestCompareRowJSON: a figure no run measured is null in JSON, not a
// zero that reads as a measurement (a dead fraction of 0 is one).
func TestCompareRowJSON(t *testing.T) {
	measured := Spread{Median: 0.5, Min: 0.25, Max: 1}
	for _, c := range []struct {
		name       string
		row        CompareRow
		nulls, not []string
	}{
		{"every run diverged", CompareRow{Act: "relu", Runs: 3, Diverged: 3},
			[]string{"loss", "accuracy", "val_accuracy", "epochs_to_target", "dead", "saturated", "grad_norm", "seconds"}, nil},
		{"none reached the target", CompareRow{Act: "identity", Runs: 3, Loss: measured, Dead: Spread{}},
			[]string{"epochs_to_target"}, []string{"loss", "dead", "seconds"}},
		{"two of three reached it", CompareRow{Act: "tanh", Runs: 3, Diverged: 1, Reached: 2, EpochsToTarget: measured},
			nil, []string{"loss", "epochs_to_target", "dead"}},
	} {
		b, err := json.Marshal(c.row)
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		for _, k := range c.nulls {
			if v, ok := got[k]; !ok || v != nil {
				t.Errorf("%s: %q is %v (present %v); want null: %s", c.name, k, v, ok, b)
			}
		}
		for _, k := range c.not {
			if _, ok := got[k].(map[string]any); !ok {
				t.Errorf("%s: %q is %v; want a spread: %s", c.name, k, got[k], b)
			}
		}
		if got["act"] != c.row.Act || got["runs"] != float64(c.row.Runs) || got["diverged"] != float64(c.row.Diverged) {
			t.Errorf("%s: %s; want act, runs and diverged as in the row", c.name, b)
		}
		if strings.Count(string(b), `"loss"`) != 1 {
			t.Errorf("%s: loss written twice: %s", c.name, b)
		}
	}
	b, _ := json.Marshal(CompareRow{Runs: 1, Reached: 1, EpochsToTarget: measured})
	var back struct {
		EpochsToTarget Spread `json:"epochs_to_target"`
	}
	if err := json.Unmarshal(b, &back); err != nil || back.EpochsToTarget != measured {
		t.Errorf("epochs_to_target read back as %+v, %v; want %+v", back.EpochsToTarget, err, measured)
	}
}

// TestCompareStopsWhenCancelled: a Context done before or during the runs
// stops them at their next epoch, and Compare returns its error, not
// rows; too many epochs are refused before any run.
func TestCompareStopsWhenCancelled(t *testing.T) {
	ds := data.Spiral(20, 3, 0.2, rand.New(rand.NewPCG(1, 1)))
	cfg := quickConfig()
	cfg.Epochs = MaxCompareEpochs // hours, were it not stopped
	ctx, cancel := context.WithCancel(context.Background())
	cfg.Context = ctx
	time.AfterFunc(50*time.Millisecond, cancel)
	if rows, err := Compare(cfg, ds); !errors.Is(err, context.Canceled) || rows != nil {
		t.Errorf("cancelled during the runs: %d rows, %v; want none and context.Canceled", len(rows), err)
	}
	cfg.Context, cfg.Epochs = nil, MaxCompareEpochs+1
	if _, err := Compare(cfg, ds); err == nil || !strings.Contains(err.Error(), "at most 100000") {
		t.Errorf("%d epochs: %v; want them refused", cfg.Epochs, err)
	}
}

// TestCompareKeepsNetsOnlyForPlots: without Nets no row holds a network;
// with it each row holds its median run's, which classifies as the row's
// accuracy says.
func TestCompareKeepsNetsOnlyForPlots(t *testing.T) {
	ds := data.Spiral(60, 3, 0.2, rand.New(rand.NewPCG(2, 2)))
	cfg := quickConfig()
	cfg.Acts, cfg.Epochs, cfg.Val, cfg.Seeds = []string{"relu", "tanh"}, 20, 0, 1 // one seed: the median run is the row
	for _, nets := range []bool{false, true} {
		cfg.Nets = nets
		rows, err := Compare(cfg, ds)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if (r.Net != nil) != nets {
				t.Errorf("Nets %v: %s's row holds a network: %v", nets, r.Act, r.Net != nil)
				continue
			}
			if !nets {
				continue
			}
			_, acc := measure(r.Net, ds)
			if acc != r.Accuracy.Median {
				t.Errorf("%s: the row's network classifies %.4f of the points, the row says %.4f", r.Act, acc, r.Accuracy.Median)
			}
		}
	}
}

// TestCompareDeadAtInit: DeadInit is the dead share of the network as
// each run starts (built again here from its seed, as compareOne builds
// it), not at its end: relu's on the spiral is far from 0 before any
// step, which the end's figure alone had passed off as training's.
func TestCompareDeadAtInit(t *testing.T) {
	ds := data.Spiral(100, 3, 0.2, rand.New(rand.NewPCG(1, 1)))
	cfg := quickConfig()
	cfg.Acts, cfg.Seeds, cfg.Val = []string{"relu"}, 1, 0
	rows, err := Compare(cfg, ds)
	if err != nil {
		t.Fatal(err)
	}
	f, err := act.Parse("relu")
	if err != nil {
		t.Fatal(err)
	}
	start := nn.NewMLP(ds.X.Cols, cfg.Hidden, ds.Classes, f, rand.New(rand.NewPCG(cfg.Seed, 0)))
	want, _ := deadAndSaturated(start, ds)
	if got := rows[0].DeadInit.Median; got != want || !(want > 0.05) {
		t.Errorf("relu's dead share at init %v; want %v, the network's as built (and above 5%%)", got, want)
	}
}
