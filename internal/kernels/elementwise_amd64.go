//go:build amd64 && !purego

package kernels

import "sync"

// The element-wise loops' Go side: each activation's forward and backward
// pass in assembly over the longest stretch its loop takes, with a padded
// block for the tail, in the form the CPU runs (forms_amd64.go).

func reluBackwardFast(dX, dOut, x []float32) int { return backwardFast(dX, dOut, x, reluBackwardAVX2) }

// unaryFast runs an AVX2 forward routine (16 elements a loop) over all of
// x and returns how many elements it did (unaryPadded).
func unaryFast(y, x []float32, asm func(y, x *float32, n int)) int {
	return unaryPadded(y, x, asm, 16)
}

// unaryPadded runs a forward routine of step elements a loop over all of x
// and returns how many elements it did: the longest multiple of step in
// place, and the rest through a padded block, so that every element is
// computed alike wherever it sits in the slice (a row's activations do not
// depend on the rows computed with it).
func unaryPadded(y, x []float32, asm func(y, x *float32, n int), step int) int {
	done := unaryLanes(y, x, asm, step)
	rest := len(x) - done
	if rest == 0 || !HasAVX2FMA {
		return done
	}
	t := tails.Get().(*tailBlock)
	bx, by := t.x[:step], t.y[:step]
	clear(bx[rest:])
	copy(bx, x[done:])
	asm(&by[0], &bx[0], step)
	copy(y[done:], by[:rest])
	tails.Put(t)
	return len(x)
}

// tailBlock is the padded block of unaryPadded and backwardWide, as long
// as the widest loop; blocks are pooled so that the tail allocates nothing.
type tailBlock struct{ x, y, dOut [32]float32 }

var tails = sync.Pool{New: func() any { return new(tailBlock) }}

// unaryWide runs the AVX-512 form of a forward routine (32 elements a
// loop) over all of x where the CPU has it, and the AVX2 form elsewhere:
// one form for every element, as the two may differ in the last bit (the
// AVX-512 forms of sigmoid and its kin start from VRCP14PS's reciprocal).
func unaryWide(y, x []float32, asm2, asm512 func(y, x *float32, n int)) int {
	if HasAVX512 {
		return unaryPadded(y, x, asm512, 32)
	}
	return unaryFast(y, x, asm2)
}

func unaryLanes(y, x []float32, asm func(y, x *float32, n int), step int) int {
	n := len(x) / step * step
	if !HasAVX2FMA || n == 0 {
		return 0
	}
	_ = y[n-1]
	asm(&y[0], &x[0], n)
	return n
}

// backwardFast runs an 8-lane backward routine over the longest multiple of
// 8; its third slice is x or y, as the routine reads.
func backwardFast(dX, dOut, y []float32, asm func(dX, dOut, y *float32, n int)) int {
	return backwardLanes(dX, dOut, y, asm, 8)
}

// backwardWide runs the AVX-512 form of a backward routine (16 lanes) over
// all of the slices where the CPU has it, as unaryWide does, and the AVX2
// form elsewhere (the longest multiple of 8; the caller does the rest).
func backwardWide(dX, dOut, y []float32, asm2, asm512 func(dX, dOut, y *float32, n int)) int {
	if !HasAVX512 || !HasAVX2FMA { // GODEBUG may take AVX2 or FMA away alone
		return backwardFast(dX, dOut, y, asm2)
	}
	done := backwardLanes(dX, dOut, y, asm512, 16)
	rest := len(y) - done
	if rest == 0 {
		return done
	}
	t := tails.Get().(*tailBlock)
	bdX, bdOut, by := t.x[:16], t.dOut[:16], t.y[:16]
	clear(bdX[rest:])
	clear(bdOut[rest:])
	clear(by[rest:])
	copy(bdX, dX[done:])
	copy(bdOut, dOut[done:])
	copy(by, y[done:])
	asm512(&bdX[0], &bdOut[0], &by[0], 16)
	copy(dX[done:], bdX[:rest])
	tails.Put(t)
	return len(y)
}

func backwardLanes(dX, dOut, y []float32, asm func(dX, dOut, y *float32, n int), step int) int {
	n := len(y) / step * step
	if !HasAVX2FMA || n == 0 {
		return 0
	}
	_, _ = dX[n-1], dOut[n-1]
	asm(&dX[0], &dOut[0], &y[0], n)
	return n
}

func reluForwardFast(y, x []float32) int { return unaryFast(y, x, reluForwardAVX2) }
func expFast(y, x []float32) int         { return unaryWide(y, x, expAVX2, byPass(expAVX512, expAVX512Four)) }
func sigmoidFast(y, x []float32) int {
	return unaryWide(y, x, sigmoidAVX2, byPass(sigmoidAVX512, sigmoidAVX512Four))
}
func tanhFast(y, x []float32) int {
	return unaryWide(y, x, tanhAVX2, byPass(tanhAVX512, tanhAVX512Four))
}
func sigmoidBackwardFast(dX, dOut, y []float32) int {
	return backwardWide(dX, dOut, y, sigmoidBackwardAVX2, byPass(sigmoidBackwardAVX512, sigmoidBackwardAVX512Four))
}
func tanhBackwardFast(dX, dOut, y []float32) int {
	return backwardWide(dX, dOut, y, tanhBackwardAVX2, byPass(tanhBackwardAVX512, tanhBackwardAVX512Four))
}

func siluFast(y, x []float32) int {
	return unaryWide(y, x, siluAVX2, byPass(siluAVX512, siluAVX512Four))
}
func geluFast(y, x []float32) int {
	return unaryWide(y, x, geluAVX2, byPass(geluAVX512, geluAVX512Four))
}
func geluTanhFast(y, x []float32) int {
	return unaryWide(y, x, geluTanhAVX2, byPass(geluTanhAVX512, geluTanhAVX512Four))
}
func siluBackwardFast(dX, dOut, x []float32) int {
	return backwardWide(dX, dOut, x, siluBackwardAVX2, byPass(siluBackwardAVX512, siluBackwardAVX512Four))
}
func geluBackwardFast(dX, dOut, x []float32) int {
	return backwardWide(dX, dOut, x, geluBackwardAVX2, byPass(geluBackwardAVX512, geluBackwardAVX512Four))
}
func geluTanhBackwardFast(dX, dOut, x []float32) int {
	return backwardWide(dX, dOut, x, geluTanhBackwardAVX2, byPass(geluTanhBackwardAVX512, geluTanhBackwardAVX512Four))
}

func softplusFast(y, x []float32) int {
	return unaryWide(y, x, softplusAVX2, byPass(softplusAVX512, softplusAVX512Four))
}
func mishFast(y, x []float32) int {
	return unaryWide(y, x, mishAVX2, byPass(mishAVX512, mishAVX512Four))
}
func softplusBackwardFast(dX, dOut, x []float32) int {
	return backwardWide(dX, dOut, x, softplusBackwardAVX2, byPass(softplusBackwardAVX512, softplusBackwardAVX512Four))
}
func mishBackwardFast(dX, dOut, x []float32) int {
	return backwardWide(dX, dOut, x, mishBackwardAVX2, mishBackwardAVX512)
}

// The kernels with parameters bind them in a closure, which stays on the
// stack: unaryFast and backwardFast only call it.
func leakyFast(y, x []float32, slope float32) int {
	return unaryFast(y, x, func(y, x *float32, n int) { leakyAVX2(y, x, n, slope) })
}

func leakyBackwardFast(dX, dOut, x []float32, slope float32) int {
	return backwardFast(dX, dOut, x, func(dX, dOut, x *float32, n int) { leakyBackwardAVX2(dX, dOut, x, n, slope) })
}

func clampFast(y, x []float32, shift, lo, hi, mul float32) int {
	return unaryFast(y, x, func(y, x *float32, n int) { clampAVX2(y, x, n, shift, lo, hi, mul) })
}

func clampBackwardFast(dX, dOut, x []float32, shift, lo, hi, mul float32) int {
	return backwardFast(dX, dOut, x, func(dX, dOut, x *float32, n int) { clampBackwardAVX2(dX, dOut, x, n, shift, lo, hi, mul) })
}

func eluFast(y, x []float32, pos, neg, in float32) int {
	return unaryWide(y, x,
		func(y, x *float32, n int) { eluAVX2(y, x, n, pos, neg, in) },
		func(y, x *float32, n int) { byPass(eluAVX512, eluAVX512Four)(y, x, n, pos, neg, in) })
}

func eluBackwardFast(dX, dOut, x []float32, pos, neg, in float32) int {
	return backwardWide(dX, dOut, x,
		func(dX, dOut, x *float32, n int) { eluBackwardAVX2(dX, dOut, x, n, pos, neg, in) },
		func(dX, dOut, x *float32, n int) {
			byPass(eluBackwardAVX512, eluBackwardAVX512Four)(dX, dOut, x, n, pos, neg, in)
		})
}

func identityFast(y, x []float32) int { return unaryLanes(y, x, identityAVX2, 16) }

func stepFast(y, x []float32, atZero float32) int {
	return unaryFast(y, x, func(y, x *float32, n int) { stepAVX2(y, x, n, atZero) })
}

func slopeBackwardFast(dX, dOut, x []float32, slope float32) int {
	return backwardFast(dX, dOut, x, func(dX, dOut, x *float32, n int) { slopeBackwardAVX2(dX, dOut, x, n, slope) })
}

func softsignFast(y, x []float32) int { return unaryFast(y, x, softsignAVX2) }
func logsigmoidFast(y, x []float32) int {
	return unaryWide(y, x, logsigmoidAVX2, byPass(logsigmoidAVX512, logsigmoidAVX512Four))
}
func hardswishFast(y, x []float32) int {
	return unaryWide(y, x, hardswishAVX2, byPass(hardswishAVX512, hardswishAVX512Four))
}
func softsignBackwardFast(dX, dOut, x []float32) int {
	return backwardFast(dX, dOut, x, softsignBackwardAVX2)
}
func logsigmoidBackwardFast(dX, dOut, y []float32) int {
	return backwardWide(dX, dOut, y, logsigmoidBackwardAVX2, byPass(logsigmoidBackwardAVX512, logsigmoidBackwardAVX512Four))
}
func hardswishBackwardFast(dX, dOut, x []float32) int {
	return backwardWide(dX, dOut, x, hardswishBackwardAVX2, byPass(hardswishBackwardAVX512, hardswishBackwardAVX512Four))
}
