//go:build generate

// Command asmgen writes wiggle's AVX2/FMA and AVX-512 kernels with avo. It is
// a module of its own so that avo is not a dependency of wiggle; run it through
// `go generate ./internal/kernels` (see the go:generate line in
// ../kernel_amd64.go).
package main

import (
	"fmt"
	"math"
	"math/bits"
	"strings"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

func main() {
	ConstraintExpr("amd64,!purego")
	microKernel()
	microKernel512(16, 1)
	microKernel512(1, 8) // one row, for a row of inference: 128 columns at a time
	microKernel512(1, 1)
	rowKernelAVX2(8)
	rowKernelAVX2(2)
	for _, panels := range []int{8, 4, 2} {
		rowPanelKernel(true, panels)
	}
	for _, panels := range []int{4, 2} {
		rowPanelKernel(false, panels)
	}
	packTransposed()
	packTransposed512()
	packRows()
	pause()
	gemv()
	updates()
	reluForward()
	reluBackward()
	dot()
	vectorMath()
	selfGated()
	softFamily()
	piecewise()
	eluFamily()
	restFamily()
	width = avx512 // exp, sigmoid, tanh, silu, gelu (both forms), softplus, mish and the elu family again, 16 lanes wide
	vectorMath()
	selfGated()
	softFamily()
	eluFamily()
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

// loaded holds, while an AVX-512 routine is emitted, the registers its
// constants were broadcast into, so that each is loaded once a loop
// iteration rather than at every use: the 32 ZMM registers have room for
// them (the 16 YMM registers do not, so AVX2 loads a constant at each use).
var loaded = map[string]VecVirtual{}

// bcastBits returns a register holding a 32-bit pattern (a mask) in every
// lane. The caller must not write to it (see bcastInit).
func bcastBits(name string, pattern uint32) VecVirtual {
	if r, ok := loaded[name]; ok {
		return r
	}
	r := bcastInitBits(name, pattern)
	if width == avx512 && len(loaded) < maxLoaded {
		loaded[name] = r
	}
	return r
}

// maxLoaded bounds the constants an AVX-512 routine keeps in registers:
// the longest (mish's backward: exp, log, tanh and σ) would otherwise
// need more than the 32 ZMM registers; past it, a constant is loaded at
// each use.
const maxLoaded = 20

// bcastInitBits loads a 32-bit pattern into every lane of a new register,
// which the caller may then overwrite.
func bcastInitBits(name string, pattern uint32) VecVirtual {
	r := vec()
	VBROADCASTSS(constant(name, U32(pattern)), r)
	return r
}

// bcastInit is bcast for a register the caller will overwrite: the first
// value of an accumulator.
func bcastInit(name string, v float32) VecVirtual { return bcastInitBits(name, math.Float32bits(v)) }

// bcast loads the float32 constant v into every lane of a new register.
// Constants are stored as bit patterns: the assembler would read an
// integral float such as -104 as an integer.
func bcast(name string, v float32) VecVirtual { return bcastBits(name, math.Float32bits(v)) }

// form is the vector width the element-wise kernels are being emitted for:
// AVX2 (8 lanes in YMM registers, masks in vectors) or AVX-512 (16 lanes in
// ZMM registers, masks in K registers). The same bodies emit both.
type form struct {
	suffix string // of the routines' names
	lanes  int
}

var (
	avx2   = form{"AVX2", 8}
	avx512 = form{"AVX512", 16}
	width  = avx2 // the form being emitted
)

// vec returns a new vector register of the current width.
func vec() VecVirtual {
	if width == avx512 {
		return ZMM()
	}
	return YMM()
}

// mask is the result of a lane-wise comparison: a vector of all-ones lanes
// (AVX2) or a K register (AVX-512).
type mask struct {
	v VecVirtual
	k OpmaskVirtual
}

// compare returns the lanes where a PRED b, PRED a VCMPPS predicate.
func compare(pred uint8, b Op, a VecVirtual) mask {
	if width == avx512 {
		k := K()
		VCMPPS(U8(pred), b, a, k)
		return mask{k: k}
	}
	m := YMM()
	VCMPPS(U8(pred), b, a, m)
	return mask{v: m}
}

// negative returns the lanes of x whose sign bit is set (−0 and negative
// NaNs included), as VBLENDVPS reads them.
func negative(x VecVirtual) mask {
	if width == avx512 {
		k := K()
		VPMOVD2M(x, k)
		return mask{k: k}
	}
	return mask{v: x}
}

// blend sets dst to ifSet in the lanes of m and to ifClear elsewhere.
func blend(m mask, ifSet, ifClear Op, dst VecVirtual) {
	if width == avx512 {
		VBLENDMPS(ifSet, ifClear, m.k, dst)
		return
	}
	VBLENDVPS(m.v, ifSet, ifClear, dst)
}

// keepWhere sets v to 0 in the lanes outside m: with AVX2 an and with the
// mask, a single operation where a blend takes more.
func keepWhere(m mask, v VecVirtual) {
	if width == avx512 {
		blend(m, v, vecZero(), v)
		return
	}
	VANDPS(m.v, v, v)
}

// routine names a routine of the current form and completes its doc line
// with the length rule; multiple is the lanes a loop iteration takes.
func routine(name, what string, multiple int) (string, string) {
	clear(loaded)
	full := name + width.suffix
	return full, fmt.Sprintf("%s %s; n must be a multiple of %d.", full, what, multiple)
}

// unaryLoop emits func NAME(y, x *float32, n int), applying body to two
// vectors at a time, as independent halves so the core can overlap their
// long chains; n must be a multiple of twice the lanes.
func unaryLoop(name, what string, body func(x VecVirtual) VecVirtual) {
	paramUnaryLoop(name, what, nil, func(x VecVirtual, _ []VecVirtual) VecVirtual { return body(x) })
}

// paramUnaryLoop is unaryLoop for a function with float32 parameters,
// named in params: they follow n in the signature and reach body broadcast
// into registers.
func paramUnaryLoop(name, what string, params []string, body func(x VecVirtual, p []VecVirtual) VecVirtual) {
	step := 2 * width.lanes
	name, doc := routine(name, what, step)
	TEXT(name, NOSPLIT, signature("y, x", params))
	Doc(doc)
	y := Load(Param("y"), GP64())
	x := Load(Param("x"), GP64())
	n := Load(Param("n"), GP64())
	p := broadcastParams(params)
	SHRQ(U8(bits.TrailingZeros(uint(step))), n)
	JZ(LabelRef(name + "_done"))
	Label(name + "_loop")
	for half := 0; half < 2; half++ {
		v := vec()
		VMOVUPS(Mem{Base: x, Disp: 4 * width.lanes * half}, v)
		VMOVUPS(body(v, p), Mem{Base: y, Disp: 4 * width.lanes * half})
	}
	ADDQ(U32(4*step), x)
	ADDQ(U32(4*step), y)
	DECQ(n)
	JNZ(LabelRef(name + "_loop"))
	Label(name + "_done")
	VZEROUPPER()
	RET()
}

// backwardLoop emits func NAME(dX, dOut, y *float32, n int), adding
// dOut·deriv(y) to dX, a vector at a time; n must be a multiple of the lanes.
func backwardLoop(name, what string, deriv func(y VecVirtual) VecVirtual) {
	paramBackwardLoop(name, what, "y", nil, func(v VecVirtual, _ []VecVirtual) VecVirtual { return deriv(v) })
}

// backwardXLoop emits func NAME(dX, dOut, x *float32, n int), adding
// dOut·deriv(x) to dX, a vector at a time; n must be a multiple of the lanes.
func backwardXLoop(name, what string, deriv func(x VecVirtual) VecVirtual) {
	paramBackwardLoop(name, what, "x", nil, func(v VecVirtual, _ []VecVirtual) VecVirtual { return deriv(v) })
}

// paramBackwardLoop emits func NAME(dX, dOut, IN *float32, n int,
// params... float32), adding dOut·deriv(IN, params) to dX, a vector at a
// time; n must be a multiple of the lanes. IN is x or y, whichever deriv
// reads.
func paramBackwardLoop(name, what, in string, params []string, deriv func(v VecVirtual, p []VecVirtual) VecVirtual) {
	step := width.lanes
	name, doc := routine(name, what, step)
	TEXT(name, NOSPLIT, signature("dX, dOut, "+in, params))
	Doc(doc)
	dx := Load(Param("dX"), GP64())
	dout := Load(Param("dOut"), GP64())
	src := Load(Param(in), GP64())
	n := Load(Param("n"), GP64())
	p := broadcastParams(params)
	SHRQ(U8(bits.TrailingZeros(uint(step))), n)
	JZ(LabelRef(name + "_done"))
	Label(name + "_loop")
	v := vec()
	VMOVUPS(Mem{Base: src}, v)
	d := deriv(v, p)
	acc := vec()
	VMOVUPS(Mem{Base: dx}, acc)
	VFMADD231PS(Mem{Base: dout}, d, acc)
	VMOVUPS(acc, Mem{Base: dx})
	ADDQ(U32(4*step), src)
	ADDQ(U32(4*step), dout)
	ADDQ(U32(4*step), dx)
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
		regs[i] = vec()
		VBROADCASTSS(paramAddr(name), regs[i])
	}
	return regs
}

// paramAddr is the stack slot of a float32 parameter, for VBROADCASTSS
// to read straight from memory. Loading it first with MOVSS, a legacy SSE
// instruction, costs an SSE/AVX transition each time once YMM registers
// are in use: an Adam loop doing that ran a hundred times slower.
func paramAddr(name string) Mem {
	b, err := Param(name).Resolve()
	if err != nil {
		panic(err)
	}
	return b.Addr
}

// clamp returns x limited to [−1e6, 1e6] (or only from below, when low):
// beyond, the gates σ, Φ and φ are exactly 0 or 1, and the clamped factor
// keeps ±Inf·0 from making NaN where the limit is 0 or 1. NaN stays NaN.
func clamp(x VecVirtual, low bool) VecVirtual {
	c := vec()
	VMAXPS(x, bcast("clamp_lo", -1e6), c) // second source x: NaN passes
	if !low {
		VMINPS(c, bcast("clamp_hi", 1e6), c)
	}
	return c
}

// vecZero returns a register of zeros.
func vecZero() VecVirtual {
	z := vec()
	VXORPS(z, z, z)
	return z
}
