package loss

import "github.com/wigglenn/wiggle/nn"

// L1 applies L1 regularisation of strength lambda to the weight matrices
// among params (those with Decay set, as for L2): it adds lambda·sign(W)
// to each such gradient and returns the penalty lambda·Σ|W| that belongs
// in the loss. It pulls every weight toward 0 by the same amount whatever
// its size, so small weights reach 0 and the network grows sparse, where
// L2's pull shrinks with the weight. In PyTorch this is
// lambda·Σ|W| added to the loss before backward (no optimizer has it).
//
// Special cases are:
//
//	sign(±0) = 0: a weight at 0 is not pulled (PyTorch's derivative of |w|)
//	sign(NaN) = 0: the gradient gets nothing (PyTorch's), the penalty is NaN
//
// Each Grad must be as long as its Value; L1 panics, naming the
// parameter, before it changes anything, where one is not or a parameter
// is nil.
func L1(params []*nn.Param, lambda float64) float64 {
	return lambda * penalize("L1", params, lambda, func(p *nn.Param, l float32, sum float64) float64 {
		for i, w := range p.Value {
			switch {
			case w > 0:
				sum += float64(w)
				p.Grad[i] += l
			case w < 0:
				sum -= float64(w)
				p.Grad[i] -= l
			case w != w: // NaN
				sum += float64(w)
			}
		}
		return sum
	})
}
