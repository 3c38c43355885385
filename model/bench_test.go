package model

import (
	"math/rand/v2"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/nn"
)

// BenchmarkPredict measures Predict on the MNIST-shaped 784-256-256-10
// network for one row and for a batch of 256, on the calling goroutine
// (the helper thread parked, as in a service between trainings).
func BenchmarkPredict(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	net := nn.NewMLP(784, []int{256, 256}, 10, act.MustNew("relu"), rng)
	m, err := New(&modelio.Model{Net: net, Loss: "softmax"})
	if err != nil {
		b.Fatal(err)
	}
	rows := make([][]float32, 256)
	for i := range rows {
		rows[i] = make([]float32, 784)
		for j := range rows[i] {
			rows[i][j] = rng.Float32()
		}
	}
	for _, n := range []int{1, 256} {
		b.Run(map[int]string{1: "row", 256: "batch256"}[n], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.Predict(rows[:n]); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
