// exp, sigmoid and tanh in plain Go, for the elements the assembly leaves
// and for CPUs without it (the WebAssembly playground among them).
//
// Each computes e^x in float64 from a polynomial, without a branch:
// float64's 53 bits leave the float32 result within 1 ULP (correctly
// rounded but where the exact value lies within 1e-9 of a midpoint), and
// no branch means no misprediction on inputs of either sign in random
// order. math.Exp and math.Tanh, which this replaces, branch on the
// argument and took 13 and 26 ns an element (AMD EPYC, Zen 5); the forms
// here take a few.

package kernels

import "math"

// The arguments beyond which float32 e^x is +Inf or 0 (e^89 = 4.5e38,
// e^−104 = 6.8e−46, under half the smallest subnormal): clamping to them
// keeps 2^k a normal float64.
const (
	expMax = 89
	expMin = -104
)

// expParts splits e^x = (1 + q)·scale, scale = 2^k with k = round(x/ln 2),
// for x in [−110, 110] or NaN (then q is NaN). q, from a Taylor
// polynomial of degree 8 in r = x − k·ln 2, |r| ≤ ln 2 / 2, is within
// 2.1e−10 of e^r − 1, and within 6e−10 of it relative.
func expParts(x float64) (q, scale float64) {
	const (
		log2e = 1.4426950408889634
		ln2   = 0.6931471805599453
		round = 0x1.8p52 // adding it rounds to an integer, held in the low bits
	)
	t := x*log2e + round
	k := t - round
	r := x - k*ln2
	q = r * (1 + r*(1.0/2+r*(1.0/6+r*(1.0/24+r*(1.0/120+r*(1.0/720+r*(1.0/5040+r*(1.0/40320))))))))
	kBits := int64(math.Float64bits(t)) - int64(math.Float64bits(round))
	return q, math.Float64frombits(uint64(kBits+1023) << 52)
}

// expGo returns e^x within 1 ULP: +Inf above 88.72, 0 below −103.97
// (through the subnormals), NaN for NaN.
func expGo(x float32) float32 {
	q, scale := expParts(max(min(float64(x), expMax), expMin))
	return float32(scale + q*scale)
}

// sigmoidGo returns 1/(1+e^−x) within 1 ULP, subnormal where the true
// value is, NaN for NaN.
func sigmoidGo(x float32) float32 {
	q, scale := expParts(max(min(-float64(x), -expMin), expMin))
	return float32(1 / (1 + (scale + q*scale)))
}

// tanhGo returns tanh(x) within 1 ULP, as em/(em+2) with em = e^2x − 1,
// formed without cancelling for tiny x (where 1 − 2/(e^2x+1) would lose
// every digit); ±1 from |x| = 9.01 on, −0 for −0, NaN for NaN. It keeps
// the sign in x rather than taking |x| and setting the sign after: those
// moves between the integer and the float registers made it four times
// slower (amd64).
func tanhGo(x float32) float32 {
	q, scale := expParts(2 * max(min(float64(x), 10), -10))
	em := q*scale - (1 - scale) // for scale 1 (tiny x), q − 0 keeps −0
	return float32(em / (em + 2))
}
