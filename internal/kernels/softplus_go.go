// softplus and logsigmoid in plain Go, forward and derivative: for the
// elements the assembly leaves and for CPUs without it. Both are built on
// log(1 + e^−|x|), with e^−|x| from exp_go.go and log1p from one series.
//
// log1p(e) for e in [0, 1] is 2·atanh(s) with s = e/(2 + e) ≤ 1/3: the odd
// series 2s(1 + s²/3 + s⁴/5 + …), cut after s¹⁸/19, where the rest is
// below 1.5e−11 of the sum. Nothing in it cancels, so a tiny e keeps its
// digits (log1p(e) ≈ e), and with the exponential's 6.6e−10 each result
// is within 0.52 ULP of float64. math.Log1p and math.Exp, which this
// replaces, branch on their argument (about 30 ns an element on amd64);
// these forms select between the sides of x = 0 as relu.go's loops do.

package kernels

import "math"

// softplusThreshold is PyTorch's default: above it softplus(x) is x.
const softplusThreshold = 20

// log1pOf returns log(1 + e) for e in [0, 1], within 1.5e−11 relative.
func log1pOf(e float64) float64 {
	s := e / (2 + e)
	w := s * s
	// Estrin's scheme, as in gelu_go.go
	w2 := w * w
	w4 := w2 * w2
	low := (1 + w*(1.0/3)) + w2*(1.0/5+w*(1.0/7))
	high := (1.0/9 + w*(1.0/11)) + w2*(1.0/13+w*(1.0/15))
	top := 1.0/17 + w*(1.0/19)
	return 2 * s * (low + w4*(high+w4*top))
}

// softTail returns log(1 + e^−|x|), in (0, log 2]; NaN for NaN. −|x| is
// formed in an integer register, so that it is widened from a register
// just written whole (see expParts).
func softTail(x float32) float64 {
	negAbs := math.Float32frombits(math.Float32bits(x) | 1<<31)
	return log1pOf(expOf(negAbs))
}

// softplusGo returns log(1 + e^x) = max(x, 0) + log(1 + e^−|x|), or x
// itself above softplusThreshold (+Inf included); 0 at −Inf, NaN for NaN.
func softplusGo(x float32) float32 {
	xBits := math.Float32bits(x)
	posBits := xBits
	if !(x > 0) {
		posBits = 0
	}
	yBits := math.Float32bits(float32(float64(math.Float32frombits(posBits)) + softTail(x)))
	if x > softplusThreshold {
		yBits = xBits
	}
	return math.Float32frombits(yBits)
}

// softplusDerivGo returns σ(x), or 1 above softplusThreshold; 0 below
// gateFloor, as silu's derivative (exp_acts_go.go).
func softplusDerivGo(x float32) float64 {
	if x < gateFloor {
		return 0
	}
	bits, one := math.Float64bits(1/(1+expOf(-x))), math.Float64bits(1)
	if x > softplusThreshold {
		bits = one
	}
	return math.Float64frombits(bits)
}

// logSigmoidGo returns log σ(x) = min(x, 0) − log(1 + e^−|x|): −Inf at
// −Inf, −0 at +Inf, NaN for NaN.
func logSigmoidGo(x float32) float32 {
	minBits := math.Float32bits(x) // NaN stays NaN
	if x > 0 {
		minBits = 0
	}
	return float32(float64(math.Float32frombits(minBits)) - softTail(x))
}

// logSigmoidDerivGo returns σ(−x) = 1/(1 + e^x); 0 above −gateFloor, as
// softplus′ below gateFloor.
func logSigmoidDerivGo(x float32) float64 {
	if x > -gateFloor {
		return 0
	}
	return 1 / (1 + expOf(x))
}
