package kernels

import "math"

// Exp sets y[i] = e^x[i] within 2 ULP of the exact value: overflow gives
// +Inf, underflow 0 (through the subnormals), NaN stays NaN.
//
//	x, y: [n]
func Exp(y, x []float32) {
	y = y[:len(x)]
	done := expFast(y, x)
	for i := done; i < len(x); i++ {
		y[i] = float32(math.Exp(float64(x[i])))
	}
}

// Sigmoid sets y[i] = 1/(1+e^-x[i]) within 2 ULP, finite wherever the true
// value is (σ(−100) is the subnormal 3.7e-44).
//
//	x, y: [n]
func Sigmoid(y, x []float32) {
	y = y[:len(x)]
	done := sigmoidFast(y, x)
	for i := done; i < len(x); i++ {
		y[i] = sigmoidGo(x[i])
	}
}

// Tanh sets y[i] = tanh(x[i]) within 2 ULP.
//
//	x, y: [n]
func Tanh(y, x []float32) {
	y = y[:len(x)]
	done := tanhFast(y, x)
	for i := done; i < len(x); i++ {
		y[i] = float32(math.Tanh(float64(x[i])))
	}
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

func sigmoidGo(x float32) float32 {
	v := float64(x)
	if v >= 0 {
		return float32(1 / (1 + math.Exp(-v)))
	}
	e := math.Exp(v)
	return float32(e / (1 + e))
}
