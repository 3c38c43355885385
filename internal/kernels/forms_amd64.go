//go:build amd64 && !purego

package kernels

// The forms of the element-wise loops that a CPU's family chooses between,
// each measured faster on one core design than on another.

// floorAhead is how many bytes past the lines they read the loops at the
// memory floor fetch x (PREFETCHT0): the forward passes of relu,
// leaky_relu and prelu, the clamps (hardtanh, relu6, hardsigmoid), step,
// identity and hardswish, each a line of x and of y and a few operations.
// Their assembly reads it at each call. It is 4096 on a Zen 5 (AMD family
// 26), where those fetches made relu over 1M floats from L3 8% faster
// (0.0959 against 0.0878 ns an element), and 0, a fetch of the line in
// hand, elsewhere: on a Zen 4 (family 25) fetching 4096 bytes ahead made
// relu 9% slower and relu6 and leaky_relu 24% (relu6 0.0834 against
// 0.1035 ns an element; forty-eighth session), and on Intel cores they
// were never measured.
var floorAhead = floorAheadFor(family)

// floorAheadFor is floorAhead on a CPU of the given family.
func floorAheadFor(family int) int {
	if family == zen5 {
		return 4096
	}
	return 0
}

// fourAPass is whether the AVX-512 element-wise loops run their forms of
// four vectors a pass (NAMEAVX512Four) rather than two: on a Zen 5, where
// more chains in flight made them 1.04–1.24 times as fast, and not
// elsewhere: on a Zen 4, whose cores split each 512-bit operation in two,
// four a pass made those that compute 1.09–1.37 times as slow (silu's
// backward pass 0.51 ns an element against 0.38; forty-eighth session),
// and Intel cores ran two a pass before the forms of four came. Both give
// the same bits.
var fourAPass = family == zen5

// byPass returns four where fourAPass holds, else two: the form of an
// AVX-512 loop that this CPU runs faster.
func byPass[F any](two, four F) F {
	if fourAPass {
		return four
	}
	return two
}

// family is this CPU's family (CPUID), by which the element-wise loops take
// the forms measured faster on it (floorAhead, fourAPass); zen5 is AMD's
// Zen 5, the family of the EPYC most of docs/PERFORMANCE.md ran on.
var family = cpuFamily(cpuSignature())

const zen5 = 0x1a

// cpuFamily decodes the family of a CPUID leaf 1 signature: the base
// family, plus the extended one where the base is 15 (as on every AMD
// core since the Athlon 64).
func cpuFamily(signature uint32) int {
	family := int(signature>>8) & 0xf
	if family == 0xf {
		family += int(signature>>20) & 0xff
	}
	return family
}
