package lab

import (
	"math"

	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/plot"
	"github.com/wigglenn/wiggle/tensor"
)

var linearCollapse = Experiment{
	Name:   "linear-collapse",
	Claim:  "Without a non-linearity, stacked layers are one linear map: depth adds nothing.",
	Source: "CS231n, Neural Networks Part 1 (the seed: a linear activation makes the network a linear function)",
	Criterion: "a 2-16-16-3 network with the identity activation gives the same outputs (within 1e-4) as its weights " +
		"multiplied out into one affine map; trained on the spiral it is at most 5 points more accurate than a single " +
		"linear classifier, while the same network with relu reaches at least 90%",
	run: runLinearCollapse,
}

func runLinearCollapse(env *Env) (Outcome, error) {
	ds := env.spiral()
	deep := build(nn.NewMLPSpec(2, []int{16, 16}, 3, "identity", nn.MLPOptions{}), env.Seed)
	gap := collapseGap(deep, ds.X.Rows, func(i int) []float32 { return ds.X.Row(i) })

	epochs := env.epochs(60, 200)
	accDeep, err := fit(deep, ds, epochs, 0.05, env.Seed)
	if err != nil {
		return Outcome{}, err
	}
	accLinear, err := fit(build(nn.NewMLPSpec(2, nil, 3, "identity", nn.MLPOptions{}), env.Seed), ds, epochs, 0.05, env.Seed)
	if err != nil {
		return Outcome{}, err
	}
	accReLU, err := fit(build(nn.NewMLPSpec(2, []int{16, 16}, 3, "relu", nn.MLPOptions{}), env.Seed), ds, epochs, 0.05, env.Seed)
	if err != nil {
		return Outcome{}, err
	}
	p, err := plot.Bars("spiral training accuracy", "accuracy", []string{"linear classifier", "2-16-16-3 identity", "2-16-16-3 relu"},
		[]float64{accLinear, accDeep, accReLU})
	if err != nil {
		return Outcome{}, err
	}
	file, err := env.savePlot("linear-collapse", p)
	return Outcome{
		Measured: []Measure{{"largest output gap, network vs multiplied-out map", gap},
			{"accuracy, linear classifier", accLinear}, {"accuracy, deep identity network", accDeep}, {"accuracy, deep relu network", accReLU}},
		Reproduced: gap <= 1e-4 && accDeep <= accLinear+0.05 && accReLU >= 0.9,
		Plots:      []string{file},
	}, err
}

// collapseGap multiplies out the Dense layers of an all-identity network
// into one affine map (in float64) and returns the largest difference
// between it and the network over the given rows.
func collapseGap(net *nn.Sequential, rows int, row func(i int) []float32) float64 {
	// Compose y = W·x + b layer by layer: W starts as the identity.
	var w [][]float64
	var b []float64
	for _, l := range net.Layers {
		d, ok := l.(*nn.Dense)
		if !ok {
			continue
		}
		if w == nil {
			w = make([][]float64, d.In)
			for i := range w {
				w[i] = make([]float64, d.In)
				w[i][i] = 1
			}
			b = make([]float64, d.In)
		}
		nw, nb := make([][]float64, d.Out), make([]float64, d.Out)
		for o := range d.Out {
			nw[o] = make([]float64, len(w[0]))
			nb[o] = float64(d.B.Value[o])
			for k := range d.In {
				wk := float64(d.W.Value[o*d.In+k])
				nb[o] += wk * b[k]
				for j := range w[0] {
					nw[o][j] += wk * w[k][j]
				}
			}
		}
		w, b = nw, nb
	}
	worst := 0.0
	x := make([][]float32, rows)
	for i := range x {
		x[i] = row(i)
	}
	out := net.Forward(tensor.FromRows(x), false)
	for i, xi := range x {
		for o := range w {
			v := b[o]
			for j, xj := range xi {
				v += w[o][j] * float64(xj)
			}
			worst = math.Max(worst, math.Abs(v-float64(out.At(i, o))))
		}
	}
	return worst
}
