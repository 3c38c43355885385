package train

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/internal/kernels"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/tensor"
)

// OptionError is a Trainer field or Config option that cannot work. Option
// names it as a Go program spells it ("Batch", "Optimizer.LR"), so a
// program that takes its options from elsewhere (a command line, a form)
// can say where the value came from.
type OptionError struct {
	Option string // e.g. "Batch", "Optimizer.Momentum", "Schedule.Gamma"
	Value  any    // the value given
	Want   string // what would work, e.g. "at least 1"
}

func (e *OptionError) Error() string {
	return fmt.Sprintf("%s %v: want %s", e.Option, e.Value, e.Want)
}

func optionError(option string, value any, want string) error {
	return &OptionError{Option: option, Value: value, Want: want}
}

// MaxEpochs bounds Config.Epochs: Result keeps each epoch's figures (a
// few hundred bytes), and a typo's trillion epochs would fill the memory
// before it ended.
const MaxEpochs = 1_000_000

// CheckConfig finds the first option of cfg that cannot work, as Fit would,
// before any data is read: an *OptionError naming it. A cosine schedule
// without its own Epochs takes cfg.Epochs, as in Fit.
func CheckConfig(cfg Config) error {
	cfg.Schedule = cfg.Schedule.Over(cfg.Epochs)
	switch {
	case cfg.Epochs < 1 || cfg.Epochs > MaxEpochs:
		return optionError("Epochs", cfg.Epochs, fmt.Sprintf("1 to %d", MaxEpochs))
	case cfg.Batch < 1:
		return optionError("Batch", cfg.Batch, "at least 1")
	case !penaltyOK(cfg.L2):
		return optionError("L2", cfg.L2, penaltyRange)
	case !penaltyOK(cfg.L1):
		return optionError("L1", cfg.L1, penaltyRange)
	case !finiteAtLeast0(cfg.ClipNorm):
		return optionError("ClipNorm", cfg.ClipNorm, "a finite number, 0 or more (0: no clipping)")
	case cfg.Patience < 0:
		return optionError("Patience", cfg.Patience, "0 (never stop early) or more")
	case cfg.CheckpointEvery < 0:
		return optionError("CheckpointEvery", cfg.CheckpointEvery, "0 (no checkpoints) or more")
	}
	if err := checkOptimizer(cfg.Optimizer); err != nil {
		return err
	}
	return checkSchedule(cfg.Schedule)
}

func finiteAtLeast0(v float64) bool { return v >= 0 && !math.IsInf(v, 0) }

// penaltyOK reports whether an L1 or L2 strength v is one the steps can
// use: 0 or more, and within float32, whose updates carry it.
func penaltyOK(v float64) bool { return v >= 0 && v <= math.MaxFloat32 }

const penaltyRange = "0 or more, at most float32's largest (about 3.4e38): the updates are in float32"

// checkOptimizer checks what optim.New would refuse, naming the option.
func checkOptimizer(c optim.Config) error {
	var bad *optim.ConfigError
	if err := c.Check(); errors.As(err, &bad) {
		return optionError("Optimizer."+bad.Field, bad.Value, bad.Want)
	} else if err != nil {
		return err
	}
	return nil
}

// checkSchedule names the option of a schedule that cannot work.
func checkSchedule(s optim.Schedule) error {
	if s.Check() == nil {
		return nil
	}
	switch s.Name {
	case "step":
		if s.StepSize < 1 {
			return optionError("Schedule.StepSize", s.StepSize, "at least 1")
		}
		return optionError("Schedule.Gamma", s.Gamma, "a positive finite number")
	case "exponential":
		return optionError("Schedule.Gamma", s.Gamma, "a positive finite number")
	case "cosine":
		return optionError("Schedule.Epochs", s.Epochs, "at least 1")
	}
	return optionError("Schedule.Name", fmt.Sprintf("%q", s.Name), "one of "+strings.Join(optim.ScheduleNames, ", "))
}

// checkData finds what stops net from training on (or being measured on)
// ds with loss l (a network whose layers chain: see nn.Sequential.Check):
// a width that is not the network's, targets of the wrong
// kind, a label that is not one of the network's classes, a value that is
// not finite. what names the set in the error ("training data").
func checkData(what string, net *nn.Sequential, l loss.Loss, ds *data.Dataset) error {
	switch {
	case ds == nil:
		return fmt.Errorf("%s: none given", what)
	case ds.X == nil:
		return fmt.Errorf("%s: no features (its X is nil)", what)
	}
	if err := ds.Check(); err != nil && !errors.Is(err, data.ErrLabelOutsideClasses) {
		return fmt.Errorf("%s: %w", what, err) // its labels are checked against the network's classes below
	}
	if ds.X.Cols != net.In {
		return fmt.Errorf("%s: rows of %d features; the network takes %d", what, ds.X.Cols, net.In)
	}
	if err := checkFinite(what, "feature", ds.X); err != nil {
		return err
	}
	outputs := net.OutSize()
	if err := loss.CheckOutputs(l, outputs); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	regression := l.Name() == "mse"
	switch {
	case regression && ds.Values == nil:
		return fmt.Errorf("%s: the loss %s needs target values (Values), the data has class labels", what, l.Name())
	case regression:
		if ds.Values.Cols != outputs {
			return fmt.Errorf("%s: target values of %d columns for a network of %d outputs", what, ds.Values.Cols, outputs)
		}
		return checkFinite(what, "target", ds.Values)
	case ds.Values != nil:
		return fmt.Errorf("%s: the loss %s needs class labels, the data has target values (use mse)", what, l.Name())
	case len(ds.Labels) != ds.Len():
		return fmt.Errorf("%s: %d labels for %d rows", what, len(ds.Labels), ds.Len())
	}
	classes := loss.Classes(l, outputs)
	for i, y := range ds.Labels {
		if y < 0 || y >= classes {
			return fmt.Errorf("%s: row %d has label %d; the network's %d outputs with the loss %s take labels 0 to %d", what, i, y, outputs, l.Name(), classes-1)
		}
	}
	return nil
}

// checkFinite says where x first holds ±Inf or NaN, if it does, naming
// its columns as column ("feature", "target"). It reads
// x once in vector code (kernels.AllFinite), and looks for the place only
// when there is one: on MNIST's 47M pixels the element-by-element check
// took a quarter of a one-epoch training's time.
func checkFinite(what, column string, x *tensor.Matrix) error {
	if kernels.AllFinite(x.Data) {
		return nil
	}
	for i, v := range x.Data {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("%s: row %d, %s %d is %v; want finite numbers", what, i/x.Cols, column, i%x.Cols, v)
		}
	}
	return nil
}
