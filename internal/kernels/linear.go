package kernels

import "math"

// Identity sets y[i] = x[i], the identity's forward pass: a copy whose
// stores stay in the caches, where the layer after it reads y (Go's copy
// of a megabyte or more stores around them).
//
//	x, y: [n]
func Identity(y, x []float32) {
	y = y[:len(x)]
	done := identityFast(y, x)
	copy(y[done:], x[done:]) // the last few, fewer than a pass
}

// IdentityBackward accumulates dX[i] += dOut[i]; where x[i] is NaN, dX[i]
// becomes NaN.
//
//	dX, dOut, x: [n]
func IdentityBackward(dX, dOut, x []float32) { slopeBackward(dX, dOut, x, 1) }

// stepOf is the step's value by sign bit: 1 above zero, 0 below.
var stepOf = [2]float32{1, 0}

// Step sets y[i] to the Heaviside step of x[i]: 1 for x > 0, 0 for x < 0,
// atZero for ±0, and x[i] itself where it is NaN (its payload kept). The
// plain Go form reads the sign bit rather than comparing, so random signs
// cost no mispredicted branches.
//
//	x, y: [n]
func Step(y, x []float32, atZero float32) {
	y = y[:len(x)]
	for i := stepFast(y, x, atZero); i < len(x); i++ {
		v := x[i]
		bits := math.Float32bits(v)
		magnitude := bits &^ (1 << 31)
		switch {
		case magnitude-1 < 0x7f800000: // neither ±0 nor NaN (±Inf included)
			y[i] = stepOf[bits>>31]
		case magnitude == 0:
			y[i] = atZero
		default:
			y[i] = v
		}
	}
}

// StepBackward accumulates dX[i] += 0·dOut[i], the step's derivative (0
// everywhere, as autograd takes it) times dOut: NaN where dOut[i] is ±Inf
// or NaN, and where x[i] is NaN, dX[i] becomes NaN.
//
//	dX, dOut, x: [n]
func StepBackward(dX, dOut, x []float32) { slopeBackward(dX, dOut, x, 0) }

// slopeBackward accumulates dX[i] += slope·dOut[i] for a function of
// constant slope; where x[i] is NaN, dX[i] becomes NaN: the plain Go
// tail multiplies by x itself there, as the assembly does. (Where two
// NaNs meet, which payload the sum keeps follows the operands' order in
// the instruction, which the compiler chooses.)
func slopeBackward(dX, dOut, x []float32, slope float32) {
	dX, dOut = dX[:len(x)], dOut[:len(x)]
	for i := slopeBackwardFast(dX, dOut, x, slope); i < len(x); i++ {
		d := slope
		if v := x[i]; v != v {
			d = v
		}
		dX[i] += float32(dOut[i] * d)
	}
}
