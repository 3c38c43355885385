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

// TestHugeLogits: logits so large that m + log Σ e^(x − m) rounds the log
// away in float64 (1e20 + log 2 is 1e20) keep their softmax, log-softmax
// and log-sums: two of 1e20 are one half each, log-softmax −log 2 each,
// in a row of two and in one wider than maxExpsKept (each exponential
// twice there, from the row's log-sum, which had given softmax 1 and
// log-softmax 0).
func TestHugeLogits(t *testing.T) {
	for _, cols := range []int{2, maxExpsKept + 2} {
		x := make([]float32, cols)
		for j := range x {
			x[j] = -3e38
		}
		x[0], x[1] = 1e20, 1e20
		y, logY, shifted := make([]float32, cols), make([]float32, cols), make([]float64, 1)
		SoftmaxRows(y, x, cols, 1, shifted)
		LogSoftmax(logY, x, cols)
		if y[0] != 0.5 || y[1] != 0.5 || math.Abs(float64(logY[0])+math.Ln2) > 1e-7 || math.Abs(shifted[0]-math.Ln2) > 1e-15 {
			t.Errorf("%d logits, two of 1e20: softmax %v, log-softmax %v, shifted log-sum %v; want 0.5, −log 2 and log 2", cols, y[:2], logY[:2], shifted[0])
		}
		SoftmaxRow(y, x, 1)
		if y[0] != 0.5 {
			t.Errorf("%d logits, two of 1e20: SoftmaxRow %v; want 0.5", cols, y[:2])
		}
	}
}

// TestSoftmaxRowsIsSoftmaxRowByRow holds SoftmaxRows to SoftmaxRow, row
// by row, bit for bit (y and each shifted log-sum): row counts below, at and past
// a group of eight and a chunk of rowsAtOnce, widths within and past
// maxExpsKept, a row holding NaN, one holding +Inf and one of only −Inf
// among them, and logSums nil.
func TestSoftmaxRowsIsSoftmaxRowByRow(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	for _, cols := range []int{1, 10, maxExpsKept, maxExpsKept + 1} {
		for _, rows := range []int{1, 7, 9, rowsAtOnce, rowsAtOnce + 9, 130} {
			x := make([]float32, rows*cols)
			for i := range x {
				x[i] = float32(rng.NormFloat64() * 5)
			}
			if rows > 8 {
				x[2*cols] = nan
				x[5*cols+cols-1] = inf
				for j := range cols {
					x[(rows-1)*cols+j] = -inf
				}
			}
			y, logSums := make([]float32, len(x)), make([]float64, rows)
			SoftmaxRows(y, x, cols, 0.5, logSums)
			yNil := make([]float32, len(x))
			SoftmaxRows(yNil, x, cols, 0.5, nil)
			for r := range rows {
				want := make([]float32, cols)
				SoftmaxRow(want, x[r*cols:(r+1)*cols], 0.5)
				_, sum := softmaxRow(make([]float32, cols), x[r*cols:(r+1)*cols], 0.5)
				if wantLog := math.Log(sum); math.Float64bits(logSums[r]) != math.Float64bits(wantLog) && !(math.IsNaN(logSums[r]) && math.IsNaN(wantLog)) {
					t.Fatalf("%d×%d: row %d's shifted log-sum %v, SoftmaxRow's %v", rows, cols, r, logSums[r], wantLog)
				}
				for j := range cols {
					for _, got := range []float32{y[r*cols+j], yNil[r*cols+j]} {
						if math.Float32bits(got) != math.Float32bits(want[j]) && !(got != got && want[j] != want[j]) {
							t.Fatalf("%d×%d: y[%d][%d] = %v, SoftmaxRow's %v", rows, cols, r, j, got, want[j])
						}
					}
				}
			}
		}
	}
}
