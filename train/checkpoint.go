package train

import (
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/internal/float32le"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/probe"
)

// Checkpoint is where a Fit run stands, beyond the network's weights: enough
// for Config.Resume to take the very steps the run would have taken.
// SaveCheckpoint writes it, with the model, to a checkpoint file.
type Checkpoint struct {
	Epoch int // epochs done
	// Row is how many rows of the next epoch are done (after an
	// interruption), and Total and Right the epoch's sums so far.
	Row   int
	Total float64
	Right int
	// Shuffle is the state of the shuffling source at the start of the
	// next (or interrupted) epoch, before its shuffle.
	Shuffle []byte
	// Dropout is each dropout layer's source state, now.
	Dropout [][]byte
	// Optimizer is the optimizer's state.
	Optimizer optim.Slots
	// FirstLoss is the divergence guard's yardstick.
	FirstLoss float64
	// BestEpoch, BestLoss and Best are early stopping's best epoch so far
	// and its weights (in the network's parameter order); none without
	// Patience.
	BestEpoch int
	BestLoss  float64
	Best      [][]float32
	// Health is Config.Probe's series of the epochs done, and Probe its
	// sums of the epoch in progress (none without a Probe). Fit hands them
	// to a resumed run's Probe (Recorder.Continue), which then reports as
	// a run straight through; a resumed run without a Probe drops them.
	Health []probe.EpochHealth
	Probe  probe.Partial
	// Settings are the run's options that a resumed run must share; Fit
	// refuses a Resume whose Config differs (a checkpoint without them,
	// written before wiggle recorded them, is not compared).
	Settings *Settings
	// Data is the training set's data.Fingerprint, ValData the
	// validation set's where Patience makes it decide the weights, Loss
	// the loss's name, Network the network's architecture
	// (nn.Spec.String) and Weights a CRC-32C of its parameters when the
	// checkpoint was taken: Fit refuses a Resume on other rows, with
	// another loss, or on a network that is not the checkpoint's (its
	// weights not loaded into it). Empty in checkpoints from before they
	// were recorded, and not compared there.
	Data, ValData, Loss, Network, Weights string
}

// run is the state of Fit that a checkpoint saves.
type run struct {
	cfg              Config
	settings         Settings // of the Config Fit was given, before its defaults
	loss             string   // its name
	trainSet, valSet *data.Dataset
	dataPrints       *[2]string // data.Fingerprint of trainSet and, with Patience, valSet: taken at the first checkpoint
	net              *nn.Sequential
	tr               *Trainer
	opt              optim.Optimizer
	src              *rand.PCG
	best             bestWeights
}

// checkpoint takes a Checkpoint: done epochs, the next epoch's progress
// p, and the shuffle source's state at that epoch's start.
func (r *run) checkpoint(done int, p progress, shuffle []byte) *Checkpoint {
	settings := r.settings
	prints := r.prints()
	c := &Checkpoint{Epoch: done, Row: p.row, Total: p.total, Right: p.right, Shuffle: shuffle,
		FirstLoss: r.tr.firstLoss, BestEpoch: r.best.epoch, BestLoss: r.best.loss, Best: cloneAll(r.best.values), Settings: &settings,
		Data: prints[0], ValData: prints[1], Loss: r.loss, Network: r.net.Spec().String(), Weights: weightsPrint(r.net)}
	for _, d := range dropouts(r.net) {
		state, _ := d.RandState() // Build's dropout layers always have one
		c.Dropout = append(c.Dropout, state)
	}
	if cp, ok := r.opt.(optim.Checkpointer); ok {
		c.Optimizer = cp.Slots(r.net.Params())
	}
	if r.cfg.Probe != nil {
		c.Health, c.Probe = slices.Clone(r.cfg.Probe.Series()), r.cfg.Probe.Partial()
	}
	return c
}

// restore sets the run's state from c and returns the interrupted epoch's
// progress, checked against the training set's rows.
func (r *run) restore(c *Checkpoint, rows int) (progress, error) {
	if err := c.Check(rows); err != nil {
		return progress{}, err
	}
	if c.Settings != nil {
		if err := r.settings.differsFrom(*c.Settings); err != nil {
			return progress{}, err
		}
	}
	if c.Epoch > r.cfg.Epochs { // as many: the run's last checkpoint, whose result was not kept (a crash before the model was saved)
		return progress{}, fmt.Errorf("the checkpoint is after %d epochs, past Epochs %d", c.Epoch, r.cfg.Epochs)
	}
	if err := r.sameRun(c); err != nil {
		return progress{}, err
	}
	if err := r.src.UnmarshalBinary(c.Shuffle); err != nil {
		return progress{}, fmt.Errorf("the shuffling state: %w", err)
	}
	ds := dropouts(r.net)
	if len(ds) != len(c.Dropout) {
		return progress{}, fmt.Errorf("the checkpoint has %d dropout states for %d dropout layers", len(c.Dropout), len(ds))
	}
	for i, d := range ds {
		if err := d.SetRandState(c.Dropout[i]); err != nil {
			return progress{}, err
		}
	}
	cp, ok := r.opt.(optim.Checkpointer)
	if !ok {
		return progress{}, errors.New("the optimizer's state cannot be restored")
	}
	if err := cp.Restore(c.Optimizer, r.net.Params()); err != nil {
		return progress{}, err
	}
	r.tr.firstLoss = c.FirstLoss
	if c.BestEpoch > 0 {
		if len(c.Best) != len(r.net.Params()) {
			return progress{}, fmt.Errorf("the checkpoint's best weights hold %d tensors for %d parameters", len(c.Best), len(r.net.Params()))
		}
		if err := bestFits(c, r.net.Params()); err != nil {
			return progress{}, err
		}
		r.best = bestWeights{epoch: c.BestEpoch, loss: c.BestLoss, values: cloneAll(c.Best)} // the run goes on overwriting them
	}
	if r.cfg.Probe != nil { // last: the caller's Recorder changes only for a resume that goes on
		done := slices.DeleteFunc(slices.Clone(c.Health), func(h probe.EpochHealth) bool { return h.Epoch > c.Epoch })
		if err := r.cfg.Probe.Continue(done, c.Probe); err != nil {
			return progress{}, err
		}
	}
	return progress{row: c.Row, total: c.Total, right: c.Right}, nil
}

// Check reports what in c a training set of the given rows cannot go on
// from: an empty checkpoint (no shuffling state); a negative epoch; the
// interrupted epoch's rows done outside 0 to rows; more right answers
// than rows done, or fewer than none; a summed loss that is negative or
// not finite; a negative count of optimizer steps; a best epoch (early
// stopping's) that is none of the epochs done (its loss and weights are
// checked against the network: bestFits). Fit checks it (and
// the rest of c against the network and optimizer) before it resumes.
func (c *Checkpoint) Check(rows int) error {
	switch {
	case c == nil:
		return errors.New("no checkpoint (nil)")
	case len(c.Shuffle) == 0:
		return errors.New("an empty checkpoint: it holds no shuffling state; resume from one that Config.OnCheckpoint received")
	case c.Epoch < 0:
		return fmt.Errorf("the checkpoint is after %d epochs; want 0 or more", c.Epoch)
	case c.Row < 0 || c.Row > rows:
		return fmt.Errorf("the checkpoint is at row %d of an epoch; the training data has %d rows", c.Row, rows)
	case c.Right < 0 || c.Right > c.Row:
		return fmt.Errorf("the checkpoint counts %d right answers in %d rows", c.Right, c.Row)
	case !(c.Total >= 0) || math.IsInf(c.Total, 1):
		return fmt.Errorf("the checkpoint's summed loss %v: want a finite number, 0 or more", c.Total)
	case c.Optimizer.Step < 0:
		return fmt.Errorf("the checkpoint counts %d optimizer steps; want 0 or more", c.Optimizer.Step)
	case c.BestEpoch < 0 || c.BestEpoch > c.Epoch:
		return fmt.Errorf("the checkpoint's best epoch is %d, after %d epochs; want one of them, or 0 for none", c.BestEpoch, c.Epoch)
	}
	return nil
}

// ErrOtherWeights is what resuming a network whose weights are not those
// a checkpoint was taken with matches (errors.Is): another network's, or
// a file's changed after it was written.
var ErrOtherWeights = errors.New("the network does not hold the weights the checkpoint was taken with")

// sameRun reports where c is of another network or data than r's: the
// architecture, the weights it was taken with, the training rows (each
// where c records it).
func (r *run) sameRun(c *Checkpoint) error {
	if net := r.net.Spec().String(); c.Network != "" && c.Network != net {
		return fmt.Errorf("the network (%s) is not the checkpoint's (%s); resume the network LoadCheckpoint returns", net, c.Network)
	}
	if c.Weights != "" && c.Weights != weightsPrint(r.net) {
		return fmt.Errorf("%w; resume the network LoadCheckpoint returns, or load the checkpoint file's weights into this one (modelio.LoadStateDict)", ErrOtherWeights)
	}
	if c.Loss != "" && c.Loss != r.loss {
		return fmt.Errorf("the loss %s is not the checkpoint's run's (%s)", r.loss, c.Loss)
	}
	if c.Data != "" || c.ValData != "" {
		prints := r.prints()
		if c.Data != "" && c.Data != prints[0] {
			return fmt.Errorf("the training data (%s) is not the checkpoint's run's (%s)", prints[0], c.Data)
		}
		if c.ValData != "" && c.ValData != prints[1] {
			return fmt.Errorf("the validation data (%s), which early stopping (Patience) watches, is not the checkpoint's run's (%s)", prints[1], c.ValData)
		}
	}
	if r.cfg.Probe != nil {
		return r.cfg.Probe.CheckPartial(c.Probe) // before restore changes anything
	}
	return nil
}

// prints are the data's fingerprints a checkpoint records: the training
// set's and, where Patience makes it decide the weights, the validation
// set's. They are taken once, at the first checkpoint or resume.
func (r *run) prints() [2]string {
	if r.dataPrints == nil {
		r.dataPrints = &[2]string{data.Fingerprint(r.trainSet)}
		if r.cfg.Patience > 0 && r.valSet.Len() > 0 {
			r.dataPrints[1] = data.Fingerprint(r.valSet)
		}
	}
	return *r.dataPrints
}

// cloneAll copies each slice of v; nil stays nil.
func cloneAll(v [][]float32) [][]float32 {
	if v == nil {
		return nil
	}
	out := make([][]float32, len(v))
	for i, s := range v {
		out[i] = slices.Clone(s)
	}
	return out
}

// weightsPrint is a CRC-32C of net's parameters' bits, in order.
func weightsPrint(net *nn.Sequential) string {
	h := crc32.New(crc32.MakeTable(crc32.Castagnoli))
	w := float32le.NewWriter(h)
	for _, p := range net.Params() {
		w.Floats(p.Value)
	}
	w.Flush() // a hash takes every write
	return fmt.Sprintf("CRC-32C %08x", h.Sum32())
}

// dropouts lists the network's dropout layers in order.
func dropouts(net *nn.Sequential) []*nn.Dropout {
	var out []*nn.Dropout
	for _, l := range net.Layers {
		if d, ok := l.(*nn.Dropout); ok {
			out = append(out, d)
		}
	}
	return out
}

// ResumeError is Fit's error for a Config.Resume it cannot go on from:
// its state does not fit the network, the data or the optimizer, or holds
// what no training makes (see Checkpoint.Check, and Fit).
type ResumeError struct{ Err error }

func (e *ResumeError) Error() string { return "resume: " + e.Err.Error() }

func (e *ResumeError) Unwrap() error { return e.Err }

// CheckpointError is Fit's error when training stopped (its context was
// cancelled) and the checkpoint it then wrote failed. Unwrap gives why
// training stopped.
type CheckpointError struct {
	Epoch      int
	Err        error // why training stopped
	Checkpoint error // why the checkpoint failed
}

func (e *CheckpointError) Error() string {
	return fmt.Sprintf("training stopped in epoch %d, %v; and its checkpoint failed: %v", e.Epoch, e.Err, e.Checkpoint)
}

func (e *CheckpointError) Unwrap() error { return e.Err }

// bestFits refuses a checkpoint's best weights that early stopping could
// not restore: a tensor of another size than its parameter's (nil, from a
// file that lacks it), a value that is not finite, a best loss that is
// no loss (NaN, negative). Restored, they had made the network of a run
// that "stopped early" NaN, or left it as it was, silently.
func bestFits(c *Checkpoint, params []*nn.Param) error {
	if !(c.BestLoss >= 0) || math.IsInf(c.BestLoss, 0) {
		return fmt.Errorf("the checkpoint's best loss is %g; want a finite loss of 0 or more", c.BestLoss)
	}
	for i, p := range params {
		if len(c.Best[i]) != len(p.Value) {
			return fmt.Errorf("the checkpoint's best weights of %s hold %d values; the parameter has %d", p.Name, len(c.Best[i]), len(p.Value))
		}
		for j, v := range c.Best[i] {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return fmt.Errorf("the checkpoint's best weights of %s hold %v at %d; want finite weights", p.Name, v, j)
			}
		}
	}
	return nil
}
