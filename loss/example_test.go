package loss_test

import (
	"fmt"

	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/tensor"
)

func ExampleSoftmaxCrossEntropy() {
	scores := tensor.FromRows([][]float32{{2, 1, 0.1}})
	dScores := tensor.New(1, 3)
	l := loss.SoftmaxCrossEntropy(dScores, scores, []int{0})
	fmt.Printf("loss %.4f, gradient %.4f\n", l, dScores.Data)
	// Output: loss 0.4170, gradient [-0.3410 0.2424 0.0986]
}
