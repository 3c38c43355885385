// gelu, x·Φ(x) with Φ the standard normal CDF, in plain Go, forward and
// derivative: for the elements the assembly leaves and for CPUs without it.
//
// Φ's lower tail is Φ(−a) = e^(−a²/2)·R(a) for a ≥ 0, where R(a) =
// erfc(a/√2)·e^(a²/2)/2 falls smoothly from 1/2 to about 1/(a√(2π)). R is
// one polynomial of degree 12 in t = (a − 4.25)/(a + 4.25), which maps
// [0, 20] into [−1, 0.65]. Its coefficients are a least-squares fit of R,
// relative error weighted, on 3,000 Chebyshev nodes of t over that range;
// the fit is within 3.6e−11 of R, relative, and the exponential within
// 6.6e−10 (exp_go.go), so gelu comes out within 0.52 ULP of float64 and
// its derivative within 1e−7 relative or 1e−9 absolute (the tests hold
// them to that). The exponential and R serve both Φ and the density
// φ(x) = e^(−x²/2)/√(2π) of the derivative. The polynomials here and in
// softplus_go.go are evaluated by Estrin's scheme (pairs of terms, then
// powers of t²), whose chain of dependent steps is half of Horner's.
//
// math.Erfc, which this replaces, chooses among four rational functions
// by branches on |x|, which random inputs mispredict (35 ns an element
// forward on amd64, 43 backward).

package kernels

import "math"

// geluTailCut is where the tail is cut: |x| is clamped to it, and x·Φ(x)
// below −geluTailCut is −0 in float32 (|x·Φ(x)| < 1e−87 there).
const geluTailCut = 20

// normalTailK is the centre of t's map, chosen where the fit was best.
const normalTailK = 4.25

// normalTail0 to normalTail12 are R's polynomial in t, from the constant
// term up.
const (
	normalTail0  = 0.08935931861999709
	normalTail1  = -0.1629039983317694
	normalTail2  = 0.12274791802664632
	normalTail3  = -0.07514629638718032
	normalTail4  = 0.035975067658796434
	normalTail5  = -0.012309500207422774
	normalTail6  = 0.002189786006450192
	normalTail7  = 0.00034082368075259023
	normalTail8  = -0.00030052194053668694
	normalTail9  = 2.409163112303877e-05
	normalTail10 = 3.174259400219007e-05
	normalTail11 = -5.24125943454916e-06
	normalTail12 = -3.431855210700137e-06
)

// normalCDF returns Φ(v) and e^(−v²/2) for |v| ≤ geluTailCut: the lower
// half as e^(−v²/2)·R(|v|), the upper as 1 − Φ(−v), where Φ(−v) ≤ 1/2
// leaves nothing to cancel. The halves are chosen by a bit select, not a
// branch, for inputs of random sign. v² is exact: v has 24 bits.
func normalCDF(v float64) (cdf, density float64) {
	a := math.Abs(v)
	t := (a - normalTailK) / (a + normalTailK)
	t2 := t * t
	t4 := t2 * t2
	t8 := t4 * t4
	low := (normalTail0 + t*normalTail1) + t2*(normalTail2+t*normalTail3)
	mid := (normalTail4 + t*normalTail5) + t2*(normalTail6+t*normalTail7)
	high := (normalTail8 + t*normalTail9) + t2*(normalTail10+t*normalTail11)
	r := (low + t4*mid) + t8*(high+t4*normalTail12)
	density = expOf(-0.5 * v * v)
	tail := density * r
	bits, upper := math.Float64bits(tail), math.Float64bits(1-tail)
	if v > 0 {
		bits = upper
	}
	return math.Float64frombits(bits), density
}

// clampGELU returns x clamped to ±geluTailCut, for Φ (Φ is 0 or 1 in
// float64 beyond it, and ±Inf would make t NaN), and x raised to
// −geluTailCut, the factor (−Inf·0 must give the limit, 0); NaN passes.
// It selects between bit patterns as hardswishGo does, and for its
// reasons.
func clampGELU(x float32) (gate, factor float64) {
	bits, lowest, highest := math.Float32bits(x), math.Float32bits(-geluTailCut), math.Float32bits(geluTailCut)
	if x < -geluTailCut {
		bits = lowest
	}
	factorBits := bits
	if x > geluTailCut {
		bits = highest
	}
	return float64(math.Float32frombits(bits)), float64(math.Float32frombits(factorBits))
}

// geluGo returns x·Φ(x): −0 below −geluTailCut (−Inf included), x·1 above
// it, NaN for NaN.
func geluGo(x float32) float32 {
	gate, factor := clampGELU(x)
	cdf, _ := normalCDF(gate)
	return float32(factor * cdf)
}

// geluDerivGo returns gelu′(x) = Φ(x) + x·φ(x): 0 below −geluTailCut, as
// silu's below gateFloor, and 1 above it.
func geluDerivGo(x float32) float64 {
	if x < -geluTailCut {
		return 0
	}
	gate, _ := clampGELU(x)
	cdf, density := normalCDF(gate)
	return cdf + gate*density*(1/math.Sqrt(2*math.Pi))
}
