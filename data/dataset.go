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
	"errors"
	"fmt"
	"slices"

	"github.com/wigglenn/wiggle/internal/quote"
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

	// Kept holds a table's columns kept as text beside the rows
	// (CSVOptions.Keep: an id to carry into predictions); nil without.
	Kept *Kept

	// Separator is what stood between the cells of the CSV table the set
	// was read from (',', ';' or '\t'), so that a table written back
	// (predictions) can take it; 0 for a set of another source.
	Separator rune
}

// Kept is columns of a table kept as text: Rows[i] holds row i's cells of
// Columns, in that order.
type Kept struct {
	Columns []string
	Rows    [][]string
}

// rows is k for the rows given, in that order (nil for a nil k).
func (k *Kept) rows(rows []int) *Kept {
	if k == nil {
		return nil
	}
	out := &Kept{Columns: k.Columns, Rows: make([][]string, len(rows))}
	for i, r := range rows {
		if r >= len(k.Rows) {
			panic(fmt.Sprintf("data: Rows: row %d of a set whose Kept holds %d rows (Check says what is wrong)", r, len(k.Rows)))
		}
		out.Rows[i] = k.Rows[r]
	}
	return out
}

// slice is k's rows [from, to) (nil for a nil k).
func (k *Kept) slice(from, to int) *Kept {
	if k == nil {
		return nil
	}
	if to > len(k.Rows) {
		panic(fmt.Sprintf("data: Slice(%d, %d) of a set whose Kept holds %d rows (Check says what is wrong)", from, to, len(k.Rows)))
	}
	return &Kept{Columns: k.Columns, Rows: k.Rows[from:to:to]}
}

// Len is the number of examples: 0 for a nil Dataset or one without X.
func (d *Dataset) Len() int {
	if d == nil || d.X == nil {
		return 0
	}
	return d.X.Rows
}

// ClassCounts is how many rows each class has, indexed by class; nil
// without labels, or where Check finds d inconsistent.
func (d *Dataset) ClassCounts() []int {
	if d == nil || d.Labels == nil || d.Check() != nil {
		return nil
	}
	counts := make([]int, d.Classes)
	for _, y := range d.Labels {
		counts[y]++
	}
	return counts
}

// Check reports what makes d inconsistent, if anything: no X; a matrix
// whose Data is not Rows·Cols long; labels that are not one a row or lie
// outside [0, Classes); Classes above MaxClasses; target values that are
// not one row a row; both labels and values. A dataset without a target
// (features only, as ParseCSV reads for prediction) is consistent.
func (d *Dataset) Check() error {
	switch {
	case d == nil || d.X == nil:
		return errors.New("no data (the dataset or its X is nil)")
	case tensor.CheckWhole("X", d.X) != nil:
		return fmt.Errorf("the features (X): a %d×%d matrix holds %d numbers", d.X.Rows, d.X.Cols, len(d.X.Data))
	case d.Labels != nil && d.Values != nil:
		return errors.New("both class labels and target values")
	case d.Values != nil && tensor.CheckWhole("Values", d.Values) != nil:
		return fmt.Errorf("the target values (Values): a %d×%d matrix holds %d numbers", d.Values.Rows, d.Values.Cols, len(d.Values.Data))
	case d.Values != nil && d.Values.Rows != d.X.Rows:
		return fmt.Errorf("%d rows of target values for %d rows of features", d.Values.Rows, d.X.Rows)
	case d.Labels != nil && len(d.Labels) != d.X.Rows:
		return fmt.Errorf("%d labels for %d rows", len(d.Labels), d.X.Rows)
	case d.Kept != nil && len(d.Kept.Rows) != d.X.Rows:
		return fmt.Errorf("%d rows of kept columns (Kept) for %d rows", len(d.Kept.Rows), d.X.Rows)
	}
	if d.Kept != nil {
		for i, row := range d.Kept.Rows {
			if len(row) != len(d.Kept.Columns) {
				return fmt.Errorf("kept row %d has %d cells for %d kept columns", i, len(row), len(d.Kept.Columns))
			}
		}
	}
	if d.Labels != nil && d.Classes > MaxClasses {
		return fmt.Errorf("%d classes (the Classes field): at most %d (a count, and a network output, are kept for each)", d.Classes, MaxClasses)
	}
	for i, y := range d.Labels {
		if y < 0 || y >= d.Classes {
			return &labelError{row: i, label: y, classes: d.Classes}
		}
	}
	return nil
}

// MaxClasses is the most classes a Dataset's labels may index: more
// than any table of examples names, few enough that an array of a count
// for each class is small (8 MiB).
const MaxClasses = 1 << 20

// ErrLabelOutsideClasses is what Check's error for a label outside
// [0, Classes) matches (errors.Is), for a caller that checks labels
// against classes of its own (a model's).
var ErrLabelOutsideClasses = errors.New("a label outside [0, Classes)")

type labelError struct{ row, label, classes int }

func (e *labelError) Error() string {
	if e.classes <= 0 {
		return fmt.Sprintf("row %d has label %d, and Classes is %d: set Classes to the number of classes the labels index", e.row, e.label, e.classes)
	}
	return fmt.Sprintf("row %d has label %d; want 0 to %d (Classes %d)", e.row, e.label, e.classes-1, e.classes)
}

func (e *labelError) Is(target error) bool { return target == ErrLabelOutsideClasses }

// ClassName is class k's name: ClassNames[k], or k where there is none
// (a nil Dataset's, a negative k's).
func (d *Dataset) ClassName(k int) string {
	if d != nil && k >= 0 && k < len(d.ClassNames) {
		return d.ClassNames[k]
	}
	return fmt.Sprint(k)
}

// InClasses returns d with its labels as indices into classes (a model's
// class names), matched by name: classes its rows lack are empty, and a
// label of d that is none of classes is a *ClassError. The features and
// the other describing fields are shared with d.
func (d *Dataset) InClasses(classes []string) (*Dataset, error) {
	if d == nil || d.Labels == nil {
		return nil, errors.New("InClasses of a set without class labels")
	}
	if err := d.Check(); err != nil {
		return nil, err
	}
	index := make(map[string]int, len(classes))
	for k, name := range classes {
		if _, twice := index[name]; twice {
			return nil, fmt.Errorf("InClasses: the classes name %s twice", quote.Short(name))
		}
		index[name] = k
	}
	to := make([]int, d.Classes)
	for k := range to {
		var ok bool
		if to[k], ok = index[d.ClassName(k)]; !ok {
			return nil, &ClassError{Label: d.ClassName(k), Classes: classes}
		}
	}
	out := *d
	out.Labels = make([]int, len(d.Labels))
	for i, y := range d.Labels {
		out.Labels[i] = to[y]
	}
	out.Classes, out.ClassNames = len(classes), slices.Clone(classes)
	return &out, nil
}

// A ClassError is InClasses' error for a label that is none of the
// classes given.
type ClassError struct {
	Label   string
	Classes []string
}

func (e *ClassError) Error() string {
	return fmt.Sprintf("the label %s is none of the classes %s", quote.Short(e.Label), quote.ShortList(e.Classes))
}

// Regression reports whether the targets are values rather than classes
// (false for a nil Dataset).
func (d *Dataset) Regression() bool { return d != nil && d.Values != nil }

// Rows returns a new dataset of the given rows, in that order, sharing the
// descriptive fields. ds.Rows(rng.Perm(ds.Len())) shuffles ds (a
// generated set comes class by class). It panics, naming the row, where a
// row is outside [0, Len), or on a nil d.
func (d *Dataset) Rows(rows []int) *Dataset {
	if d == nil {
		panic("data: Rows of a nil set")
	}
	for _, r := range rows {
		if r < 0 || r >= d.Len() {
			panic(fmt.Sprintf("data: Rows: row %d of a set of %d rows", r, d.Len()))
		}
	}
	sub := *d
	sub.X = GatherRows(nil, d.X, rows)
	sub.Kept = d.Kept.rows(rows)
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
// round(frac·Len) rows as validation data, in file order; frac is taken
// as 0 below 0 (or NaN) and as 1 above 1. The parts are views: they share
// d's storage (disjoint rows of it), so a split costs no memory, and
// changing a part's rows changes d's. Rows in class order (the spiral
// Generate makes) hold out the last classes alone: shuffle them first
// (Rows). A nil d gives two nil parts.
func (d *Dataset) SplitTail(frac float64) (trainPart, valPart *Dataset) {
	if d == nil {
		return nil, nil
	}
	if !(frac > 0) {
		frac = 0
	}
	nVal := int(min(frac, 1)*float64(d.Len()) + 0.5)
	nTrain := d.Len() - nVal
	return d.Slice(0, nTrain), d.Slice(nTrain, d.Len())
}

// Slice returns rows [from, to) of d as a view: a dataset that shares d's
// storage and describing fields, and cannot grow into the rows after it.
// It panics, naming the bounds, unless 0 <= from <= to <= Len, and on a
// nil d.
func (d *Dataset) Slice(from, to int) *Dataset {
	if d == nil {
		panic("data: Slice of a nil set")
	}
	if from < 0 || from > to || to > d.Len() {
		panic(fmt.Sprintf("data: Slice(%d, %d) of a set of %d rows", from, to, d.Len()))
	}
	sub := *d
	sub.X = d.X.RowsView(from, to)
	sub.Kept = d.Kept.slice(from, to)
	sub.Values = d.Values.RowsView(from, to)
	if d.Labels != nil {
		sub.Labels = d.Labels[from:to:to]
	}
	return &sub
}

// GatherRows copies the given rows of src into dst, reshaped to fit, and
// returns dst (a new matrix when dst is nil). It panics, naming the row,
// where a row is outside [0, src.Rows), before it changes dst, on a nil
// src, and on a dst that shares src's storage (tensor.Share: its rows
// would be overwritten as they are gathered).
func GatherRows(dst, src *tensor.Matrix, rows []int) *tensor.Matrix {
	if src == nil {
		panic("data: GatherRows from a nil matrix")
	}
	if tensor.Share(dst, src) {
		panic("data: GatherRows into a matrix that shares src's storage; gather into one of its own")
	}
	for _, r := range rows {
		if r < 0 || r >= src.Rows {
			panic(fmt.Sprintf("data: GatherRows: row %d of a matrix of %d rows", r, src.Rows))
		}
	}
	dst = dst.Reshape(len(rows), src.Cols)
	for i, r := range rows {
		copy(dst.Row(i), src.Row(r))
	}
	return dst
}
