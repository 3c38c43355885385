//go:build generate

package main

// The GEMM micro-kernel and the dot product.

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
	rows := len(acc) / vecs
	vec := func() VecVirtual {
		if width == 64 {
			return ZMM()
		}
		return YMM()
	}
	store := Load(Param("store"), GP8())
	TESTB(store, store)
	JNZ(LabelRef(name + "_store"))
	for i := 0; i < rows; i++ {
		for v := 0; v < vecs; v++ {
			t := vec()
			at := Mem{Base: c, Disp: width * v}
			VADDPS(at, acc[vecs*i+v], t)
			VMOVUPS(t, at)
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
		VMOVUPS(Mem{Base: bias, Disp: width * v}, biasVecs[v])
	}
	for i := 0; i < rows; i++ {
		for v := 0; v < vecs; v++ {
			VADDPS(biasVecs[v], acc[vecs*i+v], acc[vecs*i+v])
		}
	}
	Label(name + "_stored")
	for i := 0; i < rows; i++ {
		for v := 0; v < vecs; v++ {
			VMOVUPS(acc[vecs*i+v], Mem{Base: c, Disp: width * v})
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
	if rows == 16 {
		// The A panel streams from L2, a cache line a step: fetch the line
		// eight steps ahead, which took sgemm 1024³ from 70–100 to 90–120
		// GFLOP/s on one core of an Intel Xeon.
		PREFETCHT0(Mem{Base: a, Disp: 64 * 8})
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

// packTransposed emits
//
//	func packTransposed16AVX2(panel, src *float32, ld, blocks int)
//
// which sets panel[p·16+j] = src[j·ld+p] for the 16 rows j of src and the
// first 8·blocks columns p: the packing of a panel whose K runs along
// memory. Each 8×8 block is loaded a row to a register and transposed there.
func packTransposed() {
	TEXT("packTransposed16AVX2", NOSPLIT, "func(panel, src *float32, ld, blocks int)")
	Doc("packTransposed16AVX2 sets panel[p·16+j] = src[j·ld+p] for j < 16 and p < 8·blocks; blocks must be at least 1.")
	panel := Load(Param("panel"), GP64())
	src := Load(Param("src"), GP64())
	ld := Load(Param("ld"), GP64())
	blocks := Load(Param("blocks"), GP64())
	SHLQ(U8(2), ld) // floats to bytes
	srcRows := rowsFrom(src, ld, 16)
	Label("pack_loop")
	for half := 0; half < 2; half++ {
		rows := make([]VecVirtual, 8)
		for j := range rows {
			rows[j] = YMM()
			VMOVUPS(srcRows.at(8*half+j), rows[j])
		}
		for p, col := range transpose8x8(rows) {
			VMOVUPS(col, Mem{Base: panel, Disp: 64*p + 32*half})
		}
	}
	srcRows.advance(32)
	ADDQ(U32(8*64), panel)
	DECQ(blocks)
	JNZ(LabelRef("pack_loop"))
	VZEROUPPER()
	RET()
}

// packTransposed512 emits
//
//	func packTransposed16AVX512(panel, src *float32, ld, blocks int)
//
// packTransposed16AVX2 16 columns at a time: each 16×16 block is loaded a
// row to a ZMM register and transposed there in four rounds of shuffles,
// 64 for 256 floats against the AVX2 form's 96.
func packTransposed512() {
	TEXT("packTransposed16AVX512", NOSPLIT, "func(panel, src *float32, ld, blocks int)")
	Doc("packTransposed16AVX512 sets panel[p·16+j] = src[j·ld+p] for j < 16 and p < 16·blocks; blocks must be at least 1.")
	panel := Load(Param("panel"), GP64())
	src := Load(Param("src"), GP64())
	ld := Load(Param("ld"), GP64())
	blocks := Load(Param("blocks"), GP64())
	SHLQ(U8(2), ld) // floats to bytes
	srcRows := rowsFrom(src, ld, 16)
	Label("pack512_loop")
	rows := make([]VecVirtual, 16)
	for j := range rows {
		rows[j] = ZMM()
		VMOVUPS(srcRows.at(j), rows[j])
	}
	for p, col := range transpose16x16(rows) {
		VMOVUPS(col, Mem{Base: panel, Disp: 64 * p})
	}
	srcRows.advance(64)
	ADDQ(U32(16*64), panel)
	DECQ(blocks)
	JNZ(LabelRef("pack512_loop"))
	VZEROUPPER()
	RET()
}

// transpose16x16 returns the columns of the 16×16 block whose rows are r.
// Within each 128-bit lane, rounds 1 and 2 transpose 4×4 blocks (rows
// i..i+3, columns 4L..4L+3 in lane L); rounds 3 and 4 move the lanes.
func transpose16x16(r []VecVirtual) []VecVirtual {
	t := make([]VecVirtual, 16)
	for i := 0; i < 16; i += 2 {
		t[i], t[i+1] = ZMM(), ZMM()
		VUNPCKLPS(r[i+1], r[i], t[i])   // r_i[0] r_i+1[0] r_i[1] r_i+1[1] in each lane
		VUNPCKHPS(r[i+1], r[i], t[i+1]) // elements 2, 3
	}
	// u[g][c] holds, in lane L, column 4L+c of rows 4g..4g+3.
	u := make([][4]VecVirtual, 4)
	for g := range u {
		i := 4 * g
		for c := range 4 {
			u[g][c] = ZMM()
		}
		VUNPCKLPD(t[i+2], t[i], u[g][0])
		VUNPCKHPD(t[i+2], t[i], u[g][1])
		VUNPCKLPD(t[i+3], t[i+1], u[g][2])
		VUNPCKHPD(t[i+3], t[i+1], u[g][3])
	}
	cols := make([]VecVirtual, 16)
	for c := range 4 {
		// even: lanes 0 and 2 of two groups; odd: lanes 1 and 3
		even01, odd01, even23, odd23 := ZMM(), ZMM(), ZMM(), ZMM()
		VSHUFF32X4(U8(0x88), u[1][c], u[0][c], even01)
		VSHUFF32X4(U8(0xDD), u[1][c], u[0][c], odd01)
		VSHUFF32X4(U8(0x88), u[3][c], u[2][c], even23)
		VSHUFF32X4(U8(0xDD), u[3][c], u[2][c], odd23)
		for l, pair := range [4][2]VecVirtual{{even01, even23}, {odd01, odd23}, {even01, even23}, {odd01, odd23}} {
			col := ZMM()
			imm := U8(0x88) // lanes L = 0, 1: the first of each pair
			if l >= 2 {
				imm = U8(0xDD) // L = 2, 3
			}
			VSHUFF32X4(imm, pair[1], pair[0], col)
			cols[4*l+c] = col
		}
	}
	return cols
}

// packRows emits
//
//	func packRows16AVX2(panel, src *float32, ld, k int)
//
// which sets panel[p·16+j] = src[p·ld+j] for j < 16 and p < k: the packing
// of a panel whose 16 columns lie along memory, a row of 16 floats at a time.
func packRows() {
	TEXT("packRows16AVX2", NOSPLIT, "func(panel, src *float32, ld, k int)")
	Doc("packRows16AVX2 sets panel[p·16+j] = src[p·ld+j] for j < 16 and p < k; k must be at least 1.")
	panel := Load(Param("panel"), GP64())
	src := Load(Param("src"), GP64())
	ld := Load(Param("ld"), GP64())
	k := Load(Param("k"), GP64())
	SHLQ(U8(2), ld) // floats to bytes
	Label("rows_loop")
	lo, hi := YMM(), YMM()
	VMOVUPS(Mem{Base: src}, lo)
	VMOVUPS(Mem{Base: src, Disp: 32}, hi)
	VMOVUPS(lo, Mem{Base: panel})
	VMOVUPS(hi, Mem{Base: panel, Disp: 32})
	ADDQ(ld, src)
	ADDQ(U32(64), panel)
	DECQ(k)
	JNZ(LabelRef("rows_loop"))
	VZEROUPPER()
	RET()
}

// rowGroup addresses up to 16 rows lying ld bytes apart: row 4q+r at
// quad[q] + r·ld, so that x86 addressing reaches each with no register of
// its own.
type rowGroup struct {
	ld, ld3 Register // ld3 = 3·ld, set up when a quad has four rows
	quad    []Register
}

// rowsFrom sets up n rows from base (which becomes quad[0]), ld bytes
// apart.
func rowsFrom(base, ld Register, n int) rowGroup {
	g := rowGroup{ld: ld, quad: []Register{base}}
	if n > 3 {
		g.ld3 = GP64()
		LEAQ(Mem{Base: ld, Index: ld, Scale: 2}, g.ld3)
	}
	for q := 1; q < (n+3)/4; q++ {
		g.quad = append(g.quad, GP64())
		LEAQ(Mem{Base: g.quad[q-1], Index: ld, Scale: 4}, g.quad[q])
	}
	return g
}

// at addresses row r.
func (g rowGroup) at(r int) Mem { return rowAt(g.quad[r/4], g.ld, g.ld3, r%4) }

// advance moves every row on by the given bytes.
func (g rowGroup) advance(bytes int) {
	for _, q := range g.quad {
		ADDQ(U32(bytes), q)
	}
}

// rowAt addresses the r-th row (r < 4) after base, rows ld bytes apart;
// ld3 holds 3·ld.
func rowAt(base, ld, ld3 Register, r int) Mem {
	switch r {
	case 0:
		return Mem{Base: base}
	case 3:
		return Mem{Base: base, Index: ld3, Scale: 1}
	}
	return Mem{Base: base, Index: ld, Scale: uint8(r)}
}

// transpose8x8 returns the columns of the 8×8 block whose rows are in r:
// pairs of rows interleaved, then pairs of pairs, then 128-bit halves
// swapped into place.
func transpose8x8(r []VecVirtual) []VecVirtual {
	t := make([]VecVirtual, 8)
	for i := 0; i < 8; i += 2 {
		t[i], t[i+1] = YMM(), YMM()
		VUNPCKLPS(r[i+1], r[i], t[i])   // r_i[0] r_i+1[0] r_i[1] r_i+1[1] | same for 4, 5
		VUNPCKHPS(r[i+1], r[i], t[i+1]) // columns 2, 3 | 6, 7
	}
	q := make([]VecVirtual, 8)
	for g := 0; g < 8; g += 4 { // rows g..g+3
		for c := 0; c < 4; c++ { // column c | c+4 of those four rows
			q[g+c] = YMM()
			imm := U8(0x44)
			if c%2 == 1 {
				imm = U8(0xEE)
			}
			VSHUFPS(imm, t[g+2+c/2], t[g+c/2], q[g+c])
		}
	}
	cols := make([]VecVirtual, 8)
	for c := 0; c < 4; c++ {
		cols[c], cols[c+4] = YMM(), YMM()
		VPERM2F128(U8(0x20), q[4+c], q[c], cols[c])
		VPERM2F128(U8(0x31), q[4+c], q[c], cols[c+4])
	}
	return cols
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

// pause emits func spinPause(): a few PAUSE instructions, for threads that
// poll, so that a poller yields the core's resources to a thread sharing it
// and does not flood the memory system with loads.
func pause() {
	TEXT("spinPause", NOSPLIT, "func()")
	Doc("spinPause waits a moment, as a polling loop should between polls.")
	for range 4 {
		PAUSE()
	}
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

// fmaPeak emits
//
//	func fmaPeakAVX512(n int, a, b float32) float32
//	func fmaPeakAVX2(n int, a, b float32) float32
//
// n rounds of peakChains independent multiply-adds acc += a·b, 16 (8) lanes
// wide, with nothing loaded or stored: the most flops a core does, its
// FMA units' peak, against which `wiggle bench` sets the micro-kernel. Each
// chain is a register of its own, enough of them to cover the latency of
// two FMA units. It returns the sum of the chains' first lanes,
// peakChains·n·a·b, so a test can tell that every round of every chain ran.
func fmaPeak() {
	for _, wide := range []bool{true, false} {
		name, vec := "fmaPeakAVX2", YMM
		if wide {
			name, vec = "fmaPeakAVX512", ZMM
		}
		TEXT(name, NOSPLIT, "func(n int, a, b float32) float32")
		Doc(fmt.Sprintf("%s runs n rounds of %d independent multiply-adds and returns %d·n·a·b (see PeakFMA).", name, peakChains, peakChains),
			"n must be at least 1.")
		n := Load(Param("n"), GP64())
		a, b := vec(), vec()
		VBROADCASTSS(paramAddr("a"), a)
		VBROADCASTSS(paramAddr("b"), b)
		acc := make([]VecVirtual, peakChains)
		for i := range acc {
			acc[i] = vec()
			VXORPS(acc[i], acc[i], acc[i])
		}
		Label(name + "_loop")
		for _, r := range acc {
			VFMADD231PS(a, b, r)
		}
		DECQ(n)
		JNZ(LabelRef(name + "_loop"))
		for _, r := range acc[1:] {
			VADDPS(r, acc[0], acc[0])
		}
		VZEROUPPER() // first: Store is a legacy SSE MOVSS
		Store(acc[0].AsX(), ReturnIndex(0))
		RET()
	}
}

// peakChains is fmaPeak's independent accumulators a round: FMA latency (4
// cycles) times two units, and a few more.
const peakChains = 12

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
