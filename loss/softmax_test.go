package loss

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/internal/kernels"
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

// TestSoftmaxForwardIsRowByRow holds a batch's loss and gradient, which
// Forward takes through act.SoftmaxRows a chunk of rows at a time, to
// each row's own act.SoftmaxRows, summed in order, bit for bit: batches below,
// at and past a chunk.
func TestSoftmaxForwardIsRowByRow(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, rows := range []int{1, 9, rowsAtOnce, 130} {
		s, d := tensor.New(rows, 10), tensor.New(rows, 10)
		for i := range s.Data {
			s.Data[i] = float32(rng.NormFloat64() * 4)
		}
		labels := make([]int, rows)
		for i := range labels {
			labels[i] = rng.IntN(10)
		}
		got := Softmax{}.Forward(d, s, Target{Labels: labels})
		inv := 1 / float64(rows)
		var total float64
		wantD, shifted := make([]float32, 10), make([]float64, 1)
		for i, label := range labels {
			act.SoftmaxRows(wantD, s.Row(i), 10, inv, shifted)
			total += (kernels.RowMax(s.Row(i)) - float64(s.Row(i)[label])) + shifted[0]
			wantD[label] -= float32(inv)
			for j := range wantD {
				if math.Float32bits(d.Row(i)[j]) != math.Float32bits(wantD[j]) {
					t.Fatalf("%d rows: dScores[%d][%d] = %v, the row's own %v", rows, i, j, d.Row(i)[j], wantD[j])
				}
			}
		}
		if want := total * inv; math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("%d rows: loss %v, row by row %v", rows, got, want)
		}
	}
}

// TestSoftmaxOfHugeScores: scores so large that their log-sum-exp rounds
// log Σ e^(s − m) away in float64 keep the loss: two of 1e20 give log 2
// (PyTorch's 0.6931), a batch of such rows and ordinary ones their mean
// (it had been 0 for the row of 1e20, and 0.7324 for PyTorch's 1.0986).
func TestSoftmaxOfHugeScores(t *testing.T) {
	for _, c := range []struct {
		scores [][]float32
		labels []int
		want   float64
	}{
		{[][]float32{{1e20, 1e20}}, []int{0}, math.Ln2},
		{[][]float32{{-1e20, -1e20, -1e20}}, []int{2}, math.Log(3)},
		{[][]float32{{3e38, 3e38}}, []int{1}, math.Ln2},
		{[][]float32{{5, 5, 5}, {0, 0, 0}, {-1e30, -1e30, -1e30}}, []int{0, 1, 2}, math.Log(3)},
	} {
		s := tensor.FromRows(c.scores)
		got := Softmax{}.Forward(tensor.New(s.Rows, s.Cols), s, Target{Labels: c.labels})
		if math.Abs(got-c.want) > 1e-12 {
			t.Errorf("scores %v, labels %v: loss %v; want %v", c.scores, c.labels, got, c.want)
		}
	}
}

// TestArgmax checks Argmax's cases: the first of equal largest values, a
// NaN never the largest unless it comes first, −Inf, and an empty row.
func TestArgmax(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	for _, c := range []struct {
		row  []float32
		want int
	}{
		{[]float32{1, 3, 2}, 1},
		{[]float32{3, 1, 3}, 0},
		{[]float32{-1, 2, 2, 0}, 1},
		{[]float32{1, nan, 0.5}, 0},
		{[]float32{nan, 4, 5}, 0},
		{[]float32{-inf, -inf, -5}, 2},
		{[]float32{-inf, -inf}, 0},
		{[]float32{7}, 0},
		{nil, 0},
	} {
		if got := Argmax(c.row); got != c.want {
			t.Errorf("Argmax(%v) = %d, want %d", c.row, got, c.want)
		}
	}
}

// TestClassifyOfOneScore: the one-score losses' classes, an empty row's 0
// among them (it had panicked, where Softmax's Argmax gives 0).
func TestClassifyOfOneScore(t *testing.T) {
	for _, l := range []Loss{Logistic{}, BinaryHinge{}} {
		for _, c := range []struct {
			row  []float32
			want int
		}{{[]float32{0.5}, 1}, {[]float32{-0.5}, 0}, {[]float32{0}, 0}, {[]float32{float32(math.NaN())}, 0}, {nil, 0}, {[]float32{}, 0}} {
			if got := l.Classify(c.row); got != c.want {
				t.Errorf("%s.Classify(%v) = %d, want %d", l.Name(), c.row, got, c.want)
			}
		}
	}
}
