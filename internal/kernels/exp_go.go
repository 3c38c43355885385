// exp, sigmoid and tanh in plain Go, for the elements the assembly leaves
// and for CPUs without it (the WebAssembly playground among them);
// exp_acts_go.go builds silu, gelu_tanh, mish and the elu family on the
// same exponential, softplus_go.go softplus and logsigmoid, and
// gelu_go.go gelu.
//
// Each computes e^x in float64 from one polynomial: float64's 53 bits
// leave the float32 result within 0.52 ULP (correctly rounded but where the
// exact value lies within 1e-9 of a midpoint; the tests hold them to that).
// Nothing in them branches on an ordinary input, so inputs of either sign
// in random order cost no mispredicted branches. math.Exp and math.Tanh,
// which they replace, do branch on the argument: sigmoid and tanh were
// 2.3–4.5 times slower through them (docs/PERFORMANCE.md, "Plain Go
// without mispredicted branches").

package kernels

import "math"

// expParts splits e^x = (1 + q)·scale, scale = 2^k with k = round(x/ln 2),
// for a float32 or float64 x. q, from a Taylor polynomial of degree 8 in
// r = x − k·ln 2, |r| ≤ ln 2 / 2, is within 2.1e−10 of e^r − 1, and within
// 6.6e−10 of it relative (k·ln 2 adds below 1e−13 for |k| ≤ 1010). x is
// clamped to ±700 first, where scale is still a normal float64 (float32
// results saturate long before); NaN gives NaN. The clamp branches, where
// min and max would not: an input beyond ±700 is rare enough for the
// branch to be predicted, and Go's float64 min and max took about 17 ns an
// element in WebAssembly.
//
// It is generic so that one body serves both widths, compiled for each.
// A float32 x is widened here rather than in the caller: widened there,
// the conversion was often given the register in which the last
// element's sum had ended, and waited on it (CVTSS2SD writes half a
// register, and Go clears the register first only for integer
// conversions), so that sigmoid over a slice ran one element at a time,
// 21 ns each against 5.5 (amd64). A float32 form in WebAssembly also ran
// silu and mish 5–9% faster than a float64 one called with float64(x).
func expParts[F float32 | float64](x F) (q, scale float64) {
	const (
		log2e = 1.4426950408889634
		ln2   = 0.6931471805599453
		round = 0x1.8p52 // adding it rounds to an integer, held in the low bits
		limit = 700
	)
	v := float64(x)
	if v > limit {
		v = limit
	}
	if v < -limit {
		v = -limit
	}
	t := v*log2e + round
	k := t - round
	r := v - k*ln2
	q = r * (1 + r*(1.0/2+r*(1.0/6+r*(1.0/24+r*(1.0/120+r*(1.0/720+r*(1.0/5040+r*(1.0/40320))))))))
	kBits := int64(math.Float64bits(t)) - int64(math.Float64bits(round))
	return q, math.Float64frombits(uint64(kBits+1023) << 52)
}

// expOf returns e^x in float64, within 6.6e−10 relative.
func expOf[F float32 | float64](x F) float64 {
	q, scale := expParts(x)
	return scale + q*scale
}

// expm1Of returns e^x − 1 in float64, formed without cancelling for tiny
// x: for scale 1, q − 0 (which also keeps −0).
func expm1Of(x float32) float64 {
	q, scale := expParts(x)
	return q*scale - (1 - scale)
}

// expGo returns e^x within 0.52 ULP: +Inf above 88.72, 0 below −103.97
// (through the subnormals), NaN for NaN.
func expGo(x float32) float32 { return float32(expOf(x)) }

// sigmoidGo returns 1/(1+e^−x) within 0.52 ULP, subnormal where the true
// value is, NaN for NaN.
func sigmoidGo(x float32) float32 { return float32(1 / (1 + expOf(-x))) }

// tanhGo returns tanh(x) within 0.52 ULP, as em/(em+2) with em = e^2x − 1
// (where 1 − 2/(e^2x+1) would lose every digit of a tiny x); ±1 from
// |x| = 9.011 on, −0 for −0, NaN for NaN. 2x is exact in float32, or ±Inf
// and clamped. It keeps the sign in x rather than taking |x| and setting
// the sign after: those moves between the integer and the float registers
// made it four times slower (amd64).
func tanhGo(x float32) float32 {
	em := expm1Of(2 * x)
	return float32(em / (em + 2))
}
