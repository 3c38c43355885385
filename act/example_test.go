package act_test

import (
	"fmt"

	"github.com/wigglenn/wiggle/act"
)

func ExampleNew() {
	f, err := act.New("leaky_relu", "negative_slope=0.1")
	if err != nil {
		panic(err)
	}
	x := []float32{-2, 0, 3}
	y := make([]float32, len(x))
	f.Forward(y, x)

	// The derivative: backpropagate a gradient of 1 into zeroed dX.
	dX := make([]float32, len(x))
	f.Backward(dX, []float32{1, 1, 1}, x, y)
	fmt.Println(f, y, dX)
	// Output: leaky_relu(negative_slope=0.1) [-0.2 0 3] [0.1 0.1 1]
}

func ExampleSigmoid() {
	fmt.Printf("%.4g %.4g %.4g\n", act.Sigmoid(0), act.Sigmoid(-100), act.SigmoidDeriv(0))
	// Output: 0.5 3.72e-44 0.25
}

func ExampleSoftmax() {
	logits := []float32{1000, 999, 998}
	p := make([]float32, 3)
	act.Softmax(p, logits, 3)
	fmt.Printf("%.4f\n", p)
	// Output: [0.6652 0.2447 0.0900]
}

func ExampleCatalogue() {
	for _, info := range act.Catalogue()[:4] {
		fmt.Printf("%-8s %-15s zero-centred=%v max|f'|=%g\n", info.Name, info.Range, info.ZeroCentred, info.MaxSlope)
	}
	// Output:
	// identity (-inf, inf)     zero-centred=true max|f'|=1
	// step     {0, at_zero, 1} zero-centred=false max|f'|=0
	// sigmoid  (0, 1)          zero-centred=false max|f'|=0.25
	// tanh     (-1, 1)         zero-centred=true max|f'|=1
}
