//go:build generate

package main

// The GEMM micro-kernels (tiles and one-row forms; the AVX-512 pair
// kernels are in pair.go) and the gemv of single-sample inference.

import (
	"fmt"

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
//	func gemmKernel6x16(k int, a, b *float32, ldb int, c *float32, ldc int, store bool, bias *float32)
//
// which adds to the 6×16 tile at c (rows ldc floats apart) the product of a
// packed A panel (k steps of 6 floats) and a B panel of k rows of 16 floats,
// ldb apart (16 when packed): c[i][j] += Σ_p a[p·6+i]·b[p·ldb+j]; with
// store, it sets the tile to the product instead, plus bias[j] when bias is
// not nil.
func microKernel() {
	TEXT("gemmKernel6x16", NOSPLIT, "func(k int, a, b *float32, ldb int, c *float32, ldc int, store bool, bias *float32)")
	Doc("gemmKernel6x16 adds the product of a packed 6×k A panel and a k×16 B panel with rows ldb floats apart",
		"to the 6×16 tile of C at c, whose rows are ldc floats apart, or with store sets the tile to it",
		"plus the 16 floats at bias, if not nil, in each row. k must be at least 1.")
	k := Load(Param("k"), GP64())
	a := Load(Param("a"), GP64())
	b := Load(Param("b"), GP64())
	ldb := Load(Param("ldb"), GP64())
	c := Load(Param("c"), GP64())
	ldc := Load(Param("ldc"), GP64())
	SHLQ(U8(2), ldb) // floats to bytes

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
	ADDQ(ldb, b)
	DECQ(k)
	JNZ(LabelRef("loop"))

	Comment("c[i][0:16] += acc for each row, or = acc (+ bias) with store")
	SHLQ(U8(2), ldc) // floats to bytes
	tileOut(acc, 2, 32, c, ldc, "gemmKernel6x16")
}

// tileOut emits the end of a micro-kernel: each row of the tile at c, ldc
// bytes apart, vecs registers of acc of width bytes each, added to C or,
// when the store parameter is set, stored over it, plus the row at the
// bias parameter when it is not nil; then VZEROUPPER and RET.
func tileOut(acc []VecVirtual, vecs, width int, c, ldc Register, name string) {
	tileStores(acc, vecs, width, c, ldc, name, nil, nil)
}

// tileOutReLU is tileOut for a kernel with a relu parameter too: when it
// is set, each element goes to C as max(0, v), as ReLU computes it (NaN
// passes), the product's last k block ending a layer's relu. With a mask
// (vecs 1, width 64), only its lanes of each row are C's (tileStores).
func tileOutReLU(acc []VecVirtual, vecs, width int, c, ldc Register, name string, mask OpmaskVirtual) {
	relu := Load(Param("relu"), GP8())
	TESTB(relu, relu)
	JNZ(LabelRef(name + "_relu"))
	tileStores(acc, vecs, width, c, ldc, name, nil, mask)
	Label(name + "_relu")
	zero := ZMM()
	VXORPS(zero, zero, zero)
	tileStores(acc, vecs, width, c, ldc, name+"_relu", zero, mask)
}

// tileStores emits tileOut's paths, each value v stored as max(floor, v)
// when floor is not nil, and only the lanes of mask when it is not nil
// (vecs 1, width 64: the others neither read nor written, nor the biases
// past them read); labels start with name.
func tileStores(acc []VecVirtual, vecs, width int, c, ldc Register, name string, floor VecVirtual, mask OpmaskVirtual) {
	rows := len(acc) / vecs
	vec := func() VecVirtual {
		if width == 64 {
			return ZMM()
		}
		return YMM()
	}
	clamp := func(v VecVirtual) {
		if floor != nil {
			VMAXPS(v, floor, v) // Go order: v = max(floor, v), v the second source: NaN passes
		}
	}
	load := func(at Mem, v VecVirtual) { // v = at, masked or whole
		if mask != nil {
			VMOVUPS_Z(at, mask, v)
			return
		}
		VMOVUPS(at, v)
	}
	storeTo := func(v VecVirtual, at Mem) {
		if mask != nil {
			VMOVUPS(v, mask, at)
			return
		}
		VMOVUPS(v, at)
	}
	store := Load(Param("store"), GP8())
	TESTB(store, store)
	JNZ(LabelRef(name + "_store"))
	for i := 0; i < rows; i++ {
		for v := 0; v < vecs; v++ {
			t := vec()
			at := Mem{Base: c, Disp: width * v}
			if mask != nil {
				load(at, t)
				VADDPS(t, acc[vecs*i+v], t)
			} else {
				VADDPS(at, acc[vecs*i+v], t)
			}
			clamp(t)
			storeTo(t, at)
		}
		ADDQ(ldc, c)
	}
	VZEROUPPER()
	RET()
	Label(name + "_store")
	bias := Load(Param("bias"), GP64())
	TESTQ(bias, bias)
	JZ(LabelRef(name + "_stored"))
	// acc + bias, the bits of bias + acc: a bias row the product adds to
	// (MatMulTransBBias before the bias went into the store).
	biasVecs := make([]VecVirtual, vecs)
	for v := range biasVecs {
		biasVecs[v] = vec()
		load(Mem{Base: bias, Disp: width * v}, biasVecs[v])
	}
	for i := 0; i < rows; i++ {
		for v := 0; v < vecs; v++ {
			VADDPS(biasVecs[v], acc[vecs*i+v], acc[vecs*i+v])
		}
	}
	Label(name + "_stored")
	for i := 0; i < rows; i++ {
		for v := 0; v < vecs; v++ {
			clamp(acc[vecs*i+v])
			storeTo(acc[vecs*i+v], Mem{Base: c, Disp: width * v})
		}
		ADDQ(ldc, c)
	}
	VZEROUPPER()
	RET()
}

// rowKernelAVX2 emits
//
//	func gemmKernelAVX2_1xN(k int, a, b *float32, ldb int, c *float32, ldc int)
//
// the micro-kernel of one row by N = 8·vecs columns in YMM accumulators:
// c[j] += Σ_p a[p]·b[p·ldb+j]. Each element is summed as gemmKernel6x16
// sums it (a multiply-add a step from zero, then added to c), so a row
// gives the same bits through either kernel. ldc is unused.
func rowKernelAVX2(vecs int) {
	cols := 8 * vecs
	name := fmt.Sprintf("gemmKernelAVX2_1x%d", cols)
	TEXT(name, NOSPLIT, "func(k int, a, b *float32, ldb int, c *float32, ldc int)")
	Doc(fmt.Sprintf("%s adds the product of a row of k floats and a k×%d B panel with rows ldb floats apart", name, cols),
		fmt.Sprintf("to the %d floats at c. k must be at least 1.", cols))
	k := Load(Param("k"), GP64())
	a := Load(Param("a"), GP64())
	b := Load(Param("b"), GP64())
	ldb := Load(Param("ldb"), GP64())
	c := Load(Param("c"), GP64())
	SHLQ(U8(2), ldb) // floats to bytes

	acc := make([]VecVirtual, vecs)
	for v := range acc {
		acc[v] = YMM()
		VXORPS(acc[v], acc[v], acc[v])
	}
	Label(name + "_loop")
	ai := YMM()
	VBROADCASTSS(Mem{Base: a}, ai)
	for v := range acc {
		bv := YMM()
		VMOVUPS(Mem{Base: b, Disp: 32 * v}, bv)
		VFMADD231PS(bv, ai, acc[v])
	}
	ADDQ(U32(4), a)
	ADDQ(ldb, b)
	DECQ(k)
	JNZ(LabelRef(name + "_loop"))

	Comment("c[:] += acc")
	for v := range acc {
		t := YMM()
		at := Mem{Base: c, Disp: 32 * v}
		VADDPS(at, acc[v], t)
		VMOVUPS(t, at)
	}
	VZEROUPPER()
	RET()
}

// rowPanelKernel emits
//
//	func gemmKernelAVX512_1xNp(k int, a, b *float32, stride int, c *float32, ldc int)
//	func gemmKernelAVX2_1xNp(k int, a, b *float32, stride int, c *float32, ldc int)
//
// the one-row micro-kernel over panels side by side: packed weights
// (kernels.PackedWeights) hold each 16 columns as a panel of k rows of 16
// floats, the panels stride floats apart. N = 16·panels columns, each
// summed as the tile kernels sum it (a multiply-add a step from zero, then
// added to c). ldc is unused.
func rowPanelKernel(wide bool, panels int) {
	form, lanes := "AVX2", 8
	if wide {
		form, lanes = "AVX512", 16
	}
	vecs := 16 / lanes // vectors per panel row
	name := fmt.Sprintf("gemmKernel%s_1x%dp", form, 16*panels)
	TEXT(name, NOSPLIT, "func(k int, a, b *float32, stride int, c *float32, ldc int)")
	Doc(fmt.Sprintf("%s adds the product of a row of k floats and %d packed panels of k×16 floats, stride floats apart,", name, panels),
		fmt.Sprintf("to the %d floats at c. k must be at least 1.", 16*panels))
	k := Load(Param("k"), GP64())
	a := Load(Param("a"), GP64())
	b := Load(Param("b"), GP64())
	stride := Load(Param("stride"), GP64())
	c := Load(Param("c"), GP64())
	SHLQ(U8(2), stride) // floats to bytes
	panelRows := rowsFrom(b, stride, panels)
	reg := func() VecVirtual {
		if wide {
			return ZMM()
		}
		return YMM()
	}
	acc := make([]VecVirtual, panels*vecs)
	for i := range acc {
		acc[i] = reg()
		VXORPS(acc[i], acc[i], acc[i])
	}
	Label(name + "_loop")
	ai := reg()
	VBROADCASTSS(Mem{Base: a}, ai)
	for pnl := range panels {
		at := panelRows.at(pnl)
		for v := range vecs {
			m := at
			m.Disp += 4 * lanes * v
			VFMADD231PS(m, ai, acc[pnl*vecs+v])
		}
	}
	ADDQ(U32(4), a)
	panelRows.advance(64)
	DECQ(k)
	JNZ(LabelRef(name + "_loop"))

	Comment("c[:] += acc")
	for i := range acc {
		t := reg()
		at := Mem{Base: c, Disp: 4 * lanes * i}
		VADDPS(at, acc[i], t)
		VMOVUPS(t, at)
	}
	VZEROUPPER()
	RET()
}

// microKernel512 emits
//
//	func gemmKernelAVX512_MRxNR(k int, a, b *float32, ldb int, c *float32, ldc int, store bool, bias *float32)
//	func gemmKernelAVX512_1xNR(k int, a, b *float32, ldb int, c *float32, ldc int)
//
// the AVX-512 form of the micro-kernel for an rows×(16·vecs) tile (the
// row forms, rows = 1, take neither store nor bias): each
// row of the tile is vecs ZMM accumulators, and each element of the A panel
// is broadcast straight from memory into its multiply-adds.
func microKernel512(rows, vecs int) {
	cols := 16 * vecs
	name := fmt.Sprintf("gemmKernelAVX512_%dx%d", rows, cols)
	tile := rows > 1 // the tile kernel, not a row form: it takes store and bias (see tileOut)
	if tile {
		TEXT(name, NOSPLIT, "func(k int, a, b *float32, ldb int, c *float32, ldc int, store bool, bias *float32)")
		Doc(fmt.Sprintf("%s adds the product of a packed %d×k A panel and a k×%d B panel with rows ldb floats apart", name, rows, cols),
			fmt.Sprintf("to the %d×%d tile of C at c, whose rows are ldc floats apart, or with store sets the tile to it", rows, cols),
			fmt.Sprintf("plus the %d floats at bias, if not nil, in each row. k must be at least 1.", cols))
	} else {
		TEXT(name, NOSPLIT, "func(k int, a, b *float32, ldb int, c *float32, ldc int)")
		Doc(fmt.Sprintf("%s adds the product of a packed %d×k A panel and a k×%d B panel with rows ldb floats apart", name, rows, cols),
			fmt.Sprintf("to the %d×%d tile of C at c, whose rows are ldc floats apart. k must be at least 1.", rows, cols))
	}
	k := Load(Param("k"), GP64())
	a := Load(Param("a"), GP64())
	b := Load(Param("b"), GP64())
	ldb := Load(Param("ldb"), GP64())
	c := Load(Param("c"), GP64())
	ldc := Load(Param("ldc"), GP64())
	SHLQ(U8(2), ldb) // floats to bytes

	acc := make([]VecVirtual, rows*vecs)
	for i := range acc {
		acc[i] = ZMM()
		VXORPS(acc[i], acc[i], acc[i])
	}

	Label(name + "_loop")
	bv := make([]VecVirtual, vecs)
	for v := range bv {
		bv[v] = ZMM()
		VMOVUPS(Mem{Base: b, Disp: 64 * v}, bv[v])
	}
	if tile {
		// The A panel streams from L2, most of a cache line a step: fetch
		// eight steps ahead, which took sgemm 1024³ from 70–100 to 90–120
		// GFLOP/s on one core of an Intel Xeon (with 16-row panels).
		PREFETCHT0(Mem{Base: a, Disp: 4 * rows * 8})
	}
	for i := 0; i < rows; i++ {
		for v := range bv {
			VFMADD231PS_BCST(Mem{Base: a, Disp: 4 * i}, bv[v], acc[vecs*i+v])
		}
	}
	ADDQ(U32(4*rows), a)
	ADDQ(ldb, b)
	DECQ(k)
	JNZ(LabelRef(name + "_loop"))

	SHLQ(U8(2), ldc) // floats to bytes
	if tile {
		Comment("c[i][:] += acc for each row, or = acc (+ bias) with store")
		tileOut(acc, vecs, 64, c, ldc, name)
		return
	}
	Comment("c[i][:] += acc for each row")
	for i := 0; i < rows; i++ {
		for v := 0; v < vecs; v++ {
			t := ZMM()
			at := Mem{Base: c, Disp: 64 * v}
			VADDPS(at, acc[vecs*i+v], t)
			VMOVUPS(t, at)
		}
		if i < rows-1 {
			ADDQ(ldc, c)
		}
	}
	VZEROUPPER()
	RET()
}

// gemv emits
//
//	func gemvAVX512(c, w *float32, ldw int, x *float32, k, rows int)
//
// which adds to c[r], for r < rows, the dot product of x with row r of w
// (rows ldw floats apart) over k elements, k a multiple of 16: single-sample
// inference, where each weight is used once. The rows go one after the
// other, so the weights stream through memory in order (reading four rows
// side by side ran at two thirds of the speed from L2), in four
// accumulators of 16 lanes.
func gemv() {
	TEXT("gemvAVX512", NOSPLIT, "func(c, w *float32, ldw int, x *float32, k, rows int)")
	Doc("gemvAVX512 adds to c[r] the dot product of x and row r of w (rows ldw floats apart) over k elements,",
		"for r < rows; k must be a positive multiple of 16 and rows positive.")
	c := Load(Param("c"), GP64())
	w := Load(Param("w"), GP64())
	ldw := Load(Param("ldw"), GP64())
	x := Load(Param("x"), GP64())
	k := Load(Param("k"), GP64())
	rows := Load(Param("rows"), GP64())
	SHLQ(U8(2), ldw)
	Label("gemv_row")
	acc := make([]VecVirtual, 4)
	for i := range acc {
		acc[i] = ZMM()
		VXORPS(acc[i], acc[i], acc[i])
	}
	p, q := GP64(), GP64()
	MOVQ(w, p)
	MOVQ(x, q)
	n := GP64()
	MOVQ(k, n)
	SHRQ(U8(6), n)
	JZ(LabelRef("gemv_tail"))
	Label("gemv_loop")
	for i := range acc {
		v := ZMM()
		VMOVUPS(Mem{Base: q, Disp: 64 * i}, v)
		VFMADD231PS(Mem{Base: p, Disp: 64 * i}, v, acc[i])
	}
	ADDQ(U32(256), p)
	ADDQ(U32(256), q)
	DECQ(n)
	JNZ(LabelRef("gemv_loop"))
	Label("gemv_tail") // the last 16, 32 or 48
	MOVQ(k, n)
	ANDQ(U32(63), n)
	SHRQ(U8(4), n)
	JZ(LabelRef("gemv_sum"))
	Label("gemv_tail_loop")
	v := ZMM()
	VMOVUPS(Mem{Base: q}, v)
	VFMADD231PS(Mem{Base: p}, v, acc[0])
	ADDQ(U32(64), p)
	ADDQ(U32(64), q)
	DECQ(n)
	JNZ(LabelRef("gemv_tail_loop"))
	Label("gemv_sum")
	combine4(VADDPS, acc)
	hi := YMM()
	VEXTRACTF64X4(U8(1), acc[0], hi)
	lo := acc[0].AsY().(VecVirtual)
	VADDPS(hi, lo, lo)
	h := XMM()
	VEXTRACTF128(U8(1), lo, h)
	sx := lo.AsX().(VecVirtual)
	VADDPS(h, sx, sx)
	VHADDPS(sx, sx, sx)
	VHADDPS(sx, sx, sx)
	VADDSS(Mem{Base: c}, sx, sx)
	VMOVSS(sx, Mem{Base: c})
	ADDQ(U32(4), c)
	ADDQ(ldw, w)
	DECQ(rows)
	JNZ(LabelRef("gemv_row"))
	VZEROUPPER()
	RET()
}
