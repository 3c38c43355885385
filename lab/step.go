package lab

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/plot"
)

var stepExperiment = Experiment{
	Name:   "step",
	Claim:  "The perceptron's step function has zero gradient, so backpropagation cannot train hidden step units; Rosenblatt's perceptron rule trains one step neuron on linearly separable data, but not on xor.",
	Source: "CS231n, Neural Networks Part 1; the seed",
	Criterion: "after training a 2-16-3 step network on the spiral, its hidden weights are exactly as they started and their " +
		"gradient norm is 0; the perceptron rule reaches 100% on the linear set and at most 75% on xor",
	run: runStep,
}

func runStep(env *Env) (Outcome, error) {
	ds := env.spiral()
	net := build(nn.NewMLPSpec(2, []int{16}, 3, "step", nn.MLPOptions{}), env.Seed)
	first := net.Layers[0].(*nn.Dense)
	before := slices.Clone(first.W.Value)
	if _, err := fit(net, ds, env.epochs(10, 50), 0.1, env.Seed); err != nil {
		return Outcome{}, err
	}
	unchanged := slices.Equal(before, first.W.Value)
	gradNorm := norm32(first.W.Grad)

	epochs := env.epochs(30, 100)
	rng := rand.New(rand.NewPCG(env.Seed, 3))
	linear, err := data.Generate(data.SyntheticSpec{Name: "linear", N: 100, Noise: -1}, rng)
	if err != nil {
		return Outcome{}, err
	}
	xor, err := data.Generate(data.SyntheticSpec{Name: "xor", N: 100, Noise: 0}, rng)
	if err != nil {
		return Outcome{}, err
	}
	accLinear, mistakesLinear := perceptron(linear, epochs)
	accXOR, mistakesXOR := perceptron(xor, epochs)

	xs := make([]float64, epochs)
	for i := range xs {
		xs[i] = float64(i + 1)
	}
	p, err := plot.Lines("perceptron rule: mistakes per epoch", "epoch", "mistakes",
		[]plot.Series{{Name: "linear", X: xs, Y: mistakesLinear}, {Name: "xor", X: xs, Y: mistakesXOR}}, false)
	if err != nil {
		return Outcome{}, err
	}
	file, err := env.savePlot("step-perceptron", p)
	changed := 1.0
	if unchanged {
		changed = 0
	}
	return Outcome{
		Measured: []Measure{{"hidden weights changed by training (1 = yes)", changed}, {"hidden weight gradient norm", gradNorm},
			{"perceptron accuracy, linear set", accLinear}, {"perceptron accuracy, xor", accXOR}},
		Reproduced: unchanged && gradNorm == 0 && accLinear == 1 && accXOR <= 0.75,
		Plots:      []string{file},
	}, err
}

// perceptron trains one step neuron with Rosenblatt's rule (w += (t − y)·x,
// b += t − y) for the given epochs and returns its final accuracy and the
// mistakes of each epoch.
func perceptron(ds *data.Dataset, epochs int) (float64, []float64) {
	w := make([]float64, ds.X.Cols)
	var b float64
	predict := func(x []float32) int {
		s := b
		for j, v := range x {
			s += w[j] * float64(v)
		}
		if s >= 0 {
			return 1
		}
		return 0
	}
	mistakes := make([]float64, epochs)
	for e := range epochs {
		for i := range ds.Len() {
			x := ds.X.Row(i)
			if d := ds.Labels[i] - predict(x); d != 0 {
				mistakes[e]++
				for j, v := range x {
					w[j] += float64(d) * float64(v)
				}
				b += float64(d)
			}
		}
	}
	right := 0
	for i := range ds.Len() {
		if predict(ds.X.Row(i)) == ds.Labels[i] {
			right++
		}
	}
	return float64(right) / float64(ds.Len()), mistakes
}

func norm32(v []float32) float64 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return math.Sqrt(s)
}
