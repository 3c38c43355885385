package loss_test

import (
	"fmt"

	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/tensor"
)

func ExampleSoftmaxCrossEntropy() {
	scores := tensor.FromRows([][]float32{{2, 1, 0.1}})
	dScores := tensor.New(1, 3)
	l := loss.SoftmaxCrossEntropy(dScores, scores, []int{0})
	fmt.Printf("loss %.4f, gradient %.4f\n", l, dScores.Data)
	// Output: loss 0.4170, gradient [-0.3410 0.2424 0.0986]
}

// L1 pulls each weight toward 0 by the same step, whatever its size;
// biases (Decay false) are left alone.
func ExampleL1() {
	w := &nn.Param{Name: "W", Value: []float32{0.5, -2, 0}, Grad: make([]float32, 3), Decay: true}
	b := &nn.Param{Name: "b", Value: []float32{1}, Grad: make([]float32, 1)}
	penalty := loss.L1([]*nn.Param{w, b}, 0.01)
	fmt.Printf("penalty %.3f, W's gradient %v, b's %v\n", penalty, w.Grad, b.Grad)
	// Output: penalty 0.025, W's gradient [0.01 -0.01 0], b's [0]
}
