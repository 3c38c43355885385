package optim

import (
	"math/rand/v2"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/nn"
)

// BenchmarkStep times one Step of each optimizer over a playground-sized
// network (2-8-8-2: six parameters, 106 values), where the per-parameter
// work around the update kernels shows most.
func BenchmarkStep(b *testing.B) {
	net := nn.NewMLP(2, []int{8, 8}, 2, act.MustNew("tanh"), rand.New(rand.NewPCG(1, 2)))
	params := net.Params()
	for _, p := range params {
		p.Grad = make([]float32, len(p.Value))
		for i := range p.Grad {
			p.Grad[i] = 1e-3
		}
	}
	for _, name := range Names {
		b.Run(name, func(b *testing.B) {
			o, err := New(Config{Name: name, LR: 1e-6})
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				o.Step(params)
			}
		})
	}
}
