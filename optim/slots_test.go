package optim

import (
	"math/rand/v2"
	"slices"
	"testing"

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
