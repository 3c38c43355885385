package plot

import (
	"bytes"
	"image/png"
	"math"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/wigglenn/wiggle/act"
)

func TestCurvesSampleFAndDerivative(t *testing.T) {
	x, y, dy := curves(act.MustNew("relu"), Range{-2, 2}, 5)
	want := [][]float32{{-2, -1, 0, 1, 2}, {0, 0, 0, 1, 2}, {0, 0, 0, 1, 1}}
	for i, got := range [][]float32{x, y, dy} {
		for j := range got {
			if got[j] != want[i][j] {
				t.Fatalf("curves(relu) = %v %v %v, want %v", x, y, dy, want)
			}
		}
	}
	if xy := points([]float32{1, 2, 3}, []float32{1, float32(math.Inf(1)), float32(math.NaN())}); len(xy) != 1 {
		t.Errorf("points kept %d values; want the one finite", len(xy))
	}
}

func TestPNGsDecode(t *testing.T) {
	var plots []*plot.Plot
	for _, name := range []string{"sigmoid", "tanh", "gelu"} {
		p, err := Activation(act.MustNew(name), DefaultRange)
		if err != nil {
			t.Fatal(err)
		}
		plots = append(plots, p)
	}
	var one, grid bytes.Buffer
	if err := WritePNG(&one, plots[0], 3*vg.Inch, 2*vg.Inch); err != nil {
		t.Fatal(err)
	}
	if err := WriteGridPNG(&grid, plots, 2, 3*vg.Inch, 2*vg.Inch); err != nil {
		t.Fatal(err)
	}
	for name, buf := range map[string]*bytes.Buffer{"single": &one, "grid": &grid} {
		img, err := png.Decode(buf)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if b := img.Bounds(); b.Dx() < 100 || b.Dy() < 100 {
			t.Errorf("%s PNG is %v", name, b)
		}
	}
}
