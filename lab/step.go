package lab

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/plot"
)

var stepExperiment = Experiment{
	Name:  "step",
	Plots: []string{"step-perceptron.png"},
	Claim: "The perceptron's step function has zero gradient, so backpropagation cannot train hidden step units; " +
		"Rosenblatt's perceptron rule trains one step neuron on linearly separable data, but not on xor.",
	Short:  "step units cannot be trained by backpropagation",
	Source: "the seed; Rosenblatt's perceptron rule (1958); Minsky and Papert, Perceptrons (1969), on what one unit cannot separate, xor among it",
	Quote: Quote{Korean: "Step function의 경우, 계단 형식으로 0 혹은 1의 값만을 출력하는 단점이 있으며 linear function은 step function보다 다양한 값으로 출력되지만 backpropagation이 불가능한 단점이 있다.",
		English: "The step function has the drawback of giving only 0 or 1, like a staircase; the linear function gives more varied values than the step function, but cannot be trained by backpropagation.",
		Note: "The sentence gives the wrong function: a linear unit's slope is a constant, and backpropagation trains linear layers " +
			"(linear-collapse trains them). The function whose slope is 0 wherever it has one is the step, so the lab tests the claim on step units."},
	run: runStep,
}

// stepRun is one seed's measurements.
type stepRun struct {
	changed           bool
	gradNorm          float64
	linearAcc, xorAcc float64
	linearMistakes    []float64
	xorMistakes       []float64
	linearN, xorN     int // the sets' points, which an epoch's mistakes are of
}

func runStep(env *Env) (Outcome, error) {
	epochs := env.epochs(30, 100)
	runs, err := overSeeds(env, func(seed uint64) (stepRun, error) {
		ds := spiralFor(env, seed)
		net := build(nn.NewMLPSpec(2, []int{16}, 3, "step", nn.MLPOptions{}), seed)
		first := net.Layers[0].(*nn.Dense)
		before := slices.Clone(first.W.Value)
		if _, err := env.fit(net, ds, env.epochs(10, 50), 0.1, seed); err != nil {
			return stepRun{}, err
		}
		r := stepRun{changed: !slices.Equal(before, first.W.Value), gradNorm: norm32(first.W.Grad)}
		rng := rand.New(rand.NewPCG(seed, 3))
		linear, err := data.Generate(data.SyntheticSpec{Name: "linear", N: 100, Noise: -1}, rng)
		if err != nil {
			return r, err
		}
		xor, err := data.Generate(data.SyntheticSpec{Name: "xor", N: 100, Noise: 0}, rng)
		if err != nil {
			return r, err
		}
		r.linearAcc, r.linearMistakes = perceptron(linear, epochs)
		r.xorAcc, r.xorMistakes = perceptron(xor, epochs)
		r.linearN, r.xorN = linear.Len(), xor.Len()
		return r, nil
	})
	if err != nil {
		return Outcome{}, err
	}
	grads := collect(runs, func(r stepRun) float64 { return r.gradNorm })
	changed := collect(runs, func(r stepRun) float64 { return boolf(r.changed) })
	linearAcc := collect(runs, func(r stepRun) float64 { return r.linearAcc })
	xorAcc := collect(runs, func(r stepRun) float64 { return r.xorAcc })
	checks := []Check{
		newCheck("backpropagation cannot train hidden step units",
			"after training a 2-16-3 step network on the spiral with SGD momentum, its hidden weights are bit for bit as they started and their gradient norm is 0",
			[]Measure{measureOf("seeds whose hidden weights changed (1 = yes)", changed), measureOf("hidden weight gradient norm", grads)},
			holds(runs, func(r stepRun) bool { return !r.changed && r.gradNorm == 0 }),
			fmt.Sprintf("The hidden weights' gradient norm is %s after training.", medianText(grads))),
		newCheck("the perceptron rule trains one step neuron on linearly separable data",
			fmt.Sprintf("Rosenblatt's rule (w += (t − y)·x) reaches 100%% on a linearly separable set of 200 points (100 a class) within %d epochs", epochs),
			[]Measure{measureOf("perceptron accuracy, linear set", linearAcc)},
			holds(runs, func(r stepRun) bool { return r.linearAcc == 1 }),
			fmt.Sprintf("On the separable set it reaches %s.", medianText(linearAcc))),
		newCheck("but not on xor",
			"the same rule stays at or below 75% on xor",
			[]Measure{measureOf("perceptron accuracy, xor", xorAcc)},
			holds(runs, func(r stepRun) bool { return r.xorAcc <= 0.75 }),
			fmt.Sprintf("On xor it ends at %s.", medianText(xorAcc))),
	}
	xs := make([]float64, epochs)
	for i := range xs {
		xs[i] = float64(i + 1)
	}
	p, err := plot.Chart{Title: "the perceptron rule stops erring only on separable data (first seed)", XLabel: "epoch", YLabel: "mistakes made while learning, per epoch",
		Series: []plot.Series{{Name: fmt.Sprintf("separable, %d points", runs[0].linearN), X: xs, Y: runs[0].linearMistakes},
			{Name: fmt.Sprintf("xor, %d points", runs[0].xorN), X: xs, Y: runs[0].xorMistakes}}, WholeX: true,
		Marks: []plot.Mark{{Name: "half of xor's: chance", At: float64(runs[0].xorN) / 2}}}.Plot()
	if err != nil {
		return Outcome{}, err
	}
	file, err := env.savePlot("step-perceptron", p)
	return Outcome{Checks: checks, Plots: []string{file},
		Key: fmt.Sprintf("hidden gradient %s; perceptron %.0f%% linear, %.0f%% xor", medianText(grads), 100*median(linearAcc), 100*median(xorAcc))}, err
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
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
