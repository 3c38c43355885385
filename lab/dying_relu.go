package lab

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/data/mnist"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/plot"
)

var dyingReLU = Experiment{
	Name:   "dying-relu",
	Plots:  []string{"dying-relu.png"},
	Claim:  "ReLU units can die: with too high a learning rate, as much as 40% of a network can be dead; leaky_relu, prelu and maxout do not die.",
	Short:  "relu units die at high learning rates; leaky ones do not",
	Source: "CS231n, Neural Networks Part 1 (ReLU: fragile during training, can die)",
	Quote: Quote{Korean: "하지만 앞에서 언급된 바와 같이 ReLU는 0 이하의 값들은 모두 0으로 출력되기 때문에 모델이 데이터를 학습하는 능력이 떨어지는 단점이 있다. … 이를 방지하기 위해 learning rate를 적절하게 설정하는 것이 중요하다.",
		English: "But, as said above, ReLU outputs 0 for every value at or below 0, so the model's ability to learn from the data suffers. … To prevent this, it is important to set the learning rate well."},
	run: runDyingReLU,
}

var (
	dyingRates = []float64{0.01, 0.03, 0.1, 0.3, 1}
	dyingActs  = []string{"relu", "leaky_relu", "prelu", "maxout"}
)

// dyingRun is one seed's dead share per activation and rate (NaN where
// training diverged).
type dyingRun struct{ dead map[string][]float64 }

func runDyingReLU(env *Env) (Outcome, error) {
	ds, hidden, err := env.dyingData()
	if err != nil {
		return Outcome{}, err
	}
	runs, err := overSeeds(env, func(seed uint64) (dyingRun, error) {
		r := dyingRun{dead: map[string][]float64{}}
		for _, name := range dyingActs {
			for _, lr := range dyingRates {
				net := build(nn.NewMLPSpec(ds.X.Cols, hidden, ds.Classes, name, nn.MLPOptions{Pieces: 2}), seed)
				dead := math.NaN()
				acc, err := fit(net, ds, 1, lr, seed)
				if err != nil {
					return r, err
				}
				if !math.IsNaN(acc) {
					dead = deadShare(hiddenOutputs(net, ds.X))
				}
				r.dead[name] = append(r.dead[name], dead)
			}
		}
		return r, nil
	})
	if err != nil {
		return Outcome{}, err
	}
	deadAt := func(name string, i int) []float64 {
		return collect(runs, func(r dyingRun) float64 { return r.dead[name][i] })
	}
	var reluMeasures, leakyMeasures []Measure
	for _, name := range dyingActs {
		for i, lr := range dyingRates {
			m := measureOf(fmt.Sprintf("%s, lr %g: dead hidden units", name, lr), deadAt(name, i))
			if name == "relu" {
				reluMeasures = append(reluMeasures, m)
			} else {
				leakyMeasures = append(leakyMeasures, m)
			}
		}
	}
	top := len(dyingRates) - 1
	reluCurve := make([]float64, len(dyingRates))
	for i := range reluCurve {
		reluCurve[i] = medianFinite(deadAt("relu", i))
	}
	starts := "never"
	for i, v := range reluCurve {
		if v > 0.1 {
			starts = fmt.Sprintf("lr %g", dyingRates[i])
			break
		}
	}
	// The others are judged where relu dies: at the rates where more than
	// 10% of relu's units are dead (every rate, if none is).
	var dying []int
	for i, v := range reluCurve {
		if v > 0.1 {
			dying = append(dying, i)
		}
	}
	if len(dying) == 0 {
		for i := range dyingRates {
			dying = append(dying, i)
		}
	}
	var dyingText []string
	for _, i := range dying {
		dyingText = append(dyingText, fmt.Sprint(dyingRates[i]))
	}
	// worstLeaky is the most dead among the others at those rates; NaN if
	// one of them diverged there, which fails the check: a run that
	// diverges does not show that its units stay alive.
	worstLeaky := func(r dyingRun) float64 {
		worst := 0.0
		for _, name := range dyingActs[1:] {
			for _, i := range dying {
				d := r.dead[name][i]
				if math.IsNaN(d) {
					return math.NaN()
				}
				worst = max(worst, d)
			}
		}
		return worst
	}
	worst := collect(runs, worstLeaky)
	checks := []Check{
		newCheck("with too high a learning rate, as much as 40% of a relu network dies",
			fmt.Sprintf("after one epoch of SGD with momentum 0.9 at learning rates %v, relu's share of dead hidden units (0 on every training example) reaches at least 40%% at the highest", dyingRates),
			reluMeasures,
			holds(runs, func(r dyingRun) bool { return r.dead["relu"][top] >= 0.4 }),
			fmt.Sprintf("At lr %g, %s of relu's hidden units are dead; more than 10%% die from %s on.", dyingRates[top], medianText(deadAt("relu", top)), starts)),
		newCheck("leaky_relu, prelu and maxout do not die",
			fmt.Sprintf("at the rates where relu loses more than 10%% of its units (%s), leaky_relu, prelu and maxout train without diverging and keep at most 1%% dead", joinAnd(dyingText)),
			leakyMeasures,
			holds(runs, func(r dyingRun) bool { return worstLeaky(r) <= 0.01 }),
			leakyFinding(worst)+divergedText(runs)),
	}
	var series []plot.Series
	for _, name := range dyingActs {
		s := plot.Series{Name: name}
		for i, lr := range dyingRates {
			s.X, s.Y = append(s.X, lr), append(s.Y, medianFinite(deadAt(name, i))) // a NaN (all diverged) is left out of the line
		}
		series = append(series, s)
	}
	p, err := plot.Chart{Title: "relu units die as the learning rate grows; leaky ones do not", XLabel: "learning rate (one epoch; a line that ends early: its training diverged there)",
		YLabel: "fraction dead", Series: series, LogX: true}.Plot()
	if err != nil {
		return Outcome{}, err
	}
	file, err := env.savePlot("dying-relu", p)
	return Outcome{Checks: checks, Plots: []string{file},
		Key: fmt.Sprintf("relu %s dead at lr %g; the others %s", percentText(medianFinite(deadAt("relu", top))), dyingRates[top], othersText(worst))}, err
}

// leakyFinding says how the others fared where relu dies.
func leakyFinding(worst []float64) string {
	if len(withoutNaN(worst)) == 0 {
		return "At those rates they did not train at all: every run diverged."
	}
	return fmt.Sprintf("At those rates the most dead among them is %s.", medianText(worst))
}

// othersText sums up the others where relu dies: the most dead, or that
// they diverged.
func othersText(worst []float64) string {
	if m := medianFinite(worst); !math.IsNaN(m) && len(withoutNaN(worst)) == len(worst) {
		return "at most " + percentText(m) + " dead there"
	}
	return fmt.Sprintf("diverge there (%d of %d seeds)", len(worst)-len(withoutNaN(worst)), len(worst))
}

// divergedText says from which rate each of the others diverged, if any
// did: their dead shares are measured only below it.
func divergedText(runs []dyingRun) string {
	var parts []string
	for _, name := range dyingActs[1:] {
		if i := slices.IndexFunc(dyingRates, func(lr float64) bool { return diverged(runs, name, lr) }); i >= 0 {
			n := 0
			for _, r := range runs {
				if math.IsNaN(r.dead[name][i]) {
					n++
				}
			}
			parts = append(parts, fmt.Sprintf("%s from lr %g (%d of %d seeds there)", name, dyingRates[i], n, len(runs)))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " Their training diverged, leaving nothing to measure: " + joinAnd(parts) + "."
}

// diverged tells whether training with name at lr diverged for some seed.
func diverged(runs []dyingRun, name string, lr float64) bool {
	i := slices.Index(dyingRates, lr)
	return slices.ContainsFunc(runs, func(r dyingRun) bool { return math.IsNaN(r.dead[name][i]) })
}

// dyingData is MNIST (10,000 training rows, two hidden layers of 128) in the
// full run, and the spiral (two layers of 32) in quick mode.
func (env *Env) dyingData() (*data.Dataset, []int, error) {
	if env.Quick {
		return env.spiral(), []int{32, 32}, nil
	}
	trainSet, _, err := mnist.Load(context.Background(), nil)
	if err != nil {
		return nil, nil, err
	}
	rows := make([]int, 10000)
	for i := range rows {
		rows[i] = i * 6
	}
	return trainSet.Rows(rows), []int{128, 128}, nil
}
