package data

import (
	"slices"
	"strings"
	"testing"
)

// TestFromRows: rows become a dataset, copied; each kind of rows that
// cannot be one is an error that says what is wrong, never a panic.
func TestFromRows(t *testing.T) {
	x, labels := [][]float32{{1, 2}, {3, 4}, {5, 6}}, []int{0, 2, 1}
	ds, err := FromRows(x, labels, 3)
	if err != nil {
		t.Fatal(err)
	}
	x[0][0], labels[0] = 9, 2
	if ds.Len() != 3 || ds.X.Cols != 2 || ds.X.At(0, 0) != 1 || !slices.Equal(ds.Labels, []int{0, 2, 1}) || ds.Classes != 3 {
		t.Errorf("FromRows gave %d rows of %d, X[0][0] %v, labels %v, classes %d; want the rows as given, copied", ds.Len(), ds.X.Cols, ds.X.At(0, 0), ds.Labels, ds.Classes)
	}
	for _, c := range []struct {
		x       [][]float32
		labels  []int
		classes int
		want    string
	}{
		{nil, nil, 2, "no rows"},
		{[][]float32{{}}, []int{0}, 2, "row 0 has no values"},
		{[][]float32{{1, 2}, {3}}, []int{0, 1}, 2, "row 1 has 1 values, row 0 has 2"},
		{[][]float32{{1}, {2}}, []int{0}, 2, "1 labels for 2 rows"},
		{[][]float32{{1}, {2}}, []int{0, 2}, 2, "row 1 has label 2; want 0 to 1"},
		{[][]float32{{1}, {2}}, []int{0, 0}, 0, "classes 0: want 1 or more"},
		{[][]float32{{1}, {2}}, []int{0, 1}, MaxClasses + 1, "1048577 classes (the Classes field): at most 1048576"},
	} {
		if _, err := FromRows(c.x, c.labels, c.classes); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("FromRows(%v, %v, %d): %v; want %q", c.x, c.labels, c.classes, err, c.want)
		}
	}
}

// TestFromValues: rows and their target values become a regression
// dataset; values of unequal rows, or not one row a row, are errors.
func TestFromValues(t *testing.T) {
	ds, err := FromValues([][]float32{{1, 2}, {3, 4}}, [][]float32{{0.5}, {1.5}})
	if err != nil || !ds.Regression() || ds.Values.At(1, 0) != 1.5 || ds.Check() != nil {
		t.Fatalf("FromValues: %v, %+v", err, ds)
	}
	for _, c := range []struct {
		values [][]float32
		want   string
	}{
		{[][]float32{{0.5}}, "1 rows of target values for 2 rows"},
		{[][]float32{{0.5}, {1, 2}}, "target values: row 1 has 2 values, row 0 has 1"},
	} {
		if _, err := FromValues([][]float32{{1, 2}, {3, 4}}, c.values); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("FromValues(%v): %v; want %q", c.values, err, c.want)
		}
	}
}
