package kernels

// ReLU sets y[i] = x[i] < 0 ? 0 : x[i]: NaN and −0 pass through, as in
// PyTorch.
//
//	x, y: [n]
func ReLU(y, x []float32) {
	y = y[:len(x)]
	done := reluForwardFast(y, x)
	reluForwardGo(y[done:], x[done:])
}

// ReLUBackward accumulates dX[i] += dOut[i] where x[i] > 0; where x[i] is
// NaN, dX[i] becomes NaN.
//
//	dX, dOut, x: [n]
func ReLUBackward(dX, dOut, x []float32) {
	dX, dOut = dX[:len(x)], dOut[:len(x)]
	done := reluBackwardFast(dX, dOut, x)
	reluBackwardGo(dX[done:], dOut[done:], x[done:])
}

// reluForwardGo is the plain Go ReLU, the reference of the assembly.
func reluForwardGo(y, x []float32) {
	y = y[:len(x)]
	for i, v := range x {
		if v < 0 {
			v = 0
		}
		y[i] = v
	}
}

// reluBackwardGo is the plain Go ReLU backward, the reference of the
// assembly.
func reluBackwardGo(dX, dOut, x []float32) {
	dX, dOut = dX[:len(x)], dOut[:len(x)]
	for i, v := range x {
		switch {
		case v > 0:
			dX[i] += dOut[i]
		case v != v:
			dX[i] = v
		}
	}
}
