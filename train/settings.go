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
// differ, as a resumed run may ask for more, and with them the length of a
// cosine schedule that both runs leave to Epochs (Schedule.Epochs 0); a
// length either run sets must be the other's. The callbacks and
// StepInBackward change no bit of the result.
type Settings struct {
	Batch     int            `json:"batch"`
	Shuffle   bool           `json:"shuffle"`
	Seed      uint64         `json:"seed"`
	L2        float64        `json:"l2"`
	L1        float64        `json:"l1,omitempty"` // absent before L1 came: 0
	ClipNorm  float64        `json:"clip_norm"`
	Optimizer optim.Config   `json:"optimizer"` // Effective
	Schedule  optim.Schedule `json:"schedule"`  // Effective, as given: cosine's Epochs 0 follows the run's
	Patience  int            `json:"patience"`
	Epochs    int            `json:"epochs"` // the run's, for its cosine length; not compared
}

// settings are cfg's Settings, cfg as the caller gave it to Fit.
func (cfg Config) settings() Settings {
	return Settings{Batch: cfg.Batch, Shuffle: cfg.Shuffle, Seed: cfg.Seed, L2: cfg.L2, L1: cfg.L1, ClipNorm: cfg.ClipNorm,
		Optimizer: cfg.Optimizer.Effective(), Schedule: cfg.Schedule.Effective(), Patience: cfg.Patience, Epochs: cfg.Epochs}
}

// cosineLength is the length s's cosine schedule runs over; 0 where it
// follows Epochs that s does not record (a checkpoint from before).
func (s Settings) cosineLength() int {
	if s.Schedule.Epochs > 0 {
		return s.Schedule.Epochs
	}
	return s.Epochs
}

// differsFrom is an *OptionError naming the first option (by Config's
// field names: "Batch", "Optimizer.LR") where s, a resumed run's,
// differs from run, the checkpoint's run's; nil where they agree. run
// may be of an earlier wiggle, which stored the optimizer and schedule as
// given: both sides are compared as they run. (One build, 7cbed1f, stored
// an adamw decay below 0 as 0, which reads as the default 0.01: its
// checkpoints of such runs are refused.)
func (s Settings) differsFrom(run Settings) error {
	run.Optimizer, run.Schedule = run.Optimizer.Effective(), run.Schedule.Effective()
	cosines := s.Schedule.Name == "cosine" && run.Schedule.Name == "cosine"
	bothFollow := s.Schedule.Epochs == 0 && run.Schedule.Epochs == 0
	if was := run.cosineLength(); cosines && !bothFollow && was > 0 && s.cosineLength() != was {
		return &OptionError{Option: "Schedule.Epochs", Value: s.cosineLength(), Want: fmt.Sprintf("%d, the cosine's length in the run the checkpoint (Resume) is of", was)}
	}
	s.Schedule.Epochs, run.Schedule.Epochs, s.Epochs, run.Epochs = 0, 0, 0, 0
	return firstDifference("", reflect.ValueOf(s), reflect.ValueOf(run))
}

// firstDifference walks two structs of one type field by field, into
// nested structs, and names the first field that differs. Every field of
// Settings is exported and comparable (TestSettingsAreComparable).
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
