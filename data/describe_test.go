package data

import (
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/wigglenn/wiggle/tensor"
)

// TestDescribe checks each feature's minimum, mean, maximum and
// population std (the root mean square about the mean), taken down its
// column, and the classes' counts in class order.
func TestDescribe(t *testing.T) {
	sq := func(x float64) float64 { return x * x }
	mb := 0.5 / 3 // b's mean
	ds, err := ReadCSV(writeFile(t, "a,b,y\n1,-5,cat\n3,5,dog\n-4,0.5,cat\n"), CSVOptions{Target: "y"})
	if err != nil {
		t.Fatal(err)
	}
	want := Description{
		Rows:   3,
		Target: "y",
		Features: []FeatureStats{
			{Name: "a", Min: -4, Mean: 0, Max: 3, Std: math.Sqrt(26.0 / 3)},
			{Name: "b", Min: -5, Mean: mb, Max: 5, Std: math.Sqrt((sq(-5-mb) + sq(5-mb) + sq(0.5-mb)) / 3)},
		},
		Classes: []ClassCount{{Label: "cat", Count: 2}, {Label: "dog", Count: 1}},
	}
	if got, err := Describe(ds); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Describe:\n got %+v\nwant %+v", got, want)
	}
	// A regression set: its target's values measured as the features are.
	ds, err = ReadCSV(writeFile(t, "a,price\n1,2.5\n3,-0.5\n-4,1\n"), CSVOptions{Target: "price", Regression: true})
	if err != nil {
		t.Fatal(err)
	}
	want = Description{Rows: 3, Target: "price",
		Features: []FeatureStats{{Name: "a", Min: -4, Mean: 0, Max: 3, Std: math.Sqrt(26.0 / 3)}},
		Values:   []FeatureStats{{Name: "price", Min: -0.5, Mean: 1, Max: 2.5, Std: math.Sqrt(1.5)}},
	}
	if got, err := Describe(ds); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Describe of a regression set:\n got %+v\nwant %+v", got, want)
	}
}

// TestDescribeMatchesColumnPasses holds Describe, which reads the rows
// where they lie, to a pass down each column, bit for bit, with a column
// whose sum depends on the order of its rows (testColumns).
func TestDescribeMatchesColumnPasses(t *testing.T) {
	x := testColumns(301, 37)
	d, err := Describe(&Dataset{X: x, Labels: make([]int, x.Rows), Classes: 2})
	if err != nil {
		t.Fatal(err)
	}
	for j, st := range d.Features {
		mean, lo, hi := passDown(x, j)
		if st.Mean != mean || st.Min != lo || st.Max != hi {
			t.Errorf("column %d: min %v, mean %v, max %v; a pass down the column gives %v, %v, %v", j, st.Min, st.Mean, st.Max, lo, mean, hi)
		}
	}
	if want := []ClassCount{{"0", 301}, {"1", 0}}; !reflect.DeepEqual(d.Classes, want) {
		t.Errorf("classes %+v, want %+v", d.Classes, want)
	}
}

// TestClassCounts counts each class's rows, 0 for a class without any,
// and nothing for a set without labels.
func TestClassCounts(t *testing.T) {
	ds := &Dataset{X: tensor.New(5, 1), Labels: []int{2, 0, 2, 2, 0}, Classes: 4}
	if got := ds.ClassCounts(); !slices.Equal(got, []int{2, 0, 3, 0}) {
		t.Errorf("ClassCounts = %v, want [2 0 3 0]", got)
	}
	if got := (&Dataset{X: tensor.New(2, 1), Values: tensor.New(2, 1)}).ClassCounts(); got != nil {
		t.Errorf("a regression set's ClassCounts = %v, want nil", got)
	}
}
