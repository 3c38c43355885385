package nn

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/tensor"
)

// TestMisusePanicsNamingIt: nil layers, layers written as literals, nil
// act.Funcs and nil or broken matrices panic with a message that says
// what is wrong (as the package doc promises), not a nil dereference or
// an index out of range.
func TestMisusePanicsNamingIt(t *testing.T) {
	relu := act.MustNew("relu")
	rng := rand.New(rand.NewPCG(1, 2))
	x := tensor.New(2, 2)
	broken := &tensor.Matrix{Rows: 2, Cols: 2}
	frozen := NewMLP(2, []int{3}, 2, relu, rng)
	frozen.Freeze()
	for _, c := range []struct {
		name string
		call func()
		want string
	}{
		{"nil layer", func() { NewSequential(2, NewDense(2, 2), nil) }, "nn: NewSequential: layer 1 is nil"},
		{"literal in NewSequential", func() { NewSequential(2, &Dense{In: 2, Out: 2}) }, "layer 0 (*nn.Dense) has a nil parameter"},
		{"literal Dense", func() { (&Dense{In: 2, Out: 3}).Forward(x, true) }, "nn: a Dense layer without its weights"},
		{"literal Activation", func() { (&Activation{}).Forward(x, true) }, "nn: an Activation layer without its act.Func"},
		{"literal PReLU", func() { (&PReLU{}).Forward(x, true) }, "nn: a PReLU layer without its slopes"},
		{"literal Maxout", func() { (&Maxout{Out: 1, Pieces: 2}).Forward(x, true) }, "nn: a Maxout layer without its pieces"},
		{"literal Dropout", func() { (&Dropout{P: 0.5}).Forward(x, true) }, "nn: a Dropout layer without a source"},
		{"nil act.Func", func() { NewActivation(nil) }, "nn: NewActivation: a nil act.Func"},
		{"NewMLP nil act.Func", func() { NewMLP(2, []int{3}, 2, nil, rng) }, "nn: NewMLP: a nil act.Func"},
		{"Dense nil x", func() { NewDense(2, 3).Forward(nil, true) }, "Dense.Forward: a nil matrix"},
		{"Dense broken x", func() { NewDense(2, 3).Forward(broken, true) }, "Dense.Forward: a 2×2 matrix holds 0 values"},
		{"Activation nil x", func() { NewActivation(relu).Forward(nil, true) }, "Activation.Forward: a nil matrix"},
		{"PReLU nil x", func() { NewPReLU(1, 0.25).Forward(nil, true) }, "PReLU.Forward: a nil matrix"},
		{"Maxout broken x", func() { NewMaxout(2, 2, 2).Forward(broken, true) }, "Dense.Forward: a 2×2 matrix holds 0 values"},
		{"Dropout nil x", func() { NewDropout(0.5, rng).Forward(nil, true) }, "Dropout.Forward: a nil matrix"},
		{"Sequential nil x", func() { NewMLP(2, []int{3}, 2, relu, rng).Forward(nil, true) }, "Sequential.Forward: a nil matrix"},
		{"frozen nil x", func() { frozen.Forward(nil, false) }, "Sequential.Forward: a nil matrix"},
		{"Dense nil dOut", func() {
			d := NewDense(2, 3)
			d.Forward(x, true)
			d.Backward(nil)
		}, "Dense.Backward: a nil matrix"},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if _, runtime := r.(interface{ RuntimeError() }); runtime || !strings.Contains(fmt.Sprint(r), c.want) {
					t.Errorf("recovered %v; want a panic saying %q", r, c.want)
				}
			}()
			c.call()
		})
	}
}
