// The piecewise-linear activations: relu, leaky_relu (and prelu) and the
// clamps (hardtanh, relu6, hardsigmoid).
//
// Their plain Go loops, which the WebAssembly playground and CPUs without
// the assembly run, choose between the two sides of the kink without a
// branch: half of a layer's inputs are negative, in no order a branch
// predictor could learn, and a mispredicted branch an element made these
// loops 4.4–9× slower on amd64 and 2.5–7× in WebAssembly (docs/
// PERFORMANCE.md). Each loop compares in float32 and selects between bit
// patterns (uint32), which Go compiles to a conditional move on amd64,
// arm64 and wasm; each candidate is computed before the comparison, as one
// computed inside the if would keep the branch. Where a backward pass adds
// nothing (relu's where x <= 0, a clamp's outside its bounds), it adds 0,
// as the assembly's masked sums do: a dX of −0 becomes 0, and an infinite
// dOut adds 0 there, as in PyTorch. Products are converted to float32
// before they are summed: Go may otherwise fuse the multiply and the add
// (it does on arm64), and the assembly rounds the product.

package kernels

import "math"

// ReLU sets y[i] = x[i] < 0 ? 0 : x[i]: NaN and −0 pass through, as in
// PyTorch.
//
//	x, y: [n]
func ReLU(y, x []float32) {
	y = y[:len(x)]
	done := reluForwardFast(y, x)
	reluForwardGo(y[done:], x[done:])
}

// ReLUBackward accumulates dX[i] += dOut[i] where x[i] > 0 (elsewhere it
// adds 0); where x[i] is NaN, dX[i] becomes NaN.
//
//	dX, dOut, x: [n]
func ReLUBackward(dX, dOut, x []float32) {
	dX, dOut = dX[:len(x)], dOut[:len(x)]
	done := reluBackwardFast(dX, dOut, x)
	reluBackwardGo(dX[done:], dOut[done:], x[done:])
}

// reluForwardGo is ReLU in plain Go.
//
//	x, y: [n]
func reluForwardGo(y, x []float32) {
	y = y[:len(x)]
	for i, v := range x {
		bits := math.Float32bits(v)
		if v < 0 {
			bits = 0
		}
		y[i] = math.Float32frombits(bits)
	}
}

// reluBackwardGo is ReLUBackward in plain Go.
//
//	dX, dOut, x: [n]
func reluBackwardGo(dX, dOut, x []float32) {
	dX, dOut = dX[:len(x)], dOut[:len(x)]
	for i, v := range x {
		g, vBits := math.Float32bits(dOut[i]), math.Float32bits(v)
		if !(v > 0) {
			g = 0
		}
		if v != v {
			g = vBits
		}
		dX[i] += math.Float32frombits(g)
	}
}

// LeakyReLU sets y[i] = x[i] > 0 ? x[i] : slope·x[i] (leaky_relu, and prelu
// with one slope).
//
//	x, y: [n]
func LeakyReLU(y, x []float32, slope float32) {
	y = y[:len(x)]
	done := leakyFast(y, x, slope)
	leakyGo(y[done:], x[done:], slope)
}

// LeakyReLUBackward accumulates dX[i] += dOut[i]·(x[i] > 0 ? 1 : slope);
// where x[i] is NaN, dX[i] becomes NaN.
//
//	dX, dOut, x: [n]
func LeakyReLUBackward(dX, dOut, x []float32, slope float32) {
	dX, dOut = dX[:len(x)], dOut[:len(x)]
	done := leakyBackwardFast(dX, dOut, x, slope)
	leakyBackwardGo(dX[done:], dOut[done:], x[done:], slope)
}

// leakyGo is LeakyReLU in plain Go.
//
//	x, y: [n]
func leakyGo(y, x []float32, slope float32) {
	y = y[:len(x)]
	for i, v := range x {
		bits, pos := math.Float32bits(slope*v), math.Float32bits(v)
		if v > 0 {
			bits = pos
		}
		y[i] = math.Float32frombits(bits)
	}
}

// leakyBackwardGo is LeakyReLUBackward in plain Go.
//
//	dX, dOut, x: [n]
func leakyBackwardGo(dX, dOut, x []float32, slope float32) {
	dX, dOut = dX[:len(x)], dOut[:len(x)]
	slopeBits, oneBits := math.Float32bits(slope), math.Float32bits(1)
	for i, v := range x {
		d, vBits := slopeBits, math.Float32bits(v)
		if v > 0 {
			d = oneBits
		}
		if v != v {
			d = vBits
		}
		dX[i] += float32(dOut[i] * math.Float32frombits(d))
	}
}

// Clamp sets y[i] = min(max(x[i]+shift, lo), hi)·mul: hardtanh (shift 0,
// mul 1), relu6 and hardsigmoid (shift 3, lo 0, hi 6, mul 1/6). NaN
// passes. lo must be below hi (the act package checks hardtanh's).
//
//	x, y: [n]
func Clamp(y, x []float32, shift, lo, hi, mul float32) {
	y = y[:len(x)]
	shift = noShift(shift)
	done := clampFast(y, x, shift, lo, hi, mul)
	clampGo(y[done:], x[done:], shift, lo, hi, mul)
}

// ClampBackward accumulates dX[i] += dOut[i]·mul where lo − shift < x[i] <
// hi − shift (elsewhere it adds 0, whatever dOut is); where x[i] is NaN,
// dX[i] becomes NaN. x is compared with the bounds moved, not moved
// itself, as PyTorch compares it: x + 3 rounds to 6 for hardsigmoid's x
// just below 3 (3 − 2⁻²²), where the slope is still 1/6. The bounds must
// move exactly (hardsigmoid's 0 − 3 and 6 − 3 do).
//
//	dX, dOut, x: [n]
func ClampBackward(dX, dOut, x []float32, shift, lo, hi, mul float32) {
	dX, dOut = dX[:len(x)], dOut[:len(x)]
	lo, hi, shift = lo-shift, hi-shift, noShift(0)
	done := clampBackwardFast(dX, dOut, x, shift, lo, hi, mul)
	clampBackwardGo(dX[done:], dOut[done:], x[done:], shift, lo, hi, mul)
}

// noShift is shift, but −0 for 0: adding −0 leaves every x as it is,
// where adding +0 makes −0 +0 (relu6(−0) and hardtanh(−0) are −0, as
// PyTorch's clamps give).
func noShift(shift float32) float32 {
	if shift == 0 {
		return float32(math.Copysign(0, -1))
	}
	return shift
}

// clampGo is Clamp in plain Go.
//
//	x, y: [n]
func clampGo(y, x []float32, shift, lo, hi, mul float32) {
	y = y[:len(x)]
	shift = noShift(shift)
	loBits, hiBits := math.Float32bits(lo), math.Float32bits(hi)
	for i, v := range x {
		v += shift
		bits := math.Float32bits(v)
		if v > hi {
			bits = hiBits
		}
		if v < lo {
			bits = loBits
		}
		y[i] = math.Float32frombits(bits) * mul
	}
}

// clampBackwardGo is ClampBackward in plain Go.
//
//	dX, dOut, x: [n]
func clampBackwardGo(dX, dOut, x []float32, shift, lo, hi, mul float32) {
	dX, dOut = dX[:len(x)], dOut[:len(x)]
	lo, hi, shift = lo-shift, hi-shift, noShift(0) // as ClampBackward moves them (a second time changes nothing: shift is −0 then)
	for i, v := range x {
		g, vBits := math.Float32bits(float32(dOut[i]*mul)), math.Float32bits(v)
		v += shift
		// two ifs, not one of lo < v && v < hi: && is a branch of its own
		if !(v > lo) {
			g = 0
		}
		if !(v < hi) {
			g = 0
		}
		if v != v {
			g = vBits
		}
		dX[i] += math.Float32frombits(g)
	}
}
