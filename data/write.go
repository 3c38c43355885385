package data

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/wigglenn/wiggle/internal/nilio"
)

// WriteCSV writes ds as a table: a header of the feature names and the
// target's (none for a dataset of features only), then one row per
// example. Numbers are written so that they read back as the same
// float32; class labels as their names (their indices where ds has no
// names at all). An inconsistent ds (see Dataset.Check) is an error,
// before anything is written; so are names for some classes but not all
// (an index written for the others could read back as a named class) and
// target values of more than one column (the table has one target).
func WriteCSV(w io.Writer, ds *Dataset) error {
	if w == nil {
		return nilio.ErrNoWriter
	}
	if err := ds.Check(); err != nil {
		return err
	}
	switch {
	case ds.Labels != nil && ds.ClassNames != nil && len(ds.ClassNames) < ds.Classes:
		return fmt.Errorf("names for %d classes of %d; name them all, or none", len(ds.ClassNames), ds.Classes)
	case ds.Values != nil && ds.Values.Cols != 1:
		return fmt.Errorf("target values of %d columns; a table has one target column", ds.Values.Cols)
	}
	hasTarget := ds.Labels != nil || ds.Values != nil
	var header []string
	for j := range ds.X.Cols {
		header = append(header, columnName(ds, j))
	}
	if hasTarget {
		header = append(header, ds.Target)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	rec := make([]string, len(header))
	for i := range ds.Len() {
		for j, v := range ds.X.Row(i) {
			rec[j] = formatFloat32(v)
		}
		switch {
		case ds.Regression():
			rec[len(rec)-1] = formatFloat32(ds.Values.Data[i])
		case hasTarget:
			rec[len(rec)-1] = ds.ClassName(ds.Labels[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// formatFloat32 writes the shortest text that reads back as v's bits: −0
// as "-0", so that a set written and read again has the same Fingerprint
// (a spiral's first point is −0 in one of its coordinates).
func formatFloat32(v float32) string {
	return strconv.FormatFloat(float64(v), 'g', -1, 32)
}
