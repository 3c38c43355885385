package act

import "math"

// ReLU returns max(0, x), the rectified linear unit. It is cheap (a
// threshold, no exponential) and does not saturate for x > 0, which speeds up
// SGD; a unit whose input stays negative gets no gradient and "dies".
//
// Range [0, +Inf); derivative 1 for x > 0, else 0 (ReLUDeriv; PyTorch's
// relu′(0) = 0).
//
// Special cases are:
//
//	ReLU(+Inf) = +Inf
//	ReLU(-Inf) = 0
//	ReLU(-0) = -0 (as PyTorch)
//	ReLU(NaN) = NaN
func ReLU(x float64) float64 {
	if x < 0 {
		return 0
	}
	return x
}

// ReLUDeriv returns 1 for x > 0 and 0 for x <= 0.
//
// Special cases are:
//
//	ReLUDeriv(NaN) = NaN
func ReLUDeriv(x float64) float64 { return LeakyReLUDeriv(x, 0) }

// LeakyReLU returns x for x > 0 and slope·x otherwise, so a negative input
// still passes a small gradient (PyTorch's negative_slope, default 0.01).
// PReLU is the same function with a learned slope.
//
// Range (-Inf, +Inf) for slope > 0; derivative 1 for x > 0, else slope
// (LeakyReLUDeriv; leaky_relu′(0) = slope).
//
// Special cases are:
//
//	LeakyReLU(+Inf) = +Inf
//	LeakyReLU(-Inf) = -Inf (slope > 0)
//	LeakyReLU(NaN) = NaN
func LeakyReLU(x, slope float64) float64 {
	if x > 0 {
		return x
	}
	return slope * x
}

// LeakyReLUDeriv returns 1 for x > 0 and slope for x <= 0.
//
// Special cases are:
//
//	LeakyReLUDeriv(NaN) = NaN
func LeakyReLUDeriv(x, slope float64) float64 {
	switch {
	case x > 0:
		return 1
	case x <= 0:
		return slope
	}
	return x // NaN
}

// PReLUWeightDeriv returns ∂f/∂slope of LeakyReLU (and PReLU) at x: x for
// x < 0, else 0. It is the gradient that trains PReLU's slope.
//
// Special cases are:
//
//	PReLUWeightDeriv(-Inf) = -Inf
//	PReLUWeightDeriv(NaN) = NaN
func PReLUWeightDeriv(x float64) float64 { return math.Min(x, 0) }
