package loss

import (
	"math"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/tensor"
)

// Logistic is sigmoid cross-entropy on one score s per example with labels
// t ∈ {0, 1}: the mean of −t·log σ(s) − (1−t)·log(1−σ(s)), computed as
// softplus(s) − t·s so large scores neither overflow nor lose precision. With
// no hidden layer it is logistic regression, CS231n's "binary softmax"
// neuron. The gradient is (σ(s) − t)/batch.
type Logistic struct{}

// Name returns "logistic".
func (Logistic) Name() string { return "logistic" }

// Outputs returns 1: the logit of class 1.
func (Logistic) Outputs(int) int { return 1 }

// Forward returns the mean loss and sets dScores.
//
//	scores, dScores: [batch, 1]; y.Labels: [batch], each 0 or 1
func (Logistic) Forward(dScores, scores *tensor.Matrix, y Target) float64 {
	checkLabels("Logistic.Forward", dScores, scores, y.Labels, true)
	inv := 1 / float64(scores.Rows)
	var total float64
	for i, label := range y.Labels {
		s, t := float64(scores.Data[i]), float64(label)
		total += act.Softplus(s, 1, math.Inf(1)) - t*s
		dScores.Data[i] = float32((act.Sigmoid(s) - t) * inv)
	}
	return total * inv
}

// Classify returns 1 for a positive score (σ(s) > 1/2), else 0 (for an
// empty row too, as Argmax's 0).
func (Logistic) Classify(s []float32) int { return positive(s) }

// positive is 1 where the row's first score is above 0, else 0.
func positive(s []float32) int {
	if len(s) > 0 && s[0] > 0 {
		return 1
	}
	return 0
}
