package optim

import (
	"fmt"
	"math"
	"strings"
)

// Schedule gives the learning rate of each epoch, counted from 0, from the
// base rate, as PyTorch's schedulers stepped once per epoch:
//
//	constant      base
//	step          base·Gamma^⌊epoch/StepSize⌋           (StepLR)
//	exponential   base·Gamma^epoch                        (ExponentialLR)
//	cosine        base·(1 + cos(π·epoch/Epochs))/2        (CosineAnnealingLR, eta_min 0, T_max = Epochs)
//
// A field the named schedule does not use is ignored, and not checked:
// a constant schedule's Gamma, say.
type Schedule struct {
	Name     string
	Gamma    float64 // step, exponential
	StepSize int     // step
	Epochs   int     // cosine
}

// ScheduleNames lists the schedules.
var ScheduleNames = []string{"constant", "step", "exponential", "cosine"}

// Check reports a schedule that cannot work, naming what is wrong.
func (s Schedule) Check() error {
	switch s.Name {
	case "", "constant":
		return nil
	case "step":
		if s.StepSize < 1 {
			return fmt.Errorf("step schedule: step size %d; want at least 1", s.StepSize)
		}
		fallthrough
	case "exponential":
		if !(s.Gamma > 0) || math.IsInf(s.Gamma, 1) {
			return fmt.Errorf("%s schedule: gamma %g; want a positive finite number", s.Name, s.Gamma)
		}
		return nil
	case "cosine":
		if s.Epochs < 1 {
			return fmt.Errorf("cosine schedule: %d epochs; want at least 1", s.Epochs)
		}
		return nil
	}
	return fmt.Errorf("unknown schedule %q; want one of %s", s.Name, strings.Join(ScheduleNames, ", "))
}

// Effective is s with 0 in the fields its schedule does not use, and ""
// written "constant": two Schedules of one Effective give the same rates.
func (s Schedule) Effective() Schedule {
	switch s.Name {
	case "", "constant":
		return Schedule{Name: "constant"}
	case "step":
		return Schedule{Name: s.Name, Gamma: s.Gamma, StepSize: s.StepSize}
	case "exponential":
		return Schedule{Name: s.Name, Gamma: s.Gamma}
	case "cosine":
		return Schedule{Name: s.Name, Epochs: s.Epochs}
	}
	return s
}

// Over is s for a run of the given epochs: a cosine schedule of no length
// (Epochs 0) takes the run's, as Fit runs it.
func (s Schedule) Over(epochs int) Schedule {
	if s.Name == "cosine" && s.Epochs == 0 {
		s.Epochs = epochs
	}
	return s
}

// LR returns the learning rate for epoch (from 0); base itself where
// Check refuses s.
func (s Schedule) LR(base float64, epoch int) float64 {
	if s.Check() != nil {
		return base
	}
	switch s.Name {
	case "step":
		return base * math.Pow(s.Gamma, float64(epoch/s.StepSize))
	case "exponential":
		return base * math.Pow(s.Gamma, float64(epoch))
	case "cosine":
		return base * (1 + math.Cos(math.Pi*float64(epoch)/float64(s.Epochs))) / 2
	}
	return base
}
