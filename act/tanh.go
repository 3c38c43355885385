package act

import "math"

// Tanh returns the hyperbolic tangent, a zero-centred sigmoid:
// tanh(x) = 2σ(2x) − 1.
//
// Range (-1, 1); zero-centred; saturates on both sides. Derivative
// 1 − tanh²(x) ≤ 1 (TanhDeriv).
//
// Special cases are:
//
//	Tanh(±0) = ±0
//	Tanh(±Inf) = ±1
//	Tanh(NaN) = NaN
func Tanh(x float64) float64 { return math.Tanh(x) }

// TanhDeriv returns 1 − tanh²(x), computed as 4e/(1+e)² with e = e^(−2|x|)
// so the tails keep their precision.
//
// Special cases are:
//
//	TanhDeriv(±Inf) = 0
//	TanhDeriv(NaN) = NaN
func TanhDeriv(x float64) float64 {
	e := math.Exp(-2 * math.Abs(x))
	return 4 * e / ((1 + e) * (1 + e))
}

// Softsign returns x/(1+|x|), a tanh-like curve with polynomial tails.
//
// Range (-1, 1); zero-centred; saturates slowly on both sides. Derivative
// 1/(1+|x|)² (SoftsignDeriv).
//
// Special cases are:
//
//	Softsign(±Inf) = ±1 (the limit; PyTorch returns NaN)
//	Softsign(NaN) = NaN
func Softsign(x float64) float64 {
	if math.IsInf(x, 0) {
		return math.Copysign(1, x)
	}
	return x / (1 + math.Abs(x))
}

// SoftsignDeriv returns 1/(1+|x|)², the derivative of Softsign.
//
// Special cases are:
//
//	SoftsignDeriv(±Inf) = 0
//	SoftsignDeriv(NaN) = NaN
func SoftsignDeriv(x float64) float64 {
	d := 1 + math.Abs(x)
	return 1 / (d * d)
}
