package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSoftmaxRowMatchesMathExp holds SoftmaxRow, in assembly where this
// CPU runs it, to its Go form over math.Exp: every length up to 70 (the
// masked last eight), logits of several spreads, −Inf among them, scaled
// or not; each exponential within 4 ULP of float64 (the largest exactly
// 1), the sum within 1e-15, each y within one float32 step (and almost
// always the same); nothing written past y's and e's lengths.
func TestSoftmaxRowMatchesMathExp(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 14))
	same, all := 0, 0
	for _, scale := range []float64{1, 1.0 / 128} {
		for _, spread := range []float64{0.01, 1, 30, 1e4} {
			for n := 1; n <= 70; n++ {
				x := make([]float32, n)
				for i := range x {
					x[i] = float32(rng.NormFloat64() * spread)
				}
				if n > 3 {
					x[n/2] = float32(math.Inf(-1))
				}
				m := math.Inf(-1)
				for _, v := range x {
					m = max(m, float64(v))
				}
				e, y := make([]float64, n+9), make([]float32, n+17)
				for i := range e {
					e[i] = -1 // sentinels past the ends
				}
				for i := range y {
					y[i] = -1
				}
				sum := SoftmaxRow(y[:n], e[:n], x, m, scale)
				wantE, wantY := make([]float64, n), make([]float32, n)
				want := softmaxRowGo(wantY, wantE, x, m, scale)
				for j, v := range x {
					got, ref := e[j], wantE[j]
					if float64(v) == m && got != 1 {
						t.Fatalf("spread %v, n=%d: e^0 = %v", spread, n, got)
					}
					if diff := math.Abs(got - ref); diff > 4*ulp(ref) && diff > 1e-300 {
						t.Fatalf("spread %v, n=%d: e^(%v − %v) = %v, math.Exp %v (%.1f ULP)", spread, n, v, m, got, ref, diff/ulp(ref))
					}
					if y[j] != wantY[j] && math.Nextafter32(y[j], wantY[j]) != wantY[j] {
						t.Fatalf("spread %v, n=%d, scale %v: y[%d] = %v, the Go form's %v", spread, n, scale, j, y[j], wantY[j])
					}
					all++
					if y[j] == wantY[j] {
						same++
					}
				}
				for j := n; j < len(e); j++ {
					if e[j] != -1 {
						t.Fatalf("n=%d: e[%d] past the end written: %v", n, j, e[j])
					}
				}
				for j := n; j < len(y); j++ {
					if y[j] != -1 {
						t.Fatalf("n=%d: y[%d] past the end written: %v", n, j, y[j])
					}
				}
				if math.Abs(sum-want) > 1e-15*want {
					t.Fatalf("spread %v, n=%d: sum %v, the Go form's %v", spread, n, sum, want)
				}
			}
		}
	}
	if same < all*999/1000 {
		t.Errorf("%d of %d outputs differ from the Go form's by a float32 step", all-same, all)
	}
}

// ulp is the spacing of float64s at v.
func ulp(v float64) float64 { return math.Nextafter(v, math.Inf(1)) - v }
