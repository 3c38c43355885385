//go:build generate

// Command asmgen writes wiggle's AVX2/FMA and AVX-512 kernels with avo, and
// the few plain amd64 routines beside them (a polling pause, a loop of
// cache-line fetches). It is
// a module of its own so that avo is not a dependency of wiggle; run it through
// `go generate ./internal/kernels` (see the go:generate line in
// ../kernel_amd64.go).
//
// The element-wise kernels' bodies (vecmath.go, piecewise.go and the helpers
// of lanes.go) emit through package stream, which they dot-import in place
// of avo's build package: the loops of loops.go record each vector's body
// and emit the bodies interleaved. An instruction a body emitted through
// build directly would land outside its loop, so those files import build
// only by name, for what is not a vector instruction.
package main

import (
	"fmt"
	"strings"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

func main() {
	ConstraintExpr("amd64,!purego")
	microKernel()
	microKernel512(12, 1)
	for rows := 12; rows >= 1; rows-- { // every row count a block's last panel can have
		microKernel512Pair(rows, 12)
	}
	microKernel512PairAhead(2)
	microKernel512PairAhead(1)
	microKernel512PairStep(false)
	microKernel512PairStep(true)
	for rows := 12; rows >= 1; rows-- {
		microKernel512Rows(rows, 2)
	}
	microKernel512RowsFetching(12, 2, true)
	for rows := 12; rows >= 1; rows-- {
		microKernel512Rows(rows, 1)
	}
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
	packPanel12()
	packPanel6()
	packRowsBlock()
	packRows()
	pause()
	processorSignature()
	fetchLines()
	fmaPeak()
	finite()
	argmax()
	softmaxRow()
	softmaxRows()
	gemv()
	updates()
	reluForward()
	reluBackward()
	copyStreaming()
	dot()
	addRows()
	vectorMath()
	selfGated()
	softFamily()
	piecewise()
	eluFamily()
	restFamily()
	logSigmoid()
	hardSwish()
	width = avx512 // exp, sigmoid, tanh, silu, gelu (both forms), softplus, mish, the elu family, logsigmoid and hardswish again, 16 lanes wide
	vectorMath()
	selfGated()
	softFamily()
	eluFamily()
	logSigmoid()
	hardSwish()
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

// laneConstants holds each constant stored 8 lanes wide (see konst) once.
var laneConstants = map[string]Mem{}

// laneConstant returns a 32-byte constant holding pattern in each of its 8
// lanes, for AVX2 instructions to read (see konst).
func laneConstant(name string, pattern uint32) Mem {
	if m, ok := laneConstants[name]; ok {
		return m
	}
	m := GLOBL(name+"_x8", RODATA|NOPTR)
	for lane := range 8 {
		DATA(4*lane, U32(pattern))
	}
	laneConstants[name] = m
	return m
}

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

// routine names a routine of the current form and completes its doc line
// with the length rule; multiple is the lanes a loop iteration takes.
func routine(name, what string, multiple int) (string, string) {
	clear(loaded)
	full := name + width.suffix
	return full, fmt.Sprintf("%s %s; n must be a multiple of %d.", full, what, multiple)
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
