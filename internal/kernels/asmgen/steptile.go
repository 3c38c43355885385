//go:build generate

package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/ir"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// microKernel512PairStep emits
//
//	func gemmPairStepAVX512_12x32(k int, a, b0, b1 *float32, ldb int, c *float32, ldc int, w, buf *float32, ldw int, nextW, nextBuf *float32, lr, mu, floor float32)
//	func gemmPairNesterovAVX512_12x32(…the same…)
//
// microKernel512Pair's full 12×32 tile of a weight gradient's last k
// block, whose sums, added to the earlier blocks' tile at c (rows ldc
// floats apart; nil: none), are not stored but make a momentum step
// (momentumUpdate's, Nesterov's with nesterov) of the same tile of the
// weights at w and their buffers at buf, rows ldw floats apart: the last
// block's sums never reach memory, and the step reads and writes the
// weights and buffers once, from the registers, right after the
// multiply-adds rather than in a pass over the band of its own. The
// products' first min(k, 12) steps each fetch a row of the next tile's
// weights and buffers (nextW, nextBuf: the tile's own where there is no
// next), so that they are in L1 when its step comes: 1.03–1.06× faster
// at 1024–4096 units than without the fetches (alternated runs, Intel
// Xeon, with PREFETCHT0; fetching into L2 alone, two tiles ahead, or
// three into L2, was no faster, and a third line a row, for rows not
// aligned to 64 bytes, 0.97–0.98× where they are). The fetches are for
// writing (PREFETCHW, not yet measured on an Intel Xeon), so that a line
// the other core has read comes at once rather than shared and then
// claimed at the store (see prefetchW). Each element gets the bits of the
// pair kernel storing the tile (or adding it to c) and momentumAVX2 (or
// nesterovAVX2) stepping it.
func microKernel512PairStep(nesterov bool) {
	const rows, astep = 12, 12
	name, step := fmt.Sprintf("gemmPairStepAVX512_%dx32", rows), "w −= lr·buf"
	if nesterov {
		name, step = fmt.Sprintf("gemmPairNesterovAVX512_%dx32", rows), "w −= lr·(g + mu·buf)"
	}
	TEXT(name, NOSPLIT, "func(k int, a, b0, b1 *float32, ldb int, c *float32, ldc int, w, buf *float32, ldw int, nextW, nextBuf *float32, lr, mu, floor float32)")
	Doc(fmt.Sprintf("%s computes the product g of a packed A panel (k steps of %d floats) and two k×16 B panels", name, astep),
		"at b0 and b1, their rows ldb floats apart, plus the 12×32 tile at c, rows ldc floats apart, unless c is nil,",
		"and makes a momentum step with it of the 12×32 tiles at w and buf,",
		"rows ldw floats apart: buf = mu·buf + g, 0 where smaller than floor in magnitude, then "+step+".",
		"It prefetches the first min(k, 12) rows of the tiles at nextW and nextBuf, for writing. k must be at least 1.")
	k, a, b0, b1, ldb, acc := pairStart(rows)
	ldw := Load(Param("ldw"), GP64())
	Load(Param("nextW"), R8) // physical registers: prefetchW encodes them
	Load(Param("nextBuf"), R9)
	SHLQ(U8(2), ldw) // floats to bytes
	Comment("The first min(k, 12) steps each prefetch a row of the next tiles, for writing.")
	fetchingLoop(name, k, rows, func() {
		for _, r := range []Physical{R8, R9} { // nextW, nextBuf
			prefetchW(r, 0) // two lines: a third, where the row is not aligned, costs more than it saves
			prefetchW(r, 64)
			ADDQ(ldw, r)
		}
	}, func() { pairKStep(rows, astep, a, b0, b1, ldb, acc) })

	Comment("g = c + acc, as a tile adds to C, where c is not nil")
	c := Load(Param("c"), GP64())
	TESTQ(c, c)
	JZ(LabelRef(name + "_stepping"))
	ldc := Load(Param("ldc"), GP64())
	SHLQ(U8(2), ldc)
	for i := 0; i < rows; i++ {
		for v := 0; v < 2; v++ {
			VADDPS(Mem{Base: c, Disp: 64 * v}, acc[2*i+v], acc[2*i+v])
		}
		ADDQ(ldc, c)
	}
	Label(name + "_stepping")
	Comment("buf = mu·buf + g, flushed below floor; then " + step + "; each product rounded before its sum")
	w := Load(Param("w"), GP64())
	buf := Load(Param("buf"), GP64())
	param := func(name string) VecVirtual {
		r := ZMM()
		VBROADCASTSS(paramAddr(name), r)
		return r
	}
	lr, mu, floor := param("lr"), param("mu"), param("floor")
	abs := ZMM()
	VPBROADCASTD(constant("abs_mask", U32(0x7fffffff)), abs)
	for i := 0; i < rows; i++ {
		for v := 0; v < 2; v++ {
			momentumLanes(acc[2*i+v], Mem{Base: buf, Disp: 64 * v}, Mem{Base: w, Disp: 64 * v}, lr, mu, nesterov, ZMM, func(b VecVirtual) {
				keep, t := K(), ZMM() // |b| not below floor (NaN kept), as flushBelow keeps it
				VPANDD(abs, b, t)
				VCMPPS(U8(0x15), floor, t, keep)
				VMOVAPS_Z(b, keep, b)
			})
		}
		ADDQ(ldw, w)
		ADDQ(ldw, buf)
	}
	VZEROUPPER()
	RET()
}

// prefetchW emits PREFETCHW disp(base), which fetches a line to be
// written, taking it from any other core's cache rather than sharing it,
// as BYTEs (prefetchWCode): neither avo nor Go's assembler knows the
// instruction (CPUID's PRFCHW, which every AVX-512 CPU has). A tile's step
// that fetched its weights' lines to read (PREFETCHT0) waited at its
// stores, where the other core had read them, for a second trip to that
// core to claim them. On a 2-vCPU Zen 5 EPYC, two threads, alternated
// pairs: two hidden layers of 1024 units at batch 128 trained 1.09×
// faster (median of seven pairs, 1.00–1.23×; four of them with the vCPUs
// measured about 1 µs apart, a cache line's round trip), of 256 units
// 1.05× (four, about 1 µs); MNIST's step (BenchmarkMLPStep) 1.02× (nine,
// 0.93–1.19×) and `wiggle train` on MNIST 1.05× (six), the distance not
// measured; other points level, and the points above level with the
// vCPUs 200 ns apart. On one thread level or faster.
//
// avo does not see the BYTEs read base: a caller must keep base live
// past them (the fetching loop's ADDQ to the next row does), or avo could
// give the register to another value there.
func prefetchW(base Physical, disp int) {
	Comment(fmt.Sprintf("PREFETCHW %d(%s)", disp, base.Asm()))
	for _, b := range prefetchWCode(int(base.PhysicalIndex()), disp) {
		Instruction(&ir.Instruction{Opcode: "BYTE", Operands: []Op{U8(b)}})
	}
}

// prefetchWCode is the machine code of PREFETCHW disp(base), 0F 0D /1,
// for base R8–R11, R14 or R15 (register numbers 8–11, 14, 15: no SIB byte
// and no special case of the mod field) and disp 0 to 127; it panics for
// others, which no kernel uses.
func prefetchWCode(base, disp int) []byte {
	if base < 8 || base == 12 || base == 13 || base > 15 || disp < 0 || disp > 127 {
		panic(fmt.Sprintf("prefetchW: register %d, displacement %d: not encoded here", base, disp))
	}
	modrm := byte(1<<3 | base&7)            // the reg field's /1 is PREFETCHW; rm, base's low bits
	code := []byte{0x41, 0x0f, 0x0d, modrm} // REX.B: base is R8–R15
	if disp != 0 {
		code[3] |= 1 << 6 // mod 01: a byte of displacement follows
		code = append(code, byte(disp))
	}
	return code
}
