//go:build generate

// Package stream lets asmgen emit a vector-math body as a list of
// instructions rather than straight into the function being built, so that
// a loop can interleave the bodies of its vectors instruction by instruction.
//
// A body is a chain of forty or more dependent operations; emitted one after
// the other, two vectors' chains overlap only as far as the core's reordering
// window reaches, which shrinks when the core is shared. Interleaved, the
// independent operations sit side by side in the program.
//
// Files that write such bodies dot-import this package in place of avo's
// build package: its instruction functions (the vector ones asmgen uses) add
// to the active recording, or to the function being built when none is
// active. It is not safe for concurrent use; asmgen is one goroutine.
package stream

import (
	"fmt"

	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/ir"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// recording is the active Record call's state, nil outside one.
var recording *recorder

type recorder struct {
	body, hoisted []*ir.Instruction
	hoisting      bool
}

// Record runs emit and returns what it emitted: body in order, and hoisted,
// what it emitted inside Hoist, for the caller to place before the loop.
// Record calls do not nest.
func Record(emit func()) (body, hoisted []*ir.Instruction) {
	if recording != nil {
		panic("stream: Record inside Record")
	}
	recording = &recorder{}
	defer func() { recording = nil }()
	emit()
	return recording.body, recording.hoisted
}

// Hoist runs emit, whose instructions (broadcasts of loop-invariant
// constants) go to the active recording's hoisted list; outside a
// recording they are emitted in place.
func Hoist(emit func()) {
	if recording == nil {
		emit()
		return
	}
	recording.hoisting = true
	defer func() { recording.hoisting = false }()
	emit()
}

// Emit adds the instructions to the function being built, in order.
func Emit(list []*ir.Instruction) {
	for _, i := range list {
		build.Instruction(i)
	}
}

// Interleave returns the streams merged, taking one instruction from each
// in turn: the streams must not depend on one another (each vector's body
// reads and writes its own registers, and a later vector's loads may pass an
// earlier one's stores: a loop's output may be its input, in place, but not
// overlap it shifted).
func Interleave(streams ...[]*ir.Instruction) []*ir.Instruction {
	var merged []*ir.Instruction
	for i := 0; ; i++ {
		taken := false
		for _, s := range streams {
			if i < len(s) {
				merged = append(merged, s[i])
				taken = true
			}
		}
		if !taken {
			return merged
		}
	}
}

// Pressure returns the most vector registers the instructions, run once in
// order, hold live at once. A register they read before writing it (a
// constant broadcast before them, a parameter) counts throughout.
func Pressure(list []*ir.Instruction) int {
	const throughout = -1
	first, last := map[reg.ID]int{}, map[reg.ID]int{}
	for i, inst := range list {
		for _, r := range reads(inst) {
			if _, ok := first[r]; !ok {
				first[r] = throughout
			}
			last[r] = i
		}
		for _, r := range vectors(inst.Outputs) {
			if _, ok := first[r]; !ok {
				first[r] = i
			}
			last[r] = max(last[r], i)
		}
	}
	most := 0
	for i := range list {
		live := 0
		for r, f := range first {
			if f == throughout || f <= i && i <= last[r] {
				live++
			}
		}
		most = max(most, live)
	}
	return most
}

// reads returns the vector registers inst reads: none for a zeroing idiom
// such as VXORPS z, z, z (a form with cancelling inputs given the same
// register twice), whose result does not depend on z.
func reads(inst *ir.Instruction) []reg.ID {
	ids := vectors(inst.Inputs)
	if inst.CancellingInputs && len(ids) == 2 && ids[0] == ids[1] {
		return nil
	}
	return ids
}

// vectors returns the vector registers among ops.
func vectors(ops []operand.Op) []reg.ID {
	var ids []reg.ID
	for _, op := range ops {
		for _, r := range operand.Registers(op) {
			if r.Kind() == reg.KindVector {
				ids = append(ids, r.ID())
			}
		}
	}
	return ids
}

// add records or emits one instruction; an operand error is a bug in the
// generator, reported at once with the instruction's name.
func add(name string, i *ir.Instruction, err error) {
	switch {
	case err != nil:
		panic(fmt.Sprintf("stream: %s: %v", name, err))
	case recording == nil:
		build.Instruction(i)
	case recording.hoisting:
		recording.hoisted = append(recording.hoisted, i)
	default:
		recording.body = append(recording.body, i)
	}
}
