package lab

import (
	"fmt"
	"math"

	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/plot"
	"github.com/wigglenn/wiggle/tensor"
)

var linearCollapse = Experiment{
	Name:   "linear-collapse",
	Plots:  []string{"linear-collapse.png"},
	Claim:  "Without a non-linearity, stacked layers are one linear map: depth adds nothing.",
	Short:  "linear layers stacked are one linear map",
	Source: "CS231n, Neural Networks Part 1 (the seed: a linear activation makes the network a linear function)",
	Quote: Quote{Korean: "Linear function은 항상 동일한 기울기를 갖기 때문에 다중으로 layer을 쌓더라도 결론적인 output이 동일하게 나타나는 문제가 발생한다.",
		English: "Because a linear function always has the same slope, stacking many layers still gives, in the end, the same output."},
	run: runLinearCollapse,
}

// collapseRun is one seed's measurements.
type collapseRun struct{ gap, linear, deep, relu float64 }

func runLinearCollapse(env *Env) (Outcome, error) {
	epochs := env.epochs(60, 200)
	runs, err := overSeeds(env, func(seed uint64) (collapseRun, error) {
		ds := spiralFor(env, seed)
		deep := build(nn.NewMLPSpec(2, []int{16, 16}, 3, "identity", nn.MLPOptions{}), seed)
		r := collapseRun{gap: collapseGap(deep, ds.X.Rows, func(i int) []float32 { return ds.X.Row(i) })}
		var err error
		if r.deep, err = env.fit(deep, ds, epochs, 0.05, seed); err != nil {
			return r, err
		}
		if r.linear, err = env.fit(build(nn.NewMLPSpec(2, nil, 3, "identity", nn.MLPOptions{}), seed), ds, epochs, 0.05, seed); err != nil {
			return r, err
		}
		r.relu, err = env.fit(build(nn.NewMLPSpec(2, []int{16, 16}, 3, "relu", nn.MLPOptions{}), seed), ds, epochs, 0.05, seed)
		return r, err
	})
	if err != nil {
		return Outcome{}, err
	}
	gaps := collect(runs, func(r collapseRun) float64 { return r.gap })
	linear := collect(runs, func(r collapseRun) float64 { return r.linear })
	deep := collect(runs, func(r collapseRun) float64 { return r.deep })
	relu := collect(runs, func(r collapseRun) float64 { return r.relu })
	checks := []Check{
		newCheck("a stack of linear layers computes one affine map",
			"a 2-16-16-3 network with the identity activation gives the same outputs, within 1e-4, as its weights multiplied out into one affine map (in float64)",
			[]Measure{measureOf("largest output gap", gaps)},
			holds(runs, func(r collapseRun) bool { return r.gap <= 1e-4 }),
			fmt.Sprintf("The network and its multiplied-out map differ by at most %s.", medianText(gaps))),
		newCheck("depth adds nothing without a non-linearity",
			fmt.Sprintf("trained on the spiral (%d epochs, SGD momentum), the 2-16-16-3 identity network is at most 5 points more accurate than a linear classifier", epochs),
			[]Measure{measureOf("accuracy, linear classifier", linear), measureOf("accuracy, 2-16-16-3 identity", deep)},
			holds(runs, func(r collapseRun) bool { return r.deep <= r.linear+0.05 }),
			fmt.Sprintf("The deep identity network reaches %s accuracy, the linear classifier %s.", medianText(deep), medianText(linear))),
		newCheck("a non-linearity makes depth count",
			"the same 2-16-16-3 network with relu reaches at least 90% training accuracy",
			[]Measure{measureOf("accuracy, 2-16-16-3 relu", relu)},
			holds(runs, func(r collapseRun) bool { return r.relu >= 0.9 }),
			fmt.Sprintf("With relu the same network reaches %s.", medianText(relu))),
	}
	p, err := plot.Bars("on the spiral, depth helps only with a non-linearity (median over seeds)", "training accuracy",
		[]string{"linear classifier", "identity, 2-16-16-3", "relu, 2-16-16-3"}, []float64{median(linear), median(deep), median(relu)},
		plot.Mark{Name: "chance, a third", At: 1.0 / 3}, plot.Mark{Name: "90%: relu's line", At: 0.9})
	if err != nil {
		return Outcome{}, err
	}
	file, err := env.savePlot("linear-collapse", p)
	return Outcome{Checks: checks, Plots: []string{file},
		Key: fmt.Sprintf("identity stack %.0f%% vs linear %.0f%%; relu %.0f%%", 100*median(deep), 100*median(linear), 100*median(relu))}, err
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
