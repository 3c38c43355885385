package model_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/model"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/train"
)

// Load a model that `wiggle train` saved and ask it about two points.
func Example() {
	m, err := model.Load("testdata/blobs.safetensors")
	if err != nil {
		log.Fatal(err)
	}
	labels, err := m.Classify([][]float32{{2, 0}, {-1, 1.5}, {-1, -2}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Features(), m.Classes(), labels)
	// Output: [x0 x1] [0 1 2] [0 1 2]
}

// Train a network in Go, save it, and serve it: the example of the README.
func Example_trainSaveServe() {
	rng := rand.New(rand.NewPCG(1, 0))
	ds := data.Spiral(100, 3, 0.2, rng)
	net := nn.NewMLP(2, []int{64}, 3, act.MustNew("relu"), rng)
	cfg := train.Config{Epochs: 100, Batch: 32, Shuffle: true, Optimizer: optim.Config{Name: "momentum", LR: 0.1}}
	if _, err := train.Fit(context.Background(), net, loss.Softmax{}, ds, nil, cfg); err != nil {
		log.Fatal(err)
	}
	dir, _ := os.MkdirTemp("", "wiggle")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "spiral.safetensors")
	if err := modelio.Save(path, &modelio.Model{Net: net, Loss: "softmax"}); err != nil {
		log.Fatal(err)
	}

	m, err := model.Load(path) // safe for any number of goroutines
	if err != nil {
		log.Fatal(err)
	}
	probs, err := m.Predict([][]float32{{0.5, 0.1}}) // each class's probability
	if err != nil {
		log.Fatal(err)
	}
	labels, err := m.Classify([][]float32{{0.5, 0.1}, {-0.4, 0.2}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Classes(), len(probs[0]), labels)
	// Output: [0 1 2] 3 [0 1]
}

// Serve a network trained in the program on features standardised as
// `wiggle train --standardize` does: fit the Standardizer on the training
// rows, train on standardised rows, and give the Model the Standardizer,
// so that it takes raw rows.
func ExampleNew() {
	rng := rand.New(rand.NewPCG(2, 0))
	ds := data.Spiral(50, 3, 0.1, rng)
	raw := [][]float32{slices.Clone(ds.X.Row(0)), slices.Clone(ds.X.Row(120))}
	scaler := data.FitStandardizer(ds.X)
	scaler.Apply(ds.X)
	net := nn.NewMLP(2, []int{32}, 3, act.MustNew("tanh"), rng)
	cfg := train.Config{Epochs: 200, Batch: 16, Shuffle: true, Optimizer: optim.Config{Name: "momentum", LR: 0.1}}
	if _, err := train.Fit(context.Background(), net, loss.Softmax{}, ds, nil, cfg); err != nil {
		log.Fatal(err)
	}
	m, err := model.New(&modelio.Model{Net: net, Loss: "softmax", Classes: []string{"red", "green", "blue"}, Scaler: scaler})
	if err != nil {
		log.Fatal(err)
	}
	labels, err := m.Classify(raw) // raw rows: the model standardises them
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Features(), m.Columns(), labels)
	// Output: [x0 x1] [p_red p_green p_blue] [red blue]
}

// Bound a call by a context, as a service bounds it by its request's: a
// context that is done stops the call with its error.
func ExampleModel_ClassifyContext() {
	m, err := model.Load("testdata/blobs.safetensors")
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	labels, err := m.ClassifyContext(ctx, [][]float32{{2, 0}, {-1, 1.5}})
	fmt.Println(labels, err)

	cancel() // the client went away
	labels, err = m.ClassifyContext(ctx, [][]float32{{2, 0}, {-1, 1.5}})
	fmt.Println(labels, errors.Is(err, context.Canceled))
	// Output:
	// [0 1] <nil>
	// [] true
}

// Measure a model on labelled rows: a CSV table read with the model's own
// columns and classes, so that a column out of order or a class the model
// lacks is an error rather than a wrong score.
func ExampleModel_Evaluate() {
	m, err := model.Load("testdata/blobs.safetensors")
	if err != nil {
		log.Fatal(err)
	}
	table := "x1,x0,label\n0,2,0\n1.5,-1,1\n-2,0,2\n-1.8,0.2,2\n"
	ds, err := data.ParseCSV("rows.csv", strings.NewReader(table),
		data.CSVOptions{Target: m.Target(), Features: m.Features(), Classes: m.Classes()})
	if err != nil {
		log.Fatal(err)
	}
	ev, err := m.Evaluate(ds)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ev.Rows, "rows, accuracy", *ev.Accuracy)
	fmt.Println(ev.Confusion)
	// Output:
	// 4 rows, accuracy 1
	// [[1 0 0] [0 1 0] [0 0 2]]
}
