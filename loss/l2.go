package loss

import (
	"fmt"

	"github.com/wigglenn/wiggle/nn"
)

// L2 applies L2 regularisation of strength lambda to the weight matrices
// among params (those with Decay set; not biases, not PReLU slopes), CS231n's
// convention: it adds lambda·W to each such gradient and returns the
// penalty (lambda/2)·ΣW² that belongs in the loss. In PyTorch this is
// the penalty added to the loss, and, while no clipping acts, also
// weight_decay=lambda on the weight matrices' parameter group: PyTorch
// adds weight decay inside the step, after clip_grad_norm_, where the
// penalty's gradient (and train's, which calls L2 before clipping) is
// clipped with the data's. Each Grad
// must be as long as its Value, as nn's layers make them (a Replica's or
// BuildSharing's from their first Backward); L2 panics,
// naming the parameter, before it changes anything, where one is not or a
// parameter is nil.
func L2(params []*nn.Param, lambda float64) float64 {
	return lambda / 2 * penalize("L2", params, lambda, func(p *nn.Param, l float32, sum float64) float64 {
		for i, w := range p.Value {
			sum += float64(w) * float64(w)
			p.Grad[i] += l * w
		}
		return sum
	})
}

// penalize is L1's and L2's walk: it checks params (checkPenalized), and
// unless lambda is 0 hands each weight matrix to add, with lambda in
// float32 and the sum so far, which add returns grown by the matrix's
// part of the penalty (before lambda); 0 for lambda 0. The loop over a
// matrix's weights stays in add, without a call a weight.
func penalize(penalty string, params []*nn.Param, lambda float64, add func(p *nn.Param, l float32, sum float64) float64) float64 {
	checkPenalized(penalty, params)
	if lambda == 0 {
		return 0
	}
	var sum float64
	for _, p := range params {
		if p.Decay {
			sum = add(p, float32(lambda), sum)
		}
	}
	return sum
}

// checkPenalized panics, naming the parameter, where one of params is nil
// or a weight matrix's Grad is not as long as its Value.
func checkPenalized(penalty string, params []*nn.Param) {
	for i, p := range params {
		if p == nil {
			panic(fmt.Sprintf("loss: %s: parameter %d is nil", penalty, i))
		}
		if p.Decay && len(p.Grad) != len(p.Value) {
			panic(fmt.Sprintf("loss: %s: parameter %q has %d gradients for %d values", penalty, p.Name, len(p.Grad), len(p.Value)))
		}
	}
}
