package onnx_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/modelio/onnx"
	"github.com/wigglenn/wiggle/nn"
)

// A model goes out as ONNX and comes back: the GELU that the graph
// computes through Erf is recognised as the catalogue's gelu.
func Example() {
	net := nn.NewMLP(4, []int{8}, 3, act.MustNew("gelu"), rand.New(rand.NewPCG(1, 1)))
	m := &modelio.Model{Net: net, Loss: "softmax", Classes: []string{"setosa", "versicolor", "virginica"}}

	var file bytes.Buffer
	if err := onnx.Write(&file, m, onnx.DefaultOpset); err != nil {
		fmt.Println(err)
		return
	}
	back, err := onnx.Read(&file, onnx.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range back.Net.Spec().Layers {
		if l.Act != "" {
			fmt.Println(l.Act)
		} else {
			fmt.Println(l.Type, l.Out)
		}
	}
	fmt.Println(back.Loss, back.Classes, back.Features)
	// Output:
	// dense 8
	// gelu(approximate=none)
	// dense 3
	// softmax [setosa versicolor virginica] [x0 x1 x2 x3]
}
