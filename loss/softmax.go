package loss

import (
	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/internal/kernels"
	"github.com/wigglenn/wiggle/tensor"
)

// Softmax is softmax cross-entropy: the mean over the batch of
// −log softmax(s)_y = (m − s_y) + log Σ_j e^(s_j − m), m the row's largest
// score, so any finite scores work (two of 1e20 give log 2).
// Its gradient is (softmax(s) − onehot(y))/batch.
type Softmax struct{}

// Name returns "softmax".
func (Softmax) Name() string { return "softmax" }

// Outputs returns k: one score per class.
func (Softmax) Outputs(k int) int { return k }

// Forward returns the mean cross-entropy and sets dScores.
//
//	scores, dScores: [batch, classes]; y.Labels: [batch]
func (Softmax) Forward(dScores, scores *tensor.Matrix, y Target) float64 {
	checkLabels("Softmax.Forward", dScores, scores, y.Labels, false)
	inv := 1 / float64(scores.Rows)
	var total float64
	var shiftedLogSums [rowsAtOnce]float64
	cols := scores.Cols
	for r0 := 0; r0 < scores.Rows; r0 += rowsAtOnce {
		n := min(rowsAtOnce, scores.Rows-r0)
		at, end := r0*cols, (r0+n)*cols
		act.SoftmaxRows(dScores.Data[at:end], scores.Data[at:end], cols, inv, shiftedLogSums[:n])
		for i, label := range y.Labels[r0 : r0+n] {
			row := scores.Row(r0 + i)
			total += (kernels.RowMax(row) - float64(row[label])) + shiftedLogSums[i]
			dScores.Row(r0 + i)[label] -= float32(inv)
		}
	}
	return total * inv
}

// rowsAtOnce is how many rows Softmax.Forward takes through
// act.SoftmaxRows at a time (eight at a time there): their log-sums stay
// on the stack.
const rowsAtOnce = 64

// Classify returns the class of the largest score.
func (Softmax) Classify(s []float32) int { return Argmax(s) }

// SoftmaxCrossEntropy is Softmax{}.Forward with labels.
//
//	scores, dScores: [batch, classes]; labels: [batch]
func SoftmaxCrossEntropy(dScores, scores *tensor.Matrix, labels []int) float64 {
	return Softmax{}.Forward(dScores, scores, Target{Labels: labels})
}
