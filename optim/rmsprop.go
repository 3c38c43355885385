package optim

import (
	"github.com/wigglenn/wiggle/internal/kernels"
	"github.com/wigglenn/wiggle/nn"
)

// RMSProp is torch.optim.RMSprop without momentum or centring:
// v = Alpha·v + (1−Alpha)·g², w −= LR·g/(√v + Eps).
type RMSProp struct {
	LR, Alpha, Eps float64

	state table // square_avg
}

// SetLR sets the learning rate.
func (o *RMSProp) SetLR(lr float64) { o.LR = lr }

// Step updates every parameter once, in float32 as PyTorch does
// (kernels.RMSStep, which also sets a v below 2⁻¹²⁶ to 0 when Eps > 0).
func (o *RMSProp) Step(params []*nn.Param) {
	mustMatchGrads(params)
	cols, _ := o.state.of(params, 1)
	for i, p := range params {
		kernels.RMSStep(p.Value, cols[0][i], p.Grad, float32(o.Alpha), float32(1-o.Alpha), float32(o.LR), float32(o.Eps))
	}
}
