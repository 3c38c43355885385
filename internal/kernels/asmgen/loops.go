//go:build generate

package main

// The element-wise loops. Each records the body of every vector it takes
// a pass (package stream) and emits the bodies interleaved, so that the
// vectors' long chains run side by side however small the core's reordering
// window; the constants an AVX-512 body keeps in registers are broadcast
// once, before the loop. Interleaving moves no operation between lanes: the
// bits are those of the bodies emitted one after the other.

import (
	"fmt"
	"math/bits"
	"strings"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"

	"github.com/mmcloughlin/avo/ir"
	"github.com/wigglenn/wiggle/internal/kernels/asmgen/stream"
)

// unaryLoop emits func NAME(y, x *float32, n int), applying body to two
// vectors a pass; n must be a multiple of twice the lanes.
func unaryLoop(name, what string, body func(x VecVirtual) VecVirtual) {
	paramUnaryLoop(name, what, nil, false, func(x VecVirtual, _ []VecVirtual) VecVirtual { return body(x) })
}

// fetchingUnaryLoop is unaryLoop for a body too cheap to hide memory's
// latency, whose passes also fetch x's lines ahead (see atFloor).
func fetchingUnaryLoop(name, what string, body func(x VecVirtual) VecVirtual) {
	paramUnaryLoop(name, what, nil, atFloor, func(x VecVirtual, _ []VecVirtual) VecVirtual { return body(x) })
}

// paramUnaryLoop is unaryLoop for a function with float32 parameters,
// named in params: they follow n in the signature and reach body broadcast
// into registers. With ahead each pass first fetches (PREFETCHT0) the
// lines of x as many bytes past the ones it reads as the kernels package's
// variable floorAhead holds when the loop starts.
func paramUnaryLoop(name, what string, params []string, ahead bool, body func(x VecVirtual, p []VecVirtual) VecVirtual) {
	if paramUnaryForm(name, what, params, ahead, body, 2) {
		paramUnaryForm(name, what, params, ahead, body, 4)
	}
}

// paramUnaryForm emits paramUnaryLoop's routine of per vectors a pass (see
// recordPass) and reports whether four fit where per is 2.
func paramUnaryForm(name, what string, params []string, ahead bool, body func(x VecVirtual, p []VecVirtual) VecVirtual, per int) (fourFit bool) {
	step := 2 * width.lanes
	name, doc := routine(name, what, step)
	name, doc = formName(name, doc, per)
	TEXT(name, NOSPLIT, signature("y, x", params))
	Doc(doc)
	y := Load(Param("y"), GP64())
	x := Load(Param("x"), GP64())
	n := Load(Param("n"), GP64())
	p := broadcastParams(params)
	one := func(i int) {
		v := vec()
		stream.VMOVUPS(Mem{Base: x, Disp: 4 * width.lanes * i}, v)
		stream.VMOVUPS(body(v, p), Mem{Base: y, Disp: 4 * width.lanes * i})
	}
	fourFit, pass, hoisted := recordPass(name, per, one)
	var pair []*ir.Instruction // a pass of four vectors leaves at most a pair
	if per > 2 {
		pair = recordRest(name, 2, one)
	}
	stream.Emit(hoisted)
	var distance GPVirtual
	if ahead {
		distance = GP64()
		MOVQ(NewDataAddr(Symbol{Name: "·floorAhead"}, 0), distance)
	}
	SHRQ(U8(bits.TrailingZeros(uint(step))), n) // pairs of vectors
	passes := GP64()
	MOVQ(n, passes)
	if per > 2 {
		SHRQ(U8(bits.TrailingZeros(uint(per/2))), passes)
	} else {
		TESTQ(passes, passes)
	}
	JZ(LabelRef(name + "_last"))
	Label(name + "_loop")
	bytes := 4 * per * width.lanes
	for line := 0; ahead && line < bytes; line += 64 {
		PREFETCHT0(Mem{Base: x, Index: distance, Scale: 1, Disp: line})
	}
	stream.Emit(pass)
	ADDQ(U32(bytes), x)
	ADDQ(U32(bytes), y)
	DECQ(passes)
	JNZ(LabelRef(name + "_loop"))
	Label(name + "_last")
	if pair != nil {
		TESTQ(U32(1), n)
		JZ(LabelRef(name + "_done"))
		stream.Emit(pair)
	}
	Label(name + "_done")
	VZEROUPPER()
	RET()
	return fourFit
}

// recordPass records a loop's pass of per vectors, two or four, and
// returns it with the broadcasts to hoist before the loop; where per is 2
// it also reports whether four fit the registers, as in all AVX-512 loops
// but mish's backward pass. Each AVX-512 loop where they fit is emitted twice,
// NAMEAVX512 with two vectors a pass and NAMEAVX512Four with four, and the
// kernels package calls the form its CPU runs faster (fourAPass in
// forms_amd64.go): more chains in flight paid on a Zen 5, 1.04–1.24
// times as fast (forty-fourth session), while on a Zen 4, whose cores
// split each 512-bit operation in two, four a pass ran 1.09–1.37 times as
// slow (forty-eighth). The bits are the same.
func recordPass(name string, per int, one func(i int)) (fourFit bool, pass, hoisted []*ir.Instruction) {
	if per == 2 && width == avx512 {
		_, _, fourFit = tryRecordVectors(4, one)
	}
	pass, hoisted = recordVectors(name, per, one)
	return fourFit, pass, hoisted
}

// formName names and documents a loop's form of per vectors a pass:
// NAMEAVX512Four for four, the name as it is for two.
func formName(name, doc string, per int) (string, string) {
	if per == 2 {
		return name, doc
	}
	return name + "Four", strings.Replace(doc, name, name+"Four", 1) + " It takes four vectors a pass."
}

// recordRest records count vectors interleaved for after a loop's passes,
// with the constants the passes keep.
func recordRest(name string, count int, one func(i int)) []*ir.Instruction {
	var streams [][]*ir.Instruction
	for i := range count {
		s, more := stream.Record(func() { one(i) })
		if len(more) > 0 { // the passes' constants serve it: a broadcast of its own would be lost
			panic("asmgen: " + name + ": the last vectors hoisted a constant of their own")
		}
		streams = append(streams, s)
	}
	return stream.Interleave(streams...)
}

// recordVectors records emit for vectors 0 to count−1, a stream each, and
// returns the streams interleaved, with the broadcasts hoisted before them.
// An AVX-512 body keeps as many of its constants in registers as leave room
// for the interleaved streams' own values: avo's allocator fails outright,
// without naming the routine, when the registers run out. The AVX2 forms
// keep no constants, so there is nothing to give up: the longest bodies
// (mish's) run at 15 of the 16 and allocate.
func recordVectors(name string, count int, emit func(i int)) (merged, hoisted []*ir.Instruction) {
	merged, hoisted, ok := tryRecordVectors(count, emit)
	if !ok {
		panic(fmt.Sprintf("asmgen: %s: %d vectors need more than %d registers with no constant kept",
			name, count, vectorRegisters()-allocatorSlack))
	}
	return merged, hoisted
}

// tryRecordVectors is recordVectors, reporting rather than panicking when
// count vectors do not fit the registers even with no constant kept.
func tryRecordVectors(count int, emit func(i int)) (merged, hoisted []*ir.Instruction, ok bool) {
	for keep := vectorRegisters(); ; keep-- {
		clear(loaded)
		keepLoaded = keep
		var streams [][]*ir.Instruction
		hoisted = nil
		for i := range count {
			s, h := stream.Record(func() { emit(i) })
			streams = append(streams, s)
			hoisted = append(hoisted, h...)
		}
		merged = stream.Interleave(streams...)
		if width != avx512 || stream.Pressure(merged) <= vectorRegisters()-allocatorSlack {
			return merged, hoisted, true
		}
		if len(loaded) == 0 {
			return nil, nil, false
		}
		keep = len(loaded) // the next pass keeps one fewer than this one did
	}
}

// allocatorSlack is the registers an AVX-512 routine leaves spare beside
// its streams' pressure: avo's allocator colours its interference graph
// greedily, most constrained register first, and can fail where an optimal
// colouring would fit; two spare suffice for every routine here (one does
// not: found by trying).
const allocatorSlack = 2

// vectorRegisters is the number of vector registers of the current form.
func vectorRegisters() int {
	if width == avx512 {
		return 32
	}
	return 16
}

// backwardLoop emits func NAME(dX, dOut, y *float32, n int), adding
// dOut·deriv(y) to dX; n must be a multiple of the lanes.
func backwardLoop(name, what string, deriv func(y VecVirtual) VecVirtual) {
	paramBackwardLoop(name, what, "y", nil, func(v VecVirtual, _ []VecVirtual) VecVirtual { return deriv(v) })
}

// backwardXLoop emits func NAME(dX, dOut, x *float32, n int), adding
// dOut·deriv(x) to dX; n must be a multiple of the lanes.
func backwardXLoop(name, what string, deriv func(x VecVirtual) VecVirtual) {
	paramBackwardLoop(name, what, "x", nil, func(v VecVirtual, _ []VecVirtual) VecVirtual { return deriv(v) })
}

// paramBackwardLoop emits func NAME(dX, dOut, IN *float32, n int,
// params... float32), adding dOut·deriv(IN, params) to dX in one fused
// multiply-add, two vectors a pass and then the odd one; n must be a
// multiple of the lanes. IN is x or y, whichever deriv reads.
func paramBackwardLoop(name, what, in string, params []string, deriv func(v VecVirtual, p []VecVirtual) VecVirtual) {
	summedBackwardLoop(name, what, in, params, deriv, fusedSum)
}

// fusedSum adds dOut·d to acc, rounding once.
func fusedSum(dOut Mem, d, acc VecVirtual) { stream.VFMADD231PS(dOut, d, acc) }

// roundedSum adds dOut·d, rounded to float32 first, to acc: as the
// piecewise-linear activations' plain Go loops add it (Go may fuse x·y + z,
// and does on arm64, unless the product is converted, as they convert it)
// and as PyTorch does, forming dOut·slope before any sum. It overwrites d:
// a derivative summed so returns a register of its own, not a parameter's.
func roundedSum(dOut Mem, d, acc VecVirtual) {
	stream.VMULPS(dOut, d, d)
	stream.VADDPS(d, acc, acc)
}

// summedBackwardLoop is paramBackwardLoop adding to dX with sum: for each
// vector it calls deriv, then sum.
func summedBackwardLoop(name, what, in string, params []string, deriv func(v VecVirtual, p []VecVirtual) VecVirtual,
	sum func(dOut Mem, d, acc VecVirtual)) {
	if summedBackwardForm(name, what, in, params, deriv, sum, 2) {
		summedBackwardForm(name, what, in, params, deriv, sum, 4)
	}
}

// summedBackwardForm emits summedBackwardLoop's routine of per vectors a
// pass (see recordPass) and reports whether four fit where per is 2.
func summedBackwardForm(name, what, in string, params []string, deriv func(v VecVirtual, p []VecVirtual) VecVirtual,
	sum func(dOut Mem, d, acc VecVirtual), per int) (fourFit bool) {
	name, doc := routine(name, what, width.lanes)
	name, doc = formName(name, doc, per)
	TEXT(name, NOSPLIT, signature("dX, dOut, "+in, params))
	Doc(doc)
	dx := Load(Param("dX"), GP64())
	dout := Load(Param("dOut"), GP64())
	src := Load(Param(in), GP64())
	n := Load(Param("n"), GP64())
	p := broadcastParams(params)
	one := func(i int) {
		disp := 4 * width.lanes * i
		v, acc := vec(), vec()
		stream.VMOVUPS(Mem{Base: src, Disp: disp}, v)
		d := deriv(v, p)
		stream.VMOVUPS(Mem{Base: dx, Disp: disp}, acc)
		sum(Mem{Base: dout, Disp: disp}, d, acc)
		stream.VMOVUPS(acc, Mem{Base: dx, Disp: disp})
	}
	fourFit, pass, hoisted := recordPass(name, per, one)
	last := recordRest(name, 1, one)
	stream.Emit(hoisted)
	SHRQ(U8(bits.TrailingZeros(uint(width.lanes))), n) // vectors
	passes := GP64()
	MOVQ(n, passes)
	SHRQ(U8(bits.TrailingZeros(uint(per))), passes)
	JZ(LabelRef(name + "_last"))
	Label(name + "_loop")
	stream.Emit(pass)
	for _, ptr := range []Register{src, dout, dx} {
		ADDQ(U32(4*per*width.lanes), ptr)
	}
	DECQ(passes)
	JNZ(LabelRef(name + "_loop"))
	Label(name + "_last")
	ANDQ(U32(per-1), n)
	JZ(LabelRef(name + "_done"))
	Label(name + "_one")
	stream.Emit(last)
	for _, ptr := range []Register{src, dout, dx} {
		ADDQ(U32(4*width.lanes), ptr)
	}
	DECQ(n)
	JNZ(LabelRef(name + "_one"))
	Label(name + "_done")
	VZEROUPPER()
	RET()
	return fourFit
}

// reluBackward emits, as a loop of its own (it selects dOut where x > 0
// rather than multiplying it by a derivative, and emits straight through
// avo's build package: nothing of it is recorded),
//
//	func reluBackwardAVX2(dX, dOut, x *float32, n int)
//
// dX[i] += dOut[i] where x[i] > 0, and dX[i] = NaN where x[i] is NaN, for n
// a multiple of 8.
func reluBackward() {
	TEXT("reluBackwardAVX2", NOSPLIT, "func(dX, dOut, x *float32, n int)")
	Doc("reluBackwardAVX2 adds dOut[i] to dX[i] where x[i] > 0 (NaN where x[i] is NaN), for i < n; n must be a multiple of 8.")
	dx := Load(Param("dX"), GP64())
	dout := Load(Param("dOut"), GP64())
	x := Load(Param("x"), GP64())
	n := Load(Param("n"), GP64())
	zero := vec()
	VXORPS(zero, zero, zero)
	SHRQ(U8(3), n)
	JZ(LabelRef("relubwd_done"))
	Label("relubwd_loop")
	v, pos, nan, g := vec(), vec(), vec(), vec()
	VMOVUPS(Mem{Base: x}, v)
	VCMPPS(U8(0x1e), zero, v, pos) // x > 0, ordered (GT_OQ)
	VCMPPS(U8(0x03), v, v, nan)    // x is NaN (UNORD_Q)
	VANDPS(Mem{Base: dout}, pos, g)
	VANDPS(v, nan, nan)
	VORPS(nan, g, g)
	VADDPS(Mem{Base: dx}, g, g)
	VMOVUPS(g, Mem{Base: dx})
	ADDQ(U32(32), x)
	ADDQ(U32(32), dout)
	ADDQ(U32(32), dx)
	DECQ(n)
	JNZ(LabelRef("relubwd_loop"))
	Label("relubwd_done")
	VZEROUPPER()
	RET()
}
