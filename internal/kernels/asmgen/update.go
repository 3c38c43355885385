//go:build generate

package main

// The optimizers' element-wise updates.

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

func updates() {
	axpy()
	momentumUpdate("momentumAVX2", false)
	momentumUpdate("nesterovAVX2", true)
}

// momentumUpdate emits func NAME(w, buf, g *float32, n int, lr, mu, floor float32):
// buf = mu·buf + g, set to 0 where |buf| < floor, then w −= lr·buf (or, for
// Nesterov, w −= lr·(g + mu·buf)), 16 lanes at a time. Every product is
// rounded before its sum, as in the Go loop, so the two give the same bits.
func momentumUpdate(name string, nesterov bool) {
	step := "w −= lr·buf"
	if nesterov {
		step = "w −= lr·(grad + mu·buf)"
	}
	TEXT(name, NOSPLIT, "func(w, buf, grad *float32, n int, lr, mu, floor float32)")
	Doc(name+" sets buf[i] = mu·buf[i] + grad[i], or 0 where that is smaller than floor in magnitude,",
		"then "+step+", for i < n; n must be a multiple of 16.")
	w := Load(Param("w"), GP64())
	buf := Load(Param("buf"), GP64())
	g := Load(Param("grad"), GP64()) // not "g": that names a register in Go assembly
	n := Load(Param("n"), GP64())
	p := broadcastParams([]string{"lr", "mu", "floor"})
	lr, mu, floor := p[0], p[1], p[2]
	abs := YMM()
	VBROADCASTSS(constant("abs_mask", U32(0x7fffffff)), abs)
	SHRQ(U8(4), n)
	JZ(LabelRef(name + "_done"))
	Label(name + "_loop")
	for half := 0; half < 2; half++ {
		at := func(base Register) Mem { return Mem{Base: base, Disp: 32 * half} }
		grad, b, t := YMM(), YMM(), YMM()
		VMOVUPS(at(g), grad)
		VMULPS(at(buf), mu, b)
		VADDPS(grad, b, b)
		small := YMM() // |b| < floor (LT_OQ: false for NaN, which stays)
		VANDPS(abs, b, small)
		VCMPPS(U8(0x11), floor, small, small)
		VANDNPS(b, small, b)
		VMOVUPS(b, at(buf))
		if nesterov {
			VMULPS(b, mu, t)
			VADDPS(t, grad, t)
			VMULPS(t, lr, t)
		} else {
			VMULPS(b, lr, t)
		}
		wv := YMM()
		VMOVUPS(at(w), wv)
		VSUBPS(t, wv, wv)
		VMOVUPS(wv, at(w))
	}
	for _, r := range []Register{w, buf, g} {
		ADDQ(U32(64), r)
	}
	DECQ(n)
	JNZ(LabelRef(name + "_loop"))
	Label(name + "_done")
	VZEROUPPER()
	RET()
}

// axpy emits func axpyAVX2(y, x *float32, n int, alpha float32):
// y[i] += alpha·x[i], the product rounded before the sum as in Go, 16 lanes
// at a time.
func axpy() {
	TEXT("axpyAVX2", NOSPLIT, "func(y, x *float32, n int, alpha float32)")
	Doc("axpyAVX2 sets y[i] += alpha·x[i] for i < n; n must be a multiple of 16.")
	y := Load(Param("y"), GP64())
	x := Load(Param("x"), GP64())
	n := Load(Param("n"), GP64())
	alpha := broadcastParams([]string{"alpha"})[0]
	SHRQ(U8(4), n)
	JZ(LabelRef("axpy_done"))
	Label("axpy_loop")
	for half := 0; half < 2; half++ {
		t := YMM()
		VMULPS(Mem{Base: x, Disp: 32 * half}, alpha, t)
		VADDPS(Mem{Base: y, Disp: 32 * half}, t, t)
		VMOVUPS(t, Mem{Base: y, Disp: 32 * half})
	}
	ADDQ(U32(64), x)
	ADDQ(U32(64), y)
	DECQ(n)
	JNZ(LabelRef("axpy_loop"))
	Label("axpy_done")
	VZEROUPPER()
	RET()
}
