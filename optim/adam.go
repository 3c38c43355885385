package optim

import (
	"math"

	"github.com/wigglenn/wiggle/internal/kernels"
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

	state table // exp_avg, exp_avg_sq, and each parameter's t
}

// SetLR sets the learning rate.
func (o *Adam) SetLR(lr float64) { o.LR = lr }

// Step updates every parameter once, in float32 as PyTorch does
// (kernels.AdamStep, which also sets moments below 2⁻¹²⁶ to 0 when Eps > 0).
func (o *Adam) Step(params []*nn.Param) {
	mustMatchGrads(params)
	cols, rows := o.state.of(params, 2)
	a := kernels.Adam{
		Keep:   1,
		Beta1:  float32(o.Beta1),
		Scale1: float32(1 - o.Beta1), // rounded once, as PyTorch's alpha: 1 − float32(β) loses 1 − β near 1
		Beta2:  float32(o.Beta2),
		Scale2: float32(1 - o.Beta2),
		Eps:    float32(o.Eps),
	}
	decayed := float32(1 - o.LR*o.WeightDecay)
	last := -1 // the t a.StepSize and a.Correction are for: most steps, every parameter's
	for i, p := range params {
		rows[i].step++ // t is each parameter's own, as PyTorch's state["step"]
		if t := rows[i].step; t != last {
			a.StepSize = float32(o.LR / (1 - math.Pow(o.Beta1, float64(t))))
			a.Correction = float32(math.Sqrt(1 - math.Pow(o.Beta2, float64(t))))
			last = t
		}
		a.Keep = 1
		if p.Decay {
			a.Keep = decayed
		}
		kernels.AdamStep(p.Value, cols[0][i], cols[1][i], p.Grad, a)
	}
}
