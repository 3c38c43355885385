package main

import (
	"errors"
	"fmt"

	"github.com/wigglenn/wiggle/train"
)

// trainFlags maps the options of train.Config (as train.OptionError names
// them) to the flags of `wiggle train` that set them.
var trainFlags = map[string]string{
	"Epochs":                "--epochs",
	"Batch":                 "--batch",
	"L2":                    "--l2",
	"ClipNorm":              "--clip-norm",
	"Patience":              "--patience",
	"Optimizer.Name":        "--optimizer",
	"Optimizer.LR":          "--lr",
	"Optimizer.Momentum":    "--momentum",
	"Optimizer.WeightDecay": "--weight-decay",
	"Schedule.Name":         "--schedule",
	"Schedule.StepSize":     "--lr-step",
	"Schedule.Gamma":        "--lr-gamma",
	"Schedule.Epochs":       "--epochs",
}

// flagError speaks of the flag where the library speaks of an option, and
// names the flags that help a run that diverged.
func flagError(err error) error {
	var opt *train.OptionError
	if errors.As(err, &opt) {
		if flag, ok := trainFlags[opt.Option]; ok {
			return usageError{fmt.Errorf("%s %v: want %s", flag, opt.Value, opt.Want)}
		}
	}
	var div *train.DivergedError
	if errors.As(err, &div) {
		if flag, ok := trainFlags[div.Cause]; ok {
			return fmt.Errorf("%w (%s, --lr); nothing was saved", err, flag)
		}
		return fmt.Errorf("%w (--lr, --clip-norm, --act, --weight-init); nothing was saved", err)
	}
	return err
}
