package session

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/modelio"
)

func TestConfigErrorsNameTheSetting(t *testing.T) {
	for _, c := range []struct {
		change func(*Config)
		want   string
	}{
		{func(c *Config) { c.Dataset = "swirl" }, `data set "swirl"`},
		{func(c *Config) { c.Hidden = []int{8, 8, 8, 8, 8, 8, 8, 8, 8} }, "9 hidden layers"},
		{func(c *Config) { c.Hidden = []int{65} }, "hidden layer of 65 neurons"},
		{func(c *Config) { c.Act = "wiggly" }, `activation "wiggly"`},
		{func(c *Config) { c.LR = -1 }, "learning rate -1"},
		{func(c *Config) { c.Batch = 0 }, "batch size 0"},
		{func(c *Config) { c.TestFraction = 1 }, "test fraction 1"},
		{func(c *Config) { c.Dataset = "sine" }, "choose the mse loss"},
		{func(c *Config) { c.Loss = "logistic" }, "tells two classes apart; spiral has 3"},
	} {
		cfg := Default()
		c.change(&cfg)
		if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New: %v; want an error saying %q", err, c.want)
		}
	}
}

// TestDivergenceStopsTheRun: a learning rate of 100 turns the loss into
// NaN; the run says so, and stays stopped.
func TestDivergenceStopsTheRun(t *testing.T) {
	cfg := Default()
	cfg.LR = 100
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var stopped error
	for range 50 {
		if _, stopped = s.Epoch(); stopped != nil {
			break
		}
	}
	if stopped == nil || !strings.Contains(stopped.Error(), "diverged") || !strings.Contains(stopped.Error(), "lower learning rate") {
		t.Fatalf("50 epochs at learning rate 100: %v; want the divergence message", stopped)
	}
	if _, err := s.Epoch(); err == nil {
		t.Error("a diverged run trained on")
	}
}

func TestSplitAndViews(t *testing.T) {
	s, err := New(Default())
	if err != nil {
		t.Fatal(err)
	}
	trainPoints, testPoints := s.Points()
	if len(trainPoints) != 150 || len(testPoints) != 150 {
		t.Errorf("%d training and %d test points of 300; want half each", len(trainPoints), len(testPoints))
	}
	classes := map[int]int{}
	for _, p := range testPoints {
		classes[p.Label]++
	}
	if len(classes) != 3 || classes[0] < 30 || classes[1] < 30 || classes[2] < 30 {
		t.Errorf("test classes %v; want every arm of the spiral held out alike", classes)
	}
	r := s.Regions(10)
	if len(r.Class) != 100 || len(r.Confidence) != 100 {
		t.Fatalf("a 10×10 grid of %d classes and %d confidences", len(r.Class), len(r.Confidence))
	}
	for i, c := range r.Confidence {
		if !(c >= 1.0/3-1e-6 && c <= 1) || r.Class[i] < 0 || r.Class[i] > 2 {
			t.Fatalf("cell %d: class %d, confidence %v", i, r.Class[i], c)
		}
	}
	cfg := Default()
	cfg.Dataset, cfg.Loss = "sine", "mse"
	sine, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if r := sine.Regions(20); len(r.Curve) != 20 || r.Class != nil {
		t.Errorf("sine: a curve of %d points, %d classes; want a curve of 20", len(r.Curve), len(r.Class))
	}
}

// TestModelRoundTrip saves a run's model and starts a run from it: the
// same network, the same weights, the same predictions.
func TestModelRoundTrip(t *testing.T) {
	for _, a := range []string{"tanh", "prelu", "maxout", "leaky_relu(negative_slope=0.2)"} {
		cfg := Default()
		cfg.Act, cfg.Hidden, cfg.Dropout = a, []int{6, 5}, 0.1
		s, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Epoch(); err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := modelio.Write(&b, s.Model()); err != nil {
			t.Fatal(err)
		}
		m, err := modelio.Read(&b)
		if err != nil {
			t.Fatal(err)
		}
		back, err := FromModel(Default(), m)
		if err != nil {
			t.Fatalf("%s: %v", a, err)
		}
		if got := back.Config(); got.Act != a || !slices.Equal(got.Hidden, []int{6, 5}) || got.Dropout != 0.1 {
			t.Errorf("%s: the model's run has act %q, hidden %v, dropout %v", a, got.Act, got.Hidden, got.Dropout)
		}
		if r1, r2 := s.Regions(8), back.Regions(8); !slices.Equal(r1.Confidence, r2.Confidence) {
			t.Errorf("%s: the loaded network predicts otherwise than the saved one", a)
		}
	}
	sine := Default()
	sine.Dataset, sine.Loss = "sine", "mse"
	s, _ := New(sine)
	if _, err := FromModel(Default(), s.Model()); err == nil || !strings.Contains(err.Error(), "does not fit") {
		t.Errorf("a sine model on the spiral: %v; want an error", err)
	}
}
