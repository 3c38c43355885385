package probe_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/probe"
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
