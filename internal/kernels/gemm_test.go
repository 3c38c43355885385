package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

func randSlice(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(rng.NormFloat64())
	}
	return s
}

// agree compares got with the float64 reference, relative to the size of
// the sum (k terms of unit size).
func agree(t *testing.T, what string, got, want []float32, k int) {
	t.Helper()
	tol := 1e-5 * math.Sqrt(float64(k)+1)
	for i := range want {
		if d := math.Abs(float64(got[i] - want[i])); d > tol*(1+math.Abs(float64(want[i]))) {
			t.Fatalf("%s: element %d = %v, reference %v", what, i, got[i], want[i])
		}
	}
}

// TestProductsMatchReference runs the three products on odd and edge shapes.
func TestProductsMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	shapes := [][3]int{{1, 1, 1}, {1, 7, 3}, {5, 1, 9}, {3, 5, 1}, {7, 11, 13}, {16, 16, 16}, {17, 10, 31}, {2, 3, 1000}}
	for _, s := range shapes {
		m, n, k := s[0], s[1], s[2]
		x, w, dY := randSlice(rng, m*k), randSlice(rng, n*k), randSlice(rng, m*n)

		out, ref := make([]float32, m*n), make([]float32, m*n)
		MatMulTransB(out, x, w, m, n, k)
		RefMatMulTransB(ref, x, w, m, n, k)
		agree(t, "MatMulTransB", out, ref, k)

		start := randSlice(rng, m*k)
		dX, refDX := append([]float32(nil), start...), append([]float32(nil), start...)
		MatMulAcc(dX, dY, w, m, n, k)
		RefMatMulAcc(refDX, dY, w, m, n, k)
		agree(t, "MatMulAcc", dX, refDX, n)

		start = randSlice(rng, n*k)
		dW, refDW := append([]float32(nil), start...), append([]float32(nil), start...)
		MatMulTransAAcc(dW, dY, x, m, n, k)
		RefMatMulTransAAcc(refDW, dY, x, m, n, k)
		agree(t, "MatMulTransAAcc", dW, refDW, m)
	}
}
