package train

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/engine"
	"github.com/wigglenn/wiggle/internal/clock"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/probe"
)

// Config describes a training run.
type Config struct {
	Epochs    int
	Batch     int
	Shuffle   bool    // reshuffle the rows every epoch; file order otherwise
	Seed      uint64  // the shuffling's seed
	L2        float64 // L2 strength on weight matrices (Trainer.L2)
	L1        float64 // L1 strength on weight matrices (Trainer.L1)
	ClipNorm  float64 // Trainer.ClipNorm
	Optimizer optim.Config
	Schedule  optim.Schedule
	// StepInBackward is Trainer.StepInBackward: faster, and a Dense
	// layer's W.Grad need not hold its gradient after a step.
	StepInBackward bool
	// Patience stops training when the validation loss has not improved for
	// this many epochs, and restores the weights of the best epoch. 0 never
	// stops early; it needs validation data.
	Patience int
	// OnEpoch, if set, is called after every epoch.
	OnEpoch func(EpochStats)
	// OnBatch, if set, is called after every step with the rows done so far
	// in the epoch, for progress bars.
	OnBatch func(done, total int)
	// Probe, if set, watches the layers: one Recorder for one training
	// (Fit refuses one that has watched another, but where Resume takes
	// that run up). OnHealth, if set, hears each epoch's health, after
	// the epoch's validation and before OnEpoch, on Fit's goroutine.
	Probe    *probe.Recorder
	OnHealth func(probe.EpochHealth)

	// CheckpointEvery, with OnCheckpoint, takes a Checkpoint after every
	// so many epochs; 0 for none. Without OnCheckpoint, Fit refuses it.
	CheckpointEvery int
	// OnCheckpoint receives a Checkpoint every CheckpointEvery epochs, and
	// when ctx stops the run (after its last step). Its error stops Fit.
	OnCheckpoint func(*Checkpoint) error
	// Resume, if set, goes on from a Checkpoint of the same run (the
	// network already holding the checkpoint's weights): the same steps,
	// the same bits, as if the run had never stopped. A checkpoint after
	// Epochs epochs (the run's last, taken before a crash kept its result
	// from being saved) trains nothing; one after more is refused.
	Resume *Checkpoint
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
	History      []EpochStats // the epochs of this call (after the resumed ones)
	Epochs       int          // epochs done in all, the resumed ones included
	BestEpoch    int          // the epoch whose weights the network holds at the end
	StoppedEarly bool         // Patience ran out
	// TrainSeconds is the time this call spent in training steps (a
	// resumed run's earlier calls not counted); SamplesPerSecond the
	// training rows it stepped through per second of it (of a run resumed
	// in the middle of an epoch, that epoch's rows from the checkpoint's
	// on).
	TrainSeconds     float64
	SamplesPerSecond float64
}

// training holds the networks Fit is training, so that a second Fit on
// one of them is refused (ErrTrainingAlready) rather than mixing its
// steps into the first's.
var training sync.Map // *nn.Sequential → true

// ErrTrainingAlready is Fit's error for a network another Fit is training.
var ErrTrainingAlready = errors.New("the network is training in another Fit already; a network trains in one Fit at a time (give each Fit a network of its own)")

// Fit trains net on trainSet for cfg.Epochs epochs, evaluating on valSet
// after each. A nil or empty valSet (SplitTail(0)'s second part) is no
// validation: EpochStats.HasVal is false, and Patience is refused.
//
// It checks everything first and trains on nothing it would refuse: every
// option of cfg (an *OptionError names the one that cannot work), both
// data sets against the network (widths, labels within the network's
// classes, finite values), and a cfg.Resume (a *ResumeError says what in
// it cannot be gone on from; ErrOtherWeights matches one taken with other
// weights). It stops, returning the epochs done so far and
// an error:
//
//   - when ctx is done, between two steps, with ctx's error wrapped (the
//     network holds the weights of the last step made; OnCheckpoint, if
//     set, gets a Checkpoint of that moment first);
//   - when training diverges (see DivergedError: a loss that is not finite
//     or explodes, or weights that are not finite), with a *DivergedError.
//
// The data sets must not change while Fit runs (from OnBatch, say: by
// then the next batch has been copied). Fit changes nothing outside net
// (it calls no runtime.GC, sets no GC percentage), and holds the engine's
// helper thread awake while it trains and validates, not while OnHealth,
// OnEpoch and OnCheckpoint run (see package engine). It is safe to run
// several Fits at once on different networks; a Fit on a network another
// Fit is training returns ErrTrainingAlready.
func Fit(ctx context.Context, net *nn.Sequential, l loss.Loss, trainSet, valSet *data.Dataset, cfg Config) (Result, error) {
	release, err := claim(net)
	if err != nil {
		return Result{}, err
	}
	defer release()
	return fitClaimed(ctx, net, l, trainSet, valSet, cfg)
}

// claim marks net as training until release is called, or returns
// ErrTrainingAlready where another Fit holds it. A nil net claims nothing
// (the checks refuse it).
func claim(net *nn.Sequential) (release func(), err error) {
	if net == nil {
		return func() {}, nil
	}
	if _, busy := training.LoadOrStore(net, true); busy {
		return nil, ErrTrainingAlready
	}
	return func() { training.Delete(net) }, nil
}

// fitClaimed is Fit once net is claimed.
func fitClaimed(ctx context.Context, net *nn.Sequential, l loss.Loss, trainSet, valSet *data.Dataset, cfg Config) (Result, error) {
	settings := cfg.settings() // as given, for checkpoints and resumes
	cfg.Schedule = cfg.Schedule.Over(cfg.Epochs)
	if err := check(ctx, net, l, trainSet, valSet, cfg); err != nil {
		return Result{}, err
	}
	opt, err := optim.New(cfg.Optimizer)
	if err != nil {
		return Result{}, err
	}
	src := rand.NewPCG(cfg.Seed, 0x5eed)
	tr := &Trainer{Net: net, Loss: l, Opt: opt, L2: cfg.L2, L1: cfg.L1, ClipNorm: cfg.ClipNorm, Batch: cfg.Batch,
		Shuffle: cfg.Shuffle, Rng: rand.New(src), Probe: cfg.Probe, StepInBackward: cfg.StepInBackward}
	r := &run{cfg: cfg, settings: settings, loss: l.Name(), trainSet: trainSet, valSet: valSet, net: net, tr: tr, opt: opt, src: src}
	var p progress
	first := 1
	if cfg.Resume != nil {
		if p, err = r.restore(cfg.Resume, trainSet.Len()); err != nil {
			return Result{}, &ResumeError{err}
		}
		first = cfg.Resume.Epoch + 1
	}
	steppedBefore := p.row     // of the first epoch, before the checkpoint: not stepped in this call
	hasVal := valSet.Len() > 0 // Len is 0 for a nil set
	var res Result
	res.Epochs = first - 1
	for epoch := first; epoch <= cfg.Epochs; epoch++ {
		st := EpochStats{Epoch: epoch, LR: cfg.Schedule.LR(cfg.Optimizer.LR, epoch-1), HasVal: hasVal}
		opt.SetLR(st.LR)
		epochStart, _ := src.MarshalBinary() // the shuffle's source before this epoch's shuffle
		health, trained, err := r.epoch(ctx, trainSet, valSet, &st, &p)
		res.TrainSeconds += trained
		var div *DivergedError
		switch {
		case errors.As(err, &div):
			div.Epoch, div.LR = epoch, st.LR
			div.Cause, div.CauseValue, div.CauseBelow = unstableSetting(cfg, st.LR)
			div.ClipNorm = cfg.ClipNorm
			return res, div
		case err != nil:
			if cfg.OnCheckpoint != nil && ctx.Err() != nil {
				if cerr := cfg.OnCheckpoint(r.checkpoint(epoch-1, p, epochStart)); cerr != nil {
					return res, &CheckpointError{Epoch: epoch, Err: err, Checkpoint: cerr}
				}
			}
			return res, fmt.Errorf("training stopped in epoch %d, %w", epoch, err)
		}
		if cfg.Probe != nil && cfg.OnHealth != nil {
			cfg.OnHealth(health)
		}
		res.History = append(res.History, st)
		res.Epochs = epoch
		if cfg.OnEpoch != nil {
			cfg.OnEpoch(st)
		}
		if cfg.Patience > 0 && hasVal {
			if r.best.epoch == 0 || st.ValLoss < r.best.loss {
				r.best.keep(net, epoch, st.ValLoss)
			} else if epoch-r.best.epoch >= cfg.Patience {
				res.StoppedEarly = true
				break
			}
		}
		if cfg.CheckpointEvery > 0 && cfg.OnCheckpoint != nil && epoch%cfg.CheckpointEvery == 0 {
			now, _ := src.MarshalBinary()
			if err := cfg.OnCheckpoint(r.checkpoint(epoch, progress{}, now)); err != nil {
				return res, fmt.Errorf("checkpoint after epoch %d: %w", epoch, err)
			}
		}
	}
	res.BestEpoch = res.Epochs
	if res.StoppedEarly {
		r.best.restore(net)
		res.BestEpoch = r.best.epoch
	}
	if res.TrainSeconds > 0 {
		res.SamplesPerSecond = float64(len(res.History)*trainSet.Len()-steppedBefore) / res.TrainSeconds
	}
	return res, nil
}

// epoch trains an epoch from p, adding to it, and then, if it trained to
// the end, fills in st (validating on valSet where st.HasVal) and empties
// p for the next. It returns the probe's health of the epoch and the
// seconds its steps took. It holds the engine's helper while it trains
// and validates. OnHealth, OnEpoch and OnCheckpoint then run without it,
// so that the helper's trials (see package engine) leave their time out,
// a checkpoint's write say.
func (r *run) epoch(ctx context.Context, trainSet, valSet *data.Dataset, st *EpochStats, p *progress) (health probe.EpochHealth, trained float64, err error) {
	defer engine.KeepHelperAwake()()
	start := clock.Now()
	err = r.tr.runEpochWithProgress(ctx, trainSet, p, r.cfg.OnBatch)
	trained = clock.Since(start).Seconds()
	if err != nil {
		return health, trained, err
	}
	st.TrainLoss, st.TrainAccuracy = p.total/float64(trainSet.Len()), float64(p.right)/float64(trainSet.Len())
	*p = progress{}
	if r.cfg.Probe != nil {
		health = r.cfg.Probe.EndEpoch(st.Epoch) // timed with the epoch: probes are part of its cost
	}
	st.Seconds = clock.Since(start).Seconds()
	if st.HasVal {
		st.ValLoss, st.ValAccuracy = evaluate(r.net, r.tr.Loss, valSet)
	}
	return health, trained, nil
}

// unfrozen is what Fit and a Trainer want where they are given a frozen
// network, whose Backward would not give its gradients.
const unfrozen = "a network that is not frozen: Freeze readies one for inference alone (train the network before freezing it, or a copy read again from its file)"

// errNoContext is Fit's and Epoch's error for a nil context.
var errNoContext = errors.New("no context: pass context.Background() for a run that is never cancelled")

// check finds what stops Fit before it starts.
func check(ctx context.Context, net *nn.Sequential, l loss.Loss, trainSet, valSet *data.Dataset, cfg Config) error {
	switch {
	case ctx == nil:
		return errNoContext
	case net == nil:
		return errors.New("no network")
	case l == nil:
		return errors.New("no loss")
	case net.Frozen():
		return errors.New("the network is frozen; want " + unfrozen)
	}
	if err := net.Check(); err != nil {
		return err
	}
	if err := CheckConfig(cfg); err != nil {
		return err
	}
	if cfg.CheckpointEvery > 0 && cfg.OnCheckpoint == nil {
		return optionError("CheckpointEvery", cfg.CheckpointEvery, "an OnCheckpoint to receive the checkpoints (or 0)")
	}
	if err := checkData("training data", net, l, trainSet); err != nil {
		return err
	}
	if trainSet.Len() == 0 {
		return errors.New("training data: no rows")
	}
	hasVal := valSet.Len() > 0 // Len is 0 for a nil set, or one without X
	if hasVal {
		if err := checkData("validation data", net, l, valSet); err != nil {
			return err
		}
	}
	if cfg.Patience > 0 && !hasVal {
		return optionError("Patience", cfg.Patience, "validation rows to watch (or 0)")
	}
	if cfg.Probe != nil {
		if err := cfg.Probe.Check(net); err != nil {
			return fmt.Errorf("the probe (Config.Probe): %w", err)
		}
		if cfg.Resume == nil && cfg.Probe.Started() { // its epochs and sums would run into this training's
			return errors.New("the probe (Config.Probe) has watched a training already: make a new Recorder (probe.NewRecorder) for each Fit; a run resumed from a Checkpoint (Config.Resume) takes up the run's own")
		}
	}
	return nil
}

// runEpochWithProgress is runEpoch, reporting rows done after each step.
func (t *Trainer) runEpochWithProgress(ctx context.Context, ds *data.Dataset, p *progress, onBatch func(done, total int)) error {
	if onBatch == nil {
		return t.runEpoch(ctx, ds, p)
	}
	n := ds.Len()
	done := p.row
	t.reportRows = func(rows int) {
		done += rows
		onBatch(done, n)
	}
	defer func() { t.reportRows = nil }()
	return t.runEpoch(ctx, ds, p)
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
