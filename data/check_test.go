package data

import (
	"bytes"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/tensor"
)

// TestCheckNamesWhatIsInconsistent: each inconsistent dataset is an error
// naming what is wrong, and WriteCSV and Describe refuse it rather than
// panic; a consistent one, features only included, passes.
func TestCheckNamesWhatIsInconsistent(t *testing.T) {
	x := tensor.New(2, 3)
	for _, c := range []struct {
		name string
		ds   *Dataset
		want string // "" for consistent
	}{
		{"nil", nil, "no data"},
		{"no X", &Dataset{}, "no data"},
		{"X too short", &Dataset{X: &tensor.Matrix{Rows: 2, Cols: 3, Data: make([]float32, 5)}}, "a 2×3 matrix holds 5 numbers"},
		{"negative rows", &Dataset{X: &tensor.Matrix{Rows: -1, Cols: 0}}, "a -1×0 matrix holds 0 numbers"},
		{"rows past int", &Dataset{X: &tensor.Matrix{Rows: 1<<(strconv.IntSize-2) + 1, Cols: 4, Data: make([]float32, 4)}}, "holds 4 numbers"},
		{"labels and values", &Dataset{X: x, Labels: []int{0, 1}, Classes: 2, Values: tensor.New(2, 1)}, "both class labels and target values"},
		{"values too short", &Dataset{X: x, Values: &tensor.Matrix{Rows: 2, Cols: 3}}, "the target values (Values): a 2×3 matrix holds 0 numbers"},
		{"values of other rows", &Dataset{X: x, Values: tensor.New(3, 1)}, "3 rows of target values for 2 rows of features"},
		{"a label short", &Dataset{X: x, Labels: []int{0}, Classes: 2}, "1 labels for 2 rows"},
		{"a label too large", &Dataset{X: x, Labels: []int{0, 2}, Classes: 2}, "row 1 has label 2; want 0 to 1"},
		{"labels without Classes", &Dataset{X: x, Labels: []int{0, 1}}, "row 0 has label 0, and Classes is 0: set Classes to the number of classes the labels index"},
		{"a negative label", &Dataset{X: x, Labels: []int{-1, 0}, Classes: 2}, "row 0 has label -1"},
		{"classes past MaxClasses", &Dataset{X: x, Labels: []int{0, 1}, Classes: MaxClasses + 1}, "1048577 classes (the Classes field): at most 1048576"},
		{"labels", &Dataset{X: x, Labels: []int{0, 1}, Classes: 2}, ""},
		{"values", &Dataset{X: x, Values: tensor.New(2, 1)}, ""},
		{"features only", &Dataset{X: x}, ""},
	} {
		err := c.ds.Check()
		if c.want == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
		if label := strings.Contains(c.name, "label") && strings.Contains(c.want, "has label"); label != errors.Is(err, ErrLabelOutsideClasses) {
			t.Errorf("%s: errors.Is(%v, ErrLabelOutsideClasses) is %v", c.name, err, !label)
		}
		if werr := WriteCSV(&bytes.Buffer{}, c.ds); werr == nil || werr.Error() != err.Error() {
			t.Errorf("%s: WriteCSV: %v, want Check's error", c.name, werr)
		}
		if _, derr := Describe(c.ds); derr == nil || derr.Error() != err.Error() {
			t.Errorf("%s: Describe: %v, want Check's error", c.name, derr)
		}
		if counts := c.ds.ClassCounts(); counts != nil {
			t.Errorf("%s: ClassCounts %v, want nil for an inconsistent set", c.name, counts)
		}
	}
	if n := (*Dataset)(nil).Len() + (&Dataset{}).Len(); n != 0 {
		t.Errorf("Len of nil datasets: %d", n)
	}
	var none *Dataset
	named := &Dataset{X: x, Labels: []int{0, 1}, Classes: 2, ClassNames: []string{"a", "b"}}
	if none.Regression() || none.ClassName(1) != "1" || named.ClassName(-1) != "-1" || named.ClassName(1) != "b" || named.ClassName(2) != "2" {
		t.Errorf("a nil set: Regression %v, ClassName(1) %q; a named one's ClassName(-1), (1), (2): %q, %q, %q; want false, 1, -1, b, 2",
			none.Regression(), none.ClassName(1), named.ClassName(-1), named.ClassName(1), named.ClassName(2))
	}
}

// TestWriteCSVOfFeaturesOnlyAndUnnamedClasses: a dataset without a target
// is written without a target column, and classes without names by
// their indices; names for some classes only, and target values of two
// columns, are errors.
func TestWriteCSVOfFeaturesOnlyAndUnnamedClasses(t *testing.T) {
	x := &tensor.Matrix{Rows: 2, Cols: 2, Data: []float32{1, 2.5, -3, 4}}
	for _, c := range []struct {
		name string
		ds   *Dataset
		want string
	}{
		{"features only", &Dataset{X: x, Features: []string{"a"}}, "a,x1\n1,2.5\n-3,4\n"},
		{"unnamed classes", &Dataset{X: x, Labels: []int{2, 0}, Classes: 3, Target: "y"}, "x0,x1,y\n1,2.5,2\n-3,4,0\n"},
	} {
		var out bytes.Buffer
		if err := WriteCSV(&out, c.ds); err != nil || out.String() != c.want {
			t.Errorf("%s: %v, %q; want %q", c.name, err, out.String(), c.want)
		}
	}
	for _, c := range []struct {
		name string
		ds   *Dataset
		want string
	}{
		{"some classes named", &Dataset{X: x, Labels: []int{2, 0}, Classes: 3, ClassNames: []string{"2"}}, "names for 1 classes of 3"},
		{"two target columns", &Dataset{X: x, Values: tensor.New(2, 2)}, "target values of 2 columns"},
	} {
		var out bytes.Buffer
		if err := WriteCSV(&out, c.ds); err == nil || !strings.Contains(err.Error(), c.want) || out.Len() != 0 {
			t.Errorf("%s: %v, wrote %q; want %q and nothing written", c.name, err, out.String(), c.want)
		}
	}
}

// TestSplitTailClampsItsFraction: fractions below 0 (and NaN) hold out no
// rows, above 1 every row.
func TestSplitTailClampsItsFraction(t *testing.T) {
	ds := &Dataset{X: tensor.New(10, 1), Labels: make([]int, 10), Classes: 1}
	for _, c := range []struct {
		frac   float64
		nTrain int
		nVal   int
	}{{-0.5, 10, 0}, {math.NaN(), 10, 0}, {0.3, 7, 3}, {1.5, 0, 10}, {math.Inf(1), 0, 10}} {
		tr, val := ds.SplitTail(c.frac)
		if tr.Len() != c.nTrain || val.Len() != c.nVal || len(tr.Labels) != c.nTrain {
			t.Errorf("SplitTail(%v): %d and %d rows, want %d and %d", c.frac, tr.Len(), val.Len(), c.nTrain, c.nVal)
		}
	}
}

// TestImagesDatasetChecksItsSizes: data shorter or longer than the
// dimensions declare, dimensions below 1, nil files, no classes and more
// than a label byte can name are errors, not zeros filled in, a panic or
// a list of class names no label reaches.
func TestImagesDatasetChecksItsSizes(t *testing.T) {
	labels := &IDX{Dims: []int{2}, Data: []byte{0, 1}}
	for _, c := range []struct {
		name           string
		images, labels *IDX
		classes        int
		want           string
	}{
		{"images short", &IDX{Dims: []int{2, 2, 2}, Data: make([]byte, 7)}, labels, 2, "hold 7 bytes"},
		{"labels short", &IDX{Dims: []int{2, 2, 2}, Data: make([]byte, 8)}, &IDX{Dims: []int{2}, Data: []byte{0}}, 2, "hold 1"},
		{"negative dims", &IDX{Dims: []int{2, -2, -4}, Data: make([]byte, 8)}, labels, 2, "want each from 1"},
		{"nil images", nil, labels, 2, "missing"},
		{"no classes", &IDX{Dims: []int{2, 2, 2}, Data: make([]byte, 8)}, labels, 0, "0 classes"},
		{"more classes than a byte tells", &IDX{Dims: []int{2, 2, 2}, Data: make([]byte, 8)}, labels, 257, "want 1 to 256"},
	} {
		if _, err := ImagesDataset(c.images, c.labels, c.classes); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	if ds, err := ImagesDataset(&IDX{Dims: []int{2, 2, 2}, Data: make([]byte, 8)}, labels, 256); err != nil || ds.Classes != 256 {
		t.Errorf("256 classes, as many as a byte tells: %v", err)
	}
	if ds, err := ImagesDataset(&IDX{Dims: []int{2, 2, 2}, Data: make([]byte, 8)}, labels, 2); err != nil || ds.Len() != 2 {
		t.Errorf("a consistent pair: %v", err)
	}
}

// TestGenerateNeedsASource: no random source is an error, not a panic.
func TestGenerateNeedsASource(t *testing.T) {
	if _, err := Generate(SyntheticSpec{Name: "spiral"}, nil); err == nil || !strings.Contains(err.Error(), "rng is nil") {
		t.Errorf("Generate(spiral, nil): %v", err)
	}
}
