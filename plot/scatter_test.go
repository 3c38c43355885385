package plot

import (
	"bytes"
	"fmt"
	"image/png"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/tensor"
)

func TestRegionsAndLines(t *testing.T) {
	ds := &data.Dataset{X: tensor.FromRows([][]float32{{-1, 0}, {1, 0}, {-1, 1}, {1, 1}}), Labels: []int{0, 1, 0, 1}, Classes: 2,
		Features: []string{"a", "b"}, ClassNames: []string{"left", "right"}}
	p, err := Regions(ds, func(x0, x1 float32) int {
		if x0 > 0 {
			return 1
		}
		return 0
	}, "halves")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WritePNG(&buf, p, 3*vg.Inch, 3*vg.Inch); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	// A pixel in the left half is bluish (class 0), one in the right half orangey.
	area := pngArea(p, 3*vg.Inch, 3*vg.Inch)
	toX, toY := p.Transforms(&area)
	scale := float64(img.Bounds().Dy()) / float64(3*vg.Inch) // pixels a point
	at := func(x, y vg.Length) (x0, y0 int) {
		return int(float64(x) * scale), img.Bounds().Dy() - int(float64(y)*scale)
	}
	lr, _, lb, _ := img.At(at(toX(-0.5), toY(0.5))).RGBA()
	rr, _, rb, _ := img.At(at(toX(0.5), toY(0.5))).RGBA()
	if !(lb > lr && rr > rb) {
		t.Errorf("left pixel r=%d b=%d, right pixel r=%d b=%d: the regions are not coloured by class", lr, lb, rr, rb)
	}
	// The regions fill the data area to its edges and stop there: a pixel
	// just under its top edge is coloured, one just over it is white.
	img72 := vgimg.NewWith(vgimg.UseWH(3*vg.Inch, 3*vg.Inch), vgimg.UseDPI(72)) // a pixel a point
	c := draw.New(img72)
	p.Draw(c)
	area = p.DataCanvas(c)
	top := img72.Image().Bounds().Dy() - int(math.Round(float64(area.Max.Y))) // points count up, pixels down
	for _, at := range []struct {
		y     int
		white bool
	}{{top + 3, false}, {top - 2, true}} {
		r, g, b, _ := img72.Image().At(int(area.Max.X)-5, at.y).RGBA()
		if white := r == 0xffff && g == 0xffff && b == 0xffff; white != at.white {
			t.Errorf("the pixel at row %d (the data area's top at %d): white %v, want %v", at.y, top, white, at.white)
		}
	}
	// Upright: a classifier of x1 colours the top of the picture by the
	// class of the high values.
	upper, err := Regions(ds, func(x0, x1 float32) int {
		if x1 > 0.5 {
			return 1
		}
		return 0
	}, "upper")
	if err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if err := WritePNG(&buf, upper, 3*vg.Inch, 3*vg.Inch); err != nil {
		t.Fatal(err)
	}
	if img, err = png.Decode(&buf); err != nil {
		t.Fatal(err)
	}
	area = pngArea(upper, 3*vg.Inch, 3*vg.Inch)
	row := func(y vg.Length) int { return img.Bounds().Dy() - int(float64(y)*scale) }
	x := int(float64(area.Min.X+area.Max.X) / 2 * scale)
	tr, _, tb, _ := img.At(x, row(area.Max.Y)+4).RGBA()
	br, _, bb, _ := img.At(x, row(area.Min.Y)-4).RGBA()
	if !(tr > tb && bb > br) {
		t.Errorf("top pixel r=%d b=%d, bottom r=%d b=%d: want class 1 (orange) on top, class 0 (blue) below", tr, tb, br, bb)
	}
	if _, err := Regions(&data.Dataset{X: tensor.New(2, 3), Labels: []int{0, 1}, Classes: 2}, nil, "3-D"); err == nil {
		t.Error("regions of 3-D data were drawn")
	}
	if _, err := Lines("l", "x", "y", []Series{{Name: "s", X: []float64{1, 2}, Y: []float64{0, 10}}}, true); err != nil {
		t.Errorf("log-scale lines with a zero: %v", err)
	}
}

// TestClassPlotsKeepTheirLegendOffThePoints: scatter and region plots of
// classes are lettered as the others (sans serif) and put the legend, a
// row a class, above the plotting area, in room the title leaves.
func TestClassPlotsKeepTheirLegendOffThePoints(t *testing.T) {
	ds := &data.Dataset{X: tensor.FromRows([][]float32{{-1, 0}, {1, 0}, {0, 1}}), Labels: []int{0, 1, 2}, Classes: 3,
		Features: []string{"a", "b"}}
	scatter, err := Scatter(ds, "three")
	if err != nil {
		t.Fatal(err)
	}
	regions, err := Regions(ds, func(x0, x1 float32) int { return 0 }, "three")
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]*plot.Plot{"scatter": scatter, "regions": regions} {
		if v := p.Title.TextStyle.Font.Variant; v != "Sans" {
			t.Errorf("%s: title lettered %q, want Sans", name, v)
		}
		if !p.Legend.Top || p.Legend.YOffs < vg.Points(36) || p.Title.Padding <= p.Legend.YOffs {
			t.Errorf("%s: legend top %v, raised %v under a title padded %v; want three rows above the points", name, p.Legend.Top, p.Legend.YOffs, p.Title.Padding)
		}
	}
}

// TestManyClassesKeepTheirPoints: past legendAbove classes the legend stands
// beside the points, inside the picture, rather than pushing them off the
// figure or covering them; classes whose colours repeat take other marks.
func TestManyClassesKeepTheirPoints(t *testing.T) {
	rows := make([][]float32, 40)
	labels := make([]int, 40)
	for i := range rows {
		rows[i], labels[i] = []float32{float32(i), float32(i % 7)}, i
	}
	p, err := Scatter(&data.Dataset{X: tensor.FromRows(rows), Labels: labels, Classes: 40, Features: []string{"a", "b"}}, "forty")
	if err != nil {
		t.Fatal(err)
	}
	if p.Title.Padding > vg.Points(24) {
		t.Errorf("forty classes: the title padded %v; want the legend beside the points", p.Title.Padding)
	}
	canvas := draw.New(vgimg.New(5*vg.Inch, 5*vg.Inch))
	area := p.DataCanvas(canvas)
	var beside []plot.GlyphBox
	for _, b := range p.GlyphBoxes(p) {
		if b.X == 1 && b.Y == 1 && b.Min.X == legendGap {
			beside = append(beside, b)
		}
	}
	if len(beside) != 1 || p.Legend.Rectangle(area).Size().X != 0 || area.Max.X+beside[0].Max.X > canvas.Max.X {
		t.Errorf("forty classes: %d legends beside the points, the plot's own %v pt wide; want one beside, inside the picture, and none over the points", len(beside), p.Legend.Rectangle(area).Size().X)
	}
	seen := map[string]int{}
	for k := range 80 {
		mark := fmt.Sprintf("%v %T", ClassColor(k), classMark(k))
		if j, ok := seen[mark]; ok {
			t.Errorf("classes %d and %d are drawn alike: %s", j, k, mark)
		}
		seen[mark] = k
	}
}

// TestScatterOfFeaturesOnly: a table of two columns without a class
// column is drawn as its points, in one colour, where it once drew an
// empty square; its axes run a little past them, so that no mark sits on
// the frame.
func TestScatterOfFeaturesOnly(t *testing.T) {
	ds := &data.Dataset{X: tensor.FromRows([][]float32{{-3, -1}, {0, 0.5}, {3, 1}}), Features: []string{"x0", "y"}}
	p, err := Scatter(ds, "sine.csv")
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Min >= -3 || p.X.Max <= 3 || p.Y.Min >= -1 || p.Y.Max <= 1 || p.X.Label.Text != "x0" || p.Y.Label.Text != "y" {
		t.Errorf("axes %s from %v to %v, %s from %v to %v; want x0 and y a little past the points", p.X.Label.Text, p.X.Min, p.X.Max, p.Y.Label.Text, p.Y.Min, p.Y.Max)
	}
	if _, err := Scatter(&data.Dataset{X: tensor.New(2, 3)}, "t"); err == nil || !strings.Contains(err.Error(), "3 features with no target") {
		t.Errorf("three features only: %v", err)
	}
}

// TestScatterSaysWhatItNeeds: data it cannot draw is named in words: its
// features, counted, and whether they come with classes or values.
func TestScatterSaysWhatItNeeds(t *testing.T) {
	oneFeatureLabels := &data.Dataset{X: tensor.FromRows([][]float32{{1}, {2}}), Labels: []int{0, 1}, Classes: 2}
	threeValues := &data.Dataset{X: tensor.New(2, 3), Values: tensor.New(2, 1)}
	for _, c := range []struct {
		ds   *data.Dataset
		want string
	}{
		{oneFeatureLabels, "this set has 1 feature with classes"},
		{threeValues, "this set has 3 features with values"},
	} {
		if _, err := Scatter(c.ds, "t"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Scatter: %v; want %q", err, c.want)
		}
	}
	if _, err := Regions(oneFeatureLabels, nil, "t"); err == nil || !strings.Contains(err.Error(), "this set has 1 feature") {
		t.Errorf("Regions: %v", err)
	}
}

// TestSquareWidthKeepsTheDataSquare: a scatter of 40 classes, whose legend
// stands beside the points, is drawn wider than high by the legend, and
// one of three classes, its legend above, narrower: each data area
// square.
func TestSquareWidthKeepsTheDataSquare(t *testing.T) {
	height := 5 * vg.Inch
	for _, classes := range []int{3, 40} {
		rows := make([][]float32, 2*classes)
		labels := make([]int, len(rows))
		for i := range rows {
			rows[i] = []float32{float32(i%7) - 3, float32(i%5) - 2}
			labels[i] = i % classes
		}
		p, err := Scatter(&data.Dataset{X: tensor.FromRows(rows), Labels: labels, Classes: classes}, "t")
		if err != nil {
			t.Fatal(err)
		}
		width, err := SquareWidth(p, height)
		if err != nil {
			t.Fatal(err)
		}
		area := pngArea(p, width, height)
		w, h := area.Max.X-area.Min.X, area.Max.Y-area.Min.Y
		if math.Abs(float64(w-h)) > 2 {
			t.Errorf("%d classes: drawn %.0f by %.0f points, its data area %.0f by %.0f; want it square", classes, width, height, w, h)
		}
		if (classes > legendAbove) != (width > height) {
			t.Errorf("%d classes: %.0f points wide for %.0f high; want wider for a legend beside the points, narrower for one above", classes, width, height)
		}
	}
}

// TestSquareWidthRefusesWhatWritePNGRefuses: a nil plot, and a height
// WritePNG would refuse (0, NaN, a mile), are errors, not panics; a tall
// picture is not refused for a width it would not return.
func TestSquareWidthRefusesWhatWritePNGRefuses(t *testing.T) {
	if _, err := SquareWidth(nil, 5*vg.Inch); err == nil {
		t.Error("SquareWidth(nil): no error")
	}
	p, err := Scatter(&data.Dataset{X: tensor.FromRows([][]float32{{0, 0}, {1, 1}}), Labels: []int{0, 1}, Classes: 2}, "t")
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []vg.Length{0, -1, vg.Length(math.NaN()), 63360 * vg.Inch} {
		if _, err := SquareWidth(p, h); err == nil {
			t.Errorf("SquareWidth of height %v: no error", h)
		}
	}
	// 21 inches high: refused as if 84 wide (over 1,600 square inches), it
	// is drawn as wide as WritePNG allows.
	w, err := SquareWidth(p, 21*vg.Inch)
	if err != nil || w*21*vg.Inch > maxArea {
		t.Errorf("SquareWidth of 21 inches: %v, %v; want a width WritePNG draws", w, err)
	}
}
