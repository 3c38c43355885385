//go:build generate

package stream

// The vector instructions asmgen's element-wise bodies use, each with
// avo's operand forms (see github.com/mmcloughlin/avo/x86).

import (
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/x86"
)

func VADDPS(ops ...operand.Op)       { i, err := x86.VADDPS(ops...); add("VADDPS", i, err) }
func VANDNPS(ops ...operand.Op)      { i, err := x86.VANDNPS(ops...); add("VANDNPS", i, err) }
func VANDPS(ops ...operand.Op)       { i, err := x86.VANDPS(ops...); add("VANDPS", i, err) }
func VBLENDMPS(ops ...operand.Op)    { i, err := x86.VBLENDMPS(ops...); add("VBLENDMPS", i, err) }
func VBROADCASTSS(ops ...operand.Op) { i, err := x86.VBROADCASTSS(ops...); add("VBROADCASTSS", i, err) }
func VCMPPS(ops ...operand.Op)       { i, err := x86.VCMPPS(ops...); add("VCMPPS", i, err) }
func VCVTDQ2PS(ops ...operand.Op)    { i, err := x86.VCVTDQ2PS(ops...); add("VCVTDQ2PS", i, err) }
func VCVTPS2DQ(ops ...operand.Op)    { i, err := x86.VCVTPS2DQ(ops...); add("VCVTPS2DQ", i, err) }
func VDIVPS(ops ...operand.Op)       { i, err := x86.VDIVPS(ops...); add("VDIVPS", i, err) }
func VFMADD213PS(ops ...operand.Op)  { i, err := x86.VFMADD213PS(ops...); add("VFMADD213PS", i, err) }
func VFMADD231PS(ops ...operand.Op)  { i, err := x86.VFMADD231PS(ops...); add("VFMADD231PS", i, err) }
func VFNMADD213PS(ops ...operand.Op) { i, err := x86.VFNMADD213PS(ops...); add("VFNMADD213PS", i, err) }
func VFNMADD231PS(ops ...operand.Op) { i, err := x86.VFNMADD231PS(ops...); add("VFNMADD231PS", i, err) }
func VMAXPS(ops ...operand.Op)       { i, err := x86.VMAXPS(ops...); add("VMAXPS", i, err) }
func VMINPS(ops ...operand.Op)       { i, err := x86.VMINPS(ops...); add("VMINPS", i, err) }
func VMOVAPS(ops ...operand.Op)      { i, err := x86.VMOVAPS(ops...); add("VMOVAPS", i, err) }
func VMOVUPS(ops ...operand.Op)      { i, err := x86.VMOVUPS(ops...); add("VMOVUPS", i, err) }
func VMULPS(ops ...operand.Op)       { i, err := x86.VMULPS(ops...); add("VMULPS", i, err) }
func VORPS(ops ...operand.Op)        { i, err := x86.VORPS(ops...); add("VORPS", i, err) }
func VPADDD(ops ...operand.Op)       { i, err := x86.VPADDD(ops...); add("VPADDD", i, err) }
func VPBROADCASTD(ops ...operand.Op) { i, err := x86.VPBROADCASTD(ops...); add("VPBROADCASTD", i, err) }
func VPSLLD(ops ...operand.Op)       { i, err := x86.VPSLLD(ops...); add("VPSLLD", i, err) }
func VPSRAD(ops ...operand.Op)       { i, err := x86.VPSRAD(ops...); add("VPSRAD", i, err) }
func VPSRLD(ops ...operand.Op)       { i, err := x86.VPSRLD(ops...); add("VPSRLD", i, err) }
func VPSUBD(ops ...operand.Op)       { i, err := x86.VPSUBD(ops...); add("VPSUBD", i, err) }
func VRCP14PS(ops ...operand.Op)     { i, err := x86.VRCP14PS(ops...); add("VRCP14PS", i, err) }
func VRNDSCALEPS(ops ...operand.Op)  { i, err := x86.VRNDSCALEPS(ops...); add("VRNDSCALEPS", i, err) }
func VSCALEFPS(ops ...operand.Op)    { i, err := x86.VSCALEFPS(ops...); add("VSCALEFPS", i, err) }
func VSUBPS(ops ...operand.Op)       { i, err := x86.VSUBPS(ops...); add("VSUBPS", i, err) }
func VXORPS(ops ...operand.Op)       { i, err := x86.VXORPS(ops...); add("VXORPS", i, err) }

func VBLENDVPS(m, ifSet, ifClear, dst operand.Op) {
	i, err := x86.VBLENDVPS(m, ifSet, ifClear, dst)
	add("VBLENDVPS", i, err)
}

func VPMOVD2M(v, k operand.Op) { i, err := x86.VPMOVD2M(v, k); add("VPMOVD2M", i, err) }
