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
	adamUpdate()
	rmsUpdate()
}

// rmsUpdate emits
//
//	func rmsAVX2(w, v, grad *float32, n int, keep, scale, lr, eps, floor float32)
//
// kernels.RMSStep (RMSprop and Adagrad) 8 lanes at a time, each operation
// rounded as the Go loop rounds it.
func rmsUpdate() {
	TEXT("rmsAVX2", NOSPLIT, "func(w, v, grad *float32, n int, keep, scale, lr, eps, floor float32)")
	Doc("rmsAVX2 is one RMSprop or Adagrad step of the n elements (see RMSStep); n must be a multiple of 8.")
	w := Load(Param("w"), GP64())
	v := Load(Param("v"), GP64())
	g := Load(Param("grad"), GP64())
	n := Load(Param("n"), GP64())
	p := broadcastParams([]string{"keep", "scale", "lr", "eps", "floor"})
	keep, scale, lr, eps, floor := p[0], p[1], p[2], p[3], p[4]
	abs := YMM()
	VBROADCASTSS(constant("abs_mask", U32(0x7fffffff)), abs)
	SHRQ(U8(3), n)
	JZ(LabelRef("rms_done"))
	Label("rms_loop")
	gv, t, vv := YMM(), YMM(), YMM()
	VMOVUPS(Mem{Base: g}, gv)
	VMULPS(Mem{Base: v}, keep, vv)
	VMULPS(gv, scale, t) // scale·g first, then ·g: PyTorch's addcmul order (g·g overflows from |g| ≈ 1.8e19)
	VMULPS(gv, t, t)
	VADDPS(t, vv, vv)
	flushBelow(vv, abs, floor)
	VMOVUPS(vv, Mem{Base: v})
	d := YMM()
	VSQRTPS(vv, d)
	VADDPS(eps, d, d)
	VDIVPS(d, gv, d)
	VMULPS(lr, d, d)
	wv := YMM()
	VMOVUPS(Mem{Base: w}, wv)
	VSUBPS(d, wv, wv)
	VMOVUPS(wv, Mem{Base: w})
	for _, r := range []Register{w, v, g} {
		ADDQ(U32(32), r)
	}
	DECQ(n)
	JNZ(LabelRef("rms_loop"))
	Label("rms_done")
	VZEROUPPER()
	RET()
}

// adamUpdate emits
//
//	func adamAVX2(w, m, v, grad *float32, n int, keep, beta1, c1, beta2, c2, stepSize, correction, eps, floor float32)
//
// kernels.AdamStep 8 lanes at a time, each operation rounded as the Go
// loop rounds it (c1 and c2: Adam's Scale1 and Scale2, 1 − β1 and 1 − β2).
func adamUpdate() {
	TEXT("adamAVX2", NOSPLIT, "func(w, m, v, grad *float32, n int, keep, beta1, c1, beta2, c2, stepSize, correction, eps, floor float32)")
	Doc("adamAVX2 is one Adam step of the n elements (see AdamStep); n must be a multiple of 8.")
	w := Load(Param("w"), GP64())
	m := Load(Param("m"), GP64())
	v := Load(Param("v"), GP64())
	g := Load(Param("grad"), GP64())
	n := Load(Param("n"), GP64())
	p := broadcastParams([]string{"beta1", "c1", "beta2", "c2", "floor"})
	beta1, c1, beta2, c2, floor := p[0], p[1], p[2], p[3], p[4]
	abs := YMM()
	VBROADCASTSS(constant("abs_mask", U32(0x7fffffff)), abs)
	param := func(name string) VecVirtual { // the rest broadcast at each use, a load the loop can spare
		r := YMM()
		VBROADCASTSS(paramAddr(name), r)
		return r
	}
	SHRQ(U8(3), n)
	JZ(LabelRef("adam_done"))
	Label("adam_loop")
	gv, t := YMM(), YMM()
	VMOVUPS(Mem{Base: g}, gv)
	mv := YMM()
	VMULPS(Mem{Base: m}, beta1, mv)
	VMULPS(gv, c1, t)
	VADDPS(t, mv, mv)
	flushBelow(mv, abs, floor)
	VMOVUPS(mv, Mem{Base: m})
	vv := YMM()
	VMULPS(Mem{Base: v}, beta2, vv)
	VMULPS(gv, c2, t) // c2·g first, then ·g, as in rmsUpdate
	VMULPS(gv, t, t)
	VADDPS(t, vv, vv)
	flushBelow(vv, abs, floor)
	VMOVUPS(vv, Mem{Base: v})
	d := YMM()
	VSQRTPS(vv, d)
	VDIVPS(param("correction"), d, d)
	VADDPS(param("eps"), d, d)
	u := YMM()
	VDIVPS(d, mv, u)
	VMULPS(param("stepSize"), u, u)
	wv := YMM()
	VMULPS(Mem{Base: w}, param("keep"), wv)
	VSUBPS(u, wv, wv)
	VMOVUPS(wv, Mem{Base: w})
	for _, r := range []Register{w, m, v, g} {
		ADDQ(U32(32), r)
	}
	DECQ(n)
	JNZ(LabelRef("adam_loop"))
	Label("adam_done")
	VZEROUPPER()
	RET()
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
		grad := YMM()
		VMOVUPS(at(g), grad)
		momentumLanes(grad, at(buf), at(w), lr, mu, nesterov, YMM, func(b VecVirtual) { flushBelow(b, abs, floor) })
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

// momentumLanes emits one vector of a momentum step with the gradient in
// g: b = mu·buf + g, flush(b) (set to 0 below the floor), stored to buf;
// then w −= lr·b, or for Nesterov w −= lr·(g + mu·b), each product rounded
// before its sum, as the Go loops round them. vec makes a register as
// wide as g.
func momentumLanes(g VecVirtual, buf, w Mem, lr, mu VecVirtual, nesterov bool, vec func() VecVirtual, flush func(b VecVirtual)) {
	b, t := vec(), vec()
	VMULPS(buf, mu, b)
	VADDPS(g, b, b)
	flush(b)
	VMOVUPS(b, buf)
	if nesterov {
		VMULPS(b, mu, t)
		VADDPS(t, g, t)
		VMULPS(t, lr, t)
	} else {
		VMULPS(b, lr, t)
	}
	wv := vec()
	VMOVUPS(w, wv)
	VSUBPS(t, wv, wv)
	VMOVUPS(wv, w)
}

// flushBelow sets the lanes of x smaller in magnitude than floor to 0;
// abs holds the mask of all bits but the sign. The comparison (LT_OQ) is
// false for NaN, which stays.
func flushBelow(x, abs, floor VecVirtual) {
	small := YMM()
	VANDPS(abs, x, small)
	VCMPPS(U8(0x11), floor, small, small)
	VANDNPS(x, small, x)
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
