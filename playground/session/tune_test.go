package session

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

// weights returns a copy of every parameter's values of s's network.
func weights(s *Session) []float32 {
	var w []float32
	for _, p := range s.Net().Params() {
		w = append(w, p.Value...)
	}
	return w
}

// largestChange is the largest |a[i] − b[i]|.
func largestChange(a, b []float32) float64 {
	m := 0.0
	for i := range a {
		m = max(m, math.Abs(float64(a[i]-b[i])))
	}
	return m
}

func epoch(t *testing.T, s *Session) {
	t.Helper()
	if _, err := s.Epoch(); err != nil {
		t.Fatal(err)
	}
}

// TestTuneGoesOnFromTheWeights: a learning rate, L1, L2 or batch size
// changed by Tune applies from the next epoch to the same network (as
// TensorFlow Playground's learning rate does), and a Tune to the same
// values leaves the run's next epoch bit for bit as it was.
func TestTuneGoesOnFromTheWeights(t *testing.T) {
	cfg := Default()
	tuned, plain, same := mustNew(t, cfg), mustNew(t, cfg), mustNew(t, cfg)
	for _, s := range []*Session{tuned, plain, same} {
		epoch(t, s)
	}
	slow := tuned.Config()
	slow.LR, slow.Batch, slow.L2 = 1e-9, 7, 0.001
	if err := tuned.Tune(slow); err != nil {
		t.Fatal(err)
	}
	if err := same.Tune(same.Config()); err != nil {
		t.Fatal(err)
	}
	before := weights(tuned)
	for _, s := range []*Session{tuned, plain, same} {
		epoch(t, s)
	}
	if c := largestChange(weights(tuned), before); c > 1e-6 {
		t.Errorf("an epoch at learning rate 1e-9 moved a weight by %g", c)
	}
	if c := largestChange(weights(plain), before); c < 1e-3 {
		t.Errorf("an epoch at the first learning rate moved the weights by %g at most; the test cannot tell", c)
	}
	if !slices.Equal(weights(same), weights(plain)) {
		t.Error("a Tune to the same values changed the next epoch")
	}
	if got := tuned.Config(); got.LR != 1e-9 || got.Batch != 7 || got.L2 != 0.001 || tuned.epoch != 2 {
		t.Errorf("after Tune: lr %g, batch %d, l2 %g, epoch %d; want 1e-9, 7, 0.001 and the epochs counted on", got.LR, got.Batch, got.L2, tuned.epoch)
	}
}

// TestTuneRefusesWhatNeedsANewRun: a change of anything but the learning
// rate, L1, L2 and batch size, or any change to a diverged run, is
// ErrNewRunNeeded; a value New refuses is refused naming the setting, and
// the run is left as it was.
func TestTuneRefusesWhatNeedsANewRun(t *testing.T) {
	s := mustNew(t, Default())
	for name, change := range map[string]func(*Config){
		"activation": func(c *Config) { c.Act = "tanh" },
		"layers":     func(c *Config) { c.Hidden = []int{4} },
		"seed":       func(c *Config) { c.Seed++ },
		"data set":   func(c *Config) { c.Dataset = "xor" },
		"momentum":   func(c *Config) { c.Momentum = 0.5 },
	} {
		c := s.Config()
		change(&c)
		if err := s.Tune(c); !errors.Is(err, ErrNewRunNeeded) {
			t.Errorf("%s: %v; want ErrNewRunNeeded", name, err)
		}
	}
	c := s.Config()
	c.Inputs = []string{} // none and an empty list alike
	if err := s.Tune(c); err != nil {
		t.Errorf("an empty list of inputs for none: %v", err)
	}
	c.LR = -1
	if err := s.Tune(c); err == nil || !strings.Contains(err.Error(), "learning rate") {
		t.Errorf("learning rate -1: %v; want it refused by name", err)
	}
	if s.Config().LR != Default().LR {
		t.Errorf("a refused Tune left the learning rate at %g", s.Config().LR)
	}
	cfg := Default()
	cfg.LR = 1e6
	wild := mustNew(t, cfg)
	for range 50 {
		if _, err := wild.Epoch(); err != nil {
			break
		}
	}
	calm := wild.Config()
	calm.LR = 0.01
	if err := wild.Tune(calm); !errors.Is(err, ErrNewRunNeeded) {
		t.Errorf("a diverged run: %v; want ErrNewRunNeeded (its weights are lost)", err)
	}
}

func mustNew(t *testing.T, cfg Config) *Session {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestTuneAfterAPointClicked: a run whose points AddPoint added (its
// Dataset Custom) takes a tune of the Config the page still holds, which
// names the generated set; another set is still a new run.
func TestTuneAfterAPointClicked(t *testing.T) {
	s := mustNew(t, Default())
	page := s.Config()
	if err := s.AddPoint(0.1, 0.2, 1); err != nil {
		t.Fatal(err)
	}
	page.LR = 0.01
	if err := s.Tune(page); err != nil {
		t.Errorf("a tune after a point clicked: %v", err)
	}
	if got := s.Config(); got.LR != 0.01 || got.Dataset != Custom {
		t.Errorf("after the tune: lr %g, data %q; want 0.01 and the run's custom points", got.LR, got.Dataset)
	}
	page.Dataset = "xor"
	if err := s.Tune(page); !errors.Is(err, ErrNewRunNeeded) {
		t.Errorf("another set after a point clicked: %v; want ErrNewRunNeeded", err)
	}
}
