package lab

import (
	"context"
	"fmt"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/data/mnist"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/plot"
)

var dyingReLU = Experiment{
	Name:   "dying-relu",
	Claim:  "ReLU units can die: with too high a learning rate, as much as 40% of a network can be dead; leaky_relu, prelu and maxout do not die.",
	Source: "CS231n, Neural Networks Part 1 (ReLU: fragile during training, can die)",
	Criterion: "after one epoch of SGD with momentum 0.9 at each learning rate, relu's share of dead hidden units (0 on every " +
		"training example) reaches at least 40% at the highest rate, while leaky_relu, prelu and maxout keep at most 1% dead " +
		"at every rate where their training stays finite (runs that diverge are listed, not counted)",
	run: runDyingReLU,
}

var dyingRates = []float64{0.01, 0.1, 0.5, 1}

func runDyingReLU(env *Env) (Outcome, error) {
	ds, hidden, err := env.dyingData()
	if err != nil {
		return Outcome{}, err
	}
	var measured []Measure
	var series []plot.Series
	worst := map[string]float64{}
	for _, name := range []string{"relu", "leaky_relu", "prelu", "maxout"} {
		s := plot.Series{Name: name}
		for _, lr := range dyingRates {
			net := build(nn.NewMLPSpec(ds.X.Cols, hidden, ds.Classes, name, nn.MLPOptions{Pieces: 2}), env.Seed)
			if _, err := fit(net, ds, 1, lr, env.Seed); err != nil {
				measured = append(measured, Measure{fmt.Sprintf("%s, lr %g: diverged (1 = yes)", name, lr), 1})
				continue
			}
			dead := deadShare(hiddenOutputs(net, ds.X))
			worst[name] = max(worst[name], dead)
			measured = append(measured, Measure{fmt.Sprintf("%s, lr %g: dead hidden units", name, lr), dead})
			s.X, s.Y = append(s.X, lr), append(s.Y, dead)
		}
		series = append(series, s)
	}
	p, err := plot.Lines("dead hidden units after one epoch", "learning rate", "dead fraction", series, false)
	if err != nil {
		return Outcome{}, err
	}
	file, err := env.savePlot("dying-relu", p)
	last := series[0].Y
	ok := len(last) == len(dyingRates) && last[len(last)-1] >= 0.4 &&
		worst["leaky_relu"] <= 0.01 && worst["prelu"] <= 0.01 && worst["maxout"] <= 0.01
	return Outcome{Measured: measured, Reproduced: ok, Plots: []string{file}}, err
}

// dyingData is MNIST (20,000 training rows, two hidden layers of 128) in the
// full run, and the spiral (two layers of 32) in quick mode.
func (env *Env) dyingData() (*data.Dataset, []int, error) {
	if env.Quick {
		return env.spiral(), []int{32, 32}, nil
	}
	trainSet, _, err := mnist.Load(context.Background(), nil)
	if err != nil {
		return nil, nil, err
	}
	rows := make([]int, 20000)
	for i := range rows {
		rows[i] = i * 3
	}
	return trainSet.Rows(rows), []int{128, 128}, nil
}
