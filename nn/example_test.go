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

// Describe a network as data (a Spec, as a model file stores it), build
// it, and initialise it by a named scheme; a Spec Build cannot make is an
// error that names the layer.
func ExampleBuild() {
	rng := rand.New(rand.NewPCG(1, 0))
	spec := nn.NewMLPSpec(2, []int{8}, 3, "maxout", nn.MLPOptions{Pieces: 3, Dropout: 0.2})
	net, err := nn.Build(spec, rng)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := nn.Init(net, "he-uniform", rng); err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range spec.Layers {
		fmt.Println(l)
	}
	fmt.Println(net.Size())

	spec.Layers[0].Pieces = 0
	_, err = nn.Build(spec, rng)
	fmt.Println(err)
	// Output:
	// maxout 2→8 (3 pieces)
	// dropout 0.2
	// dense 8→3
	// 2-8-3: 11 neurons, 99 parameters
	// architecture: layer 0 (maxout): 0 pieces; want at least 1
}
