package nn

import (
	"github.com/wigglenn/wiggle/internal/kernels"
	"github.com/wigglenn/wiggle/tensor"
)

// Momentum is SGD with momentum over every parameter of a network, as
// GradientsStepping makes it: for parameter i of Params(),
// Bufs[i] = Mu·Bufs[i] + grad and then value −= LR·Bufs[i], or with
// Nesterov value −= LR·(grad + Mu·Bufs[i]) (kernels.MomentumStep and
// NesterovStep, whose buffers below a floor become 0).
type Momentum struct {
	Bufs     [][]float32 // one for each parameter, as long as its values
	LR, Mu   float32
	Nesterov bool
}

// GradientsStepping computes the batch's gradients, as Gradients does,
// and steps every parameter with m as soon as its gradient is complete:
// the weights and buffers get the bits of Gradients and then the step.
// A Dense layer's weight gradient goes straight into its step, a band of
// rows at a time (kernels.Op.Step), without the round trip through
// memory that the gradient's array would cost; so afterwards the Dense
// layers' W.Grad need not hold the batch's gradient (the other
// parameters' Grad do). Where a layer or a parameter appears twice in s
// (weights that serve twice), or s.Layers is not as NewSequential made
// it, it runs Gradients and then the steps. It panics if m has
// not a buffer as long as each parameter.
//
//	dOut: [batch, out]
func (s *Sequential) GradientsStepping(dOut *tensor.Matrix, m Momentum) {
	s.mustNotBeFrozen("GradientsStepping")
	tensor.MustBeWhole("Sequential.GradientsStepping", dOut)
	if len(m.Bufs) != len(s.params) {
		panic(&tensor.ShapeError{Op: "Sequential.GradientsStepping", Detail: "not one momentum buffer for each parameter"})
	}
	for i, p := range s.params {
		if len(m.Bufs[i]) != len(p.Value) {
			panic(&tensor.ShapeError{Op: "Sequential.GradientsStepping", Detail: "a momentum buffer's length is not its parameter's"})
		}
	}
	if !s.asBuilt() {
		s.Gradients(dOut)
		for j := range s.params {
			s.step(m, j)
		}
		return
	}
	for _, p := range s.cleared {
		clear(p.Grad)
	}
	end := len(s.params) // the parameters of s.Layers[:i+1] are s.params[:end]
	for i := len(s.Layers) - 1; i >= 0; i-- {
		d, dense := s.Layers[i].(*Dense)
		if !dense {
			first := end - s.counts[i]
			dOut = s.Layers[i].Backward(dOut)
			for j := first; j < end; j++ { // complete, and read no more in this pass
				s.step(m, j)
			}
			end = first
			continue
		}
		w, b := end-2, end-1 // d's W and B
		// s holds the step, so a pointer to it allocates nothing; the product
		// is done with it when setGradients returns.
		s.update = kernels.MomentumUpdate{W: d.W.Value, Buf: m.Bufs[w], LR: m.LR, Mu: m.Mu, Nesterov: m.Nesterov}
		dOut = d.setGradients(dOut, i > 0, &s.update) // the first layer's dX: see BackwardParams
		s.step(m, b)
		end = w
	}
}

// step steps parameter j with m.
func (s *Sequential) step(m Momentum, j int) {
	p := s.params[j]
	if m.Nesterov {
		kernels.NesterovStep(p.Value, m.Bufs[j], p.Grad, m.LR, m.Mu)
		return
	}
	kernels.MomentumStep(p.Value, m.Bufs[j], p.Grad, m.LR, m.Mu)
}
