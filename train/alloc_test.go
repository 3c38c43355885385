package train

import (
	"math/rand/v2"
	"testing"

	"github.com/wigglenn/wiggle/engine"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/tensor"
)

// TestStepDoesNotAllocate checks that a training step in steady state
// (with and without StepInBackward), and an inference call of a prepared
// network, allocate nothing.
func TestStepDoesNotAllocate(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	ds := mnistShaped(512, rng)
	for _, name := range []string{"relu", "tanh", "prelu"} {
		spec := nn.NewMLPSpec(784, []int{64, 32}, 10, name, nn.MLPOptions{Dropout: 0.1})
		net, err := nn.Build(spec, rng)
		if err != nil {
			t.Fatal(err)
		}
		nn.InitDefault(net, rng)
		tr := &Trainer{Net: net, Loss: loss.Softmax{}, Opt: &optim.SGD{LR: 0.01, Momentum: 0.9}, Batch: 128, L2: 1e-4, ClipNorm: 5}
		rows := make([]int, 128)
		for i := range rows {
			rows[i] = i
		}
		tr.Step(ds, rows) // the first step sizes every buffer
		if n := testing.AllocsPerRun(20, func() { tr.Step(ds, rows) }); n != 0 {
			t.Errorf("%s: a training step allocates %v times", name, n)
		}
		tr.L2, tr.ClipNorm, tr.StepInBackward = 0, 0, true // each gradient stepped as it completes
		release := engine.KeepHelperAwake()                // bands shared with the helper, where there are two threads
		tr.Step(ds, rows)
		if n := testing.AllocsPerRun(20, func() { tr.Step(ds, rows) }); n != 0 {
			t.Errorf("%s: a training step, StepInBackward, allocates %v times", name, n)
		}
		release()
		one := tensor.New(1, 784)
		net.Forward(one, false)
		if n := testing.AllocsPerRun(50, func() { net.Forward(one, false) }); n != 0 {
			t.Errorf("%s: single-sample inference allocates %v times", name, n)
		}
	}
}
