package optim

import (
	"fmt"
	"math"
	"slices"

	"github.com/wigglenn/wiggle/nn"
)

// Slots is an optimizer's state, for checkpoints: a step count and, under
// PyTorch's names (momentum_buffer; exp_avg and exp_avg_sq; square_avg;
// sum), one slice per parameter in the order Step sees them.
type Slots struct {
	Step    int
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
	o.bufs = state(o.bufs, params, 1, 1)
	return Slots{Tensors: map[string][][]float32{"momentum_buffer": cloneAll(o.bufs)}}
}

func (o *SGD) Restore(s Slots, params []*nn.Param) error {
	if o.Momentum == 0 {
		return nil
	}
	bufs, err := restored(s, "momentum_buffer", params, 1, 1, false)
	if err == nil {
		o.bufs = bufs
	}
	return err
}

func (o *Adam) Slots(params []*nn.Param) Slots {
	o.m, o.v = state(o.m, params, 1, 2), state(o.v, params, 2, 2)
	return Slots{Step: o.t, Tensors: map[string][][]float32{"exp_avg": cloneAll(o.m), "exp_avg_sq": cloneAll(o.v)}}
}

func (o *Adam) Restore(s Slots, params []*nn.Param) error {
	m, err := restored(s, "exp_avg", params, 1, 2, false)
	if err != nil {
		return err
	}
	v, err := restored(s, "exp_avg_sq", params, 2, 2, true)
	if err != nil {
		return err
	}
	o.m, o.v, o.t = m, v, s.Step
	return nil
}

func (o *RMSProp) Slots(params []*nn.Param) Slots {
	o.v = state(o.v, params, 1, 1)
	return Slots{Tensors: map[string][][]float32{"square_avg": cloneAll(o.v)}}
}

func (o *RMSProp) Restore(s Slots, params []*nn.Param) error {
	v, err := restored(s, "square_avg", params, 1, 1, true)
	if err == nil {
		o.v = v
	}
	return err
}

func (o *Adagrad) Slots(params []*nn.Param) Slots {
	o.sum = state(o.sum, params, 1, 1)
	return Slots{Tensors: map[string][][]float32{"sum": cloneAll(o.sum)}}
}

func (o *Adagrad) Restore(s Slots, params []*nn.Param) error {
	sum, err := restored(s, "sum", params, 1, 1, true)
	if err == nil {
		o.sum = sum
	}
	return err
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
