package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/wigglenn/wiggle/train"
)

// trainFlags maps the options of train.Config (as train.OptionError names
// them) to the flags of `wiggle train` that set them.
var trainFlags = map[string]string{
	"Epochs":                "--epochs",
	"Batch":                 "--batch",
	"L2":                    "--l2",
	"L1":                    "--l1",
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
		return fmt.Errorf("%w (%s); the model was not saved", err, strings.Join(divergedFlags(div), ", "))
	}
	return err
}

// divergedFlags are the flags that help a run that diverged: the one at
// fault and --lr, where Fit can tell (its product with the learning rate
// grew the steps), else those that tame a run's steps.
func divergedFlags(div *train.DivergedError) []string {
	if flag, ok := trainFlags[div.Cause]; ok {
		return []string{flag, "--lr"}
	}
	return []string{"--lr", "--clip-norm", "--act", "--weight-init"}
}
