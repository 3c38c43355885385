//go:build generate

package main

// A softmax row in float64.

import (
	"fmt"
	"math"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// softmaxRow emits
//
//	func softmaxRowAVX512(y *float32, e *float64, x *float32, n int, m, scale float64) (sum float64)
//
// a softmax row in float64, eight lanes at a time (the last eight masked):
// e[j] = e^(x[j] − m), m the row's largest element, their sum, and y[j] =
// e[j] / sum · scale rounded to float32, as SoftmaxRow's Go form computes
// each from e and sum. Each exponential is 2^k·p(r): x − m = k·ln 2 + r,
// |r| ≤ ln 2 / 2, ln 2 in two parts so that k·ln 2 is exact, and p the
// Taylor polynomial of degree 13 (its truncation below 5e-18); so within
// a few units in the last place of float64, far below float32's. Inputs
// below m − 746 give 0, as e^(x − m) rounds to in float64. A row of ten
// took 97 ns through math.Exp, 39 ns here (Intel Xeon).
func softmaxRow() {
	TEXT("softmaxRowAVX512", NOSPLIT, "func(y *float32, e *float64, x *float32, n int, m, scale float64) (sum float64)")
	Pragma("noescape") // e lives on the caller's stack (act's softmax)
	Doc("softmaxRowAVX512 sets e[j] = e^(x[j] − m) and y[j] = e[j] / sum · scale for j < n, and returns sum = Σ e[j],",
		"for finite m with x[j] ≤ m (a softmax row's maximum); n must be at least 1.")
	y := Load(Param("y"), GP64())
	e := Load(Param("e"), GP64())
	x := Load(Param("x"), GP64())
	n := Load(Param("n"), GP64())
	e0, n0 := GP64(), GP64() // for the second pass
	MOVQ(e, e0)
	MOVQ(n, n0)
	m := ZMM()
	VBROADCASTSD(paramAddr("m"), m)
	f64 := func(name string, v float64) VecVirtual {
		r := ZMM()
		VBROADCASTSD(constant(name, U64(math.Float64bits(v))), r)
		return r
	}
	lowest := f64("exp64_lowest", -746)
	log2e := f64("exp64_log2e", math.Log2E)
	ln2Hi := f64("exp64_ln2_hi", math.Float64frombits(0x3fe62e42fee00000)) // ln 2 to 32 significant bits: k·ln2Hi is exact
	ln2Lo := f64("exp64_ln2_lo", 1.90821492927058770002e-10)               // ln 2 − ln2Hi (fdlibm's ln2LO)
	sum := ZMM()
	VXORPD(sum, sum, sum)
	eight := GP64()
	MOVQ(U32(8), eight)

	Label("exp64_loop")
	lanes := GP64() // min(n, 8)
	MOVQ(n, lanes)
	CMPQ(lanes, eight)
	CMOVQGT(eight, lanes)
	mask := lowLanes(lanes)
	t := ZMM()
	VCVTPS2PD_Z(Mem{Base: x}, mask, t) // lanes past n: 0, never read
	VSUBPD(m, t, t)
	VMAXPD(lowest, t, t)
	k := ZMM()
	VMULPD(log2e, t, k)
	VRNDSCALEPD(U8(0), k, k) // to the nearest integer
	VFNMADD231PD(ln2Hi, k, t)
	VFNMADD231PD(ln2Lo, k, t) // t = r
	p := taylorExp(t)
	VSCALEFPD(k, p, p) // p·2^k
	VMOVUPD(p, mask, Mem{Base: e})
	VADDPD(p, sum, mask, sum)
	ADDQ(U8(32), x)
	ADDQ(U8(64), e)
	SUBQ(eight, n)
	JG(LabelRef("exp64_loop"))

	Comment("the eight lanes' sums, folded in halves")
	hi := YMM()
	VEXTRACTF64X4(U8(1), sum, hi)
	lo := sum.AsY()
	VADDPD(hi, lo, lo)
	hx := XMM()
	VEXTRACTF128(U8(1), lo, hx)
	lx := sum.AsX()
	VADDPD(hx, lx, lx)
	h := XMM()
	VUNPCKHPD(lx, lx, h)
	VADDSD(h, lx, lx)

	Comment("y = e / sum · scale, rounded to float32")
	total, scale := ZMM(), ZMM()
	VBROADCASTSD(lx, total)
	VBROADCASTSD(paramAddr("scale"), scale)
	Label("softmax64_divide")
	MOVQ(n0, lanes)
	CMPQ(lanes, eight)
	CMOVQGT(eight, lanes)
	mask = lowLanes(lanes) // y's floats are the low eight lanes of a ZMM register's sixteen
	q := ZMM()
	VMOVUPD_Z(Mem{Base: e0}, mask, q)
	VDIVPD(total, q, q)
	VMULPD(scale, q, q)
	f := ZMM()
	VCVTPD2PS(q, f.AsY())
	VMOVUPS(f, mask, Mem{Base: y})
	ADDQ(U8(64), e0)
	ADDQ(U8(32), y)
	SUBQ(eight, n0)
	JG(LabelRef("softmax64_divide"))
	VZEROUPPER()
	Store(lx, ReturnIndex(0)) // after VZEROUPPER: MOVSD is an SSE instruction
	RET()
}

// taylorExp returns Σ_{d ≤ 13} r^d/d! for each lane of r by Horner's
// rule. (Estrin's scheme, a chain of 4 multiply-adds for Horner's 13, made
// a softmax row of ten no faster.)
func taylorExp(r VecVirtual) VecVirtual {
	coefficient := func(d int) Mem {
		return constant(fmt.Sprintf("exp64_c%d", d), U64(math.Float64bits(1/factorial(d))))
	}
	p := ZMM()
	VBROADCASTSD(coefficient(13), p)
	for d := 12; d >= 0; d-- {
		VFMADD213PD_BCST(coefficient(d), r, p) // p·r + c_d
	}
	return p
}

// factorial returns d! as a float64.
func factorial(d int) float64 {
	f := 1.0
	for i := 2; i <= d; i++ {
		f *= float64(i)
	}
	return f
}
