package plot

// The ticks of a logarithmic axis, and their labels.

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
)

// logTicks marks a logarithmic axis: each power of ten, labelled as a
// reader writes it (0.001, 1, 1000, 1e-06), with unlabelled minor ticks
// between; where the axis spans three decades or less, 2 and 5 times the
// powers are labelled too, and where that still labels fewer than two
// ticks (a range within a decade, as 0.69 to 1.2), every tick is; a range
// that holds fewer than three such ticks (13 to 31) takes round values as
// a linear axis does (15, 20, 25, 30).
type logTicks struct{}

// Ticks returns the ticks of [lo, hi] (see logTicks); none where the range
// holds no positive finite numbers (an axis with nothing on it).
func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0 && hi >= lo) || math.IsInf(hi, 1) {
		return nil // Log10 would give NaN or ±Inf, and the loop no end
	}
	first, last := int(math.Floor(math.Log10(lo)+1e-9)), int(math.Ceil(math.Log10(hi)-1e-9)) // Log10 of a power of ten may miss it by an ULP
	labelled := []float64{1}
	if last-first <= 3 { // three decades or less: 0.02, 0.05, 0.1, …, where powers of ten alone would label two
		labelled = []float64{1, 2, 5}
	}
	var ticks []plot.Tick
	for e := first; e <= last; e++ {
		for m := 1.0; m < 10; m++ {
			v := m * math.Pow(10, float64(e))
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) || math.IsInf(v, 1) { // near the largest float64, hi·(1+1e-9) is +Inf
				continue
			}
			t := plot.Tick{Value: v}
			if slices.Contains(labelled, m) {
				t.Label = powerLabel(m, e)
			}
			ticks = append(ticks, t)
		}
	}
	labels := 0
	for _, t := range ticks {
		if t.Label != "" {
			labels++
		}
	}
	if labels < 2 {
		for i := range ticks {
			m, e := mantissa(ticks[i].Value)
			ticks[i].Label = powerLabel(m, e)
		}
	}
	if len(ticks) < 3 { // within two steps from one mantissa to the next: round values read better than one or two labels
		return roundTicks{}.Ticks(lo, hi)
	}
	return ticks
}

// logToLabels widens a logarithmic axis of log10 values [lo, hi] to the
// next labelled value (log10Ticks) at an end whose values run more than a
// tenth of a decade past the last label: compare's losses from 1.1 had
// run under a lowest label of 2, with no 1 to read them by. It never
// narrows the axis, and keeps an end where the next label would pass
// float64's normal numbers.
func logToLabels(lo, hi float64) (float64, float64) {
	for range 3 { // a wider axis may label fewer mantissas
		var labelled []float64
		for _, t := range (log10Ticks{}).Ticks(lo, hi) {
			if t.Label != "" {
				labelled = append(labelled, math.Pow(10, t.Value))
			}
		}
		if len(labelled) == 0 {
			break
		}
		powers := !slices.ContainsFunc(labelled, func(v float64) bool { m, _ := mantissa(v); return m != 1 })
		first, last := math.Log10(slices.Min(labelled)), math.Log10(slices.Max(labelled))
		widened := false
		if c := labelAtOrPast(math.Pow(10, lo), -1, powers); first-lo > 0.1 && normal(c) && math.Log10(c) < lo {
			lo, widened = math.Log10(c), true
		}
		if c := labelAtOrPast(math.Pow(10, hi), 1, powers); hi-last > 0.1 && normal(c) && math.Log10(c) > hi {
			hi, widened = math.Log10(c), true
		}
		if !widened {
			break
		}
	}
	return lo, hi
}

// labelAtOrPast is the value a logarithmic axis labels next from v
// outward: at or below it (dir -1) or at or above it (dir 1), among the
// powers of ten, or 1, 2 and 5 times them unless powers.
func labelAtOrPast(v float64, dir int, powers bool) float64 {
	steps := []float64{1, 2, 5}
	if powers {
		steps = []float64{1}
	}
	e := math.Floor(math.Log10(v))
	for k := range 3 { // v's decade, and the next one outward
		decade := e + float64(dir*k)
		for i := range steps {
			s := steps[i]
			if dir < 0 {
				s = steps[len(steps)-1-i]
			}
			c := s * math.Pow(10, decade)
			if dir < 0 && c <= v || dir > 0 && c >= v {
				return c
			}
		}
	}
	return v
}

// normal reports whether v lies among float64's positive normal numbers,
// where log10 is exact enough to draw at.
func normal(v float64) bool {
	return v >= 0x1p-1022 && v <= math.MaxFloat64
}

// mantissa splits a tick's value v = m·10^e, m a whole number from 1 to 9.
func mantissa(v float64) (m float64, e int) {
	e = int(math.Floor(math.Log10(v) + 1e-9))
	return math.Round(v / math.Pow(10, float64(e))), e
}

// powerLabel writes m·10^e: plainly from 0.0001 to 99999, else as 1e-06.
func powerLabel(m float64, e int) string {
	if e >= -4 && e <= 4 {
		return strconv.FormatFloat(m*math.Pow(10, float64(e)), 'f', max(0, -e), 64)
	}
	return strconv.FormatFloat(m, 'f', 0, 64) + "e" + fmt.Sprintf("%+03d", e)
}
