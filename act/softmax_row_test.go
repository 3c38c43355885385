package act

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSoftmaxRowIsSoftmaxScaled checks SoftmaxRow on rows kept on the stack
// and wider ones: with scale 1 the bits of Softmax, with another scale the
// float64 softmax times it rounded once, and LogSumExp returned.
func TestSoftmaxRowIsSoftmaxScaled(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 10, maxExpsKept, maxExpsKept + 1, 300} {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(20*rng.Float64() - 10)
		}
		want, got := make([]float32, n), make([]float32, n)
		Softmax(want, x, n)
		if logSum := SoftmaxRow(got, x, 1); logSum != LogSumExp(x) {
			t.Errorf("n=%d: returned %v, LogSumExp %v", n, logSum, LogSumExp(x))
		}
		for i := range got {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("n=%d: scale 1 gives %v at %d, Softmax %v", n, got[i], i, want[i])
			}
		}
		SoftmaxRow(got, x, 0.25)
		for i, v := range x {
			exact := math.Exp(float64(v)-LogSumExp(x)) * 0.25
			if d := math.Abs(float64(got[i]) - exact); d > 2e-7*exact+1e-30 {
				t.Fatalf("n=%d: scale 0.25 gives %v at %d, want %v", n, got[i], i, exact)
			}
		}
	}
}
