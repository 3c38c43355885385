package lab

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/wigglenn/wiggle/act"
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
// one-signed per-example gradients, and at its fastest rate the first
// epoch at 90% (0 = never), that rate and the accuracy curve.
type zeroCentredRun struct {
	oneSign  map[string]float64
	reached  map[string]int
	rate     map[string]float64
	accuracy map[string][]float64
}

func runZeroCentred(env *Env) (Outcome, error) {
	epochs := env.epochs(40, 150)
	runs, err := overSeeds(env, func(seed uint64) (zeroCentredRun, error) {
		ds := spiralFor(env, seed)
		r := zeroCentredRun{oneSign: map[string]float64{}, reached: map[string]int{}, rate: map[string]float64{}, accuracy: map[string][]float64{}}
		for _, name := range []string{"sigmoid", "tanh", centredSigmoid} {
			r.oneSign[name] = oneSignedShare(zeroCentredNet(name, seed), ds.X, ds.Labels)
			for _, lr := range zeroCentredRates {
				acc, reached := accuracyCurve(env.ctx(), zeroCentredNet(name, seed), ds.X, ds.Labels, epochs, lr, seed)
				if r.accuracy[name] == nil || faster(reached, r.reached[name]) {
					r.accuracy[name], r.reached[name], r.rate[name] = acc, reached, lr
				}
			}
			if r.reached[name] == 0 { // no rate reached 90%: none is its fastest (its curve is the first rate's)
				r.rate[name] = math.NaN()
			}
		}
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
	either := func(a, b string) func(zeroCentredRun) bool { // a seed where neither reached 90% cannot tell which is faster
		return func(r zeroCentredRun) bool { return r.reached[a] > 0 || r.reached[b] > 0 }
	}
	centredHeld := holdsWhere(runs, either(centredSigmoid, "sigmoid"), func(r zeroCentredRun) bool { return faster(r.reached[centredSigmoid], r.reached["sigmoid"]) })
	tanhHeld := holdsWhere(runs, either("tanh", "sigmoid"), func(r zeroCentredRun) bool { return faster(r.reached["tanh"], r.reached["sigmoid"]) })
	neither := fmt.Sprintf("neither reached 90%% in them within %d epochs", epochs)
	rate := func(name string) []float64 {
		return collect(runs, func(r zeroCentredRun) float64 { return r.rate[name] })
	}
	rates := joinAnd(rateTexts(zeroCentredRates))
	atRate := func(name string) string { // the epochs to 90% and the rate that gave them
		return fmt.Sprintf("%s epochs at lr %s", medianText(reached(name)), medianText(rate(name)))
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
			fmt.Sprintf("With tanh inputs %s do, with σ(x) − 1/2 inputs %s.", medianPercentText(share("tanh")), medianPercentText(share(centredSigmoid)))),
		newCheck("which slows learning",
			fmt.Sprintf("trained with SGD momentum from the same weights, each at the fastest of lr %s (a rate that suits one need not suit the other), σ(x) − 1/2 (sigmoid's slope, its outputs centred on 0) reaches 90%% training accuracy within %d epochs, and in fewer than sigmoid (or sigmoid never does)", rates, epochs),
			[]Measure{measureOf(fmt.Sprintf("sigmoid: epochs to 90%% (%d = never)", epochs+1), reached("sigmoid")),
				measureOf(fmt.Sprintf("%s: epochs to 90%% (%d = never)", centredSigmoid, epochs+1), reached(centredSigmoid)),
				measureOf("sigmoid: its fastest rate", rate("sigmoid")), measureOf(centredSigmoid+": its fastest rate", rate(centredSigmoid))},
			centredHeld,
			fmt.Sprintf("To reach 90%%, σ(x) − 1/2 needs %s, sigmoid %s (%d = never): %s.", atRate(centredSigmoid), atRate("sigmoid"), epochs+1,
				gapText(median(reached(centredSigmoid)), median(reached("sigmoid")), epochs))+unmeasured(len(runs)-len(centredHeld), len(runs), neither)),
		newCheck("tanh, zero-centred, is preferred to sigmoid",
			fmt.Sprintf("each at its fastest of the same rates, tanh reaches 90%% within %d epochs, and in fewer than sigmoid (or sigmoid never does); tanh's slope is also 4 times sigmoid's, so this check is not centring's alone", epochs),
			[]Measure{measureOf(fmt.Sprintf("tanh: epochs to 90%% (%d = never)", epochs+1), reached("tanh")), measureOf("tanh: its fastest rate", rate("tanh"))},
			tanhHeld,
			fmt.Sprintf("tanh needs %s, sigmoid %s.", atRate("tanh"), atRate("sigmoid"))+unmeasured(len(runs)-len(tanhHeld), len(runs), neither)),
	}
	series := zeroCentredCurves(runs, reached)
	p, err := plot.Chart{Title: "learning the spiral: " + medianRunOf(len(runs)) + ", by epochs to 90%", XLabel: "epoch (each at its fastest rate)", YLabel: "training accuracy",
		Series: series, WholeX: true, Marks: []plot.Mark{{Name: "90%: the target counted", At: 0.9}}}.Plot()
	if err != nil {
		return Outcome{}, err
	}
	file, err := env.savePlot("zero-centred", p)
	return Outcome{Checks: checks, Plots: []string{file},
		Key: fmt.Sprintf("one-signed gradients: sigmoid %s, tanh %s; epochs to 90%%: sigmoid %s, sigmoid − 1/2 %s, tanh %s",
			percentText(median(share("sigmoid"))), percentText(median(share("tanh"))),
			epochsText(median(reached("sigmoid")), epochs), epochsText(median(reached(centredSigmoid)), epochs), epochsText(median(reached("tanh")), epochs))}, err
}

// zeroCentredCurves is each activation's median run's accuracy curve, by
// epochs to 90% (reached): it crosses 90% at the epoch the text gives,
// where each epoch's median accuracy over the seeds would cross it
// elsewhere, and be no run. (Of an even count of seeds it is the lower
// middle run, whose epoch the text's median, between two, is not.)
func zeroCentredCurves(runs []zeroCentredRun, reached func(name string) []float64) []plot.Series {
	var series []plot.Series
	for _, name := range []string{"sigmoid", centredSigmoid, "tanh"} {
		acc := runs[medianIndex(reached(name))].accuracy[name]
		xs := make([]float64, len(acc))
		for e := range xs {
			xs[e] = float64(e + 1)
		}
		series = append(series, plot.Series{Name: name, X: xs, Y: acc, Dash: name == centredSigmoid})
	}
	return series
}

// medianRunOf says which run of count seeds zeroCentredCurves draws: the
// median one, or of an even count the lower middle one (the text's median
// lies between two runs).
func medianRunOf(count int) string {
	if count%2 == 0 {
		return fmt.Sprintf("each one's lower-middle run of %d seeds", count)
	}
	return fmt.Sprintf("each one's median run of %d seeds", count)
}

// epochsOrNever is the epoch a target was reached at, or one past the
// limit when it never was (0).
func epochsOrNever(reached, limit int) float64 {
	if reached == 0 {
		return float64(limit + 1)
	}
	return float64(reached)
}

// zeroCentredRates are the learning rates each activation trains at: each
// is judged at its fastest, as Krizhevsky et al. chose each network's rate
// (at one rate the order of sigmoid and σ(x) − 1/2 turns with the rate).
// centredSigmoid names the control, σ(x) − 1/2.
var zeroCentredRates = []float64{0.1, 0.3, 1}

const centredSigmoid = "sigmoid − 1/2"

// zeroCentredNet is the spiral's 2-32-32-3 network of one activation at
// seed's weights; the control is sigmoid's units, the same weights, outputs
// moved down by 1/2: the slope is sigmoid's, only the centring differs.
func zeroCentredNet(name string, seed uint64) *nn.Sequential {
	if name != centredSigmoid {
		return build(nnSpecMLP(name), seed)
	}
	net := build(nnSpecMLP("sigmoid"), seed)
	centre(net)
	return net
}

// faster tells whether epochs a reached the target in fewer than b (0:
// never): a must have reached it.
func faster(a, b int) bool { return a > 0 && (b == 0 || a < b) }

// epochsText writes a median of epochs to a target, "never" past the
// limit.
func epochsText(v float64, limit int) string {
	if v > float64(limit) {
		return fmt.Sprintf("never in %d", limit)
	}
	return fmt.Sprintf("%.0f", v)
}

// gapText says how centring changed the epochs to the target (limit+1:
// never).
func gapText(centred, sigmoid float64, limit int) string {
	switch {
	case centred > float64(limit) && sigmoid > float64(limit):
		return "neither reaches it, so this run cannot tell whether centring speeds it up"
	case centred < sigmoid:
		return fmt.Sprintf("centring alone makes it %.2g times as fast", sigmoid/centred)
	case centred > sigmoid:
		return "centring alone makes it slower"
	}
	return "centring alone changes nothing"
}

// centre moves every sigmoid of net down by 1/2: σ(x) − 1/2, whose slope
// is sigmoid's and whose outputs are centred on 0.
func centre(net *nn.Sequential) {
	for _, l := range net.Layers {
		if a, ok := l.(*nn.Activation); ok {
			a.F = shiftedSigmoid{a.F}
		}
	}
}

// shiftedSigmoid is f(x) − 1/2 of a sigmoid f: f′ is unchanged, read from
// f's output, y + 1/2.
type shiftedSigmoid struct{ sigmoid act.Func }

func (s shiftedSigmoid) Name() string   { return "sigmoid_centred" }
func (s shiftedSigmoid) String() string { return "sigmoid(x) - 1/2" }

func (s shiftedSigmoid) Forward(y, x []float32) {
	s.sigmoid.Forward(y, x)
	for i := range y {
		y[i] -= 0.5
	}
}

func (s shiftedSigmoid) Backward(dX, dOut, x, y []float32) {
	for i := range dX {
		v := y[i] + 0.5
		dX[i] += dOut[i] * v * (1 - v)
	}
}

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
func accuracyCurve(ctx context.Context, net *nn.Sequential, x *tensor.Matrix, labels []int, epochs int, lr float64, seed uint64) ([]float64, int) {
	ds := datasetOf(x, labels)
	tr := &train.Trainer{Net: net, Loss: loss.Softmax{}, Opt: &optim.SGD{LR: lr, Momentum: 0.9}, Batch: 32, Shuffle: true,
		Rng: rand.New(rand.NewPCG(seed, 9))}
	var acc []float64
	first := 0
	for e := 1; e <= epochs; e++ {
		if epoch(ctx, tr, ds) { // diverged: no accuracy from here on
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
