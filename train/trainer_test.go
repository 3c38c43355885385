package train

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/engine"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/tensor"
)

func TestEpochIsStepsOverBatches(t *testing.T) {
	ds := data.Spiral(10, 3, 0.2, rand.New(rand.NewPCG(1, 1))) // 30 rows
	newNet := func() *nn.Sequential {
		return nn.NewMLP(2, []int{8}, 3, act.MustNew("tanh"), rand.New(rand.NewPCG(2, 2)))
	}
	// An epoch with batch 8 and no shuffle is four steps: rows 0–7, 8–15,
	// 16–23 and the smaller 24–29.
	a := newNet()
	tr := &Trainer{Net: a, Opt: &optim.SGD{LR: 0.5}, Batch: 8}
	var stepRows []int
	var stepGrads [][]float32 // the first layer's weight gradient after each step, as AfterStep finds it
	tr.AfterStep = func(rows int) {
		stepRows = append(stepRows, rows)
		stepGrads = append(stepGrads, slices.Clone(a.Params()[0].Grad))
	}
	got, _, err := tr.Epoch(context.Background(), ds)
	if err != nil {
		t.Fatal(err)
	}

	b := newNet()
	byHand := &Trainer{Net: b, Opt: &optim.SGD{LR: 0.5}, Batch: 8}
	var want float64
	for start := 0; start < 30; start += 8 {
		var rows []int
		for r := start; r < min(start+8, 30); r++ {
			rows = append(rows, r)
		}
		l, _, err := byHand.Step(ds, rows)
		if err != nil {
			t.Fatal(err)
		}
		want += l * float64(len(rows)) / 30
		if k := start / 8; k >= len(stepGrads) || !slices.Equal(stepGrads[k], b.Params()[0].Grad) {
			t.Errorf("step %d: AfterStep did not see the step's gradient", k+1)
		}
	}
	if !slices.Equal(stepRows, []int{8, 8, 8, 6}) {
		t.Errorf("AfterStep called with rows %v, want [8 8 8 6]", stepRows)
	}
	if math.Abs(got-want) > 1e-12 {
		t.Errorf("epoch loss %v, by hand %v", got, want)
	}
	if tr.ahead == nil || tr.ahead.taken != 3 || tr.ahead.readyDS != nil || tr.ahead.askedDS != nil {
		t.Errorf("the epoch's steps did not each gather the next batch (Prefetch), or it kept the data set: %+v", tr.ahead)
	}
	for i, p := range a.Params() {
		if !slices.Equal(p.Value, b.Params()[i].Value) {
			t.Fatalf("%s differs between Epoch and steps by hand", p.Name)
		}
	}
}

func TestTrainingLowersLossAndIsRepeatable(t *testing.T) {
	run := func() (*nn.Sequential, float64, float64) {
		rng := rand.New(rand.NewPCG(3, 3))
		ds := data.Spiral(50, 3, 0.2, rng)
		net := nn.NewMLP(2, []int{16}, 3, act.MustNew("relu"), rng)
		before, _, err := Evaluate(net, loss.Softmax{}, ds)
		if err != nil {
			t.Fatal(err)
		}
		tr := &Trainer{Net: net, Opt: &optim.SGD{LR: 0.1, Momentum: 0.9}, Batch: 16, Shuffle: true, Rng: rng}
		for range 30 {
			if _, _, err := tr.Epoch(context.Background(), ds); err != nil {
				t.Fatal(err)
			}
		}
		after, _, err := Evaluate(net, loss.Softmax{}, ds)
		if err != nil {
			t.Fatal(err)
		}
		return net, before, after
	}
	n1, before, after := run()
	if !(after < 0.7*before) {
		t.Errorf("loss went from %v to %v in 30 epochs; want a clear drop", before, after)
	}
	n2, _, _ := run()
	for i, p := range n1.Params() {
		if !slices.Equal(p.Value, n2.Params()[i].Value) {
			t.Errorf("%s differs between two runs with the same seed", p.Name)
		}
	}
}

// TestStepInBackwardKeepsTheBits trains the same network with and without
// StepInBackward, on one thread and on two, and checks every weight and
// the loss are the same bits after each step; and that the fast way was
// taken: the first layer's W.Grad, which its product steps from, is never
// written there (it stays 0), while the default way fills it.
func TestStepInBackwardKeepsTheBits(t *testing.T) {
	for _, threads := range []int{1, 2} {
		for _, nesterov := range []bool{false, true} {
			previous := engine.SetThreads(threads)
			release := engine.KeepHelperAwake()
			rng := rand.New(rand.NewPCG(4, 4))
			ds := &data.Dataset{X: tensor.New(256, 100), Labels: make([]int, 256), Classes: 10}
			for i := range ds.X.Data {
				ds.X.Data[i] = float32(rng.NormFloat64())
			}
			for i := range ds.Labels {
				ds.Labels[i] = rng.IntN(10)
			}
			newTrainer := func(fast bool) *Trainer {
				net := nn.NewMLP(100, []int{200, 150}, 10, act.MustNew("relu"), rand.New(rand.NewPCG(5, 5)))
				return &Trainer{Net: net, Opt: &optim.SGD{LR: 0.05, Momentum: 0.9, Nesterov: nesterov}, Batch: 64, StepInBackward: fast}
			}
			plain, fast := newTrainer(false), newTrainer(true)
			for step := range 4 {
				rows := make([]int, 64)
				for i := range rows {
					rows[i] = (step*64 + i*5) % 256
				}
				l1, _, err1 := plain.Step(ds, rows)
				l2, _, err2 := fast.Step(ds, rows)
				if err1 != nil || err2 != nil || math.Float64bits(l1) != math.Float64bits(l2) {
					t.Fatalf("%d threads, step %d: losses %v, %v (%v, %v)", threads, step, l1, l2, err1, err2)
				}
				for i, p := range fast.Net.Params() {
					if !slices.EqualFunc(p.Value, plain.Net.Params()[i].Value, func(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) }) {
						t.Fatalf("%d threads, nesterov %v, step %d: %s differs", threads, nesterov, step, p.Name)
					}
				}
			}
			first := func(tr *Trainer) *nn.Dense { return tr.Net.Layers[0].(*nn.Dense) }
			if slices.ContainsFunc(first(fast).W.Grad, func(g float32) bool { return g != 0 }) {
				t.Errorf("%d threads: StepInBackward wrote the first layer's W.Grad: not the fast way", threads)
			}
			if !slices.ContainsFunc(first(plain).W.Grad, func(g float32) bool { return g != 0 }) {
				t.Errorf("%d threads: the default left the first layer's W.Grad empty", threads)
			}
			release()
			engine.SetThreads(previous)
		}
	}
}

// TestTrainerRefusesAnotherNet: a Trainer whose Net is replaced after its
// first step is refused (an *OptionError naming Net): its optimizer's
// state and its parameters were the first network's, which it went on
// stepping with the new one's gradients.
func TestTrainerRefusesAnotherNet(t *testing.T) {
	ds := data.Spiral(10, 3, 0.2, rand.New(rand.NewPCG(1, 1)))
	a := nn.NewMLP(2, []int{4}, 3, act.MustNew("tanh"), rand.New(rand.NewPCG(2, 2)))
	b := nn.NewMLP(2, []int{4}, 3, act.MustNew("tanh"), rand.New(rand.NewPCG(3, 3)))
	opt, err := optim.New(optim.Config{Name: "adam", LR: 0.01})
	if err != nil {
		t.Fatal(err)
	}
	tr := &Trainer{Net: a, Loss: loss.Softmax{}, Opt: opt, Batch: 4}
	if _, _, err := tr.Step(ds, []int{0, 1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	before := slices.Clone(b.Params()[0].Value)
	tr.Net = b
	_, _, err = tr.Step(ds, []int{0, 1, 2, 3})
	var opt2 *OptionError
	if !errors.As(err, &opt2) || opt2.Option != "Net" {
		t.Errorf("a step with another Net: %v; want an *OptionError of Net", err)
	}
	if !slices.Equal(before, b.Params()[0].Value) {
		t.Error("the refused step changed the new network")
	}
}

// TestNilTrainer: a nil Trainer's Epoch and Step are errors, where they
// panicked.
func TestNilTrainer(t *testing.T) {
	var tr *Trainer
	ds := data.Spiral(4, 3, 0.2, rand.New(rand.NewPCG(1, 1)))
	if _, _, err := tr.Epoch(context.Background(), ds); err == nil {
		t.Error("Epoch of a nil Trainer passed")
	}
	if _, _, err := tr.Step(ds, []int{0}); err == nil {
		t.Error("Step of a nil Trainer passed")
	}
}
