// softsign, x/(1 + |x|), in plain Go, forward and derivative: for the
// elements the assembly leaves and for CPUs without it. It computes in
// float64 and, forward, rounds once to float32; |x| is a bit operation,
// so nothing branches on an ordinary input.

package kernels

import "math"

// softsignWide stands in for ±Inf in softsign: 1e30/(1 + 1e30) is 1 in
// float64, where Inf/Inf is NaN.
const softsignWide = 1e30

// softsignGo returns x/(1 + |x|): ±1 at ±Inf, NaN for NaN.
func softsignGo(x float32) float32 {
	v := float64(x)
	if v > softsignWide { // predicted: only +Inf and the last float32s take it
		v = softsignWide
	}
	if v < -softsignWide {
		v = -softsignWide
	}
	return float32(v / (1 + math.Abs(v)))
}

// softsignDerivGo returns 1/(1 + |x|)²: 0 at ±Inf.
func softsignDerivGo(x float32) float64 {
	d := 1 + math.Abs(float64(x))
	return 1 / (d * d)
}
