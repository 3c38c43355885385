package loss

import "github.com/wigglenn/wiggle/nn"

// L2 applies L2 regularisation of strength lambda to the weight matrices
// among params (those with Decay set; not biases, not PReLU slopes), CS231n's
// convention: it adds lambda·W to each such gradient and returns the
// penalty (lambda/2)·ΣW² that belongs in the loss. In PyTorch this is
// weight_decay=lambda on the weight matrices' parameter group.
func L2(params []*nn.Param, lambda float64) float64 {
	if lambda == 0 {
		return 0
	}
	var sum float64
	l := float32(lambda)
	for _, p := range params {
		if !p.Decay {
			continue
		}
		for i, w := range p.Value {
			sum += float64(w) * float64(w)
			p.Grad[i] += l * w
		}
	}
	return lambda / 2 * sum
}
