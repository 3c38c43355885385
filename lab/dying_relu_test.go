package lab

import (
	"math"
	"strings"
	"testing"
)

// dyingRunOf makes one seed's run from each activation's dead shares and
// accuracies at dyingRates (NaN: diverged).
func dyingRunOf(dead, acc map[string][]float64) dyingRun { return dyingRun{dead: dead, acc: acc} }

func TestDyingChecks(t *testing.T) {
	nan := math.NaN()
	// relu dies from lr 0.2 and stops learning from 0.3; the others keep
	// their units and diverge from lr 0.3.
	r := dyingRunOf(map[string][]float64{
		"relu":       {0, 0, 0.02, 0.35, 0.7, 0.9, 0.95},
		"leaky_relu": {0, 0, 0, 0, nan, nan, nan},
		"prelu":      {0, 0, 0, 0.005, nan, nan, nan},
		"maxout":     {0, 0, 0, 0, nan, nan, nan},
	}, map[string][]float64{
		"relu":       {0.9, 0.9, 0.9, 0.7, 0.2, 0.1, 0.1},
		"leaky_relu": {0.9, 0.9, 0.9, 0.8, nan, nan, nan},
		"prelu":      {0.9, 0.9, 0.9, 0.8, nan, nan, nan},
		"maxout":     {0.9, 0.9, 0.9, 0.8, nan, nan, nan},
	})
	d := dyingResults{runs: []dyingRun{r}, chance: 0.1}
	if got := d.reluDies(); len(got) != 4 || got[0] != 3 {
		t.Errorf("reluDies = %v, want the rates from 0.2 on (3 to 6)", got)
	}
	if !d.learns(0.55) || d.learns(0.54) {
		t.Error("learns: want the halfway mark between chance (0.1) and 1 at 0.55")
	}
	if got := d.worstOthers(r); got != 0.005 {
		t.Errorf("worstOthers = %g, want 0.005 (prelu at lr 0.2; the diverged runs left out)", got)
	}
	if d.othersTrain(r, []int{3}) != true || d.othersTrain(r, []int{3, 4}) != false {
		t.Error("othersTrain: want true where all trained at least as well as relu, false where they diverged")
	}
	f := d.reluFinding()
	for _, want := range []string{"At lr 1, 95% of relu's hidden units are dead; its training accuracy is 10.0% (chance: 10.0%): the network no longer learns.",
		"lr 0.2, 35% are dead (accuracy 70.0%)"} {
		if !strings.Contains(f, want) {
			t.Errorf("reluFinding %q does not say %q", f, want)
		}
	}
	if got := d.divergedAt(d.reluDies()); got != "leaky_relu, prelu and maxout" {
		t.Errorf("divergedAt = %q; want all three, diverged from lr 0.3, where relu dies", got)
	}
	if trained := (dyingResults{runs: []dyingRun{dyingRunOf(r.dead, map[string][]float64{
		"relu": r.acc["relu"], "leaky_relu": make([]float64, 7), "prelu": make([]float64, 7), "maxout": make([]float64, 7)})}, chance: 0.1}); trained.divergedAt(trained.reluDies()) != "" {
		t.Errorf("divergedAt = %q: the others trained (if worse) everywhere", trained.divergedAt(trained.reluDies()))
	}
	// the lab trial's: leaky_relu trained at lr 0.2 where relu lost a third of its units; the key had said "they diverge"
	leakyTrained := dyingRunOf(r.dead, map[string][]float64{"relu": r.acc["relu"], "leaky_relu": {0.9, 0.9, 0.9, 0.8, 0.5, 0.5, 0.5}, "prelu": r.acc["prelu"], "maxout": r.acc["maxout"]})
	if got := (dyingResults{runs: []dyingRun{leakyTrained, r}, chance: 0.1}).divergedAt(d.reluDies()); got != "leaky_relu (1 of 2 seeds), prelu and maxout" {
		t.Errorf("divergedAt = %q; want leaky_relu's one seed of two said", got)
	}
	never := dyingResults{runs: []dyingRun{dyingRunOf(map[string][]float64{"relu": {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7}},
		map[string][]float64{"relu": {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5}})}, chance: 1.0 / 3}
	if f := never.reluFinding(); !strings.Contains(f, "It learns (training accuracy at least halfway from chance to 100%, 66.7%) at none of the rates.") {
		t.Errorf("reluFinding where relu never learns: %q; want the mark it never reached said", f)
	}
	reluDiverged := dyingRunOf(nil, map[string][]float64{"relu": {nan}, "leaky_relu": {0.5}, "prelu": {0.4}, "maxout": {0.6}})
	if !d.othersTrain(reluDiverged, []int{0}) {
		t.Error("othersTrain: where relu diverged, the others training at all should do")
	}
	allDiverged := dyingRunOf(map[string][]float64{"relu": make([]float64, 7), "leaky_relu": {nan}, "prelu": {nan}, "maxout": {nan}}, nil)
	if got := d.worstOthers(allDiverged); !math.IsNaN(got) {
		t.Errorf("worstOthers of runs that all diverged = %g, want NaN (nothing measured)", got)
	}
}
