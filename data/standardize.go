package data

import (
	"fmt"
	"math"

	"github.com/wigglenn/wiggle/tensor"
)

// Standardizer shifts and scales each feature column: x′ = (x − Mean)/Std.
// Fit it on the training rows only, then apply it to every set the model
// sees, including at prediction.
type Standardizer struct {
	Mean []float32 `json:"mean"`
	Std  []float32 `json:"std"`
}

// FitStandardizer measures the mean and the (population) standard deviation
// of each column of x. A constant column gets Std 1, so it maps to 0; so
// does a column whose deviation lies below float32's normal numbers, which
// would round to 0 or make a quotient overflow.
// It panics with a *tensor.ShapeError on an x that is nil or not whole
// (tensor.MustBeWhole).
//
//	x: [rows, features]
func FitStandardizer(x *tensor.Matrix) *Standardizer {
	tensor.MustBeWhole("FitStandardizer", x)
	s := &Standardizer{Mean: make([]float32, x.Cols), Std: make([]float32, x.Cols)}
	rows := float64(max(x.Rows, 1))
	// Each column's sums run down its rows in order, in float64, as a pass
	// down each column would; the rows are read where they lie, one after
	// another (a pass down a column of MNIST's 60,000 rows reads a line
	// 3 KB from the last, and fitting took a quarter of `wiggle train`'s
	// CPU for one epoch).
	mean := make([]float64, x.Cols)
	for i := range x.Rows {
		for j, v := range x.Row(i) {
			mean[j] += float64(v)
		}
	}
	for j := range mean {
		mean[j] /= rows
	}
	sq := make([]float64, x.Cols)
	for i := range x.Rows {
		for j, v := range x.Row(i) {
			d := float64(v) - mean[j]
			sq[j] += d * d
		}
	}
	for j := range sq {
		std := math.Sqrt(sq[j] / rows)
		if std < minNormal32 {
			std = 1
		}
		s.Mean[j], s.Std[j] = float32(mean[j]), float32(std)
	}
	return s
}

// minNormal32 is the smallest normal float32, 2⁻¹²⁶.
const minNormal32 = 0x1p-126

// Apply standardises x in place; a nil s leaves x as it is, as a model
// without one takes its rows. It panics with a *tensor.ShapeError, before
// it writes, where x is not whole or its columns are not one for each
// Mean and Std.
//
// Each value is (x − Mean)/Std in float32, as PyTorch computes it; where
// the float32 difference passes float32's range (x and Mean near
// ±MaxFloat32, of opposite signs) and the quotient would not, the value
// is computed in float64 and rounded once.
//
//	x: [rows, len(Mean)]
func (s *Standardizer) Apply(x *tensor.Matrix) {
	tensor.MustBeWhole("Standardizer.Apply", x)
	if s == nil {
		return
	}
	if len(s.Mean) != x.Cols || len(s.Std) != x.Cols {
		panic(&tensor.ShapeError{Op: "Standardizer.Apply", Detail: fmt.Sprintf("%d columns for %d means and %d deviations", x.Cols, len(s.Mean), len(s.Std))})
	}
	for i := range x.Rows {
		row := x.Row(i)
		for j, v := range row {
			z := (v - s.Mean[j]) / s.Std[j]
			if math.IsInf(float64(z), 0) && !math.IsInf(float64(v), 0) {
				z = float32((float64(v) - float64(s.Mean[j])) / float64(s.Std[j]))
			}
			row[j] = z
		}
	}
}
