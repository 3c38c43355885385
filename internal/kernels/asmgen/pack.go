//go:build generate

package main

// The packing of panels for the micro-kernels: register transposes where
// K runs along memory, row copies where it does not.

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

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
	panel, src, ld, blocks := packArgs("blocks")
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
	panel, src, ld, blocks := packArgs("blocks")
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

// packPanel12 emits
//
//	func packTransposed12AVX512(panel, src *float32, ld, blocks, rows int)
//	func packRows12AVX512(panel, src *float32, ld, k, rows int)
//
// the packings of an A panel of the 12-row AVX-512 kernel, 12 floats a
// step of k, the first rows (at most 12) from src and zeros after them.
// Transposed: panel[p·12+i] = src[i·ld+p] for the first 16·blocks columns
// p, each 16-column block loaded a row to a register (zero for rows past
// the last, which are not read), each four rows' 4×4 blocks transposed in
// their 128-bit lanes and stored a lane at a time. Rows: panel[p·12+i] =
// src[p·ld+i] for p < k, a step a masked load and store.
func packPanel12() {
	TEXT("packTransposed12AVX512", NOSPLIT, "func(panel, src *float32, ld, blocks, rows int)")
	Doc("packTransposed12AVX512 sets panel[p·12+i] = src[i·ld+p] for i < rows and 0 for rows ≤ i < 12, for p < 16·blocks;",
		"blocks must be at least 1 and rows at most 12.")
	panel, src, ld, blocks := packArgs("blocks")
	rows := Load(Param("rows"), GP64())
	srcRows := rowsFrom(src, ld, 12)
	Label("pack12_loop")
	for g := 0; g < 3; g++ { // rows 4g..4g+3: 16 columns of 4 floats each
		r := loadRows(srcRows, rows, 4*g, 4, 12, ZMM, "pack12")
		// Lane L of cols[c] holds column 4L+c of the four rows, the
		// 16 bytes at panel + (4L+c)·48 + 16g: stored lane by lane, 8
		// shuffles and 16 stores for 64 floats, where the full 16×16
		// transpose took 64 shuffles for 192 (with four rows of zeros):
		// 1.3× faster from L1 on an Intel Xeon, bound by the stores. (For
		// 16 rows the two ways ran level.)
		for c, col := range transpose4x4Lanes(r) {
			for lane := 0; lane < 4; lane++ {
				at := Mem{Base: panel, Disp: (4*lane+c)*48 + 16*g}
				if lane == 0 {
					VMOVUPS(col.AsX(), at)
				} else {
					VEXTRACTF32X4(U8(lane), col, at)
				}
			}
		}
	}
	srcRows.advance(64)
	ADDQ(U32(16*48), panel)
	DECQ(blocks)
	JNZ(LabelRef("pack12_loop"))
	VZEROUPPER()
	RET()

	TEXT("packRows12AVX512", NOSPLIT, "func(panel, src *float32, ld, k, rows int)")
	Doc("packRows12AVX512 sets panel[p·12+i] = src[p·ld+i] for i < rows and 0 for rows ≤ i < 12, for p < k;",
		"k must be at least 1 and rows at most 12.")
	panel, src, ld, k := packArgs("k")
	n := Load(Param("rows"), GP64())
	present := lowLanes(n)
	twelveRows := lanesMask(12)
	Label("rows12_loop")
	v := ZMM()
	VMOVUPS_Z(Mem{Base: src}, present, v)
	VMOVUPS(v, twelveRows, Mem{Base: panel})
	ADDQ(ld, src)
	ADDQ(U32(48), panel)
	DECQ(k)
	JNZ(LabelRef("rows12_loop"))
	VZEROUPPER()
	RET()
}

// lowLanes returns a K register of the first n lanes, n a register
// holding 0 to 16, from a table (a shift by a register needs CL or BMI2's
// SHLX, which the AVX-512 gate does not check).
func lowLanes(n Register) OpmaskVirtual {
	if lowLanesTable == nil {
		t := GLOBL("lowLanes16", RODATA|NOPTR)
		for lanes := 0; lanes <= 16; lanes++ {
			DATA(2*lanes, U16(1<<lanes-1))
		}
		lowLanesTable = &t
	}
	table := GP64()
	LEAQ(*lowLanesTable, table)
	m := K()
	KMOVW(Mem{Base: table, Index: n, Scale: 2}, m)
	return m
}

// lowLanesTable is the table of lowLanes, once emitted.
var lowLanesTable *Mem

// lanesMask returns a K register of the low n lanes.
func lanesMask(n int) OpmaskVirtual {
	bits := GP32()
	MOVL(U32(1<<n-1), bits)
	m := K()
	KMOVW(bits, m)
	return m
}

// transpose16x16 returns the columns of the 16×16 block whose rows are r.
// Within each 128-bit lane, rounds 1 and 2 transpose 4×4 blocks (rows
// i..i+3, columns 4L..4L+3 in lane L); rounds 3 and 4 move the lanes.
func transpose16x16(r []VecVirtual) []VecVirtual {
	// u[g][c] holds, in lane L, column 4L+c of rows 4g..4g+3.
	u := make([][4]VecVirtual, 4)
	for g := range u {
		u[g] = transpose4x4Lanes(r[4*g : 4*g+4])
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

// transpose4x4Lanes returns, for the four rows r, the registers whose
// lane L holds column 4L+c of the rows (c = 0..3): the 4×4 blocks of each
// 128-bit lane transposed, in two rounds of shuffles.
func transpose4x4Lanes(r []VecVirtual) [4]VecVirtual {
	t := make([]VecVirtual, 4)
	for i := 0; i < 4; i += 2 {
		t[i], t[i+1] = ZMM(), ZMM()
		VUNPCKLPS(r[i+1], r[i], t[i])   // r_i[0] r_i+1[0] r_i[1] r_i+1[1] in each lane
		VUNPCKHPS(r[i+1], r[i], t[i+1]) // elements 2, 3
	}
	var u [4]VecVirtual
	for c := range u {
		u[c] = ZMM()
	}
	VUNPCKLPD(t[2], t[0], u[0])
	VUNPCKHPD(t[2], t[0], u[1])
	VUNPCKLPD(t[3], t[1], u[2])
	VUNPCKHPD(t[3], t[1], u[3])
	return u
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
	panel, src, ld, k := packArgs("k")
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

// packArgs loads the arguments every packing routine takes: the panel and
// the source, the source's row stride ld (turned from floats to bytes),
// and the count named count (blocks, or rows of k).
func packArgs(count string) (panel, src, ld, n Register) {
	panel = Load(Param("panel"), GP64())
	src = Load(Param("src"), GP64())
	ld = Load(Param("ld"), GP64())
	n = Load(Param(count), GP64())
	SHLQ(U8(2), ld) // floats to bytes
	return panel, src, ld, n
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

// packRowsBlock emits
//
//	func packRowsBlock16AVX512(dst, src *float32, ld, k, panels, stride int)
//
// which packs panels side by side whose 16 columns lie along memory,
// setting dst[q·stride + p·16 + j] = src[p·ld + q·16 + j] for j < 16,
// p < k and q < panels: a row at a time, each row's 16·panels floats read
// in order and dealt out a panel each. Packed a panel at a time
// (packRows16AVX2), each panel walked the rows ld apart for one line of
// each; this reads the lines of a row together, 1.5× faster on a block
// from L3 on an Intel Xeon.
func packRowsBlock() {
	TEXT("packRowsBlock16AVX512", NOSPLIT, "func(dst, src *float32, ld, k, panels, stride int)")
	Doc("packRowsBlock16AVX512 sets dst[q·stride+p·16+j] = src[p·ld+q·16+j] for j < 16, p < k and q < panels;",
		"k and panels must be at least 1.")
	dst := Load(Param("dst"), GP64())
	src := Load(Param("src"), GP64())
	ld := Load(Param("ld"), GP64())
	k := Load(Param("k"), GP64())
	panels := Load(Param("panels"), GP64())
	stride := Load(Param("stride"), GP64())
	SHLQ(U8(2), ld)
	SHLQ(U8(2), stride)
	s, d, q := GP64(), GP64(), GP64()
	Label("rows_block_row")
	MOVQ(src, s)
	MOVQ(dst, d)
	MOVQ(panels, q)
	Label("rows_block_panel")
	v := ZMM()
	VMOVUPS(Mem{Base: s}, v)
	VMOVUPS(v, Mem{Base: d})
	ADDQ(U32(64), s)
	ADDQ(stride, d)
	DECQ(q)
	JNZ(LabelRef("rows_block_panel"))
	ADDQ(ld, src)
	ADDQ(U32(64), dst)
	DECQ(k)
	JNZ(LabelRef("rows_block_row"))
	VZEROUPPER()
	RET()
}

// loadRows returns n registers (made by vec) holding rows first..first+n-1
// of src, each loaded only when the row is below the count in rows (a
// register, checked at run time) and below present (the panel's rows),
// else zero: rows past an A panel's last are never read.
func loadRows(src rowGroup, rows Register, first, n, present int, vec func() VecVirtual, name string) []VecVirtual {
	r := make([]VecVirtual, n)
	for j := range r {
		r[j] = vec()
		VXORPS(r[j], r[j], r[j])
		row := first + j
		if row >= present {
			continue
		}
		skip := fmt.Sprintf("%s_row%d", name, row)
		CMPQ(rows, U8(row))
		JLE(LabelRef(skip))
		VMOVUPS(src.at(row), r[j])
		Label(skip)
	}
	return r
}

// packPanel6 emits
//
//	func packTransposed6AVX2(panel, src *float32, ld, blocks, rows int)
//	func packRows6AVX2(panel, src *float32, ld, k, rows int)
//
// the AVX2 kernel's A panel when K runs along memory: panel[p·6+i] =
// src[i·ld+p] for the first rows (at most 6) rows i and 0 for the rest, for
// p < 8·blocks. Each 8-column block is loaded a row to a register (zero
// for rows past the last, which are not read), transposed as 8×8, and each
// column stored in order as 8 floats, whose last 2 the next column's
// store overwrites; the block's last column goes as 4 and 2. Rows (A
// transposed): panel[p·6+i] = src[p·ld+i], a step a masked load of the
// first rows lanes and the same overlapping store.
func packPanel6() {
	TEXT("packTransposed6AVX2", NOSPLIT, "func(panel, src *float32, ld, blocks, rows int)")
	Doc("packTransposed6AVX2 sets panel[p·6+i] = src[i·ld+p] for i < rows and 0 for rows ≤ i < 6, for p < 8·blocks;",
		"blocks must be at least 1 and rows at most 6.")
	panel, src, ld, blocks := packArgs("blocks")
	rows := Load(Param("rows"), GP64())
	srcRows := rowsFrom(src, ld, 6)
	Label("pack6_loop")
	for p, col := range transpose8x8(loadRows(srcRows, rows, 0, 8, 6, YMM, "pack6")) {
		at := Mem{Base: panel, Disp: 24 * p}
		if p < 7 {
			VMOVUPS(col, at)
			continue
		}
		VMOVUPS(col.AsX(), at)
		hi := XMM()
		VEXTRACTF128(U8(1), col, hi)
		VMOVQ(hi, Mem{Base: panel, Disp: 24*p + 16})
	}
	srcRows.advance(32)
	ADDQ(U32(8*24), panel)
	DECQ(blocks)
	JNZ(LabelRef("pack6_loop"))
	VZEROUPPER()
	RET()

	TEXT("packRows6AVX2", NOSPLIT, "func(panel, src *float32, ld, k, rows int)")
	Doc("packRows6AVX2 sets panel[p·6+i] = src[p·ld+i] for i < rows and 0 for rows ≤ i < 6, for p < k;",
		"k must be at least 2 and rows at most 6.")
	panel, src, ld, k := packArgs("k")
	n := Load(Param("rows"), GP64())
	// The first n lanes' mask: 8 words from a table of eight −1s and eight
	// 0s, starting 8−n words in.
	masks := GLOBL("firstLanes8", RODATA|NOPTR)
	for w := 0; w < 16; w++ {
		word := U32(0)
		if w < 8 {
			word = U32(0xffffffff)
		}
		DATA(4*w, word)
	}
	table := GP64()
	LEAQ(masks, table)
	NEGQ(n)
	ADDQ(U8(8), n)
	present := YMM()
	VMOVUPS(Mem{Base: table, Index: n, Scale: 4}, present)
	DECQ(k) // the last step is stored as 4 and 2
	Label("rows6_loop")
	v := YMM()
	VMASKMOVPS(Mem{Base: src}, present, v)
	VMOVUPS(v, Mem{Base: panel}) // its last 2 lanes fall on the next step's first, stored after
	ADDQ(ld, src)
	ADDQ(U32(24), panel)
	DECQ(k)
	JNZ(LabelRef("rows6_loop"))
	last := YMM()
	VMASKMOVPS(Mem{Base: src}, present, last)
	VMOVUPS(last.AsX(), Mem{Base: panel})
	hi := XMM()
	VEXTRACTF128(U8(1), last, hi)
	VMOVQ(hi, Mem{Base: panel, Disp: 16})
	VZEROUPPER()
	RET()
}
