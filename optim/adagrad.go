package optim

import (
	"github.com/wigglenn/wiggle/internal/kernels"
	"github.com/wigglenn/wiggle/nn"
)

// Adagrad is torch.optim.Adagrad with no learning-rate decay and a zero
// initial accumulator: s += g², w −= LR·g/(√s + Eps).
type Adagrad struct {
	LR, Eps float64

	state table // sum
}

// SetLR sets the learning rate.
func (o *Adagrad) SetLR(lr float64) { o.LR = lr }

// Step updates every parameter once, in float32 as PyTorch does
// (kernels.RMSStep with keep and scale 1).
func (o *Adagrad) Step(params []*nn.Param) {
	mustMatchGrads(params)
	cols, _ := o.state.of(params, 1)
	for i, p := range params {
		kernels.RMSStep(p.Value, cols[0][i], p.Grad, 1, 1, float32(o.LR), float32(o.Eps))
	}
}
