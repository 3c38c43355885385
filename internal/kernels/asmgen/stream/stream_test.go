//go:build generate

package stream

import (
	"slices"
	"testing"

	"github.com/mmcloughlin/avo/ir"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// chain records y = (x·x)·c: a load, two products and a store, with c a
// register it reads but never writes.
func chain(regs *reg.Collection, c reg.VecVirtual, at int) []*ir.Instruction {
	body, hoisted := Record(func() {
		x, y := regs.ZMM(), regs.ZMM()
		VMOVUPS(operand.Mem{Base: reg.RAX, Disp: at}, x)
		VMULPS(x, x, y)
		VMULPS(c, y, y)
		VMOVUPS(y, operand.Mem{Base: reg.RDX, Disp: at})
	})
	if len(hoisted) != 0 {
		panic("chain hoists nothing")
	}
	return body
}

func TestRecordSeparatesHoisted(t *testing.T) {
	regs := reg.NewCollection()
	c, v := regs.ZMM(), regs.ZMM()
	body, hoisted := Record(func() {
		VADDPS(v, v, v)
		Hoist(func() { VBROADCASTSS(operand.Mem{Base: reg.RAX}, c) })
		VMULPS(c, v, v)
	})
	if got := opcodes(body); !slices.Equal(got, []string{"VADDPS", "VMULPS"}) {
		t.Errorf("body = %v, want [VADDPS VMULPS]", got)
	}
	if got := opcodes(hoisted); !slices.Equal(got, []string{"VBROADCASTSS"}) {
		t.Errorf("hoisted = %v, want [VBROADCASTSS]", got)
	}
}

func TestInterleaveTakesTurns(t *testing.T) {
	regs := reg.NewCollection()
	c := regs.ZMM()
	a, b := chain(regs, c, 0), chain(regs, c, 64)
	b = b[:3] // streams of unequal length: the longer one's rest follows
	got := Interleave(a, b)
	want := []*ir.Instruction{a[0], b[0], a[1], b[1], a[2], b[2], a[3]}
	if !slices.Equal(got, want) {
		t.Errorf("Interleave = %v, want %v", opcodes(got), opcodes(want))
	}
}

func TestPressure(t *testing.T) {
	regs := reg.NewCollection()
	c := regs.ZMM()
	a, b := chain(regs, c, 0), chain(regs, c, 64)
	zeroed, _ := Record(func() {
		x, z := regs.ZMM(), regs.ZMM()
		VMOVUPS(operand.Mem{Base: reg.RAX}, x)
		VMOVUPS(x, operand.Mem{Base: reg.RDX})
		VXORPS(z, z, z) // reads nothing: z is not live before it, beside x
		VMOVUPS(z, operand.Mem{Base: reg.RAX})
	})
	subtracted, _ := Record(func() {
		x, y := regs.ZMM(), regs.ZMM()
		VMOVUPS(operand.Mem{Base: reg.RAX}, x)
		VXORPS(c, x, y) // a cancelling form, but of two registers: reads both
		VMOVUPS(y, operand.Mem{Base: reg.RDX})
	})
	for _, tc := range []struct {
		name string
		list []*ir.Instruction
		want int
	}{
		{"one chain: x and y at the first product, c throughout", a, 3},
		{"two chains one after the other", slices.Concat(a, b), 3},
		{"two chains interleaved: both x and y of one beside the other's", Interleave(a, b), 4},
		{"a zeroing idiom", zeroed, 1},
		{"a cancelling form of two registers: c throughout, x and y", subtracted, 3},
	} {
		if got := Pressure(tc.list); got != tc.want {
			t.Errorf("%s: Pressure = %d, want %d", tc.name, got, tc.want)
		}
	}
}

func opcodes(list []*ir.Instruction) []string {
	var names []string
	for _, i := range list {
		names = append(names, i.Opcode)
	}
	return names
}
