package loss

import "github.com/wigglenn/wiggle/tensor"

// Hinge is the CS231n multiclass SVM loss: for each example,
// Σ_{j≠y} max(0, s_j − s_y + 1), averaged over the batch. Each violated
// margin adds 1/batch to ∂L/∂s_j and takes 1/batch from ∂L/∂s_y.
type Hinge struct{}

// Name returns "hinge".
func (Hinge) Name() string { return "hinge" }

// Outputs returns k: one score per class.
func (Hinge) Outputs(k int) int { return k }

// Forward returns the mean loss and sets dScores.
//
//	scores, dScores: [batch, classes]; y.Labels: [batch]
func (Hinge) Forward(dScores, scores *tensor.Matrix, y Target) float64 {
	checkLabels("Hinge.Forward", dScores, scores, y.Labels, false)
	inv := 1 / float64(scores.Rows)
	var total float64
	for i, label := range y.Labels {
		s, d := scores.Row(i), dScores.Row(i)
		sy := float64(s[label])
		violated := 0
		for j, v := range s {
			d[j] = 0
			if j == label {
				continue
			}
			if margin := float64(v) - sy + 1; margin > 0 {
				total += margin
				d[j] = float32(inv)
				violated++
			}
		}
		d[label] = float32(-float64(violated) * inv)
	}
	return total * inv
}

// Classify returns the class of the largest score.
func (Hinge) Classify(s []float32) int { return Argmax(s) }

// BinaryHinge is the binary SVM loss on one score s with labels 0/1 mapped
// to t = −1/+1: the mean of max(0, 1 − t·s). Its gradient is −t/batch where
// the margin is violated (t·s < 1), else 0.
type BinaryHinge struct{}

// Name returns "binary-hinge".
func (BinaryHinge) Name() string { return "binary-hinge" }

// Outputs returns 1.
func (BinaryHinge) Outputs(int) int { return 1 }

// Forward returns the mean loss and sets dScores.
//
//	scores, dScores: [batch, 1]; y.Labels: [batch], each 0 or 1
func (BinaryHinge) Forward(dScores, scores *tensor.Matrix, y Target) float64 {
	checkLabels("BinaryHinge.Forward", dScores, scores, y.Labels, true)
	inv := 1 / float64(scores.Rows)
	var total float64
	for i, label := range y.Labels {
		t := float64(2*label - 1)
		dScores.Data[i] = 0
		if margin := 1 - t*float64(scores.Data[i]); margin > 0 {
			total += margin
			dScores.Data[i] = float32(-t * inv)
		}
	}
	return total * inv
}

// Classify returns 1 for a positive score, else 0 (for an empty row too).
func (BinaryHinge) Classify(s []float32) int { return positive(s) }
