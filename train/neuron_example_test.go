package train_test

import (
	"context"
	"fmt"
	"log"
	"math/rand/v2"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/tensor"
	"github.com/wigglenn/wiggle/train"
)

// twoClouds is 2-D data: class 1 around (1, 1), class 0 around (−1, −1).
func twoClouds(n int, rng *rand.Rand) *data.Dataset {
	ds := &data.Dataset{X: tensor.New(2*n, 2), Labels: make([]int, 2*n), Classes: 2}
	for i := range 2 * n {
		c := i % 2
		centre := float64(2*c - 1)
		ds.X.Row(i)[0] = float32(centre + 0.7*rng.NormFloat64())
		ds.X.Row(i)[1] = float32(centre + 0.7*rng.NormFloat64())
		ds.Labels[i] = c
	}
	return ds
}

// neuron trains a single neuron, w·x + b with no hidden layer, under l.
func neuron(l loss.Loss, ds *data.Dataset, rng *rand.Rand) *nn.Sequential {
	net := nn.NewSequential(2, nn.NewDense(2, 1))
	nn.InitDefault(net, rng)
	tr := &train.Trainer{Net: net, Loss: l, Opt: &optim.SGD{LR: 0.1}, Batch: 20, Shuffle: true, Rng: rng}
	for range 50 {
		if _, _, err := tr.Epoch(context.Background(), ds); err != nil {
			log.Fatal(err)
		}
	}
	return net
}

// A single neuron with the logistic loss is logistic regression (CS231n's
// "binary softmax" classifier): σ(w·x + b) is the probability of class 1.
func Example_logisticRegression() {
	rng := rand.New(rand.NewPCG(1, 0))
	ds := twoClouds(100, rng)
	net := neuron(loss.Logistic{}, ds, rng)
	_, acc, err := train.Evaluate(net, loss.Logistic{}, ds)
	if err != nil {
		log.Fatal(err)
	}
	w := net.Params()[0].Value
	fmt.Printf("accuracy %.2f; w points from class 0 to class 1: %v\n", acc, w[0] > 0 && w[1] > 0)

	p := net.Forward(tensor.FromRows([][]float32{{2, 2}, {-2, -2}}), false)
	fmt.Printf("σ(score) at (2,2): above 0.9: %v; at (-2,-2): below 0.1: %v\n",
		sigmoid(p.Data[0]) > 0.9, sigmoid(p.Data[1]) < 0.1)
	// Output:
	// accuracy 0.97; w points from class 0 to class 1: true
	// σ(score) at (2,2): above 0.9: true; at (-2,-2): below 0.1: true
}

// A single neuron with the binary hinge loss is a linear SVM: it separates
// the classes with a margin, predicting class 1 where w·x + b > 0.
func Example_binarySVM() {
	rng := rand.New(rand.NewPCG(1, 0))
	ds := twoClouds(100, rng)
	net := neuron(loss.BinaryHinge{}, ds, rng)
	_, acc, err := train.Evaluate(net, loss.BinaryHinge{}, ds)
	if err != nil {
		log.Fatal(err)
	}
	scores := net.Forward(tensor.FromRows([][]float32{{2, 2}, {-2, -2}}), false)
	fmt.Printf("accuracy %.2f; score at (2,2) beyond the margin: %v; at (-2,-2): %v\n",
		acc, scores.Data[0] > 1, scores.Data[1] < -1)
	// Output:
	// accuracy 0.97; score at (2,2) beyond the margin: true; at (-2,-2): true
}

func sigmoid(s float32) float64 { return act.Sigmoid(float64(s)) }
