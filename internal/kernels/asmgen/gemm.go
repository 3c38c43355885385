//go:build generate

package main

// The GEMM micro-kernel and the dot product.

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// The micro-kernel's tile: mr rows of A by nr columns of B, held in
// mr·nr/8 = 12 YMM accumulators.
const (
	mr = 6
	nr = 16
)

// microKernel emits
//
//	func gemmKernel6x16(k int, a, b, c *float32, ldc int)
//
// which adds to the 6×16 tile at c (rows ldc floats apart) the product of a
// packed A panel (k steps of 6 floats) and a packed B panel (k steps of 16
// floats): c[i][j] += Σ_p a[p·6+i]·b[p·16+j].
func microKernel() {
	TEXT("gemmKernel6x16", NOSPLIT, "func(k int, a, b, c *float32, ldc int)")
	Doc("gemmKernel6x16 adds the product of a packed 6×k A panel and a packed k×16 B panel",
		"to the 6×16 tile of C at c, whose rows are ldc floats apart. k must be at least 1.")
	k := Load(Param("k"), GP64())
	a := Load(Param("a"), GP64())
	b := Load(Param("b"), GP64())
	c := Load(Param("c"), GP64())
	ldc := Load(Param("ldc"), GP64())

	acc := make([]VecVirtual, mr*2)
	for i := range acc {
		acc[i] = YMM()
		VXORPS(acc[i], acc[i], acc[i])
	}

	Label("loop")
	b0, b1 := YMM(), YMM()
	VMOVUPS(Mem{Base: b}, b0)
	VMOVUPS(Mem{Base: b, Disp: 32}, b1)
	for i := 0; i < mr; i++ {
		ai := YMM()
		VBROADCASTSS(Mem{Base: a, Disp: 4 * i}, ai)
		VFMADD231PS(b0, ai, acc[2*i])
		VFMADD231PS(b1, ai, acc[2*i+1])
	}
	ADDQ(U32(4*mr), a)
	ADDQ(U32(4*nr), b)
	DECQ(k)
	JNZ(LabelRef("loop"))

	Comment("c[i][0:16] += acc for each row")
	SHLQ(U8(2), ldc) // floats to bytes
	for i := 0; i < mr; i++ {
		for half := 0; half < 2; half++ {
			t := YMM()
			at := Mem{Base: c, Disp: 32 * half}
			VADDPS(at, acc[2*i+half], t)
			VMOVUPS(t, at)
		}
		if i < mr-1 {
			ADDQ(ldc, c)
		}
	}
	VZEROUPPER()
	RET()
}

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
	VADDPS(acc[1], acc[0], acc[0])
	VADDPS(acc[3], acc[2], acc[2])
	VADDPS(acc[2], acc[0], acc[0])
	hi := XMM()
	VEXTRACTF128(U8(1), acc[0], hi)
	lo := acc[0].AsX()
	VADDPS(hi, lo, lo)
	VMOVHLPS(lo, hi, hi)
	VADDPS(hi, lo, lo)
	VMOVSHDUP(lo, hi)
	VADDSS(hi, lo, lo)
	Store(lo, ReturnIndex(0))
	VZEROUPPER()
	RET()
}
