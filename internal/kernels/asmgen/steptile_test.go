//go:build generate

package main

import (
	"testing"

	"golang.org/x/arch/x86/x86asm"
)

// TestPrefetchWCode decodes prefetchWCode's bytes with x/arch's
// disassembler: PREFETCHW of one byte at the base register and
// displacement asked for, in all the bytes.
func TestPrefetchWCode(t *testing.T) {
	regs := map[int]x86asm.Reg{8: x86asm.R8, 9: x86asm.R9, 10: x86asm.R10, 11: x86asm.R11, 14: x86asm.R14, 15: x86asm.R15}
	for n, reg := range regs {
		for _, disp := range []int{0, 1, 64, 127} {
			code := prefetchWCode(n, disp)
			inst, err := x86asm.Decode(code, 64)
			if err != nil {
				t.Errorf("R%d%+d: % x does not decode: %v", n, disp, code, err)
				continue
			}
			mem, ok := inst.Args[0].(x86asm.Mem)
			if inst.Op != x86asm.PREFETCHW || !ok || mem.Base != reg || mem.Index != 0 || mem.Disp != int64(disp) || inst.Len != len(code) {
				t.Errorf("R%d%+d: % x decodes as %v (%d of %d bytes)", n, disp, code, inst, inst.Len, len(code))
			}
		}
	}
}

// TestPrefetchWCodeRefuses checks that registers and displacements it
// does not encode panic rather than emit other code.
func TestPrefetchWCodeRefuses(t *testing.T) {
	for _, c := range [][2]int{{0, 0}, {7, 0}, {12, 0}, {13, 0}, {16, 0}, {8, -1}, {8, 128}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("register %d, displacement %d: no panic", c[0], c[1])
				}
			}()
			prefetchWCode(c[0], c[1])
		}()
	}
}
