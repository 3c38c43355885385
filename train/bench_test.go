package train

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/engine"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/tensor"
)

// mnistShaped is random data of MNIST's shape: rows of 784 pixels in
// [0, 1], ten classes.
func mnistShaped(rows int, rng *rand.Rand) *data.Dataset {
	ds := &data.Dataset{X: tensor.New(rows, 784), Labels: make([]int, rows), Classes: 10}
	for i := range ds.X.Data {
		ds.X.Data[i] = rng.Float32()
	}
	for i := range ds.Labels {
		ds.Labels[i] = rng.IntN(10)
	}
	return ds
}

// BenchmarkMLPStep is one training step of the 784-256-256-10 ReLU MLP on
// a batch of 128 with SGD momentum, on one thread and on two (the helper
// kept awake, as a training loop keeps it); it reports samples per second.
func BenchmarkMLPStep(b *testing.B) {
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("threads=%d", threads), func(b *testing.B) {
			defer engine.SetThreads(engine.SetThreads(threads))
			defer engine.KeepHelperAwake()()
			rng := rand.New(rand.NewPCG(1, 1))
			ds := mnistShaped(1280, rng)
			net := nn.NewMLP(784, []int{256, 256}, 10, act.MustNew("relu"), rng)
			tr := &Trainer{Net: net, Loss: loss.Softmax{}, Opt: &optim.SGD{LR: 0.01, Momentum: 0.9}, Batch: 128}
			rows := make([]int, 128)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				for j := range rows {
					rows[j] = (i*128 + j) % ds.Len()
				}
				tr.Step(ds, rows)
				i++
			}
			b.ReportMetric(128*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
		})
	}
}
