package train

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
)

// TestDivergedErrorNamesTheSettingAtFault: a run that diverges because of
// one setting (an L2 or weight decay past what the steps hold, a schedule
// raising the learning rate) names it; one whose learning rate is simply too
// large names none.
func TestDivergedErrorNamesTheSettingAtFault(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*Config)
		cause string
		value float64
		says  string
	}{
		{"lr 1e6", func(c *Config) { c.Optimizer = optim.Config{Name: "sgd", LR: 1e6} }, "", 0, "A lower learning rate (now 1e+06)"},
		{"sgd, L2 1e30", func(c *Config) { c.Optimizer = optim.Config{Name: "sgd", LR: 0.1}; c.L2 = 1e30 }, "L2", 1e30, "L2 1e+30 at learning rate 0.1"},
		{"nesterov, L2 20", func(c *Config) { c.Optimizer = optim.Config{Name: "nesterov", LR: 0.1}; c.L2 = 20 }, "L2", 20, "It must stay below 13.57 (or the learning rate lower) not to diverge"},
		{"momentum, L1 1e30", func(c *Config) { c.L1 = 1e30 }, "L1", 1e30, "L1 1e+30 at learning rate 0.1 moves every weight by 1e+29 a step"},
		{"sgd, L2 1e30, clipped", func(c *Config) { c.Optimizer = optim.Config{Name: "sgd", LR: 1e6}; c.L2 = 1e30; c.ClipNorm = 1 }, "", 0, "A lower learning rate (now 1e+06) (clipped at 1, each step still moves"},
		{"adamw, decay 1e5", func(c *Config) { c.Optimizer = optim.Config{Name: "adamw", LR: 0.1, WeightDecay: 1e5} }, "Optimizer.WeightDecay", 1e5, "multiply the weights by -9999"},
		{"step, gamma 1e30", func(c *Config) { c.Schedule = optim.Schedule{Name: "step", StepSize: 1, Gamma: 1e30} }, "Schedule.Gamma", 1e30, "raised the learning rate to 1e+29"},
	}
	for _, c := range cases {
		net, ds, cfg := spiralRun()
		cfg.Epochs = 3
		c.edit(&cfg)
		_, err := Fit(context.Background(), net, loss.Softmax{}, ds, nil, cfg)
		var div *DivergedError
		if !errors.As(err, &div) {
			t.Errorf("%s: %v; want a *DivergedError", c.name, err)
			continue
		}
		if div.Cause != c.cause || div.CauseValue != c.value || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: cause %q %g, %q; want %q %g, saying %q", c.name, div.Cause, div.CauseValue, err, c.cause, c.value, c.says)
		}
	}
}

// TestUnstableSettingBoundsAreTheOptimizersOwn steps the optimizers
// themselves on the L2 penalty alone (or, for adamw, on a gradient of 0,
// leaving the decay) at 2% below and above the bound unstableSetting
// names: below it the weight shrinks, above it grows.
func TestUnstableSettingBoundsAreTheOptimizersOwn(t *testing.T) {
	const lr = 0.1
	for _, name := range []string{"sgd", "momentum", "nesterov", "adamw"} {
		for _, mu := range []float64{0, 0.5, 0.9} { // 0: the default, 0.9, for momentum and nesterov
			if mu != 0 && name != "momentum" && name != "nesterov" {
				continue
			}
			opt := optim.Config{Name: name, LR: lr, Momentum: mu}
			// The setting's value at the bound: the smallest that unstableSetting
			// names, found by bisection on its answer.
			lo, hi, said := 0.0, 1e6, 0.0
			for range 200 {
				mid := (lo + hi) / 2
				cfg := Config{Optimizer: opt, L2: mid}
				if name == "adamw" {
					cfg.Optimizer.WeightDecay, cfg.L2 = mid, 0
				}
				if o, _, below := unstableSetting(cfg, lr); o != "" {
					hi, said = mid, below
				} else {
					lo = mid
				}
			}
			if math.Abs(said-hi) > 1e-9*hi { // the bound the message gives is the one it keeps
				t.Errorf("%s momentum %g: named from %g, saying below %g", name, mu, hi, said)
			}
			for _, scale := range []float64{0.98, 1.02} {
				strength := hi * scale
				cfg := opt
				if name == "adamw" {
					cfg.WeightDecay = strength
				}
				o, err := optim.New(cfg)
				if err != nil {
					t.Fatal(err)
				}
				w := &nn.Param{Name: "0.weight", Value: []float32{1}, Grad: []float32{0}, Decay: true}
				for range 3000 {
					if name != "adamw" {
						w.Grad[0] = float32(strength) * w.Value[0] // the L2 penalty's gradient
					}
					o.Step([]*nn.Param{w})
				}
				grew := !(math.Abs(float64(w.Value[0])) <= 1) // NaN once it overflowed
				if grew != (scale > 1) {
					t.Errorf("%s momentum %g: at %g times the bound %g the weight went from 1 to %g", name, mu, scale, hi, w.Value[0])
				}
			}
		}
	}
}
