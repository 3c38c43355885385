package act

import "math"

// GELU returns x·Φ(x), Φ the standard normal CDF (Hendrycks and Gimpel): the
// input weighted by the probability that a standard normal is below it.
// This is PyTorch's default, approximate="none"; GELUTanh is the other form.
//
// Range [≈−0.1700, +Inf); not monotonic (a dip to −0.17 near x = −0.75).
// Derivative Φ(x) + xφ(x) (GELUDeriv), at most ≈1.1289.
//
// Special cases are:
//
//	GELU(+Inf) = +Inf
//	GELU(-Inf) = 0 (the limit; PyTorch returns NaN)
//	GELU(x) = -0 for x < −38.5, where x·Φ(x) underflows
//	GELU(NaN) = NaN
func GELU(x float64) float64 {
	if math.IsInf(x, -1) {
		return 0
	}
	return x * normalCDF(x)
}

// GELUDeriv returns Φ(x) + xφ(x), φ the standard normal density.
//
// Special cases are:
//
//	GELUDeriv(+Inf) = 1
//	GELUDeriv(-Inf) = 0
//	GELUDeriv(NaN) = NaN
func GELUDeriv(x float64) float64 {
	if math.IsInf(x, 0) {
		return ReLUDeriv(x)
	}
	return normalCDF(x) + x*normalPDF(x)
}

// normalCDF is Φ(x) = erfc(−x/√2)/2, accurate far into the lower tail.
func normalCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

func normalPDF(x float64) float64 { return math.Exp(-0.5*x*x) / math.Sqrt(2*math.Pi) }

// gelu's tanh approximation: Φ(x) ≈ (1 + tanh(√(2/π)(x + 0.044715x³)))/2.
const (
	sqrt2OverPi = 0.79788456080286535587989211986876
	geluCubic   = 0.044715
)

// GELUTanh returns PyTorch's gelu with approximate="tanh":
// x/2·(1 + tanh(u)), u = √(2/π)(x + 0.044715x³), computed as x·σ(2u) so the
// lower tail keeps its precision.
//
// Range [≈−0.1700, +Inf); not monotonic; derivative at most ≈1.1290
// (GELUTanhDeriv).
//
// Special cases are:
//
//	GELUTanh(+Inf) = +Inf
//	GELUTanh(-Inf) = 0 (the limit; PyTorch returns NaN)
//	GELUTanh(NaN) = NaN
func GELUTanh(x float64) float64 {
	if math.IsInf(x, -1) {
		return 0
	}
	return x * Sigmoid(2*geluTanhArg(x))
}

// GELUTanhDeriv returns the derivative of GELUTanh:
// σ(2u) + x·2σ(2u)(1−σ(2u))·u′, u′ = √(2/π)(1 + 3·0.044715x²).
//
// Special cases are:
//
//	GELUTanhDeriv(+Inf) = 1
//	GELUTanhDeriv(-Inf) = 0
//	GELUTanhDeriv(NaN) = NaN
func GELUTanhDeriv(x float64) float64 {
	if math.IsInf(x, 0) {
		return ReLUDeriv(x)
	}
	u2 := 2 * geluTanhArg(x)
	slope := SigmoidDeriv(u2)
	if slope == 0 { // far tails, where x·u′ may overflow: 0·Inf must not give NaN
		return Sigmoid(u2)
	}
	du := sqrt2OverPi * (1 + 3*geluCubic*x*x)
	return Sigmoid(u2) + x*2*slope*du
}

func geluTanhArg(x float64) float64 { return sqrt2OverPi * (x + geluCubic*x*x*x) }
