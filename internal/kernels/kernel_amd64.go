//go:build amd64 && !purego

package kernels

import "golang.org/x/sys/cpu"

//go:generate go run -C asmgen -tags generate . -pkg kernels -out ../asm_amd64.s -stubs ../asm_stub_amd64.go

// HasAVX2FMA reports whether the assembly kernels run on this CPU.
var HasAVX2FMA = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// microKernel is the assembly kernel where the CPU has it, else the Go one.
var microKernel = func() func(k int, a, b, c []float32, ldc int) {
	if HasAVX2FMA {
		return kernelAVX2
	}
	return kernelGo
}()

// kernelAVX2 calls the assembly micro-kernel; the slices are long enough by
// the driver's construction.
func kernelAVX2(k int, a, b, c []float32, ldc int) {
	_ = a[k*mr-1]
	_ = b[k*nr-1]
	_ = c[(mr-1)*ldc+nr-1]
	gemmKernel6x16(k, &a[0], &b[0], &c[0], ldc)
}

// reluBackwardFast runs the assembly over the longest multiple of 8 and
// returns how many elements it did.
func reluBackwardFast(dX, dOut, x []float32) int {
	n := len(x) &^ 7
	if !HasAVX2FMA || n == 0 {
		return 0
	}
	_, _ = dX[n-1], dOut[n-1]
	reluBackwardAVX2(&dX[0], &dOut[0], &x[0], n)
	return n
}

// dotFast runs the assembly over the longest multiple of 8 and returns how
// many elements it did and their sum.
func dotFast(a, b []float32) (int, float32) {
	n := len(a) &^ 7
	if !HasAVX2FMA || n == 0 {
		return 0, 0
	}
	_ = b[n-1]
	return n, dotAVX2(&a[0], &b[0], n)
}

// unaryFast runs a 16-lane assembly routine over the longest multiple of 16
// and returns how many elements it did.
func unaryFast(y, x []float32, asm func(y, x *float32, n int)) int {
	n := len(x) &^ 15
	if !HasAVX2FMA || n == 0 {
		return 0
	}
	_ = y[n-1]
	asm(&y[0], &x[0], n)
	return n
}

// backwardFast does the same for a backward routine.
func backwardFast(dX, dOut, y []float32, asm func(dX, dOut, y *float32, n int)) int {
	n := len(y) &^ 7
	if !HasAVX2FMA || n == 0 {
		return 0
	}
	_, _ = dX[n-1], dOut[n-1]
	asm(&dX[0], &dOut[0], &y[0], n)
	return n
}

func reluForwardFast(y, x []float32) int { return unaryFast(y, x, reluForwardAVX2) }
func expFast(y, x []float32) int         { return unaryFast(y, x, expAVX2) }
func sigmoidFast(y, x []float32) int     { return unaryFast(y, x, sigmoidAVX2) }
func tanhFast(y, x []float32) int        { return unaryFast(y, x, tanhAVX2) }
func sigmoidBackwardFast(dX, dOut, y []float32) int {
	return backwardFast(dX, dOut, y, sigmoidBackwardAVX2)
}
func tanhBackwardFast(dX, dOut, y []float32) int { return backwardFast(dX, dOut, y, tanhBackwardAVX2) }

func siluFast(y, x []float32) int                { return unaryFast(y, x, siluAVX2) }
func geluFast(y, x []float32) int                { return unaryFast(y, x, geluAVX2) }
func geluTanhFast(y, x []float32) int            { return unaryFast(y, x, geluTanhAVX2) }
func siluBackwardFast(dX, dOut, x []float32) int { return backwardFast(dX, dOut, x, siluBackwardAVX2) }
func geluBackwardFast(dX, dOut, x []float32) int { return backwardFast(dX, dOut, x, geluBackwardAVX2) }
func geluTanhBackwardFast(dX, dOut, x []float32) int {
	return backwardFast(dX, dOut, x, geluTanhBackwardAVX2)
}

func softplusFast(y, x []float32) int { return unaryFast(y, x, softplusAVX2) }
func mishFast(y, x []float32) int     { return unaryFast(y, x, mishAVX2) }
func softplusBackwardFast(dX, dOut, x []float32) int {
	return backwardFast(dX, dOut, x, softplusBackwardAVX2)
}
func mishBackwardFast(dX, dOut, x []float32) int { return backwardFast(dX, dOut, x, mishBackwardAVX2) }

func leakyFast(y, x []float32, slope float32) int {
	n := len(x) &^ 7
	if !HasAVX2FMA || n == 0 {
		return 0
	}
	_ = y[n-1]
	leakyAVX2(&y[0], &x[0], n, slope)
	return n
}

func leakyBackwardFast(dX, dOut, x []float32, slope float32) int {
	n := len(x) &^ 7
	if !HasAVX2FMA || n == 0 {
		return 0
	}
	_, _ = dX[n-1], dOut[n-1]
	leakyBackwardAVX2(&dX[0], &dOut[0], &x[0], n, slope)
	return n
}

func clampFast(y, x []float32, shift, lo, hi, mul float32) int {
	n := len(x) &^ 7
	if !HasAVX2FMA || n == 0 {
		return 0
	}
	_ = y[n-1]
	clampAVX2(&y[0], &x[0], n, shift, lo, hi, mul)
	return n
}

func clampBackwardFast(dX, dOut, x []float32, shift, lo, hi, mul float32) int {
	n := len(x) &^ 7
	if !HasAVX2FMA || n == 0 {
		return 0
	}
	_, _ = dX[n-1], dOut[n-1]
	clampBackwardAVX2(&dX[0], &dOut[0], &x[0], n, shift, lo, hi, mul)
	return n
}

func eluFast(y, x []float32, pos, neg, in float32) int {
	n := len(x) &^ 7
	if !HasAVX2FMA || n == 0 {
		return 0
	}
	_ = y[n-1]
	eluAVX2(&y[0], &x[0], n, pos, neg, in)
	return n
}

func eluBackwardFast(dX, dOut, x []float32, pos, neg, in float32) int {
	n := len(x) &^ 7
	if !HasAVX2FMA || n == 0 {
		return 0
	}
	_, _ = dX[n-1], dOut[n-1]
	eluBackwardAVX2(&dX[0], &dOut[0], &x[0], n, pos, neg, in)
	return n
}

func softsignFast(y, x []float32) int   { return unaryFast(y, x, softsignAVX2) }
func logsigmoidFast(y, x []float32) int { return unaryFast(y, x, logsigmoidAVX2) }
func hardswishFast(y, x []float32) int  { return unaryFast(y, x, hardswishAVX2) }
func softsignBackwardFast(dX, dOut, x []float32) int {
	return backwardFast(dX, dOut, x, softsignBackwardAVX2)
}
func logsigmoidBackwardFast(dX, dOut, x []float32) int {
	return backwardFast(dX, dOut, x, logsigmoidBackwardAVX2)
}
func hardswishBackwardFast(dX, dOut, x []float32) int {
	return backwardFast(dX, dOut, x, hardswishBackwardAVX2)
}
