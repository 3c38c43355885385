//go:build generate

package main

// The piecewise activations: relu, leaky, clamp and the elu family.

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// reluForward emits reluForwardAVX2: y = max(0, x). VMAXPS returns its
// second source when either is NaN or both are zeros, so NaN and −0 pass
// through as PyTorch's relu passes them.
func reluForward() {
	unaryLoop("reluForwardAVX2", "reluForwardAVX2 sets y[i] = relu(x[i]) for i < n; n must be a multiple of 16.", func(x VecVirtual) VecVirtual {
		VMAXPS(x, YMMzero(), x) // Go order: x = max(zero, x), x the second source
		return x
	})
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

// piecewise emits the piecewise-linear activations with their parameters
// as arguments: leaky (leaky_relu and prelu) and clamp (hardtanh, relu6,
// hardsigmoid).
func piecewise() {
	clampFamily()
	eluFamily()
	TEXT("leakyAVX2", NOSPLIT, "func(y, x *float32, n int, slope float32)")
	Doc("leakyAVX2 sets y[i] = x[i] > 0 ? x[i] : slope·x[i] for i < n; n must be a multiple of 8.")
	{
		y, x, n := Load(Param("y"), GP64()), Load(Param("x"), GP64()), Load(Param("n"), GP64())
		s := YMM()
		VBROADCASTSS(Load(Param("slope"), XMM()), s)
		SHRQ(U8(3), n)
		JZ(LabelRef("leaky_done"))
		Label("leaky_loop")
		v, pos, sv := YMM(), YMM(), YMM()
		VMOVUPS(Mem{Base: x}, v)
		VCMPPS(U8(0x1e), YMMzero(), v, pos) // x > 0
		VMULPS(s, v, sv)
		VBLENDVPS(pos, v, sv, sv)
		VMOVUPS(sv, Mem{Base: y})
		ADDQ(U32(32), x)
		ADDQ(U32(32), y)
		DECQ(n)
		JNZ(LabelRef("leaky_loop"))
		Label("leaky_done")
		VZEROUPPER()
		RET()
	}
	TEXT("leakyBackwardAVX2", NOSPLIT, "func(dX, dOut, x *float32, n int, slope float32)")
	Doc("leakyBackwardAVX2 adds dOut[i]·(x[i] > 0 ? 1 : slope) to dX[i] (NaN where x[i] is NaN) for i < n; n must be a multiple of 8.")
	{
		dx, dout, x, n := Load(Param("dX"), GP64()), Load(Param("dOut"), GP64()), Load(Param("x"), GP64()), Load(Param("n"), GP64())
		s := YMM()
		VBROADCASTSS(Load(Param("slope"), XMM()), s)
		SHRQ(U8(3), n)
		JZ(LabelRef("leakyb_done"))
		Label("leakyb_loop")
		v, pos, d, nan, acc := YMM(), YMM(), YMM(), YMM(), YMM()
		VMOVUPS(Mem{Base: x}, v)
		VCMPPS(U8(0x1e), YMMzero(), v, pos)
		VBLENDVPS(pos, bcast("sig_one", 1), s, d)
		VCMPPS(U8(0x03), v, v, nan) // NaN in, NaN out
		VBLENDVPS(nan, v, d, d)
		VMOVUPS(Mem{Base: dx}, acc)
		VFMADD231PS(Mem{Base: dout}, d, acc)
		VMOVUPS(acc, Mem{Base: dx})
		ADDQ(U32(32), x)
		ADDQ(U32(32), dout)
		ADDQ(U32(32), dx)
		DECQ(n)
		JNZ(LabelRef("leakyb_loop"))
		Label("leakyb_done")
		VZEROUPPER()
		RET()
	}
}

// clampFamily emits clampAVX2 and its backward:
// y = min(max(x + shift, lo), hi)·mul, which is hardtanh (shift 0, mul 1),
// relu6 (0, 6) and hardsigmoid (shift 3, lo 0, hi 6, mul 1/6).
func clampFamily() {
	sig := "func(y, x *float32, n int, shift, lo, hi, mul float32)"
	TEXT("clampAVX2", NOSPLIT, sig)
	Doc("clampAVX2 sets y[i] = min(max(x[i]+shift, lo), hi)·mul for i < n; NaN passes; n must be a multiple of 8.")
	{
		y, x, n := Load(Param("y"), GP64()), Load(Param("x"), GP64()), Load(Param("n"), GP64())
		shift, lo, hi, mul := YMM(), YMM(), YMM(), YMM()
		for i, name := range []string{"shift", "lo", "hi", "mul"} { // in order: the output must not vary
			VBROADCASTSS(Load(Param(name), XMM()), []VecVirtual{shift, lo, hi, mul}[i])
		}
		SHRQ(U8(3), n)
		JZ(LabelRef("clamp_done"))
		Label("clamp_loop")
		v := YMM()
		VADDPS(Mem{Base: x}, shift, v)
		VMAXPS(v, lo, v) // second source v: NaN passes
		VMINPS(v, hi, v)
		VMULPS(mul, v, v)
		VMOVUPS(v, Mem{Base: y})
		ADDQ(U32(32), x)
		ADDQ(U32(32), y)
		DECQ(n)
		JNZ(LabelRef("clamp_loop"))
		Label("clamp_done")
		VZEROUPPER()
		RET()
	}
	TEXT("clampBackwardAVX2", NOSPLIT, "func(dX, dOut, x *float32, n int, shift, lo, hi, mul float32)")
	Doc("clampBackwardAVX2 adds dOut[i]·mul to dX[i] where lo < x[i]+shift < hi (NaN where x[i] is NaN) for i < n; n must be a multiple of 8.")
	{
		dx, dout, x, n := Load(Param("dX"), GP64()), Load(Param("dOut"), GP64()), Load(Param("x"), GP64()), Load(Param("n"), GP64())
		shift, lo, hi, mul := YMM(), YMM(), YMM(), YMM()
		for i, name := range []string{"shift", "lo", "hi", "mul"} { // in order: the output must not vary
			VBROADCASTSS(Load(Param(name), XMM()), []VecVirtual{shift, lo, hi, mul}[i])
		}
		SHRQ(U8(3), n)
		JZ(LabelRef("clampb_done"))
		Label("clampb_loop")
		v, above, below, d, nan, acc := YMM(), YMM(), YMM(), YMM(), YMM(), YMM()
		VMOVUPS(Mem{Base: x}, v)
		VCMPPS(U8(0x03), v, v, nan)
		VADDPS(shift, v, v)
		VCMPPS(U8(0x1e), lo, v, above) // v > lo
		VCMPPS(U8(0x11), hi, v, below) // v < hi
		VANDPS(below, above, above)
		VANDPS(mul, above, d)
		VBLENDVPS(nan, v, d, d) // NaN in, NaN out
		VMOVUPS(Mem{Base: dx}, acc)
		VFMADD231PS(Mem{Base: dout}, d, acc)
		VMOVUPS(acc, Mem{Base: dx})
		ADDQ(U32(32), x)
		ADDQ(U32(32), dout)
		ADDQ(U32(32), dx)
		DECQ(n)
		JNZ(LabelRef("clampb_loop"))
		Label("clampb_done")
		VZEROUPPER()
		RET()
	}
}

// eluFamily emits eluAVX2 and its backward for
// y = x > 0 ? pos·x : neg·(e^(in·x) − 1), which is elu (pos 1, neg α, in 1),
// selu (pos scale, neg scale·α, in 1) and celu (pos 1, neg α, in 1/α).
func eluFamily() {
	TEXT("eluAVX2", NOSPLIT, "func(y, x *float32, n int, pos, neg, in float32)")
	Doc("eluAVX2 sets y[i] = x[i] > 0 ? pos·x[i] : neg·(e^(in·x[i]) − 1) for i < n; n must be a multiple of 8.")
	{
		y, x, n := Load(Param("y"), GP64()), Load(Param("x"), GP64()), Load(Param("n"), GP64())
		pos, neg, in := YMM(), YMM(), YMM()
		for i, name := range []string{"pos", "neg", "in"} {
			VBROADCASTSS(Load(Param(name), XMM()), []VecVirtual{pos, neg, in}[i])
		}
		SHRQ(U8(3), n)
		JZ(LabelRef("elu_done"))
		Label("elu_loop")
		v, t, up, isPos := YMM(), YMM(), YMM(), YMM()
		VMOVUPS(Mem{Base: x}, v)
		VMULPS(in, v, t)
		e := expBlock(t)
		VSUBPS(bcast("sig_one", 1), e, e)
		VMULPS(neg, e, e)
		VMULPS(pos, v, up)
		VCMPPS(U8(0x1e), YMMzero(), v, isPos)
		VBLENDVPS(isPos, up, e, e)
		VMOVUPS(e, Mem{Base: y})
		ADDQ(U32(32), x)
		ADDQ(U32(32), y)
		DECQ(n)
		JNZ(LabelRef("elu_loop"))
		Label("elu_done")
		VZEROUPPER()
		RET()
	}
	TEXT("eluBackwardAVX2", NOSPLIT, "func(dX, dOut, x *float32, n int, pos, neg, in float32)")
	Doc("eluBackwardAVX2 adds dOut[i]·(x[i] > 0 ? pos : neg·in·e^(in·x[i])) to dX[i] for i < n; n must be a multiple of 8.")
	{
		dx, dout, x, n := Load(Param("dX"), GP64()), Load(Param("dOut"), GP64()), Load(Param("x"), GP64()), Load(Param("n"), GP64())
		pos, negIn, in := YMM(), YMM(), YMM()
		for i, name := range []string{"pos", "neg", "in"} {
			VBROADCASTSS(Load(Param(name), XMM()), []VecVirtual{pos, negIn, in}[i])
		}
		VMULPS(in, negIn, negIn)
		SHRQ(U8(3), n)
		JZ(LabelRef("elub_done"))
		Label("elub_loop")
		v, t, isPos, acc := YMM(), YMM(), YMM(), YMM()
		VMOVUPS(Mem{Base: x}, v)
		VMULPS(in, v, t)
		e := expBlock(t)
		VMULPS(negIn, e, e)
		VCMPPS(U8(0x1e), YMMzero(), v, isPos)
		VBLENDVPS(isPos, pos, e, e)
		VMOVUPS(Mem{Base: dx}, acc)
		VFMADD231PS(Mem{Base: dout}, e, acc)
		VMOVUPS(acc, Mem{Base: dx})
		ADDQ(U32(32), x)
		ADDQ(U32(32), dout)
		ADDQ(U32(32), dx)
		DECQ(n)
		JNZ(LabelRef("elub_loop"))
		Label("elub_done")
		VZEROUPPER()
		RET()
	}
}
