package lab

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/plot"
	"github.com/wigglenn/wiggle/tensor"
	"github.com/wigglenn/wiggle/train"
)

var universal = Experiment{
	Name: "universal",
	Claim: "A network with one hidden layer is a universal approximator: it approximates a continuous function better as " +
		"the layer widens.",
	Source: "CS231n, Neural Networks Part 1 (representational power; Cybenko 1989)",
	Criterion: "fitting sin(x) on [−π, π] (noise 0.1) with one tanh layer of 1, 2, 4, 8 and 32 units, the error against " +
		"the noise-free sine never grows by more than 10% from one width to the next, and 32 units end at most a quarter of 1 unit's",
	run: runUniversal,
}

func runUniversal(env *Env) (Outcome, error) {
	ds, err := data.Generate(data.SyntheticSpec{Name: "sine", N: 200, Noise: 0.1}, rand.New(rand.NewPCG(env.Seed, 31)))
	if err != nil {
		return Outcome{}, err
	}
	grid := tensor.New(101, 1)
	truth := make([]float64, grid.Rows)
	xs := make([]float64, grid.Rows)
	for i := range grid.Rows {
		xs[i] = -math.Pi + 2*math.Pi*float64(i)/100
		grid.Data[i], truth[i] = float32(xs[i]), math.Sin(xs[i])
	}
	epochs := env.epochs(100, 800)
	widths := []int{1, 2, 4, 8, 32}
	var measured []Measure
	series := []plot.Series{{Name: "sin(x)", X: xs, Y: truth}}
	var errs []float64
	for _, w := range widths {
		net := build(nn.NewMLPSpec(1, []int{w}, 1, "tanh", nn.MLPOptions{}), env.Seed)
		if _, err := train.Fit(context.Background(), net, loss.MSE{}, ds, nil, train.Config{Epochs: epochs, Batch: 20, Shuffle: true, Seed: env.Seed,
			Optimizer: optim.Config{Name: "adam", LR: 0.01}}); err != nil {
			return Outcome{}, err
		}
		out := net.Forward(grid, false)
		fit := make([]float64, grid.Rows)
		var mse float64
		for i := range fit {
			fit[i] = float64(out.Data[i])
			mse += (fit[i] - truth[i]) * (fit[i] - truth[i]) / float64(len(fit))
		}
		errs = append(errs, mse)
		measured = append(measured, Measure{fmt.Sprintf("%d hidden units: mean squared error against sin", w), mse})
		series = append(series, plot.Series{Name: fmt.Sprintf("%d units", w), X: xs, Y: fit})
	}
	ok := errs[len(errs)-1] <= errs[0]/4
	for i := 1; i < len(errs); i++ {
		ok = ok && errs[i] <= 1.1*errs[i-1]
	}
	p, err := plot.Lines("one hidden tanh layer fitting sin(x)", "x", "y", series, false)
	if err != nil {
		return Outcome{}, err
	}
	file, err := env.savePlot("universal", p)
	return Outcome{Measured: measured, Reproduced: ok, Plots: []string{file}}, err
}
