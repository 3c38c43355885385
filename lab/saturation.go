package lab

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/plot"
	"github.com/wigglenn/wiggle/probe"
	"github.com/wigglenn/wiggle/tensor"
)

var saturationExperiment = Experiment{
	Name:  "saturation",
	Plots: []string{"saturation-fraction.png", "saturation-ratio.png", "saturation-gradients.png"},
	Claim: "Sigmoids saturate and kill gradients: when the initial weights are too large most units saturate, and the " +
		"gradient vanishes on its way down to the first layers.",
	Short:  "sigmoids saturate and gradients vanish",
	Source: "CS231n, Neural Networks Part 1 (sigmoid: saturation kills gradients; \"if the initial weights are too large\")",
	Quote: Quote{Korean: "이 부분을 Saturation (포화상태)라고 하며, gradient(기울기) = 0이기 때문에 gradient가 사라지는 문제인 vanishing gradient 문제가 발생한다.",
		English: "This region is called saturation, and because the gradient there is 0, the vanishing gradient problem, in which the gradient disappears, arises."},
	run: runSaturation,
}

// saturationScales sweep the initial weight scale s (weights N(0, s²/fan_in))
// from well below PyTorch's default (about 0.58) to far above it, where
// "the initial weights are too large".
var saturationScales = []float64{0.25, 0.5, 1, 2, 4, 8, 16, 32, 64}

// saturationRun is one seed's measurements: for each activation, at each
// scale, the saturated share of hidden unit-examples and the ratio of the
// first layer's ‖dW‖ to the last's; and ‖dW‖ per layer at s = 1.
type saturationRun struct {
	saturated, ratio map[string][]float64
	perLayer         map[string][]float64
}

var saturationActs = []string{"sigmoid", "tanh", "relu"}

func runSaturation(env *Env) (Outcome, error) {
	rows := env.epochs(128, 512)
	runs, err := overSeeds(env, func(seed uint64) (saturationRun, error) {
		rng := rand.New(rand.NewPCG(seed, 4))
		x := tensor.New(rows, 16)
		for i := range x.Data {
			x.Data[i] = float32(rng.NormFloat64())
		}
		labels := make([]int, rows)
		for i := range labels {
			labels[i] = rng.IntN(4)
		}
		r := saturationRun{saturated: map[string][]float64{}, ratio: map[string][]float64{}, perLayer: map[string][]float64{}}
		for _, name := range saturationActs {
			for _, s := range saturationScales {
				norms, sat := deepGradients(name, s, x, labels, seed)
				r.saturated[name] = append(r.saturated[name], sat)
				r.ratio[name] = append(r.ratio[name], norms[0]/norms[len(norms)-1])
				if s == 1 {
					r.perLayer[name] = norms
				}
			}
		}
		return r, nil
	})
	if err != nil {
		return Outcome{}, err
	}
	// The medians over seeds, per activation and scale.
	medianAt := func(get func(saturationRun) []float64, i int) float64 {
		return medianFinite(collect(runs, func(r saturationRun) float64 { return get(r)[i] }))
	}
	curve := func(get func(saturationRun) []float64) []float64 {
		out := make([]float64, len(saturationScales))
		for i := range out {
			out[i] = medianAt(get, i)
		}
		return out
	}
	var satMeasures, gradMeasures []Measure
	for _, name := range saturationActs {
		for i, s := range saturationScales {
			if name == "relu" { // relu's off side has f′ = 0, but it is dead, not saturated
				gradMeasures = append(gradMeasures, measureOf(fmt.Sprintf("%s, s = %g: first/last layer ‖dW‖", name, s),
					collect(runs, func(r saturationRun) float64 { return r.ratio[name][i] })))
				continue
			}
			satMeasures = append(satMeasures, measureOf(fmt.Sprintf("%s, s = %g: saturated unit-examples", name, s),
				collect(runs, func(r saturationRun) float64 { return r.saturated[name][i] })))
			gradMeasures = append(gradMeasures, measureOf(fmt.Sprintf("%s, s = %g: first/last layer ‖dW‖", name, s),
				collect(runs, func(r saturationRun) float64 { return r.ratio[name][i] })))
		}
	}
	one := slices.Index(saturationScales, 1)
	sigmoidFrom := firstScaleAbove(curve(func(r saturationRun) []float64 { return r.saturated["sigmoid"] }), 0.5)
	tanhFrom := firstScaleAbove(curve(func(r saturationRun) []float64 { return r.saturated["tanh"] }), 0.5)
	sigmoidRatio := collect(runs, func(r saturationRun) float64 { return r.ratio["sigmoid"][one] })
	reluRatio := collect(runs, func(r saturationRun) float64 { return r.ratio["relu"][one] })
	sigmoidCurve := curve(func(r saturationRun) []float64 { return r.ratio["sigmoid"] })
	vanishHeld := holdsWhere(runs, anyTestsVanishing, saturatedVanishes)
	checks := []Check{
		newCheck("when the initial weights are too large, most sigmoid and tanh units saturate",
			fmt.Sprintf("in a network of 6 hidden layers of 64 units at initialisation (weights N(0, s²/fan_in), s from %g to %g), "+
				"more than half of sigmoid's and of tanh's hidden unit-examples are saturated (|f′| under 1%% of its largest) at some s", saturationScales[0], slices.Max(saturationScales)),
			satMeasures,
			holds(runs, func(r saturationRun) bool {
				return slices.Max(r.saturated["sigmoid"]) > 0.5 && slices.Max(r.saturated["tanh"]) > 0.5
			}),
			fmt.Sprintf("More than half of the units saturate from s = %s for sigmoid and s = %s for tanh (medians over seeds); "+
				"at s = 0.5, near PyTorch's default of 0.58, %s of sigmoid's do.", scaleText(sigmoidFrom), scaleText(tanhFrom),
				percentText(medianAt(func(r saturationRun) []float64 { return r.saturated["sigmoid"] }, slices.Index(saturationScales, 0.5))))),
		newCheck("the gradient shrinks on its way down to the first layers",
			fmt.Sprintf("at every s from %g to 1 (PyTorch's default, 0.58, lies between the scales sampled), sigmoid's first-layer ‖dW‖ is under a tenth of its last layer's, and a smaller share than relu's", saturationScales[0]),
			gradMeasures,
			holds(runs, func(r saturationRun) bool {
				for i := 0; i <= one; i++ {
					if !(r.ratio["sigmoid"][i] < 0.1 && r.ratio["sigmoid"][i] < r.ratio["relu"][i]) {
						return false
					}
				}
				return true
			}),
			shrinkingText(medianText(sigmoidRatio), medianText(reluRatio), medianAt(func(r saturationRun) []float64 { return r.saturated["sigmoid"] }, one))+
				" "+vanishingRangeText(sigmoidCurve)),
		ownCheck("where units saturate, the gradient vanishes on its way down (saturation kills it)",
			"at every s where more than half of sigmoid's hidden unit-examples are saturated and the gradient does not grow on its way down, sigmoid's first-layer ‖dW‖ is under a tenth of its last layer's "+
				"(where it grows, the weights s times larger win over f′, and this measure cannot show what saturation does)",
			sigmoidOnly(append(slices.Clone(satMeasures), gradMeasures...)),
			vanishHeld,
			saturatedFinding(curve(func(r saturationRun) []float64 { return r.saturated["sigmoid"] }), sigmoidCurve,
				curve(func(r saturationRun) []float64 { return r.ratio["tanh"] }))+
				unmeasured(len(runs)-len(vanishHeld), len(runs), "no scale of theirs had most units saturated and the gradient not growing")),
	}
	plots, err := saturationPlots(env, runs, curve)
	return Outcome{Checks: checks, Plots: plots,
		Key: fmt.Sprintf("sigmoid > 50%% saturated from s = %s; first/last gradient %.1g at s = 1", scaleText(sigmoidFrom), median(sigmoidRatio))}, err
}

// sigmoidOnly keeps sigmoid's measures.
func sigmoidOnly(measures []Measure) []Measure {
	var out []Measure
	for _, m := range measures {
		if strings.HasPrefix(m.Name, "sigmoid,") {
			out = append(out, m)
		}
	}
	return out
}

// saturatedVanishes tells whether, in one seed's run, sigmoid's
// first/last ratio is under a tenth at every scale that tests it
// (testsVanishing).
func saturatedVanishes(r saturationRun) bool {
	for i := range r.saturated["sigmoid"] {
		if testsVanishing(r, i) && !(r.ratio["sigmoid"][i] < 0.1) {
			return false
		}
	}
	return true
}

// testsVanishing tells whether scale i of one seed's run tests whether
// saturation kills the gradient: more than half of sigmoid's units are
// saturated there, and the gradient does not grow on its way down (where
// it grows, the weights s times larger win over f′, and the first/last
// ratio cannot show what saturation does).
func testsVanishing(r saturationRun, i int) bool {
	return r.saturated["sigmoid"][i] > 0.5 && !(r.ratio["sigmoid"][i] > 1)
}

// anyTestsVanishing tells whether some scale of one seed's run tests it.
func anyTestsVanishing(r saturationRun) bool {
	for i := range r.saturated["sigmoid"] {
		if testsVanishing(r, i) {
			return true
		}
	}
	return false
}

// shrinkingText says how much of the last layer's gradient the first
// layer gets at s = 1, and, where few of sigmoid's units are saturated
// there (under a tenth), that the shrinking is sigmoid's slope.
func shrinkingText(sigmoidRatio, reluRatio string, saturated float64) string {
	text := fmt.Sprintf("At s = 1 sigmoid's first layer gets %s of its last layer's gradient, relu's %s, while %s of sigmoid's units are saturated",
		sigmoidRatio, reluRatio, percentText(saturated))
	if saturated < 0.1 {
		return text + ": the shrinking here is sigmoid's slope, at most 1/4 a layer, not saturation."
	}
	return text + "."
}

// saturatedFinding gives sigmoid's first/last ratio where most of its
// units saturate (medians over seeds), and whether it shrinks tenfold
// there: at every such scale, at none, or at some.
func saturatedFinding(saturated, ratio, tanhRatio []float64) string {
	var at []float64
	from, grows := 0.0, 0.0 // the first scale past half saturated; the first there whose gradient grows on its way down
	for i, sat := range saturated {
		if sat > 0.5 {
			if from == 0 {
				from = saturationScales[i]
			}
			if ratio[i] > 1 && grows == 0 {
				grows = saturationScales[i]
			}
			at = append(at, ratio[i])
		}
	}
	if len(at) == 0 {
		return fmt.Sprintf("Sigmoid's units never saturate by more than half, up to s = %g.", slices.Max(saturationScales))
	}
	shrinks := "at some of those scales it shrinks tenfold on its way down, at others not"
	switch {
	case slices.Max(at) < 0.1:
		shrinks = "there it shrinks tenfold or more on its way down"
	case slices.Min(at) >= 0.1:
		shrinks = "there it does not shrink tenfold on its way down"
	}
	text := fmt.Sprintf("Where more than half of sigmoid's units saturate (s from %g), its first layer gets %.2g to %.2g of its last layer's gradient (medians over seeds): %s.",
		from, slices.Min(at), slices.Max(at), shrinks)
	if grows > 0 {
		top := len(saturationScales) - 1
		text += fmt.Sprintf(" From s = %g the first layer gets more than the last: on its way down the gradient is multiplied, layer by layer, by f′ and by weights s times larger, "+
			"and there the weights win over saturation's small f′ (tanh's first layer gets %.2g times its last's at s = %g). "+
			"At such scales the gradient explodes rather than vanishes: the large weights that saturate most units also blow up the gradient through the few left unsaturated, "+
			"so this measure cannot show saturation killing the gradient on its own.",
			grows, tanhRatio[top], saturationScales[top])
	}
	return text
}

// vanishingRangeText says up to which scale sigmoid's first/last ratio
// stays under a tenth, and what it is beyond.
func vanishingRangeText(ratio []float64) string {
	upTo := -1
	for i, r := range ratio {
		if !(r < 0.1) {
			break
		}
		upTo = i
	}
	switch {
	case upTo < 0:
		return fmt.Sprintf("It is not under a tenth even at s = %g.", saturationScales[0])
	case upTo == len(ratio)-1:
		return fmt.Sprintf("It stays under a tenth up to s = %g.", saturationScales[upTo])
	}
	return fmt.Sprintf("It stays under a tenth up to s = %g; beyond, it is %.2g to %.2g.",
		saturationScales[upTo], slices.Min(ratio[upTo+1:]), slices.Max(ratio[upTo+1:]))
}

// firstScaleAbove returns the smallest scale at which values exceeds
// level, or 0 if none does.
func firstScaleAbove(values []float64, level float64) float64 {
	for i, v := range values {
		if v > level {
			return saturationScales[i]
		}
	}
	return 0
}

func scaleText(s float64) string {
	if s == 0 {
		return fmt.Sprintf("(never, up to %g)", slices.Max(saturationScales))
	}
	return fmt.Sprintf("%g", s)
}

func percentText(v float64) string { return fmt.Sprintf("%.1f%%", 100*v) }

// pytorchScale marks PyTorch's default scale on a chart's axis of s:
// nn.Linear's weights U(±1/√fan_in) have the standard deviation
// 1/√(3·fan_in), s = 1/√3.
var pytorchScale = []plot.Mark{{Name: "PyTorch's default, 0.58", At: 1 / math.Sqrt(3), OnX: true}}

// saturationPlots draws the saturated share and the gradient ratio
// against s, and ‖dW‖ per layer at s = 1 (medians over seeds).
func saturationPlots(env *Env, runs []saturationRun, curve func(func(saturationRun) []float64) []float64) ([]string, error) {
	var sat, ratio, layers []plot.Series
	for _, name := range saturationActs {
		if name != "relu" { // relu's off side has f′ = 0 but is not saturation
			sat = append(sat, plot.Series{Name: name, X: saturationScales, Y: curve(func(r saturationRun) []float64 { return r.saturated[name] })})
		}
		ratio = append(ratio, plot.Series{Name: name, X: saturationScales, Y: curve(func(r saturationRun) []float64 { return r.ratio[name] })})
		norms := make([]float64, len(runs[0].perLayer[name]))
		xs := make([]float64, len(norms))
		for l := range norms {
			xs[l] = float64(l + 1)
			norms[l] = median(collect(runs, func(r saturationRun) float64 { return r.perLayer[name][l] }))
		}
		layers = append(layers, plot.Series{Name: name, X: xs, Y: norms})
	}
	return env.saveCharts([]namedChart{
		{"saturation-fraction", plot.Chart{Title: "larger initial weights saturate sigmoid and tanh units",
			XLabel: "initial weight scale s (weights N(0, s²/fan_in))", YLabel: "fraction saturated", Series: sat, LogX: true,
			Marks: append([]plot.Mark{{Name: "half: the check's line", At: 0.5}}, pytorchScale...)}},
		{"saturation-ratio", plot.Chart{Title: "how much gradient reaches the first layer",
			XLabel: "initial weight scale s", YLabel: "first/last layer ‖dW‖", Series: ratio, LogX: true, LogY: true,
			Marks: append([]plot.Mark{{Name: "a tenth: the check's line", At: 0.1}}, pytorchScale...)}},
		{"saturation-gradients", plot.Chart{Title: "‖dW‖ by layer at s = 1, before units saturate",
			XLabel: "layer (1 = first, 7 = output)", YLabel: "‖dW‖", Series: layers, LogY: true}},
	})
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
