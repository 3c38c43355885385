package kernels

// The naive references: one float64 sum per output element, in the textbook
// order. Tests hold the routines above to these.

// RefMatMulTransBBias is the reference for MatMulTransBBias.
//
//	x: [m, k], w: [n, k], b: [n], out: [m, n]
func RefMatMulTransBBias(out, x, w, b []float32, m, n, k int) {
	for i := range m {
		for j := range n {
			s := float64(b[j])
			for p := range k {
				s += float64(x[i*k+p]) * float64(w[j*k+p])
			}
			out[i*n+j] = float32(s)
		}
	}
}

// RefMatMul is the reference for MatMul.
//
//	dY: [m, n], w: [n, k], dX: [m, k]
func RefMatMul(dX, dY, w []float32, m, n, k int) {
	for i := range m {
		for p := range k {
			var s float64
			for j := range n {
				s += float64(dY[i*n+j]) * float64(w[j*k+p])
			}
			dX[i*k+p] = float32(s)
		}
	}
}

// RefMatMulTransAAcc is the reference for MatMulTransAAcc.
//
//	dY: [m, n], x: [m, k], dW: [n, k]
func RefMatMulTransAAcc(dW, dY, x []float32, m, n, k int) {
	for j := range n {
		for p := range k {
			s := float64(dW[j*k+p])
			for i := range m {
				s += float64(dY[i*n+j]) * float64(x[i*k+p])
			}
			dW[j*k+p] = float32(s)
		}
	}
}
