package act

import "math"

// SiLU returns x·σ(x), the sigmoid-weighted linear unit (also called swish).
//
// Range [≈−0.2785, +Inf); not monotonic (minimum near x = −1.278).
// Derivative σ(x)(1 + x(1−σ(x))) (SiLUDeriv), at most ≈1.0998.
//
// Special cases are:
//
//	SiLU(+Inf) = +Inf
//	SiLU(-Inf) = 0 (the limit; PyTorch returns NaN)
//	SiLU(NaN) = NaN
func SiLU(x float64) float64 {
	if math.IsInf(x, -1) {
		return 0
	}
	return x * Sigmoid(x)
}

// SiLUDeriv returns σ(x)(1 + x(1−σ(x))), with 1−σ(x) taken as σ(−x).
//
// Special cases are:
//
//	SiLUDeriv(+Inf) = 1
//	SiLUDeriv(-Inf) = 0
//	SiLUDeriv(NaN) = NaN
func SiLUDeriv(x float64) float64 {
	if math.IsInf(x, 0) {
		return ReLUDeriv(x)
	}
	s := Sigmoid(x)
	return s + x*SigmoidDeriv(x)
}

// Mish returns x·tanh(softplus(x)) (Misra, 2019).
//
// Range [≈−0.30884, +Inf); not monotonic. Derivative
// tanh(sp) + x·σ(x)·(1 − tanh²(sp)), sp = softplus(x) (MishDeriv), at most
// ≈1.0885.
//
// Special cases are:
//
//	Mish(+Inf) = +Inf
//	Mish(-Inf) = 0 (the limit; PyTorch returns NaN)
//	Mish(NaN) = NaN
func Mish(x float64) float64 {
	if math.IsInf(x, -1) {
		return 0
	}
	return x * math.Tanh(Softplus(x, 1, math.Inf(1)))
}

// MishDeriv returns the derivative of Mish.
//
// Special cases are:
//
//	MishDeriv(+Inf) = 1
//	MishDeriv(-Inf) = 0
//	MishDeriv(NaN) = NaN
func MishDeriv(x float64) float64 {
	if math.IsInf(x, 0) {
		return ReLUDeriv(x)
	}
	sp := Softplus(x, 1, math.Inf(1))
	return math.Tanh(sp) + x*Sigmoid(x)*TanhDeriv(sp)
}
