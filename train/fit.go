package train

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"time"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/probe"
)

// Config describes a training run.
type Config struct {
	Epochs    int
	Batch     int
	Shuffle   bool   // reshuffle the rows every epoch; file order otherwise
	Seed      uint64 // the shuffling's seed
	L2        float64
	ClipNorm  float64
	Optimizer optim.Config
	Schedule  optim.Schedule
	// Patience stops training when the validation loss has not improved for
	// this many epochs, and restores the weights of the best epoch. 0 never
	// stops early; it needs validation data.
	Patience int
	// OnEpoch, if set, is called after every epoch.
	OnEpoch func(EpochStats)
	// OnBatch, if set, is called after every step with the rows done so far
	// in the epoch, for progress bars.
	OnBatch func(done, total int)
	// Probe, if set, watches the layers; OnHealth, if set, hears each
	// epoch's health.
	Probe    *probe.Recorder
	OnHealth func(probe.EpochHealth)
}

// EpochStats is what one epoch measured.
type EpochStats struct {
	Epoch         int // from 1
	LR            float64
	TrainLoss     float64 // mean batch loss during the epoch
	TrainAccuracy float64 // during the epoch, before each batch's update
	HasVal        bool
	ValLoss       float64 // after the epoch
	ValAccuracy   float64
	Seconds       float64 // the epoch's training steps
}

// Result sums up a run.
type Result struct {
	History      []EpochStats
	BestEpoch    int  // the epoch whose weights the network holds at the end
	StoppedEarly bool // Patience ran out
	// TrainSeconds is the time spent in training steps; SamplesPerSecond
	// the training rows stepped through per second of it.
	TrainSeconds     float64
	SamplesPerSecond float64
}

// Fit trains net on trainSet for cfg.Epochs epochs, evaluating on valSet
// (which may be nil) after each. It returns an error, and stops, when the
// loss stops being a finite number.
func Fit(net *nn.Sequential, l loss.Loss, trainSet, valSet *data.Dataset, cfg Config) (Result, error) {
	if err := check(cfg, trainSet, valSet); err != nil {
		return Result{}, err
	}
	opt, err := optim.New(cfg.Optimizer)
	if err != nil {
		return Result{}, err
	}
	tr := &Trainer{Net: net, Loss: l, Opt: opt, L2: cfg.L2, ClipNorm: cfg.ClipNorm, Batch: cfg.Batch,
		Shuffle: cfg.Shuffle, Rng: rand.New(rand.NewPCG(cfg.Seed, 0x5eed)), Probe: cfg.Probe}
	hasVal := valSet != nil && valSet.Len() > 0
	// Training allocates nothing; collecting what loading the data left
	// behind now keeps the collector from running during the epochs.
	runtime.GC()
	var res Result
	var best bestWeights
	for epoch := 1; epoch <= cfg.Epochs; epoch++ {
		st := EpochStats{Epoch: epoch, LR: cfg.Schedule.LR(cfg.Optimizer.LR, epoch-1), HasVal: hasVal}
		opt.SetLR(st.LR)
		start := time.Now()
		st.TrainLoss, st.TrainAccuracy = tr.epochWithProgress(trainSet, cfg.OnBatch)
		var health probe.EpochHealth
		if cfg.Probe != nil {
			health = cfg.Probe.EndEpoch(epoch) // timed with the epoch: probes are part of its cost
		}
		st.Seconds = time.Since(start).Seconds()
		res.TrainSeconds += st.Seconds
		if math.IsNaN(st.TrainLoss) || math.IsInf(st.TrainLoss, 0) {
			return res, fmt.Errorf("training diverged in epoch %d: the loss is %v; lower the learning rate (now %g) or clip gradients (--clip-norm)", epoch, st.TrainLoss, st.LR)
		}
		if cfg.Probe != nil && cfg.OnHealth != nil {
			cfg.OnHealth(health)
		}
		if hasVal {
			st.ValLoss, st.ValAccuracy = Evaluate(net, l, valSet)
		}
		res.History = append(res.History, st)
		if cfg.OnEpoch != nil {
			cfg.OnEpoch(st)
		}
		if cfg.Patience > 0 && hasVal {
			if best.epoch == 0 || st.ValLoss < best.loss {
				best.keep(net, epoch, st.ValLoss)
			} else if epoch-best.epoch >= cfg.Patience {
				res.StoppedEarly = true
				break
			}
		}
	}
	res.BestEpoch = len(res.History)
	if res.StoppedEarly {
		best.restore(net)
		res.BestEpoch = best.epoch
	}
	if res.TrainSeconds > 0 {
		res.SamplesPerSecond = float64(len(res.History)*trainSet.Len()) / res.TrainSeconds
	}
	return res, nil
}

func check(cfg Config, trainSet, valSet *data.Dataset) error {
	switch {
	case cfg.Epochs < 1:
		return fmt.Errorf("epochs %d: want at least 1", cfg.Epochs)
	case cfg.Batch < 1:
		return fmt.Errorf("batch %d: want at least 1", cfg.Batch)
	case trainSet.Len() == 0:
		return fmt.Errorf("no training rows")
	case cfg.L2 < 0 || cfg.ClipNorm < 0:
		return fmt.Errorf("l2 %g and clip norm %g: want 0 or more", cfg.L2, cfg.ClipNorm)
	case cfg.Patience > 0 && (valSet == nil || valSet.Len() == 0):
		return fmt.Errorf("early stopping (patience %d) needs validation rows", cfg.Patience)
	}
	return cfg.Schedule.Check()
}

// epochWithProgress is Epoch, reporting rows done after each step.
func (t *Trainer) epochWithProgress(ds *data.Dataset, onBatch func(done, total int)) (float64, float64) {
	if onBatch == nil {
		return t.Epoch(ds)
	}
	n := ds.Len()
	done := 0
	t.afterStep = func(rows int) {
		done += rows
		onBatch(done, n)
	}
	defer func() { t.afterStep = nil }()
	return t.Epoch(ds)
}

// bestWeights holds a copy of the parameters of the best epoch so far.
type bestWeights struct {
	epoch  int
	loss   float64
	values [][]float32
}

func (b *bestWeights) keep(net *nn.Sequential, epoch int, l float64) {
	b.epoch, b.loss = epoch, l
	params := net.Params()
	if b.values == nil {
		b.values = make([][]float32, len(params))
	}
	for i, p := range params {
		b.values[i] = append(b.values[i][:0], p.Value...)
	}
}

func (b *bestWeights) restore(net *nn.Sequential) {
	for i, p := range net.Params() {
		copy(p.Value, b.values[i])
	}
}
