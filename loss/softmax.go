// Package loss holds the training objectives. Each is the mean over the
// batch, and each writes the gradient of that mean with respect to the
// network's scores.
package loss

import (
	"fmt"
	"math"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/tensor"
)

// SoftmaxCrossEntropy returns the mean over the batch of −log softmax(s)_y,
// the softmax classifier's loss, computed with log-sum-exp so any finite
// scores work, and sets dScores to its gradient: (softmax(s) − onehot(y))/batch.
//
//	scores, dScores: [batch, classes]; labels: [batch], each in [0, classes)
func SoftmaxCrossEntropy(dScores, scores *tensor.Matrix, labels []int) float64 {
	tensor.MustMatch("SoftmaxCrossEntropy", dScores, scores)
	if len(labels) != scores.Rows {
		panic(&tensor.ShapeError{Op: "SoftmaxCrossEntropy", Detail: fmt.Sprintf("%d labels for %d rows", len(labels), scores.Rows)})
	}
	inv := 1 / float64(scores.Rows)
	var total float64
	for i, y := range labels {
		s, d := scores.Row(i), dScores.Row(i)
		logSum := act.LogSumExp(s)
		total += logSum - float64(s[y])
		for j, v := range s {
			d[j] = float32(math.Exp(float64(v)-logSum) * inv)
		}
		d[y] -= float32(inv)
	}
	return total * inv
}

// Accuracy returns the fraction of rows whose largest score is at the label.
//
//	scores: [batch, classes]; labels: [batch]
func Accuracy(scores *tensor.Matrix, labels []int) float64 {
	if len(labels) == 0 {
		return 0
	}
	right := 0
	for i, y := range labels {
		if Argmax(scores.Row(i)) == y {
			right++
		}
	}
	return float64(right) / float64(len(labels))
}

// Argmax returns the index of the largest value, the first on ties.
func Argmax(row []float32) int {
	best := 0
	for j, v := range row {
		if v > row[best] {
			best = j
		}
	}
	return best
}
