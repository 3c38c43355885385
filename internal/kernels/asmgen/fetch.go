//go:build generate

package main

// Lines asked of the caches ahead of a loop that reads them.

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
)

// fetchLines emits
//
//	func fetchLines(p *float32, lines int)
//
// a PREFETCHT0 of each of lines cache lines, 64 bytes apart from the one
// that holds p on (FetchLines). A fetch never faults and changes no value.
func fetchLines() {
	TEXT("fetchLines", NOSPLIT, "func(p *float32, lines int)")
	Doc("fetchLines asks the caches for lines cache lines, 64 bytes apart from the one that holds p on",
		"(PREFETCHT0). lines must be at least 1.")
	p := Load(Param("p"), GP64())
	n := Load(Param("lines"), GP64())
	Label("fetchLines_loop")
	PREFETCHT0(Mem{Base: p})
	ADDQ(U8(64), p)
	DECQ(n)
	JNZ(LabelRef("fetchLines_loop"))
	RET()
}
