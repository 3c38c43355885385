package data

import (
	"encoding/csv"
	"io"
	"strconv"
)

// WriteCSV writes ds as a table: a header of the feature names and the
// target's, then one row per example. Numbers are written so that they read
// back as the same float32; class labels as their names.
func WriteCSV(w io.Writer, ds *Dataset) error {
	cw := csv.NewWriter(w)
	header := append(append([]string{}, ds.Features...), ds.Target)
	if err := cw.Write(header); err != nil {
		return err
	}
	rec := make([]string, len(header))
	for i := range ds.Len() {
		for j, v := range ds.X.Row(i) {
			rec[j] = formatFloat32(v)
		}
		if ds.Regression() {
			rec[len(rec)-1] = formatFloat32(ds.Values.Data[i])
		} else {
			rec[len(rec)-1] = ds.ClassNames[ds.Labels[i]]
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
