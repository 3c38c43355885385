package optim_test

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/tensor"
)

func ExampleSGD() {
	w := &nn.Param{Name: "0.weight", Value: []float32{1}, Grad: []float32{0.5}}
	opt, err := optim.New(optim.Config{Name: "momentum", LR: 0.1}) // PyTorch's defaults for what is left out: momentum 0.9
	if err != nil {
		panic(err)
	}
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

// Train the output layer and not the first (fine-tuning a head): give
// Step only the parameters to train. Each parameter keeps its own state,
// so a layer put back later goes on from its own.
func Example_freezeALayer() {
	net := nn.NewMLP(2, []int{3}, 2, act.MustNew("tanh"), rand.New(rand.NewPCG(1, 2)))
	first, head := net.Layers[0].Params(), net.Layers[2].Params()
	opt, err := optim.New(optim.Config{Name: "adam", LR: 0.01})
	if err != nil {
		panic(err)
	}
	x, dOut := tensor.New(4, 2), tensor.New(4, 2)
	for i := range x.Data {
		x.Data[i], dOut.Data[i] = float32(i)/8, 0.25
	}
	before, headBefore := slices.Clone(first[0].Value), slices.Clone(head[0].Value)
	for range 3 {
		net.Forward(x, true)
		net.Gradients(dOut) // every layer's gradients
		opt.Step(head)      // only the head steps
	}
	fmt.Println("first layer unchanged:", slices.Equal(first[0].Value, before))
	fmt.Println("head changed:", !slices.Equal(head[0].Value, headBefore))

	net.Forward(x, true)
	net.Gradients(dOut)
	opt.Step(net.Params()) // every layer: the head's Adam goes on at its 4th step, the first layer's starts at its 1st
	fmt.Println("first layer trains:", !slices.Equal(first[0].Value, before))
	// Output:
	// first layer unchanged: true
	// head changed: true
	// first layer trains: true
}
