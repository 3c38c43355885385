package train

import (
	"fmt"
	"reflect"

	"github.com/wigglenn/wiggle/optim"
)

// Settings are the options of a Config that decide a run's steps, beside
// its network and data: a run resumed from a Checkpoint must have the
// same. The optimizer and the schedule are compared as they run
// (optim.Config.Effective, optim.Schedule.Effective: a default left 0 and
// written out are one setting, a field they do not use none). Epochs may
// differ (a
// resumed run may ask for more), and so may a cosine schedule's length
// where either run left it to Epochs (0); the callbacks and
// StepInBackward change no bit of the result.
type Settings struct {
	Batch     int            `json:"batch"`
	Shuffle   bool           `json:"shuffle"`
	Seed      uint64         `json:"seed"`
	L2        float64        `json:"l2"`
	ClipNorm  float64        `json:"clip_norm"`
	Optimizer optim.Config   `json:"optimizer"` // Effective
	Schedule  optim.Schedule `json:"schedule"`  // Effective, as given: cosine's Epochs 0 is the run's length
	Patience  int            `json:"patience"`
}

// settings are cfg's Settings, cfg as the caller gave it to Fit.
func (cfg Config) settings() Settings {
	return Settings{Batch: cfg.Batch, Shuffle: cfg.Shuffle, Seed: cfg.Seed, L2: cfg.L2, ClipNorm: cfg.ClipNorm,
		Optimizer: cfg.Optimizer.Effective(), Schedule: cfg.Schedule.Effective(), Patience: cfg.Patience}
}

// differsFrom is an *OptionError naming the first option (by Config's
// field names: "Batch", "Optimizer.LR") where s, a resumed run's,
// differs from run, the checkpoint's run's; nil where they agree.
func (s Settings) differsFrom(run Settings) error {
	if s.Schedule.Epochs == 0 || run.Schedule.Epochs == 0 { // one run's length follows its Epochs
		s.Schedule.Epochs, run.Schedule.Epochs = 0, 0
	}
	return firstDifference("", reflect.ValueOf(s), reflect.ValueOf(run))
}

// firstDifference walks two structs of one type field by field, into
// nested structs, and names the first field that differs.
func firstDifference(prefix string, now, was reflect.Value) error {
	for i := range now.NumField() {
		name := prefix + now.Type().Field(i).Name
		a, b := now.Field(i), was.Field(i)
		if a.Kind() == reflect.Struct {
			if err := firstDifference(name+".", a, b); err != nil {
				return err
			}
			continue
		}
		if !a.Equal(b) {
			return &OptionError{Option: name, Value: a.Interface(), Want: fmt.Sprintf("%v, as in the run the checkpoint (Resume) is of", b.Interface())}
		}
	}
	return nil
}
