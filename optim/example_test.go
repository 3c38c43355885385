package optim_test

import (
	"fmt"

	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
)

func ExampleSGD() {
	w := &nn.Param{Name: "0.weight", Value: []float32{1}, Grad: []float32{0.5}}
	opt := &optim.SGD{LR: 0.1, Momentum: 0.9}
	opt.Step([]*nn.Param{w})
	opt.Step([]*nn.Param{w}) // the same gradient again: momentum builds up
	fmt.Printf("%.4f\n", w.Value[0])
	// Output: 0.8550
}

// Build an optimizer from its settings, as train.Fit does: New checks
// them and names the field it refuses.
func ExampleNew() {
	opt, err := optim.New(optim.Config{Name: "adam", LR: 0.01})
	fmt.Printf("%T %v\n", opt, err)

	_, err = optim.New(optim.Config{Name: "momentum", LR: 0.1, Momentum: 1})
	fmt.Println(err)
	// Output:
	// *optim.Adam <nil>
	// Momentum 1: want 0 <= momentum < 1
}
