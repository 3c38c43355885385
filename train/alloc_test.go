package train

import (
	"math/rand/v2"
	"slices"
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
		next := slices.Clone(rows)
		slices.Reverse(next)
		step := func() { // each step gathers the next batch (Prefetch), rows and next in turn
			tr.Prefetch(ds, next)
			tr.Step(ds, rows)
			rows, next = next, rows
		}
		step()
		step()
		if n := testing.AllocsPerRun(20, step); n != 0 {
			t.Errorf("%s: a training step gathering the next batch allocates %v times", name, n)
		}
		if tr.ahead.taken < 20 {
			t.Errorf("%s: %d steps started from a prefetched batch", name, tr.ahead.taken)
		}
		release()
		one := tensor.New(1, 784)
		net.Forward(one, false)
		if n := testing.AllocsPerRun(50, func() { net.Forward(one, false) }); n != 0 {
			t.Errorf("%s: single-sample inference allocates %v times", name, n)
		}
	}
}
