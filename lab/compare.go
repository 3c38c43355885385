// Package lab runs wiggle's experiments: the same network trained under
// different activations, and the classic claims about activations checked
// with measured numbers.
//
// Concurrency: each experiment and each row of Compare trains on networks
// of its own (Compare on parallel workers); running several at once is
// safe.
package lab

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"time"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/probe"
	"github.com/wigglenn/wiggle/tensor"
	"github.com/wigglenn/wiggle/train"
)

// DefaultCompareActs is the list `wiggle compare` trains when not told
// otherwise: the seed's story from the step function to GELU.
var DefaultCompareActs = []string{"step", "identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu"}

// CompareConfig describes one comparison: the same network, data, start and
// schedule for each activation.
type CompareConfig struct {
	Acts     []string // activation specs, as act.Parse reads them
	Hidden   []int    // hidden layer widths
	Epochs   int
	Batch    int
	LR       float64
	Momentum float64
	Seed     uint64  // initial weights and batch order; the same for every activation
	Target   float64 // training accuracy whose first epoch is reported (0.9)
	Workers  int     // activations trained at once; 0 means one per CPU
}

// DefaultCompareConfig is the configuration of `wiggle compare`.
func DefaultCompareConfig() CompareConfig {
	return CompareConfig{
		Acts: DefaultCompareActs, Hidden: []int{32, 32}, Epochs: 200, Batch: 32,
		LR: 0.1, Momentum: 0.9, Seed: 1, Target: 0.9,
	}
}

// CompareRow is the outcome for one activation.
type CompareRow struct {
	Act      string  // the spec as given in CompareConfig.Acts
	Loss     float64 // mean training loss after the last epoch
	Accuracy float64 // training accuracy after the last epoch
	// EpochsToTarget is the first epoch after which training accuracy
	// reached the target, or 0 if it never did.
	EpochsToTarget int
	Dead           float64 // fraction of hidden units dead after training
	Saturated      float64 // fraction of saturated hidden unit-examples after training
	GradNorm       float64 // ‖dW‖ of the first layer at initialisation, full batch
	Seconds        float64 // wall time of the training
}

// Compare trains one network per activation on ds and returns a row for
// each, in the order of cfg.Acts. Results depend only on cfg and ds, not on
// the number of workers.
func Compare(cfg CompareConfig, ds *data.Dataset) ([]CompareRow, error) {
	funcs := make([]act.Func, len(cfg.Acts))
	for i, spec := range cfg.Acts {
		f, err := act.Parse(spec)
		if err != nil {
			return nil, err
		}
		funcs[i] = f
	}
	if cfg.Epochs < 1 || cfg.Batch < 1 {
		return nil, fmt.Errorf("compare: epochs and batch must be at least 1 (got %d and %d)", cfg.Epochs, cfg.Batch)
	}
	if ds == nil || ds.X == nil {
		return nil, errors.New("compare: no data")
	}
	if len(funcs) > 0 { // the data must fit the networks, before any worker trains on it
		net := nn.NewMLP(max(ds.X.Cols, 1), cfg.Hidden, max(ds.Classes, 2), funcs[0], rand.New(rand.NewPCG(0, 0)))
		tr := train.Trainer{Net: net, Opt: &optim.SGD{LR: 1}, Batch: cfg.Batch}
		if err := tr.Check(ds); err != nil {
			return nil, fmt.Errorf("compare: %w", err)
		}
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	rows := make([]CompareRow, len(funcs))
	errs := make([]error, len(funcs))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, len(funcs)) {
		wg.Go(func() {
			for i := range jobs {
				rows[i], errs[i] = compareOneSafely(cfg, funcs[i], ds)
				rows[i].Act = cfg.Acts[i]
			}
		})
	}
	for i := range funcs {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return rows, errors.Join(errs...)
}

// compareOneSafely turns a panic in a worker into an error, which the
// caller's goroutine can report; a panic would end the program.
func compareOneSafely(cfg CompareConfig, f act.Func, ds *data.Dataset) (row CompareRow, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("compare %s: internal error: %v", f, r)
		}
	}()
	return compareOne(cfg, f, ds), nil
}

func compareOne(cfg CompareConfig, f act.Func, ds *data.Dataset) CompareRow {
	rng := rand.New(rand.NewPCG(cfg.Seed, 0))
	net := nn.NewMLP(ds.X.Cols, cfg.Hidden, ds.Classes, f, rng)
	row := CompareRow{GradNorm: firstLayerGradNorm(net, ds)}

	start := time.Now()
	tr := &train.Trainer{Net: net, Opt: &optim.SGD{LR: cfg.LR, Momentum: cfg.Momentum}, Batch: cfg.Batch, Shuffle: true, Rng: rng}
	for epoch := 1; epoch <= cfg.Epochs; epoch++ {
		mustEpoch(tr, ds)
		row.Loss, row.Accuracy = measure(net, ds)
		if row.EpochsToTarget == 0 && row.Accuracy >= cfg.Target {
			row.EpochsToTarget = epoch
		}
	}
	row.Seconds = time.Since(start).Seconds()

	var units int
	for _, h := range probe.Health(net, ds.X) {
		row.Dead += h.Dead * float64(h.Units)
		row.Saturated += h.Saturated * float64(h.Units)
		units += h.Units
	}
	if units > 0 {
		row.Dead /= float64(units)
		row.Saturated /= float64(units)
	}
	return row
}

// firstLayerGradNorm is ‖dW‖ of the first layer for the loss over all of ds.
func firstLayerGradNorm(net *nn.Sequential, ds *data.Dataset) float64 {
	net.ZeroGrad()
	scores := net.Forward(ds.X, true)
	d := tensor.New(scores.Rows, scores.Cols)
	loss.SoftmaxCrossEntropy(d, scores, ds.Labels)
	net.Backward(d)
	norm := probe.WeightGradNorms(net)[0]
	net.ZeroGrad()
	return norm
}
