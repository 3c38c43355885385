package lab

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// overSeeds runs one seed's measurement for each of env's seeds.
func overSeeds[T any](env *Env, run func(seed uint64) (T, error)) ([]T, error) {
	var out []T
	for _, seed := range env.Seeds() {
		v, err := run(seed)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// collect gathers one number from each seed's result.
func collect[T any](runs []T, value func(T) float64) []float64 {
	out := make([]float64, len(runs))
	for i, r := range runs {
		out[i] = value(r)
	}
	return out
}

// holds tells, for each seed's result, whether a criterion held.
func holds[T any](runs []T, ok func(T) bool) []bool {
	out := make([]bool, len(runs))
	for i, r := range runs {
		out[i] = ok(r)
	}
	return out
}

// holdsWhere is holds over the seeds whose result could be measured: a
// seed where measurable is false (its run diverged, or never reached the
// mark a criterion counts to) is left out, not counted as failing; none
// measured makes the check Inconclusive (newCheck).
func holdsWhere[T any](runs []T, measurable, ok func(T) bool) []bool {
	var out []bool
	for _, r := range runs {
		if measurable(r) {
			out = append(out, ok(r))
		}
	}
	return out
}

// unmeasured says how many of n seeds a check left out, and why ("" for
// none).
func unmeasured(left, n int, why string) string {
	if left == 0 {
		return ""
	}
	return fmt.Sprintf(" %d of %d seeds are not counted: %s.", left, n, why)
}

// measureOf is the measure of values over seeds: their median, and their
// range when there are several. NaN (or ±Inf) marks a seed whose run
// diverged: it is counted, not measured.
func measureOf(name string, values []float64) Measure {
	finite := withoutNaN(values)
	m := Measure{Name: name, Diverged: len(values) - len(finite)}
	if len(finite) == 0 {
		return m
	}
	v := median(finite)
	m.Value = &v
	if len(finite) > 1 {
		m.Range = []float64{slices.Min(finite), slices.Max(finite)}
	}
	return m
}

// medianFinite is the median of the finite values; NaN if none.
func medianFinite(values []float64) float64 {
	if finite := withoutNaN(values); len(finite) > 0 {
		return median(finite)
	}
	return math.NaN()
}

// withoutNaN returns the values that are finite: neither NaN nor ±Inf.
func withoutNaN(values []float64) []float64 {
	var out []float64
	for _, v := range values {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			out = append(out, v)
		}
	}
	return out
}

// newCheck judges a check by whether its criterion held for each seed,
// and adds to the finding how many seeds it held for when they disagree.
func newCheck(claim, criterion string, measured []Measure, held []bool, finding string) Check {
	if len(held) == 0 { // no seed measured it
		return Check{Claim: claim, Criterion: criterion, Measured: measured, Verdict: Inconclusive, Finding: finding}
	}
	n := 0
	for _, h := range held {
		if h {
			n++
		}
	}
	verdict := Flips
	switch n {
	case len(held):
		verdict = Reproduced
	case 0:
		verdict = NotReproduced
	default:
		finding += fmt.Sprintf(" The criterion holds for %d of %d seeds.", n, len(held))
	}
	return Check{Claim: claim, Criterion: criterion, Measured: measured, Verdict: verdict, Finding: finding}
}

// ownCheck is newCheck for a question of the lab's beside the seed's
// claim (Check.Own).
func ownCheck(claim, criterion string, measured []Measure, held []bool, finding string) Check {
	c := newCheck(claim, criterion, measured, held, finding)
	c.Own = true
	return c
}

// medianText writes values over seeds as "median (min–max)", or the one
// value; seeds whose run diverged (NaN) are left out.
func medianText(values []float64) string { return medianIn(values, 3, "") }

// medianPercentText is medianText of fractions, as percentages to four
// figures (99.96% is not 100%): "100%", "62.5% (50–75%)".
func medianPercentText(values []float64) string {
	percent := make([]float64, len(values))
	for i, v := range values {
		percent[i] = 100 * v
	}
	return medianIn(percent, 4, "%")
}

// medianIn writes values' median and range (see medianText), each to
// figures significant figures and followed by unit ("×", "%").
func medianIn(values []float64, figures int, unit string) string {
	values = withoutNaN(values)
	switch {
	case len(values) == 0:
		return "nothing (every run diverged)"
	case slices.Min(values) == slices.Max(values):
		return fmt.Sprintf("%.*g%s", figures, values[0], unit)
	}
	return fmt.Sprintf("%.*g%s (%.*g–%.*g%s)", figures, median(values), unit, figures, slices.Min(values), figures, slices.Max(values), unit)
}

// medianIndex is the index of the value that is values' median: the
// middle one of an odd count, the lower middle of an even one (whose
// median lies between two), so that a chart of that run's curve shows
// the median the text gives.
func medianIndex(values []float64) int {
	order := make([]int, len(values))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(values[a], values[b]) })
	return order[(len(order)-1)/2]
}
