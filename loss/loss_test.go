package loss

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/tensor"
)

// TestForwardRefusesLabelsOutOfRange: each classification loss panics
// with a *tensor.ShapeError naming the row, where a label lies outside its
// classes, rather than index past the scores or take 2 for a target of 1.
func TestForwardRefusesLabelsOutOfRange(t *testing.T) {
	for _, c := range []struct {
		l      Loss
		cols   int
		labels []int
		want   string
	}{
		{Softmax{}, 3, []int{0, 3}, "row 1 has label 3; want 0 to 2"},
		{Softmax{}, 3, []int{-1, 0}, "row 0 has label -1"},
		{Hinge{}, 3, []int{0, 3}, "row 1 has label 3; want 0 to 2"},
		{Logistic{}, 1, []int{0, 2}, "row 1 has label 2; want 0 to 1"},
		{BinaryHinge{}, 1, []int{5, 0}, "row 0 has label 5; want 0 to 1"},
		{Softmax{}, 0, []int{0, 0}, "2 labels for scores of no columns"},
	} {
		scores, dScores := tensor.New(2, c.cols), tensor.New(2, c.cols)
		func() {
			defer func() {
				r := recover()
				shape, ok := r.(*tensor.ShapeError)
				if !ok || !strings.Contains(shape.Error(), c.want) {
					t.Errorf("%s with labels %v: recovered %v; want a ShapeError saying %q", c.l.Name(), c.labels, r, c.want)
				}
			}()
			c.l.Forward(dScores, scores, Target{Labels: c.labels})
		}()
	}
}

// TestForwardRefusesBrokenMatrices: each loss panics with a
// *tensor.ShapeError where a matrix is nil or holds fewer values than its
// shape, rather than dereference nil or read past the end.
func TestForwardRefusesBrokenMatrices(t *testing.T) {
	for _, l := range []Loss{Softmax{}, Hinge{}, Logistic{}, BinaryHinge{}, MSE{}} {
		cols := l.Outputs(3)
		short := &tensor.Matrix{Rows: 2, Cols: cols, Data: make([]float32, 2*cols-1)}
		y := Target{Labels: []int{0, 1}, Values: tensor.New(2, cols)}
		same, wide := tensor.New(2, cols), tensor.New(4, cols)
		for _, c := range []struct {
			name            string
			dScores, scores *tensor.Matrix
			y               Target
			want            string
		}{
			{"nil scores", tensor.New(2, cols), nil, y, "a nil matrix"},
			{"nil dScores", nil, tensor.New(2, cols), y, "a nil matrix"},
			{"short scores", tensor.New(2, cols), short, y, fmt.Sprintf("a 2×%d matrix holds %d values", cols, 2*cols-1)},
			{"short values", tensor.New(2, cols), tensor.New(2, cols), Target{Labels: y.Labels, Values: short}, fmt.Sprintf("holds %d values", 2*cols-1)},
			// the gradient written over the scores it reads (the loss had come out wrong)
			{"dScores the scores", same, same, y, "dScores and scores share storage"},
			{"dScores a view of the scores", wide.RowsView(1, 3), wide.RowsView(0, 2), y, "dScores and scores share storage"},
		} {
			if c.name == "short values" && l.Name() != "mse" {
				continue // only mse reads Values
			}
			func() {
				defer func() {
					r := recover()
					if shape, ok := r.(*tensor.ShapeError); !ok || !strings.Contains(shape.Error(), c.want) {
						t.Errorf("%s, %s: recovered %v; want a ShapeError saying %q", l.Name(), c.name, r, c.want)
					}
				}()
				l.Forward(c.dScores, c.scores, c.y)
			}()
		}
	}
}

// TestOneScoreLossesTakeOneColumn: logistic and binary-hinge read one
// score a row; scores of more columns (or none) are a *tensor.ShapeError,
// not a silently wrong loss or an index out of range.
func TestOneScoreLossesTakeOneColumn(t *testing.T) {
	for _, l := range []Loss{Logistic{}, BinaryHinge{}} {
		for _, cols := range []int{0, 3} {
			func() {
				defer func() {
					r := recover()
					if shape, ok := r.(*tensor.ShapeError); !ok || !strings.Contains(shape.Error(), fmt.Sprintf("scores of %d columns; this loss takes one", cols)) {
						t.Errorf("%s with %d columns: recovered %v", l.Name(), cols, r)
					}
				}()
				l.Forward(tensor.New(2, cols), tensor.New(2, cols), Target{Labels: []int{0, 1}})
			}()
			func() {
				defer func() {
					if _, ok := recover().(*tensor.ShapeError); !ok {
						t.Errorf("Accuracy of %s with %d columns: no ShapeError", l.Name(), cols)
					}
				}()
				Accuracy(l, tensor.New(2, cols), []int{0, 1})
			}()
		}
	}
}

// TestAccuracyAndL2RefuseMismatches: Accuracy with labels not one a row
// or scores that are not whole, and L2 and L1 with a gradient shorter than its
// values, panic naming them rather than index past them; so do the
// functions of a loss given a nil one.
func TestAccuracyAndL2RefuseMismatches(t *testing.T) {
	for _, c := range []struct {
		name string
		call func()
		want string
	}{
		{"Accuracy", func() { Accuracy(Softmax{}, tensor.New(2, 3), []int{0, 1, 2}) }, "3 labels for 2 rows"},
		{"L2", func() {
			L2([]*nn.Param{{Name: "w", Value: make([]float32, 3), Grad: make([]float32, 1), Decay: true}}, 0.1)
		}, `parameter "w" has 1 gradients for 3 values`},
		{"L2 nil", func() { L2([]*nn.Param{{Name: "w"}, nil}, 0.1) }, "parameter 1 is nil"},
		{"L1", func() {
			L1([]*nn.Param{{Name: "w", Value: make([]float32, 3), Grad: make([]float32, 1), Decay: true}}, 0.1)
		}, `L1: parameter "w" has 1 gradients for 3 values`},
		{"L1 nil", func() { L1([]*nn.Param{nil}, 0) }, "L1: parameter 0 is nil"},
		{"Accuracy nil scores", func() { Accuracy(Softmax{}, nil, []int{0}) }, "nil matrix"},
		{"Accuracy short scores", func() { Accuracy(Softmax{}, &tensor.Matrix{Rows: 2, Cols: 3}, []int{0, 1}) }, "2×3 matrix holds 0 values"},
		{"Accuracy nil loss", func() { Accuracy(nil, tensor.New(1, 2), []int{0}) }, "Accuracy: a nil Loss"},
		{"Classes nil loss", func() { Classes(nil, 2) }, "Classes: a nil Loss"},
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), c.want) {
					t.Errorf("%s: recovered %v; want %q", c.name, r, c.want)
				}
			}()
			c.call()
		}()
	}
}

// TestCheckOutputsOfNoLoss: a nil loss is an error, not a nil dereference.
func TestCheckOutputsOfNoLoss(t *testing.T) {
	if err := CheckOutputs(nil, 2); err == nil || !strings.Contains(err.Error(), "no loss; want one of softmax") {
		t.Errorf("CheckOutputs(nil, 2) = %v; want an error saying there is no loss", err)
	}
}

// TestL1 holds L1 to its penalty λ·Σ|W| in float64 and to the penalty's
// derivative by central differences, at weights of both signs and every
// size, and to its special cases: ±0 and NaN add nothing to the gradient
// (PyTorch's derivative of |w| there), a NaN makes the penalty NaN, and
// parameters without Decay are not touched.
func TestL1(t *testing.T) {
	const lambda = 0.03
	rng := rand.New(rand.NewPCG(3, 4))
	w := &nn.Param{Name: "W", Value: make([]float32, 257), Decay: true}
	for i := range w.Value {
		w.Value[i] = float32(rng.NormFloat64() * math.Pow(10, float64(i%7-3)))
	}
	w.Grad = make([]float32, len(w.Value))
	for i := range w.Grad {
		w.Grad[i] = float32(i) / 1024 // L1 adds to a gradient, it does not set it
	}
	slope := &nn.Param{Name: "a", Value: []float32{-1, 2}, Grad: []float32{0, 0}}
	got := L1([]*nn.Param{w, slope}, lambda)
	var want float64
	for _, v := range w.Value {
		want += lambda * math.Abs(float64(v))
	}
	if math.Abs(got-want) > 1e-12*want {
		t.Errorf("penalty %v, want %v", got, want)
	}
	penaltyAt := func(v float64) float64 { return lambda * math.Abs(v) }
	for i, v := range w.Value {
		h := math.Abs(float64(v)) / 4
		fd := (penaltyAt(float64(v)+h) - penaltyAt(float64(v)-h)) / (2 * h)
		if d := float64(w.Grad[i]) - float64(i)/1024; math.Abs(d-fd) > 1e-7 {
			t.Errorf("W[%d] = %g: gradient added %g, finite difference %g", i, v, d, fd)
		}
	}
	if slope.Grad[0] != 0 || slope.Grad[1] != 0 {
		t.Errorf("a parameter without Decay got gradient %v", slope.Grad)
	}

	nan := float32(math.NaN())
	specials := &nn.Param{Name: "S", Value: []float32{0, float32(math.Copysign(0, -1)), nan}, Grad: make([]float32, 3), Decay: true}
	if p := L1([]*nn.Param{specials}, lambda); !math.IsNaN(p) {
		t.Errorf("penalty with a NaN weight %v, want NaN", p)
	}
	for i, g := range specials.Grad {
		if g != 0 {
			t.Errorf("weight %v: gradient %v, want 0", specials.Value[i], g)
		}
	}
}
