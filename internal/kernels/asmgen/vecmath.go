//go:build generate

package main

// Vector math: exp and log, and the activations built on them.

import (
	"fmt"

	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"

	. "github.com/wigglenn/wiggle/internal/kernels/asmgen/stream"
)

// expBlock emits y = e^x for the lanes of x (Cephes' expf method): x is
// clamped to [−104, 89], split as x = n·ln 2 + r with |r| ≤ ln 2 / 2, e^r
// comes from a degree-7 polynomial and 2^n is applied so that results in
// the subnormal range round once (VSCALEFPS with AVX-512; with AVX2 in two
// halves of n, or for an argument ≤ 0 as 2^(n+25) then 2^−25). Overflow
// gives +Inf, underflow 0, NaN stays NaN.
func expBlock(x VecVirtual) VecVirtual { return expClamped(x, true, true) }

// expOfNonPositive is expBlock for x ≤ 0 (or NaN): the upper clamp, which
// changes no such lane, is left out.
func expOfNonPositive(x VecVirtual) VecVirtual { return expClamped(x, true, false) }

// expOfNonNegative is expBlock for x ≥ 0 (or NaN), without the lower clamp.
func expOfNonNegative(x VecVirtual) VecVirtual { return expClamped(x, false, true) }

// ln2Remainder returns r = x − n·ln2, ln2 in two parts (Cody and Waite's
// reduction): n·ln2hi is exact for the n an exponential takes, so r keeps
// its precision.
func ln2Remainder(x, n VecVirtual) VecVirtual {
	r := vec()
	VMOVAPS(x, r)
	VFNMADD231PS(konst("exp_ln2hi", 0.693359375), n, r)
	VFNMADD231PS(konst("exp_ln2lo", -2.12194440e-4), n, r)
	return r
}

// expPolynomial returns 1 + r·P(r) (see expClamped): e^r = 1 + r·that,
// e^r − 1 = r·that.
func expPolynomial(r VecVirtual) VecVirtual {
	p := bcastInit("exp_q4", 0.0013814610429108143)
	for i, c := range []float32{0.008368710055947304, 0.04166838899254799, 0.1666652113199234, 0.4999999403953552} {
		VFMADD213PS(konst(fmt.Sprintf("exp_q%d", 3-i), c), r, p) // p = p·r + c
	}
	VFMADD213PS(konst("exp_one", 1), r, p) // p = p·r + 1
	return p
}

// oneLessExp returns 1 − e^y for y ≤ 0 (or NaN): with y = n·ln2 + r as
// expClamped splits it, (1 − 2^n) − 2^n·(e^r − 1), where 1 − 2^n is
// exact and e^r − 1 = r·(1 + r·P(r)) keeps its relative precision as r
// and y go to 0, so that 1 − e^y does too (where 1 − e^y itself would
// cancel). Below y = −87 it is 1, as 1 − e^y rounds; 2^n is then a
// normal number, built from n's bits alike in both widths, so both give
// the same bits.
func oneLessExp(y VecVirtual) VecVirtual {
	yc := vec()
	VMAXPS(y, bcast("lse_lo", -87), yc) // second source y: NaN passes
	t := vec()
	VMULPS(konst("exp_log2e", 1.44269504088896341), yc, t)
	ni, nf := vec(), vec()
	VCVTPS2DQ(t, ni) // round to nearest
	VCVTDQ2PS(ni, nf)
	r := ln2Remainder(yc, nf)
	m := expPolynomial(r)
	VMULPS(r, m, m) // e^r − 1
	scale := vec()  // 2^n: n + 127 in the exponent's bits, n from −126 to 0
	VPADDD(konstBits("lse_bias", 127), ni, scale)
	VPSLLD(U8(23), scale, scale)
	a := vec()
	VSUBPS(scale, bcast("sig_one", 1), a) // 1 − 2^n
	VFNMADD231PS(scale, m, a)             // − 2^n·(e^r − 1), rounded once
	return a
}

// expClamped is expBlock with either clamp left out where the caller's
// lanes cannot pass it; each clamp keeps NaN.
func expClamped(x VecVirtual, low, high bool) VecVirtual {
	xc := x
	if low {
		xc = vec()
		VMAXPS(x, bcast("exp_lo", -104), xc) // second source x: NaN passes
	}
	if high {
		hc := vec()
		VMINPS(xc, bcast("exp_hi", 89), hc)
		xc = hc
	}
	t := vec()
	VMULPS(konst("exp_log2e", 1.44269504088896341), xc, t)
	ni, nf := vec(), vec()
	biased := width == avx2 && low && !high // see the end
	switch {
	case width == avx512:
		VRNDSCALEPS(U8(0), t, nf) // round to nearest, as VCVTPS2DQ does
	case biased:
		// t + 1.5·2²³ + 152 has ulp 1: it rounds t to the nearest integer
		// n (ties to even, as VCVTPS2DQ), and its bits end in n + 152 < 2²².
		VADDPS(konst("exp_round152", 0x1.8p23+152), t, ni)
		VSUBPS(konst("exp_round152", 0x1.8p23+152), ni, nf) // n, exact
	default:
		VCVTPS2DQ(t, ni) // round to nearest
		VCVTDQ2PS(ni, nf)
	}
	r := ln2Remainder(xc, nf)
	// e^r ≈ 1 + r + r²·P(r) on |r| ≤ ln2/2, P of degree 4: a fit of the
	// relative error over 4,000 Chebyshev nodes, reweighted toward its
	// largest (numpy, in float64), within 3.9e−9 of e^r, 0.064 ULP. The
	// degree-5 P this replaced was within 1.1e−9 for one multiply-add more
	// a vector, and the loops on it ran 1.04–1.10 times as fast (Zen 4
	// EPYC, forty-eighth session). The whole polynomial goes in Horner's
	// form, its last two steps p·r + 1: two multiply-adds where r², r²·P + r
	// and the sum with 1 took three operations, one of them an addition
	// (rounding n on the adders instead of VRNDSCALEPS made these loops
	// slower: the adders are the busier). Exp, sigmoid and tanh's worst
	// 0.87, 1.12 and 0.90 ULP over the float32 range (0.93, 1.16 and 0.94
	// before); tanh's forward pass 1.08 times as fast, sigmoid's 1.025
	// (Zen 4 EPYC, forty-ninth session).
	p := expPolynomial(r)
	VFMADD213PS(konst("exp_one", 1), r, p) // p = p·r + 1: e^r
	if width == avx512 {
		// p·2^n in one instruction, rounded once: the same bits as the
		// two steps below, whose first is exact.
		VSCALEFPS(nf, p, p)
		return p
	}
	if biased {
		// n ≤ 0 and, past the lower clamp, n ≥ −150: p·2^(n+25) is a
		// normal number, exact, and the product by 2^−25 rounds once, as
		// the two halves below do, in a shorter chain. 2^(n+25) is n + 152
		// shifted into the exponent, the rest of ni's bits shifted out. A
		// NaN lane's scale is whatever its bits give, and p stays NaN.
		scale := vec()
		VPSLLD(U8(23), ni, scale)
		VMULPS(scale, p, p)
		VMULPS(konst("exp_2m25", 0x1p-25), p, p)
		return p
	}
	// 2^n as 2^(n>>1) · 2^(n − n>>1), each a normal number's bits.
	n1, n2 := vec(), vec()
	VPSRAD(U8(1), ni, n1)
	VPSUBD(n1, ni, n2)
	bias := vec()
	VPBROADCASTD(constant("exp_bias", U32(127)), bias)
	VPADDD(bias, n1, n1)
	VPADDD(bias, n2, n2)
	VPSLLD(U8(23), n1, n1)
	VPSLLD(U8(23), n2, n2)
	VMULPS(n1, p, p)
	VMULPS(n2, p, p)
	return p
}

// sigmoidBlock emits σ(x) for each lane. With e = e^-|x|, σ(x) = n/(1+e),
// n = 1 for x ≥ 0 and e for x < 0, so e never overflows and the far
// negative tail keeps its subnormals. The quotient q = n·r, r ≈ 1/d
// (reciprocalEstimate), d = 1+e rounded, gets one correction step from the
// residual n − q·(1+e), exact but for one rounding: that squares r's error
// (2⁻¹⁴ at most), so the only error left of note is exp's.
func sigmoidBlock(x VecVirtual) VecVirtual { return sigmoidQuotient(sigmoidParts(x)) }

// sigmoidQuotient emits n/d from sigmoidParts (see sigmoidBlock).
func sigmoidQuotient(e, d, n VecVirtual) VecVirtual {
	r := reciprocalEstimate(d)
	q, res := vec(), vec()
	VMULPS(r, n, q)   // q ≈ n/d
	VSUBPS(q, n, res) // n − q, exact: q is within a factor 2 of n
	// res = n − q·(1 + e), the exact residual rounded once. Where e < 2⁻²⁶,
	// d is 1 and q·e below 2⁻²⁶·q, beneath the last rounding: the product is
	// left out there, for q·e ≈ e² would underflow into the subnormals,
	// which cost Intel cores a microcode assist each (gelu's tanh form on
	// [−8, −6] ran ten times slower for it).
	subProductWhere(compare(0x15, konst("sig_tiny", 0x1p-26), e), q, e, res) // e ≥ 2⁻²⁶ or NaN (NLT_UQ)
	VFMADD231PS(res, r, q)                                                   // q + res/d
	return q
}

// reciprocalEstimate emits r ≈ 1/d for d in [1, 2] (NaN stays NaN): with
// AVX-512 VRCP14PS, within a relative 2⁻¹⁴, which leaves the vector divider
// alone (VDIVPS takes it for 10 cycles a 16-lane vector; sigmoid runs 8%
// faster without); with AVX2 the quotient 1/d, rounded once, as VRCPPS and
// a Newton step measured slower there.
func reciprocalEstimate(d VecVirtual) VecVirtual {
	r := vec()
	if width == avx512 {
		VRCP14PS(d, r)
		return r
	}
	VDIVPS(d, bcast("sig_one", 1), r)
	return r
}

// sigmoidParts emits what σ(x) = n/d is made of: e = e^−|x|, d = 1+e
// rounded, and n = 1 for x ≥ 0, e for x < 0, by x's sign bit.
func sigmoidParts(x VecVirtual) (e, d, n VecVirtual) {
	a := vec()
	VORPS(konstBits("sign_bit", 0x80000000), x, a) // −|x|: the sign bit set
	e = expOfNonPositive(a)
	one := bcast("sig_one", 1)
	d, n = vec(), vec()
	VADDPS(one, e, d)
	blend(negative(x), e, one, n)
	return e, d, n
}

func vectorMath() {
	unaryLoop("exp", "sets y[i] = e^x[i] for i < n", expBlock)

	unaryLoop("sigmoid", "sets y[i] = 1/(1+e^-x[i]) for i < n", sigmoidBlock)

	unaryLoop("tanh", "sets y[i] = tanh(x[i]) for i < n", func(x VecVirtual) VecVirtual {
		a := vec() // tanh is odd: tanh(|x|) with the sign of x
		VANDPS(konstBits("abs_mask", 0x7fffffff), x, a)
		t := tanhOfPositive(a)
		sign := vec()
		VANDPS(konstBits("sign_bit", 0x80000000), x, sign)
		VORPS(sign, t, t)
		return t
	})

	backwardLoop("sigmoidBackward", "adds dOut[i]·y[i]·(1−y[i]) to dX[i] for i < n, y = σ(x)",
		func(y VecVirtual) VecVirtual {
			d := vec()
			VSUBPS(y, bcast("sigb_one", 1), d)
			VMULPS(y, d, d)
			return d
		})
	backwardLoop("tanhBackward", "adds dOut[i]·(1−y[i]²) to dX[i] for i < n, y = tanh(x)",
		func(y VecVirtual) VecVirtual {
			d := bcastInit("tanhb_one", 1)
			VFNMADD231PS(y, y, d) // 1 − y²
			return d
		})
}

// normalCDFBlock emits Φ(x), the standard normal CDF, and g = e^(−x²/2),
// from which normalPDF makes the density, for each lane: Φ from Abramowitz
// and Stegun's 7.1.26 for erfc (absolute error below 1.5e-7), computed on |x|
// so the lower tail has no cancellation.
func normalCDFBlock(x VecVirtual) (cdf, g VecVirtual) {
	z := vec()
	VMULPS(konst("inv_sqrt2", 0.70710678118654752), x, z)
	az := vec()
	VANDPS(konstBits("abs_mask", 0x7fffffff), z, az)
	// t = 1/(1 + p·|z|)
	t := bcastInit("as_p", 0.3275911)
	VFMADD213PS(konst("sig_one", 1), az, t)
	VDIVPS(t, bcast("sig_one", 1), t)
	// The coefficients are halved (exactly): q·t is erfc(|z|)·e^(z²)/2.
	q := bcastInit("as_a5h", 1.061405429/2)
	for i, c := range []float32{-1.453152027, 1.421413741, -0.284496736, 0.254829592} {
		VFMADD213PS(konst(fmt.Sprintf("as_a%dh", 4-i), c/2), t, q)
	}
	VMULPS(t, q, q)
	VFNMADD213PS(vecZero(), z, z) // z = −z² (+0 at z = 0: e^0 either way); z is not needed after
	g = expOfNonPositive(z)       // e^(−z²) = e^(−x²/2)
	tail := vec()
	VMULPS(g, q, tail) // Φ(−|x|) = erfc(|z|)/2
	upper := vec()
	VSUBPS(tail, bcast("sig_one", 1), upper) // Φ(|x|) = 1 − Φ(−|x|)
	blend(negative(x), tail, upper, upper)   // the sign of x picks the lower tail
	return upper, g
}

// normalPDF emits φ(x) from g = e^(−x²/2), which normalCDFBlock returns.
func normalPDF(g VecVirtual) VecVirtual {
	p := vec()
	VMULPS(konst("inv_sqrt2pi", 0.39894228040143268), g, p)
	return p
}

// selfGated emits silu and gelu (both forms), forward and backward.
func selfGated() {
	unaryLoop("silu", "sets y[i] = x[i]·σ(x[i]) for i < n", func(x VecVirtual) VecVirtual {
		// x·n/d in one division, as PyTorch's x/(1+e^−x): within 3.5 ULP
		// where σ(x) is normal, against 2.3 for x·σ(x) with sigmoidBlock's
		// correction step, in five fewer operations.
		_, d, n := sigmoidParts(x)
		VMULPS(clamp(x, true), n, n)
		VDIVPS(d, n, n)
		return n
	})
	backwardXLoop("siluBackward", "adds dOut[i]·σ(x)(1 + x(1−σ(x))) to dX[i] for i < n",
		func(x VecVirtual) VecVirtual {
			e, d, n := sigmoidParts(x)
			one := bcast("sig_one", 1)
			m := vec() // 1 − σ = m/d: e for x ≥ 0, 1 below, with no cancellation
			blend(negative(x), one, e, m)
			r := vec()
			VDIVPS(d, one, r)
			VMULPS(r, n, n)                      // σ
			VMULPS(r, m, m)                      // 1 − σ
			VFMADD213PS(one, clamp(x, false), m) // x(1 − σ) + 1
			VMULPS(n, m, m)
			return m
		})
	unaryLoop("gelu", "sets y[i] = x[i]·Φ(x[i]) for i < n", func(x VecVirtual) VecVirtual {
		cdf, _ := normalCDFBlock(x)
		VMULPS(clamp(x, true), cdf, cdf)
		return cdf
	})
	backwardXLoop("geluBackward", "adds dOut[i]·(Φ(x) + x·φ(x)) to dX[i] for i < n",
		func(x VecVirtual) VecVirtual {
			cdf, g := normalCDFBlock(x)
			pdf := normalPDF(g)
			VFMADD231PS(clamp(x, false), pdf, cdf) // Φ + x·φ
			return cdf
		})
	// gelu's tanh form: y = x·σ(2u), u = √(2/π)(x + 0.044715x³)
	twoU := func(x VecVirtual) VecVirtual {
		u := vec()
		VMULPS(x, x, u)
		VFMADD213PS(konst("sig_one", 1), bcast("gelu_c3", 0.044715), u) // 1 + 0.044715x²
		VMULPS(x, u, u)
		VMULPS(konst("gelu_2k", 2*0.79788456080286535587989211986876), u, u)
		return u
	}
	unaryLoop("geluTanh", "sets y[i] to gelu(x[i]) in its tanh form for i < n", func(x VecVirtual) VecVirtual {
		s := sigmoidBlock(twoU(x))
		VMULPS(clamp(x, true), s, s)
		return s
	})
	backwardXLoop("geluTanhBackward", "adds dOut[i]·(σ(2u) + 2x·σ(2u)(1−σ(2u))·u′) to dX[i] for i < n",
		func(x VecVirtual) VecVirtual {
			x = clamp(x, false)
			s := sigmoidBlock(twoU(x))
			du := vec() // 2u′ = 2√(2/π)(1 + 3·0.044715x²)
			VMULPS(x, x, du)
			VFMADD213PS(konst("sig_one", 1), bcast("gelu_3c3", 3*0.044715), du)
			VMULPS(konst("gelu_2k", 2*0.79788456080286535587989211986876), du, du)
			d := vec()
			VSUBPS(s, bcast("sig_one", 1), d) // 1 − σ
			VMULPS(s, d, d)                   // σ(1 − σ)
			VMULPS(du, d, d)
			VFMADD213PS(s, x, d) // x·σ(1−σ)·2u′ + σ
			return d
		})
}

// log1pExp emits ln(1 + e^a) = u + w for a ≤ 0 (or NaN), the tail of
// softplus, logsigmoid and mish (both of mish's passes), in two parts for
// the callers to add x's part to w first, the smaller, and u last: e^a =
// u + ulo, u rounded and ulo its rounding error, and ln(1 + u + ulo) =
// u − u·v + ulo/(1 + u), v = u·Q(u), so that besides u what rounds is v,
// w and the callers' two sums. Q, of degree 8 in u − 1/2, is a fit of
// (u − ln(1+u))/u² on [0, 1] weighted by ln(1+u)'s relative error
// (numpy, in float64; each coefficient rounded to float32 in turn and
// the rest fitted again), within 0.13 ULP. Logsigmoid and softplus are
// within 1.59 ULP over every float32 (at x = ∓0.0013040161, a
// reviewer's sweep), where the form this replaced, ln(w)·u/(w−1) with
// w = 1+u through Cephes' logf, was 3.26 off; that form took a quotient
// and more instructions, and their forward passes ran 1.48–1.52 times as
// slow with it, mish's 1.31 (Zen 4 EPYC, fiftieth session). 2^n is
// applied with multiplies alike in both widths, so they give the same
// bits.
func log1pExp(a VecVirtual) (u, w VecVirtual) {
	ac := vec()
	VMAXPS(a, bcast("exp_lo", -104), ac) // second source a: NaN passes
	t := vec()
	VMULPS(konst("exp_log2e", 1.44269504088896341), ac, t)
	ni, nf := vec(), vec()
	// t + 1.5·2²³ + 152 rounds t to the nearest integer n, its bits ending
	// in n + 152 (as expClamped's AVX2 form of a non-positive argument).
	VADDPS(konst("exp_round152", 0x1.8p23+152), t, ni)
	VSUBPS(konst("exp_round152", 0x1.8p23+152), ni, nf)
	r := ln2Remainder(ac, nf)
	p := expPolynomial(r)
	hi, lo := vec(), vec()
	VMOVAPS(p, hi)
	VFMADD213PS(konst("exp_one", 1), r, hi) // e^r = p·r + 1, rounded
	VSUBPS(hi, bcast("exp_one", 1), lo)     // 1 − hi, exact
	VFMADD231PS(p, r, lo)                   // p·r + 1 − hi: hi's rounding error
	scale := vec()                          // 2^(n+25), a normal number for n ≥ −150
	VPSLLD(U8(23), ni, scale)
	for _, v := range []VecVirtual{hi, lo} {
		VMULPS(scale, v, v) // exact for hi
		VMULPS(konst("exp_2m25", 0x1p-25), v, v)
	}
	c := vec() // u − 1/2: Q's terms shrink by 4 a degree on [−1/2, 1/2], rounding little
	VSUBPS(konst("half", 0.5), hi, c)
	q := bcastInit("l1p_q8", 0.003169650910422206)
	for i, k := range []float32{-0.006948002614080906, 0.010264740325510502, -0.016657326370477676,
		0.02889145351946354, -0.05108850449323654, 0.09323246031999588, -0.1792249083518982,
		0.37813955545425415} {
		VFMADD213PS(konst(fmt.Sprintf("l1p_q%d", 7-i), k), c, q) // q = q·(u − 1/2) + k
	}
	h := vec() // ulo enters as ulo/(1+u), ln(1+u)′, here ulo·(1 − u/2): within 0.09·ulo on [0, 1]
	VMULPS(konst("half", 0.5), lo, h)
	VFNMADD231PS(h, hi, lo)
	VMULPS(hi, q, q)        // v = u·Q(u)
	VFNMADD231PS(hi, q, lo) // w = ulo·(1 − u/2) − u·v, rounded once more
	return hi, lo
}

// softplusBlock emits softplus(x) = max(x, 0) + ln(1 + e^−|x|) for each lane
// (β = 1, no threshold; the caller applies them).
func softplusBlock(x VecVirtual) VecVirtual {
	a := vec()
	VORPS(konstBits("sign_bit", 0x80000000), x, a) // −|x|: the sign bit set
	u, w := log1pExp(a)
	zero, pos := vec(), vec()
	VXORPS(zero, zero, zero)
	VMAXPS(x, zero, pos) // NaN passes
	VADDPS(pos, w, w)    // max(x, 0) + w, the smaller parts first
	VADDPS(u, w, w)
	return w
}

// softplusBackward emits softplus's derivative, σ(x), and 1 above the
// threshold 20.
func softplusBackward() {
	backwardXLoop("softplusBackward", "adds dOut[i]·σ(x[i]) (1 above the threshold 20) to dX[i] for i < n",
		func(x VecVirtual) VecVirtual {
			s := sigmoidBlock(x)
			blend(compare(0x1e, konst("sp_threshold", 20), x), konst("sig_one", 1), s, s) // x > 20 (GT_OQ)
			return s
		})
}

// softFamily emits softplus (β = 1, threshold 20) and mish, forward and
// backward.
func softFamily() {
	unaryLoop("softplus", "sets y[i] = softplus(x[i]) (beta 1, threshold 20) for i < n", func(x VecVirtual) VecVirtual {
		s := softplusBlock(x)
		blend(compare(0x1e, konst("sp_threshold", 20), x), x, s, s) // x > 20 (GT_OQ): x itself
		return s
	})
	softplusBackward()
	unaryLoop("mish", "sets y[i] = x[i]·tanh(softplus(x[i])) for i < n", func(x VecVirtual) VecVirtual {
		t := tanhOfPositive(softplusBlock(x))
		VMULPS(clamp(x, true), t, t)
		return t
	})
	backwardXLoop("mishBackward", "adds dOut[i]·(tanh(sp) + x·σ(x)·(1 − tanh²(sp))), sp = softplus(x), to dX[i] for i < n",
		func(x VecVirtual) VecVirtual {
			t := tanhOfPositive(softplusBlock(x))
			s := sigmoidBlock(x)
			d := bcastInit("sig_one", 1)
			VFNMADD231PS(t, t, d) // 1 − t²
			VMULPS(s, d, d)
			VFMADD213PS(t, clamp(x, false), d) // x·σ·(1 − t²) + t
			return d
		})
}

// tanhOfPositive emits tanh(a) for a ≥ 0: below 0.625 Cephes' odd
// polynomial a + a³·P(a²), above it 1 − 2/(e^(2a) + 1), which saturates to
// 1 without overflow. NaN stays NaN.
func tanhOfPositive(a VecVirtual) VecVirtual {
	z, p := vec(), bcastInit("tanh_p0", -5.70498872745e-3)
	VMULPS(a, a, z)
	for i, c := range []float32{2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1} {
		VFMADD213PS(konst(fmt.Sprintf("tanh_p%d", i+1), c), z, p)
	}
	VMULPS(z, p, p)
	VFMADD213PS(a, a, p)
	a2 := vec()
	VADDPS(a, a, a2)
	e := expOfNonNegative(a2)
	big := vec()
	VADDPS(konst("tanh_one", 1), e, e)
	VDIVPS(e, bcast("tanh_two", 2), big)
	VSUBPS(big, bcast("tanh_one", 1), big)
	blend(compare(0x11, konst("tanh_cut", 0.625), a), p, big, big) // a < 0.625 (LT_OQ)
	return big
}

// restFamily emits softsign, forward and backward, with AVX2 alone: its
// forward pass ran 3.2 times as fast as PyTorch's, its backward pass 20
// to 97 times (Zen 5 EPYC, forty-fourth session's runs).
func restFamily() {
	onePlusAbs := func(x VecVirtual) VecVirtual {
		a := vec()
		VANDPS(konstBits("abs_mask", 0x7fffffff), x, a)
		VADDPS(konst("sig_one", 1), a, a)
		return a
	}
	unaryLoop("softsign", "sets y[i] = x[i]/(1+|x[i]|) for i < n", func(x VecVirtual) VecVirtual {
		xc := vec() // ±1e30 in place of ±Inf: 1e30/(1+1e30) rounds to 1, where Inf/Inf is NaN
		VMAXPS(x, bcast("wide_lo", -1e30), xc)
		VMINPS(xc, bcast("wide_hi", 1e30), xc)
		d := onePlusAbs(xc)
		y := vec()
		VDIVPS(d, xc, y)
		return y
	})
	backwardXLoop("softsignBackward", "adds dOut[i]/(1+|x[i]|)² to dX[i] for i < n",
		func(x VecVirtual) VecVirtual {
			d := onePlusAbs(x)
			VMULPS(d, d, d)
			r := vec()
			VDIVPS(d, bcast("sig_one", 1), r)
			return r
		})
}

// logSigmoid emits logsigmoid, forward and backward. Its backward pass
// takes σ(−x) = 1 − σ(x) = 1 − e^y from y = log σ(x), the forward pass's
// output (oneLessExp): an exponential and no quotient an element, where
// σ(−x) from x took a quotient beside the exponential (PyTorch's reads a
// kept e^−|x| and divides). On a Zen 4 1.23 times as fast as the quotient
// from x (0.211–0.214 ns an element against 0.260–0.263, go test -bench,
// four alternated rounds), PyTorch's best calls there 0.229–0.243. It is
// within 1.5 ULP of 1 − e^y; the forward pass's rounding of y comes with
// it, 2.5 ULP of σ(−x) at most (TestLogSigmoidBackwardULP; 4.5 before
// log1pExp), where the quotient kept within 2.
func logSigmoid() {
	unaryLoop("logsigmoid", "sets y[i] = log σ(x[i]) = min(x, 0) − log(1 + e^−|x|) for i < n", func(x VecVirtual) VecVirtual {
		a := vec()
		VORPS(konstBits("sign_bit", 0x80000000), x, a) // −|x|: the sign bit set
		u, w := log1pExp(a)
		m := vec()
		VMINPS(x, vecZero(), m) // second source x: NaN passes
		VSUBPS(w, m, m)         // min(x, 0) − w, the smaller parts first
		VSUBPS(u, m, m)
		return m
	})
	backwardLoop("logsigmoidBackward", "adds dOut[i]·(1 − e^y[i]) = dOut[i]·σ(−x[i]) to dX[i] for i < n, y = log σ(x)", oneLessExp)
}

// hardSwish emits hardswish, forward and backward. Its forward pass runs
// at the memory floor, so it fetches x ahead as relu's does.
func hardSwish() {
	fetchingUnaryLoop("hardswish", "sets y[i] = x[i]·relu6(x[i]+3)/6 (0 for x ≤ −3) for i < n", func(x VecVirtual) VecVirtual {
		g := vec()
		VADDPS(konst("three", 3), x, g)
		VMAXPS(g, vecZero(), g)
		VMINPS(g, bcast("six", 6), g)
		VMULPS(konst("sixth", 1.0/6), g, g)
		VMULPS(clamp(x, true), g, g) // −Inf·0 must give 0, the limit
		return g
	})
	// hardswishBackward masks the product below −3, as clampBackward does
	// outside its bounds: an infinite or NaN dOut adds 0 there, as in
	// PyTorch's hardswish_backward, not Inf·0 = NaN. The product is rounded
	// before the sum, as PyTorch forms it.
	var below mask
	summedBackwardLoop("hardswishBackward", "adds dOut[i]·hardswish′(x[i]) to dX[i] for i < n: 0 below −3 (whatever dOut is), x/3 + 1/2 to 3, then 1",
		"x", nil, func(x VecVirtual, _ []VecVirtual) VecVirtual {
			mid := vec()
			VMULPS(konst("third", 1.0/3), x, mid)
			VADDPS(konst("half", 0.5), mid, mid)
			blend(compare(0x1e, konst("three", 3), x), konst("sig_one", 1), mid, mid) // x > 3 (GT_OQ): at 3, 1.5, as PyTorch's
			below = compare(0x11, konst("minus_three", -3), x)                        // x < −3 (LT_OQ)
			return mid
		}, func(dOut Mem, d, acc VecVirtual) {
			g := vec()
			VMULPS(dOut, d, g)
			blend(below, vecZero(), g, g) // 0 where x < −3
			VADDPS(g, acc, acc)
		})
}
