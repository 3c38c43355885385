package probe_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/probe"
	"github.com/wigglenn/wiggle/tensor"
)

func ExampleHealth() {
	rng := rand.New(rand.NewPCG(1, 0))
	ds := data.Spiral(100, 3, 0.2, rng)
	net := nn.NewMLP(2, []int{16}, 3, act.MustNew("sigmoid"), rng)
	for _, h := range probe.Health(net, ds.X) {
		fmt.Printf("layer %d: %d units, %.0f%% dead\n", h.Layer, h.Units, 100*h.Dead)
	}
	// Output: layer 1: 16 units, 0% dead
}

// A maxout unit does not die, but its pieces may: here unit 1's second
// piece is never larger than its first (both 0: ties go to the first).
func ExampleIdlePieces() {
	m := nn.NewMaxout(2, 2, 2)                                 // 2 inputs, 2 units of 2 pieces: 4 rows of weights
	copy(m.Linear.W.Value, []float32{1, 0, -1, 0, 0, 0, 0, 0}) // unit 0: x0 and −x0; unit 1: 0 and 0
	m.Forward(tensor.FromRows([][]float32{{1, 2}, {-1, 3}, {0.5, -1}}), false)
	fmt.Printf("%.2f of the pieces win on no row\n", probe.IdlePieces(m))
	// Output: 0.25 of the pieces win on no row
}
