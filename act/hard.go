package act

import "math"

// HardTanh returns x clamped to [minVal, maxVal] (PyTorch's min_val and
// max_val, defaults −1 and 1): a piecewise-linear tanh.
//
// Range [minVal, maxVal]; derivative 1 strictly inside, 0 outside and at
// the bounds (HardTanhDeriv, PyTorch's convention).
//
// Special cases are:
//
//	HardTanh(+Inf) = maxVal
//	HardTanh(-Inf) = minVal
//	HardTanh(NaN) = NaN
func HardTanh(x, minVal, maxVal float64) float64 {
	switch {
	case x < minVal:
		return minVal
	case x > maxVal:
		return maxVal
	}
	return x
}

// HardTanhDeriv returns 1 for minVal < x < maxVal, else 0.
//
// Special cases are:
//
//	HardTanhDeriv(NaN) = NaN
func HardTanhDeriv(x, minVal, maxVal float64) float64 {
	switch {
	case x > minVal && x < maxVal:
		return 1
	case math.IsNaN(x):
		return x
	}
	return 0
}

// ReLU6 returns min(max(0, x), 6), a ReLU capped at 6.
//
// Range [0, 6]; derivative 1 for 0 < x < 6, else 0 (ReLU6Deriv).
//
// Special cases are:
//
//	ReLU6(+Inf) = 6
//	ReLU6(-Inf) = 0
//	ReLU6(-0) = -0 (as PyTorch)
//	ReLU6(NaN) = NaN
func ReLU6(x float64) float64 { return HardTanh(x, 0, 6) }

// ReLU6Deriv returns 1 for 0 < x < 6, else 0.
//
// Special cases are:
//
//	ReLU6Deriv(NaN) = NaN
func ReLU6Deriv(x float64) float64 { return HardTanhDeriv(x, 0, 6) }

// HardSigmoid returns ReLU6(x+3)/6: 0 for x <= −3, 1 for x >= 3, x/6 + 1/2
// between. A piecewise-linear sigmoid.
//
// Range [0, 1]; derivative 1/6 for −3 < x < 3, else 0 (HardSigmoidDeriv).
//
// Special cases are:
//
//	HardSigmoid(+Inf) = 1
//	HardSigmoid(-Inf) = 0
//	HardSigmoid(NaN) = NaN
func HardSigmoid(x float64) float64 { return ReLU6(x+3) / 6 }

// HardSigmoidDeriv returns 1/6 for −3 < x < 3, else 0.
//
// Special cases are:
//
//	HardSigmoidDeriv(NaN) = NaN
func HardSigmoidDeriv(x float64) float64 { return HardTanhDeriv(x, -3, 3) / 6 }

// HardSwish returns x·ReLU6(x+3)/6, a piecewise-quadratic SiLU (Howard et
// al., MobileNetV3).
//
// Range [−0.375, +Inf); not monotonic. Derivative 0 for x < −3, x/3 + 1/2
// for −3 <= x <= 3, 1 for x > 3 (HardSwishDeriv; at the joins −1/2 at −3
// and 1.5 at 3, as PyTorch 1.13's hardswish_backward gives them in its
// scalar loop, a tensor's elements past its whole vectors; its vectorised
// loop gives 1 at 3, as the shared reference file holds: see
// internal/reftest/actref).
//
// Special cases are:
//
//	HardSwish(+Inf) = +Inf
//	HardSwish(-Inf) = 0 (the limit; PyTorch returns NaN)
//	HardSwish(NaN) = NaN
func HardSwish(x float64) float64 {
	if x <= -3 {
		return math.Copysign(0, x) // −0, as PyTorch; and no −Inf·0
	}
	return x * ReLU6(x+3) / 6
}

// HardSwishDeriv returns the derivative of HardSwish.
//
// Special cases are:
//
//	HardSwishDeriv(NaN) = NaN
func HardSwishDeriv(x float64) float64 {
	switch {
	case x < -3:
		return 0
	case x <= 3: // at 3, 1.5: PyTorch's hardswish_backward takes the middle piece there
		return x/3 + 0.5
	case x > 3:
		return 1
	}
	return x // NaN
}
