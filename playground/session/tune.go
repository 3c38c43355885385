package session

import (
	"errors"
	"reflect"
)

// ErrNewRunNeeded is Tune's error where a change cannot apply to the
// running network: a setting other than those Tune takes, or a run that
// has diverged (its weights are lost). Build the run again with New.
var ErrNewRunNeeded = errors.New("the change needs a new run")

// Tune changes the run's learning rate, L1 and L2 strengths and batch
// size between epochs, as TensorFlow Playground applies its learning rate
// and regularisation rate to the network in training: the weights, the
// optimizer's state, the batch order and the epochs counted go on. cfg is
// the run's Config with those changed (its Dataset may still name the
// generated set that points added by AddPoint made Custom); any other
// difference, or a run that has diverged, is ErrNewRunNeeded. The values are checked as New
// checks them, and on an error nothing changes.
func (s *Session) Tune(cfg Config) error {
	own := s.cfg
	if own.Dataset == Custom && s.clickedOn != "" && cfg.Dataset == s.clickedOn {
		own.Dataset = cfg.Dataset
	}
	if s.diverged != nil || !sameButTunable(own, cfg) {
		return ErrNewRunNeeded
	}
	if err := check(cfg); err != nil {
		return err
	}
	s.opt.SetLR(cfg.LR)
	s.trainer.L1, s.trainer.L2, s.trainer.Batch = cfg.L1, cfg.L2, cfg.Batch
	s.cfg.LR, s.cfg.L1, s.cfg.L2, s.cfg.Batch = cfg.LR, cfg.L1, cfg.L2, cfg.Batch
	return nil
}

// Tuned is the twin's Config with the settings Tune takes from cfg.
func Tuned(twin, cfg Config) Config {
	twin.LR, twin.L1, twin.L2, twin.Batch = cfg.LR, cfg.L1, cfg.L2, cfg.Batch
	return twin
}

// sameButTunable reports whether a and b differ at most in the settings
// Tune takes (an empty list and none alike).
func sameButTunable(a, b Config) bool {
	a = Tuned(a, b)
	for _, c := range []*Config{&a, &b} {
		if len(c.Inputs) == 0 {
			c.Inputs = nil
		}
		if len(c.Hidden) == 0 {
			c.Hidden = nil
		}
		if len(c.Acts) == 0 {
			c.Acts = nil
		}
	}
	return reflect.DeepEqual(a, b)
}
