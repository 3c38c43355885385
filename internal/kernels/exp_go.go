// exp, sigmoid and tanh in plain Go, for the elements the assembly leaves
// and for CPUs without it (the WebAssembly playground among them).
//
// Each computes e^x in float64 from one polynomial: float64's 53 bits
// leave the float32 result within 1 ULP (correctly rounded but where the
// exact value lies within 1e-9 of a midpoint). Nothing in them branches on
// an ordinary input, so inputs of either sign in random order cost no
// mispredicted branches. math.Exp and math.Tanh, which they replace, do
// branch on the argument: sigmoid took 12 ns an element through them and
// tanh 26, against 5.6 and 6 here (amd64 without the assembly, AMD EPYC
// Zen 5), and in WebAssembly (Node) 45 and 43 ns, against 18 and 19.

package kernels

import "math"

// expParts splits e^x = (1 + q)·scale, scale = 2^k with k = round(x/ln 2).
// It takes x as float32 and widens it itself: widened in the caller,
// in a register the last element's sum had written, the conversion
// waited on that sum (CVTSS2SD writes half a register), and the loop over
// a slice ran one element at a time, 3.7× slower (amd64).
// q, from a Taylor polynomial of degree 8 in r = x − k·ln 2, |r| ≤ ln 2 / 2,
// is within 2.1e−10 of e^r − 1, and within 6e−10 of it relative. x is
// clamped to ±700 first, where scale is still a normal float64 (float32
// results saturate long before); NaN gives NaN. The clamp branches, where
// min and max would not: an input beyond ±700 is rare enough for the
// branch to be predicted, and Go's float64 min and max took 18 ns in
// WebAssembly.
func expParts(x32 float32) (q, scale float64) {
	const (
		log2e = 1.4426950408889634
		ln2   = 0.6931471805599453
		round = 0x1.8p52 // adding it rounds to an integer, held in the low bits
		limit = 700
	)
	x := float64(x32)
	if x > limit {
		x = limit
	}
	if x < -limit {
		x = -limit
	}
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
	q, scale := expParts(x)
	return float32(scale + q*scale)
}

// sigmoidGo returns 1/(1+e^−x) within 1 ULP, subnormal where the true
// value is, NaN for NaN.
func sigmoidGo(x float32) float32 {
	q, scale := expParts(-x)
	return float32(1 / (1 + (scale + q*scale)))
}

// tanhGo returns tanh(x) within 1 ULP, as em/(em+2) with em = e^2x − 1,
// formed without cancelling for tiny x (where 1 − 2/(e^2x+1) would lose
// every digit); ±1 from |x| = 9.01 on, −0 for −0, NaN for NaN. It keeps
// the sign in x rather than taking |x| and setting the sign after: those
// moves between the integer and the float registers made it four times
// slower (amd64).
func tanhGo(x float32) float32 {
	q, scale := expParts(2 * x) // exact, or ±Inf and clamped
	em := q*scale - (1 - scale) // for scale 1 (tiny x), q − 0 keeps −0
	return float32(em / (em + 2))
}
