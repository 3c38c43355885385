// hardswish, x·relu6(x + 3)/6, in plain Go, forward and derivative: for
// the elements the assembly leaves and for CPUs without it. Its three
// pieces are chosen by bit selects, as relu.go's loops choose, since a
// branch on an input's side of ±3 is as unpredictable as one on its sign.

package kernels

import "math"

// hardswishGo returns x·relu6(x + 3)/6: −0 for x ≤ −3 (−Inf included), x
// for x ≥ 3, NaN for NaN. As (v·(c + 3))/6 in float64, with v = max(x, −3)
// and c = min(v, 3): the act package's formula, but that −Inf·0 is never
// formed.
//
// v and c are selected between bit patterns in float32, which Go compiles
// to conditional moves. As in relu.go, each candidate is computed before
// its if, or Go keeps the branch (a non-zero constant set inside the if is
// computed there). They come from integer registers, so widening them to
// float64 converts from a register written whole, not one the last
// element's work ended in (see expParts). clampGELU selects the same way;
// a helper shared by the two put hardswishGo past Go's inlining budget,
// and a call an element made it 1.3 times slower on amd64 and 4 times in
// WebAssembly.
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

// hardswishDerivGo returns 0 below −3, x/3 + 1/2 to 3 (1.5 at 3, as
// PyTorch's hardswish_backward), and 1 above; NaN for NaN.
func hardswishDerivGo(x float32) float64 {
	v := float64(x)
	bits, one := math.Float64bits(v/3+0.5), math.Float64bits(1)
	if v < -3 {
		bits = 0
	}
	if v > 3 {
		bits = one
	}
	return math.Float64frombits(bits)
}

// hardswishBackwardGo is HardSwishBackward in plain Go: below −3 it adds
// 0, selected as relu's backward loop selects, so that an infinite or NaN
// dOut adds 0 there as in the assembly and PyTorch.
//
//	dX, dOut, x: [n]
func hardswishBackwardGo(dX, dOut, x []float32) {
	dX, dOut = dX[:len(x)], dOut[:len(x)]
	for i, v := range x {
		g := math.Float32bits(float32(hardswishDerivGo(v) * float64(dOut[i])))
		if v < -3 {
			g = 0
		}
		dX[i] += math.Float32frombits(g)
	}
}
