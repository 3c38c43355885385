// exp, sigmoid and tanh in plain Go, for the elements the assembly leaves
// and for CPUs without it (the WebAssembly playground among them);
// exp_acts_go.go builds silu, gelu_tanh, mish and the elu family on the
// same exponential.
//
// Each computes e^x in float64 from one polynomial: float64's 53 bits
// leave the float32 result within 0.52 ULP (correctly rounded but where the
// exact value lies within 1e-9 of a midpoint; the tests hold them to that).
// Nothing in them branches on an ordinary input, so inputs of either sign
// in random order cost no mispredicted branches. math.Exp and math.Tanh,
// which they replace, do branch on the argument, and were two to four
// times slower (docs/PERFORMANCE.md, "Plain Go without mispredicted
// branches").
//
// The loops widen their inputs to float64 a block at a time before the
// arithmetic (widened, widenedBackward). Widened one at a time among it,
// a conversion waited on the last element's work: CVTSS2SD writes half a
// register, Go does not clear the register first (it does for integer
// conversions), and it often gave the conversion the register where the
// last element's sum had ended. sigmoid over a slice then ran an element
// at a time, 21 ns each (amd64).

package kernels

import "math"

// widenBlock is how many inputs widened converts ahead, on the stack.
const widenBlock = 64

// widened sets y[i] = f(x[i]), each x[i] widened to float64 first.
//
//	x, y: [n]
func widened(y, x []float32, f func(v float64) float32) {
	y = y[:len(x)]
	var buf [widenBlock]float64
	for len(x) > 0 {
		n := min(len(x), widenBlock)
		for i, v := range x[:n] {
			buf[i] = float64(v)
		}
		for i, v := range buf[:n] {
			y[i] = f(v)
		}
		x, y = x[n:], y[n:]
	}
}

// widenedBackward accumulates dX[i] += float32(deriv(x[i])·dOut[i]), the
// product in float64, each x[i] widened first.
//
//	dX, dOut, x: [n]
func widenedBackward(dX, dOut, x []float32, deriv func(v float64) float64) {
	dX, dOut = dX[:len(x)], dOut[:len(x)]
	var buf [widenBlock]float64
	for len(x) > 0 {
		n := min(len(x), widenBlock)
		for i, v := range x[:n] {
			buf[i] = float64(v)
		}
		for i, v := range buf[:n] {
			dX[i] += float32(deriv(v) * float64(dOut[i]))
		}
		x, dX, dOut = x[n:], dX[n:], dOut[n:]
	}
}

// expParts splits e^x = (1 + q)·scale, scale = 2^k with k = round(x/ln 2).
// q, from a Taylor polynomial of degree 8 in r = x − k·ln 2, |r| ≤ ln 2 / 2,
// is within 2.1e−10 of e^r − 1, and within 6.6e−10 of it relative. x is
// clamped to ±700 first, where scale is still a normal float64 (float32
// results saturate long before); NaN gives NaN. The clamp branches, where
// min and max would not: an input beyond ±700 is rare enough for the
// branch to be predicted, and Go's float64 min and max took about 17 ns an
// element in WebAssembly.
func expParts(x float64) (q, scale float64) {
	const (
		log2e = 1.4426950408889634
		ln2   = 0.6931471805599453
		round = 0x1.8p52 // adding it rounds to an integer, held in the low bits
		limit = 700
	)
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

// expOf returns e^x in float64, within 6.6e−10 relative.
func expOf(x float64) float64 {
	q, scale := expParts(x)
	return scale + q*scale
}

// expm1Of returns e^x − 1 in float64, formed without cancelling for tiny
// x: for scale 1, q − 0 (which also keeps −0).
func expm1Of(x float64) float64 {
	q, scale := expParts(x)
	return q*scale - (1 - scale)
}

// expGo returns e^v in float32 within 1 ULP: +Inf above 88.72, 0 below
// −103.97 (through the subnormals), NaN for NaN.
func expGo(v float64) float32 { return float32(expOf(v)) }

// sigmoidGo returns 1/(1+e^−v) in float32 within 1 ULP, subnormal where
// the true value is, NaN for NaN.
func sigmoidGo(v float64) float32 { return float32(1 / (1 + expOf(-v))) }

// tanhGo returns tanh(v) in float32 within 1 ULP, as em/(em+2) with
// em = e^2v − 1 (where 1 − 2/(e^2v+1) would lose every digit of a tiny
// v); ±1 from |v| = 9.011 on, −0 for −0, NaN for NaN. It keeps the sign in
// v rather than taking |v| and setting the sign after: those moves between
// the integer and the float registers made it four times slower (amd64).
func tanhGo(v float64) float32 {
	em := expm1Of(2 * v)
	return float32(em / (em + 2))
}
