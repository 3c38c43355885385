package data

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func gen(t *testing.T, s SyntheticSpec, seed uint64) *Dataset {
	t.Helper()
	ds, err := Generate(s, rand.New(rand.NewPCG(seed, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func csvOf(t *testing.T, ds *Dataset) string {
	var b bytes.Buffer
	if err := WriteCSV(&b, ds); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestGeneratedSetsAreRepeatableAndBalanced(t *testing.T) {
	for _, name := range SyntheticNames() {
		s := SyntheticSpec{Name: name, N: 50, Noise: -1}
		a, b, c := csvOf(t, gen(t, s, 1)), csvOf(t, gen(t, s, 1)), csvOf(t, gen(t, s, 2))
		if a != b {
			t.Errorf("%s: the same seed gave different data", name)
		}
		if a == c {
			t.Errorf("%s: different seeds gave the same data", name)
		}
		ds := gen(t, s, 1)
		if ds.Regression() {
			if ds.Len() != 50 {
				t.Errorf("%s: %d rows, want 50", name, ds.Len())
			}
			continue
		}
		counts := make([]int, ds.Classes)
		for _, y := range ds.Labels {
			counts[y]++
		}
		for k, n := range counts {
			if n != 50 {
				t.Errorf("%s: class %d has %d points, want 50", name, k, n)
			}
		}
	}
}

func TestSpiralGeometry(t *testing.T) {
	d := gen(t, SyntheticSpec{Name: "spiral", N: 5, Classes: 2, Noise: 0}, 1)
	for c := range 2 {
		for i := range 5 {
			row := d.X.Row(c*5 + i)
			r := float64(i) / 4
			theta := 4*float64(c) + 4*r
			if math.Abs(float64(row[0])-r*math.Sin(theta)) > 1e-6 || math.Abs(float64(row[1])-r*math.Cos(theta)) > 1e-6 || d.Labels[c*5+i] != c {
				t.Errorf("arm %d point %d = %v, want radius %v at angle %v", c, i, row, r, theta)
			}
		}
	}
}

// TestSetsHaveTheirShape checks each set's defining property on noise-free
// data.
func TestSetsHaveTheirShape(t *testing.T) {
	check := func(name string, classes int, ok func(x0, x1 float64, label int) bool) {
		ds := gen(t, SyntheticSpec{Name: name, N: 200, Classes: classes, Noise: 0}, 3)
		for i := range ds.Len() {
			if x := ds.X.Row(i); !ok(float64(x[0]), float64(x[1]), ds.Labels[i]) {
				t.Errorf("%s: point %v of class %d is out of place", name, x, ds.Labels[i])
				return
			}
		}
	}
	check("xor", 0, func(a, b float64, y int) bool { return (a*b < 0) == (y == 1) })
	check("circles", 3, func(a, b float64, y int) bool { return math.Abs(math.Hypot(a, b)-float64(y+1)/3) < 1e-6 })
	check("blobs", 4, func(a, b float64, y int) bool {
		t := math.Pi / 2 * float64(y)
		return math.Hypot(a-2*math.Cos(t), b-2*math.Sin(t)) < 1e-6
	})
	check("moons", 0, func(a, b float64, y int) bool {
		if y == 1 {
			a, b = 1-a, 0.5-b
		}
		return math.Abs(math.Hypot(a, b)-1) < 1e-6 && b >= -1e-7
	})
	// linear: some line through the origin separates the classes with a margin.
	ds := gen(t, SyntheticSpec{Name: "linear", N: 200, Noise: -1}, 3)
	separated := false
	for k := range 3600 {
		th := 2 * math.Pi * float64(k) / 3600
		margin := math.Inf(1)
		for i := range ds.Len() {
			side := float64(ds.X.At(i, 0))*math.Cos(th) + float64(ds.X.At(i, 1))*math.Sin(th)
			if ds.Labels[i] == 0 {
				side = -side
			}
			margin = math.Min(margin, side)
		}
		separated = separated || margin > 0.09
	}
	if !separated {
		t.Error("linear: no line separates the classes with a margin")
	}
}

// TestRegressionSetsHaveTheirShape: noise-free, plane's value is
// (x0 + x1)/2; gaussians' has a bump of the centre's sign, near its
// height of 1, at each of the six centres of a 3×2 grid whose neighbours
// differ in sign, is odd through the origin and even in x0, and stays
// within ±1.05. Both sets' points lie in [−1, 1]².
func TestRegressionSetsHaveTheirShape(t *testing.T) {
	inSquare := func(name string, ds *Dataset) {
		for i := range ds.Len() {
			if x := ds.X.Row(i); math.Abs(float64(x[0])) > 1 || math.Abs(float64(x[1])) > 1 {
				t.Fatalf("%s: point %v outside [-1, 1]²", name, x)
			}
		}
	}
	plane := gen(t, SyntheticSpec{Name: "plane", N: 300, Noise: 0}, 3)
	inSquare("plane", plane)
	for i := range plane.Len() {
		x := plane.X.Row(i)
		if want := (float64(x[0]) + float64(x[1])) / 2; math.Abs(float64(plane.Values.Data[i])-want) > 1e-6 {
			t.Fatalf("plane: value %v at %v, want %v", plane.Values.Data[i], x, want)
		}
	}
	if plane.Target != "value" || plane.X.Cols != 2 || plane.Values.Cols != 1 {
		t.Errorf("plane: %d features, %d values, target %q; want 2, 1, value", plane.X.Cols, plane.Values.Cols, plane.Target)
	}

	g := gen(t, SyntheticSpec{Name: "gaussians", N: 2000, Noise: 0}, 3)
	inSquare("gaussians", g)
	for i := range g.Len() {
		x := g.X.Row(i)
		if v := float64(g.Values.Data[i]); math.Abs(v-bumpsAt(float64(x[0]), float64(x[1]))) > 1e-6 || math.Abs(v) > 1.05 {
			t.Fatalf("gaussians: value %v at %v; want bumpsAt's, within ±1.05", v, x)
		}
	}
	for k, c := range [][2]float64{{-2.0 / 3, 0.5}, {0, 0.5}, {2.0 / 3, 0.5}, {-2.0 / 3, -0.5}, {0, -0.5}, {2.0 / 3, -0.5}} {
		sign := 1.0
		if (k%3+k/3)%2 == 1 {
			sign = -1
		}
		if v := bumpsAt(c[0], c[1]); math.Abs(v-sign) > 0.08 { // its neighbours, of the other sign, take up to 0.06
			t.Errorf("gaussians: value %v at centre %v, want about %v", v, c, sign)
		}
	}
	for i := range 100 {
		a, b := float64(i%10)/5-0.9, float64(i/10)/5-0.9
		if v, odd, even := bumpsAt(a, b), bumpsAt(-a, -b), bumpsAt(-a, b); math.Abs(v+odd) > 1e-12 || math.Abs(v-even) > 1e-12 {
			t.Fatalf("gaussians at (%v, %v): %v, at its reflections %v through 0 and %v across x0 = 0; want -v and v", a, b, v, odd, even)
		}
	}
}

func TestGenerateRejects(t *testing.T) {
	cases := []struct {
		s    SyntheticSpec
		want string
	}{
		{SyntheticSpec{Name: "swirl"}, `unknown data set "swirl"`},
		{SyntheticSpec{Name: "xor", Classes: 3, Noise: -1}, "xor has 2 classes"},
		{SyntheticSpec{Name: "sine", Classes: 2, Noise: -1}, "sine is a regression set, without classes, not 2"},
		{SyntheticSpec{Name: "spiral", Classes: 1, Noise: -1}, "1 class;"},
		{SyntheticSpec{Name: "spiral", N: -5, Noise: -1}, "-5 points"},
		{SyntheticSpec{Name: "linear", Noise: 0.3}, "linear: noise 0.3; it takes none"},
		{SyntheticSpec{Name: "sine", Noise: math.Inf(1)}, "noise +Inf"},
		{SyntheticSpec{Name: "spiral", Noise: math.NaN()}, "noise NaN"},
		{SyntheticSpec{Name: "spiral", Noise: 1e308}, "noise 1e+308; want a number from 0 to 1,000,000"},     // rows of NaN if made
		{SyntheticSpec{Name: "spiral", N: 10_000_000, Classes: 1000, Noise: -1}, "10,000,000 points in all"}, // 80 GB if made
		{SyntheticSpec{Name: "spiral", N: 3_333_334, Classes: 3, Noise: -1}, "want 1 to 3,333,333 a class (10,000,000 points in all at most)"},
		{SyntheticSpec{Name: "sine", N: 10_000_001, Noise: -1}, "10000001 points; want 1 to 10,000,000"},
	}
	for _, c := range cases {
		if _, err := Generate(c.s, rand.New(rand.NewPCG(1, 1))); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an error saying %q", c.s, err, c.want)
		}
	}
}

func TestWriteCSVReadsBack(t *testing.T) {
	for _, name := range []string{"spiral", "sine", "gaussians"} {
		ds := gen(t, SyntheticSpec{Name: name, N: 30, Noise: -1}, 5)
		path := writeFile(t, csvOf(t, ds))
		back, err := ReadCSV(path, CSVOptions{Target: ds.Target, Regression: ds.Regression()})
		if err != nil {
			t.Fatal(err)
		}
		if csvOf(t, back) != csvOf(t, ds) {
			t.Errorf("%s: written and read back differs", name)
		}
	}
	// Names holding tabs and semicolons, which encoding/csv leaves
	// unquoted: the rows tell the separator (a name of two tabs had made
	// the table read back as one of tabs).
	ds := gen(t, SyntheticSpec{Name: "spiral", N: 10, Noise: -1}, 5)
	ds.Features = []string{"x\tnorth\twest", "y;up;z"}
	path := writeFile(t, csvOf(t, ds))
	back, err := ReadCSV(path, CSVOptions{Target: ds.Target})
	if err != nil {
		t.Fatalf("names of tabs and semicolons: %v", err)
	}
	if !slices.Equal(back.Features, ds.Features) || csvOf(t, back) != csvOf(t, ds) {
		t.Errorf("names of tabs and semicolons: features %q; want %q back", back.Features, ds.Features)
	}
}

// TestSplitTailSharesRows checks that the parts of a split are the
// dataset's rows, in order, as views: no copy, nothing lost or doubled.
func TestSplitTailSharesRows(t *testing.T) {
	ds := Spiral(10, 3, 0.2, rand.New(rand.NewPCG(1, 1)))
	trainPart, valPart := ds.SplitTail(0.2)
	if trainPart.Len() != 24 || valPart.Len() != 6 || trainPart.Classes != 3 {
		t.Fatalf("split of 30 rows at 0.2: %d and %d rows", trainPart.Len(), valPart.Len())
	}
	for i := range ds.Len() {
		part, r := trainPart, i
		if i >= 24 {
			part, r = valPart, i-24
		}
		if part.Labels[r] != ds.Labels[i] || &part.X.Row(r)[0] != &ds.X.Row(i)[0] {
			t.Errorf("row %d is not the dataset's own", i)
		}
	}
	first := valPart.Labels[0]
	trainPart.Labels = append(trainPart.Labels, first+1) // a part cannot grow into the other
	if valPart.Labels[0] != first {
		t.Error("appending to the training part overwrote the validation part")
	}
}
