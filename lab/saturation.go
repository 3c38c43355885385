package lab

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/plot"
	"github.com/wigglenn/wiggle/probe"
	"github.com/wigglenn/wiggle/tensor"
)

var saturationExperiment = Experiment{
	Name:   "saturation",
	Claim:  "Sigmoids saturate and kill gradients: when the initial weights are too large most units saturate, and the gradient vanishes on its way to the first layers.",
	Source: "CS231n, Neural Networks Part 1 (sigmoid: saturation kills gradients)",
	Criterion: "in a 6-hidden-layer network of 64 units at initialisation (weights N(0, s²/fan_in)), over s in 0.25…4: " +
		"at s = 4 more than half of sigmoid's and tanh's unit-examples are saturated; at s = 1 sigmoid's first-layer " +
		"gradient is under a tenth of its last layer's, and at every s its first/last ratio is below relu's",
	run: runSaturation,
}

var saturationScales = []float64{0.25, 0.5, 1, 2, 4}

func runSaturation(env *Env) (Outcome, error) {
	rows := env.epochs(128, 512)
	rng := rand.New(rand.NewPCG(env.Seed, 4))
	x := tensor.New(rows, 16)
	for i := range x.Data {
		x.Data[i] = float32(rng.NormFloat64())
	}
	labels := make([]int, rows)
	for i := range labels {
		labels[i] = rng.IntN(4)
	}
	var measured []Measure
	ratios := map[string][]float64{}
	saturated := map[string][]float64{}
	var perLayer []plot.Series
	for _, name := range []string{"sigmoid", "tanh", "relu"} {
		for _, s := range saturationScales {
			norms, sat := deepGradients(name, s, x, labels, env.Seed)
			r := norms[0] / norms[len(norms)-1]
			ratios[name] = append(ratios[name], r)
			saturated[name] = append(saturated[name], sat)
			measured = append(measured, Measure{fmt.Sprintf("%s, s=%g: first/last layer gradient", name, s), r},
				Measure{fmt.Sprintf("%s, s=%g: saturated unit-examples", name, s), sat})
			if s == 1 {
				layers := make([]float64, len(norms))
				for i := range layers {
					layers[i] = float64(i + 1)
				}
				perLayer = append(perLayer, plot.Series{Name: name, X: layers, Y: norms})
			}
		}
	}
	ok := saturated["sigmoid"][4] > 0.5 && saturated["tanh"][4] > 0.5 && ratios["sigmoid"][2] < 0.1
	for i := range saturationScales {
		ok = ok && ratios["sigmoid"][i] < ratios["relu"][i]
	}
	p1, err := plot.Lines("‖dW‖ per layer at initialisation (s = 1)", "layer", "‖dW‖", perLayer, true)
	if err != nil {
		return Outcome{}, err
	}
	f1, err := env.savePlot("saturation-gradients", p1)
	if err != nil {
		return Outcome{}, err
	}
	var satSeries []plot.Series
	for _, name := range []string{"sigmoid", "tanh", "relu"} {
		satSeries = append(satSeries, plot.Series{Name: name, X: saturationScales, Y: saturated[name]})
	}
	p2, err := plot.Lines("saturated unit-examples against the initial weight scale s", "s", "fraction", satSeries, false)
	if err != nil {
		return Outcome{}, err
	}
	f2, err := env.savePlot("saturation-fraction", p2)
	return Outcome{Measured: measured, Reproduced: ok, Plots: []string{f1, f2}}, err
}

// deepGradients builds the deep network with weights N(0, s²/fan_in) and
// zero biases, takes one full-batch gradient of softmax cross-entropy, and
// returns ‖dW‖ of each layer (first first) and the share of saturated
// hidden unit-examples.
func deepGradients(name string, s float64, x *tensor.Matrix, labels []int, seed uint64) ([]float64, float64) {
	hidden := []int{64, 64, 64, 64, 64, 64}
	net := build(nn.NewMLPSpec(x.Cols, hidden, 4, name, nn.MLPOptions{}), seed)
	rng := rand.New(rand.NewPCG(seed, 5))
	for _, l := range net.Layers {
		if d, ok := l.(*nn.Dense); ok {
			std := s / math.Sqrt(float64(d.In))
			for i := range d.W.Value {
				d.W.Value[i] = float32(rng.NormFloat64() * std)
			}
			clear(d.B.Value)
		}
	}
	net.ZeroGrad()
	scores := net.Forward(x, true)
	d := tensor.New(scores.Rows, scores.Cols)
	loss.SoftmaxCrossEntropy(d, scores, labels)
	net.Backward(d)
	norms := probe.WeightGradNorms(net)
	var sat, units float64
	for _, h := range probe.Health(net, x) {
		sat += h.Saturated * float64(h.Units)
		units += float64(h.Units)
	}
	return norms, sat / units
}
