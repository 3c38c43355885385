//go:build generate

// Command asmgen writes wiggle's AVX2/FMA kernels with avo. It is a module of
// its own so that avo is not a dependency of wiggle; run it through
// `go generate ./internal/kernels` (see the go:generate line in
// ../kernels_amd64.go).
package main

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

func main() {
	ConstraintExpr("amd64,!purego")
	microKernel()
	reluForward()
	reluBackward()
	dot()
	Generate()
}

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

// reluForward emits
//
//	func reluForwardAVX2(y, x *float32, n int)
//
// y[i] = max(0, x[i]) for n a multiple of 8. VMAXPS returns its second
// source when either is NaN or both are zeros, so NaN and −0 pass through
// as PyTorch's relu passes them.
func reluForward() {
	TEXT("reluForwardAVX2", NOSPLIT, "func(y, x *float32, n int)")
	Doc("reluForwardAVX2 sets y[i] = relu(x[i]) for i < n; n must be a multiple of 8.")
	y := Load(Param("y"), GP64())
	x := Load(Param("x"), GP64())
	n := Load(Param("n"), GP64())
	zero := YMM()
	VXORPS(zero, zero, zero)
	SHRQ(U8(3), n)
	JZ(LabelRef("relufwd_done"))
	Label("relufwd_loop")
	v := YMM()
	VMOVUPS(Mem{Base: x}, v)
	VMAXPS(v, zero, v) // Go order: v = max(zero, v), v the second source
	VMOVUPS(v, Mem{Base: y})
	ADDQ(U32(32), x)
	ADDQ(U32(32), y)
	DECQ(n)
	JNZ(LabelRef("relufwd_loop"))
	Label("relufwd_done")
	VZEROUPPER()
	RET()
}

// reluBackward emits
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
	zero := YMM()
	VXORPS(zero, zero, zero)
	SHRQ(U8(3), n)
	JZ(LabelRef("relubwd_done"))
	Label("relubwd_loop")
	v, pos, nan, g := YMM(), YMM(), YMM(), YMM()
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

// dot emits
//
//	func dotAVX2(a, b *float32, n int) float32
//
// Σ a[i]·b[i] for n a multiple of 32, in four accumulators of 8 lanes
// summed at the end in a fixed order.
func dot() {
	TEXT("dotAVX2", NOSPLIT, "func(a, b *float32, n int) float32")
	Doc("dotAVX2 returns the dot product of a and b over n elements; n must be a multiple of 32.")
	a := Load(Param("a"), GP64())
	b := Load(Param("b"), GP64())
	n := Load(Param("n"), GP64())
	acc := []VecVirtual{YMM(), YMM(), YMM(), YMM()}
	for _, r := range acc {
		VXORPS(r, r, r)
	}
	SHRQ(U8(5), n)
	JZ(LabelRef("dot_sum"))
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
