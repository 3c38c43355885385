package kernels

import "testing"

// TestPeakFMACountsItsFlops checks the peak loop's sum, chains·rounds·a·b,
// which tells that it ran every round of every chain, and the flops
// PeakFMA reports: 2 a lane for each of the chains of each round, as wide
// as the micro-kernel.
func TestPeakFMACountsItsFlops(t *testing.T) {
	lanes := map[string]int{"avx512 12x32": 16, "avx2 6x16": 8, "go 6x16": 0}[Kernel()]
	for _, rounds := range []int{1, 7, 1000, peakBatch + 3} {
		want := 2 * float64(rounds) * float64(lanes*peakChains)
		if got := PeakFMA(rounds); got != want {
			t.Errorf("PeakFMA(%d) = %v flops, want %v (kernel %s)", rounds, got, want, Kernel())
		}
	}
	if got := PeakFMA(0); got != 0 {
		t.Errorf("PeakFMA(0) = %v", got)
	}
	if lanes == 0 {
		return
	}
	for _, c := range []struct {
		rounds int
		a, b   float32
	}{{1, 3, 5}, {10, 0.5, 4}, {1000, -2, 0.25}} {
		want := float32(peakChains*c.rounds) * c.a * c.b
		if l, sum := peakFast(c.rounds, c.a, c.b); l != lanes || sum != want {
			t.Errorf("peakFast(%d, %v, %v) = %d lanes, %v; want %d, %v", c.rounds, c.a, c.b, l, sum, lanes, want)
		}
	}
}
