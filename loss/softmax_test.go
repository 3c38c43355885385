package loss

import (
	"encoding/json"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/wigglenn/wiggle/tensor"
)

// refRow is one softmax row of the activations reference (PyTorch 1.13,
// float64).
type refRow struct {
	Logits       []string `json:"logits"`
	Target       int      `json:"target"`
	CrossEntropy string   `json:"cross_entropy"`
	Dlogits      []string `json:"dlogits"`
}

func loadRows(t *testing.T) []refRow {
	raw, err := os.ReadFile("../act/testdata/activations.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Rows []refRow `json:"softmax_cross_entropy"`
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	return ref.Rows
}

func num(t *testing.T, s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func closeTo(got, want float64) bool { return math.Abs(got-want) <= 1e-5+1.3e-6*math.Abs(want) }

func TestSoftmaxCrossEntropyMatchesPyTorch(t *testing.T) {
	rows := loadRows(t)
	if len(rows) == 0 {
		t.Fatal("no rows")
	}
	for _, r := range rows {
		s := tensor.New(1, len(r.Logits))
		for j, v := range r.Logits {
			s.Data[j] = float32(num(t, v))
		}
		d := tensor.New(1, s.Cols)
		got := SoftmaxCrossEntropy(d, s, []int{r.Target})
		if want := num(t, r.CrossEntropy); !closeTo(got, want) {
			t.Errorf("logits %v target %d: loss %v, PyTorch %v", r.Logits, r.Target, got, want)
		}
		for j, w := range r.Dlogits {
			if !closeTo(float64(d.Data[j]), num(t, w)) {
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
