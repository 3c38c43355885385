// softsign and hardswish in plain Go, forward and derivative: for the
// elements the assembly leaves and for CPUs without it. Each computes in
// float64 and, forward, rounds once to float32. hardswish's three pieces
// are chosen by bit selects, as relu.go's loops choose, since a branch on
// an input's side of ±3 is as unpredictable as one on its sign; as there,
// each candidate is computed before its if, constants included, or Go
// keeps the branch.

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

// hardswishGo returns x·relu6(x + 3)/6: −0 for x ≤ −3 (−Inf included), x
// for x ≥ 3, NaN for NaN. As (v·(c + 3))/6 in float64, with v = max(x, −3)
// and c = min(v, 3) selected in float32: the act package's formula, but
// that −Inf·0 is never formed.
func hardswishGo(x float32) float32 {
	vBits, lowest, highest := math.Float32bits(x), math.Float32bits(-3), math.Float32bits(3)
	if x < -3 {
		vBits = lowest
	}
	cBits := vBits
	if x > 3 {
		cBits = highest
	}
	v := float64(math.Float32frombits(vBits))
	return float32(v * (float64(math.Float32frombits(cBits)) + 3) / 6)
}

// hardswishDerivGo returns 0 below −3, x/3 + 1/2 below 3, and 1 from 3 on;
// NaN for NaN.
func hardswishDerivGo(x float32) float64 {
	v := float64(x)
	bits, one := math.Float64bits(v/3+0.5), math.Float64bits(1)
	if v < -3 {
		bits = 0
	}
	if v >= 3 {
		bits = one
	}
	return math.Float64frombits(bits)
}
