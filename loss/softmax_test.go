package loss

import (
	"math"
	"testing"

	"github.com/wigglenn/wiggle/internal/reftest/actref"
	"github.com/wigglenn/wiggle/tensor"
)

func TestSoftmaxCrossEntropyMatchesPyTorch(t *testing.T) {
	rows := actref.Load(t, "../act/testdata/activations.json").Softmax
	if len(rows) == 0 {
		t.Fatal("no rows")
	}
	for _, r := range rows {
		s := tensor.New(1, len(r.Logits))
		for j, v := range r.Logits {
			s.Data[j] = float32(actref.Float(t, v))
		}
		d := tensor.New(1, s.Cols)
		got := SoftmaxCrossEntropy(d, s, []int{r.Target})
		if want := actref.Float(t, r.CrossEntropy); !actref.Close(got, want) {
			t.Errorf("logits %v target %d: loss %v, PyTorch %v", r.Logits, r.Target, got, want)
		}
		for j, w := range r.Dlogits {
			if !actref.Close(float64(d.Data[j]), actref.Float(t, w)) {
				t.Errorf("logits %v target %d: dlogits[%d] = %v, PyTorch %v", r.Logits, r.Target, j, d.Data[j], w)
			}
		}
	}
}

// TestBatchMean checks that the loss and gradient of a batch are the means
// of its rows'.
func TestBatchMean(t *testing.T) {
	s := tensor.FromRows([][]float32{{1, 2, 3}, {-1, 0, 5}})
	d := tensor.New(2, 3)
	got := SoftmaxCrossEntropy(d, s, []int{0, 2})
	var want float64
	for i, y := range []int{0, 2} {
		one := tensor.FromRows([][]float32{s.Row(i)})
		dOne := tensor.New(1, 3)
		want += SoftmaxCrossEntropy(dOne, one, []int{y}) / 2
		for j := range 3 {
			if math.Abs(float64(d.Row(i)[j]-dOne.Data[j]/2)) > 1e-7 {
				t.Errorf("row %d: gradient %v, half of the row's own %v", i, d.Row(i), dOne.Data)
			}
		}
	}
	if math.Abs(got-want) > 1e-12 {
		t.Errorf("batch loss %v, mean of rows %v", got, want)
	}
}
