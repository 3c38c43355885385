package data

// The features' buffer of a CSV read: sized once from the counted lines,
// or watched as it grows, against CSVOptions.MaxBytes.

import (
	"fmt"
	"math"
	"slices"

	"github.com/wigglenn/wiggle/internal/hugepages"
)

// reserve sizes the buffers for every line of the file, so that appending
// never copies them, or refuses a table larger than MaxBytes. It runs
// before the first row is read; the features' buffer comes from
// hugepages, as tensor.New's do.
func (t *tableReader) reserve() error {
	rows := min(max(t.lines-1, 0), min(1<<31, math.MaxInt)/max(len(t.cols.features), 1)) // the lines but the header
	if err := t.checkSize(rows); err != nil {
		return err
	}
	t.x = hugepages.Floats(rows * len(t.cols.features))[:0]
	if t.opt.Regression {
		t.values = slices.Grow(t.values, rows)
	} else {
		t.labels.rows = slices.Grow(t.labels.rows, rows)
	}
	return nil
}

// checkGrowth refuses, where the lines could not be counted (a stream), a
// table whose buffer would grow past MaxBytes: a row about to
// make append grow its features' buffer, when three times the rows read so
// far pass it (a grown buffer is a copy, made while the old one, and the
// garbage of those before, still take room).
func (t *tableReader) checkGrowth() error {
	if t.lines > 0 || len(t.x)+len(t.cols.features) <= cap(t.x) {
		return nil
	}
	return t.checkSize(3 * (len(t.x)/max(len(t.cols.features), 1) + 1))
}

// checkSize refuses a buffer for rows of the table that takes more than
// MaxBytes: 4 bytes a feature, and a target's 4.
func (t *tableReader) checkSize(rows int) error {
	columns := len(t.cols.features)
	if t.cols.target >= 0 {
		columns++
	}
	need := 4 * float64(rows) * float64(columns)
	if t.opt.MaxBytes > 0 && need > t.opt.MaxBytes {
		return fmt.Errorf(": %w", &TableSizeError{Rows: rows, Columns: columns, Bytes: need, Max: t.opt.MaxBytes})
	}
	return nil
}
