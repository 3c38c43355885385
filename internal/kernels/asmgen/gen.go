//go:build generate

// Command asmgen writes wiggle's AVX2/FMA kernels with avo. It is a module of
// its own so that avo is not a dependency of wiggle; run it through
// `go generate ./internal/kernels` (see the go:generate line in
// ../kernel_amd64.go).
package main

import (
	"math"
	"strings"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

func main() {
	ConstraintExpr("amd64,!purego")
	microKernel()
	microKernel512(16, 1)
	packTransposed()
	packRows()
	updates()
	reluForward()
	reluBackward()
	dot()
	vectorMath()
	selfGated()
	softFamily()
	piecewise()
	restFamily()
	Generate()
}

// constants holds each named constant once, however often it is used.
var constants = map[string]Mem{}

func constant(name string, v Constant) Mem {
	if m, ok := constants[name]; ok {
		return m
	}
	constants[name] = ConstData(name, v)
	return constants[name]
}

// bcastBits loads a 32-bit pattern (a mask) into every lane.
func bcastBits(name string, bits uint32) VecVirtual {
	r := YMM()
	VBROADCASTSS(constant(name, U32(bits)), r)
	return r
}

// bcast loads the float32 constant v into every lane of a new register.
// Constants are stored as bit patterns: the assembler would read an
// integral float such as -104 as an integer.
func bcast(name string, v float32) VecVirtual { return bcastBits(name, math.Float32bits(v)) }

// unaryLoop emits func NAME(y, x *float32, n int), applying body to 16
// lanes at a time, as two independent halves so the core can overlap their
// long chains; n must be a multiple of 16.
func unaryLoop(name, doc string, body func(x VecVirtual) VecVirtual) {
	paramUnaryLoop(name, doc, nil, func(x VecVirtual, _ []VecVirtual) VecVirtual { return body(x) })
}

// paramUnaryLoop is unaryLoop for a function with float32 parameters,
// named in params: they follow n in the signature and reach body broadcast
// into registers.
func paramUnaryLoop(name, doc string, params []string, body func(x VecVirtual, p []VecVirtual) VecVirtual) {
	TEXT(name, NOSPLIT, signature("y, x", params))
	Doc(doc)
	y := Load(Param("y"), GP64())
	x := Load(Param("x"), GP64())
	n := Load(Param("n"), GP64())
	p := broadcastParams(params)
	SHRQ(U8(4), n)
	JZ(LabelRef(name + "_done"))
	Label(name + "_loop")
	for half := 0; half < 2; half++ {
		v := YMM()
		VMOVUPS(Mem{Base: x, Disp: 32 * half}, v)
		VMOVUPS(body(v, p), Mem{Base: y, Disp: 32 * half})
	}
	ADDQ(U32(64), x)
	ADDQ(U32(64), y)
	DECQ(n)
	JNZ(LabelRef(name + "_loop"))
	Label(name + "_done")
	VZEROUPPER()
	RET()
}

// backwardLoop emits func NAME(dX, dOut, y *float32, n int), adding
// dOut·deriv(y) to dX, 8 lanes at a time; n must be a multiple of 8.
func backwardLoop(name, doc string, deriv func(y VecVirtual) VecVirtual) {
	paramBackwardLoop(name, doc, "y", nil, func(v VecVirtual, _ []VecVirtual) VecVirtual { return deriv(v) })
}

// backwardXLoop emits func NAME(dX, dOut, x *float32, n int), adding
// dOut·deriv(x) to dX, 8 lanes at a time; n must be a multiple of 8.
func backwardXLoop(name, doc string, deriv func(x VecVirtual) VecVirtual) {
	paramBackwardLoop(name, doc, "x", nil, func(v VecVirtual, _ []VecVirtual) VecVirtual { return deriv(v) })
}

// paramBackwardLoop emits func NAME(dX, dOut, IN *float32, n int,
// params... float32), adding dOut·deriv(IN, params) to dX, 8 lanes at a
// time; n must be a multiple of 8. IN is x or y, whichever deriv reads.
func paramBackwardLoop(name, doc, in string, params []string, deriv func(v VecVirtual, p []VecVirtual) VecVirtual) {
	TEXT(name, NOSPLIT, signature("dX, dOut, "+in, params))
	Doc(doc)
	dx := Load(Param("dX"), GP64())
	dout := Load(Param("dOut"), GP64())
	src := Load(Param(in), GP64())
	n := Load(Param("n"), GP64())
	p := broadcastParams(params)
	SHRQ(U8(3), n)
	JZ(LabelRef(name + "_done"))
	Label(name + "_loop")
	v := YMM()
	VMOVUPS(Mem{Base: src}, v)
	d := deriv(v, p)
	acc := YMM()
	VMOVUPS(Mem{Base: dx}, acc)
	VFMADD231PS(Mem{Base: dout}, d, acc)
	VMOVUPS(acc, Mem{Base: dx})
	ADDQ(U32(32), src)
	ADDQ(U32(32), dout)
	ADDQ(U32(32), dx)
	DECQ(n)
	JNZ(LabelRef(name + "_loop"))
	Label(name + "_done")
	VZEROUPPER()
	RET()
}

// signature is "func(SLICES *float32, n int, PARAMS float32)".
func signature(slices string, params []string) string {
	sig := "func(" + slices + " *float32, n int"
	if len(params) > 0 {
		sig += ", " + strings.Join(params, ", ") + " float32"
	}
	return sig + ")"
}

// broadcastParams loads each named float32 parameter into all lanes of a
// register, in order (the output must not vary).
func broadcastParams(params []string) []VecVirtual {
	regs := make([]VecVirtual, len(params))
	for i, name := range params {
		regs[i] = YMM()
		VBROADCASTSS(Load(Param(name), XMM()), regs[i])
	}
	return regs
}

// clamp returns x limited to [−1e6, 1e6] (or only from below, when low):
// beyond, the gates σ, Φ and φ are exactly 0 or 1, and the clamped factor
// keeps ±Inf·0 from making NaN where the limit is 0 or 1. NaN stays NaN.
func clamp(x VecVirtual, low bool) VecVirtual {
	c := YMM()
	VMAXPS(x, bcast("clamp_lo", -1e6), c) // second source x: NaN passes
	if !low {
		VMINPS(c, bcast("clamp_hi", 1e6), c)
	}
	return c
}

// YMMzero returns a register of zeros.
func YMMzero() VecVirtual {
	z := YMM()
	VXORPS(z, z, z)
	return z
}
