package optim

import (
	"fmt"
	"math"
	"slices"

	"github.com/wigglenn/wiggle/nn"
)

// Slots is an optimizer's state, for checkpoints: a step count and, under
// PyTorch's names (momentum_buffer; exp_avg and exp_avg_sq; square_avg;
// sum), one slice per parameter in the order of the list Slots was given.
// Adam counts each parameter's steps: where they differ (a parameter left
// out of some Steps), Steps holds each one's, and Step the largest;
// otherwise Steps is nil and Step is every parameter's.
type Slots struct {
	Step    int
	Steps   []int
	Tensors map[string][][]float32
}

// Checkpointer is an optimizer whose state can be saved and restored, so a
// run resumed from a checkpoint takes the very steps it would have taken.
// Every optimizer of this package is one.
type Checkpointer interface {
	Optimizer
	// Slots returns a copy of the state for params (zeros before the first
	// step: the first step treats them as no state). It panics, as Step
	// does, on a nil parameter or values not as long as the state.
	Slots(params []*nn.Param) Slots
	// Restore sets the state; the slices must match params' sizes. On an
	// error the state is left as it was.
	Restore(s Slots, params []*nn.Param) error
}

func (o *SGD) Slots(params []*nn.Param) Slots {
	if o.Momentum == 0 {
		return Slots{}
	}
	return o.state.slots(params, "momentum_buffer")
}

func (o *SGD) Restore(s Slots, params []*nn.Param) error {
	if o.Momentum == 0 {
		return nil
	}
	return o.state.restore(s, params, false, "momentum_buffer")
}

func (o *Adam) Slots(params []*nn.Param) Slots {
	return o.state.slots(params, "exp_avg", "exp_avg_sq")
}

func (o *Adam) Restore(s Slots, params []*nn.Param) error {
	return o.state.restore(s, params, true, "exp_avg", "exp_avg_sq")
}

func (o *RMSProp) Slots(params []*nn.Param) Slots { return o.state.slots(params, "square_avg") }

func (o *RMSProp) Restore(s Slots, params []*nn.Param) error {
	return o.state.restore(s, params, true, "square_avg")
}

func (o *Adagrad) Slots(params []*nn.Param) Slots { return o.state.slots(params, "sum") }

func (o *Adagrad) Restore(s Slots, params []*nn.Param) error {
	return o.state.restore(s, params, true, "sum")
}

// slots returns a copy of params' state under names, one a part, with
// their step counts.
func (t *table) slots(params []*nn.Param, names ...string) Slots {
	cols, rows := t.of(params, len(names))
	s := Slots{Tensors: make(map[string][][]float32, len(names))}
	for k, name := range names {
		s.Tensors[name] = cloneAll(cols[k])
	}
	for _, e := range rows {
		s.Step = max(s.Step, e.step)
	}
	for _, e := range rows {
		if e.step != s.Step { // some parameters left out of some Steps
			s.Steps = make([]int, len(rows))
			for i, e := range rows {
				s.Steps[i] = e.step
			}
			break
		}
	}
	return s
}

// restore sets params' state from s, its parts under names; the last
// part is of squares where lastSquares (see restored). On an error the
// state is left as it was.
func (t *table) restore(s Slots, params []*nn.Param, lastSquares bool, names ...string) error {
	steps, err := restoredSteps(s, params)
	if err != nil {
		return err
	}
	if err := listedOnce(params); err != nil { // nil ones: restored says which
		return err
	}
	cols := make([][][]float32, len(names))
	for k, name := range names {
		squares := lastSquares && k == len(names)-1
		if cols[k], err = restored(s, name, params, k+1, len(names), squares); err != nil {
			return err
		}
	}
	t.set(params, cols, steps)
	return nil
}

// restoredSteps is each parameter's step count in s: Steps where it holds
// them, else Step for every one.
func restoredSteps(s Slots, params []*nn.Param) ([]int, error) {
	if s.Steps != nil && len(s.Steps) != len(params) {
		return nil, fmt.Errorf("the optimizer's state counts steps for %d parameters, not %d", len(s.Steps), len(params))
	}
	steps := make([]int, len(params))
	for i := range steps {
		steps[i] = s.Step
		if s.Steps != nil {
			steps[i] = s.Steps[i]
		}
		if steps[i] < 0 {
			return nil, fmt.Errorf("the optimizer's state counts %d steps; want 0 or more", steps[i])
		}
	}
	return steps, nil
}

func cloneAll(v [][]float32) [][]float32 {
	out := make([][]float32, len(v))
	for i, s := range v {
		out[i] = slices.Clone(s)
	}
	return out
}

// restored takes slot name of s, checked against params' sizes and for
// values no training makes (not finite; below 0 in a slot of squares,
// squares where so), copied into buffers placed as state places the
// optimizer's part-th state of parts.
func restored(s Slots, name string, params []*nn.Param, part, parts int, squares bool) ([][]float32, error) {
	v, ok := s.Tensors[name]
	if !ok {
		return nil, fmt.Errorf("the optimizer's state has no %s", name)
	}
	if len(v) != len(params) {
		return nil, fmt.Errorf("the optimizer's %s holds %d tensors for %d parameters", name, len(v), len(params))
	}
	for i, p := range params {
		if p == nil {
			return nil, fmt.Errorf("parameter %d is nil", i)
		}
		if len(v[i]) != len(p.Value) {
			return nil, fmt.Errorf("the optimizer's %s for %s holds %d numbers, the parameter %d", name, p.Name, len(v[i]), len(p.Value))
		}
		for j, x := range v[i] {
			switch {
			case math.IsNaN(float64(x)) || math.IsInf(float64(x), 0):
				return nil, fmt.Errorf("the optimizer's %s for %s holds %v at %d; training keeps its state finite", name, p.Name, x, j)
			case squares && x < 0:
				return nil, fmt.Errorf("the optimizer's %s for %s holds %v at %d; an average of squares is never below 0", name, p.Name, x, j)
			}
		}
	}
	out := make([][]float32, len(v))
	for i, p := range params {
		out[i] = placed(p, part, parts) // as long as v[i]: checked above
		copy(out[i], v[i])
	}
	return out, nil
}
