package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestReLUMatchesGo holds the assembly to the Go loops, bit for bit, on every
// length up to 40 (all tails) with NaN, ±0 and ±Inf among the inputs.
func TestReLUMatchesGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	special := []float32{float32(math.NaN()), 0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1))}
	for n := range 41 {
		x, dOut, start := make([]float32, n), make([]float32, n), make([]float32, n)
		for i := range x {
			x[i], dOut[i], start[i] = float32(rng.NormFloat64()), float32(rng.NormFloat64()), float32(rng.NormFloat64())
			if rng.IntN(5) == 0 {
				x[i] = special[rng.IntN(len(special))]
			}
		}
		y, yGo := make([]float32, n), make([]float32, n)
		ReLU(y, x)
		reluForwardGo(yGo, x)
		dX, dXGo := append([]float32(nil), start...), append([]float32(nil), start...)
		ReLUBackward(dX, dOut, x)
		reluBackwardGo(dXGo, dOut, x)
		for i := range x {
			if math.Float32bits(y[i]) != math.Float32bits(yGo[i]) || math.Float32bits(dX[i]) != math.Float32bits(dXGo[i]) {
				t.Fatalf("n=%d, x[%d]=%v: relu %v / %v, backward %v / %v (fast / Go)", n, i, x[i], y[i], yGo[i], dX[i], dXGo[i])
			}
		}
	}
}
