package train

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/engine"
	"github.com/wigglenn/wiggle/internal/hugepages/hugepagestest"
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

// TestTrainerKeepsItsBuffersCarved: the buffers a Trainer keeps from step
// to step (its batch, the next one gathered ahead, the loss gradient, the
// epoch's order of rows, a regression set's targets) are cut from the
// huge pages' slabs, so that a training's first step faults in no 4 KiB
// pages for them.
func TestTrainerKeepsItsBuffersCarved(t *testing.T) {
	for _, regression := range []bool{false, true} {
		carved := hugepagestest.CarvedDuring(t, func() []unsafe.Pointer {
			rng := rand.New(rand.NewPCG(13, 13))
			ds := mnistShaped(96, rng)
			var l loss.Loss
			if regression {
				ds.Values, ds.Labels, ds.Classes, l = tensor.New(ds.Len(), 2), nil, 0, loss.MSE{}
			}
			tr := &Trainer{Net: nn.NewMLP(784, []int{8}, max(ds.Classes, 2), act.MustNew("relu"), rng), Loss: l, Opt: &optim.SGD{LR: 0.1}, Batch: 32}
			if _, _, err := tr.Epoch(context.Background(), ds); err != nil {
				t.Fatal(err)
			}
			addrs := []unsafe.Pointer{unsafe.Pointer(&tr.batch.X.Data[0]), unsafe.Pointer(&tr.ahead.batch.X.Data[0]),
				unsafe.Pointer(&tr.dOut.Data[0]), unsafe.Pointer(&tr.order[0])}
			if regression {
				addrs = append(addrs, unsafe.Pointer(&tr.batch.Values.Data[0]))
			}
			return addrs
		})
		if carved == nil {
			t.Skip("hugepages.Carve cuts no slabs here")
		}
		for i, c := range carved {
			if !c {
				t.Errorf("regression %v: kept buffer %d (batch, batch ahead, loss gradient, order, targets) not carved", regression, i)
			}
		}
	}
}

// TestRowOrderCarvesOnlyItsFirst: an epoch's order of rows is carved the
// first time, reused while it is long enough, and grown elsewhere, so that
// a data set gaining rows epoch after epoch strands no orders in slabs.
func TestRowOrderCarvesOnlyItsFirst(t *testing.T) {
	var first []int
	carved := hugepagestest.CarvedDuring(t, func() []unsafe.Pointer {
		first = rowOrder(nil, 100)
		return []unsafe.Pointer{unsafe.Pointer(&first[0])}
	})
	if len(first) != 100 || carved != nil && !carved[0] {
		t.Errorf("rowOrder(nil, 100): len %d, carved %v; want 100, carved", len(first), carved)
	}
	if shorter := rowOrder(first, 60); len(shorter) != 60 || &shorter[0] != &first[0] {
		t.Errorf("rowOrder to 60 rows: len %d, the same storage %v; want 60 in it", len(shorter), &shorter[0] == &first[0])
	} else if again := rowOrder(shorter, 100); len(again) != 100 || &again[0] != &first[0] {
		t.Errorf("rowOrder back to 100 rows: len %d, the same storage %v; want 100 in it", len(again), &again[0] == &first[0])
	}
	var grown []int
	carved = hugepagestest.CarvedDuring(t, func() []unsafe.Pointer {
		grown = rowOrder(first, 101)
		return []unsafe.Pointer{unsafe.Pointer(&grown[0])}
	})
	if len(grown) != 101 || carved != nil && carved[0] {
		t.Errorf("rowOrder grown to 101 rows: len %d, carved %v; want 101, not carved", len(grown), carved)
	}
}
