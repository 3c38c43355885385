package train

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

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
// kept awake, as a training loop keeps it), with the gradients and then
// the update, and with each gradient stepped as it completes
// (Trainer.StepInBackward, as wiggle train runs); it reports samples per
// second.
func BenchmarkMLPStep(b *testing.B) {
	for _, threads := range []int{1, 2} {
		for _, inBackward := range []bool{false, true} {
			b.Run(fmt.Sprintf("threads=%d/stepInBackward=%v", threads, inBackward), func(b *testing.B) {
				benchmarkMLPStep(b, threads, inBackward)
			})
		}
	}
}

// benchmarkMLPStep times BenchmarkMLPStep's step on threads threads.
func benchmarkMLPStep(b *testing.B, threads int, inBackward bool) {
	defer engine.SetThreads(engine.SetThreads(threads))
	defer engine.KeepHelperAwake()()
	rng := rand.New(rand.NewPCG(1, 1))
	ds := mnistShaped(1280, rng)
	net := nn.NewMLP(784, []int{256, 256}, 10, act.MustNew("relu"), rng)
	tr := &Trainer{Net: net, Loss: loss.Softmax{}, Opt: &optim.SGD{LR: 0.01, Momentum: 0.9}, Batch: 128, StepInBackward: inBackward}
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
}

// BenchmarkMLPStepPhases is the step of BenchmarkMLPStep (batch 128, two
// threads) the way `wiggle train` makes it, each gradient into its step
// (BenchmarkMLPStep's stepInBackward=true), timed in its phases: the batch's
// gather, each layer's forward pass, the loss, and the backward pass with
// its steps. It reports µs of each a step, to set beside the products
// alone (BenchmarkGemm in internal/kernels): what a step spends between
// them. Trainer.Step's checks and its count of right answers are left
// out.
func BenchmarkMLPStepPhases(b *testing.B) {
	defer engine.SetThreads(engine.SetThreads(2))
	defer engine.KeepHelperAwake()()
	rng := rand.New(rand.NewPCG(1, 1))
	ds := mnistShaped(1280, rng)
	net := nn.NewMLP(784, []int{256, 256}, 10, act.MustNew("relu"), rng)
	sgd := &optim.SGD{LR: 0.01, Momentum: 0.9}
	tr := &Trainer{Net: net, Loss: loss.Softmax{}, Opt: sgd} // its buffers; the step is made below
	rows := make([]int, 128)
	phases := make([]time.Duration, len(net.Layers)+3) // gather, layers, loss, backward
	i := 0
	for b.Loop() {
		for j := range rows {
			rows[j] = (i*128 + j) % ds.Len()
		}
		i++
		start := time.Now()
		lap := func(p int) {
			now := time.Now()
			phases[p] += now.Sub(start)
			start = now
		}
		tr.batch = gather(tr.batch, ds, rows, &tr.rowCopy)
		lap(0)
		x := tr.batch.X
		for l, layer := range net.Layers {
			x = layer.Forward(x, true)
			lap(1 + l)
		}
		tr.dOut = tr.dOut.Reshape(x.Rows, x.Cols)
		tr.loss().Forward(tr.dOut, x, target(tr.batch))
		lap(len(phases) - 2)
		sgd.GradientsAndStep(net, tr.dOut)
		lap(len(phases) - 1)
	}
	us := func(p int) float64 { return float64(phases[p]) / 1e3 / float64(b.N) }
	b.ReportMetric(us(0), "gather-µs/op")
	for l, layer := range net.Layers {
		kind := "dense"
		if _, ok := layer.(*nn.Activation); ok {
			kind = "act"
		}
		b.ReportMetric(us(1+l), fmt.Sprintf("fwd%d-%s-µs/op", l, kind))
	}
	b.ReportMetric(us(len(phases)-2), "loss-µs/op")
	b.ReportMetric(us(len(phases)-1), "backward-µs/op")
}
