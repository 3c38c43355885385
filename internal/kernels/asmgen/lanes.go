//go:build generate

package main

// The lane-wise helpers the element-wise bodies are written with: constants
// broadcast into registers, masks, blends, clamps. Like the bodies, they emit
// through package stream, so that a loop can record and interleave them.

import (
	"math"

	"github.com/mmcloughlin/avo/build"

	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"

	. "github.com/wigglenn/wiggle/internal/kernels/asmgen/stream"
)

// loaded holds, while an AVX-512 routine is emitted, the registers its
// constants were broadcast into, once before the loop (stream.Hoist), so
// that no pass reloads them: the 32 ZMM registers have room for them (the
// 16 YMM registers do not, so AVX2 loads a constant at each use).
var loaded = map[string]VecVirtual{}

// bcastBits returns a register holding a 32-bit pattern (a mask) in every
// lane. The caller must not write to it (see bcastInit).
func bcastBits(name string, pattern uint32) VecVirtual {
	if r, ok := loaded[name]; ok {
		return r
	}
	if width != avx512 || len(loaded) >= keepLoaded {
		return bcastInitBits(name, pattern)
	}
	var r VecVirtual
	Hoist(func() { r = bcastInitBits(name, pattern) })
	loaded[name] = r
	return r
}

// keepLoaded is how many constants the AVX-512 routine being emitted keeps
// in registers; past it, a constant is loaded at each use. recordVectors
// sets it as high as the routine's registers allow.
var keepLoaded int

// bcastInitBits loads a 32-bit pattern into every lane of a new register,
// which the caller may then overwrite.
func bcastInitBits(name string, pattern uint32) VecVirtual {
	r := vec()
	VBROADCASTSS(constant(name, U32(pattern)), r)
	return r
}

// bcastInit is bcast for a register the caller will overwrite: the first
// value of an accumulator.
func bcastInit(name string, v float32) VecVirtual { return bcastInitBits(name, math.Float32bits(v)) }

// bcast loads the float32 constant v into every lane of a new register.
// Constants are stored as bit patterns: the assembler would read an
// integral float such as -104 as an integer.
func bcast(name string, v float32) VecVirtual { return bcastBits(name, math.Float32bits(v)) }

// konst returns the float32 constant v in every lane as an operand the
// instruction may read from memory (the first source in avo's order; the
// first after the immediate of VCMPPS, the second of VBLENDVPS): with AVX2
// a constant of 8 lanes in memory, which the instruction reads itself,
// where a register would take a broadcast of its own at each use (the 16
// YMM registers have no room to keep constants); with AVX-512 a register,
// as bcast gives it (kept, or broadcast at this use past keepLoaded).
func konst(name string, v float32) Op { return konstBits(name, math.Float32bits(v)) }

// konstBits is konst for a 32-bit pattern (a mask).
func konstBits(name string, pattern uint32) Op {
	if width == avx512 {
		return bcastBits(name, pattern)
	}
	return laneConstant(name, pattern)
}

// mask is the result of a lane-wise comparison: a vector of all-ones lanes
// (AVX2) or a K register (AVX-512).
type mask struct {
	v VecVirtual
	k OpmaskVirtual
}

// compare returns the lanes where a PRED b, PRED a VCMPPS predicate.
func compare(pred uint8, b Op, a VecVirtual) mask {
	if width == avx512 {
		k := build.K()
		VCMPPS(U8(pred), b, a, k)
		return mask{k: k}
	}
	m := build.YMM()
	VCMPPS(U8(pred), b, a, m)
	return mask{v: m}
}

// negative returns the lanes of x whose sign bit is set (−0 and negative
// NaNs included), as VBLENDVPS reads them.
func negative(x VecVirtual) mask {
	if width == avx512 {
		k := build.K()
		VPMOVD2M(x, k)
		return mask{k: k}
	}
	return mask{v: x}
}

// blend sets dst to ifSet in the lanes of m and to ifClear elsewhere.
func blend(m mask, ifSet, ifClear Op, dst VecVirtual) {
	if width == avx512 {
		VBLENDMPS(ifSet, ifClear, m.k, dst)
		return
	}
	VBLENDVPS(m.v, ifSet, ifClear, dst)
}

// subProductWhere sets acc to acc − a·b, rounded once, in the lanes of m
// and leaves its other lanes, m from compare (all-ones lanes with AVX2) and
// a finite and ≥ 0 where m is clear. AVX-512 masks the operation; AVX2
// zeroes b outside m first (overwriting it), and acc − a·(+0) is acc for
// every acc, −0 included.
func subProductWhere(m mask, a, b, acc VecVirtual) {
	if width == avx512 {
		VFNMADD231PS(a, b, m.k, acc)
		return
	}
	VANDPS(m.v, b, b)
	VFNMADD231PS(a, b, acc)
}

// clamp returns x limited to [−1e6, 1e6] (or only from below, when low):
// beyond, the gates σ, Φ and φ are exactly 0 or 1, and the clamped factor
// keeps ±Inf·0 from making NaN where the limit is 0 or 1. NaN stays NaN.
func clamp(x VecVirtual, low bool) VecVirtual {
	c := vec()
	VMAXPS(x, bcast("clamp_lo", -1e6), c) // second source x: NaN passes
	if !low {
		VMINPS(c, bcast("clamp_hi", 1e6), c)
	}
	return c
}

// vecZero returns a register of zeros.
func vecZero() VecVirtual {
	z := vec()
	VXORPS(z, z, z)
	return z
}
