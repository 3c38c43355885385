// silu, gelu_tanh and mish (the self-gated activations, x·g(x)) and the
// elu family in plain Go, forward and derivative, on exp_go.go's
// exponential: for the elements the assembly leaves and for CPUs without
// it. Each takes its input widened to float64 (exp_go.go says why) and
// computes in float64; the forward passes round once, to float32.
//
// Each gate is written so that no step cancels: σ(z) as 1/(1+e^−z) and
// 1−σ(z) as e^−z/(1+e^−z); gelu_tanh's 1 + tanh(u) as 2σ(2u); mish's
// tanh(softplus(x)) as t/(t+2) with t = e^x(e^x+2). An input past the
// point where a function has reached its float32 limit is clamped to that
// point (a branch no ordinary input takes), so that ±Inf gives the limit
// rather than Inf·0.

package kernels

import "math"

// gateFloor is where silu's, gelu_tanh's and mish's x·g(x) have become
// −0 in float32 (|x·g(x)| < 2e−46 below it), and their derivatives 0.
const gateFloor = -110

// gateCeiling is where silu's and gelu_tanh's derivatives have become 1
// in float64; mishCeiling is where mish's gate, tanh(softplus(x)), has.
const (
	gateCeiling = 110
	mishCeiling = 20
)

// gelu_tanh's √(2/π) and cubic coefficient.
const (
	geluTanhScale = 0.7978845608028654
	geluTanhCubic = 0.044715
)

// clampTo returns v in [lo, hi] (NaN stays NaN).
func clampTo(v, lo, hi float64) float64 {
	if v < lo {
		v = lo
	}
	if v > hi {
		v = hi
	}
	return v
}

// siluGo returns x·σ(x) = x/(1+e^−x) in float32.
func siluGo(v float64) float32 {
	v = clampTo(v, gateFloor, math.Inf(1))
	return float32(v / (1 + expOf(-v)))
}

// siluDerivGo returns silu′(x) = σ(x)(1 + x(1−σ(x))).
func siluDerivGo(v float64) float64 {
	v = clampTo(v, gateFloor, gateCeiling)
	e := expOf(-v)
	d := 1 + e
	return (1 + v*(e/d)) / d // e/d, 1−σ, first: v·e alone can overflow
}

// geluTanhGo returns x·(1 + tanh(u))/2 = x·σ(2u) in float32,
// u = √(2/π)(x + 0.044715x³).
func geluTanhGo(v float64) float32 {
	v = clampTo(v, gateFloor, math.Inf(1))
	u := geluTanhScale * (v + geluTanhCubic*v*v*v)
	return float32(v / (1 + expOf(-2*u)))
}

// geluTanhDerivGo returns σ(2u) + x·2u′·σ(2u)(1−σ(2u)).
func geluTanhDerivGo(v float64) float64 {
	v = clampTo(v, gateFloor, gateCeiling)
	u := geluTanhScale * (v + geluTanhCubic*v*v*v)
	du := geluTanhScale * (1 + 3*geluTanhCubic*v*v)
	e := expOf(-2 * u)
	d := 1 + e
	return (1 + 2*v*du*(e/d)) / d
}

// mishGo returns x·tanh(softplus(x)) = x·t/(t+2) in float32,
// t = e^x(e^x+2).
func mishGo(v float64) float32 {
	v = clampTo(v, gateFloor, math.Inf(1))
	n := expOf(clampTo(v, gateFloor, mishCeiling))
	t := n * (n + 2)
	return float32(v * t / (t + 2))
}

// mishDerivGo returns tanh(sp) + x·σ(x)·(1 − tanh²(sp)), sp = softplus(x):
// with n = e^x and t = n(n+2), t/(t+2) + x·n/(1+n)·4(t+1)/(t+2)².
func mishDerivGo(v float64) float64 {
	v = clampTo(v, gateFloor, mishCeiling)
	n := expOf(v)
	t := n * (n + 2)
	return t/(t+2) + v*n/(1+n)*4*(t+1)/((t+2)*(t+2))
}

// eluGo returns v > 0 ? pos·v : neg·(e^(in·v) − 1) in float32. It
// branches on the sign: computing both sides and selecting, as relu.go's
// loops do, costs an exponential for every positive input too, which in
// WebAssembly, where the playground runs, cost more than the mispredicted
// branches (29 against 27 ns an element forward, 35 against 30 backward;
// on amd64 the select was 1.2× faster).
func eluGo(v, pos, neg, in float64) float32 {
	if v > 0 {
		return float32(pos * v)
	}
	return float32(neg * expm1Of(in*v))
}

// eluDerivGo returns v > 0 ? pos : neg·in·e^(in·v).
func eluDerivGo(v, pos, neg, in float64) float64 {
	if v > 0 {
		return pos
	}
	return neg * in * expOf(in*v)
}
