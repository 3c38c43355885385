package lab

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/plot"
	"github.com/wigglenn/wiggle/tensor"
	"github.com/wigglenn/wiggle/train"
)

var zeroCentred = Experiment{
	Name:  "zero-centred",
	Plots: []string{"zero-centred.png"},
	Claim: "Sigmoid outputs are not zero-centred: when a neuron's inputs are all positive, the gradient on its weights from " +
		"one example is all positive or all negative, which slows learning; tanh, zero-centred, avoids it.",
	Short:  "sigmoid's positive outputs slow learning; tanh's do not",
	Source: "CS231n, Neural Networks Part 1 (sigmoid outputs are not zero-centered)",
	Quote: Quote{Korean: "또한, gradient가 0이 아닌 구간에서는 zero-centered 되어 있지 않아 속도가 느리다는 단점이 존재한다. … 만약 뉴런의 input인 $x$가 항상 양수일 경우, gradient $W$는 항상 양수거나 음수로 나타난다.",
		English: "Also, where the gradient is not 0, it is not zero-centred, which makes it slow. If a neuron's input x is always positive, the gradient on W is always all positive or all negative."},
	run: runZeroCentred,
}

// zeroCentredRun is one seed's measurements, per activation: the share of
// one-signed per-example gradients, the first epoch at 90% (0 = never)
// and the accuracy curve.
type zeroCentredRun struct {
	oneSign  map[string]float64
	reached  map[string]int
	accuracy map[string][]float64
}

func runZeroCentred(env *Env) (Outcome, error) {
	epochs := env.epochs(40, 150)
	runs, err := overSeeds(env, func(seed uint64) (zeroCentredRun, error) {
		ds := spiralFor(env, seed)
		r := zeroCentredRun{oneSign: map[string]float64{}, reached: map[string]int{}, accuracy: map[string][]float64{}}
		for _, name := range []string{"sigmoid", "tanh"} {
			net := build(nnSpecMLP(name), seed)
			r.oneSign[name] = oneSignedShare(net, ds.X, ds.Labels)
			r.accuracy[name], r.reached[name] = accuracyCurve(net, ds.X, ds.Labels, epochs, zeroCentredLR, seed)
		}
		// The control: sigmoid at a rate that makes up for its slope.
		net := build(nnSpecMLP("sigmoid"), seed)
		r.accuracy[sigmoidFaster], r.reached[sigmoidFaster] = accuracyCurve(net, ds.X, ds.Labels, epochs, 4*zeroCentredLR, seed)
		return r, nil
	})
	if err != nil {
		return Outcome{}, err
	}
	share := func(name string) []float64 {
		return collect(runs, func(r zeroCentredRun) float64 { return r.oneSign[name] })
	}
	reached := func(name string) []float64 {
		return collect(runs, func(r zeroCentredRun) float64 { return epochsOrNever(r.reached[name], epochs) })
	}
	checks := []Check{
		newCheck("when a neuron's inputs are all positive, each example's gradient on its weights has one sign",
			"in a 2-32-32-3 network on the spiral, every per-example gradient of a second-layer neuron's weights has one sign in all components when its inputs are sigmoid outputs",
			[]Measure{measureOf("sigmoid inputs: one-signed per-example gradients", share("sigmoid"))},
			holds(runs, func(r zeroCentredRun) bool { return r.oneSign["sigmoid"] == 1 }),
			fmt.Sprintf("With sigmoid inputs %s of the per-example gradients have one sign, as they must: each component is the neuron's error times a positive input. "+
				"Summed over a batch, examples whose errors differ in sign can give mixed signs.", medianPercentText(share("sigmoid")))),
		newCheck("tanh, zero-centred, avoids it",
			"with tanh inputs, under half of them have one sign",
			[]Measure{measureOf("tanh inputs: one-signed per-example gradients", share("tanh"))},
			holds(runs, func(r zeroCentredRun) bool { return r.oneSign["tanh"] < 0.5 }),
			fmt.Sprintf("With tanh inputs %s do.", medianPercentText(share("tanh")))),
		newCheck("which slows learning",
			fmt.Sprintf("trained with SGD momentum (lr %g), tanh reaches 90%% training accuracy within %d epochs, and in fewer than sigmoid (or sigmoid never does)", zeroCentredLR, epochs),
			[]Measure{measureOf(fmt.Sprintf("sigmoid: epochs to 90%% (%d = never)", epochs+1), reached("sigmoid")),
				measureOf(fmt.Sprintf("tanh: epochs to 90%% (%d = never)", epochs+1), reached("tanh"))},
			holds(runs, func(r zeroCentredRun) bool {
				return r.reached["tanh"] > 0 && (r.reached["sigmoid"] == 0 || r.reached["tanh"] < r.reached["sigmoid"])
			}),
			fmt.Sprintf("tanh needs %s epochs to reach 90%%, sigmoid %s (%d = never).", medianText(reached("tanh")), medianText(reached("sigmoid")), epochs+1)),
		ownCheck("not only through sigmoid's smaller slope",
			fmt.Sprintf("with 4 times the learning rate (lr %g), which makes up for one layer's slope of at most 1/4 against tanh's 1 (not for two: the first layer's gradient passes two sigmoid slopes), sigmoid still needs more epochs than tanh to reach 90%% (or never does)", 4*zeroCentredLR),
			[]Measure{measureOf(fmt.Sprintf("%s: epochs to 90%% (%d = never)", sigmoidFaster, epochs+1), reached(sigmoidFaster))},
			holds(runs, func(r zeroCentredRun) bool {
				return r.reached["tanh"] > 0 && (r.reached[sigmoidFaster] == 0 || r.reached["tanh"] < r.reached[sigmoidFaster])
			}),
			controlFinding(reached(sigmoidFaster), reached("sigmoid"), reached("tanh"), epochs)),
	}
	var series []plot.Series
	for _, name := range []string{"sigmoid", sigmoidFaster, "tanh"} {
		acc := make([]float64, epochs)
		xs := make([]float64, epochs)
		for e := range acc {
			xs[e] = float64(e + 1)
			acc[e] = medianFinite(collect(runs, func(r zeroCentredRun) float64 { return r.accuracy[name][e] }))
		}
		series = append(series, plot.Series{Name: name, X: xs, Y: acc, Dash: name == sigmoidFaster})
	}
	p, err := plot.Chart{Title: fmt.Sprintf("learning the spiral at lr %g (sigmoid also at %g; median over seeds)", zeroCentredLR, 4*zeroCentredLR), XLabel: "epoch", YLabel: "training accuracy",
		Series: series, WholeX: true}.Plot()
	if err != nil {
		return Outcome{}, err
	}
	file, err := env.savePlot("zero-centred", p)
	return Outcome{Checks: checks, Plots: []string{file},
		Key: fmt.Sprintf("one-signed gradients: sigmoid %s, tanh %s", percentText(median(share("sigmoid"))), percentText(median(share("tanh"))))}, err
}

// controlFinding compares sigmoid at 4 times the rate with sigmoid and tanh
// at the rate (epochs to 90%, limit+1 for never; medians over seeds): how
// much of the gap the larger rate makes up.
func controlFinding(faster, sigmoid, tanh []float64, limit int) string {
	f, s, th := median(faster), median(sigmoid), median(tanh)
	text := fmt.Sprintf("At lr %g sigmoid needs %s epochs, against %s at lr %g and tanh's %s (%d = never)",
		4*zeroCentredLR, medianText(faster), medianText(sigmoid), zeroCentredLR, medianText(tanh), limit+1)
	switch {
	case f <= th:
		return text + ": the larger rate makes up all of the gap."
	case f < s:
		return text + ": the larger rate makes up part of the gap, not all of it."
	}
	return text + ": the larger rate makes up none of the gap."
}

// epochsOrNever is the epoch a target was reached at, or one past the
// limit when it never was (0).
func epochsOrNever(reached, limit int) float64 {
	if reached == 0 {
		return float64(limit + 1)
	}
	return float64(reached)
}

// zeroCentredLR is the learning rate of the comparison; sigmoidFaster
// names the control, sigmoid at 4 times it.
const (
	zeroCentredLR = 0.1
	sigmoidFaster = "sigmoid, lr ×4"
)

func nnSpecMLP(act string) nn.Spec { return nn.NewMLPSpec(2, []int{32, 32}, 3, act, nn.MLPOptions{}) }

// oneSignedShare is the share of (example, neuron) pairs of the second
// Dense layer whose weight gradient from that example alone, dOut·h, has the
// same sign in every component.
func oneSignedShare(net *nn.Sequential, x *tensor.Matrix, labels []int) float64 {
	scores := net.Forward(x, true)
	d := tensor.New(scores.Rows, scores.Cols)
	loss.SoftmaxCrossEntropy(d, scores, labels)
	net.Backward(d)
	h := net.Layers[1].(*nn.Activation).Output()     // inputs of the second Dense layer
	dz := net.Layers[3].(*nn.Activation).InputGrad() // gradient at its outputs
	same, total := 0, 0
	for i := range h.Rows {
		for j := range dz.Cols {
			pos, neg := 0, 0
			for _, v := range h.Row(i) {
				switch g := dz.At(i, j) * v; {
				case g > 0:
					pos++
				case g < 0:
					neg++
				}
			}
			if pos == 0 || neg == 0 {
				same++
			}
			total++
		}
	}
	return float64(same) / float64(total)
}

// accuracyCurve trains net with SGD momentum, one epoch at a time, and
// returns the training accuracy after each and the first epoch at 90% (0 if
// none).
func accuracyCurve(net *nn.Sequential, x *tensor.Matrix, labels []int, epochs int, lr float64, seed uint64) ([]float64, int) {
	ds := datasetOf(x, labels)
	tr := &train.Trainer{Net: net, Loss: loss.Softmax{}, Opt: &optim.SGD{LR: lr, Momentum: 0.9}, Batch: 32, Shuffle: true,
		Rng: rand.New(rand.NewPCG(seed, 9))}
	var acc []float64
	first := 0
	for e := 1; e <= epochs; e++ {
		if epoch(tr, ds) { // diverged: no accuracy from here on
			for len(acc) < epochs {
				acc = append(acc, math.NaN())
			}
			break
		}
		_, a := measure(net, ds)
		acc = append(acc, a)
		if first == 0 && a >= 0.9 {
			first = e
		}
	}
	return acc, first
}
