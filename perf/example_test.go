package perf_test

import (
	"fmt"

	"github.com/wigglenn/wiggle/perf"
)

// Activation times one activation, named or with its parameters spelled
// out as act.Parse takes them; the figures depend on the machine.
func ExampleActivation() {
	r, err := perf.Activation("softplus(beta=2)", perf.Quick)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Name, r.ForwardNS > 0, r.BackwardNS > 0)
	_, err = perf.Activation("softplus(beta=0)", perf.Quick)
	fmt.Println(err)
	// Output:
	// softplus(beta=2) true true
	// softplus: parameter beta="0": want a non-zero magnitude from 1.2e-38 to 3.4e38 (float32's normal numbers, in which the engine computes)
}
