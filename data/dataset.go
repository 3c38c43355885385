// Package data holds datasets: a feature matrix with a target per row (a
// class label, or real values for regression), the synthetic sets that
// learners use, and CSV files.
//
// Concurrency: the readers and generators share nothing and may run on
// many goroutines at once; a Dataset is a plain value, safe to read from
// many goroutines while nobody changes it. Nothing here changes a
// process-wide setting. MNIST comes through the data/mnist package.
package data

import (
	"github.com/wigglenn/wiggle/tensor"
)

// Dataset is a table of examples. X has one row per example. For
// classification, Labels holds each row's class index in [0, Classes); for
// regression, Values holds each row's target values and Classes is 0.
type Dataset struct {
	X       *tensor.Matrix
	Labels  []int
	Values  *tensor.Matrix
	Classes int

	Features   []string // column names of X, when known
	Target     string   // the target column's name, when known
	ClassNames []string // the original label of each class index, when known
}

// Len is the number of examples.
func (d *Dataset) Len() int { return d.X.Rows }

// Regression reports whether the targets are values rather than classes.
func (d *Dataset) Regression() bool { return d.Values != nil }

// Rows returns a new dataset of the given rows, in that order, sharing the
// descriptive fields.
func (d *Dataset) Rows(rows []int) *Dataset {
	sub := *d
	sub.X = GatherRows(nil, d.X, rows)
	if d.Values != nil {
		sub.Values = GatherRows(nil, d.Values, rows)
	}
	if d.Labels != nil {
		sub.Labels = make([]int, len(rows))
		for i, r := range rows {
			sub.Labels[i] = d.Labels[r]
		}
	}
	return &sub
}

// SplitTail returns the first rows as training data and the last
// round(frac·Len) rows as validation data, in file order. The parts are
// views: they share d's storage (disjoint rows of it), so a split costs no
// memory, and changing a part's rows changes d's.
func (d *Dataset) SplitTail(frac float64) (trainPart, valPart *Dataset) {
	nVal := int(frac*float64(d.Len()) + 0.5)
	nTrain := d.Len() - nVal
	return d.Slice(0, nTrain), d.Slice(nTrain, d.Len())
}

// Slice returns rows [from, to) of d as a view: a dataset that shares d's
// storage and describing fields, and cannot grow into the rows after it.
func (d *Dataset) Slice(from, to int) *Dataset {
	sub := *d
	sub.X = d.X.RowsView(from, to)
	sub.Values = d.Values.RowsView(from, to)
	if d.Labels != nil {
		sub.Labels = d.Labels[from:to:to]
	}
	return &sub
}

// GatherRows copies the given rows of src into dst, reshaped to fit, and
// returns dst (a new matrix when dst is nil).
func GatherRows(dst, src *tensor.Matrix, rows []int) *tensor.Matrix {
	dst = dst.Reshape(len(rows), src.Cols)
	for i, r := range rows {
		copy(dst.Row(i), src.Row(r))
	}
	return dst
}
