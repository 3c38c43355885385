package optim

import (
	"math"

	"github.com/wigglenn/wiggle/nn"
)

// ClipGlobalNorm scales every gradient by maxNorm/(‖g‖ + 1e-6) when the norm
// ‖g‖ of all gradients together exceeds maxNorm, as
// torch.nn.utils.clip_grad_norm_, and returns ‖g‖ before clipping. A
// gradient that is NaN makes ‖g‖ NaN, and every gradient NaN, as
// PyTorch's does (rather than step the others unclipped). A maxNorm that
// is not positive (or NaN) clips nothing: PyTorch's would zero the
// gradients, or turn them round and the step uphill. It panics, naming
// it, on a nil parameter.
func ClipGlobalNorm(params []*nn.Param, maxNorm float64) float64 {
	mustNotBeNil(params)
	var sum float64
	for _, p := range params {
		for _, g := range p.Grad {
			sum += float64(g) * float64(g)
		}
	}
	norm := math.Sqrt(sum)
	if coef := maxNorm / (norm + 1e-6); maxNorm > 0 && (coef < 1 || math.IsNaN(coef)) {
		c := float32(coef)
		for _, p := range params {
			for j := range p.Grad {
				p.Grad[j] *= c
			}
		}
	}
	return norm
}
