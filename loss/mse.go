package loss

import (
	"fmt"

	"github.com/wigglenn/wiggle/tensor"
)

// MSE is the mean squared error over the batch and the outputs:
// Σ(s − v)² / (batch·outputs), with gradient 2(s − v)/(batch·outputs), as
// torch.nn.MSELoss.
type MSE struct{}

// Name returns "mse".
func (MSE) Name() string { return "mse" }

// Outputs returns k, one score per target column.
func (MSE) Outputs(k int) int { return k }

// Forward returns the mean squared error and sets dScores.
//
//	scores, dScores, y.Values: [batch, outputs]
func (MSE) Forward(dScores, scores *tensor.Matrix, y Target) float64 {
	tensor.MustMatch("MSE.Forward", dScores, scores)
	mustNotShare("MSE.Forward", dScores, scores)
	if y.Values == nil {
		panic(&tensor.ShapeError{Op: "MSE.Forward", Detail: fmt.Sprintf("no target values for %d rows", scores.Rows)})
	}
	tensor.MustMatch("MSE.Forward", y.Values, scores)
	inv := 1 / float64(len(scores.Data))
	var total float64
	for i, s := range scores.Data {
		diff := float64(s) - float64(y.Values.Data[i])
		total += diff * diff
		dScores.Data[i] = float32(2 * diff * inv)
	}
	return total * inv
}

// Classify returns −1: mse predicts values, not classes.
func (MSE) Classify([]float32) int { return -1 }
