package optim

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/wigglenn/wiggle/nn"
)

// TestRestoredOptimizerStepsAlike runs every optimizer six steps, and
// another three steps then restores a fresh one from its Slots for the
// last three: the same weights, bit for bit.
func TestRestoredOptimizerStepsAlike(t *testing.T) {
	for _, name := range Names {
		newParams := func() []*nn.Param {
			d := nn.NewDense(3, 4)
			rng := rand.New(rand.NewPCG(1, 1))
			for _, p := range d.Params() {
				for i := range p.Value {
					p.Value[i] = float32(rng.NormFloat64())
				}
			}
			return d.Params()
		}
		grads := func(step int, params []*nn.Param) {
			rng := rand.New(rand.NewPCG(uint64(step), 2))
			for _, p := range params {
				for i := range p.Grad {
					p.Grad[i] = float32(rng.NormFloat64())
				}
			}
		}
		cfg := Config{Name: name, LR: 0.1}
		straight, _ := New(cfg)
		a := newParams()
		for step := range 6 {
			grads(step, a)
			straight.Step(a)
		}
		first, _ := New(cfg)
		b := newParams()
		for step := range 3 {
			grads(step, b)
			first.Step(b)
		}
		saved := first.(Checkpointer).Slots(b)
		second, _ := New(cfg)
		if err := second.(Checkpointer).Restore(saved, b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for step := 3; step < 6; step++ {
			grads(step, b)
			second.Step(b)
		}
		for i := range a {
			if !slices.Equal(a[i].Value, b[i].Value) {
				t.Errorf("%s: %s differs after a restore", name, a[i].Name)
			}
		}
		if len(saved.Tensors) > 0 {
			wrong := Slots{Step: saved.Step, Tensors: map[string][][]float32{}}
			for k := range saved.Tensors {
				wrong.Tensors[k] = [][]float32{{1}}
			}
			if err := second.(Checkpointer).Restore(wrong, b); err == nil {
				t.Errorf("%s: a state of the wrong shape was taken", name)
			}
		}
	}
}

// TestStatesLieApartFromWeights checks where every optimizer's state
// lies, made by a step or by a restore: its part-th slice of parts (of
// Adam's two, exp_avg first) part/(parts+1) of a 4 KiB page past the
// parameter's values, to the cache line, in the addresses' low bits, for
// each parameter of a page or more (shorter ones hold no rows a page
// apart, and are cut as they come).
func TestStatesLieApartFromWeights(t *testing.T) {
	states := func(o Optimizer) [][][]float32 { // each state in order
		switch o := o.(type) {
		case *SGD:
			return o.state.cols
		case *Adam:
			return o.state.cols
		case *RMSProp:
			return o.state.cols
		case *Adagrad:
			return o.state.cols
		}
		t.Fatalf("no states known for %T", o)
		return nil
	}
	at := func(s []float32) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(s))) }
	checked := 0
	for _, name := range Names {
		if name == "sgd" { // no state
			continue
		}
		params := append(nn.NewDense(1024, 12).Params(), nn.NewDense(3, 5).Params()...) // rows 4 KiB apart, and small
		o, _ := New(Config{Name: name, LR: 0.1})
		o.Step(params)
		restored, _ := New(Config{Name: name, LR: 0.1})
		if err := restored.(Checkpointer).Restore(o.(Checkpointer).Slots(params), params); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for how, o := range map[string]Optimizer{"stepped": o, "restored": restored} {
			all := states(o)
			for part, s := range all {
				want := uintptr((part + 1) * 4096 / (len(all) + 1) / 64 * 64)
				for i, p := range params {
					if len(p.Value) < 1024 {
						continue
					}
					checked++
					if got := (at(s[i]) - at(p.Value)) % 4096; got != want {
						t.Errorf("%s, %s: state %d of %s lies %d bytes past it modulo 4096, want %d", name, how, part, p.Name, got, want)
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no state long enough to be placed was checked")
	}
}

// TestStateFloatsCountsTheSlots: StateFloats is the number of slices of
// state each optimizer keeps per parameter, as its Slots show them.
func TestStateFloatsCountsTheSlots(t *testing.T) {
	for _, name := range Names {
		cfg := Config{Name: name, LR: 0.1}
		o, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		p := &nn.Param{Name: "w", Value: []float32{1, 2, 3}, Grad: []float32{0.5, -1, 2}}
		o.Step([]*nn.Param{p})
		floats := 0
		for _, tensors := range o.(Checkpointer).Slots([]*nn.Param{p}).Tensors {
			floats += len(tensors[0]) / len(p.Value)
		}
		if got := cfg.StateFloats(); got != floats {
			t.Errorf("%s: StateFloats %d; its Slots hold %d floats a parameter", name, got, floats)
		}
	}
}

// TestRestoreRefusesStateNoTrainingMakes: a state of NaN or an infinity
// (any slot), or below 0 in a slot of squares (Adam's exp_avg_sq,
// RMSprop's square_avg, Adagrad's sum), is refused, naming the slot, the
// parameter and the place; −1 in a momentum buffer is a state like any.
func TestRestoreRefusesStateNoTrainingMakes(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	for _, c := range []struct {
		optimizer, slot string
		bad             float32
		want            string // "" for a state that is taken
	}{
		{"adam", "exp_avg", nan, "the optimizer's exp_avg for 0.weight holds NaN at 5; training keeps its state finite"},
		{"adam", "exp_avg_sq", -1, "the optimizer's exp_avg_sq for 0.weight holds -1 at 5; an average of squares is never below 0"},
		{"adam", "exp_avg_sq", inf, "holds +Inf at 5"},
		{"rmsprop", "square_avg", -0.5, "never below 0"},
		{"adagrad", "sum", inf, "holds +Inf at 5"},
		{"momentum", "momentum_buffer", -1, ""},
	} {
		params := nn.NewDense(3, 4).Params()
		for _, p := range params {
			p.Name = "0." + p.Name
		}
		o, _ := New(Config{Name: c.optimizer, LR: 0.1})
		saved := o.(Checkpointer).Slots(params)
		saved.Tensors[c.slot][0][5] = c.bad
		err := o.(Checkpointer).Restore(saved, params)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s's %s with %v: %v; want it taken", c.optimizer, c.slot, c.bad, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s's %s with %v: %v; want an error with %q", c.optimizer, c.slot, c.bad, err, c.want)
		}
	}
}
