package plot

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// TestMarksWidenTheirAxis: a level no curve reaches (90% over curves
// below 60%) and a value of x left of every point (0.58 on a logarithmic
// axis from 1) still lie in the chart's data area; a mark a logarithmic
// axis cannot hold (0) or not finite widens nothing and draws nothing.
func TestMarksWidenTheirAxis(t *testing.T) {
	x := []float64{1, 10, 100}
	series := []Series{{Name: "relu", X: x, Y: []float64{0.3, 0.5, 0.6}}}
	p, err := Chart{Title: "t", Series: series, LogX: true, Marks: []Mark{
		{Name: "target", At: 0.9},
		{Name: "default", At: 0.58, OnX: true},
	}}.Plot()
	if err != nil {
		t.Fatal(err)
	}
	if p.Y.Max < 0.9 || p.X.Min > math.Log10(0.58) {
		t.Errorf("axes y [%g, %g], x [%g, %g] (log10); want y to reach 0.9 and x to reach log10(0.58) = %.3f", p.Y.Min, p.Y.Max, p.X.Min, p.X.Max, math.Log10(0.58))
	}
	plain, err := Chart{Title: "t", Series: series, LogX: true}.Plot()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []Mark{{Name: "zero", At: 0, OnX: true}, {Name: "nan", At: math.NaN()}, {Name: "inf", At: math.Inf(1)}} {
		p, err := Chart{Title: "t", Series: series, LogX: true, Marks: []Mark{m}}.Plot()
		if err != nil {
			t.Fatalf("%s: %v", m.Name, err)
		}
		if p.X.Min != plain.X.Min || p.X.Max != plain.X.Max || p.Y.Min != plain.Y.Min || p.Y.Max != plain.Y.Max {
			t.Errorf("a mark at %g (x: %v) moved the axes to x [%g, %g], y [%g, %g]; want [%g, %g], [%g, %g]", m.At, m.OnX,
				p.X.Min, p.X.Max, p.Y.Min, p.Y.Max, plain.X.Min, plain.X.Max, plain.Y.Min, plain.Y.Max)
		}
		img := vgimg.New(MinChartWidth, 4.5*vg.Inch)
		p.Draw(draw.New(img)) // no panic, no line: counted below for the drawable ones
	}
	// A single point: fit's range around it still takes the mark in.
	one, err := Chart{Title: "t", Series: []Series{{Name: "relu", X: []float64{1}, Y: []float64{0.5}}}, Marks: []Mark{{Name: "chance", At: 0.1}}}.Plot()
	if err != nil {
		t.Fatal(err)
	}
	if one.Y.Min > 0.1 {
		t.Errorf("one point at 0.5 and a mark at 0.1: y from %g; want the mark in", one.Y.Min)
	}
}

// TestMarksDrawnBeneathTheSeries: a level's dotted line runs across the
// data area in markColor where no series is, and a series along it
// keeps its own colour.
func TestMarksDrawnBeneathTheSeries(t *testing.T) {
	x := []float64{1, 2, 3, 4}
	p, err := Chart{Title: "t", Series: []Series{
		{Name: "relu", X: x, Y: []float64{0, 0.5, 0.5, 1}},
	}, WholeX: true, Marks: []Mark{{Name: "level", At: 0.5}, {Name: "x", At: 3.5, OnX: true}}}.Plot()
	if err != nil {
		t.Fatal(err)
	}
	img, at := pixelsOf(p)
	// The mark's grey, smoothed at its edges: neutral and darker than the
	// grid's 228.
	grey := func(r, g, b uint32) bool { return r == g && g == b && r < 200 }
	relu, _ := ActivationColor("relu")
	// Left of x = 1.9 the series lies below the level: the mark alone,
	// dotted (2 of every 5 points drawn).
	if got := rowShare(img, at, 1.0, 1.4, 0.5, grey); got < 0.25 || got > 0.7 {
		t.Errorf("the level's colour in %.0f%% of its columns where no series is; want a dotted line, about 40%%", 100*got)
	}
	if got := rowShare(img, at, 2.1, 2.9, 0.5, colourIs(relu)); got < 0.95 {
		t.Errorf("relu's colour in %.0f%% of its line along the level; want all of it, the mark beneath", 100*got)
	}
	col, top := at(3.5, 0.3)
	_, bottom := at(3.5, 0.05)
	seen := 0
	for row := top; row < bottom; row++ {
		for dx := -2; dx <= 2; dx++ {
			if r, g, b, _ := img.At(col+dx, row).RGBA(); grey(r>>8, g>>8, b>>8) {
				seen++
				break
			}
		}
	}
	if got := float64(seen) / float64(bottom-top); got < 0.25 {
		t.Errorf("the vertical mark's colour in %.0f%% of its rows; want a dotted line", 100*got)
	}
}

// TestSeriesShapesTellApartWhatColoursMayNot: sigmoid, tanh and relu
// (red, green and blue, two of them alike to a red-green colour-blind
// reader) have shapes of their own wherever they are drawn, and a long
// series marks about longSeriesMarks of its points with its shape, where
// it had none.
func TestSeriesShapesTellApartWhatColoursMayNot(t *testing.T) {
	shapes := map[string]bool{}
	for k, name := range []string{"sigmoid", "tanh", "relu"} {
		shape := fmt.Sprintf("%T", seriesShape(name, k))
		if shapes[shape] {
			t.Errorf("%s has the shape %s of another of the three", name, shape)
		}
		shapes[shape] = true
		if again := fmt.Sprintf("%T", seriesShape(name+" (never)", 7)); again != shape {
			t.Errorf("%q has the shape %s; %s's own is %s", name+" (never)", again, name, shape)
		}
	}
	for _, n := range []int{61, 150, 1000} {
		xy := make(plotter.XYs, n)
		if got := len(everyNth(xy, (n+longSeriesMarks-1)/longSeriesMarks)); got < longSeriesMarks-2 || got > longSeriesMarks {
			t.Errorf("a series of %d points marks %d of them; want about %d", n, got, longSeriesMarks)
		}
	}
}

// TestUnjoinedPointsStandAlone: a series of Unjoined points has no line
// between them, where the same series joined has one; its points are
// drawn, larger than a joined series' marks.
func TestUnjoinedPointsStandAlone(t *testing.T) {
	relu, _ := ActivationColor("relu")
	for _, unjoined := range []bool{false, true} {
		p, err := Chart{Title: "t", Series: []Series{{Name: "relu", X: []float64{1, 3, 4}, Y: []float64{0.5, 0.5, 1}, Unjoined: unjoined}}}.Plot()
		if err != nil {
			t.Fatal(err)
		}
		img, at := pixelsOf(p)
		between := rowShare(img, at, 1.9, 2.1, 0.5, colourIs(relu))
		col, row := at(4, 1)
		bluish := func(r, g, b uint32) bool { return b > r+40 } // relu's blue, smoothed at its edges; not the grey grid
		point := countIn(img, col-8, col+9, [2]int{row - 8, row + 9}, bluish)
		switch {
		case unjoined && between > 0:
			t.Errorf("unjoined: relu's colour in %.0f%% of the columns midway; want no line", 100*between)
		case !unjoined && between < 0.9:
			t.Errorf("joined: relu's colour in %.0f%% of the columns midway; want the line", 100*between)
		case unjoined && point < 25:
			t.Errorf("unjoined: %d of relu's pixels about the point (4, 1); want a large mark", point)
		}
	}
}
