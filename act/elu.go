package act

import "math"

// SELU's constants, from Klambauer et al. (2017), as PyTorch uses them.
const (
	SELUAlpha = 1.6732632423543772848170429916717
	SELUScale = 1.0507009873554804934193349852946
)

// ELU returns x for x > 0 and α(e^x − 1) otherwise (PyTorch's alpha,
// default 1). Its negative outputs push mean activations towards zero.
//
// Range (−α, +Inf); derivative 1 for x > 0, else αe^x (ELUDeriv).
//
// Special cases are:
//
//	ELU(+Inf) = +Inf
//	ELU(-Inf) = −α
//	ELU(NaN) = NaN
func ELU(x, alpha float64) float64 {
	if x > 0 {
		return x
	}
	return alpha * math.Expm1(x)
}

// ELUDeriv returns 1 for x > 0 and αe^x for x <= 0.
//
// Special cases are:
//
//	ELUDeriv(-Inf) = 0
//	ELUDeriv(NaN) = NaN
func ELUDeriv(x, alpha float64) float64 {
	if x > 0 {
		return 1
	}
	return alpha * math.Exp(x)
}

// SELU returns SELUScale·ELU(x, SELUAlpha), the self-normalising unit.
//
// Range (−SELUScale·SELUAlpha ≈ −1.7581, +Inf); derivative SELUScale for
// x > 0, else SELUScale·SELUAlpha·e^x (SELUDeriv).
//
// Special cases are:
//
//	SELU(+Inf) = +Inf
//	SELU(-Inf) = −SELUScale·SELUAlpha
//	SELU(x) overflows float32 to +Inf for x > MaxFloat32/SELUScale
//	SELU(NaN) = NaN
func SELU(x float64) float64 { return SELUScale * ELU(x, SELUAlpha) }

// SELUDeriv returns the derivative of SELU.
//
// Special cases are:
//
//	SELUDeriv(-Inf) = 0
//	SELUDeriv(NaN) = NaN
func SELUDeriv(x float64) float64 { return SELUScale * ELUDeriv(x, SELUAlpha) }

// CELU returns x for x > 0 and α(e^(x/α) − 1) otherwise: ELU made
// continuously differentiable for any α (PyTorch's alpha, default 1, not 0).
//
// Range (−α, +Inf) for α > 0; derivative 1 for x > 0, else e^(x/α)
// (CELUDeriv).
//
// Special cases are:
//
//	CELU(+Inf) = +Inf
//	CELU(-Inf) = −α (α > 0)
//	CELU(NaN) = NaN
func CELU(x, alpha float64) float64 {
	if x > 0 {
		return x
	}
	return alpha * math.Expm1(x/alpha)
}

// CELUDeriv returns 1 for x > 0 and e^(x/α) for x <= 0.
//
// Special cases are:
//
//	CELUDeriv(-Inf) = 0 (α > 0)
//	CELUDeriv(NaN) = NaN
func CELUDeriv(x, alpha float64) float64 {
	if x > 0 {
		return 1
	}
	return math.Exp(x / alpha)
}
