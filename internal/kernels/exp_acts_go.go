// silu, gelu_tanh and mish (the self-gated activations, x·g(x)) and the
// elu family in plain Go, forward and derivative, on exp_go.go's
// exponential: for the elements the assembly leaves and for CPUs without
// it. Each computes in float64 and, forward, rounds once to float32.
//
// Each gate is written so that no step cancels: σ(z) as 1/(1+e^−z) and
// 1−σ(z) as e^−z/(1+e^−z); gelu_tanh's 1 + tanh(u) as 2σ(2u); mish's
// tanh(softplus(x)) as t/(t+2) with t = e^x(e^x+2). An input past the
// point where a function has reached its float32 limit is clamped to that
// point, or its derivative taken as 0 there (a branch no ordinary input
// takes), so that ±Inf gives the limit rather than Inf·0. Go's min and max
// would not branch, but cost about 17 ns an element in WebAssembly.

package kernels

import "math"

// gateFloor is where silu's, gelu_tanh's and mish's x·g(x) have become
// −0 in float32 (|x·g(x)| < 2e−46 below it); their derivatives are taken
// as 0 there, and so are elu's below e^−110, softplus's where β·x is below
// it and logsigmoid's above −gateFloor (its y = log σ(x), from which it
// is taken, is ±0 there). The float32 assembly's are 0 there
// too, so that an infinite dOut gives NaN (0·Inf) in both, not ±Inf in
// one.
const gateFloor = -110

// gateCeiling mirrors gateFloor for silu's and gelu_tanh's derivatives,
// well past where they have become exactly 1 in float64 (about 40 and 6);
// mishCeiling is where mish's gate, tanh(softplus(x)) = t/(t+2), has
// become exactly 1.
const (
	gateCeiling = 110
	mishCeiling = 20
)

// gelu_tanh's √(2/π) and cubic coefficient.
const (
	geluTanhScale = 0.7978845608028654
	geluTanhCubic = 0.044715
)

// siluGo returns x·σ(x) = x/(1+e^−x).
func siluGo(x float32) float32 {
	if x < gateFloor {
		x = gateFloor
	}
	return float32(float64(x) / (1 + expOf(-x)))
}

// siluDerivGo returns silu′(x) = σ(x)(1 + x(1−σ(x))).
func siluDerivGo(x float32) float64 {
	if x < gateFloor {
		return 0
	}
	if x > gateCeiling {
		x = gateCeiling
	}
	e := expOf(-x)
	d := 1 + e
	return (1 + float64(x)*(e/d)) / d
}

// geluTanhGate returns u = √(2/π)(x + 0.044715x³), u′ and e^−2u.
func geluTanhGate(x float32) (u, du, e float64) {
	v := float64(x)
	u = geluTanhScale * (v + geluTanhCubic*v*v*v)
	du = geluTanhScale * (1 + 3*geluTanhCubic*v*v)
	return u, du, expOf(-2 * u)
}

// geluTanhGo returns x·(1 + tanh(u))/2 = x·σ(2u).
func geluTanhGo(x float32) float32 {
	if x < gateFloor {
		x = gateFloor
	}
	_, _, e := geluTanhGate(x)
	return float32(float64(x) / (1 + e))
}

// geluTanhDerivGo returns σ(2u) + x·2u′·σ(2u)(1−σ(2u)).
func geluTanhDerivGo(x float32) float64 {
	if x < gateFloor {
		return 0
	}
	if x > gateCeiling {
		x = gateCeiling
	}
	_, du, e := geluTanhGate(x)
	d := 1 + e
	return (1 + 2*float64(x)*du*(e/d)) / d // e/d first: 2x·u′·e can pass MaxFloat64
}

// mishGo returns x·tanh(softplus(x)) = x·t/(t+2), t = e^x(e^x+2).
func mishGo(x float32) float32 {
	if x < gateFloor {
		x = gateFloor
	}
	gated := x // the gate's input; x itself stays the factor
	if gated > mishCeiling {
		gated = mishCeiling
	}
	n := expOf(gated)
	t := n * (n + 2)
	return float32(float64(x) * t / (t + 2))
}

// mishDerivGo returns tanh(sp) + x·σ(x)·(1 − tanh²(sp)), sp = softplus(x):
// with n = e^x and t = n(n+2), t/(t+2) + x·n/(1+n)·4(t+1)/(t+2)².
func mishDerivGo(x float32) float64 {
	if x < gateFloor {
		return 0
	}
	if x > mishCeiling {
		x = mishCeiling
	}
	n := expOf(x)
	t := n * (n + 2)
	return t/(t+2) + float64(x)*n/(1+n)*4*(t+1)/((t+2)*(t+2))
}

// eluGo returns x > 0 ? pos·x : neg·(e^(in·x) − 1), pos·x and in·x in
// float32 as the assembly and PyTorch form them. It branches on the sign:
// computing both sides and selecting, as relu.go's loops do, costs an
// exponential for every positive input too, which in WebAssembly, where
// the playground runs, cost more than the mispredicted branches. At x = ±0
// the result is neg·(+0), as e^(in·x) − 1 gives (PyTorch, the assembly):
// adding 0 turns expm1's −0, of in·x = −0, into +0, and changes nothing
// else. Where e^(in·x) passes float32's range (in < 0: celu with a
// negative alpha, as x falls), it is +Inf, as the assembly's and
// PyTorch's float32 exponential is, though neg·e^(in·x) may be in range.
func eluGo(x, pos, neg, in float32) float32 {
	if x > 0 {
		return pos * x
	}
	return float32(float64(neg) * (inFloat32Range(expm1Of(in*x)) + 0))
}

// inFloat32Range returns v, or +Inf where v is past float32's range.
func inFloat32Range(v float64) float64 {
	if v > math.MaxFloat32 {
		return math.Inf(1)
	}
	return v
}

// eluDerivGo returns x > 0 ? pos : neg·in·e^(in·x), 0 where in·x is
// below gateFloor.
func eluDerivGo(x, pos, neg, in float32) float64 {
	if x > 0 {
		return float64(pos)
	}
	if in*x < gateFloor {
		return 0
	}
	return float64(neg) * float64(in) * inFloat32Range(expOf(in*x))
}
