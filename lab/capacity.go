package lab

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/internal/atomicfile"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/plot"
	"github.com/wigglenn/wiggle/tensor"
	"github.com/wigglenn/wiggle/train"
)

var capacity = Experiment{
	Name: "capacity",
	Claim: "More hidden neurons can express more complicated functions: on 2-D data, 3, 6 and 20 neurons draw ever finer " +
		"decision regions and fit the training data better (and can overfit); L2 regularisation smooths the 20-neuron regions again.",
	Source: "CS231n, Neural Networks Part 1 (setting the number of layers and their sizes; the ConvNetJS demo figures)",
	Criterion: "on noisy moons (2 classes), one hidden relu layer of 20 neurons reaches a higher training accuracy than one " +
		"of 3; with 20 neurons, L2 of 0.1 gives a lower training accuracy than L2 of 0.001",
	run: runCapacity,
}

func runCapacity(env *Env) (Outcome, error) {
	n := 100
	if env.Quick {
		n = 60
	}
	trainSet, err := data.Generate(data.SyntheticSpec{Name: "moons", N: n, Noise: 0.3}, rand.New(rand.NewPCG(env.Seed, 21)))
	if err != nil {
		return Outcome{}, err
	}
	testSet, err := data.Generate(data.SyntheticSpec{Name: "moons", N: n, Noise: 0.3}, rand.New(rand.NewPCG(env.Seed, 22)))
	if err != nil {
		return Outcome{}, err
	}
	epochs := env.epochs(150, 600)
	type setting struct {
		hidden int
		l2     float64
	}
	settings := []setting{{3, 0}, {6, 0}, {20, 0}, {20, 0.001}, {20, 0.01}, {20, 0.1}}
	var measured []Measure
	var plots []*gplot.Plot
	acc := map[setting]float64{}
	for _, s := range settings {
		net := build(nn.NewMLPSpec(2, []int{s.hidden}, 2, "relu", nn.MLPOptions{}), env.Seed)
		if _, err := train.Fit(context.Background(), net, loss.Softmax{}, trainSet, nil, train.Config{Epochs: epochs, Batch: 16, Shuffle: true, Seed: env.Seed,
			L2: s.l2, Optimizer: optim.Config{Name: "momentum", LR: 0.05, Momentum: 0.9}}); err != nil {
			return Outcome{}, err
		}
		_, trainAcc := measure(net, trainSet)
		_, testAcc := measure(net, testSet)
		acc[s] = trainAcc
		label := fmt.Sprintf("%d neurons, L2 %g", s.hidden, s.l2)
		measured = append(measured, Measure{label + ": training accuracy", trainAcc}, Measure{label + ": test accuracy", testAcc})
		p, err := plot.Regions(trainSet, classifier(net), label)
		if err != nil {
			return Outcome{}, err
		}
		plots = append(plots, p)
	}
	file := "capacity.png"
	err = atomicfile.Write(filepath.Join(env.Dir, file), 0o644, func(w io.Writer) error {
		return plot.WriteGridPNG(w, plots, 3, 3.2*vg.Inch, 3*vg.Inch)
	})
	return Outcome{Measured: measured,
		Reproduced: acc[setting{20, 0}] > acc[setting{3, 0}] && acc[setting{20, 0.1}] < acc[setting{20, 0.001}],
		Plots:      []string{file}}, err
}

// classifier returns the class net predicts at a point of the plane.
func classifier(net *nn.Sequential) func(x0, x1 float32) int {
	x := tensor.New(1, 2)
	return func(x0, x1 float32) int {
		x.Data[0], x.Data[1] = x0, x1
		return loss.Argmax(net.Forward(x, false).Row(0))
	}
}
