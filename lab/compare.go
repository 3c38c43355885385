// Package lab runs wiggle's experiments: the same network trained under
// different activations, and the classic claims about activations checked
// with measured numbers.
//
// Concurrency: each experiment and each row of Compare trains on networks
// of its own (Compare on parallel workers); running several at once is
// safe, each Run into a Dir of its own: a Run clears what runs killed
// before their end left in its Dir, and so would clear a run still going
// there. The compute-cost experiment times the engine through package perf,
// which sets the engine's thread count while it measures and puts it back:
// its figures mean something only when it runs alone; no other result
// depends on the thread count.
package lab

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/internal/clock"
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
//
// In JSON it is the settings a comparison's rows were made with: the
// workers and the context, which change no result, are left out.
type CompareConfig struct {
	Acts     []string `json:"acts"`   // activation specs, as act.Parse reads them
	Hidden   []int    `json:"hidden"` // hidden layer widths
	Epochs   int      `json:"epochs"`
	Batch    int      `json:"batch"`
	LR       float64  `json:"lr"`
	Momentum float64  `json:"momentum"`
	Seed     uint64   `json:"seed"`   // the first seed of the initial weights and batch order; the same for every activation
	Seeds    int      `json:"seeds"`  // runs per activation, from seeds Seed, Seed+1, ...; the rows give medians and ranges
	Val      float64  `json:"val"`    // the fraction of the data held out (drawn from Seed) to measure validation accuracy
	Target   float64  `json:"target"` // training accuracy whose first epoch is reported (0.9)
	Workers  int      `json:"-"`      // runs trained at once; 0 means one per CPU
	// Nets keeps each row's median network (CompareRow.Net), for plots of
	// its decision regions; every run's network is then held to the end.
	// Without it each run's network goes as the run ends, Net is nil, and
	// the networks in memory at once are those of the runs training at
	// once (Workers, or fewer where the runs are fewer).
	Nets bool `json:"-"`
	// Context, if not nil, stops the runs when it is done: each at the
	// start of its next epoch, and Compare returns its error.
	Context context.Context `json:"-"`
}

// MaxCompareEpochs bounds CompareConfig.Epochs: far past where the spiral
// stops changing, short of a typo's hours.
const MaxCompareEpochs = 100_000

// MaxSeeds bounds CompareConfig.Seeds: every run is kept until the rows
// are made.
const MaxSeeds = 1000

// DefaultCompareConfig is the configuration of `wiggle compare`.
func DefaultCompareConfig() CompareConfig {
	return CompareConfig{
		Acts: DefaultCompareActs, Hidden: []int{32, 32}, Epochs: 200, Batch: 32,
		LR: 0.1, Momentum: 0.9, Seed: 1, Seeds: 3, Val: 0.2, Target: 0.9,
	}
}

// CompareRow is the outcome for one activation: the median over the seeds
// of each figure, with its range.
//
// In JSON (MarshalJSON), a figure no run measured is null rather than a
// zero Spread: all of them when every run diverged, and
// epochs_to_target when no run reached the target.
type CompareRow struct {
	Act         string `json:"act"`          // the spec as given in CompareConfig.Acts
	Runs        int    `json:"runs"`         // runs trained: one per seed
	Loss        Spread `json:"loss"`         // training loss after the last epoch
	Accuracy    Spread `json:"accuracy"`     // training accuracy after the last epoch
	ValAccuracy Spread `json:"val_accuracy"` // on the held-out points
	// EpochsToTarget is the first epoch after which training accuracy
	// reached the target, over the Reached runs that did (zero when none
	// did).
	EpochsToTarget Spread `json:"epochs_to_target"`
	Reached        int    `json:"reached"` // runs that reached the target
	// Diverged counts the runs whose loss became NaN or infinite; the
	// figures are of the other runs (all zero when every run diverged).
	Diverged int    `json:"diverged"`
	Dead     Spread `json:"dead"` // fraction of hidden units 0 on every training point
	// DeadInit is Dead at the initial weights: a unit dead then was not
	// killed by training (PyTorch's initial biases put some of relu's
	// boundaries outside the data).
	DeadInit  Spread `json:"dead_init"`
	Saturated Spread `json:"saturated"` // fraction of hidden unit-examples saturated, as probe counts them (see deadAndSaturated)
	GradNorm  Spread `json:"grad_norm"` // ‖dW‖ of the first layer at initialisation, full batch
	Seconds   Spread `json:"seconds"`   // wall time of the training
	// History is the training loss after each epoch, of the median run
	// (by final loss), for plots.
	History []float64 `json:"-"`
	// Net is the median run's network, for plots of its decision regions,
	// where CompareConfig.Nets asks for it; else nil.
	Net *nn.Sequential `json:"-"`
}

// Spread is a figure over the seeds: its median, least and greatest.
type Spread struct {
	Median float64 `json:"median"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
}

func spread(v []float64) Spread {
	if len(v) == 0 {
		return Spread{}
	}
	return Spread{Median: median(v), Min: slices.Min(v), Max: slices.Max(v)}
}

// run is one activation trained from one seed.
type run struct {
	loss, acc, val, epochs, dead, deadInit, saturated, grad, seconds float64
	reached, diverged                                                bool
	history                                                          []float64
	net                                                              *nn.Sequential
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
	if err := train.CheckConfig(trainConfig(cfg)); err != nil {
		return nil, fmt.Errorf("compare: %w", err)
	}
	if err := ds.Check(); err != nil {
		return nil, fmt.Errorf("compare: %w", err)
	}
	if ds.X.Cols < 1 || ds.Classes < 2 || ds.Labels == nil {
		return nil, fmt.Errorf("compare: %d features and %d classes; want 1 or more and 2 or more class labels", ds.X.Cols, ds.Classes)
	}
	if len(funcs) == 0 {
		return nil, errors.New("compare: no activations (Acts) to compare")
	}
	if cfg.Seeds > MaxSeeds {
		return nil, fmt.Errorf("compare: %d seeds; at most %d", cfg.Seeds, MaxSeeds)
	}
	if cfg.Epochs > MaxCompareEpochs {
		return nil, fmt.Errorf("compare: %d epochs; at most %d", cfg.Epochs, MaxCompareEpochs)
	}
	if !(cfg.Val >= 0 && cfg.Val < 1) {
		return nil, fmt.Errorf("compare: Val %v: want a fraction from 0 up to (not including) 1", cfg.Val)
	}
	if held := holdOutRows(ds.Len(), cfg.Val); held >= ds.Len() {
		return nil, fmt.Errorf("compare: Val %v holds out %d of %d rows and leaves none to train on", cfg.Val, held, ds.Len())
	}
	if err := nn.NewMLPSpec(ds.X.Cols, cfg.Hidden, ds.Classes, "relu", nn.MLPOptions{}).CheckSize(); err != nil {
		return nil, fmt.Errorf("compare: hidden widths %v: %w", cfg.Hidden, err) // before NewMLP allocates them
	}
	// the data must fit the networks, before any worker trains on it
	fits := train.Trainer{Net: nn.NewMLP(ds.X.Cols, cfg.Hidden, ds.Classes, funcs[0], rand.New(rand.NewPCG(0, 0))),
		Opt: &optim.SGD{LR: 1}, Batch: cfg.Batch}
	if err := fits.Check(ds); err != nil {
		return nil, fmt.Errorf("compare: %w", err)
	}
	seeds := max(cfg.Seeds, 1)
	trainSet, valSet := holdOut(ds, cfg.Val, cfg.Seed)
	_, workers := cfg.Runs()
	runs := make([]run, len(funcs)*seeds)
	errs := make([]error, len(runs))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				runs[i], errs[i] = compareOneSafely(cfg, funcs[i/seeds], cfg.Seed+uint64(i%seeds), trainSet, valSet)
			}
		})
	}
	for i := range runs {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if cfg.Context != nil && cfg.Context.Err() != nil {
		return nil, fmt.Errorf("compare: %w", cfg.Context.Err())
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	rows := make([]CompareRow, len(funcs))
	for a := range funcs {
		rows[a] = summarise(cfg.Acts[a], runs[a*seeds:(a+1)*seeds])
	}
	return rows, nil
}

// Runs counts the runs Compare trains for cfg, one per activation and
// seed, and those it trains at once: Workers (0: one per CPU), no more
// than the runs.
func (cfg CompareConfig) Runs() (total, atOnce int) {
	total = len(cfg.Acts) * max(cfg.Seeds, 1)
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	return total, min(total, workers)
}

// ctx is cfg's Context, or one never done.
func (cfg CompareConfig) ctx() context.Context {
	if cfg.Context == nil {
		return context.Background()
	}
	return cfg.Context
}

// trainConfig is what Compare's runs train with, for train.CheckConfig to
// judge (an *train.OptionError names the option it refuses).
func trainConfig(cfg CompareConfig) train.Config {
	return train.Config{Epochs: cfg.Epochs, Batch: cfg.Batch,
		Optimizer: optim.Config{Name: "momentum", LR: cfg.LR, Momentum: cfg.Momentum}}
}

// holdOut splits off the fraction val of ds's rows, drawn from seed.
func holdOut(ds *data.Dataset, val float64, seed uint64) (trainSet, valSet *data.Dataset) {
	n := ds.Len()
	nVal := holdOutRows(n, val)
	order := rand.New(rand.NewPCG(seed, 0x7a1)).Perm(n)
	trainRows, valRows := order[nVal:], order[:nVal]
	slices.Sort(trainRows)
	slices.Sort(valRows)
	return ds.Rows(trainRows), ds.Rows(valRows)
}

// holdOutRows is how many of n rows holdOut holds out for a fraction val.
func holdOutRows(n int, val float64) int { return int(val*float64(n) + 0.5) }

// summarise makes an activation's row of its runs: the figures of those
// that did not diverge.
func summarise(act string, all []run) CompareRow {
	runs := slices.DeleteFunc(slices.Clone(all), func(r run) bool { return r.diverged })
	row := CompareRow{Act: act, Runs: len(all), Diverged: len(all) - len(runs)}
	if len(runs) == 0 { // every run diverged: no figures; plots show where the median stopped
		median := medianRun(all)
		row.History, row.Net = median.history, median.net
		return row
	}
	pick := func(f func(r run) float64) Spread { return spread(collect(runs, f)) }
	row.Loss, row.Accuracy = pick(func(r run) float64 { return r.loss }), pick(func(r run) float64 { return r.acc })
	row.ValAccuracy = pick(func(r run) float64 { return r.val })
	row.Dead, row.Saturated = pick(func(r run) float64 { return r.dead }), pick(func(r run) float64 { return r.saturated })
	row.DeadInit = pick(func(r run) float64 { return r.deadInit })
	row.GradNorm, row.Seconds = pick(func(r run) float64 { return r.grad }), pick(func(r run) float64 { return r.seconds })
	median := medianRun(runs)
	row.History, row.Net = median.history, median.net
	reached := slices.DeleteFunc(runs, func(r run) bool { return !r.reached })
	row.Reached, row.EpochsToTarget = len(reached), spread(collect(reached, func(r run) float64 { return r.epochs }))
	return row
}

// MarshalJSON writes the row with null for each figure no run measured
// (see CompareRow).
func (r CompareRow) MarshalJSON() ([]byte, error) {
	type fields CompareRow // the same fields without this method
	measured := func(s Spread, runs int) *Spread {
		if runs == 0 {
			return nil
		}
		return &s
	}
	finished := r.Runs - r.Diverged
	return json.Marshal(struct {
		fields
		Loss           *Spread `json:"loss"`
		Accuracy       *Spread `json:"accuracy"`
		ValAccuracy    *Spread `json:"val_accuracy"`
		EpochsToTarget *Spread `json:"epochs_to_target"`
		Dead           *Spread `json:"dead"`
		DeadInit       *Spread `json:"dead_init"`
		Saturated      *Spread `json:"saturated"`
		GradNorm       *Spread `json:"grad_norm"`
		Seconds        *Spread `json:"seconds"`
	}{fields(r), measured(r.Loss, finished), measured(r.Accuracy, finished), measured(r.ValAccuracy, finished),
		measured(r.EpochsToTarget, r.Reached), measured(r.Dead, finished), measured(r.DeadInit, finished), measured(r.Saturated, finished),
		measured(r.GradNorm, finished), measured(r.Seconds, finished)})
}

// medianRun is the run of the median final loss.
func medianRun(runs []run) run {
	order := slices.Clone(runs)
	slices.SortFunc(order, func(a, b run) int { return cmp.Compare(a.loss, b.loss) })
	return order[len(order)/2]
}

// compareOneSafely turns a panic in a worker into an error, which the
// caller's goroutine can report; a panic would end the program.
func compareOneSafely(cfg CompareConfig, f act.Func, seed uint64, trainSet, valSet *data.Dataset) (r run, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("compare %s: internal error: %v", f, p)
		}
	}()
	return compareOne(cfg, f, seed, trainSet, valSet), nil
}

func compareOne(cfg CompareConfig, f act.Func, seed uint64, ds, valSet *data.Dataset) run {
	rng := rand.New(rand.NewPCG(seed, 0))
	net := nn.NewMLP(ds.X.Cols, cfg.Hidden, ds.Classes, f, rng)
	r := run{grad: firstLayerGradNorm(net, ds), net: net}
	r.deadInit, _ = deadAndSaturated(net, ds)

	start := clock.Now()
	tr := &train.Trainer{Net: net, Opt: &optim.SGD{LR: cfg.LR, Momentum: cfg.Momentum}, Batch: cfg.Batch, Shuffle: true, Rng: rng}
	for e := 1; e <= cfg.Epochs; e++ {
		if cfg.Context != nil && cfg.Context.Err() != nil {
			break // Compare reports it
		}
		if epoch(cfg.ctx(), tr, ds) {
			r.diverged = true // summarise leaves its figures out
			break
		}
		r.loss, r.acc = measure(net, ds)
		r.history = append(r.history, r.loss)
		if !r.reached && r.acc >= cfg.Target {
			r.reached, r.epochs = true, float64(e)
		}
	}
	r.seconds = clock.Since(start).Seconds()
	if valSet.Len() > 0 {
		_, r.val = measure(net, valSet)
	}
	r.dead, r.saturated = deadAndSaturated(net, ds)
	if !cfg.Nets {
		r.net = nil // no plot needs it: let it go with the run
	}
	return r
}

// deadAndSaturated measures the hidden layers on ds: the share of units
// that output 0 on every point, and the share of unit-examples that are
// saturated, as probe counts them (f′ below 1% of its largest where the
// curve flattens towards an asymptote; relu's off side is not saturation
// but counts in the dead column, as CS231n has it: relu does not
// saturate).
func deadAndSaturated(net *nn.Sequential, ds *data.Dataset) (dead, saturated float64) {
	var units float64
	for _, u := range probe.Units(net, ds.X) {
		for j, off := range u.Dead {
			if off {
				dead++
			}
			saturated += u.Saturated[j] // each unit's share of the examples: their mean is the unit-examples' share
		}
		units += float64(len(u.Dead))
	}
	if units == 0 {
		return 0, 0
	}
	return dead / units, saturated / units
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
