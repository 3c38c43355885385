package lab

import (
	"fmt"
	"math"

	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/plot"
)

var variance = Experiment{
	Name:  "variance",
	Plots: []string{"variance.png"},
	Claim: "Small networks are harder to train with gradient descent: their final loss varies a lot with the initialisation, " +
		"while large networks reach similar, lower losses from any start.",
	Short:  "small networks' final loss depends on the start",
	Source: "CS231n, Neural Networks Part 1 (setting the number of layers and their sizes)",
	Quote:  Quote{English: "Not in the seed document: the CS231n note it summarises makes this claim."},
	run:    runVariance,
}

// varianceRun is one data seed's final losses, 8 initialisations for each
// width.
type varianceRun struct{ losses map[int][]float64 }

func (r varianceRun) std(width int) float64 {
	_, s := meanStd(r.losses[width])
	return s
}

func (r varianceRun) mean(width int) float64 {
	m, _ := meanStd(r.losses[width])
	return m
}

func runVariance(env *Env) (Outcome, error) {
	epochs := env.epochs(60, 300)
	runs, err := overSeeds(env, func(seed uint64) (varianceRun, error) {
		ds := spiralFor(env, seed)
		r := varianceRun{losses: map[int][]float64{}}
		for _, width := range []int{4, 64} {
			for k := range uint64(8) {
				init := 1000*seed + k
				net := build(nn.NewMLPSpec(2, []int{width}, 3, "relu", nn.MLPOptions{}), init)
				acc, err := env.fit(net, ds, epochs, 0.1, init)
				if err != nil {
					return r, err
				}
				l, _ := measure(net, ds)
				if math.IsNaN(acc) {
					l = math.NaN() // diverged: its spread means nothing
				}
				r.losses[width] = append(r.losses[width], l)
			}
		}
		return r, nil
	})
	if err != nil {
		return Outcome{}, err
	}
	stds := func(w int) []float64 { return collect(runs, func(r varianceRun) float64 { return r.std(w) }) }
	means := func(w int) []float64 { return collect(runs, func(r varianceRun) float64 { return r.mean(w) }) }
	checks := []Check{
		newCheck("a small network's final loss varies with the initialisation more than a large one's",
			fmt.Sprintf("over 8 initialisations on the spiral (%d epochs, SGD momentum), the standard deviation of the final training loss of a 2-4-3 relu network is larger than that of a 2-64-3 one", epochs),
			[]Measure{measureOf("2-4-3: std of final loss over 8 starts", stds(4)), measureOf("2-64-3: std of final loss over 8 starts", stds(64))},
			holds(runs, func(r varianceRun) bool { return r.std(4) > r.std(64) }),
			fmt.Sprintf("The final loss's standard deviation over starts is %s for 2-4-3 and %s for 2-64-3.", medianText(stds(4)), medianText(stds(64)))),
		newCheck("large networks reach lower losses",
			"the mean final loss of 2-64-3 is below that of 2-4-3",
			[]Measure{measureOf("2-4-3: mean final loss", means(4)), measureOf("2-64-3: mean final loss", means(64))},
			holds(runs, func(r varianceRun) bool { return r.mean(64) < r.mean(4) }),
			fmt.Sprintf("The mean final loss is %s for 2-4-3 and %s for 2-64-3.", medianText(means(4)), medianText(means(64)))),
	}
	var series []plot.Series
	shades := plot.Shades("relu", 2)
	for i, width := range []int{4, 64} {
		xs := make([]float64, 8)
		for k := range xs {
			xs[k] = float64(k + 1)
		}
		series = append(series, plot.Series{Name: fmt.Sprintf("2-%d-3", width), X: xs, Y: runs[0].losses[width], Color: shades[i], Unjoined: true})
	}
	p, err := plot.Chart{Title: "a small network's final loss depends on where it starts (first data seed)", XLabel: "initialisation (its seed's number: no order among them)",
		YLabel: "final training loss", Series: series, LogY: true, WholeX: true}.Plot()
	if err != nil {
		return Outcome{}, err
	}
	file, err := env.savePlot("variance", p)
	return Outcome{Checks: checks, Plots: []string{file},
		Key: fmt.Sprintf("loss std over starts: 2-4-3 %.3g, 2-64-3 %.3g", median(stds(4)), median(stds(64)))}, err
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
