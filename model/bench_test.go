package model

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/tensor"
)

// BenchmarkPredict measures Predict on the MNIST-shaped 784-256-256-10
// network for one row and for a batch of 256, rows of one matrix (read in
// place) and rows apart (copied in), on the calling goroutine (the helper
// thread parked, as in a service between trainings).
func BenchmarkPredict(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	net := nn.NewMLP(784, []int{256, 256}, 10, act.MustNew("relu"), rng)
	m, err := New(&modelio.Model{Net: net, Loss: "softmax"})
	if err != nil {
		b.Fatal(err)
	}
	batch := tensor.New(256, 784) // rows of one matrix, read in place
	for i := range batch.Data {
		batch.Data[i] = rng.Float32()
	}
	rows, apart := make([][]float32, 256), make([][]float32, 256) // apart: copied in
	for i := range rows {
		rows[i], apart[i] = batch.Row(i), slices.Clone(batch.Row(i))
	}
	for _, c := range []struct {
		name string
		x    [][]float32
	}{{"row", rows[:1]}, {"batch256", rows}, {"batch256apart", apart}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.Predict(c.x); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(c.x))*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
