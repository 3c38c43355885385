package optim

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/tensor"
)

// TestUpdatesByHand runs each optimizer for two steps on one weight w = 1
// with gradients 0.5 then −0.25 and lr 0.1, against values worked out from
// PyTorch's update rules.
func TestUpdatesByHand(t *testing.T) {
	cases := []struct {
		cfg  Config
		want [2]float64
		how  string
	}{
		{Config{Name: "sgd"}, [2]float64{0.95, 0.975}, "w −= 0.1·g"},
		{Config{Name: "momentum"}, [2]float64{0.95, 0.93}, "buf = 0.5, then 0.9·0.5 − 0.25 = 0.2"},
		{Config{Name: "nesterov"}, [2]float64{0.905, 0.912}, "w −= 0.1·(0.5 + 0.9·0.5), then 0.1·(−0.25 + 0.9·0.2)"},
		{Config{Name: "adam"}, [2]float64{0.900000002, 0.8733662987}, "m̂ = 0.5, v̂ = 0.25, step 0.1·0.5/(0.5+1e-8); then m̂ = 0.02/0.19, v̂ = 0.00031225/0.001999"},
		{Config{Name: "adamw"}, [2]float64{0.899000002, 0.8714672987}, "as adam after w·(1 − 0.1·0.01)"},
		{Config{Name: "rmsprop"}, [2]float64{2e-7, 0.4490133744}, "v = 0.0025, w −= 0.1·0.5/(0.05+1e-8); v = 0.0031"},
		{Config{Name: "adagrad"}, [2]float64{0.9, 0.9447213596}, "s = 0.25, then 0.3125"},
	}
	for _, c := range cases {
		c.cfg.LR = 0.1
		o, err := New(c.cfg)
		if err != nil {
			t.Fatal(err)
		}
		w := &nn.Param{Name: "0.weight", Value: []float32{1}, Grad: []float32{0}, Decay: true}
		for step, g := range []float32{0.5, -0.25} {
			w.Grad[0] = g
			o.Step([]*nn.Param{w})
			if got := float64(w.Value[0]); math.Abs(got-c.want[step]) > 1e-6 {
				t.Errorf("%s step %d: w = %.9f, want %.9f (%s)", c.cfg.Name, step+1, got, c.want[step], c.how)
			}
		}
	}
}

// TestStepsAtTheEdgesOfFloat32 checks, against PyTorch's figures (torch
// 1.13, float32), steps that float32 rounding had thrown off: a β2 of
// 0.99999999, which float32 holds as 1 (1 − float32(β2) made v 0 and the
// step m̂/eps, −162434.58 for PyTorch's −0.001), a β1 as close (m stayed
// 0: the weight never moved), and gradients of 1e20, whose square
// overflows float32 before it is scaled (v became +Inf and the weight
// froze for good; PyTorch scales first, as addcmul does).
func TestStepsAtTheEdgesOfFloat32(t *testing.T) {
	for _, c := range []struct {
		cfg  Config
		w, g float32
		want float64
	}{
		{Config{Name: "adam", LR: 0.001, Beta2: 0.99999999}, 0, 1.6243454, -0.001},
		{Config{Name: "adamw", LR: 0.001, Beta2: 0.99999999}, 1, 1.5, 0.99899},
		{Config{Name: "adam", LR: 0.001, Beta1: 0.99999999}, 0, 1, -0.001},
		{Config{Name: "adam", LR: 0.001}, 1, 1e20, 0.999},
		{Config{Name: "rmsprop", LR: 0.001}, 1, 1e20, 0.99},
	} {
		o, err := New(c.cfg)
		if err != nil {
			t.Fatal(err)
		}
		w := &nn.Param{Value: []float32{c.w}, Grad: []float32{c.g}, Decay: true}
		o.Step([]*nn.Param{w})
		if got := float64(w.Value[0]); math.Abs(got-c.want) > 1e-6*max(1, math.Abs(c.want)) {
			t.Errorf("%+v, w %v, g %v: one step gives %v; PyTorch %v", c.cfg, c.w, c.g, got, c.want)
		}
	}
}

func TestAdamWDecaysWeightMatricesOnly(t *testing.T) {
	o, _ := New(Config{Name: "adamw", LR: 0.1, WeightDecay: 0.5})
	w := &nn.Param{Value: []float32{2}, Grad: []float32{0}, Decay: true}
	b := &nn.Param{Value: []float32{2}, Grad: []float32{0}}
	o.Step([]*nn.Param{w, b})
	if w.Value[0] != 1.9 || b.Value[0] != 2 {
		t.Errorf("with zero gradients, weight %v (want 2·(1−0.05) = 1.9), bias %v (want 2)", w.Value[0], b.Value[0])
	}
}

func TestSchedules(t *testing.T) {
	cases := []struct {
		s    Schedule
		want []float64
	}{
		{Schedule{Name: "constant"}, []float64{1, 1, 1, 1}},
		{Schedule{Name: "step", StepSize: 2, Gamma: 0.1}, []float64{1, 1, 0.1, 0.1}},
		{Schedule{Name: "exponential", Gamma: 0.5}, []float64{1, 0.5, 0.25, 0.125}},
		{Schedule{Name: "cosine", Epochs: 4}, []float64{1, (1 + math.Sqrt2/2) / 2, 0.5, (1 - math.Sqrt2/2) / 2}},
	}
	for _, c := range cases {
		if err := c.s.Check(); err != nil {
			t.Fatal(err)
		}
		for e, want := range c.want {
			if got := c.s.LR(1, e); math.Abs(got-want) > 1e-12 {
				t.Errorf("%s epoch %d: lr %v, want %v", c.s.Name, e, got, want)
			}
		}
	}
	for _, bad := range []Schedule{{Name: "step", Gamma: 0.1}, {Name: "exponential"}, {Name: "cosine"}, {Name: "linear"}} {
		if bad.Check() == nil {
			t.Errorf("schedule %+v passed the check", bad)
		}
	}
}

func TestClipGlobalNorm(t *testing.T) {
	a := &nn.Param{Grad: []float32{3}}
	b := &nn.Param{Grad: []float32{4}}
	if norm := ClipGlobalNorm([]*nn.Param{a, b}, 1); norm != 5 {
		t.Errorf("norm %v, want 5", norm)
	}
	if math.Abs(float64(a.Grad[0])-0.6) > 1e-6 || math.Abs(float64(b.Grad[0])-0.8) > 1e-6 {
		t.Errorf("clipped to %v, %v; want 0.6, 0.8", a.Grad[0], b.Grad[0])
	}
	ClipGlobalNorm([]*nn.Param{a, b}, 10)
	if math.Abs(float64(a.Grad[0])-0.6) > 1e-6 {
		t.Errorf("a norm below the limit was changed to %v", a.Grad[0])
	}
	// A NaN in one gradient: every gradient NaN, as PyTorch's (the others
	// had stepped unclipped).
	nan := &nn.Param{Grad: []float32{float32(math.NaN()), 1}}
	big := &nn.Param{Grad: []float32{100, -100}}
	if norm := ClipGlobalNorm([]*nn.Param{nan, big}, 1); !math.IsNaN(norm) {
		t.Errorf("the norm of a NaN gradient: %v", norm)
	}
	for _, g := range append(nan.Grad, big.Grad...) {
		if !math.IsNaN(float64(g)) {
			t.Errorf("after clipping a NaN gradient: %v, %v; want every one NaN", nan.Grad, big.Grad)
			break
		}
	}
}

func TestNewRejects(t *testing.T) {
	if _, err := New(Config{Name: "lbfgs", LR: 0.1}); err == nil || !strings.Contains(err.Error(), "adam") {
		t.Errorf("unknown optimizer: %v", err)
	}
	if _, err := New(Config{Name: "sgd"}); err == nil {
		t.Error("a zero learning rate was accepted")
	}
}

// TestConfigCheckNamesTheField: New refuses each field that cannot work
// with a *ConfigError naming it; the zero fields take their defaults.
func TestConfigCheckNamesTheField(t *testing.T) {
	for _, c := range []struct {
		cfg   Config
		field string
	}{
		{Config{Name: "sgd"}, "LR"},
		{Config{Name: "sgd", LR: 1e-50}, "LR"}, // 0 in float32: no step would move
		{Config{Name: "sgd", LR: 1e39}, "LR"},  // +Inf in float32
		{Config{Name: "momentum", LR: 0.1, Momentum: math.NaN()}, "Momentum"},
		{Config{Name: "nesterov", LR: 0.1, Momentum: 1}, "Momentum"}, // the velocity never decays
		{Config{Name: "momentum", LR: 0.1, Momentum: 9}, "Momentum"}, // 0.9 mistyped
		{Config{Name: "adam", LR: 0.1, Beta1: 2}, "Beta1"},
		{Config{Name: "adam", LR: 0.1, Beta2: -0.5}, "Beta2"},
		{Config{Name: "rmsprop", LR: 0.1, Alpha: 1}, "Alpha"},
		{Config{Name: "adam", LR: 0.1, Eps: math.NaN()}, "Eps"},
		{Config{Name: "adamw", LR: 0.1, WeightDecay: math.Inf(1)}, "WeightDecay"},
		{Config{Name: "lbfgs", LR: 0.1}, "Name"},
	} {
		_, err := New(c.cfg)
		var bad *ConfigError
		if !errors.As(err, &bad) || bad.Field != c.field {
			t.Errorf("%+v: %v, want a ConfigError on %s", c.cfg, err, c.field)
		}
	}
	for _, name := range Names {
		if _, err := New(Config{Name: name, LR: 0.1}); err != nil {
			t.Errorf("%s with the defaults: %v", name, err)
		}
	}
}

// TestClipAndScheduleTakeWhatTheyCannotUse: a maxNorm that is not
// positive clips nothing, and a schedule Check refuses gives the base
// rate rather than dividing by 0 or NaN.
func TestClipAndScheduleTakeWhatTheyCannotUse(t *testing.T) {
	for _, maxNorm := range []float64{-1, 0, math.NaN()} {
		p := &nn.Param{Value: []float32{0, 0}, Grad: []float32{3, 4}}
		if norm := ClipGlobalNorm([]*nn.Param{p}, maxNorm); norm != 5 || p.Grad[0] != 3 || p.Grad[1] != 4 {
			t.Errorf("ClipGlobalNorm(maxNorm %v): norm %v, gradients %v; want 5 and [3 4]", maxNorm, norm, p.Grad)
		}
	}
	for _, s := range []Schedule{{Name: "step", Gamma: 0.5}, {Name: "cosine"}, {Name: "exponential", Gamma: -1}, {Name: "wavy"}} {
		if lr := s.LR(0.1, 3); lr != 0.1 {
			t.Errorf("%+v.LR(0.1, 3) = %v, want 0.1", s, lr)
		}
	}
}

// TestStepRefusesAShortGradient: every optimizer panics, naming the
// parameter, before it changes anything, where a gradient is shorter than
// its values, and every one with state where a parameter has grown since
// the Step before, rather than read past them.
func TestStepRefusesAShortGradient(t *testing.T) {
	for _, name := range Names {
		opt, err := New(Config{Name: name, LR: 0.1})
		if err != nil {
			t.Fatal(err)
		}
		backing := []float32{1, 7, 7}
		p := &nn.Param{Name: "w", Value: []float32{0, 0, 0}, Grad: backing[:1]}
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), `parameter "w" has 1 gradients for 3 values`) {
					t.Errorf("%s: recovered %v; want the parameter named", name, r)
				}
			}()
			opt.Step([]*nn.Param{p})
		}()
		if p.Value[0] != 0 || p.Value[1] != 0 || p.Value[2] != 0 {
			t.Errorf("%s: values changed to %v", name, p.Value)
		}
		p.Grad = make([]float32, 3)
		opt.Step([]*nn.Param{p})
		p.Value, p.Grad = make([]float32, 5), make([]float32, 5) // the same parameter, grown
		func() {
			defer func() {
				r := recover()
				if stateful := name != "sgd"; stateful != (r != nil) || r != nil && !strings.Contains(fmt.Sprint(r), `parameter "w" has 5 values, its state from the Steps before 3`) {
					t.Errorf("%s: a grown parameter: recovered %v", name, r)
				}
			}()
			opt.Step([]*nn.Param{p})
		}()
	}
}

// TestNilParameterIsNamed: Step, Slots and ClipGlobalNorm panic naming a
// nil parameter, and Restore returns it as an error, rather than
// dereference it.
func TestNilParameterIsNamed(t *testing.T) {
	params := func() []*nn.Param {
		return []*nn.Param{{Name: "w", Value: make([]float32, 2), Grad: make([]float32, 2)}, nil}
	}
	const want = "optim: parameter 1 is nil"
	mustPanic := func(what string, f func()) {
		t.Helper()
		defer func() {
			if r := recover(); fmt.Sprint(r) != want {
				t.Errorf("%s: recovered %v; want %q", what, r, want)
			}
		}()
		f()
	}
	for _, name := range Names {
		opt, err := New(Config{Name: name, LR: 0.1, Momentum: 0.9})
		if err != nil {
			t.Fatal(err)
		}
		mustPanic(name+" Step", func() { opt.Step(params()) })
		if name == "sgd" {
			continue // no state: Slots and Restore do not look at the parameters
		}
		c := opt.(Checkpointer)
		mustPanic(name+" Slots", func() { c.Slots(params()) })
		whole := params()[:1]
		whole[0].Grad[0] = 1
		opt.Step(whole) // a state that is not zeros
		before := c.Slots(whole)
		s := c.Slots(whole)
		for k, v := range s.Tensors {
			s.Tensors[k] = append(v, nil)
		}
		if err := c.Restore(s, append(whole, nil)); err == nil || err.Error() != "parameter 1 is nil" {
			t.Errorf("%s: Restore with a nil parameter returned %v", name, err)
		}
		if after := c.Slots(whole); !reflect.DeepEqual(after, before) {
			t.Errorf("%s: a refused Restore changed the state from %v to %v", name, before, after)
		}
	}
	mustPanic("ClipGlobalNorm", func() { ClipGlobalNorm(params(), 1) })
}

// TestGradientsAndStepRefusesNil: a nil network or a nil dOut panics with
// a message, not a nil dereference.
func TestGradientsAndStepRefusesNil(t *testing.T) {
	net := nn.NewMLP(2, []int{3}, 2, act.MustNew("relu"), rand.New(rand.NewPCG(1, 2)))
	for _, c := range []struct {
		name string
		net  *nn.Sequential
		dOut *tensor.Matrix
		want string
	}{
		{"nil network", nil, tensor.New(1, 2), "optim: GradientsAndStep: a nil network"},
		{"nil dOut", net, nil, "SGD.GradientsAndStep: a nil matrix"},
	} {
		func() {
			defer func() {
				if r := recover(); !strings.Contains(fmt.Sprint(r), c.want) {
					t.Errorf("%s: recovered %v; want %q", c.name, r, c.want)
				}
			}()
			(&SGD{LR: 0.1, Momentum: 0.9}).GradientsAndStep(c.net, c.dOut)
		}()
	}
}

// TestEffectiveIsHowNewReadsAConfig: over names and values left 0, set,
// negative and out of range, New of a Config's Effective makes the
// optimizer New of the Config makes, where New takes the Config, and
// Effective changes nothing it has made.
func TestEffectiveIsHowNewReadsAConfig(t *testing.T) {
	values := []float64{0, 0.5, -0.5, 2}
	for _, name := range append(slices.Clone(Names), "", "lbfgs") {
		for _, momentum := range values {
			for _, decay := range values {
				for _, beta := range values {
					for _, eps := range values {
						c := Config{Name: name, LR: 0.1, Momentum: momentum, WeightDecay: decay, Beta1: beta, Beta2: beta, Alpha: beta, Eps: eps}
						e := c.Effective()
						if e.Effective() != e {
							t.Fatalf("%+v: Effective %+v, and again %+v", c, e, e.Effective())
						}
						a, err := New(c)
						if err != nil {
							continue // Effective reads a Config Check accepts
						}
						if b, err := New(e); err != nil || !reflect.DeepEqual(a, b) {
							t.Fatalf("%+v: New gives %+v, New of its Effective %+v (%v)", c, a, b, err)
						}
					}
				}
			}
		}
	}
	for _, c := range []struct{ a, b Config }{
		{Config{Name: "momentum", LR: 0.1}, Config{Name: "momentum", LR: 0.1, Momentum: 0.9}},
		{Config{Name: "adamw", LR: 0.1, WeightDecay: -1}, Config{Name: "adamw", LR: 0.1, WeightDecay: -0.25}},
		{Config{Name: "sgd", LR: 0.1, Beta1: 0.5}, Config{Name: "sgd", LR: 0.1}},
	} {
		if c.a.Effective() != c.b.Effective() {
			t.Errorf("%+v and %+v make one optimizer; Effective gives %+v and %+v", c.a, c.b, c.a.Effective(), c.b.Effective())
		}
	}
}

// TestScheduleEffectiveAndOver: fields a schedule does not use are 0, ""
// is constant, a cosine of no length takes the run's, and an infinite
// gamma is refused (a checkpoint could not record it).
func TestScheduleEffectiveAndOver(t *testing.T) {
	for _, c := range []struct{ s, want Schedule }{
		{Schedule{Name: "", Gamma: 0.1, StepSize: 10}, Schedule{Name: "constant"}},
		{Schedule{Name: "step", Gamma: 0.5, StepSize: 3, Epochs: 9}, Schedule{Name: "step", Gamma: 0.5, StepSize: 3}},
		{Schedule{Name: "exponential", Gamma: 0.9, StepSize: 3}, Schedule{Name: "exponential", Gamma: 0.9}},
		{Schedule{Name: "cosine", Gamma: 0.1, Epochs: 7}, Schedule{Name: "cosine", Epochs: 7}},
	} {
		if got := c.s.Effective(); got != c.want || got.Effective() != got {
			t.Errorf("%+v.Effective() = %+v, want %+v", c.s, got, c.want)
		}
	}
	if s := (Schedule{Name: "cosine"}).Over(12); s.Epochs != 12 {
		t.Errorf("a cosine of no length over 12 epochs runs over %d", s.Epochs)
	}
	if s := (Schedule{Name: "cosine", Epochs: 5}).Over(12); s.Epochs != 5 {
		t.Errorf("a cosine of 5 epochs over 12 runs over %d", s.Epochs)
	}
	for _, name := range []string{"step", "exponential"} {
		if err := (Schedule{Name: name, Gamma: math.Inf(1), StepSize: 1}).Check(); err == nil || !strings.Contains(err.Error(), "finite") {
			t.Errorf("%s with gamma +Inf: %v; want it refused", name, err)
		}
	}
}
