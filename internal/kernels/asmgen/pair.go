//go:build generate

package main

// The AVX-512 pair kernels: a tile of up to 12 rows by two B panels of 16
// columns, with A's panel packed (microKernel512Pair) or A's rows read in
// place (microKernel512Rows), and the pieces of their loops that the
// fetching and stepping forms (ahead.go, steptile.go) share.

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// microKernel512Pair emits
//
//	func gemmPairAVX512_Rx32(k int, a, b0, b1 *float32, ldb int, c *float32, ldc int, store, relu bool, bias *float32)
//
// the AVX-512 micro-kernel of an R×32 tile (R = rows) over two B panels of
// 16 columns, b0 and b1, their rows ldb floats apart, and an A panel packed
// astep floats a step (R ≤ astep: the last, short panel of a block is
// packed as wide as the others). Each row of the tile is two ZMM
// accumulators, and each element of A is broadcast once for both: 2+R
// loads for 2·R multiply-adds, where a 16×16 tile needs 17 for 16 and so
// is held back by the two load ports of an Intel core. Each element is
// summed as every tile sums it (a multiply-add a step from zero, then
// added to c, or stored plus its bias; with relu, a product's last k
// block, each element then goes to C as max(0, v), the layer's relu as
// ReLU computes it). The first min(k, rows) steps each fetch a row of
// the tile (two lines: all of it where the row is aligned to 64 bytes),
// which a product too large for the caches (blocks of a 2048-unit layer
// at batch 512) would otherwise wait for at the end: adding to c (a k
// block after a product's first, or any of an accumulating product's),
// alternated runs (Intel Xeon, 2 threads) 1.02–1.06× at 4096 units and
// at 1024–2048 units and batch 512, 0.98–1.08× at batch 128, MNIST's
// step 1.01–1.03× (fetching to read, PREFETCHT0; fetching so when
// storing too lost 2% at batch 128; the same fetch in the in-place
// kernel, whose products' C are smaller, was level).
//
// Since the thirty-fifth session the rows are fetched for writing
// (PREFETCHW, as the stepping tiles fetch their weights), storing too: a
// layer's output, or an input gradient, that both threads read after it
// was last written is a line the far core holds, which a store must
// claim from it, and a tile whose rows lie 4 KiB apart waited at its
// stores for that (docs/PERFORMANCE.md, "The relu in the packed tiles").
// On the Zen 5, the vCPUs about 1 µs apart, two threads, training in one
// process with the fetch switched, medians of alternated stretches: two
// hidden layers of 1024 units at batch 128 1.012 (twelve pairs), 2048 and
// 4096 at 128 1.010, 1024 at 512 1.005 and at 32 1.002, MNIST's 256 units
// 1.006; one thread level. Not measured on an Intel Xeon, where fetching
// to read while storing lost 2% (above).
func microKernel512Pair(rows, astep int) {
	name := fmt.Sprintf("gemmPairAVX512_%dx32", rows)
	TEXT(name, NOSPLIT, "func(k int, a, b0, b1 *float32, ldb int, c *float32, ldc int, store, relu bool, bias *float32)")
	Doc(fmt.Sprintf("%s adds the product of a packed A panel (k steps of %d floats, the first %d used) and two k×16", name, astep, rows),
		fmt.Sprintf("B panels at b0 and b1, their rows ldb floats apart, to the %d×32 tile of C at c, whose rows are ldc", rows),
		"floats apart, or with store sets the tile to it plus the 32 floats at bias, if not nil, in each row;",
		"with relu, each element then max(0, ·). k must be at least 1.")
	k, a, b0, b1, ldb, acc := pairStart(rows)
	c := Load(Param("c"), GP64())
	ldc := Load(Param("ldc"), GP64())
	SHLQ(U8(2), ldc) // floats to bytes
	Comment("The first min(k, rows) steps each fetch a row of the tile, for writing.")
	MOVQ(c, R8) // a physical register: prefetchW encodes it
	fetchingLoop(name, k, rows, func() {
		prefetchW(R8, 0)
		prefetchW(R8, 64)
		ADDQ(ldc, R8)
	}, func() { pairKStep(rows, astep, a, b0, b1, ldb, acc) })
	Comment("c[i][:] += acc for each row, or = acc (+ bias) with store; then max(0, ·) with relu")
	tileOutReLU(acc, 2, 64, c, ldc, name, nil)
}

// pairStart loads a pair kernel's k, a, b0, b1 and ldb (in bytes) and
// zeroes its rows×2 accumulators.
func pairStart(rows int) (k, a, b0, b1, ldb Register, acc []VecVirtual) {
	k = Load(Param("k"), GP64())
	a = Load(Param("a"), GP64())
	b0 = Load(Param("b0"), GP64())
	b1 = Load(Param("b1"), GP64())
	ldb = Load(Param("ldb"), GP64())
	SHLQ(U8(2), ldb) // floats to bytes
	acc = make([]VecVirtual, rows*2)
	for i := range acc {
		acc[i] = ZMM()
		VXORPS(acc[i], acc[i], acc[i])
	}
	return k, a, b0, b1, ldb, acc
}

// pairKStep emits one step of k of a pair kernel: the rows elements of
// the packed A panel at a (astep floats a step) times the rows of the B
// panels at b0 and b1 (ldb bytes apart), into acc, two registers a row;
// then a, b0 and b1 move to the next step.
func pairKStep(rows, astep int, a, b0, b1, ldb Register, acc []VecVirtual) {
	v0, v1 := ZMM(), ZMM()
	VMOVUPS(Mem{Base: b0}, v0)
	VMOVUPS(Mem{Base: b1}, v1)
	// A streams from L2: fetch eight steps ahead (see microKernel512).
	PREFETCHT0(Mem{Base: a, Disp: 4 * astep * 8})
	for i := 0; i < rows; i++ {
		ai := ZMM()
		VBROADCASTSS(Mem{Base: a, Disp: 4 * i}, ai)
		VFMADD231PS(v0, ai, acc[2*i])
		VFMADD231PS(v1, ai, acc[2*i+1])
	}
	ADDQ(U32(4*astep), a)
	ADDQ(ldb, b0)
	ADDQ(ldb, b1)
}

// fetchingLoop emits a kernel's loop of k ≥ 1 steps (k is consumed), the
// first min(k, fetches) of which run fetch before step: a row of a tile
// fetched a step, so that the tile's lines arrive while the products
// run. Its labels are name_fetching, name_loop (the plain steps, where a
// kernel that fetches nothing may jump with all of k) and name_out, after
// the loop.
func fetchingLoop(name string, k Register, fetches int, fetch, step func()) {
	first := GP64()
	MOVQ(U32(fetches), first)
	CMPQ(k, first)
	CMOVQLT(k, first)
	SUBQ(first, k)
	Label(name + "_fetching")
	fetch()
	step()
	DECQ(first)
	JNZ(LabelRef(name + "_fetching"))
	plainSteps(name, k, step)
}

// plainSteps emits a kernel's loop of the k ≥ 0 steps left (k is
// consumed), labels name_loop and name_out, after it.
func plainSteps(name string, k Register, step func()) {
	TESTQ(k, k)
	JZ(LabelRef(name + "_out"))
	Label(name + "_loop")
	step()
	DECQ(k)
	JNZ(LabelRef(name + "_loop"))
	Label(name + "_out")
}

// microKernel512Rows emits
//
//	func gemmPairRowsAVX512_Rx32(k int, a *float32, lda int, b0, b1 *float32, ldb int, c *float32, ldc int, store, relu bool, bias *float32)
//	func gemmPanelRowsAVX512_Rx16(k int, a *float32, lda int, b0 *float32, ldb int, c *float32, ldc int, store, relu bool, bias *float32, cols int)
//
// microKernel512Pair (panels = 2) and its one-panel form with A read where
// it lies, R rows lda floats apart, rather than from a packed panel: each
// element is broadcast once for the B panels, as there, and summed in the
// same order, so the tile gets the same bits. A product whose B is packed
// already (a frozen layer's weights) then packs nothing at all: 4–7%
// faster at 128 and 256 rows of a 784-256-256-10 network (alternated
// runs, Intel Xeon). In bands of columns too, where each thread would
// pack all of A; a block of a product that packs B otherwise keeps A
// packed (a 1024³ product read in place: 0.98× on one thread, 0.81× on
// two, its rows 4 KB apart sharing L1 sets; see readsAInPlace). The one-panel form writes the
// first cols columns of its tile alone (a last panel narrower than 16:
// a classifier's ten outputs), straight into C. With relu (a product's
// last k block), each element goes to C as max(0, v): a layer's relu in
// the product, rather than a pass over its output after.
func microKernel512Rows(rows, panels int) { microKernel512RowsFetching(rows, panels, false) }

// microKernel512RowsFetching is microKernel512Rows, and with ahead (12
// rows, two panels) its form gemmPairRowsAheadAVX512_12x32, which also
// fetches lines into L2 as gemmPairAheadAVX512_12x32 does (ahead.go):
// two every four steps, in the first loops.
func microKernel512RowsFetching(rows, panels int, ahead bool) {
	name := fmt.Sprintf("gemmPairRowsAVX512_%dx32", rows)
	signature := "func(k int, a *float32, lda int, b0, b1 *float32, ldb int, c *float32, ldc int, store, relu bool, bias *float32)"
	if ahead {
		name = fmt.Sprintf("gemmPairRowsAheadAVX512_%dx32", rows)
		signature = "func(k int, a *float32, lda int, b0, b1 *float32, ldb int, c *float32, ldc int, store, relu bool, bias *float32, ahead *float32, aheadFrom, aheadLd, aheadLines, aheadLeft, aheadCount int) (walked int)"
	}
	if panels == 1 {
		name = fmt.Sprintf("gemmPanelRowsAVX512_%dx16", rows)
		signature = "func(k int, a *float32, lda int, b0 *float32, ldb int, c *float32, ldc int, store, relu bool, bias *float32, cols int)"
	}
	TEXT(name, NOSPLIT, signature)
	if panels == 1 {
		Doc(fmt.Sprintf("%s adds the product of the %d×k block of A at a, its rows lda floats apart, and the k×16", name, rows),
			fmt.Sprintf("B panel at b0, its rows ldb floats apart, to the first cols ≤ 16 columns of the %d×16 tile of C at c,", rows),
			"whose rows are ldc floats apart, or with store sets them to it plus the cols floats at bias, if not nil,",
			"in each row; with relu, each then max(0, ·). k must be at least 1.")
	} else if ahead {
		Doc(fmt.Sprintf("%s is gemmPairRowsAVX512_%dx32 that also prefetches into L2 aheadCount cache lines,", name, rows),
			"two every four steps of k: rows of aheadLines lines, aheadLd floats apart, from the line aheadFrom bytes",
			"past ahead, aheadLeft lines before the end of its row. aheadCount must be even and at most 2·⌊k/4⌋",
			"(more are not fetched; below 0, none are) and aheadLeft at least 1. It returns the bytes from ahead to past",
			"the last line fetched (aheadFrom when none was). k must be at least 1.")
	} else {
		Doc(fmt.Sprintf("%s adds the product of the %d×k block of A at a, its rows lda floats apart, and two k×16", name, rows),
			fmt.Sprintf("B panels at b0 and b1, their rows ldb floats apart, to the %d×32 tile of C at c, whose rows are ldc", rows),
			"floats apart, or with store sets the tile to it plus the 32 floats at bias, if not nil, in each row;",
			"with relu, each then max(0, ·). k must be at least 1.")
	}
	k := Load(Param("k"), GP64())
	lda := Load(Param("lda"), GP64())
	b := []Register{Load(Param("b0"), GP64())}
	if panels == 2 {
		b = append(b, Load(Param("b1"), GP64()))
	}
	ldb := Load(Param("ldb"), GP64())
	SHLQ(U8(2), ldb) // floats to bytes
	SHLQ(U8(2), lda)
	// Rows in threes from a base each: row 3g+r at base g + r·lda (an
	// address's index takes a scale of 1 or 2, not 3).
	bases := make([]Register, (rows+2)/3)
	bases[0] = Load(Param("a"), GP64())
	if len(bases) > 1 {
		three := GP64()
		LEAQ(Mem{Base: lda, Index: lda, Scale: 2}, three)
		for g := 1; g < len(bases); g++ {
			bases[g] = GP64()
			LEAQ(Mem{Base: bases[g-1], Index: three, Scale: 1}, bases[g])
		}
	}
	rowAt := func(i, disp int) Mem {
		m := Mem{Base: bases[i/3], Disp: disp}
		if r := i % 3; r > 0 {
			m.Index, m.Scale = lda, uint8(r)
		}
		return m
	}

	acc := make([]VecVirtual, rows*panels)
	for i := range acc {
		acc[i] = ZMM()
		VXORPS(acc[i], acc[i], acc[i])
	}

	// step multiplies-adds column p of A's rows (disp bytes past the
	// bases) into the tile and moves to B's next row.
	step := func(disp int) {
		bv := make([]VecVirtual, panels)
		for v := range bv {
			bv[v] = ZMM()
			VMOVUPS(Mem{Base: b[v]}, bv[v])
		}
		for i := 0; i < rows; i++ {
			ai := ZMM()
			VBROADCASTSS(rowAt(i, disp), ai)
			for v := range bv {
				VFMADD231PS(bv[v], ai, acc[panels*i+v])
			}
		}
		for v := range b {
			ADDQ(ldb, b[v])
		}
	}
	// Four steps a loop, the bases moved once: 2–4% faster than one on
	// the products of a frozen 784-256-256-10 network (Intel Xeon; a
	// software prefetch of each row's next lines, as the packed panel
	// has, made them 2–4% slower: the rows are streams the hardware
	// prefetches).
	const unroll = 4
	if ahead {
		Comment("First min(aheadCount/2, k/4) loops, each fetching two lines ahead.")
		loops := Load(Param("aheadCount"), GP64())
		SARQ(U8(1), loops)
		t := GP64()
		MOVQ(k, t)
		SHRQ(U8(2), t)
		CMPQ(t, loops)
		CMOVQLT(t, loops)
		next, walked := aheadWalk()
		TESTQ(loops, loops)
		JLE(LabelRef(name + "_fetched"))
		MOVQ(loops, t)
		SHLQ(U8(2), t)
		SUBQ(t, k)
		Label(name + "_fetching")
		for u := 0; u < unroll; u++ {
			if u%2 == 0 {
				next(name + fmt.Sprintf("_fetch%d", u))
			}
			step(4 * u)
		}
		for _, base := range bases {
			ADDQ(U8(4*unroll), base)
		}
		DECQ(loops)
		JNZ(LabelRef(name + "_fetching"))
		Label(name + "_fetched")
		walked()
	}
	CMPQ(k, U8(unroll))
	JL(LabelRef(name + "_tail"))
	Label(name + "_loop")
	for u := 0; u < unroll; u++ {
		step(4 * u)
	}
	for _, base := range bases {
		ADDQ(U8(4*unroll), base)
	}
	SUBQ(U8(unroll), k)
	CMPQ(k, U8(unroll))
	JGE(LabelRef(name + "_loop"))
	Label(name + "_tail")
	TESTQ(k, k)
	JZ(LabelRef(name + "_out"))
	step(0)
	for _, base := range bases {
		ADDQ(U8(4), base)
	}
	DECQ(k)
	JMP(LabelRef(name + "_tail"))

	Label(name + "_out")
	c := Load(Param("c"), GP64())
	ldc := Load(Param("ldc"), GP64())
	SHLQ(U8(2), ldc) // floats to bytes
	if panels == 1 {
		Comment("c[i][:cols] += acc for each row, or = acc (+ bias) with store; then max(0, ·) with relu")
		tileOutReLU(acc, 1, 64, c, ldc, name, lowLanes(Load(Param("cols"), GP64())))
		return
	}
	Comment("c[i][:] += acc for each row, or = acc (+ bias) with store; then max(0, ·) with relu")
	tileOutReLU(acc, 2, 64, c, ldc, name, nil)
}
