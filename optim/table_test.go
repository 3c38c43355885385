package optim

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/tensor"
)

// twoParams returns parameters a and b of the same size with gradients
// that differ, so that a state traded between them shows.
func twoParams() (a, b *nn.Param) {
	a = &nn.Param{Name: "a", Value: []float32{1, -2, 3}, Grad: []float32{0.5, -0.25, 2}, Decay: true}
	b = &nn.Param{Name: "b", Value: []float32{-1, 4, 0.5}, Grad: []float32{-3, 1, 0.125}}
	return a, b
}

// TestStateFollowsItsParameter: a parameter left out of some Steps (a
// frozen layer) and put back, or the list given in another order, steps
// bit for bit as it would with an optimizer of its own that saw only its
// Steps, for every optimizer (Adam counting each parameter's t, as
// PyTorch's state["step"]).
func TestStateFollowsItsParameter(t *testing.T) {
	for _, name := range Names {
		cfg := Config{Name: name, LR: 0.05}
		shared, _ := New(cfg)
		aAlone, _ := New(cfg)
		bAlone, _ := New(cfg)
		a, b := twoParams()
		a2, b2 := twoParams()
		lists := [][]*nn.Param{{a, b}, {a, b}, {b}, {b}, {b, a}, {a, b}}
		for step, list := range lists {
			shared.Step(list)
			if slices.Contains(list, a) {
				aAlone.Step([]*nn.Param{a2})
			}
			bAlone.Step([]*nn.Param{b2})
			if !slices.Equal(a.Value, a2.Value) || !slices.Equal(b.Value, b2.Value) {
				t.Fatalf("%s, step %d (%s): a %v, b %v; stepped alone a %v, b %v", name, step+1, names(list), a.Value, b.Value, a2.Value, b2.Value)
			}
		}
	}
}

func names(list []*nn.Param) string {
	var s []string
	for _, p := range list {
		s = append(s, p.Name)
	}
	return strings.Join(s, ",")
}

// TestStepsDifferInSlots: Adam's Slots say each parameter's step count
// where they differ, and a Restore of them steps on as the optimizer
// itself does.
func TestStepsDifferInSlots(t *testing.T) {
	cfg := Config{Name: "adam", LR: 0.05}
	o, _ := New(cfg)
	a, b := twoParams()
	o.Step([]*nn.Param{a, b})
	o.Step([]*nn.Param{b})
	s := o.(Checkpointer).Slots([]*nn.Param{a, b})
	if s.Step != 2 || !slices.Equal(s.Steps, []int{1, 2}) {
		t.Fatalf("Slots: Step %d, Steps %v; want 2 and [1 2]", s.Step, s.Steps)
	}
	if s := o.(Checkpointer).Slots([]*nn.Param{b}); s.Step != 2 || s.Steps != nil {
		t.Errorf("Slots of b alone: Step %d, Steps %v; want 2 and nil", s.Step, s.Steps)
	}
	a2, b2 := &nn.Param{Name: "a"}, &nn.Param{Name: "b"}
	*a2, *b2 = *a, *b
	a2.Value, b2.Value = slices.Clone(a.Value), slices.Clone(b.Value)
	restored, _ := New(cfg)
	if err := restored.(Checkpointer).Restore(s, []*nn.Param{a2, b2}); err != nil {
		t.Fatal(err)
	}
	o.Step([]*nn.Param{a, b})
	restored.Step([]*nn.Param{a2, b2})
	if !slices.Equal(a.Value, a2.Value) || !slices.Equal(b.Value, b2.Value) {
		t.Errorf("after Restore: %v %v; the optimizer itself %v %v", a2.Value, b2.Value, a.Value, b.Value)
	}
	for _, bad := range []Slots{
		{Steps: []int{1}, Tensors: s.Tensors},
		{Steps: []int{1, -1}, Tensors: s.Tensors},
		{Step: -3, Tensors: s.Tensors},
	} {
		if err := restored.(Checkpointer).Restore(bad, []*nn.Param{a2, b2}); err == nil {
			t.Errorf("Restore took steps %d, %v", bad.Step, bad.Steps)
		}
	}
}

// TestParameterListedTwice: every optimizer with state refuses a list
// that holds a parameter twice, naming it, before it changes anything.
func TestParameterListedTwice(t *testing.T) {
	for _, name := range Names {
		if name == "sgd" {
			continue // no state: each listing steps it
		}
		o, _ := New(Config{Name: name, LR: 0.05})
		a, b := twoParams()
		before := slices.Clone(a.Value)
		func() {
			defer func() {
				if r := recover(); !strings.Contains(fmt.Sprint(r), `parameter "a" is listed twice`) {
					t.Errorf("%s: recovered %v; want a named", name, r)
				}
			}()
			o.Step([]*nn.Param{a, b, a})
		}()
		if !slices.Equal(a.Value, before) {
			t.Errorf("%s: a changed to %v", name, a.Value)
		}
		func() { // the same list again: the same refusal, not a table left half-built
			defer func() {
				if r := recover(); !strings.Contains(fmt.Sprint(r), `parameter "a" is listed twice`) {
					t.Errorf("%s, again: recovered %v; want a named", name, r)
				}
			}()
			o.Step([]*nn.Param{a, b, a})
		}()
		o.Step([]*nn.Param{a, b})
		saved := o.(Checkpointer).Slots([]*nn.Param{a, b})
		if err := o.(Checkpointer).Restore(saved, []*nn.Param{a, a}); err == nil || !strings.Contains(err.Error(), `parameter "a" is listed twice`) {
			t.Errorf("%s: Restore of a list holding a twice: %v; want it refused", name, err)
		}
		if after := o.(Checkpointer).Slots([]*nn.Param{a, b}); !reflect.DeepEqual(after, saved) {
			t.Errorf("%s: a refused Restore changed the state", name)
		}
	}
}

// TestNoParameters: an optimizer given no parameters steps nothing and
// has no state to show, whether it has stepped some before or not (a
// network of activations alone).
func TestNoParameters(t *testing.T) {
	for _, name := range Names {
		o, _ := New(Config{Name: name, LR: 0.05})
		for _, list := range [][]*nn.Param{nil, {}} {
			o.Step(list)
			if s := o.(Checkpointer).Slots(list); len(s.Steps) != 0 || s.Step != 0 {
				t.Errorf("%s: Slots of no parameters %+v", name, s)
			}
		}
		a, _ := twoParams()
		o.Step([]*nn.Param{a})
		o.Step(nil)
	}
	net := nn.NewSequential(2, nn.NewActivation(act.MustNew("tanh")))
	sgd := &SGD{LR: 0.1, Momentum: 0.9}
	net.Forward(tensor.New(3, 2), true)
	sgd.GradientsAndStep(net, tensor.New(3, 2))
}
