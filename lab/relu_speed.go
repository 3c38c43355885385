package lab

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/data/mnist"
	"github.com/wigglenn/wiggle/internal/clock"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/plot"
	"github.com/wigglenn/wiggle/train"
)

var reluSpeed = Experiment{
	Name:  "relu-speed",
	Plots: []string{"relu-speed.png", "relu-speed-curves.png"},
	Claim: "ReLU greatly accelerates the convergence of SGD compared with sigmoid and tanh (Krizhevsky et al. 2012 saw a " +
		"factor of 6 against tanh: epochs to 25% training error on CIFAR-10, with a four-layer convolutional network).",
	Short:  "relu makes SGD converge faster than sigmoid and tanh",
	Source: "CS231n, Neural Networks Part 1; Krizhevsky, Sutskever and Hinton, ImageNet classification with deep CNNs (2012)",
	Quote: Quote{Korean: "ReLU는 sigmoid, tanh에 비해 stochastic gradient descent (SGD, 확률적 경사하강법)의 수렴을 크게 가속화시키는 장점이 있다.",
		English: "ReLU has the advantage of greatly accelerating the convergence of stochastic gradient descent (SGD) compared with sigmoid and tanh."},
	run: runReLUSpeed,
}

var (
	speedActs = []string{"relu", "tanh", "sigmoid"}
	speedInit = map[string]string{"relu": "he-normal", "tanh": "xavier-normal", "sigmoid": "xavier-normal"}
)

// speedSetup is the task: the data, the depths (hidden layers of width
// units), the target training error and the epochs allowed.
type speedSetup struct {
	ds        *data.Dataset
	depths    []int
	width     int
	target    float64
	maxEpochs int
	what      string // the data, in words
	ctx       context.Context
}

// speedRun is one seed's measurements per activation and depth: epochs to
// the target (one past its limit when never), the epochs it was allowed,
// seconds to the target (or to the limit), and the error curve.
type speedRun struct {
	epochs, limit, seconds map[string][]float64
	curves                 map[string][][]float64
}

// reached tells whether an activation reached the target at depth d.
func (r speedRun) reached(name string, d int) bool { return r.epochs[name][d] <= r.limit[name][d] }

// sixfold is the factor against tanh that Krizhevsky et al. saw. tanh may
// train that many times relu's epochs (past maxEpochs), so that the factor
// can be measured either way: reached within it, or at least six.
const sixfold = 6

func runReLUSpeed(env *Env) (Outcome, error) {
	setup, err := env.speedSetup()
	if err != nil {
		return Outcome{}, err
	}
	runs, err := overSeeds(env, func(seed uint64) (speedRun, error) {
		r := speedRun{epochs: map[string][]float64{}, limit: map[string][]float64{}, seconds: map[string][]float64{}, curves: map[string][][]float64{}}
		setup.warmUp(seed)
		for d, depth := range setup.depths {
			for _, name := range speedActs { // relu first: tanh's limit follows from its epochs
				limit := setup.maxEpochs
				if name == "tanh" && r.reached("relu", d) {
					limit = max(limit, sixfold*int(r.epochs["relu"][d]))
				}
				epochs, seconds, curve := setup.timeToTarget(name, depth, seed, limit)
				r.epochs[name] = append(r.epochs[name], epochs)
				r.limit[name] = append(r.limit[name], float64(limit))
				r.seconds[name] = append(r.seconds[name], seconds)
				r.curves[name] = append(r.curves[name], curve)
			}
		}
		return r, nil
	})
	if err != nil {
		return Outcome{}, err
	}
	return setup.outcome(env, runs)
}

// warmUp trains a network for an epoch, untimed: the first training of a
// seed had run 1.5 to 2 times slower an epoch than the next, which made
// seconds depend on the order the activations were trained in.
func (s speedSetup) warmUp(seed uint64) { s.timeToTarget("relu", s.depths[0], seed, 1) }

// timeToTarget trains one network for at most limit epochs and returns the
// epochs and seconds it took to reach the target error (limit+1 epochs
// when it did not), and the error after each epoch.
func (s speedSetup) timeToTarget(name string, depth int, seed uint64, limit int) (epochs, seconds float64, curve []float64) {
	hidden := slices.Repeat([]int{s.width}, depth)
	net := build(nn.NewMLPSpec(s.ds.X.Cols, hidden, s.ds.Classes, name, nn.MLPOptions{}), seed)
	// Each activation starts from the initialisation made for it (He's
	// for relu, Glorot's for tanh and sigmoid), so that a deep network of
	// each starts with signals of a sound size and only the activation differs.
	if err := nn.Init(net, speedInit[name], rand.New(rand.NewPCG(seed, 12))); err != nil {
		panic(err) // the schemes below are Init's
	}
	tr := &train.Trainer{Net: net, Loss: loss.Softmax{}, Opt: &optim.SGD{LR: 0.01, Momentum: 0.9}, Batch: 64, Shuffle: true,
		Rng: rand.New(rand.NewPCG(seed, 11))}
	epochs = float64(limit + 1) // never: one past the limit
	start := clock.Now()
	for e := 1; e <= limit; e++ {
		if epoch(s.ctx, tr, s.ds) {
			break // diverged: never reaches the target
		}
		_, acc := measure(net, s.ds)
		curve = append(curve, 1-acc)
		if 1-acc <= s.target {
			epochs = float64(e)
			break
		}
	}
	return epochs, clock.Since(start).Seconds(), curve
}

// outcome judges the runs.
func (s speedSetup) outcome(env *Env, runs []speedRun) (Outcome, error) {
	never := float64(s.maxEpochs + 1)
	at := func(get func(speedRun) map[string][]float64, name string, d int) []float64 {
		return collect(runs, func(r speedRun) float64 { return get(r)[name][d] })
	}
	epochsOf := func(r speedRun) map[string][]float64 { return r.epochs }
	secondsOf := func(r speedRun) map[string][]float64 { return r.seconds }
	limitOf := func(r speedRun) map[string][]float64 { return r.limit }
	factor := func(r speedRun, other string, d int) float64 { return r.epochs[other][d] / r.epochs["relu"][d] }
	// A depth where neither relu nor the other reached the target cannot
	// tell which is faster: it is left out, and a seed where no depth can
	// tell with it. Its factor, never over never, is 1 and says nothing, so
	// factors leaves it out too.
	decided := func(r speedRun, other string, d int) bool { return r.reached("relu", d) || r.reached(other, d) }
	factors := func(other string, d int) []float64 {
		var out []float64
		for _, r := range runs {
			if decided(r, other, d) {
				out = append(out, factor(r, other, d))
			}
		}
		return out
	}
	neverIn := func(name string, d int) bool { // no seed reached the target
		return !slices.ContainsFunc(runs, func(r speedRun) bool { return r.reached(name, d) })
	}
	neverText := fmt.Sprintf("%g = never", never)
	var measured []Measure
	for _, name := range speedActs {
		for d, depth := range s.depths {
			never := neverText
			if name == "tanh" {
				never = fmt.Sprintf("one past its limit, %d or %d times relu's epochs, = never", s.maxEpochs, sixfold)
			}
			measured = append(measured,
				measureOf(fmt.Sprintf("%s, %s: epochs to %.0f%% error (%s)", name, layersText(depth), 100*s.target, never), at(epochsOf, name, d)),
				measureOf(fmt.Sprintf("%s, %s: seconds to it (or to the limit)", name, layersText(depth)), at(secondsOf, name, d)))
		}
	}
	var factorMeasures []Measure
	for _, other := range []string{"tanh", "sigmoid"} {
		for d, depth := range s.depths {
			factorMeasures = append(factorMeasures, measureOf(fmt.Sprintf("%s epochs / relu epochs, %s (the seeds where either reached the target; a lower bound where %s never did)", other, layersText(depth), other), factors(other, d)))
		}
	}
	faster := func(other string) func(speedRun) bool {
		return func(r speedRun) bool {
			for d := range s.depths {
				if decided(r, other, d) && r.epochs["relu"][d] >= r.epochs[other][d] {
					return false
				}
			}
			return true
		}
	}
	canTell := func(other string) func(speedRun) bool {
		return func(r speedRun) bool {
			for d := range s.depths {
				if decided(r, other, d) {
					return true
				}
			}
			return false
		}
	}
	// tanh's factor is a lower bound where tanh never reached the target:
	// at least 6 tells (tanh was allowed 6 times relu's epochs), a bound
	// below 6 does not.
	atLeastSix := func(r speedRun) bool {
		for d := range s.depths {
			if r.reached("relu", d) && factor(r, "tanh", d) >= sixfold {
				return true
			}
		}
		return false
	}
	sixTells := func(r speedRun) bool {
		for d := range s.depths {
			if r.reached("relu", d) && r.reached("tanh", d) {
				return true
			}
		}
		return atLeastSix(r)
	}
	sigmoidHeld, tanhHeld := holdsWhere(runs, canTell("sigmoid"), faster("sigmoid")), holdsWhere(runs, canTell("tanh"), faster("tanh"))
	sixHeld := holdsWhere(runs, sixTells, atLeastSix)
	neitherReached := "neither reached the target in them at any depth"
	first, last := 0, len(s.depths)-1
	var depthWords []string
	for _, d := range s.depths {
		depthWords = append(depthWords, fmt.Sprint(d))
	}
	depthsText := joinAnd(depthWords)
	task := fmt.Sprintf("%s, %d-unit hidden layers, SGD momentum 0.9 (lr 0.01, batch 64), epochs to %.0f%% training error within %d",
		s.what, s.width, 100*s.target, s.maxEpochs)
	neither := func(other string, d int) bool { return neverIn("relu", d) && neverIn(other, d) }
	factorText := func(other string) string {
		var parts, neverDepths []string
		for d, depth := range s.depths {
			if neither(other, d) { // never over never is no factor
				neverDepths = append(neverDepths, fmt.Sprint(depth))
				continue
			}
			what := ""
			if len(parts) == 0 {
				what = " relu's epochs"
			}
			bound := ""
			if neverIn(other, d) {
				bound = "at least "
			}
			parts = append(parts, fmt.Sprintf("%s%s%s with %s", bound, medianIn(factors(other, d), 3, "×"), what, layersText(depth)))
		}
		text := fmt.Sprintf("%s takes %s", other, joinAnd(parts))
		switch {
		case len(parts) == 0:
			return fmt.Sprintf("neither %s nor relu reaches the target at any depth (medians over seeds)", other)
		case len(neverDepths) > 0:
			text += fmt.Sprintf("; with %s neither reaches the target (medians over seeds)", depthsIn(neverDepths))
		}
		return text
	}
	checks := []Check{
		newCheck("relu converges faster than sigmoid",
			fmt.Sprintf("%s: relu needs fewer epochs than sigmoid at each depth of %s hidden layers where either reaches the target (a depth where neither does cannot tell, and is left out)", task, depthsText),
			append(slices.Clone(measured), factorMeasures[len(s.depths):]...),
			sigmoidHeld,
			factorText("sigmoid")+". A run that never reaches the target counts as one epoch past the limit, so such factors are lower bounds."+
				unmeasured(len(runs)-len(sigmoidHeld), len(runs), neitherReached)),
		newCheck("relu converges faster than tanh",
			fmt.Sprintf("relu needs fewer epochs than tanh at each depth of %s where either reaches the target (a depth where neither does cannot tell, and is left out)", depthsText),
			factorMeasures[:len(s.depths)],
			tanhHeld,
			factorText("tanh")+". One learning rate serves all three (0.01); Krizhevsky et al. chose each network's rate to train fastest, which the lab does not, so the order here is that rate's."+
				unmeasured(len(runs)-len(tanhHeld), len(runs), neitherReached)),
		newCheck("by a factor of about 6, as Krizhevsky et al. saw against tanh",
			fmt.Sprintf("at some depth tanh needs at least %d times relu's epochs (tanh may train %d times relu's epochs, past the limit of %d, so that either answer can come out)", sixfold, sixfold, s.maxEpochs),
			factorMeasures[:len(s.depths)],
			sixHeld,
			s.largestFactorText(factors, at, neverIn, epochsOf, limitOf)+
				unmeasured(len(runs)-len(sixHeld), len(runs), "relu never reached the target in them")),
	}
	var sigmoidFactors []float64
	for d := range s.depths {
		if f := factors("sigmoid", d); len(f) > 0 {
			sigmoidFactors = append(sigmoidFactors, median(f))
		}
	}
	var key string
	for _, d := range []int{first, last} {
		if neverIn("relu", d) { // a factor of never over never says nothing
			key = fmt.Sprintf("relu did not reach %.0f%% training error within %d epochs with %s in any seed", 100*s.target, s.maxEpochs, layersText(s.depths[d]))
			break
		}
	}
	if key == "" {
		key = fmt.Sprintf("tanh/relu epochs %s with %s, %s with %s; sigmoid/relu %s", s.factorKey(factors("tanh", first), neverIn("tanh", first)), layersText(s.depths[first]),
			s.factorKey(factors("tanh", last), neverIn("tanh", last)), layersText(s.depths[last]), s.sigmoidKey(sigmoidFactors, func(d int) bool { return neverIn("sigmoid", d) }))
	}
	plots, err := s.plots(env, runs, at, epochsOf, neverIn)
	return Outcome{Checks: checks, Plots: plots, Key: key}, err
}

// factorKey writes a factor's median over the seeds that could tell it,
// "at least" where the other never reached the target (its epochs counted
// one past its limit), or that none could.
func (s speedSetup) factorKey(factors []float64, never bool) string {
	switch {
	case len(factors) == 0:
		return "untold (neither reached the target)"
	case never:
		return fmt.Sprintf("at least %.2g", median(factors))
	}
	return fmt.Sprintf("%.2g", median(factors))
}

// sigmoidKey writes sigmoid's factors over relu across the depths (their
// medians over seeds): a range, or a lower bound where sigmoid never
// reached the target (its epochs counted one past the limit).
func (s speedSetup) sigmoidKey(factors []float64, never func(d int) bool) string {
	if len(factors) == 0 {
		return "none (neither reached the target at any depth)"
	}
	lo, hi := slices.Min(factors), slices.Max(factors)
	spread := fmt.Sprintf("%.2g", lo)
	if hi != lo {
		spread = fmt.Sprintf("%.2g–%.2g across depths", lo, hi)
	}
	var neverDepths []string
	for d, depth := range s.depths {
		if never(d) {
			neverDepths = append(neverDepths, fmt.Sprint(depth))
		}
	}
	if len(neverDepths) > 0 {
		return fmt.Sprintf("at least %.2g (sigmoid never reached %.0f%% with %s)", lo, 100*s.target, depthsIn(neverDepths))
	}
	return spread
}

// largestFactorText says how large tanh's factor gets, at which depth,
// and the epochs each took there (a run that never reaches the target
// runs to its epoch limit). Not the seconds: they are the machine's, and
// the text of the same seeds' runs stays the same.
func (s speedSetup) largestFactorText(factors func(string, int) []float64,
	at func(func(speedRun) map[string][]float64, string, int) []float64, neverIn func(string, int) bool, epochsOf, limitOf func(speedRun) map[string][]float64) string {
	best := -1
	for d := range s.depths {
		if f := factors("tanh", d); len(f) > 0 && (best < 0 || median(f) > median(factors("tanh", best))) {
			best = d
		}
	}
	if best < 0 {
		return "Neither tanh nor relu reaches the target at any depth, so no factor can be told."
	}
	reach := func(name string) string { // in epochs: the seconds, the machine's, are in the measures, so that the text is the same run to run
		epochs := medianText(at(epochsOf, name, best))
		if neverIn(name, best) {
			return fmt.Sprintf("%s does not reach it within its limit of %s epochs", name, medianText(at(limitOf, name, best)))
		}
		return fmt.Sprintf("%s reaches the target in %s epochs", name, epochs)
	}
	bound := "" // tanh stopped at its limit: its factor counts the limit, not a time it took
	if neverIn("tanh", best) {
		bound = "at least "
	}
	return fmt.Sprintf("The largest factor against tanh is %s%s, with %s (the median over the seeds where either reached the target); there %s, %s (medians over the seeds).",
		bound, medianText(factors("tanh", best)), layersText(s.depths[best]), reach("relu"), reach("tanh"))
}

// plots draws epochs to the target against depth, and the error curves of
// the deepest networks (first seed).
func (s speedSetup) plots(env *Env, runs []speedRun, at func(func(speedRun) map[string][]float64, string, int) []float64, epochsOf func(speedRun) map[string][]float64, neverIn func(string, int) bool) ([]string, error) {
	var byDepth, curves []plot.Series
	depths := make([]float64, len(s.depths))
	for d, depth := range s.depths {
		depths[d] = float64(depth)
	}
	last := len(s.depths) - 1
	for _, name := range speedActs {
		ys := make([]float64, len(s.depths))
		never := true
		for d := range s.depths {
			ys[d] = min(median(at(epochsOf, name, d)), float64(s.maxEpochs+1)) // tanh's, past the limit, at its line
			never = never && neverIn(name, d)                                  // every seed's "never", not a median between
		}
		label := name
		if never { // its line is the limit, not a time it took
			label += " (never)"
		}
		byDepth = append(byDepth, plot.Series{Name: label, X: depths, Y: ys})
		curve := runs[0].curves[name][last]
		xs := make([]float64, len(curve))
		for i := range xs {
			xs[i] = float64(i + 1)
		}
		curves = append(curves, plot.Series{Name: name, X: xs, Y: curve})
	}
	return env.saveCharts([]namedChart{
		{"relu-speed", plot.Chart{Title: fmt.Sprintf("epochs to %.0f%% training error as the network deepens (median over seeds)", 100*s.target),
			XLabel: fmt.Sprintf("hidden layers (of %d units)", s.width), YLabel: fmt.Sprintf("epochs (%d = not within %d)", s.maxEpochs+1, s.maxEpochs), Series: byDepth, WholeX: true, ZeroY: true, XAt: depthValues(s.depths),
			Marks: []plot.Mark{{Name: fmt.Sprintf("%d: not within %d", s.maxEpochs+1, s.maxEpochs), At: float64(s.maxEpochs + 1)}}}},
		{"relu-speed-curves", plot.Chart{Title: fmt.Sprintf("training error with %s (first seed)", layersText(s.depths[last])),
			XLabel: fmt.Sprintf("epoch (a line that ends early reached %.0f%% or diverged)", 100*s.target), YLabel: "training error", Series: curves, LogY: true, WholeX: true,
			Marks: []plot.Mark{
				{Name: fmt.Sprintf("%.0f%%: the target", 100*s.target), At: s.target},
				{Name: "chance: " + percentText(s.chanceError()), At: s.chanceError()},
			}}},
	})
}

// speedSetup is 6,000 MNIST images with 2, 4 and 8 hidden layers of 64
// (target 3% training error within 20 epochs) in the full run, and the
// spiral with 1 and 3 layers of 32 (target 30% within 30 epochs) in quick mode.
func (env *Env) speedSetup() (speedSetup, error) {
	if env.Quick {
		return speedSetup{ds: env.spiral(), depths: []int{1, 3}, width: 32, target: 0.3, maxEpochs: 30, what: "the spiral", ctx: env.ctx()}, nil
	}
	trainSet, _, err := mnist.Load(env.ctx(), nil)
	if err != nil {
		return speedSetup{}, err
	}
	rows := make([]int, 6000)
	for i := range rows {
		rows[i] = i * 10
	}
	return speedSetup{ctx: env.ctx(), ds: trainSet.Rows(rows), depths: []int{2, 4, 8}, width: 64, target: 0.03, maxEpochs: 20,
		what: "6,000 MNIST images"}, nil
}

// chanceError is the training error of a guess at random among the
// data's classes (NaN without data: no mark).
func (s speedSetup) chanceError() float64 {
	if s.ds == nil || s.ds.Classes == 0 {
		return math.NaN()
	}
	return 1 - 1/float64(s.ds.Classes)
}

// layersText writes a number of hidden layers.
func layersText(n int) string {
	if n == 1 {
		return "1 hidden layer"
	}
	return fmt.Sprintf("%d hidden layers", n)
}

// depthsIn names depths of hidden layers: "1 hidden layer", "2 and 4
// hidden layers".
func depthsIn(depths []string) string {
	if len(depths) == 1 && depths[0] == "1" {
		return layersText(1)
	}
	return joinAnd(depths) + " hidden layers"
}

// joinAnd joins "a", "b" and "c" as "a, b and c".
func joinAnd(parts []string) string {
	if len(parts) == 0 {
		return ""
	}
	out := ""
	for i, p := range parts {
		switch {
		case i == 0:
			out = p
		case i == len(parts)-1:
			out += " and " + p
		default:
			out += ", " + p
		}
	}
	return out
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// depthValues are the depths measured, as a chart's x ticks.
func depthValues(depths []int) []float64 {
	out := make([]float64, len(depths))
	for i, d := range depths {
		out[i] = float64(d)
	}
	return out
}
