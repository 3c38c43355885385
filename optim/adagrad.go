package optim

import (
	"math"

	"github.com/wigglenn/wiggle/nn"
)

// Adagrad is torch.optim.Adagrad with no learning-rate decay and a zero
// initial accumulator: s += g², w −= LR·g/(√s + Eps).
type Adagrad struct {
	LR, Eps float64

	sum [][]float32
}

// SetLR sets the learning rate.
func (o *Adagrad) SetLR(lr float64) { o.LR = lr }

// Step updates every parameter once.
func (o *Adagrad) Step(params []*nn.Param) {
	o.sum = state(o.sum, params)
	for i, p := range params {
		s := o.sum[i]
		for j, g32 := range p.Grad {
			g := float64(g32)
			sj := float64(s[j]) + g*g
			s[j] = float32(sj)
			p.Value[j] = float32(float64(p.Value[j]) - o.LR*g/(math.Sqrt(sj)+o.Eps))
		}
	}
}
