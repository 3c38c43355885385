package train_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/engine"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/probe"
	"github.com/wigglenn/wiggle/train"
)

func ExampleTrainer() {
	rng := rand.New(rand.NewPCG(1, 0))
	ds := data.Spiral(100, 3, 0.2, rng)
	net := nn.NewMLP(2, []int{64}, 3, act.MustNew("relu"), rng)
	tr := &train.Trainer{Net: net, Opt: &optim.SGD{LR: 0.1, Momentum: 0.9}, Batch: 32, Shuffle: true, Rng: rng}
	for range 100 {
		if _, _, err := tr.Epoch(context.Background(), ds); err != nil {
			log.Fatal(err)
		}
	}
	_, acc, err := train.Evaluate(net, loss.Softmax{}, ds)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("training accuracy above 90%:", acc > 0.9)
	// Output: training accuracy above 90%: true
}

// AfterStep follows the gradients through an epoch: here the mean ‖dW‖ of
// each layer over the epoch's steps, as the playground's health chart
// shows it, where the Grads after Epoch hold the last step's alone.
func ExampleTrainer_AfterStep() {
	rng := rand.New(rand.NewPCG(1, 0))
	ds := data.Spiral(100, 3, 0.2, rng) // 300 rows: ten steps of 30
	net := nn.NewMLP(2, []int{16, 16}, 3, act.MustNew("sigmoid"), rng)
	var sums []float64
	steps := 0
	tr := &train.Trainer{Net: net, Opt: &optim.SGD{LR: 0.1}, Batch: 30}
	tr.AfterStep = func(rows int) {
		norms := probe.WeightGradNorms(net)
		if sums == nil {
			sums = make([]float64, len(norms))
		}
		for k, v := range norms {
			sums[k] += v
		}
		steps++
	}
	if _, _, err := tr.Epoch(context.Background(), ds); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d steps; the first layer's mean ‖dW‖ below the last's: %v\n", steps, sums[0] < sums[len(sums)-1])
	// Output: 10 steps; the first layer's mean ‖dW‖ below the last's: true
}

// A loop of one's own around Step names each next batch with Prefetch, so
// that the engine's helper thread gathers it during the step before; the
// steps come out the same, bit for bit, as without it.
func ExampleTrainer_Prefetch() {
	ds := data.Spiral(100, 3, 0.2, rand.New(rand.NewPCG(1, 0))) // 300 rows
	var batches [][]int
	for lo := 0; lo < ds.Len(); lo += 50 {
		batches = append(batches, rand.New(rand.NewPCG(2, uint64(lo))).Perm(ds.Len())[:50])
	}
	run := func(prefetch bool) float64 {
		net := nn.NewMLP(2, []int{32}, 3, act.MustNew("tanh"), rand.New(rand.NewPCG(3, 0)))
		tr := &train.Trainer{Net: net, Opt: &optim.SGD{LR: 0.1, Momentum: 0.9}, Batch: 50}
		defer engine.KeepHelperAwake()() // as Epoch does: the helper takes part
		var last float64
		for i, rows := range batches {
			if prefetch && i+1 < len(batches) {
				if err := tr.Prefetch(ds, batches[i+1]); err != nil {
					log.Fatal(err)
				}
			}
			l, _, err := tr.Step(ds, rows)
			if err != nil {
				log.Fatal(err)
			}
			last = l
		}
		return last
	}
	fmt.Println("same last loss:", run(true) == run(false))
	// Output: same last loss: true
}

// A run that saves a checkpoint file every few epochs can be taken up
// again from it, in another process: the same steps, the same bits.
func ExampleLoadCheckpoint() {
	dir, err := os.MkdirTemp("", "wiggle-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "run.ckpt")
	ds := data.Spiral(50, 3, 0.2, rand.New(rand.NewPCG(1, 0)))
	cfg := train.Config{Epochs: 4, Batch: 25, Shuffle: true, Seed: 1, Optimizer: optim.Config{Name: "adam", LR: 0.01}}

	// The first process trains 2 epochs, saving a checkpoint after each.
	net := nn.NewMLP(2, []int{16}, 3, act.MustNew("relu"), rand.New(rand.NewPCG(2, 0)))
	first := cfg
	first.Epochs, first.CheckpointEvery = 2, 1
	first.OnCheckpoint = func(c *train.Checkpoint) error {
		return train.SaveCheckpoint(path, &modelio.Model{Net: net, Loss: "softmax"}, c)
	}
	if _, err := train.Fit(context.Background(), net, loss.Softmax{}, ds, nil, first); err != nil {
		log.Fatal(err)
	}

	// A later one goes on from the file to 4 epochs in all.
	m, c, err := train.LoadCheckpoint(path)
	if err != nil {
		log.Fatal(err)
	}
	cfg.Resume = c
	res, err := train.Fit(context.Background(), m.Net, loss.Softmax{}, ds, nil, cfg)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("resumed after epoch %d; %d epochs in all, %d in this call\n", c.Epoch, res.Epochs, len(res.History))
	// Output: resumed after epoch 2; 4 epochs in all, 2 in this call
}

// A model read from a file (an ONNX import, say) is fine-tuned on raw rows
// with FitModel, which standardises them with the model's own Scaler, as
// its weights expect, and checks the rows' columns against the model's.
func ExampleFitModel() {
	rng := rand.New(rand.NewPCG(1, 0))
	ds := data.Spiral(100, 3, 0.2, rng)
	ds.Features = []string{"x", "y"}
	m := &modelio.Model{Net: nn.NewMLP(2, []int{64}, 3, act.MustNew("relu"), rng), Loss: "softmax",
		Features: []string{"x", "y"}, Scaler: data.FitStandardizer(ds.X)}
	cfg := train.Config{Epochs: 100, Batch: 32, Shuffle: true, Seed: 1, Optimizer: optim.Config{Name: "momentum", LR: 0.1}}
	res, err := train.FitModel(context.Background(), m, ds, nil, cfg)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("training accuracy above 90%:", res.History[len(res.History)-1].TrainAccuracy > 0.9)
	ds.Features = []string{"y", "x"}
	_, err = train.FitModel(context.Background(), m, ds, nil, cfg)
	fmt.Println(err)
	// Output:
	// training accuracy above 90%: true
	// the training data's columns are [y x]; the model takes [x y], in that order (read the data with the model's Features)
}

// Fit with a probe: one Recorder for one training, made for the network
// and its training rows; OnHealth hears each epoch's health on Fit's
// goroutine, which a service may send on as JSON, and Warnings says what
// passed a threshold.
func ExampleFit_probe() {
	rng := rand.New(rand.NewPCG(1, 0))
	ds := data.Spiral(100, 3, 0.2, rng)
	net := nn.NewMLP(2, []int{16, 16}, 3, act.MustNew("relu"), rng)
	rec := probe.NewRecorder(net, ds.X)
	cfg := train.Config{Epochs: 3, Batch: 32, Shuffle: true, Seed: 1, Optimizer: optim.Config{Name: "momentum", LR: 0.1},
		Probe: rec,
		OnHealth: func(h probe.EpochHealth) {
			fmt.Printf("epoch %d: %d hidden layers, %d units in the first\n", h.Epoch, len(h.Layers), h.Layers[0].Units)
			_ = probe.Warnings(h) // each a sentence beginning "warning:"
		}}
	if _, err := train.Fit(context.Background(), net, loss.Softmax{}, ds, nil, cfg); err != nil {
		log.Fatal(err)
	}
	series, err := json.Marshal(rec.Series())
	fmt.Println("the series as JSON:", err == nil && len(series) > 0)
	_, err = train.Fit(context.Background(), net, loss.Softmax{}, ds, nil, cfg) // the same Recorder again
	fmt.Println(err != nil)
	// Output:
	// epoch 1: 2 hidden layers, 16 units in the first
	// epoch 2: 2 hidden layers, 16 units in the first
	// epoch 3: 2 hidden layers, 16 units in the first
	// the series as JSON: true
	// true
}
