package act

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSoftmaxRowIsSoftmaxScaled checks SoftmaxRow on rows kept on the stack
// and wider ones: with scale 1 the bits of Softmax, with another scale the
// float64 softmax times it rounded once, and LogSumExp returned (to within
// float64's rounding).
func TestSoftmaxRowIsSoftmaxScaled(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 10, maxExpsKept, maxExpsKept + 1, 300} {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(20*rng.Float64() - 10)
		}
		want, got := make([]float32, n), make([]float32, n)
		Softmax(want, x, n)
		// The row's exponentials may come from kernels.SoftmaxRow's, not
		// math.Exp's: the logarithm of their sum agrees to float64's last bits.
		if logSum, want := SoftmaxRow(got, x, 1), LogSumExp(x); math.Abs(logSum-want) > 1e-15*math.Max(1, math.Abs(want)) {
			t.Errorf("n=%d: returned %v, LogSumExp %v", n, logSum, want)
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

// TestSoftmaxSpecialCases holds Softmax and SoftmaxRow to the special
// cases Softmax documents, on rows short enough for the vector path (10)
// and longer than it keeps (70): NaN or +Inf anywhere gives NaN
// everywhere, a row of only −Inf NaN everywhere, a −Inf among finite
// values 0, and the finite entries still summing to 1.
func TestSoftmaxSpecialCases(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	for _, n := range []int{10, 70} {
		for _, c := range []struct {
			name   string
			set    func(x []float32)
			allNaN bool
		}{
			{"NaN", func(x []float32) { x[3] = nan }, true},
			{"+Inf", func(x []float32) { x[n-1] = inf }, true},
			{"only -Inf", func(x []float32) {
				for i := range x {
					x[i] = -inf
				}
			}, true},
			{"-Inf among finite", func(x []float32) { x[0] = -inf }, false},
		} {
			x := make([]float32, n)
			for i := range x {
				x[i] = float32(i%7) - 3
			}
			c.set(x)
			y := make([]float32, n)
			Softmax(y, x, n)
			z := make([]float32, n)
			SoftmaxRow(z, x, 1)
			var sum float64
			for i, v := range y {
				if math.Float32bits(v) != math.Float32bits(z[i]) && !(v != v && z[i] != z[i]) {
					t.Fatalf("n=%d, %s: Softmax %v and SoftmaxRow %v at %d", n, c.name, v, z[i], i)
				}
				switch {
				case c.allNaN && v == v:
					t.Fatalf("n=%d, %s: y[%d] = %v, want NaN", n, c.name, i, v)
				case !c.allNaN && math.IsInf(float64(x[i]), -1) && v != 0:
					t.Fatalf("n=%d, %s: y[%d] = %v for −Inf, want 0", n, c.name, i, v)
				}
				sum += float64(v)
			}
			if !c.allNaN && math.Abs(sum-1) > 1e-6 {
				t.Fatalf("n=%d, %s: the outputs sum to %v", n, c.name, sum)
			}
		}
	}
}
