package loss

import (
	"fmt"
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

// TestAccuracyAndL2RefuseMismatches: Accuracy with labels not one a row,
// and L2 with a gradient shorter than its values, panic naming them
// rather than index past them.
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
