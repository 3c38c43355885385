package main

import (
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/internal/quote"
)

// Warnings of a training's features: scales far apart or far from 1
// (unstandardised), and columns that tell nothing: the same in every row,
// or a row's id.

// largeFeatures is the root mean square from which an unstandardised
// feature is called large: the initialisations scale a layer's weights for
// inputs of about 1, and a column about 30 (a 2-16-16-2 network at the
// default rate, one such column beside one of 0 to 8) learnt nothing,
// while MNIST's raw pixels (0 to 255, up to about 180 a column) diverged.
const largeFeatures = 25

// largeTarget is the root mean square from which a regression's target is
// called large: --standardize leaves it as it is.
const largeTarget = 1000

// featureScale is a feature, its size and its range.
type featureScale struct {
	name   string
	rms    float64 // its root mean square: how far from 0 its values lie, offset and spread
	lo, hi float64 // its smallest and largest values
}

// span is the feature's range, its scale here: a column 0 but in a few
// rows, as a pixel at MNIST's border, has a tiny std and yet takes values
// as large as every other pixel's.
func (f featureScale) span() float64 { return f.hi - f.lo }

// unscaledFeatures warns (to log, where not nil) of unstandardised
// features whose ranges lie far apart, or one that lies far from 0, and
// says how (for a divergence's advice); "" where neither.
func unscaledFeatures(log io.Writer, ds *data.Dataset, bounds func() (lo, hi []float64)) string {
	ratio, wide, narrow, largest := scaleSpread(ds, bounds)
	var unscaled string
	switch {
	case ratio >= 100:
		unscaled = fmt.Sprintf("the features' scales differ by 10^%.0f", math.Log10(ratio))
		if log != nil {
			fmt.Fprintf(log, "warning: %s (%s spans %.3g to %.3g, %s %.3g to %.3g): add --standardize, or training may stall\n", unscaled, wide.name, wide.lo, wide.hi, narrow.name, narrow.lo, narrow.hi)
		}
	case largest.rms >= largeFeatures:
		unscaled = fmt.Sprintf("the root mean square of %s is %s", largest.name, statText(largest.rms, 4))
		if log != nil {
			fmt.Fprintf(log, "warning: the features are large (%s, where the initialisations expect about 1): add --standardize, or training may diverge or learn nothing\n", unscaled)
		}
	}
	return unscaled
}

// scaleSpread returns how many times the widest feature's range is the
// narrowest's, those two (constant features left out), and the feature
// lying farthest from 0 (a year, 2000 ± 5, as much as a column spread
// widely: the initialisations' scale is 1), constant ones included.
func scaleSpread(ds *data.Dataset, bounds func() (lo, hi []float64)) (ratio float64, wide, narrow, largest featureScale) {
	s := data.FitStandardizer(ds.X)
	lo, hi := bounds()
	narrow.hi = math.Inf(1)
	for j, std := range s.Std {
		if lo[j] == hi[j] {
			std = 0 // the Standardizer's 1 for a constant column
		}
		f := featureScale{featureName(ds, j), math.Hypot(float64(s.Mean[j]), float64(std)), lo[j], hi[j]}
		if f.rms > largest.rms {
			largest = f
		}
		if f.span() == 0 {
			continue
		}
		if f.span() > wide.span() {
			wide = f
		}
		if f.span() < narrow.span() {
			narrow = f
		}
	}
	if wide.span() == 0 || math.IsInf(narrow.span(), 1) {
		return 1, wide, narrow, largest
	}
	return wide.span() / narrow.span(), wide, narrow, largest
}

// featureName is column j's name, or "column j" in a set without names.
func featureName(ds *data.Dataset, j int) string {
	if j < len(ds.Features) {
		return ds.Features[j]
	}
	return fmt.Sprintf("column %d", j)
}

// columnBounds returns each column's smallest and largest value.
func columnBounds(ds *data.Dataset) (lo, hi []float64) {
	lo, hi = make([]float64, ds.X.Cols), make([]float64, ds.X.Cols)
	for j := range lo {
		lo[j], hi[j] = math.Inf(1), math.Inf(-1)
	}
	for i := range ds.X.Rows {
		for j, v := range ds.X.Row(i) {
			lo[j], hi[j] = min(lo[j], float64(v)), max(hi[j], float64(v))
		}
	}
	return lo, hi
}

// minIDRows is the fewest rows in which a column of distinct whole numbers
// in one run is called an id: in a handful of rows a count may be so.
const minIDRows = 20

// warnUninformativeColumns warns of the features that cannot help predict
// a new row, and says how to leave them out: columns of one value in
// every training row (a note where many are, as a picture's blank border
// makes them, harmless but for the time they take), and notes a column
// that may be a row's id (a different whole number in each row, together
// a run such as 1001 to 1060; a year of a yearly series is one too, and
// no id).
func warnUninformativeColumns(log io.Writer, ds *data.Dataset, bounds func() (lo, hi []float64)) {
	if ds.Len() < 2 {
		return
	}
	lo, hi := bounds()
	var constant []int
	for j := range ds.X.Cols {
		name := featureName(ds, j)
		switch {
		case lo[j] == hi[j]:
			constant = append(constant, j)
		case isIDColumn(ds, j, lo[j], hi[j]):
			fmt.Fprintf(log, "note: %q holds a different whole number in each of the %d training rows, %.0f to %.0f: if it is a row's id or number, it predicts nothing of a new row, and --ignore %s leaves it out (a year or a step of a series is no id: keep it)\n", name, ds.Len(), lo[j], hi[j], flagList(name))
		}
	}
	switch {
	case len(constant) == 1:
		name := featureName(ds, constant[0])
		fmt.Fprintf(log, "warning: %q is %.6g in every training row: it tells the network nothing; leave it out with --ignore %s\n", name, lo[constant[0]], flagList(name))
	case len(constant) > 1 && len(constant) <= 3:
		names := make([]string, len(constant))
		for i, j := range constant {
			names[i] = featureName(ds, j)
		}
		fmt.Fprintf(log, "warning: %s are each one value in every training row: they tell the network nothing; leave them out with --ignore %s\n", quote.List(names), flagList(names...))
	case len(constant) > 3:
		fmt.Fprintf(log, "note: %d features are each one value in every training row (%q, %q, %q and %d more): they tell the network nothing, and cost a little time (a picture's blank border makes such columns)\n",
			len(constant), featureName(ds, constant[0]), featureName(ds, constant[1]), featureName(ds, constant[2]), len(constant)-3)
	}
}

// isIDColumn tells whether column j of ds, from lo to hi, holds whole
// numbers, each once, that together fill lo to hi: row numbers or ids.
func isIDColumn(ds *data.Dataset, j int, lo, hi float64) bool {
	n := ds.Len()
	if n < minIDRows || hi-lo != float64(n-1) || math.Abs(lo) > 1<<24 || math.Abs(hi) > 1<<24 { // float32 holds whole numbers exactly to 2^24
		return false
	}
	values := make([]float32, n)
	for i := range n {
		v := ds.X.Row(i)[j]
		if v != float32(math.Trunc(float64(v))) {
			return false
		}
		values[i] = v
	}
	slices.Sort(values)
	return len(slices.Compact(values)) == n
}
