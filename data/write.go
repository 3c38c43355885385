package data

import (
	"encoding/csv"
	"io"
	"strconv"
)

// WriteCSV writes ds as a table: a header of the feature names and the
// target's (none for a dataset of features only), then one row per
// example. Numbers are written so that they read back as the same
// float32; class labels as their names (their indices where ds has no
// names for them). An inconsistent ds (see Dataset.Check) is an error,
// before anything is written.
func WriteCSV(w io.Writer, ds *Dataset) error {
	if err := ds.Check(); err != nil {
		return err
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
			rec[len(rec)-1] = formatFloat32(ds.Values.Data[i*ds.Values.Cols])
		case hasTarget:
			rec[len(rec)-1] = ds.className(ds.Labels[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// formatFloat32 writes the shortest text that reads back as v; −0 as 0.
func formatFloat32(v float32) string {
	if v == 0 {
		return "0"
	}
	return strconv.FormatFloat(float64(v), 'g', -1, 32)
}
