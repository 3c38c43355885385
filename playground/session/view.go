package session

import (
	"math"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/tensor"
)

// Point is one data point as the page draws it.
type Point struct {
	X     float32 `json:"x"`
	Y     float32 `json:"y"`
	Label int     `json:"label"`           // the class; for regression, 0
	Value float32 `json:"value,omitempty"` // a 2-D regression set's target
}

// Points returns the training and the test points: (x0, x1) and the
// class, or the value for a 2-D regression set; for the 1-D regression
// set, (x0, the target).
func (s *Session) Points() (trainPoints, testPoints []Point) {
	return pointsOf(s.rawTrain.X, s.rawTrain.Labels, s.rawTrain.Values), pointsOf(s.rawTest.X, s.rawTest.Labels, s.rawTest.Values)
}

func pointsOf(x *tensor.Matrix, labels []int, values *tensor.Matrix) []Point {
	ps := make([]Point, x.Rows)
	for i := range ps {
		row := x.Row(i)
		ps[i].X = row[0]
		switch {
		case values != nil && x.Cols == 1:
			ps[i].Y = values.Row(i)[0]
		case values != nil:
			ps[i].Y, ps[i].Value = row[1], values.Row(i)[0]
		default:
			ps[i].Y, ps[i].Label = row[1], labels[i]
		}
	}
	return ps
}

// Plane is whether the points lie in the plane (x, y): every set but the
// 1-D regression set, whose views are a curve.
func (s *Session) Plane() bool { return s.rawTrain.X.Cols == 2 }

// Bounds is the square of the plane the views show: the points' extent
// with a margin, [XMin, XMax] × [YMin, YMax].
type Bounds struct {
	XMin float64 `json:"xmin"`
	XMax float64 `json:"xmax"`
	YMin float64 `json:"ymin"`
	YMax float64 `json:"ymax"`
}

// grid is the centres of an n×n grid of cells over b, row by row from the
// top (YMax) and left to right, as the views lay their cells out.
func (b Bounds) grid(n int) *tensor.Matrix {
	x := tensor.New(n*n, 2)
	for i := range n {
		for j := range n {
			row := x.Row(i*n + j)
			row[0] = float32(b.XMin + (b.XMax-b.XMin)*(float64(j)+0.5)/float64(n))
			row[1] = float32(b.YMax - (b.YMax-b.YMin)*(float64(i)+0.5)/float64(n))
		}
	}
	return x
}

// viewPoints are the points the views are computed at, n taken into
// [0, MaxGrid]: an n×n grid of the plane (Bounds.grid), or n points along
// x for the 1-D set (Bounds.curve).
func (s *Session) viewPoints(n int) *tensor.Matrix {
	n = min(max(n, 0), MaxGrid)
	if s.Plane() {
		return s.Bounds().grid(n)
	}
	return s.Bounds().curve(n)
}

// curve makes n points of x from XMin to XMax, both ends included (one
// point: midway), for the 1-D set's views.
//
//	→ [n, 1]
func (b Bounds) curve(n int) *tensor.Matrix {
	x := tensor.New(n, 1)
	for i := range n {
		at := 0.5
		if n > 1 {
			at = float64(i) / float64(n-1)
		}
		x.Data[i] = float32(b.XMin + (b.XMax-b.XMin)*at)
	}
	return x
}

// Bounds returns the plane the views show.
func (s *Session) Bounds() Bounds {
	b := Bounds{XMin: math.Inf(1), XMax: math.Inf(-1), YMin: math.Inf(1), YMax: math.Inf(-1)}
	trainPoints, testPoints := s.Points()
	for _, p := range append(trainPoints, testPoints...) {
		b.XMin, b.XMax = min(b.XMin, float64(p.X)), max(b.XMax, float64(p.X))
		b.YMin, b.YMax = min(b.YMin, float64(p.Y)), max(b.YMax, float64(p.Y))
	}
	pad := func(lo, hi float64) (float64, float64) {
		m := 0.1*(hi-lo) + 0.05
		return lo - m, hi + m
	}
	b.XMin, b.XMax = pad(b.XMin, b.XMax)
	b.YMin, b.YMax = pad(b.YMin, b.YMax)
	return b
}

// Regions is the decision regions on a grid over Bounds, row by row from
// the top (YMax) and left to right: each cell's predicted class and the
// probability the network gives it (for the SVM losses, the softmax of
// its scores). For a 2-D regression set, Value holds each cell's
// prediction instead; for the 1-D one, Curve holds the prediction at n
// values of x from XMin to XMax.
type Regions struct {
	Grid       int       `json:"grid"`
	Class      []int     `json:"class,omitempty"`
	Confidence []float32 `json:"confidence,omitempty"`
	Value      []float32 `json:"value,omitempty"`
	Curve      []float32 `json:"curve,omitempty"`
}

// Regions computes the decision regions (or the regression surface or
// curve) on an n×n grid (n points). n is taken into [0, MaxGrid]: 0 gives
// no cells, and a curve of one point lies midway between XMin and XMax.
func (s *Session) Regions(n int) Regions {
	n = min(max(n, 0), MaxGrid)
	r := Regions{Grid: n}
	scores := s.net.Forward(s.inputMatrix(s.viewPoints(n)), false)
	if !s.Plane() {
		r.Curve = append([]float32(nil), scores.Data...)
		return r
	}
	if s.TrainSet.Regression() {
		r.Value = append([]float32(nil), scores.Data...)
		return r
	}
	r.Class, r.Confidence = make([]int, n*n), make([]float32, n*n)
	p := make([]float32, max(scores.Cols, 2))
	for i := range n * n {
		row := scores.Row(i)
		r.Class[i] = s.loss.Classify(row)
		if scores.Cols == 1 { // one score: σ(s) is class 1's probability
			q := float32(act.Sigmoid(float64(row[0])))
			r.Confidence[i] = max(q, 1-q)
			continue
		}
		act.Softmax(p[:scores.Cols], row, scores.Cols)
		r.Confidence[i] = p[r.Class[i]]
	}
	return r
}
