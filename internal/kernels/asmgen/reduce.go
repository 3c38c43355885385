//go:build generate

package main

// Reductions: over a slice, the dot product and the finiteness check, each
// folding four accumulators in a fixed order at the end; down the rows of
// a matrix, the column sums of a bias gradient.

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// dot emits
//
//	func dotAVX2(a, b *float32, n int) float32
//
// Σ a[i]·b[i] for n a multiple of 32, in four accumulators of 8 lanes
// summed at the end in a fixed order.
func dot() {
	TEXT("dotAVX2", NOSPLIT, "func(a, b *float32, n int) float32")
	Doc("dotAVX2 returns the dot product of a and b over n elements; n must be a multiple of 8.")
	a := Load(Param("a"), GP64())
	b := Load(Param("b"), GP64())
	n := Load(Param("n"), GP64())
	acc := []VecVirtual{YMM(), YMM(), YMM(), YMM()}
	for _, r := range acc {
		VXORPS(r, r, r)
	}
	rest := GP64()
	MOVQ(n, rest)
	ANDQ(U32(24), rest) // the multiples of 8 past the last multiple of 32
	SHRQ(U8(5), n)
	JZ(LabelRef("dot_rest"))
	Label("dot_loop")
	for i, r := range acc {
		v := YMM()
		VMOVUPS(Mem{Base: a, Disp: 32 * i}, v)
		VFMADD231PS(Mem{Base: b, Disp: 32 * i}, v, r)
	}
	ADDQ(U32(128), a)
	ADDQ(U32(128), b)
	DECQ(n)
	JNZ(LabelRef("dot_loop"))
	Label("dot_rest") // then 8 at a time, into the first accumulator
	SHRQ(U8(3), rest)
	JZ(LabelRef("dot_sum"))
	Label("dot_rest_loop")
	v := YMM()
	VMOVUPS(Mem{Base: a}, v)
	VFMADD231PS(Mem{Base: b}, v, acc[0])
	ADDQ(U32(32), a)
	ADDQ(U32(32), b)
	DECQ(rest)
	JNZ(LabelRef("dot_rest_loop"))
	Label("dot_sum")
	combine4(VADDPS, acc)
	hi := XMM()
	VEXTRACTF128(U8(1), acc[0], hi)
	lo := acc[0].AsX()
	VADDPS(hi, lo, lo)
	VMOVHLPS(lo, hi, hi)
	VADDPS(hi, lo, lo)
	VMOVSHDUP(lo, hi)
	VADDSS(hi, lo, lo)
	VZEROUPPER() // first: Store is a legacy SSE MOVSS, which would pay an SSE/AVX transition with the upper halves dirty
	Store(lo, ReturnIndex(0))
	RET()
}

// finite emits
//
//	func allFiniteAVX2(x *float32, n int) bool
//
// whether no x[i] is ±Inf or NaN, for n a multiple of 32: the largest
// magnitude's bits (x[i] with its sign cleared, as an integer) is below
// those of +Inf. Four running maxima, one compare at the end: a pass as
// fast as the loads, where a dot product's chain of multiply-adds is not.
func finite() {
	TEXT("allFiniteAVX2", NOSPLIT, "func(x *float32, n int) bool")
	Doc("allFiniteAVX2 reports whether x[i] is finite for every i < n; n must be a multiple of 32.")
	x := Load(Param("x"), GP64())
	n := Load(Param("n"), GP64())
	abs := YMM()
	VBROADCASTSS(constant("abs_mask", U32(0x7fffffff)), abs)
	most := []VecVirtual{YMM(), YMM(), YMM(), YMM()}
	for _, r := range most {
		VPXOR(r, r, r)
	}
	SHRQ(U8(5), n)
	JZ(LabelRef("finite_done"))
	Label("finite_loop")
	for i, r := range most {
		v := YMM()
		VPAND(Mem{Base: x, Disp: 32 * i}, abs, v)
		VPMAXUD(v, r, r)
	}
	ADDQ(U32(128), x)
	DECQ(n)
	JNZ(LabelRef("finite_loop"))
	Label("finite_done")
	combine4(VPMAXUD, most)
	inf := YMM()
	VBROADCASTSS(constant("inf_bits", U32(0x7f800000)), inf)
	VPCMPGTD(most[0], inf, inf) // lanes where +Inf's bits exceed the largest magnitude's: all, when finite
	lanes := GP32()
	VMOVMSKPS(inf, lanes)
	VZEROUPPER()
	CMPL(lanes, U32(0xff))
	ok := GP8()
	SETEQ(ok)
	Store(ok, ReturnIndex(0))
	RET()
}

// combine4 folds four accumulators into the first, in a fixed order: (0 op
// 1) op (2 op 3), op an instruction taking (b, a, dst) for dst = a op b.
func combine4(op func(...Op), acc []VecVirtual) {
	op(acc[1], acc[0], acc[0])
	op(acc[3], acc[2], acc[2])
	op(acc[2], acc[0], acc[0])
}

// addRows emits
//
//	func addRowsAVX2(dst, src *float32, rows, ld, cols int)
//
// dst[j] += src[i·ld+j] for each row i < rows in order, for j < cols (a
// multiple of 8): a layer's bias gradient, the sum of dOut's rows. Each
// column is summed down its rows in one accumulator, as adding row after
// row to dst does, so the bits are those of that loop; 64 columns at a
// time (eight chains of additions in flight), then 8.
func addRows() {
	TEXT("addRowsAVX2", NOSPLIT, "func(dst, src *float32, rows, ld, cols int)")
	Doc("addRowsAVX2 adds rows rows of src, ld floats apart, to dst[:cols], in order; rows must be at least 1 and cols a multiple of 8.")
	dst := Load(Param("dst"), GP64())
	src := Load(Param("src"), GP64())
	rows := Load(Param("rows"), GP64())
	ld := Load(Param("ld"), GP64())
	cols := Load(Param("cols"), GP64())
	SHLQ(U8(2), ld) // bytes between rows
	for _, width := range []int{8, 1} {
		loop, next := fmt.Sprintf("add_rows_%d", 8*width), fmt.Sprintf("add_rows_%d_done", 8*width)
		Label(loop)
		CMPQ(cols, U32(8*width))
		JB(LabelRef(next))
		acc := make([]VecVirtual, width)
		for i := range acc {
			acc[i] = YMM()
			VMOVUPS(Mem{Base: dst, Disp: 32 * i}, acc[i])
		}
		p, n := GP64(), GP64()
		MOVQ(src, p)
		MOVQ(rows, n)
		Label(loop + "_row")
		for i := range acc {
			VADDPS(Mem{Base: p, Disp: 32 * i}, acc[i], acc[i]) // acc + row, as dst[j] += row[j]
		}
		ADDQ(ld, p)
		DECQ(n)
		JNZ(LabelRef(loop + "_row"))
		for i := range acc {
			VMOVUPS(acc[i], Mem{Base: dst, Disp: 32 * i})
		}
		ADDQ(U32(32*width), dst)
		ADDQ(U32(32*width), src)
		SUBQ(U32(8*width), cols)
		JMP(LabelRef(loop))
		Label(next)
	}
	VZEROUPPER()
	RET()
}

// argmax emits
//
//	func argmaxAVX512(x *float32, n int) int
//
// the index of the largest of x[0..n), n from 1 to 16, the first of equal
// ones (−0 and +0 equal), as one loop of comparisons takes it: a NaN is
// never the largest, but for a NaN in x[0], which no comparison after it
// passes, so 0. The row in one vector, its NaNs and the lanes past n set
// to −Inf, the largest in every lane by four shuffles and maxima, and the
// first lane equal to it: no branch on the values, where the loop
// mispredicts on rows whose largest falls anywhere (a classifier's scores
// early in training).
func argmax() {
	TEXT("argmaxAVX512", NOSPLIT, "func(x *float32, n int) int")
	Pragma("noescape") // it only reads x: a row on the caller's stack stays there
	Doc("argmaxAVX512 returns the index of the largest of x[0..n), the first of equal ones, a NaN never the largest",
		"unless in x[0] (then 0); n must be 1 to 16.")
	x := Load(Param("x"), GP64())
	n := Load(Param("n"), GP64())
	in := lowLanes(n)
	v := ZMM()
	VMOVUPS_Z(Mem{Base: x}, in, v)
	negInf := ZMM()
	VBROADCASTSS(constant("argmax_neg_inf", U32(0xff800000)), negInf)
	nan, out := K(), K()
	VCMPPS(U8(3), v, v, nan) // unordered: NaN
	KNOTW(in, out)
	KORW(nan, out, out)
	VMOVAPS(negInf, out, v) // NaN and the lanes past n: −Inf
	m, t := ZMM(), ZMM()
	VSHUFF32X4(U8(0x4e), v, v, t) // the 256-bit halves swapped
	VMAXPS(t, v, m)
	VSHUFF32X4(U8(0xb1), m, m, t) // the 128-bit quarters of each half swapped
	VMAXPS(t, m, m)
	VPERMILPS(U8(0x4e), m, t) // the 64-bit pairs of each quarter swapped
	VMAXPS(t, m, m)
	VPERMILPS(U8(0xb1), m, t) // neighbours swapped: the largest in every lane
	VMAXPS(t, m, m)
	eq := K()
	VCMPPS(U8(0), m, v, eq) // equal (ordered): −Inf lanes too, where all are
	KANDW(in, eq, eq)       // the lanes past n hold −Inf, equal to the largest only where lane 0 is too: kept for clarity
	lanes, first, nanBits := GP32(), GP32(), GP32()
	KMOVW(eq, lanes)
	TZCNTL(lanes, first)
	KMOVW(nan, nanBits)
	ANDL(U32(1), nanBits) // a NaN in x[0]: 0
	zero := GP32()
	XORL(zero, zero)
	TESTL(nanBits, nanBits)
	CMOVLNE(zero, first)
	VZEROUPPER()
	Store(first.As64(), ReturnIndex(0))
	RET()
}
