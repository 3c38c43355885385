package data

import (
	"errors"
	"fmt"

	"github.com/wigglenn/wiggle/tensor"
)

// FromRows makes a classification Dataset of rows of features, each with
// its class label in [0, classes), copying them: a caller's rows (a
// request's, say) checked, where tensor.FromRows panics on rows of unequal
// length. It returns an error for no rows, rows of unequal length or of no
// features, a label count other than the rows', classes below 1, or a
// label outside [0, classes). Values are not checked for being finite:
// train.Fit and model's Evaluate say where one is not.
func FromRows(x [][]float32, labels []int, classes int) (*Dataset, error) {
	m, err := rowsMatrix(x)
	if err != nil {
		return nil, err
	}
	switch {
	case classes < 1:
		return nil, fmt.Errorf("classes %d: want 1 or more", classes)
	case len(labels) != len(x):
		return nil, fmt.Errorf("%d labels for %d rows", len(labels), len(x))
	}
	ds := &Dataset{X: m, Labels: append([]int(nil), labels...), Classes: classes}
	if err := ds.Check(); err != nil {
		return nil, err
	}
	return ds, nil
}

// FromValues makes a regression Dataset of rows of features, each with
// its row of target values (one or more, as many for every row), copying
// them. Its errors are FromRows', for the values as for the features.
func FromValues(x, values [][]float32) (*Dataset, error) {
	m, err := rowsMatrix(x)
	if err != nil {
		return nil, err
	}
	if len(values) != len(x) {
		return nil, fmt.Errorf("%d rows of target values for %d rows of features", len(values), len(x))
	}
	v, err := rowsMatrix(values)
	if err != nil {
		return nil, fmt.Errorf("target values: %w", err)
	}
	return &Dataset{X: m, Values: v}, nil
}

// rowsMatrix copies equal rows of one or more numbers into a matrix.
func rowsMatrix(x [][]float32) (*tensor.Matrix, error) {
	if len(x) == 0 {
		return nil, errors.New("no rows")
	}
	width := len(x[0])
	if width == 0 {
		return nil, errors.New("row 0 has no values")
	}
	for i, row := range x {
		if len(row) != width {
			return nil, fmt.Errorf("row %d has %d values, row 0 has %d; want rows of one length", i, len(row), width)
		}
	}
	return tensor.FromRows(x), nil
}
