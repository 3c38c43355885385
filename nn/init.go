package nn

import (
	"math"
	"math/rand/v2"
)

// InitDefault fills every Dense layer as torch.nn.Linear does by default,
// wiggle's default too: weights and biases from U(−1/√fan_in, 1/√fan_in).
// Layers are filled in order, weights before biases, from rng.
func InitDefault(s *Sequential, rng *rand.Rand) {
	for _, l := range s.Layers {
		if d, ok := l.(*Dense); ok {
			bound := 1 / math.Sqrt(float64(d.In))
			fillUniform(d.W.Value, bound, rng)
			fillUniform(d.B.Value, bound, rng)
		}
	}
}

func fillUniform(v []float32, bound float64, rng *rand.Rand) {
	for i := range v {
		v[i] = float32((2*rng.Float64() - 1) * bound)
	}
}
