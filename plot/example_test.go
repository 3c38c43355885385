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

// A lab's chart: two accuracy curves, the level its finding counts to
// marked beneath them, which widens the y axis to take it in.
func ExampleChart() {
	epochs := []float64{1, 2, 3, 4}
	p, err := plot.Chart{
		Title: "learning the spiral", XLabel: "epoch", YLabel: "training accuracy", WholeX: true,
		Series: []plot.Series{
			{Name: "sigmoid", X: epochs, Y: []float64{0.35, 0.5, 0.6, 0.7}},
			{Name: "tanh", X: epochs, Y: []float64{0.5, 0.7, 0.8, 0.85}},
		},
		Marks: []plot.Mark{{Name: "90%: the target", At: 0.9}},
	}.Plot()
	if err != nil {
		panic(err)
	}
	var png bytes.Buffer
	if err := plot.WritePNG(&png, p, 7*vg.Inch, 4.5*vg.Inch); err != nil {
		panic(err)
	}
	fmt.Printf("the y axis takes in 0.9: %v, PNG: %v\n", p.Y.Max >= 0.9, png.Len() > 0)
	// Output: the y axis takes in 0.9: true, PNG: true
}
