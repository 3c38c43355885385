package optim

import (
	"github.com/wigglenn/wiggle/internal/kernels"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/tensor"
)

// SGD is torch.optim.SGD without dampening or weight decay. With
// Momentum μ = 0 it is plain SGD, w −= LR·g. Otherwise buf = μ·buf + g (the
// first step takes buf = g) and w −= LR·buf, or w −= LR·(g + μ·buf) with
// Nesterov. One difference from PyTorch: a buffer smaller in magnitude than
// 2⁻¹²⁶/min(LR, μ, 1) becomes 0, rather than shrinking through the
// subnormal numbers (a unit that no longer gets gradients), which are
// slow on Intel cores. Its step, LR·buf, would be below
// 2⁻¹²⁶·max(1, LR/min(μ, 1)): too small to move any but a tiny weight.
type SGD struct {
	LR, Momentum float64
	Nesterov     bool

	state table // momentum_buffer
}

// SetLR sets the learning rate.
func (o *SGD) SetLR(lr float64) { o.LR = lr }

// Step updates every parameter once.
func (o *SGD) Step(params []*nn.Param) {
	mustMatchGrads(params)
	lr, mu := float32(o.LR), float32(o.Momentum)
	if mu == 0 {
		for _, p := range params {
			kernels.Axpy(p.Value, p.Grad, -lr)
		}
		return
	}
	cols, _ := o.state.of(params, 1)
	for i, p := range params {
		if o.Nesterov {
			kernels.NesterovStep(p.Value, cols[0][i], p.Grad, lr, mu)
		} else {
			kernels.MomentumStep(p.Value, cols[0][i], p.Grad, lr, mu)
		}
	}
}

// GradientsAndStep computes net's gradients for a batch whose loss
// gradient is dOut and updates every parameter once: net.Gradients(dOut)
// and then Step(net.Params()), with the same weights and buffers bit for
// bit. With momentum each parameter is stepped as soon as its gradient is
// complete, a Dense layer's weights straight from the product that
// computes their gradient (nn.Sequential.GradientsStepping), so the
// Dense layers' W.Grad need not hold the gradient afterwards. A nil net
// panics with a message, and a nil or broken dOut with a
// *tensor.ShapeError, before anything changes.
func (o *SGD) GradientsAndStep(net *nn.Sequential, dOut *tensor.Matrix) {
	if net == nil {
		panic("optim: GradientsAndStep: a nil network")
	}
	tensor.MustBeWhole("SGD.GradientsAndStep", dOut)
	params := net.Params()
	if float32(o.Momentum) == 0 { // as Step decides
		net.Gradients(dOut)
		o.Step(params)
		return
	}
	cols, _ := o.state.of(params, 1)
	net.GradientsStepping(dOut, nn.Momentum{Bufs: cols[0], LR: float32(o.LR), Mu: float32(o.Momentum), Nesterov: o.Nesterov})
}
