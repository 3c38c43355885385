package kernels

import (
	"math"
	"testing"
)

// TestLog1pSeries holds log1pOf to its stated 1.5e−11, relative, against
// math.Log1p, on a dense grid of e in (0, 1] and on tiny e, where a form
// that cancelled would lose every digit.
func TestLog1pSeries(t *testing.T) {
	worst, at := 0.0, 0.0
	check := func(e float64) {
		if d := math.Abs(log1pOf(e)/math.Log1p(e) - 1); d > worst || d != d {
			worst, at = d, e
		}
	}
	for i := 1; i <= 100000; i++ {
		check(float64(i) / 100000)
	}
	for e := 1e-300; e < 1e-5; e *= 3.7 {
		check(e)
	}
	if !(worst <= 1.5e-11) {
		t.Errorf("log1p(%v) off by %.3g relative, want within 1.5e−11", at, worst)
	}
	if got := log1pOf(0); got != 0 {
		t.Errorf("log1p(0) = %v, want 0", got)
	}
	t.Logf("worst %.3g relative at e = %v", worst, at)
}
