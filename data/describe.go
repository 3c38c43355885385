package data

import (
	"fmt"
	"math"
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
}

// FeatureStats is one column's minimum, mean and maximum.
type FeatureStats struct {
	Name string  `json:"name"`
	Min  float64 `json:"min"`
	Mean float64 `json:"mean"`
	Max  float64 `json:"max"`
}

// ClassCount is how many rows a class has.
type ClassCount struct {
	Label string `json:"label"`
	Count int    `json:"count"`
}

// Describe measures ds.
func Describe(ds *Dataset) Description {
	d := Description{Rows: ds.Len(), Target: ds.Target}
	for j := range ds.X.Cols {
		st := FeatureStats{Name: columnName(ds, j), Min: math.Inf(1), Max: math.Inf(-1)}
		var sum float64
		for i := range ds.X.Rows {
			v := float64(ds.X.At(i, j))
			st.Min, st.Max = math.Min(st.Min, v), math.Max(st.Max, v)
			sum += v
		}
		st.Mean = sum / float64(max(ds.X.Rows, 1))
		d.Features = append(d.Features, st)
	}
	if ds.Regression() || ds.Labels == nil {
		return d
	}
	counts := make([]int, ds.Classes)
	for _, y := range ds.Labels {
		counts[y]++
	}
	for k, n := range counts {
		label := fmt.Sprint(k)
		if k < len(ds.ClassNames) {
			label = ds.ClassNames[k]
		}
		d.Classes = append(d.Classes, ClassCount{Label: label, Count: n})
	}
	return d
}

func columnName(ds *Dataset, j int) string {
	if j < len(ds.Features) {
		return ds.Features[j]
	}
	return fmt.Sprintf("x%d", j)
}
