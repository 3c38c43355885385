package optim

import (
	"math"

	"github.com/wigglenn/wiggle/nn"
)

// RMSProp is torch.optim.RMSprop without momentum or centring:
// v = Alpha·v + (1−Alpha)·g², w −= LR·g/(√v + Eps).
type RMSProp struct {
	LR, Alpha, Eps float64

	v [][]float32
}

// SetLR sets the learning rate.
func (o *RMSProp) SetLR(lr float64) { o.LR = lr }

// Step updates every parameter once.
func (o *RMSProp) Step(params []*nn.Param) {
	o.v = state(o.v, params)
	for i, p := range params {
		v := o.v[i]
		for j, g32 := range p.Grad {
			g := float64(g32)
			vj := o.Alpha*float64(v[j]) + (1-o.Alpha)*g*g
			v[j] = float32(vj)
			p.Value[j] = float32(float64(p.Value[j]) - o.LR*g/(math.Sqrt(vj)+o.Eps))
		}
	}
}
