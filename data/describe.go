package data

import (
	"fmt"
	"math"

	"github.com/wigglenn/wiggle/tensor"
)

// Description sums up a dataset: its size, the balance of its classes and
// the range of each feature.
type Description struct {
	Rows     int            `json:"rows"`
	Features []FeatureStats `json:"features"`
	Target   string         `json:"target,omitempty"`
	// Classes lists each class with its count, in class order; nil for
	// regression.
	Classes []ClassCount `json:"classes,omitempty"`
	// Values measures each target column of a regression set, as Features
	// the features; nil for classes.
	Values []FeatureStats `json:"values,omitempty"`
}

// FeatureStats is one column's minimum, mean, maximum and (population)
// standard deviation.
type FeatureStats struct {
	Name string  `json:"name"`
	Min  float64 `json:"min"`
	Mean float64 `json:"mean"`
	Max  float64 `json:"max"`
	Std  float64 `json:"std"`
}

// ClassCount is how many rows a class has.
type ClassCount struct {
	Label string `json:"label"`
	Count int    `json:"count"`
}

// Describe measures ds, or says what makes it inconsistent (see
// Dataset.Check). With no rows, each feature's (and target value's) Min is
// +Inf, its Max −Inf and its Mean 0.
func Describe(ds *Dataset) (Description, error) {
	if err := ds.Check(); err != nil {
		return Description{}, err
	}
	d := Description{Rows: ds.Len(), Target: ds.Target}
	d.Features = columnStats(ds.X, func(j int) string { return columnName(ds, j) })
	if ds.Regression() {
		d.Values = columnStats(ds.Values, func(j int) string {
			if ds.Values.Cols == 1 && ds.Target != "" {
				return ds.Target
			}
			return fmt.Sprintf("y%d", j)
		})
		return d, nil
	}
	for k, n := range ds.ClassCounts() {
		d.Classes = append(d.Classes, ClassCount{Label: ds.ClassName(k), Count: n})
	}
	return d, nil
}

// columnStats measures each column of m, named by name.
func columnStats(m *tensor.Matrix, name func(j int) string) []FeatureStats {
	stats := make([]FeatureStats, m.Cols)
	for j := range stats {
		stats[j] = FeatureStats{Name: name(j), Min: math.Inf(1), Max: math.Inf(-1)}
	}
	sums := make([]float64, m.Cols)
	for i := range m.Rows { // row by row, where they lie: each column still in order of its rows
		for j, x := range m.Row(i) {
			st, v := &stats[j], float64(x)
			st.Min, st.Max = math.Min(st.Min, v), math.Max(st.Max, v)
			sums[j] += v
		}
	}
	for j, sum := range sums {
		stats[j].Mean = sum / float64(max(m.Rows, 1))
	}
	squares := make([]float64, m.Cols) // about the mean, a second pass: the difference of two large sums would lose the spread of 10000 ± 1
	for i := range m.Rows {
		for j, x := range m.Row(i) {
			d := float64(x) - stats[j].Mean
			squares[j] += d * d
		}
	}
	for j, sq := range squares {
		stats[j].Std = math.Sqrt(sq / float64(max(m.Rows, 1)))
	}
	return stats
}

func columnName(ds *Dataset, j int) string {
	if j < len(ds.Features) {
		return ds.Features[j]
	}
	return fmt.Sprintf("x%d", j)
}
