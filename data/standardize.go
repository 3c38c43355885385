package data

import (
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
// of each column of x. A constant column gets Std 1, so it maps to 0.
//
//	x: [rows, features]
func FitStandardizer(x *tensor.Matrix) *Standardizer {
	s := &Standardizer{Mean: make([]float32, x.Cols), Std: make([]float32, x.Cols)}
	for j := range x.Cols {
		var sum, sq float64
		for i := range x.Rows {
			sum += float64(x.At(i, j))
		}
		mean := sum / float64(max(x.Rows, 1))
		for i := range x.Rows {
			d := float64(x.At(i, j)) - mean
			sq += d * d
		}
		std := math.Sqrt(sq / float64(max(x.Rows, 1)))
		if std == 0 {
			std = 1
		}
		s.Mean[j], s.Std[j] = float32(mean), float32(std)
	}
	return s
}

// Apply standardises x in place.
//
//	x: [rows, len(Mean)]
func (s *Standardizer) Apply(x *tensor.Matrix) {
	for i := range x.Rows {
		row := x.Row(i)
		for j := range row {
			row[j] = (row[j] - s.Mean[j]) / s.Std[j]
		}
	}
}
