//go:build generate

package main

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// streamingStores emits
//
//	func copyStreamingAVX2(dst, src *float32, lines int)
//	func reluForwardStreamingAVX2(y, x *float32, lines int)
//
// a copy and relu's forward pass over whole cache lines (16 floats each,
// the destination aligned to 64 bytes) whose stores go around the caches
// (VMOVNTPS), then SFENCE, so that the stores are in memory's order
// before the caller hands the buffer to another thread. relu is
// reluForward's VMAXPS, so the bits are the same.
func streamingStores() {
	streamingLoop("copyStreamingAVX2", "dst", "src", "copies lines·16 floats from src to dst", func(v VecVirtual) {})
	streamingLoop("reluForwardStreamingAVX2", "y", "x", "sets y[i] = relu(x[i]) for lines·16 floats", func(v VecVirtual) {
		zero := YMM()
		VXORPS(zero, zero, zero)
		VMAXPS(v, zero, v) // as reluForward: v = max(zero, v), v the second source (NaN and −0 pass)
	})
}

// streamingLoop emits one of streamingStores' loops, from the pointer
// named src to the one named dst, body applied to each half line loaded
// before its store.
func streamingLoop(name, dstName, srcName, what string, body func(v VecVirtual)) {
	TEXT(name, NOSPLIT, "func("+dstName+", "+srcName+" *float32, lines int)")
	Doc(name + " " + what + ", with non-temporal stores, then SFENCE; the destination must be 64-byte aligned.")
	dst := Load(Param(dstName), GP64())
	src := Load(Param(srcName), GP64())
	lines := Load(Param("lines"), GP64())
	TESTQ(lines, lines)
	JZ(LabelRef(name + "_done"))
	Label(name + "_loop")
	for half := 0; half < 2; half++ {
		v := YMM()
		VMOVUPS(Mem{Base: src, Disp: 32 * half}, v)
		body(v)
		VMOVNTPS(v, Mem{Base: dst, Disp: 32 * half})
	}
	ADDQ(U32(64), src)
	ADDQ(U32(64), dst)
	DECQ(lines)
	JNZ(LabelRef(name + "_loop"))
	SFENCE()
	Label(name + "_done")
	VZEROUPPER()
	RET()
}
