package nn_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/tensor"
)

func ExampleNewMLP() {
	rng := rand.New(rand.NewPCG(1, 0))
	net := nn.NewMLP(3, []int{4, 4}, 1, act.MustNew("relu"), rng)
	fmt.Println(net.Size())

	x := tensor.FromRows([][]float32{{1, 2, 3}, {0, -1, 0.5}})
	y := net.Forward(x, false)
	fmt.Println(y.Rows, "rows of", y.Cols)
	// Output:
	// 3-4-4-1: 9 neurons, 41 parameters
	// 2 rows of 1
}
