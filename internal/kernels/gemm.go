// Package kernels holds wiggle's hot loops: the three matrix products of
// training and the reductions around them. Each routine states its shapes at
// the top; all matrices are row-major float32.
//
// These are plain Go. Faster versions will sit beside them and be tested
// against the naive references in gemm_ref.go.
package kernels

// MatMulTransB sets out = x·wᵀ, the forward product of a Dense layer.
//
//	x: [m, k], w: [n, k], out: [m, n]
func MatMulTransB(out, x, w []float32, m, n, k int) {
	for i := range m {
		xi := x[i*k : (i+1)*k]
		oi := out[i*n : (i+1)*n]
		for j := range n {
			oi[j] = dot(xi, w[j*k:(j+1)*k])
		}
	}
}

// MatMulAcc accumulates dX += dY·w, the input gradient of a Dense layer.
//
//	dY: [m, n], w: [n, k], dX: [m, k]
func MatMulAcc(dX, dY, w []float32, m, n, k int) {
	for i := range m {
		dxi := dX[i*k : (i+1)*k]
		for j, d := range dY[i*n : (i+1)*n] {
			if d != 0 {
				axpy(dxi, w[j*k:(j+1)*k], d)
			}
		}
	}
}

// MatMulTransAAcc accumulates dW += dYᵀ·x, the weight gradient of a Dense
// layer.
//
//	dY: [m, n], x: [m, k], dW: [n, k]
func MatMulTransAAcc(dW, dY, x []float32, m, n, k int) {
	for i := range m {
		xi := x[i*k : (i+1)*k]
		for j, d := range dY[i*n : (i+1)*n] {
			if d != 0 {
				axpy(dW[j*k:(j+1)*k], xi, d)
			}
		}
	}
}

// dot returns Σ a[i]·b[i] with four partial sums; len(b) >= len(a).
func dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// axpy sets y[i] += alpha·x[i]; len(x) >= len(y).
func axpy(y, x []float32, alpha float32) {
	x = x[:len(y)]
	for i, v := range x {
		y[i] += alpha * v
	}
}
