//go:build generate

package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// microKernel512PairAhead emits, for steps = 2 and 1,
//
//	func gemmPairAheadAVX512_12x32(k int, a, b0, b1 *float32, ldb int, c *float32, ldc int, store, relu bool, bias *float32, ahead *float32, aheadFrom, aheadLd, aheadLines, aheadLeft, aheadCount int) (walked int)
//	func gemmPairAheadDenseAVX512_12x32(…the same…)
//
// microKernel512Pair's 12×32 tile that also fetches into L2 aheadCount
// cache lines that a later band of the product will pack (fetchAhead):
// rows of aheadLines lines, aheadLd floats apart, from the line aheadFrom
// bytes past ahead, aheadLeft lines before the end of its row. (The
// caller passes a float of the region and an offset, not the line, which
// may start before the region's slice.) The steps that fetch C's
// rows (the first min(k, 12), for writing, as microKernel512Pair's do)
// fetch nothing else; then one
// step in steps fetches a line, so that the fetches wait on memory beside
// the multiply-adds rather than in a burst before a band's packing: every
// other step, or every step in the dense form, for bands of few tiles
// (batch 32). aheadCount must be at most (k − min(k, 12))/steps (more are
// not fetched; below 0, none are) and aheadLeft at least 1. The sums are
// gemmPairAVX512_12x32's bits (relu as there); it returns where the walk stopped
// (aheadWalk), for the tests.
func microKernel512PairAhead(steps int) {
	const rows, astep = 12, 12
	name, every := "gemmPairAheadAVX512_12x32", "one every other step"
	if steps == 1 {
		name, every = "gemmPairAheadDenseAVX512_12x32", "one every step"
	}
	TEXT(name, NOSPLIT, "func(k int, a, b0, b1 *float32, ldb int, c *float32, ldc int, store, relu bool, bias *float32, ahead *float32, aheadFrom, aheadLd, aheadLines, aheadLeft, aheadCount int) (walked int)")
	most := "(k − min(k, 12))/2"
	if steps == 1 {
		most = "k − min(k, 12)"
	}
	Doc(name+" is gemmPairAVX512_12x32 that also prefetches into L2",
		"aheadCount cache lines, "+every+" of k after the first min(k, 12): rows of aheadLines lines, aheadLd floats",
		"apart, from the line aheadFrom bytes past ahead, aheadLeft lines before the end of its row. aheadCount must",
		"be at most "+most+" (more are not fetched) and aheadLeft at least 1. It returns the bytes from ahead",
		"to past the last line fetched (aheadFrom when none was). k must be at least 1.")
	k, a, b0, b1, ldb, acc := pairStart(rows)
	step := func() { pairKStep(rows, astep, a, b0, b1, ldb, acc) }

	Comment("The first min(k, 12) steps each fetch a row of the tile, for writing.")
	first := GP64()
	MOVQ(U32(rows), first)
	CMPQ(k, first)
	CMOVQLT(k, first)
	SUBQ(first, k)
	Load(Param("c"), R8) // a physical register: prefetchW encodes it
	ldc := Load(Param("ldc"), GP64())
	SHLQ(U8(2), ldc)
	Label(name + "_fetching")
	prefetchW(R8, 0)
	prefetchW(R8, 64)
	ADDQ(ldc, R8)
	step()
	DECQ(first)
	JNZ(LabelRef(name + "_fetching"))

	Comment(fmt.Sprintf("Then min(aheadCount, k/%d) runs of %d steps, each fetching a line ahead.", steps, steps))
	pairs := GP64()
	MOVQ(k, pairs)
	if steps == 2 {
		SHRQ(U8(1), pairs)
	}
	count := Load(Param("aheadCount"), GP64())
	CMPQ(count, pairs)
	CMOVQLT(count, pairs)
	next, walked := aheadWalk()
	TESTQ(pairs, pairs)
	JLE(LabelRef(name + "_rest")) // a count below 0 fetches nothing
	for range steps {
		SUBQ(pairs, k)
	}
	Label(name + "_ahead")
	next(name + "_ahead")
	for range steps {
		step()
	}
	DECQ(pairs)
	JNZ(LabelRef(name + "_ahead"))

	Label(name + "_rest")
	walked()
	plainSteps(name, k, step)

	Comment("c[i][:] += acc for each row, or = acc (+ bias) with store; then max(0, ·) with relu")
	c := Load(Param("c"), GP64())
	ldc2 := Load(Param("ldc"), GP64())
	SHLQ(U8(2), ldc2)
	tileOutReLU(acc, 2, 64, c, ldc2, name, nil)
}

// aheadWalk loads a fetching kernel's walk of the lines ahead (its
// parameters ahead, aheadFrom, aheadLd, aheadLines and aheadLeft) and
// returns what emits the fetch of the next line, labels starting with
// name (the walk moves a line along its row, and past a row's last line
// to the next row's first), and what emits the store of the kernel's
// result walked: the bytes from ahead to where the walk stands, past the
// last line fetched (aheadFrom when none was), which the tests check.
func aheadWalk() (next func(name string), walked func()) {
	p := Load(Param("ahead"), GP64())
	from := Load(Param("aheadFrom"), GP64())
	ADDQ(from, p)
	lines := Load(Param("aheadLines"), GP64())
	skip := Load(Param("aheadLd"), GP64()) // bytes from a row's end to the next row's start
	SHLQ(U8(2), skip)
	t := GP64()
	MOVQ(lines, t)
	SHLQ(U8(6), t)
	SUBQ(t, skip)
	left := Load(Param("aheadLeft"), GP64()) // lines left in this row
	next = func(name string) {
		PREFETCHT1(Mem{Base: p})
		ADDQ(U8(64), p)
		DECQ(left)
		JNZ(LabelRef(name + "_same_row"))
		ADDQ(skip, p)
		MOVQ(lines, left)
		Label(name + "_same_row")
	}
	walked = func() {
		base := Load(Param("ahead"), GP64())
		SUBQ(base, p)
		Store(p, ReturnIndex(0))
	}
	return next, walked
}
