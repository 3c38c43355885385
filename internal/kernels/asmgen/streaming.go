//go:build generate

package main

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
)

// copyStreaming emits
//
//	func copyStreamingAVX2(dst, src *float32, lines int)
//
// a copy of whole cache lines (16 floats each, dst aligned to 64 bytes)
// whose stores go around the caches (VMOVNTPS), then SFENCE, so that the
// stores are in memory's order before the caller hands dst to another
// thread.
func copyStreaming() {
	TEXT("copyStreamingAVX2", NOSPLIT, "func(dst, src *float32, lines int)")
	Doc("copyStreamingAVX2 copies lines·16 floats from src to dst with non-temporal stores, then SFENCE; dst must be 64-byte aligned.")
	dst := Load(Param("dst"), GP64())
	src := Load(Param("src"), GP64())
	lines := Load(Param("lines"), GP64())
	TESTQ(lines, lines)
	JZ(LabelRef("copystream_done"))
	Label("copystream_loop")
	for half := 0; half < 2; half++ {
		v := YMM()
		VMOVUPS(Mem{Base: src, Disp: 32 * half}, v)
		VMOVNTPS(v, Mem{Base: dst, Disp: 32 * half})
	}
	ADDQ(U32(64), src)
	ADDQ(U32(64), dst)
	DECQ(lines)
	JNZ(LabelRef("copystream_loop"))
	SFENCE()
	Label("copystream_done")
	VZEROUPPER()
	RET()
}
