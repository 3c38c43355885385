package kernels

// Exp sets y[i] = e^x[i] within 2 ULP of the exact value: overflow gives
// +Inf, underflow 0 (through the subnormals), NaN stays NaN.
//
//	x, y: [n]
func Exp(y, x []float32) {
	unaryGo(y, x, expFast, expGo)
}

// Sigmoid sets y[i] = 1/(1+e^-x[i]) within 2 ULP, finite wherever the true
// value is (σ(−100) is the subnormal 3.7e-44).
//
//	x, y: [n]
func Sigmoid(y, x []float32) {
	unaryGo(y, x, sigmoidFast, sigmoidGo)
}

// Tanh sets y[i] = tanh(x[i]) within 2 ULP.
//
//	x, y: [n]
func Tanh(y, x []float32) {
	unaryGo(y, x, tanhFast, tanhGo)
}

// SigmoidBackward accumulates dX[i] += dOut[i]·y[i]·(1−y[i]), y = σ(x).
//
//	dX, dOut, y: [n]
func SigmoidBackward(dX, dOut, y []float32) {
	dX, dOut = dX[:len(y)], dOut[:len(y)]
	done := sigmoidBackwardFast(dX, dOut, y)
	for i := done; i < len(y); i++ {
		dX[i] += dOut[i] * (y[i] * (1 - y[i]))
	}
}

// TanhBackward accumulates dX[i] += dOut[i]·(1−y[i]²), y = tanh(x).
//
//	dX, dOut, y: [n]
func TanhBackward(dX, dOut, y []float32) {
	dX, dOut = dX[:len(y)], dOut[:len(y)]
	done := tanhBackwardFast(dX, dOut, y)
	for i := done; i < len(y); i++ {
		dX[i] += dOut[i] * (1 - y[i]*y[i])
	}
}

// The other activations of x, forward and backward, over float32 slices:
// silu, gelu, gelu_tanh, softplus, the elu family, mish, softsign,
// logsigmoid and hardswish (logsigmoid's backward pass takes y, as
// sigmoid's and tanh's do). Their plain Go forms (exp_acts_go.go,
// gelu_go.go, softplus_go.go, softsign_go.go and hardswish_go.go) take every
// element without AVX2; with it, a backward pass's tail past the last
// multiple of 8 where the routine runs its AVX2 form (without AVX-512, or
// for softsign, which has no AVX-512 form).
// The assembly takes the rest, a forward pass's tail through a padded
// block, and with AVX-512 a backward pass's too.

// SiLU sets y[i] = x[i]·σ(x[i]). The assembly computes x·n/(1+e) in one
// division (n and e as in Sigmoid), as PyTorch computes x/(1+e^−x): within
// 3.5 ULP where σ(x) is a normal number (x > −87).
func SiLU(y, x []float32) {
	unaryGo(y, x, siluFast, siluGo)
}

// SiLUBackward accumulates dX[i] += dOut[i]·silu′(x[i]), silu′ within
// 4·2⁻²⁴ (1−σ is taken as its own quotient, not as 1 − σ, which cancels
// for large x).
func SiLUBackward(dX, dOut, x []float32) {
	backwardGo(dX, dOut, x, siluBackwardFast, siluDerivGo)
}

// GELU sets y[i] = x[i]·Φ(x[i]).
func GELU(y, x []float32) { unaryGo(y, x, geluFast, geluGo) }

// GELUBackward accumulates dX[i] += dOut[i]·gelu′(x[i]).
func GELUBackward(dX, dOut, x []float32) {
	backwardGo(dX, dOut, x, geluBackwardFast, geluDerivGo)
}

// GELUTanh sets y[i] to gelu's tanh approximation of x[i].
func GELUTanh(y, x []float32) {
	unaryGo(y, x, geluTanhFast, geluTanhGo)
}

// GELUTanhBackward accumulates dX[i] += dOut[i]·(gelu_tanh)′(x[i]).
func GELUTanhBackward(dX, dOut, x []float32) {
	backwardGo(dX, dOut, x, geluTanhBackwardFast, geluTanhDerivGo)
}

// unaryGo sets y[i] = f(x[i]) for the elements fast, the assembly, leaves
// (all of them without it). Inlined, it calls f directly.
//
//	x, y: [n]
func unaryGo(y, x []float32, fast func(y, x []float32) int, f func(float32) float32) {
	y = y[:len(x)]
	for i := fast(y, x); i < len(x); i++ {
		y[i] = f(x[i])
	}
}

// backwardGo accumulates dX[i] += deriv(x[i])·dOut[i], the product in
// float64, for the elements fast leaves.
//
//	dX, dOut, x: [n]
func backwardGo(dX, dOut, x []float32, fast func(dX, dOut, x []float32) int, deriv func(float32) float64) {
	dX, dOut = dX[:len(x)], dOut[:len(x)]
	for i := fast(dX, dOut, x); i < len(x); i++ {
		dX[i] += float32(deriv(x[i]) * float64(dOut[i]))
	}
}

// Softplus sets y[i] = softplus(x[i]) with β = 1 and threshold 20; the
// assembly within 1.75 ULP (TestDenseSweep).
func Softplus(y, x []float32) {
	unaryGo(y, x, softplusFast, softplusDefaultGo)
}

// SoftplusBackward accumulates dX[i] += dOut[i]·softplus′(x[i]) (β = 1, threshold 20).
func SoftplusBackward(dX, dOut, x []float32) {
	backwardGo(dX, dOut, x, softplusBackwardFast, softplusDefaultDerivGo)
}

// SoftplusScaled sets y[i] = log(1 + e^(β·x[i]))/β, or x[i] where
// β·x[i] > threshold: softplus with any β ≠ 0 and threshold, in plain Go
// on every CPU (the assembly has PyTorch's defaults built in; Softplus
// runs it). β and the threshold are taken in float32, and the jump made
// where float32(β·x[i]) passes the threshold, as PyTorch's float32
// kernel makes it.
func SoftplusScaled(y, x []float32, beta, threshold float64) {
	p := newSoftplusParams(beta, threshold)
	unaryGo(y, x, noFast, func(v float32) float32 { return softplusGo(v, p) })
}

// SoftplusScaledBackward accumulates dX[i] += dOut[i]·σ(β·x[i]), or
// dOut[i] where β·x[i] > threshold (in float32, as SoftplusScaled); σ is
// taken as 0 where β·x[i] < −110, as for silu (see gateFloor).
func SoftplusScaledBackward(dX, dOut, x []float32, beta, threshold float64) {
	p := newSoftplusParams(beta, threshold)
	backwardGo(dX, dOut, x, noFastBackward, func(v float32) float64 { return softplusDerivGo(v, p) })
}

// noFast and noFastBackward stand for an assembly that takes no element.
func noFast([]float32, []float32) int                    { return 0 }
func noFastBackward([]float32, []float32, []float32) int { return 0 }

// ELU sets y[i] = x[i] > 0 ? pos·x[i] : neg·(e^(in·x[i]) − 1): elu (pos 1,
// neg α, in 1), selu (pos scale, neg scale·α, in 1), celu (pos 1, neg α,
// in 1/α).
func ELU(y, x []float32, pos, neg, in float32) {
	unaryGo(y, x, func(y, x []float32) int { return eluFast(y, x, pos, neg, in) },
		func(v float32) float32 { return eluGo(v, pos, neg, in) })
}

// ELUBackward accumulates dX[i] += dOut[i]·(x[i] > 0 ? pos : neg·in·e^(in·x[i])).
func ELUBackward(dX, dOut, x []float32, pos, neg, in float32) {
	backwardGo(dX, dOut, x, func(dX, dOut, x []float32) int { return eluBackwardFast(dX, dOut, x, pos, neg, in) },
		func(v float32) float64 { return eluDerivGo(v, pos, neg, in) })
}

// Mish sets y[i] = x[i]·tanh(softplus(x[i])).
func Mish(y, x []float32) {
	unaryGo(y, x, mishFast, mishGo)
}

// MishBackward accumulates dX[i] += dOut[i]·mish′(x[i]).
func MishBackward(dX, dOut, x []float32) {
	backwardGo(dX, dOut, x, mishBackwardFast, mishDerivGo)
}

// Softsign sets y[i] = x[i]/(1+|x[i]|).
func Softsign(y, x []float32) { unaryGo(y, x, softsignFast, softsignGo) }

// SoftsignBackward accumulates dX[i] += dOut[i]/(1+|x[i]|)².
func SoftsignBackward(dX, dOut, x []float32) {
	backwardGo(dX, dOut, x, softsignBackwardFast, softsignDerivGo)
}

// LogSigmoid sets y[i] = log σ(x[i]); the assembly within 1.75 ULP, as
// Softplus's (TestDenseSweep).
func LogSigmoid(y, x []float32) { unaryGo(y, x, logsigmoidFast, logSigmoidGo) }

// LogSigmoidBackward accumulates dX[i] += dOut[i]·σ(−x[i]), taking σ(−x)
// = 1 − e^y from y = log σ(x) as LogSigmoid computed it (y ≤ 0; other
// values give unspecified results): within 1.5 ULP of 1 − e^y, and so
// within 2.5 of σ(−x), y's own rounding carried (TestLogSigmoidBackwardULP).
//
//	dX, dOut, y: [n]
func LogSigmoidBackward(dX, dOut, y []float32) {
	backwardGo(dX, dOut, y, logsigmoidBackwardFast, logSigmoidDerivGo)
}

// HardSwish sets y[i] = x[i]·relu6(x[i]+3)/6.
func HardSwish(y, x []float32) { unaryGo(y, x, hardswishFast, hardswishGo) }

// HardSwishBackward accumulates dX[i] += dOut[i]·hardswish′(x[i]),
// hardswish′ x/3 + 1/2 from −3 to 3 and then 1; below −3 it adds 0
// whatever dOut is (as PyTorch); where x[i] is NaN, dX[i] becomes NaN.
func HardSwishBackward(dX, dOut, x []float32) {
	dX, dOut = dX[:len(x)], dOut[:len(x)]
	done := hardswishBackwardFast(dX, dOut, x)
	hardswishBackwardGo(dX[done:], dOut[done:], x[done:])
}
