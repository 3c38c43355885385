package act

import "math"

// Sigmoid returns the logistic function σ(x) = 1/(1+e^-x), computed without
// overflow on either side.
//
// Range (0, 1) (rounding reaches 0 and 1 for |x| ≳ 104 and 17 in float32);
// not zero-centred; saturates on both sides. Derivative σ(x)(1−σ(x)) ≤ 1/4
// (SigmoidDeriv).
//
// Special cases are:
//
//	Sigmoid(+Inf) = 1
//	Sigmoid(-Inf) = 0
//	Sigmoid(NaN) = NaN
func Sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x) // x < 0 or NaN: e ≤ 1, no overflow
	return e / (1 + e)
}

// SigmoidDeriv returns σ′(x) = σ(x)(1−σ(x)) = e/(1+e)² with e = e^-|x|,
// accurate in the tails where 1−σ(x) would round to 0.
//
// Special cases are:
//
//	SigmoidDeriv(±Inf) = 0
//	SigmoidDeriv(NaN) = NaN
func SigmoidDeriv(x float64) float64 {
	e := math.Exp(-math.Abs(x))
	return e / ((1 + e) * (1 + e))
}

// Softplus returns log(1+e^(βx))/β, a smooth ReLU, or x itself where
// βx > threshold (PyTorch's switch to the linear branch; defaults β = 1,
// threshold = 20).
//
// Range (0, +Inf) for β > 0; derivative σ(βx), or 1 on the linear branch
// (SoftplusDeriv).
//
// Special cases are:
//
//	Softplus(+Inf) = +Inf (β > 0)
//	Softplus(-Inf) = 0 (β > 0)
//	Softplus(x) = x for βx > threshold, so Softplus(1000) = 1000
//	Softplus(NaN) = NaN
func Softplus(x, beta, threshold float64) float64 {
	bx := beta * x
	if bx > threshold {
		return x
	}
	return (math.Max(bx, 0) + math.Log1p(math.Exp(-math.Abs(bx)))) / beta
}

// SoftplusDeriv returns the derivative of Softplus: σ(βx), or 1 where
// βx > threshold.
//
// Special cases are:
//
//	SoftplusDeriv(+Inf) = 1 (β > 0)
//	SoftplusDeriv(-Inf) = 0 (β > 0)
//	SoftplusDeriv(NaN) = NaN
func SoftplusDeriv(x, beta, threshold float64) float64 {
	bx := beta * x
	if bx > threshold {
		return 1
	}
	return Sigmoid(bx)
}

// LogSigmoid returns log σ(x) = −softplus(−x) = min(x, 0) − log(1+e^-|x|),
// finite wherever the true value is: LogSigmoid(-200) = -200.
//
// Range (-Inf, 0); derivative σ(−x) = 1−σ(x) (LogSigmoidDeriv).
//
// Special cases are:
//
//	LogSigmoid(+Inf) = 0
//	LogSigmoid(-Inf) = -Inf
//	LogSigmoid(NaN) = NaN
func LogSigmoid(x float64) float64 {
	return math.Min(x, 0) - math.Log1p(math.Exp(-math.Abs(x)))
}

// LogSigmoidDeriv returns σ(−x), the derivative of LogSigmoid.
//
// Special cases are:
//
//	LogSigmoidDeriv(+Inf) = 0
//	LogSigmoidDeriv(-Inf) = 1
//	LogSigmoidDeriv(NaN) = NaN
func LogSigmoidDeriv(x float64) float64 { return Sigmoid(-x) }
