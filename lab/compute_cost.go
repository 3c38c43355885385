package lab

import (
	"github.com/wigglenn/wiggle/perf"
	"github.com/wigglenn/wiggle/plot"
)

var computeCost = Experiment{
	Name:      "compute-cost",
	Claim:     "ReLU is cheap: a threshold at zero, where sigmoid and tanh need exponentials.",
	Source:    "CS231n, Neural Networks Part 1 (ReLU: cheap operations compared with tanh/sigmoid)",
	Criterion: "on this machine, relu's forward and backward cost per element (median of timed runs over 1M inputs) are below sigmoid's and tanh's",
	run:       runComputeCost,
}

func runComputeCost(env *Env) (Outcome, error) {
	opt := perf.Default
	if env.Quick {
		opt = perf.Quick
	}
	names := []string{"relu", "leaky_relu", "sigmoid", "tanh", "elu", "gelu", "silu", "softplus", "mish"}
	var measured []Measure
	forward := map[string]float64{}
	backward := map[string]float64{}
	var values []float64
	for _, n := range names {
		r := perf.Activation(n, opt)
		forward[n], backward[n] = r.ForwardNS, r.BackwardNS
		values = append(values, r.ForwardNS)
		measured = append(measured, Measure{n + " forward ns/element", r.ForwardNS}, Measure{n + " backward ns/element", r.BackwardNS})
	}
	p, err := plot.Bars("forward cost per element on this machine", "ns", names, values)
	if err != nil {
		return Outcome{}, err
	}
	file, err := env.savePlot("compute-cost", p)
	ok := true
	for _, other := range []string{"sigmoid", "tanh"} {
		ok = ok && forward["relu"] < forward[other] && backward["relu"] < backward[other]
	}
	return Outcome{Measured: measured, Reproduced: ok, Plots: []string{file}}, err
}
