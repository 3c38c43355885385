package session

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/tensor"
)

// InputNames are the features a network can take of a point (x, y), as
// TensorFlow Playground offers them.
var InputNames = []string{"x", "y", "x2", "y2", "xy", "sinx", "siny"}

// inputNames are the run's inputs: cfg.Inputs, or x and y (x alone for the
// 1-D regression set, which has no y).
func (s *Session) inputNames(cols int) []string {
	if cols == 1 {
		return []string{"x"}
	}
	if s.cfg.Inputs == nil {
		return []string{"x", "y"}
	}
	return s.cfg.Inputs
}

// inputLabels are InputNames as the page writes them.
var inputLabels = []string{"x", "y", "x²", "y²", "x·y", "sin x", "sin y"}

// inputs makes the network's inputs of the points in raw. With the
// default inputs it is raw itself, so a run matches `wiggle train`.
func (s *Session) inputs(raw *data.Dataset) (*data.Dataset, error) {
	names := s.inputNames(raw.X.Cols)
	if len(names) == 0 {
		return nil, fmt.Errorf("no inputs: tick at least one of %s", strings.Join(inputLabels, ", "))
	}
	if slices.Equal(names, []string{"x", "y"}) || raw.X.Cols == 1 {
		return raw, nil
	}
	out := *raw
	out.X = s.inputMatrix(raw.X)
	out.Features = names
	return &out, nil
}

// inputMatrix makes the inputs of each row (x, y) of points.
//
//	points: [n, 2] → [n, len(inputs)]
func (s *Session) inputMatrix(points *tensor.Matrix) *tensor.Matrix {
	names := s.inputNames(points.Cols)
	if slices.Equal(names, []string{"x", "y"}) || points.Cols == 1 {
		return points
	}
	out := tensor.New(points.Rows, len(names))
	for i := range points.Rows {
		x, y := float64(points.Row(i)[0]), float64(points.Row(i)[1])
		row := out.Row(i)
		for j, name := range names {
			row[j] = float32(input(name, x, y))
		}
	}
	return out
}

func input(name string, x, y float64) float64 {
	switch name {
	case "x":
		return x
	case "y":
		return y
	case "x2":
		return x * x
	case "y2":
		return y * y
	case "xy":
		return x * y
	case "sinx":
		return math.Sin(x)
	}
	return math.Sin(y) // "siny"
}
