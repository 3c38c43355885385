// Package optim updates a network's parameters from their gradients, with
// PyTorch's update rules and defaults.
package optim

import "github.com/wigglenn/wiggle/nn"

// Optimizer applies one update to every parameter from its Grad.
type Optimizer interface {
	Step(params []*nn.Param)
}

// SGD is stochastic gradient descent with optional momentum, as
// torch.optim.SGD: with μ = Momentum > 0, buf = μ·buf + g and w −= LR·buf
// (the first step takes buf = g); with μ = 0, w −= LR·g.
type SGD struct {
	LR, Momentum float64

	bufs [][]float32 // one per parameter, in the order Step sees them
}

// Step updates every parameter once.
func (o *SGD) Step(params []*nn.Param) {
	if o.Momentum != 0 && o.bufs == nil {
		o.bufs = make([][]float32, len(params))
		for i, p := range params {
			o.bufs[i] = make([]float32, len(p.Value))
		}
	}
	lr, mu := float32(o.LR), float32(o.Momentum)
	for i, p := range params {
		if mu == 0 {
			for j, g := range p.Grad {
				p.Value[j] -= lr * g
			}
			continue
		}
		buf := o.bufs[i]
		for j, g := range p.Grad {
			buf[j] = mu*buf[j] + g
			p.Value[j] -= lr * buf[j]
		}
	}
}
