// softplus and logsigmoid in plain Go, forward and derivative: for the
// elements the assembly leaves, for CPUs without it, and for softplus at
// a β or threshold other than PyTorch's defaults (which the assembly has
// built in). Both are built on log(1 + e^−|z|), with e^−|z| from
// exp_go.go and log1p from one series.
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

// softplusParams are softplus's β (not 0), 1/β and threshold: where
// βx > threshold, softplus(x) is x. PyTorch's defaults are β = 1 and
// threshold 20, which the assembly has built in.
type softplusParams struct{ beta, invBeta, threshold float64 }

// newSoftplusParams takes β and the threshold as float32 holds them, as
// PyTorch's float32 kernel does (and an ONNX file of float32 constants):
// softplusGo then jumps to x where PyTorch does, where float32(β·x)
// passes the threshold. β·x itself is exact in float64, two float32s'
// product.
func newSoftplusParams(beta, threshold float64) softplusParams {
	b := float64(float32(beta))
	return softplusParams{beta: b, invBeta: 1 / b, threshold: float64(float32(threshold))}
}

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

// softplusGo returns log(1 + e^(βx))/β = (max(βx, 0) + log(1 + e^−|βx|))/β,
// or x itself where float32(βx) > threshold (+Inf included, for β > 0); 0 where βx
// is −Inf (−0 for β < 0), NaN for NaN. For β = 1, 1/β = 1 and the
// products are exact.
func softplusGo(x float32, p softplusParams) float32 {
	bx := p.beta * float64(x)
	posBits := math.Float64bits(bx)
	if !(bx > 0) {
		posBits = 0
	}
	tail := log1pOf(expOf(-math.Abs(bx)))
	yBits, xBits := math.Float32bits(float32((math.Float64frombits(posBits)+tail)*p.invBeta)), math.Float32bits(x)
	if float64(float32(bx)) > p.threshold {
		yBits = xBits
	}
	return math.Float32frombits(yBits)
}

// softplusDefaultGo is softplusGo at PyTorch's β = 1 and threshold 20,
// bit for bit, in float32 until softTail: the general form widens x in its
// caller, the wait expParts warns of, and took 17.3 ns an element against
// this form's 15.4 (amd64, `-tags purego`). It needs no threshold: from
// x = 17 on, x + log(1 + e^−x) rounds to x in float32 (+Inf included).
func softplusDefaultGo(x float32) float32 {
	posBits := math.Float32bits(x) // NaN stays NaN through softTail
	if !(x > 0) {
		posBits = 0
	}
	return float32(float64(math.Float32frombits(posBits)) + softTail(x))
}

// softplusDefaultDerivGo is softplusDerivGo at β = 1 and threshold 20,
// bit for bit, with x handed to expOf in float32.
func softplusDefaultDerivGo(x float32) float64 {
	if x < gateFloor {
		return 0
	}
	bits, one := math.Float64bits(1/(1+expOf(-x))), math.Float64bits(1)
	if x > 20 {
		bits = one
	}
	return math.Float64frombits(bits)
}

// softplusDerivGo returns σ(βx), or 1 where βx > threshold; 0 where βx is
// below gateFloor, as silu's derivative (exp_acts_go.go).
func softplusDerivGo(x float32, p softplusParams) float64 {
	bx := p.beta * float64(x)
	if bx < gateFloor {
		return 0
	}
	bits, one := math.Float64bits(1/(1+expOf(-bx))), math.Float64bits(1)
	if float64(float32(bx)) > p.threshold {
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

// logSigmoidDerivGo returns σ(−x) = 1 − σ(x) = −(e^y − 1) from y = log σ(x),
// the forward pass's output, as the assembly takes it (oneLessExp): e^y − 1
// keeps its relative precision as y goes to 0 (x to +Inf), −0 giving 0.
func logSigmoidDerivGo(y float32) float64 {
	return -math.Expm1(float64(y))
}
