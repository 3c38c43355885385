package optim

import (
	"math"

	"github.com/wigglenn/wiggle/nn"
)

// Adam is torch.optim.Adam (Kingma and Ba), and with WeightDecay > 0
// torch.optim.AdamW (Loshchilov and Hutter) with the decay on weight matrices
// only. At step t:
//
//	w −= LR·WeightDecay·w                  (AdamW, weight matrices)
//	m = β1·m + (1−β1)·g
//	v = β2·v + (1−β2)·g²
//	w −= LR/(1−β1^t) · m / (√v/√(1−β2^t) + Eps)
type Adam struct {
	LR, Beta1, Beta2, Eps float64
	WeightDecay           float64

	t    int
	m, v [][]float32
}

// SetLR sets the learning rate.
func (o *Adam) SetLR(lr float64) { o.LR = lr }

// Step updates every parameter once.
func (o *Adam) Step(params []*nn.Param) {
	o.m, o.v = state(o.m, params), state(o.v, params)
	o.t++
	b1, b2 := o.Beta1, o.Beta2
	stepSize := o.LR / (1 - math.Pow(b1, float64(o.t)))
	sqrtBias2 := math.Sqrt(1 - math.Pow(b2, float64(o.t)))
	for i, p := range params {
		m, v := o.m[i], o.v[i]
		decay := 0.0
		if p.Decay {
			decay = o.LR * o.WeightDecay
		}
		for j, g32 := range p.Grad {
			g := float64(g32)
			w := float64(p.Value[j]) * (1 - decay)
			mj := b1*float64(m[j]) + (1-b1)*g
			vj := b2*float64(v[j]) + (1-b2)*g*g
			m[j], v[j] = float32(mj), float32(vj)
			p.Value[j] = float32(w - stepSize*mj/(math.Sqrt(vj)/sqrtBias2+o.Eps))
		}
	}
}
