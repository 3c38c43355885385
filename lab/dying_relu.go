package lab

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/data/mnist"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/plot"
)

var dyingReLU = Experiment{
	Name:  "dying-relu",
	Plots: []string{"dying-relu.png", "dying-relu-accuracy.png"},
	Claim: "ReLU units can die: with too high a learning rate, as much as 40% of a network can be dead; leaky_relu, prelu and maxout " +
		"are offered as fixes (CS231n: of leaky ReLU, \"the results are not always consistent\"; maxout, it says, has none of ReLU's drawbacks, dying among them).",
	Short:  "relu units die at high learning rates; leaky ones train there",
	Source: "CS231n, Neural Networks Part 1 (ReLU: fragile during training, can die)",
	Quote: Quote{Korean: "하지만 앞에서 언급된 바와 같이 ReLU는 0 이하의 값들은 모두 0으로 출력되기 때문에 모델이 데이터를 학습하는 능력이 떨어지는 단점이 있다. … 이를 방지하기 위해 learning rate를 적절하게 설정하는 것이 중요하다.",
		English: "But, as said above, ReLU outputs 0 for every value at or below 0, so the model's ability to learn from the data suffers. … To prevent this, it is important to set the learning rate well."},
	run: runDyingReLU,
}

var (
	dyingRates = []float64{0.01, 0.03, 0.1, 0.2, 0.3, 0.5, 1}
	dyingActs  = []string{"relu", "leaky_relu", "prelu", "maxout"}
)

// dyingRun is one seed's dead share and training accuracy per activation
// and rate (NaN where training diverged).
type dyingRun struct{ dead, acc map[string][]float64 }

func runDyingReLU(env *Env) (Outcome, error) {
	ds, hidden, err := env.dyingData()
	if err != nil {
		return Outcome{}, err
	}
	runs, err := overSeeds(env, func(seed uint64) (dyingRun, error) {
		r := dyingRun{dead: map[string][]float64{}, acc: map[string][]float64{}}
		for _, name := range dyingActs {
			for _, lr := range dyingRates {
				net := build(nn.NewMLPSpec(ds.X.Cols, hidden, ds.Classes, name, nn.MLPOptions{Pieces: 2}), seed)
				dead := math.NaN()
				acc, err := env.fit(net, ds, 1, lr, seed)
				if err != nil {
					return r, err
				}
				if !math.IsNaN(acc) {
					dead = deadShare(hiddenOutputs(net, ds.X))
				}
				r.dead[name] = append(r.dead[name], dead)
				r.acc[name] = append(r.acc[name], acc)
			}
		}
		return r, nil
	})
	if err != nil {
		return Outcome{}, err
	}
	d := dyingResults{runs: runs, chance: 1 / float64(ds.Classes)}
	top := len(dyingRates) - 1
	dying := d.reluDies()
	worstAlive := collect(runs, d.worstOthers)
	reluDead := holdsWhere(runs, reluTrainedAtTop, func(r dyingRun) bool { return r.dead["relu"][top] >= 0.4 })
	checks := []Check{
		newCheck("with too high a learning rate, as much as 40% of a relu network dies",
			fmt.Sprintf("after one epoch of SGD with momentum 0.9 (%s) at learning rates %s, relu's share of dead hidden units (0 on every training example) reaches at least 40%% at the highest",
				env.dyingSetup(hidden), joinAnd(rateTexts(dyingRates))),
			d.measures("relu"),
			reluDead,
			d.reluFinding()+unmeasured(len(runs)-len(reluDead), len(runs), fmt.Sprintf("relu diverged in them at lr %g, where no unit's death can be measured", dyingRates[top]))),
		ownCheck("leaky_relu, prelu and maxout units do not die",
			"wherever their training does not diverge, at most 1% of the hidden units of leaky_relu, prelu and maxout are dead (below 0 their slope is not 0, so a unit can die only where its output is exactly 0 on every example: this holds by construction, and says nothing of whether they train)",
			append(append(d.measures("leaky_relu"), d.measures("prelu")...), d.measures("maxout")...),
			holds(runs, func(r dyingRun) bool { w := d.worstOthers(r); return !math.IsNaN(w) && w <= 0.01 }),
			fmt.Sprintf("Wherever they trained, the most dead among them is %s.", medianPercentText(worstAlive))+divergedText(runs)),
		newCheck("they train where relu dies",
			fmt.Sprintf("at the rates where relu loses more than 10%% of its units (%s), leaky_relu, prelu and maxout train without diverging and end at least as accurate as relu", orNone(joinAnd(rateTexts(pick(dyingRates, dying))))),
			d.accuracyMeasures(dying),
			holds(runs, func(r dyingRun) bool { return len(dying) > 0 && d.othersTrain(r, dying) }),
			d.whereReLUDiesFinding(dying)),
	}
	key := fmt.Sprintf("relu %s dead at lr %g (training accuracy %s); the others at most %s dead wherever they trained",
		percentText(medianFinite(d.at("dead", "relu", top))), dyingRates[top], percentText(medianFinite(d.at("acc", "relu", top))), percentText(medianFinite(worstAlive)))
	if diverged := d.divergedAt(dying); diverged != "" {
		key += ", but " + diverged + " diverged where relu dies"
	}
	plots, err := d.plots(env)
	return Outcome{Checks: checks, Plots: plots, Key: key}, err
}

// reluTrainedAtTop tells whether relu's run at the highest rate trained
// (its dead share measured) rather than diverged.
func reluTrainedAtTop(r dyingRun) bool { return !math.IsNaN(r.dead["relu"][len(dyingRates)-1]) }

// dyingResults holds every seed's runs and the chance accuracy of the data.
type dyingResults struct {
	runs   []dyingRun
	chance float64
}

// at gathers, over seeds, the dead share ("dead") or the accuracy ("acc")
// of one activation at rate i.
func (d dyingResults) at(what, name string, i int) []float64 {
	return collect(d.runs, func(r dyingRun) float64 {
		if what == "acc" {
			return r.acc[name][i]
		}
		return r.dead[name][i]
	})
}

// measures are one activation's dead shares and accuracies, rate by rate.
func (d dyingResults) measures(name string) []Measure {
	var out []Measure
	for i, lr := range dyingRates {
		out = append(out, measureOf(fmt.Sprintf("%s, lr %g: dead hidden units", name, lr), d.at("dead", name, i)),
			measureOf(fmt.Sprintf("%s, lr %g: training accuracy", name, lr), d.at("acc", name, i)))
	}
	return out
}

// accuracyMeasures are every activation's accuracies at the rates listed
// (at every rate where none is).
func (d dyingResults) accuracyMeasures(rates []int) []Measure {
	if len(rates) == 0 {
		for i := range dyingRates {
			rates = append(rates, i)
		}
	}
	var out []Measure
	for _, name := range dyingActs {
		for _, i := range rates {
			out = append(out, measureOf(fmt.Sprintf("%s, lr %g: training accuracy", name, dyingRates[i]), d.at("acc", name, i)))
		}
	}
	return out
}

// learns tells whether an accuracy is at least halfway from chance to
// 100%: a network that still learns, not one whose units all died.
func (d dyingResults) learns(acc float64) bool { return acc >= (1+d.chance)/2 }

// reluDies lists the rates at which more than 10% of relu's units are
// dead (medians over seeds).
func (d dyingResults) reluDies() []int {
	var out []int
	for i := range dyingRates {
		if medianFinite(d.at("dead", "relu", i)) > 0.1 {
			out = append(out, i)
		}
	}
	return out
}

// reluFinding says how much of relu's network dies at the top rate, how
// well it still does there, and how much died at the highest rate where
// it still learns.
func (d dyingResults) reluFinding() string {
	top := len(dyingRates) - 1
	acc := medianFinite(d.at("acc", "relu", top))
	text := fmt.Sprintf("At lr %g, %s of relu's hidden units are dead; its training accuracy is %s (chance: %s)",
		dyingRates[top], medianPercentText(d.at("dead", "relu", top)), percentText(acc), percentText(d.chance))
	if d.learns(acc) {
		text += "."
	} else {
		text += ": the network no longer learns."
	}
	for i := top; i >= 0; i-- {
		if a := medianFinite(d.at("acc", "relu", i)); d.learns(a) {
			return text + fmt.Sprintf(" At the highest rate where it still learns (accuracy at least halfway from chance to 100%%), lr %g, %s are dead (accuracy %s).",
				dyingRates[i], medianPercentText(d.at("dead", "relu", i)), percentText(a))
		}
	}
	return text + fmt.Sprintf(" It learns (training accuracy at least halfway from chance to 100%%, %s) at none of the rates.", percentText((1+d.chance)/2))
}

// worstOthers is the most dead among leaky_relu, prelu and maxout at any
// rate where they trained; NaN if they diverged everywhere.
func (d dyingResults) worstOthers(r dyingRun) float64 {
	var trained []float64
	for _, name := range dyingActs[1:] {
		trained = append(trained, withoutNaN(r.dead[name])...)
	}
	if len(trained) == 0 {
		return math.NaN()
	}
	return slices.Max(trained)
}

// othersTrain tells whether, at each of the rates listed, every other
// activation trained without diverging and ended at least as accurate as
// relu.
func (d dyingResults) othersTrain(r dyingRun, rates []int) bool {
	for _, name := range dyingActs[1:] {
		for _, i := range rates {
			acc, relu := r.acc[name][i], r.acc["relu"][i]
			if math.IsNaN(acc) || acc < relu { // relu diverged (NaN): training at all is enough
				return false
			}
		}
	}
	return true
}

// divergedAt names the others that diverged at one of rates, with the
// seeds they did so in where not every one: "maxout and prelu (1 of 3
// seeds)"; "" where none did. The key had said "they diverge" where
// leaky_relu trained.
func (d dyingResults) divergedAt(rates []int) string {
	var names []string
	for _, name := range dyingActs[1:] {
		n := 0
		for _, r := range d.runs {
			if slices.ContainsFunc(rates, func(i int) bool { return math.IsNaN(r.acc[name][i]) }) {
				n++
			}
		}
		switch {
		case n == len(d.runs) && n > 0:
			names = append(names, name)
		case n > 0:
			names = append(names, fmt.Sprintf("%s (%d of %d seeds)", name, n, len(d.runs)))
		}
	}
	return joinAnd(names)
}

// whereReLUDiesFinding says how relu and the others fared where relu dies.
func (d dyingResults) whereReLUDiesFinding(rates []int) string {
	if len(rates) == 0 {
		return "relu lost no more than 10% of its units at any rate: there is nothing to compare."
	}
	var parts []string
	for _, name := range dyingActs {
		var accs []string
		for _, i := range rates {
			accs = append(accs, accuracyText(d.at("acc", name, i)))
		}
		parts = append(parts, fmt.Sprintf("%s %s", name, strings.Join(accs, ", ")))
	}
	return fmt.Sprintf("Training accuracy at lr %s (medians; \"diverged\" where every seed did): %s.",
		joinAnd(rateTexts(pick(dyingRates, rates))), strings.Join(parts, "; "))
}

// accuracyText is a median accuracy over seeds, or "diverged".
func accuracyText(accs []float64) string {
	if m := medianFinite(accs); !math.IsNaN(m) {
		return percentText(m)
	}
	return "diverged"
}

// plots draws the dead share and the accuracy against the rate.
func (d dyingResults) plots(env *Env) ([]string, error) {
	var charts []namedChart
	for _, c := range []struct {
		file, title, y, what string
		marks                []plot.Mark
	}{
		{"dying-relu", "dead hidden units after one epoch", "fraction dead", "dead", []plot.Mark{{Name: "CS231n's 40%", At: 0.4}}},
		{"dying-relu-accuracy", "training accuracy after one epoch", "training accuracy", "acc", []plot.Mark{
			{Name: "learns: " + percentText((1+d.chance)/2), At: (1 + d.chance) / 2}, // halfway from chance to 100%, as the text says
			{Name: "chance: " + percentText(d.chance), At: d.chance},
		}},
	} {
		var series []plot.Series
		for _, name := range dyingActs {
			s := plot.Series{Name: name}
			for i, lr := range dyingRates {
				s.X, s.Y = append(s.X, lr), append(s.Y, medianFinite(d.at(c.what, name, i))) // a NaN (all diverged) is left out of the line
			}
			series = append(series, s)
		}
		charts = append(charts, namedChart{c.file, plot.Chart{Title: c.title, XLabel: "learning rate (a line that ends early: its training diverged there)",
			YLabel: c.y, Series: series, LogX: true, Marks: c.marks}})
	}
	return env.saveCharts(charts)
}

// rateTexts writes learning rates as %g.
func rateTexts(rates []float64) []string {
	out := make([]string, len(rates))
	for i, lr := range rates {
		out[i] = fmt.Sprint(lr)
	}
	return out
}

// pick returns the values at the indices listed.
func pick(values []float64, at []int) []float64 {
	out := make([]float64, len(at))
	for k, i := range at {
		out[k] = values[i]
	}
	return out
}

// orNone is text, or "none" where it is empty.
func orNone(text string) string {
	if text == "" {
		return "none"
	}
	return text
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

// dyingSetup says what dyingData trains.
func (env *Env) dyingSetup(hidden []int) string {
	if env.Quick {
		return fmt.Sprintf("the spiral, two hidden layers of %d, batch 32", hidden[0])
	}
	return fmt.Sprintf("10,000 MNIST training images, two hidden layers of %d, batch 32", hidden[0])
}

// dyingData is MNIST (10,000 training rows, two hidden layers of 128) in the
// full run, and the spiral (two layers of 32) in quick mode.
func (env *Env) dyingData() (*data.Dataset, []int, error) {
	if env.Quick {
		return env.spiral(), []int{32, 32}, nil
	}
	trainSet, _, err := mnist.Load(env.ctx(), nil)
	if err != nil {
		return nil, nil, err
	}
	rows := make([]int, 10000)
	for i := range rows {
		rows[i] = i * 6
	}
	return trainSet.Rows(rows), []int{128, 128}, nil
}
