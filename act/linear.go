package act

import "math"

// Identity returns x: the linear "activation" that leaves a neuron linear.
// Stacked linear layers stay one linear map, so depth adds nothing.
//
// Range (-Inf, +Inf); derivative 1 (IdentityDeriv).
//
// Special cases are:
//
//	Identity(±Inf) = ±Inf
//	Identity(NaN) = NaN
func Identity(x float64) float64 { return x }

// IdentityDeriv returns 1, the derivative of Identity.
//
// Special cases are:
//
//	IdentityDeriv(NaN) = NaN
func IdentityDeriv(x float64) float64 {
	if math.IsNaN(x) {
		return x
	}
	return 1
}

// Step returns the Heaviside step of the perceptron: 1 for x > 0, 0 for
// x < 0, and atZero at x = 0 (PyTorch's torch.heaviside values; 1 by
// default, so Step(x) = 1 for x >= 0).
//
// Range {0, atZero, 1}; derivative 0 everywhere (StepDeriv), which is why gradient
// descent cannot train a network of step units.
//
// Special cases are:
//
//	Step(+Inf) = 1
//	Step(-Inf) = 0
//	Step(±0) = atZero
//	Step(NaN) = NaN
func Step(x, atZero float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return 0
	case x == 0:
		return atZero
	}
	return x // NaN
}

// StepDeriv returns 0, the derivative of Step as autograd takes it (the
// impulse at 0 is ignored).
//
// Special cases are:
//
//	StepDeriv(NaN) = NaN
func StepDeriv(x float64) float64 {
	if math.IsNaN(x) {
		return x
	}
	return 0
}
