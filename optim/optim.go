// Package optim updates a network's parameters from their gradients, with
// PyTorch's update rules and defaults:
//
//	sgd        w −= lr·g
//	momentum   buf = μ·buf + g; w −= lr·buf
//	nesterov   buf = μ·buf + g; w −= lr·(g + μ·buf)
//	adam       bias-corrected moments, betas 0.9/0.999, eps 1e-8
//	adamw      adam with decoupled weight decay on weight matrices (default 0.01)
//	rmsprop    v = α·v + (1−α)·g²; w −= lr·g/(√v + eps), alpha 0.99, eps 1e-8
//	adagrad    s += g²; w −= lr·g/(√s + eps), eps 1e-10
//
// An optimizer keeps each parameter's state (a momentum buffer, Adam's
// moments and step count) with the parameter, as PyTorch's do: a Step may
// be given some of the parameters (to freeze a layer, leave its out), and
// the others' state waits for them. A training loop passes the same list
// every step, which finds its state at once.
//
// The settings are checked where they come in as values: New (from a
// Config) refuses a learning rate that is not a positive finite number,
// a momentum outside [0, 1) and the like, with a *ConfigError naming the
// field, and train.Fit checks its Config the same way. An optimizer
// written as a struct literal (&SGD{LR: -1}), or given a new rate by
// SetLR, steps with the numbers as given, a negative or NaN rate too:
// check them first with Config.Check, or build the optimizer with New.
// Its zero fields are zeros, not PyTorch's defaults: &Adam{LR: 0.001} has
// β1 = β2 = 0 and Eps = 0, and with Eps 0 (Adam's, RMSProp's, Adagrad's)
// a parameter whose gradient is 0 steps to NaN (0/0), as PyTorch's eps=0
// does; New(Config{Name: "adam", LR: 0.001}) gives 0.9, 0.999 and 1e-8.
//
// Concurrency: an optimizer keeps per-parameter state and is not safe for
// concurrent use; each training run needs its own.
package optim

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/wigglenn/wiggle/internal/hugepages"
	"github.com/wigglenn/wiggle/nn"
)

// Optimizer applies one update to every parameter from its Grad.
type Optimizer interface {
	// Step updates params. Each Grad must be as long as its Value, as nn's
	// layers make them (a Replica's or BuildSharing's from their first
	// Backward), and an optimizer with state (momentum, Adam's
	// moments) keeps each parameter's with it: Step panics, naming the
	// parameter, before it changes anything, where a parameter is nil or
	// listed twice, its gradient is not as long as its values, or its
	// values are not as long as its state from the Steps before, rather
	// than read past them.
	Step(params []*nn.Param)
	// SetLR changes the learning rate, for schedules.
	SetLR(lr float64)
}

// Config selects and tunes an optimizer. Zero fields take PyTorch's
// defaults, except LR, which must be given.
//
// Each name is one of PyTorch's optimizers in one setting, and a field the
// named optimizer does not use is ignored (Effective sets it to 0): "sgd"
// is torch.optim.SGD without momentum, whatever Momentum holds; SGD with
// momentum is "momentum" (or "nesterov"); torch's weight_decay of SGD and
// Adam (L2 in the gradient) is train.Config's L2 (loss.L2: weight_decay on
// the weight matrices' parameter group, the same steps unless gradients
// are clipped: train clips L2's gradient with the data's, as PyTorch does
// a penalty in the loss, and PyTorch adds weight_decay after clipping),
// and WeightDecay is adamw's alone.
// Check refuses a value no optimizer could take (a NaN Beta2, say) in any
// field.
type Config struct {
	Name        string  // one of Names
	LR          float64 // learning rate
	Momentum    float64 // momentum and nesterov; 0.9 if 0
	WeightDecay float64 // adamw, decoupled, weight matrices only; 0.01 if 0 (negative for none)
	Beta1       float64 // adam, adamw; 0.9 if 0
	Beta2       float64 // adam, adamw; 0.999 if 0
	Alpha       float64 // rmsprop smoothing; 0.99 if 0
	Eps         float64 // adam, adamw, rmsprop 1e-8; adagrad 1e-10 if 0
}

// Names lists the optimizers New knows.
var Names = []string{"sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad"}

// ConfigError is a field of a Config that cannot work.
type ConfigError struct {
	Field string // "LR", "Momentum", … or "Name"
	Value any
	Want  string
}

func (e *ConfigError) Error() string { return fmt.Sprintf("%s %v: want %s", e.Field, e.Value, e.Want) }

// Check reports the first field of c that cannot work, as a *ConfigError.
func (c Config) Check() error {
	bad := func(field string, value any, want string) error { return &ConfigError{field, value, want} }
	switch {
	case !(c.LR > 0) || math.IsInf(c.LR, 0):
		return bad("LR", c.LR, "a positive finite number")
	case float32(c.LR) == 0 || math.IsInf(float64(float32(c.LR)), 0):
		return bad("LR", c.LR, "a number float32 holds above 0 (about 1e-45 to 3e38): the updates are in float32")
	case !(c.Momentum >= 0 && c.Momentum < 1): // PyTorch takes 1 or more, whose steps grow without bound
		return bad("Momentum", c.Momentum, "0 <= momentum < 1")
	case !(c.Beta1 >= 0 && c.Beta1 < 1):
		return bad("Beta1", c.Beta1, "0 <= beta1 < 1 (0: the default 0.9)")
	case !(c.Beta2 >= 0 && c.Beta2 < 1):
		return bad("Beta2", c.Beta2, "0 <= beta2 < 1 (0: the default 0.999)")
	case !(c.Alpha >= 0 && c.Alpha < 1):
		return bad("Alpha", c.Alpha, "0 <= alpha < 1 (0: the default 0.99)")
	case !finiteAtLeast0(c.Eps):
		return bad("Eps", c.Eps, "a finite number, 0 or more (0: the default)")
	case math.IsNaN(c.WeightDecay) || math.IsInf(c.WeightDecay, 0):
		return bad("WeightDecay", c.WeightDecay, "a finite number")
	case !slices.Contains(Names, c.Name):
		return bad("Name", fmt.Sprintf("%q", c.Name), "one of "+strings.Join(Names, ", "))
	}
	return nil
}

func finiteAtLeast0(v float64) bool { return v >= 0 && !math.IsInf(v, 0) }

// New returns the optimizer cfg names, with defaults filled in, or Check's
// error.
func New(cfg Config) (Optimizer, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	e := cfg.Effective()
	switch e.Name {
	case "sgd", "momentum", "nesterov":
		return &SGD{LR: e.LR, Momentum: e.Momentum, Nesterov: e.Name == "nesterov"}, nil
	case "adam", "adamw":
		return &Adam{LR: e.LR, Beta1: e.Beta1, Beta2: e.Beta2, Eps: e.Eps, WeightDecay: math.Max(e.WeightDecay, 0)}, nil
	case "rmsprop":
		return &RMSProp{LR: e.LR, Alpha: e.Alpha, Eps: e.Eps}, nil
	case "adagrad":
		return &Adagrad{LR: e.LR, Eps: e.Eps}, nil
	}
	return nil, &ConfigError{"Name", fmt.Sprintf("%q", cfg.Name), "one of " + strings.Join(Names, ", ")} // Check refused it already
}

// Effective is c as New reads it, for a c that Check accepts: each field
// the named optimizer uses, its default filled in where c leaves it 0 (a
// WeightDecay below 0, none, as -1), and 0 in the fields it does not use.
// Two Configs of one Effective make the same optimizer, and
// c.Effective().Effective() is c.Effective().
func (c Config) Effective() Config {
	or := func(v, def float64) float64 {
		if v == 0 {
			return def
		}
		return v
	}
	e := Config{Name: c.Name, LR: c.LR}
	switch c.Name {
	case "momentum", "nesterov":
		e.Momentum = or(c.Momentum, 0.9)
	case "adam", "adamw":
		e.Beta1, e.Beta2, e.Eps = or(c.Beta1, 0.9), or(c.Beta2, 0.999), or(c.Eps, 1e-8)
		if c.Name == "adamw" {
			e.WeightDecay = or(c.WeightDecay, 0.01)
			if e.WeightDecay < 0 {
				e.WeightDecay = -1 // none: every negative decay is one setting
			}
		}
	case "rmsprop":
		e.Alpha, e.Eps = or(c.Alpha, 0.99), or(c.Eps, 1e-8)
	case "adagrad":
		e.Eps = or(c.Eps, 1e-10)
	}
	return e
}

// StateFloats is how many float32s the optimizer c names keeps for each
// parameter between steps: 0 for sgd, 1 for momentum, nesterov, rmsprop
// and adagrad, 2 for adam and adamw (their two moments); 0 for a name
// Check refuses.
func (c Config) StateFloats() int {
	switch c.Name {
	case "momentum", "nesterov", "rmsprop", "adagrad":
		return 1
	case "adam", "adamw":
		return 2
	}
	return 0
}

// mustMatchGrads panics where a parameter's gradient is not as long as its
// values (see Optimizer.Step).
func mustMatchGrads(params []*nn.Param) {
	mustNotBeNil(params)
	for _, p := range params {
		if len(p.Grad) != len(p.Value) {
			panic(fmt.Sprintf("optim: parameter %q has %d gradients for %d values", p.Name, len(p.Grad), len(p.Value)))
		}
	}
}

// mustNotBeNil panics, naming it, where a parameter is nil.
func mustNotBeNil(params []*nn.Param) {
	for i, p := range params {
		if p == nil {
			panic(fmt.Sprintf("optim: parameter %d is nil", i))
		}
	}
}

// placed returns zeroed floats shaped like p's values for the part-th of
// an optimizer's parts states of p, lying part/(parts+1) of a 4 KiB page
// past p's values in the addresses' low bits (hugepages.CarveApart): a
// state and its weights, read side by side in tiles whose rows lie 4 KiB
// apart (a layer of 1024 inputs), then fall in different sets of the L1
// cache. With SGD's momentum buffer half a page from the weights, two
// hidden layers of 1024 or 2048 units trained 1.02–1.07× faster at
// batches of 32 and 128, level at 512 (docs/PERFORMANCE.md, "Buffers half
// a page from their weights").
func placed(p *nn.Param, part, parts int) []float32 {
	return hugepages.CarveApart(len(p.Value), p.Value, part*4096/(parts+1))
}
