package plot_test

import (
	"bytes"
	"fmt"

	"gonum.org/v1/plot/vg"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/plot"
)

func ExampleActivation() {
	p, err := plot.Activation(act.MustNew("tanh"), plot.DefaultRange)
	if err != nil {
		panic(err)
	}
	var png bytes.Buffer
	if err := plot.WritePNG(&png, p, 4*vg.Inch, 3*vg.Inch); err != nil {
		panic(err)
	}
	fmt.Printf("%q PNG: %v\n", p.Title.Text, png.Len() > 0)
	// Output: "tanh\n2*sigmoid(2x) - 1" PNG: true
}
