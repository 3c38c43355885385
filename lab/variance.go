package lab

import (
	"fmt"
	"math"

	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/plot"
)

var variance = Experiment{
	Name: "variance",
	Claim: "Small networks are harder to train with gradient descent: their final loss varies a lot with the initialisation, " +
		"while large networks reach similar, lower losses from any start.",
	Source: "CS231n, Neural Networks Part 1 (setting the number of layers and their sizes)",
	Criterion: "over 8 seeds on the spiral, the standard deviation of the final training loss of a 2-4-3 relu network is " +
		"larger than that of a 2-64-3 one",
	run: runVariance,
}

func runVariance(env *Env) (Outcome, error) {
	ds := env.spiral()
	epochs := env.epochs(60, 300)
	var measured []Measure
	var series []plot.Series
	stds := map[int]float64{}
	for _, width := range []int{4, 64} {
		var losses []float64
		var xs []float64
		for k := range 8 {
			seed := env.Seed + uint64(k)
			net := build(nn.NewMLPSpec(2, []int{width}, 3, "relu", nn.MLPOptions{}), seed)
			if _, err := fit(net, ds, epochs, 0.1, seed); err != nil {
				return Outcome{}, err
			}
			l, _ := measure(net, ds)
			losses, xs = append(losses, l), append(xs, float64(k+1))
		}
		mean, std := meanStd(losses)
		stds[width] = std
		measured = append(measured, Measure{fmt.Sprintf("2-%d-3: mean final loss", width), mean},
			Measure{fmt.Sprintf("2-%d-3: std of final loss over seeds", width), std})
		series = append(series, plot.Series{Name: fmt.Sprintf("2-%d-3", width), X: xs, Y: losses})
	}
	p, err := plot.Lines("final training loss by seed", "seed", "loss", series, false)
	if err != nil {
		return Outcome{}, err
	}
	file, err := env.savePlot("variance", p)
	return Outcome{Measured: measured, Reproduced: stds[4] > stds[64], Plots: []string{file}}, err
}

func meanStd(v []float64) (float64, float64) {
	var sum, sq float64
	for _, x := range v {
		sum += x
	}
	mean := sum / float64(len(v))
	for _, x := range v {
		sq += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(sq / float64(len(v)))
}
