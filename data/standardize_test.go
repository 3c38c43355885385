package data

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/wigglenn/wiggle/tensor"
)

// TestFitStandardizerMatchesColumnPasses holds FitStandardizer, which
// reads the rows where they lie, to a pass down each column in float64,
// bit for bit, on columns of different scales, a constant one among them,
// and one whose sum depends on the order of its rows (orderedColumn).
func TestFitStandardizerMatchesColumnPasses(t *testing.T) {
	x := testColumns(301, 37)
	got := FitStandardizer(x)
	for j := range x.Cols {
		mean, _, _ := passDown(x, j)
		var sq float64
		for i := range x.Rows {
			d := float64(x.At(i, j)) - mean
			sq += d * d
		}
		std := math.Sqrt(sq / float64(x.Rows))
		if std < 0x1p-126 {
			std = 1
		}
		if got.Mean[j] != float32(mean) || got.Std[j] != float32(std) {
			t.Errorf("column %d: mean %v, std %v; a pass down the column gives %v, %v", j, got.Mean[j], got.Std[j], float32(mean), float32(std))
		}
	}
	if got.Std[5] != 1 {
		t.Errorf("a constant column's std %v, want 1", got.Std[5])
	}
}

// orderedColumn is the column of testColumns whose float64 sum depends on
// the order of its rows: 2⁵³, then ones, then −2⁵³ sums to 0 in that order
// (each one is lost against 2⁵³) and to the count of ones backwards.
const orderedColumn = 7

// testColumns returns rows×cols values of different scales by column,
// column 5 constant and orderedColumn's sum sensitive to its order.
func testColumns(rows, cols int) *tensor.Matrix {
	rng := rand.New(rand.NewPCG(7, 7))
	x := tensor.New(rows, cols)
	for i := range x.Rows {
		row := x.Row(i)
		for j := range row {
			row[j] = float32(rng.NormFloat64()*float64(j*j+1) + float64(j))
		}
		row[5] = 2.5
		row[orderedColumn] = 1
	}
	x.Row(0)[orderedColumn], x.Row(rows - 1)[orderedColumn] = 1<<53, -(1 << 53)
	return x
}

// passDown returns column j's mean, minimum and maximum, taken down the
// column in float64.
func passDown(x *tensor.Matrix, j int) (mean, lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	var sum float64
	for i := range x.Rows {
		v := float64(x.At(i, j))
		lo, hi = math.Min(lo, v), math.Max(hi, v)
		sum += v
	}
	return sum / float64(x.Rows), lo, hi
}

// TestStandardizerOfATinySpread: a column whose deviation lies below
// float32's normal numbers gets Std 1, as a constant one does, so that
// Apply divides by neither 0 nor a subnormal; and Apply panics with a
// *tensor.ShapeError on columns other than its own.
func TestStandardizerOfATinySpread(t *testing.T) {
	x := tensor.FromRows([][]float32{{0, 1}, {math.SmallestNonzeroFloat32, 3}})
	s := FitStandardizer(x)
	if s.Std[0] != 1 || s.Std[1] != 1 {
		t.Errorf("Std %v, want [1 1]", s.Std)
	}
	s.Apply(x)
	for _, v := range x.Data {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			t.Fatalf("Apply gave %v", x.Data)
		}
	}
	// A difference past float32's range, a quotient within it: the float64
	// value rounded once. An infinite value stays infinite.
	far := &Standardizer{Mean: []float32{-3e38, -3e38}, Std: []float32{4, 4}}
	x = tensor.FromRows([][]float32{{3e38, float32(math.Inf(1))}})
	far.Apply(x)
	if want := float32((3e38 + 3e38) / 4.0); x.Data[0] != want || !math.IsInf(float64(x.Data[1]), 1) {
		t.Errorf("Apply near MaxFloat32 gave %v, want [%v +Inf]", x.Data, want)
	}
	defer func() {
		if _, ok := recover().(*tensor.ShapeError); !ok {
			t.Error("Apply to 3 columns with 2 means: no *tensor.ShapeError")
		}
	}()
	s.Apply(tensor.New(1, 3))
}

// TestNilStandardizerLeavesRows: a nil Standardizer's Apply leaves the
// rows as they are (a model without one), where it panicked.
func TestNilStandardizerLeavesRows(t *testing.T) {
	x := tensor.FromRows([][]float32{{1, 2}, {3, 4}})
	var s *Standardizer
	s.Apply(x)
	if x.Data[0] != 1 || x.Data[3] != 4 {
		t.Errorf("a nil Standardizer changed the rows: %v", x.Data)
	}
}
