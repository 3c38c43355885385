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
	c := exp64Consts()
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
	p := exp64(t, m, c)
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

// softmaxRows emits
//
//	func softmaxRowsAVX512(y *float32, x *float32, cols int, idx *int32, m, sums, e *float64, scale float64) (ok bool)
//
// softmaxRowAVX512 for eight rows at once, one row in each lane of the
// vectors: rows cols floats apart in x and y (idx holds 0, cols, …,
// 7·cols, the lanes' offsets in floats), m and sums eight each, e cols·8
// floats of scratch. It first takes each row's largest value into m (as
// a row's loop takes it: of −0 and +0 either, which changes nothing
// after), and returns false, y and sums untouched (and m then not the
// maxima: VMAXPD passes over NaN), where a row holds NaN or has ±Inf for
// its largest value: the rows the row form leaves to Go.
// Then each lane makes its row's instructions: the same exponential, its
// sums in eight accumulators by column mod 8 (the row form's lanes, whose
// masked adds skip what a row lacks), folded in the row form's halves,
// and the same division and multiplication, so each row gets the row
// form's bits. A row at a time, each waited on its chain of
// multiply-adds, then its division, and ten logits left six lanes of the
// second vector idle; here eight rows share each chain.
func softmaxRows() {
	TEXT("softmaxRowsAVX512", NOSPLIT, "func(y *float32, x *float32, cols int, idx *int32, m, sums, e *float64, scale float64) (ok bool)")
	Pragma("noescape") // idx, m, sums and e live on the caller's stack
	Doc("softmaxRowsAVX512 is softmaxRowAVX512 for eight rows, cols floats apart, one row a lane: m gets each row's",
		"largest value, e (cols·8 floats, column by column) and sums (8) each row's exponentials and sum, y its softmax row.",
		"It returns false, leaving y and sums (m then not the maxima), where a row holds NaN or has ±Inf for its largest value;",
		"cols must be at least 1.")
	y := Load(Param("y"), GP64())
	x := Load(Param("x"), GP64())
	cols := Load(Param("cols"), GP64())
	idxp := Load(Param("idx"), GP64())
	e := Load(Param("e"), GP64())
	idx := YMM()
	VMOVDQU32(Mem{Base: idxp}, idx)
	left, xp, ep := GP64(), GP64(), GP64()
	ones := GP32()
	MOVL(U32(0xff), ones)
	all := K() // a gather's or scatter's lanes, which it clears as it goes: set again before each
	xs := YMM()

	Comment("each row's largest value, and its values in float64 into e, a column of the eight rows at a time")
	m := broadcast64("exp64_minus_inf", math.Inf(-1))
	nan, bad := K(), K()
	KXORW(nan, nan, nan)
	MOVQ(cols, left)
	MOVQ(x, xp)
	MOVQ(e, ep)
	Label("rows_max")
	KMOVW(ones, all)
	VXORPS(xs, xs, xs) // the gather merges into xs: no wait for its last use
	VGATHERDPS(Mem{Base: xp, Index: idx, Scale: 4}, all, xs)
	t := ZMM()
	VCVTPS2PD(xs, t)
	VMOVUPD(t, Mem{Base: ep})
	VCMPPD(U8(3), t, t, bad) // unordered: NaN
	KORW(bad, nan, nan)
	VMAXPD(t, m, m)
	ADDQ(U8(4), xp)
	ADDQ(U8(64), ep)
	DECQ(left)
	JNZ(LabelRef("rows_max"))
	mp := Load(Param("m"), GP64())
	VMOVUPD(m, Mem{Base: mp})
	inf := ZMM()
	VSUBPD(m, m, inf) // NaN where m is ±Inf
	VCMPPD(U8(3), inf, inf, bad)
	KORW(bad, nan, nan)
	KORTESTW(nan, nan)
	JZ(LabelRef("rows_finite"))
	no := GP8()
	XORB(no, no)
	Store(no, ReturnIndex(0))
	VZEROUPPER()
	RET()

	Label("rows_finite")
	c := exp64Consts()
	var s [8]VecVirtual // s[l]: the sum of the columns l, l+8, … of each lane's row
	for l := range s {
		s[l] = ZMM()
		VXORPD(s[l], s[l], s[l])
	}
	MOVQ(cols, left)
	MOVQ(e, ep)
	Comment("eight columns a pass: column l of the pass adds into s[l], as lane l of the row form")
	Label("rows_exp_loop")
	for l := range s {
		if l > 0 {
			CMPQ(left, U8(l))
			JLE(LabelRef("rows_exp_done"))
		}
		t := ZMM()
		VMOVUPD(Mem{Base: ep, Disp: 64 * l}, t)
		p := exp64(t, m, c)
		VMOVUPD(p, Mem{Base: ep, Disp: 64 * l})
		VADDPD(p, s[l], s[l])
	}
	ADDQ(U32(512), ep)
	SUBQ(U8(8), left)
	JG(LabelRef("rows_exp_loop"))
	Label("rows_exp_done")

	Comment("the row form's halves: lanes l and l+4, then l and l+2, then 0 and 1")
	for l := 0; l < 4; l++ {
		VADDPD(s[l+4], s[l], s[l])
	}
	VADDPD(s[2], s[0], s[0])
	VADDPD(s[3], s[1], s[1])
	total := s[0]
	VADDPD(s[1], total, total)
	sums := Load(Param("sums"), GP64())
	VMOVUPD(total, Mem{Base: sums})

	Comment("y = e / sum · scale, rounded to float32, a column of the eight rows at a time")
	scale := ZMM()
	VBROADCASTSD(paramAddr("scale"), scale)
	MOVQ(cols, left)
	MOVQ(e, ep)
	Label("rows_divide")
	q := ZMM()
	VMOVUPD(Mem{Base: ep}, q)
	VDIVPD(total, q, q)
	VMULPD(scale, q, q)
	f := YMM()
	VCVTPD2PS(q, f)
	KMOVW(ones, all)
	VSCATTERDPS(f, all, Mem{Base: y, Index: idx, Scale: 4})
	ADDQ(U8(4), y)
	ADDQ(U8(64), ep)
	DECQ(left)
	JNZ(LabelRef("rows_divide"))
	yes := GP8()
	MOVB(U8(1), yes)
	Store(yes, ReturnIndex(0))
	VZEROUPPER()
	RET()
}

// exp64Constants are exp64's constants, each broadcast to a register
// before the loop that uses them.
type exp64Constants struct{ lowest, log2e, ln2Hi, ln2Lo VecVirtual }

// exp64Consts broadcasts exp64's constants.
func exp64Consts() exp64Constants {
	return exp64Constants{
		lowest: broadcast64("exp64_lowest", -746),
		log2e:  broadcast64("exp64_log2e", math.Log2E),
		ln2Hi:  broadcast64("exp64_ln2_hi", math.Float64frombits(0x3fe62e42fee00000)), // ln 2 to 32 significant bits: k·ln2Hi is exact
		ln2Lo:  broadcast64("exp64_ln2_lo", 1.90821492927058770002e-10),               // ln 2 − ln2Hi (fdlibm's ln2LO)
	}
}

// broadcast64 returns a register holding v in each float64 lane, from a
// constant named name.
func broadcast64(name string, v float64) VecVirtual {
	r := ZMM()
	VBROADCASTSD(constant(name, U64(math.Float64bits(v))), r)
	return r
}

// exp64 returns e^(t − m) in each float64 lane, overwriting t: 2^k·p(r)
// with t − m = k·ln 2 + r (see softmaxRow); below m − 746, 0.
func exp64(t, m VecVirtual, c exp64Constants) VecVirtual {
	VSUBPD(m, t, t)
	VMAXPD(c.lowest, t, t)
	k := ZMM()
	VMULPD(c.log2e, t, k)
	VRNDSCALEPD(U8(0), k, k) // to the nearest integer
	VFNMADD231PD(c.ln2Hi, k, t)
	VFNMADD231PD(c.ln2Lo, k, t) // t = r
	p := taylorExp(t)
	VSCALEFPD(k, p, p) // p·2^k
	return p
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
