package lab

import (
	"fmt"
	"time"

	"github.com/wigglenn/wiggle/perf"
	"github.com/wigglenn/wiggle/plot"
)

var computeCost = Experiment{
	Name:   "compute-cost",
	Plots:  []string{"compute-cost.png", "compute-cost-share.png"},
	Claim:  "ReLU is cheap: a threshold at zero, where sigmoid and tanh need exponentials.",
	Short:  "relu is cheaper to compute than sigmoid and tanh",
	Source: "CS231n, Neural Networks Part 1 (ReLU: cheap operations compared with tanh/sigmoid)",
	Quote: Quote{Korean: "또한, sigmoid, tanh는 연산량이 많은 반면, ReLU는 단순히 활성화 행렬을 0의 임계 값으로 지정하여 계산되기 때문에 연산량이 적다는 장점이 있다.",
		English: "Also, sigmoid and tanh take many operations, whereas ReLU simply thresholds the matrix of activations at zero, so it has the advantage of taking few."},
	run: runComputeCost,
}

// costActs are timed per element; shareActs within a training step.
var (
	costActs  = []string{"relu", "leaky_relu", "sigmoid", "tanh", "elu", "gelu", "silu", "softplus", "mish"}
	shareActs = []string{"relu", "sigmoid", "tanh", "gelu", "mish"}
)

// costRound is one round of timings: per activation, the forward and
// backward ns per element and the share of a training step.
type costRound struct {
	forward, backward, share map[string]float64
}

// runComputeCost times each activation in rounds (one per seed: timings
// have no seed, but the rounds give the spread), alternating activations
// within a round so that a slow spell of the machine falls on all; the
// checks compare the rounds' medians (costRounds.checks).
func runComputeCost(env *Env) (Outcome, error) {
	opt := perf.Options{Repeats: 1, MinTime: 100 * time.Millisecond}
	if env.Quick {
		opt.MinTime = 2 * time.Millisecond
	}
	elementOpt := opt
	elementOpt.Repeats = 5 // the median of 25 calls of 1M elements: a burst of the machine's other work (relu's 0.1 ns at 0.8 in one call) does not decide a round
	rounds, err := overSeeds(env, func(uint64) (costRound, error) {
		r := costRound{forward: map[string]float64{}, backward: map[string]float64{}, share: map[string]float64{}}
		for _, n := range costActs {
			a, err := perf.Activation(n, elementOpt)
			if err != nil {
				return r, err
			}
			r.forward[n], r.backward[n] = a.ForwardNS, a.BackwardNS
		}
		for _, n := range shareActs {
			s, err := perf.ActivationShare(n, opt)
			if err != nil {
				return r, err
			}
			r.share[n] = s.Share()
		}
		return r, nil
	})
	if err != nil {
		return Outcome{}, err
	}
	rs := costRounds(rounds)
	checks := rs.checks()
	fwd, share := rs.forward, rs.share
	ratio := func(n string) float64 { return median(fwd(n)) / median(fwd("relu")) }
	var perElement, perStep []float64
	for _, n := range costActs {
		perElement = append(perElement, median(fwd(n)))
	}
	for _, n := range shareActs {
		perStep = append(perStep, 100*median(share(n)))
	}
	var files []string
	for _, c := range []struct {
		file, title, label string
		names              []string
		values             []float64
	}{
		{"compute-cost", "relu's forward pass is the cheapest: no exponential (one thread)", "forward ns / element", costActs, perElement},
		{"compute-cost-share", "the activation's share of an MNIST training step (one thread)", "% of a training step", shareActs, perStep},
	} {
		p, err := plot.Bars(c.title, c.label, c.names, c.values)
		if err != nil {
			return Outcome{}, err
		}
		f, err := env.savePlot(c.file, p)
		if err != nil {
			return Outcome{}, err
		}
		files = append(files, f)
	}
	return Outcome{Checks: checks, Plots: files,
		Key: fmt.Sprintf("%s; relu %s of a step, sigmoid %s", cheaperText(ratio("sigmoid")), percentText(median(share("relu"))), percentText(median(share("sigmoid"))))}, nil
}

// costRounds are compute-cost's rounds of timings.
type costRounds []costRound

func (rs costRounds) forward(n string) []float64 {
	return collect(rs, func(r costRound) float64 { return r.forward[n] })
}

func (rs costRounds) backward(n string) []float64 {
	return collect(rs, func(r costRound) float64 { return r.backward[n] })
}

func (rs costRounds) share(n string) []float64 {
	return collect(rs, func(r costRound) float64 { return r.share[n] })
}

// checks judges the rounds by their medians: judged round by round, one
// round's burst of the machine's other work made the verdicts of two
// identical runs differ (the lab trial's: 6 of 8 quick runs reproduced),
// and said so as if seeds had differed.
func (rs costRounds) checks() []Check {
	fwd, bwd, share := rs.forward, rs.backward, rs.share
	var costs, shares []Measure
	for _, n := range costActs {
		costs = append(costs, measureOf(n+": forward ns/element", fwd(n)), measureOf(n+": backward ns/element (not judged)", bwd(n)))
	}
	for _, n := range shareActs {
		shares = append(shares, measureOf(n+": share of a training step", share(n)))
	}
	ratio := func(n string) float64 { return median(fwd(n)) / median(fwd("relu")) }
	return []Check{
		newCheck("relu's forward pass is cheaper than sigmoid's and tanh's, which need exponentials",
			"on this machine, relu's forward cost per element (1M inputs in [−8, 8], one thread; the median of the rounds) is below sigmoid's and tanh's; "+
				"backward costs are shown but not judged, since sigmoid's and tanh's derivatives reuse their outputs and need no exponential",
			costs,
			[]bool{median(fwd("relu")) < median(fwd("sigmoid")) && median(fwd("relu")) < median(fwd("tanh"))},
			fmt.Sprintf("relu's forward takes %s ns per element, sigmoid's %s (%.1f×) and tanh's %s (%.1f×); their backward passes cost %s, %s and %s.",
				medianText(fwd("relu")), medianText(fwd("sigmoid")), ratio("sigmoid"), medianText(fwd("tanh")), ratio("tanh"),
				medianText(bwd("relu")), medianText(bwd("sigmoid")), medianText(bwd("tanh")))),
		newCheck("and so relu takes a smaller share of a training step",
			"relu's forward and backward passes over a training step's two hidden layers ([128, 256] each, timed alone) take a smaller share of the whole step of the MNIST MLP (784-256-256-10, batch 128, SGD momentum, one thread, timed with that activation) than sigmoid's and tanh's, the medians of the rounds compared",
			shares,
			[]bool{median(share("relu")) < median(share("sigmoid")) && median(share("relu")) < median(share("tanh"))},
			fmt.Sprintf("Of a training step, relu takes %s, sigmoid %s, tanh %s, gelu %s and mish %s.",
				percentsText(share("relu")), percentsText(share("sigmoid")), percentsText(share("tanh")), percentsText(share("gelu")), percentsText(share("mish")))),
	}
}

// cheaperText says how relu's forward cost compares with sigmoid's, given
// sigmoid's over relu's.
func cheaperText(sigmoidOverReLU float64) string {
	if sigmoidOverReLU > 1 {
		return fmt.Sprintf("relu's forward %.1f× cheaper than sigmoid's", sigmoidOverReLU)
	}
	return fmt.Sprintf("relu's forward no cheaper than sigmoid's (%.2g× its cost)", 1/sigmoidOverReLU)
}

// percentsText writes shares over rounds as percentages, "1.2% (1.1–1.4%)".
func percentsText(values []float64) string {
	pct := make([]float64, len(values))
	for i, v := range values {
		pct[i] = 100 * v
	}
	return medianText(pct) + "%"
}
