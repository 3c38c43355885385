// Command gen writes loops_amd64.s and its stubs, the loops that
// bench/loadcost times, with avo:
//
//	go generate ./...   (in bench/loadcost; see loadcost.go)
//
// Each loop is the inner loop of a micro-kernel of rows×(16·panels) floats
// over k steps, A's panel packed (rows floats a step) and B's panels side
// by side (ldb floats a row), summed into registers and stored to c. What
// varies is what each step loads beside its rows·panels multiply-adds.
package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// aSource is where a step's A values come from.
type aSource int

const (
	aBroadcast aSource = iota // a VBROADCASTSS from A's panel for each row, used by every panel
	aEmbedded                 // the multiply-adds broadcast A from memory themselves (VFMADD231PS.BCST)
	aRegister                 // one register loaded before the loop: no loads of A
	aScalar                   // the register, and scalar loads (MOVL) of A's values beside it
)

// loop is one timed loop: its tile, and what each step loads beside its
// multiply-adds.
type loop struct {
	name         string
	rows, panels int
	unroll       int     // steps of k a pass of the loop (1 or 4)
	prefetch     bool    // a PREFETCHT0 of A's panel eight steps ahead, each step
	a            aSource // where A's values come from
	scalars      int     // aScalar: the scalar loads a step
	loadB        bool    // false: B's panels held in registers loaded before the loop
}

func main() {
	ConstraintExpr("amd64")
	for _, l := range []loop{
		{name: "generated12x32", rows: 12, panels: 2, unroll: 1, prefetch: true, a: aBroadcast, loadB: true},
		{name: "unrolled12x32", rows: 12, panels: 2, unroll: 4, prefetch: true, a: aBroadcast, loadB: true},
		{name: "unrolledNoFetch", rows: 12, panels: 2, unroll: 4, a: aBroadcast, loadB: true},
		{name: "tile8x48", rows: 8, panels: 3, unroll: 4, a: aBroadcast, loadB: true},
		{name: "tile6x64", rows: 6, panels: 4, unroll: 4, a: aBroadcast, loadB: true},
		{name: "embedded12x32", rows: 12, panels: 2, unroll: 4, a: aEmbedded, loadB: true},
		{name: "noLoads", rows: 12, panels: 2, unroll: 4, a: aRegister},
		{name: "onlyB", rows: 12, panels: 2, unroll: 4, a: aRegister, loadB: true},
		{name: "onlyBroadcasts", rows: 12, panels: 2, unroll: 4, a: aBroadcast},
		{name: "scalar3", rows: 12, panels: 2, unroll: 4, a: aScalar, scalars: 3},
		{name: "scalar6", rows: 12, panels: 2, unroll: 4, a: aScalar, scalars: 6},
		{name: "scalar9", rows: 12, panels: 2, unroll: 4, a: aScalar, scalars: 9},
		{name: "scalar12", rows: 12, panels: 2, unroll: 4, a: aScalar, scalars: 12},
	} {
		emit(l)
	}
	Generate()
}

// emit writes
//
//	func name(k int, a, b *float32, ldb int, c *float32)
//
// k a positive multiple of l.unroll; c takes rows·panels·16 floats, the
// tile in rows of panels·16. Every loop makes 24 multiply-adds a step
// (the report counts on it) and passes 1 or 4 steps at a time.
func emit(l loop) {
	if l.rows*l.panels != 24 || (l.unroll != 1 && l.unroll != 4) {
		panic(fmt.Sprintf("%s: %d×%d tiles, %d steps a pass: want 24 multiply-adds a step and 1 or 4 steps a pass", l.name, l.rows, l.panels, l.unroll))
	}
	TEXT(l.name, NOSPLIT, "func(k int, a, b *float32, ldb int, c *float32)")
	Doc(fmt.Sprintf("%s runs %d×%d multiply-adds a step of k; k must be a positive multiple of %d.", l.name, l.rows, 16*l.panels, l.unroll))
	k := Load(Param("k"), GP64())
	a := Load(Param("a"), GP64())
	b := Load(Param("b"), GP64())
	ldb := Load(Param("ldb"), GP64())
	SHLQ(U8(2), ldb) // floats to bytes
	ldb3 := GP64()
	LEAQ(Mem{Base: ldb, Index: ldb, Scale: 2}, ldb3)

	acc := make([]VecVirtual, l.rows*l.panels)
	for i := range acc {
		acc[i] = ZMM()
		VXORPS(acc[i], acc[i], acc[i])
	}
	bv := make([]VecVirtual, l.panels)
	for j := range bv {
		bv[j] = ZMM()
		if !l.loadB {
			VMOVUPS(Mem{Base: b, Disp: 64 * j}, bv[j])
		}
	}
	held := ZMM() // A's value, for aRegister and aScalar
	VBROADCASTSS(Mem{Base: a}, held)
	scratch := GP32()

	if l.unroll > 1 {
		SHRQ(U8(2), k)
	}
	Label(l.name + "_loop")
	for u := 0; u < l.unroll; u++ {
		if l.loadB {
			for j := range bv {
				m := Mem{Base: b, Disp: 64 * j}
				switch u {
				case 1:
					m.Index, m.Scale = ldb, 1
				case 2:
					m.Index, m.Scale = ldb, 2
				case 3:
					m.Index, m.Scale = ldb3, 1
				}
				VMOVUPS(m, bv[j])
			}
		}
		if l.prefetch {
			PREFETCHT0(Mem{Base: a, Disp: 4 * l.rows * (8 + u)})
		}
		for r := 0; r < l.rows; r++ {
			at := Mem{Base: a, Disp: 4 * (l.rows*u + r)}
			av := held
			switch l.a {
			case aBroadcast:
				av = ZMM()
				VBROADCASTSS(at, av)
			case aScalar:
				if r < l.scalars {
					MOVL(at, scratch)
				}
			case aEmbedded:
				for j := range bv {
					VFMADD231PS_BCST(at, bv[j], acc[l.panels*r+j])
				}
				continue
			}
			for j := range bv {
				VFMADD231PS(bv[j], av, acc[l.panels*r+j])
			}
		}
		if l.unroll == 1 {
			ADDQ(ldb, b)
		}
	}
	ADDQ(U32(4*l.rows*l.unroll), a)
	if l.unroll > 1 {
		LEAQ(Mem{Base: b, Index: ldb, Scale: 4}, b)
	}
	DECQ(k)
	JNZ(LabelRef(l.name + "_loop"))

	c := Load(Param("c"), GP64())
	for i, v := range acc {
		VMOVUPS(v, Mem{Base: c, Disp: 64 * i})
	}
	VZEROUPPER()
	RET()
}
