//go:build generate

package main

// The piecewise activations: identity, step, relu, leaky, clamp and the elu
// family (relu's backward, a loop of its own, is in loops.go).

import (
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"

	. "github.com/wigglenn/wiggle/internal/kernels/asmgen/stream"
)

// reluForward emits reluForwardAVX2: y = max(0, x). VMAXPS returns its
// second source when either is NaN or both are zeros, so NaN and −0 pass
// through as PyTorch's relu passes them.
func reluForward() {
	fetchingUnaryLoop("reluForward", "sets y[i] = relu(x[i]) for i < n", func(x VecVirtual) VecVirtual {
		VMAXPS(x, vecZero(), x) // Go order: x = max(zero, x), x the second source
		return x
	})
}

// atFloor marks the loops that run at the memory floor (the forward passes
// of relu, leaky, clamp, step, identity and hardswish: a pass is a line of
// x and of y and a few operations, so it runs as fast as the lines
// arrive): their passes fetch
// x ahead, as many bytes as the kernels package's variable floorAhead
// holds when a call starts, for the distance that pays on one CPU costs on
// another (see floorAhead in forms_amd64.go).
const atFloor = true

// piecewise emits the piecewise-linear activations with their parameters
// as arguments: identity and step, leaky (leaky_relu and prelu), clamp
// (hardtanh, relu6, hardsigmoid) and the elu family.
func piecewise() {
	// identity's forward pass copies x with stores that stay in the caches,
	// where the layer after it reads y: Go's copy of a megabyte or more
	// stores around them (1M floats: 0.126 ns an element against relu's
	// 0.081; Zen 5 EPYC, forty-fourth session).
	fetchingUnaryLoop("identity", "sets y[i] = x[i] for i < n", func(x VecVirtual) VecVirtual { return x })
	paramUnaryLoop("step", "sets y[i] = x[i] > 0 ? 1 : x[i] < 0 ? 0 : x[i] == 0 ? atZero : x[i] (NaN) for i < n",
		[]string{"atZero"}, atFloor, func(x VecVirtual, p []VecVirtual) VecVirtual {
			zero, y := vecZero(), vec()
			blend(compare(0x00, zero, x), p[0], x, y)                // x == ±0 (EQ_OQ); NaN stays x
			blend(compare(0x1e, zero, x), konst("sig_one", 1), y, y) // x > 0 (GT_OQ)
			blend(compare(0x11, zero, x), zero, y, y)                // x < 0 (LT_OQ)
			return y
		})
	// slopeBackward is the backward pass of identity (slope 1) and step
	// (slope 0): it multiplies by the slope rather than selecting, so that
	// 0·±Inf is NaN, as dX += 0·dOut forms it.
	summedBackwardLoop("slopeBackward", "adds dOut[i]·slope to dX[i] (NaN where x[i] is NaN) for i < n",
		"x", []string{"slope"}, func(x VecVirtual, p []VecVirtual) VecVirtual {
			nan, d := vec(), vec()
			VCMPPS(U8(0x03), x, x, nan) // UNORD_Q
			VBLENDVPS(nan, x, p[0], d)
			return d
		}, roundedSum)
	paramUnaryLoop("leaky", "sets y[i] = x[i] > 0 ? x[i] : slope·x[i] for i < n",
		[]string{"slope"}, atFloor, func(x VecVirtual, p []VecVirtual) VecVirtual {
			pos, sx := vec(), vec()
			VCMPPS(U8(0x1e), vecZero(), x, pos) // x > 0
			VMULPS(p[0], x, sx)
			VBLENDVPS(pos, x, sx, sx)
			return sx
		})
	summedBackwardLoop("leakyBackward", "adds dOut[i]·(x[i] > 0 ? 1 : slope) to dX[i] (NaN where x[i] is NaN) for i < n",
		"x", []string{"slope"}, func(x VecVirtual, p []VecVirtual) VecVirtual {
			pos, d := vec(), vec()
			VCMPPS(U8(0x1e), vecZero(), x, pos)
			VBLENDVPS(pos, konst("sig_one", 1), p[0], d)
			return nanPasses(x, d)
		}, roundedSum)

	clampParams := []string{"shift", "lo", "hi", "mul"}
	// y = min(max(x + shift, lo), hi)·mul: hardtanh (shift 0, mul 1), relu6
	// (0, 6) and hardsigmoid (shift 3, lo 0, hi 6, mul 1/6).
	paramUnaryLoop("clamp", "sets y[i] = min(max(x[i]+shift, lo), hi)·mul for i < n; NaN passes",
		clampParams, atFloor, func(x VecVirtual, p []VecVirtual) VecVirtual {
			v := vec()
			VADDPS(x, p[0], v)
			VMAXPS(v, p[1], v) // second source v: NaN passes
			VMINPS(v, p[2], v)
			VMULPS(p[3], v, v)
			return v
		})
	// clampBackward masks the product rather than multiplying by a
	// derivative of 0 outside (lo, hi), so that an infinite dOut adds 0
	// there, as relu's backward pass and PyTorch's hardtanh_backward do,
	// not Inf·0 = NaN. The derivative hands the sum its mask, vector by
	// vector, through inRange and in: summedBackwardLoop calls the
	// derivative and then the sum for one vector before the next.
	var inRange, in VecVirtual
	summedBackwardLoop("clampBackward", "adds dOut[i]·mul to dX[i] where lo < x[i]+shift < hi, and 0 elsewhere (NaN where x[i] is NaN) for i < n",
		"x", clampParams, func(x VecVirtual, p []VecVirtual) VecVirtual {
			v, above, below := vec(), vec(), vec()
			VADDPS(x, p[0], v)
			VCMPPS(U8(0x1e), p[1], v, above) // v > lo
			VCMPPS(U8(0x11), p[2], v, below) // v < hi
			VANDPS(below, above, above)
			inRange, in = above, x
			return p[3]
		}, func(dOut Mem, mul, acc VecVirtual) {
			g := vec()
			VMULPS(dOut, mul, g)
			VANDPS(inRange, g, g)
			VADDPS(nanPasses(in, g), acc, acc)
		})
}

// eluFamily emits elu, selu and celu, forward and backward, on one exp:
// y = x > 0 ? pos·x : neg·(e^(in·x) − 1): elu (pos 1, neg α, in 1), selu
// (pos scale, neg scale·α, in 1) and celu (pos 1, neg α, in 1/α).
func eluFamily() {
	eluParams := []string{"pos", "neg", "in"}
	paramUnaryLoop("elu", "sets y[i] = x[i] > 0 ? pos·x[i] : neg·(e^(in·x[i]) − 1) for i < n",
		eluParams, false, func(x VecVirtual, p []VecVirtual) VecVirtual {
			t, up := vec(), vec()
			VMULPS(p[2], x, t)
			e := expBlock(t)
			VSUBPS(konst("sig_one", 1), e, e)
			VMULPS(p[1], e, e)
			VMULPS(p[0], x, up)
			blend(compare(0x1e, vecZero(), x), up, e, e) // x > 0 (GT_OQ)
			return e
		})
	paramBackwardLoop("eluBackward", "adds dOut[i]·(x[i] > 0 ? pos : (neg·in)·e^(in·x[i])) to dX[i] for i < n",
		"x", eluParams, func(x VecVirtual, p []VecVirtual) VecVirtual {
			t, scale := vec(), vec()
			VMULPS(p[2], x, t)
			e := expBlock(t)
			// neg·in first, as PyTorch's celu backward forms it: (neg·e)·in
			// overflows where |neg| > 1 and e is near float32's limit.
			VMULPS(p[1], p[2], scale)
			VMULPS(scale, e, e)
			blend(compare(0x1e, vecZero(), x), p[0], e, e)
			return e
		})
}

// nanPasses returns d where x is a number and x where it is NaN: NaN in,
// NaN out.
func nanPasses(x, d VecVirtual) VecVirtual {
	nan := vec()
	VCMPPS(U8(0x03), x, x, nan) // UNORD_Q
	VBLENDVPS(nan, x, d, d)
	return d
}
