package train

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
)

// scaledModel is a spiral classifier that standardises its rows, as an
// imported file's (x − mean)/std makes one, and its raw training rows.
func scaledModel() (*modelio.Model, *data.Dataset) {
	rng := rand.New(rand.NewPCG(8, 8))
	ds := data.Spiral(30, 3, 0.2, rng)
	ds.Features, ds.ClassNames = []string{"x", "y"}, []string{"a", "b", "c"}
	for i := range ds.X.Data {
		ds.X.Data[i] = 10*ds.X.Data[i] + 3 // far from standardised
	}
	net := nn.NewMLP(2, []int{8}, 3, act.MustNew("tanh"), rng)
	return &modelio.Model{Net: net, Loss: "softmax", Features: ds.Features, Classes: ds.ClassNames,
		Scaler: data.FitStandardizer(ds.X)}, ds
}

// TestFitModelTrainsOnStandardisedRows: FitModel trains a model's network
// as Fit does on the rows standardised by the model's own Scaler, to the
// bit, and leaves the caller's rows as they were.
func TestFitModelTrainsOnStandardisedRows(t *testing.T) {
	m, ds := scaledModel()
	raw := slices.Clone(ds.X.Data)
	by, _ := scaledModel()
	scaled := *ds
	scaled.X = ds.X.Clone()
	by.Scaler.Apply(scaled.X)
	cfg := Config{Epochs: 2, Batch: 8, Shuffle: true, Seed: 1, Optimizer: optim.Config{Name: "momentum", LR: 0.1}}
	if _, err := FitModel(context.Background(), m, ds, nil, cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := Fit(context.Background(), by.Net, loss.Softmax{}, &scaled, nil, cfg); err != nil {
		t.Fatal(err)
	}
	for i, p := range m.Net.Params() {
		if !slices.Equal(p.Value, by.Net.Params()[i].Value) {
			t.Fatalf("%s: FitModel's weights differ from Fit's on standardised rows", p.Name)
		}
	}
	if !slices.Equal(ds.X.Data, raw) {
		t.Error("FitModel changed the caller's rows")
	}
}

// TestFitModelRefusesOtherColumns: a set naming its columns or classes
// otherwise than the model, or in another order, is an error that says
// so; nothing is trained.
func TestFitModelRefusesOtherColumns(t *testing.T) {
	for _, c := range []struct {
		change func(ds *data.Dataset)
		want   string
	}{
		{func(ds *data.Dataset) { ds.Features = []string{"y", "x"} }, "the training data's columns are [y x]; the model takes [x y]"},
		{func(ds *data.Dataset) { ds.ClassNames = []string{"b", "a", "c"} }, "the training data's classes are [b a c]; the model's are [a b c]"},
	} {
		m, ds := scaledModel()
		before := slices.Clone(m.Net.Params()[0].Value)
		c.change(ds)
		_, err := FitModel(context.Background(), m, ds, nil, Config{Epochs: 1, Batch: 8, Optimizer: optim.Config{Name: "momentum", LR: 0.1}})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v; want %q", err, c.want)
		}
		if !slices.Equal(before, m.Net.Params()[0].Value) {
			t.Error("the weights changed before the error")
		}
	}
	if _, err := FitModel(context.Background(), nil, nil, nil, Config{}); err == nil || !strings.Contains(err.Error(), "no model") {
		t.Errorf("a nil model: %v", err)
	}
}

// TestFitRefusesANetworkInTraining: a second Fit on a network a first Fit
// is training returns ErrTrainingAlready (it had mixed its steps into the
// first's, or panicked); once the first is done the network trains again.
func TestFitRefusesANetworkInTraining(t *testing.T) {
	net, ds, cfg := spiralRun()
	inEpoch, release := make(chan struct{}), make(chan struct{})
	first := cfg
	first.OnEpoch = func(EpochStats) {
		if inEpoch != nil {
			close(inEpoch)
			inEpoch = nil
			<-release
		}
	}
	done := make(chan error)
	wait := inEpoch
	go func() {
		_, err := Fit(context.Background(), net, loss.Softmax{}, ds, nil, first)
		done <- err
	}()
	<-wait
	if _, err := Fit(context.Background(), net, loss.Softmax{}, ds, nil, cfg); !errors.Is(err, ErrTrainingAlready) {
		t.Errorf("a second Fit during the first: %v; want ErrTrainingAlready", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := Fit(context.Background(), net, loss.Softmax{}, ds, nil, cfg); err != nil {
		t.Errorf("a Fit after the first: %v", err)
	}
}

// TestFitModelConcurrentlyOnOneModel: FitModel on a model a first
// FitModel is training returns ErrTrainingAlready before it reads the
// weights the first is stepping (its check of the model's values had come
// first: a data race, which `go test -race` reports).
func TestFitModelConcurrentlyOnOneModel(t *testing.T) {
	net, ds, cfg := spiralRun()
	m := &modelio.Model{Net: net, Loss: "softmax"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	first := cfg
	first.Epochs = 1_000_000
	stepping := make(chan struct{})
	var once sync.Once
	first.OnEpoch = func(EpochStats) { once.Do(func() { close(stepping) }) }
	done := make(chan error, 1)
	go func() {
		_, err := FitModel(ctx, m, ds, nil, first)
		done <- err
	}()
	<-stepping
	for range 20 { // the first steps its weights meanwhile
		if _, err := FitModel(context.Background(), m, ds, nil, cfg); !errors.Is(err, ErrTrainingAlready) {
			t.Fatalf("a second FitModel during the first: %v; want ErrTrainingAlready", err)
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("the first FitModel: %v; want it cancelled", err)
	}
	if _, err := FitModel(context.Background(), m, ds, nil, cfg); err != nil {
		t.Errorf("a FitModel after the first: %v", err)
	}
}
