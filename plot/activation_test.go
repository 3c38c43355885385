package plot

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"io"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/tensor"
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

// pngArea is p's data area as WritePNG draws it at width×height.
func pngArea(p *plot.Plot, width, height vg.Length) draw.Canvas {
	return p.DataCanvas(draw.Crop(draw.New(vgimg.New(width, height)), pngMargin, -pngMargin, pngMargin, -pngMargin))
}

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

// TestSlideFigures: the range shows relu6's cap; step's jump is a gap, not
// a stroke; tanh's axis is marked at its range's ends ±1; the title holds
// the formula.
func TestSlideFigures(t *testing.T) {
	if r := RangeFor(act.MustNew("relu6")); r.Max < 7 || r.Min > -7 {
		t.Errorf("relu6's range %v does not show its cap at 6 with room", r)
	}
	if r := RangeFor(act.MustNew("tanh")); r != DefaultRange {
		t.Errorf("tanh's range %v, want the default", r)
	}
	x, y, _ := curves(act.MustNew("step"), Range{-1, 1}, 101)
	if parts := pieces(x, y); len(parts) != 2 {
		t.Errorf("step drawn in %d pieces, want 2 (a gap at the jump)", len(parts))
	}
	_, sy, _ := curves(act.MustNew("sigmoid"), Range{-6, 6}, 101)
	if parts := pieces(x, sy); len(parts) != 1 {
		t.Errorf("sigmoid drawn in %d pieces, want 1", len(parts))
	}
	ticks := roundTicks{must: []float64{-1, 1}}.Ticks(-1.1, 1.1)
	var labels []string
	for _, tk := range ticks {
		labels = append(labels, tk.Label)
	}
	if !slices.Contains(labels, "-1.0") && !slices.Contains(labels, "-1") || !slices.Contains(labels, "1.0") && !slices.Contains(labels, "1") {
		t.Errorf("tanh's ticks %v lack ±1", labels)
	}
	gelu := roundTicks{must: []float64{-0.17}}.Ticks(-0.5, 6)
	for _, tk := range gelu {
		if tk.Value == -0.17 {
			t.Errorf("gelu's -0.17 got a tick beside 0: the labels would collide (%v)", gelu)
		}
	}
	p, err := Activation(act.MustNew("tanh"), DefaultRange)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.Title.Text, "2*sigmoid(2x) - 1") || p.Title.TextStyle.Font.Variant != "Sans" {
		t.Errorf("title %q in %v; want the formula, sans-serif", p.Title.Text, p.Title.TextStyle.Font)
	}
}

// TestRoundTickLabels: a linear axis's labels as a reader writes them, with
// an exponent on a huge or tiny axis (an activation's slope of 3e38 labelled
// its ticks with 39 digits, and 0 as -3777893186295716170956).
func TestRoundTickLabels(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   []string
	}{
		{-1.1, 1.1, []string{"-1.0", "-0.5", "0", "0.5", "1.0"}},
		{-0.3, 0.35, []string{"-0.3", "-0.2", "-0.1", "0", "0.1", "0.2", "0.3"}},
		{-3.2e38, 3.2e38, []string{"-3e+38", "-2e+38", "-1e+38", "0", "1e+38", "2e+38", "3e+38"}},
		{-1.1e7, 1.1e7, []string{"-1e+07", "-5e+06", "0", "5e+06", "1e+07"}},
		{0, 2.5e-5, []string{"0", "5e-06", "1e-05", "1.5e-05", "2e-05", "2.5e-05"}},
		{0, 250000, []string{"0", "50000", "100000", "150000", "200000", "250000"}},
	} {
		var labels []string
		for _, tk := range (roundTicks{}).Ticks(c.lo, c.hi) {
			labels = append(labels, tk.Label)
		}
		if !slices.Equal(labels, c.want) {
			t.Errorf("ticks of [%g, %g]: %q, want %q", c.lo, c.hi, labels, c.want)
		}
	}
}

// TestWholeXTicksFallOnWholeNumbers: a chart of epochs marks whole epochs
// only, one epoch (an axis widened to [0, 2]) and a few alike, and
// without WholeX the same axes keep their halves.
func TestWholeXTicksFallOnWholeNumbers(t *testing.T) {
	for _, c := range []struct {
		xs         []float64
		whole, cut []string
	}{
		{[]float64{1}, []string{"0", "1", "2"}, []string{"0", "0.5", "1.0", "1.5", "2.0"}},
		{[]float64{1, 2, 3}, []string{"1", "2", "3"}, []string{"1.0", "1.5", "2.0", "2.5", "3.0"}},
		{[]float64{1, 30}, []string{"5", "10", "15", "20", "25", "30"}, []string{"5", "10", "15", "20", "25", "30"}},
	} {
		for _, whole := range []bool{true, false} {
			ys := make([]float64, len(c.xs))
			for i := range ys {
				ys[i] = float64(i + 1)
			}
			p, err := Chart{Title: "t", XLabel: "epoch", Series: []Series{{Name: "relu", X: c.xs, Y: ys}}, LogY: true, WholeX: whole}.Plot()
			if err != nil {
				t.Fatal(err)
			}
			var labels []string
			for _, tk := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
				labels = append(labels, tk.Label)
			}
			want := map[bool][]string{true: c.whole, false: c.cut}[whole]
			if !slices.Equal(labels, want) {
				t.Errorf("epochs %v, WholeX %v: x ticks %q, want %q", c.xs, whole, labels, want)
			}
		}
	}
}

// TestXAtTicksTheMeasuredValues: a chart of 2, 4 and 8 layers marks
// those alone, where round ticks had marked 3, 5, 6 and 7 as well.
func TestXAtTicksTheMeasuredValues(t *testing.T) {
	xs := []float64{2, 4, 8}
	p, err := Chart{Title: "t", XLabel: "layers", Series: []Series{{Name: "relu", X: xs, Y: []float64{3, 2, 1}}}, WholeX: true, XAt: xs}.Plot()
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, tk := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
		labels = append(labels, tk.Label)
	}
	if !slices.Equal(labels, []string{"2", "4", "8"}) {
		t.Errorf("x ticks %q; want 2, 4, 8", labels)
	}
}

// TestTicksOfDegenerateRanges: ranges whose ends are a few ULPs apart
// get one tick (counting round steps there never ended: k++ no longer
// moved k past 2⁵³), ranges that are not finite none, and WholeX on a
// range without a whole number keeps its fractional ticks.
func TestTicksOfDegenerateRanges(t *testing.T) {
	for _, r := range [][2]float64{{1, math.Nextafter(1, 2)}, {0.3, math.Nextafter(0.3, 2)}, {0.9, 0.9}, {1e300, math.Nextafter(1e300, math.Inf(1))}} {
		for _, m := range []plot.Ticker{roundTicks{}, roundTicks{whole: true}, logTicks{}} {
			if ticks := m.Ticks(r[0], r[1]); len(ticks) != 1 || ticks[0].Value != r[0] {
				t.Errorf("%T%+v of [%v, %v]: %v; want one tick at %v", m, m, r[0], r[1], ticks, r[0])
			}
		}
	}
	for _, r := range [][2]float64{{math.NaN(), 1}, {0, math.Inf(1)}, {-math.MaxFloat64, math.MaxFloat64}, {2, 1}} {
		if ticks := (roundTicks{}).Ticks(r[0], r[1]); ticks != nil {
			t.Errorf("roundTicks of [%v, %v]: %v; want none", r[0], r[1], ticks)
		}
	}
	var labels []string
	for _, tk := range (roundTicks{whole: true}).Ticks(0.2, 0.8) {
		labels = append(labels, tk.Label)
	}
	if want := []string{"0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8"}; !slices.Equal(labels, want) {
		t.Errorf("whole ticks of [0.2, 0.8], no whole number in it: %q, want %q", labels, want)
	}
	p, err := Chart{Title: "t", Series: []Series{{Name: "relu", X: []float64{1, 2}, Y: []float64{1, math.Nextafter(1, 2)}}}, LogY: true}.Plot()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WritePNG(&buf, p, 4*vg.Inch, 3*vg.Inch); err != nil {
		t.Errorf("WritePNG of y values an ULP apart: %v", err)
	}
}

// TestOneSeriesClearsTheRightEdge: a chart without a legend keeps a margin
// right of its data area, so that its last point and x tick label do not
// touch the picture's edge.
func TestOneSeriesClearsTheRightEdge(t *testing.T) {
	p, err := Chart{Title: "t", Series: []Series{{Name: "relu", X: []float64{1, 2, 3}, Y: []float64{1, 0.9, 0.8}}}, WholeX: true}.Plot()
	if err != nil {
		t.Fatal(err)
	}
	width := 8 * vg.Inch
	area := p.DataCanvas(draw.New(vgimg.New(width, 5*vg.Inch)))
	if gap := width - area.Max.X; gap < 2*legendGap {
		t.Errorf("the data area ends %v from the right edge; want %v or more", gap, 2*legendGap)
	}
}

// TestLinearYTicksAreRound: a chart's linear y axis is labelled at four
// to seven round values (gonum's own marker labelled 0.4 and 0.8 alone on
// the lab's accuracies from 0.33 to 0.95).
func TestLinearYTicksAreRound(t *testing.T) {
	p, err := Chart{Title: "t", Series: []Series{{Name: "tanh", X: []float64{1, 2, 3}, Y: []float64{0.33, 0.6, 0.95}}}}.Plot()
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, tk := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if want := []string{"0.4", "0.5", "0.6", "0.7", "0.8", "0.9"}; !slices.Equal(labels, want) {
		t.Errorf("y ticks of [0.33, 0.95]: %q, want %q", labels, want)
	}
	// ZeroY: the axis of counts from 0, not from the data's least; a log axis as it was
	for _, c := range []struct {
		chart Chart
		want  float64
	}{
		{Chart{Series: []Series{{Name: "epochs", X: []float64{2, 4, 8}, Y: []float64{7, 10, 21}}}, ZeroY: true}, 0},
		{Chart{Series: []Series{{Name: "below", X: []float64{1, 2}, Y: []float64{-3, 4}}}, ZeroY: true}, -3},
		{Chart{Series: []Series{{Name: "log", X: []float64{1, 2}, Y: []float64{10, 100}}}, ZeroY: true, LogY: true}, 1},
	} {
		p, err := c.chart.Plot()
		if err != nil {
			t.Fatal(err)
		}
		if p.Y.Min != c.want {
			t.Errorf("%s, ZeroY (log %v): y from %v, want %v", c.chart.Series[0].Name, c.chart.LogY, p.Y.Min, c.want)
		}
	}
}

// TestLogTicks checks the labels of logarithmic axes: powers of ten as a
// reader writes them, and 2 and 5 as well on a short axis.
func TestLogTicks(t *testing.T) {
	labels := func(lo, hi float64) []string {
		var out []string
		for _, tk := range (logTicks{}).Ticks(lo, hi) {
			if tk.Label != "" {
				out = append(out, tk.Label)
			}
		}
		return out
	}
	for _, c := range []struct {
		lo, hi float64
		want   []string
	}{
		{1e-7, 5000, []string{"1e-07", "1e-06", "1e-05", "0.0001", "0.001", "0.01", "0.1", "1", "10", "100", "1000"}},
		{5, 21, []string{"5", "10", "20"}},
		{0.02, 0.9, []string{"0.02", "0.05", "0.1", "0.2", "0.5"}},
		{1, 1e6, []string{"1", "10", "100", "1000", "10000", "1e+05", "1e+06"}},
		{0.69, 1.2, []string{"0.7", "0.8", "0.9", "1"}}, // within a decade: every tick
		{3, 4.5, []string{"3.0", "3.5", "4.0", "4.5"}},  // two mantissa ticks: round values
		{13, 31, []string{"15", "20", "25", "30"}},
		{1e-4, 0.1, []string{"0.0001", "0.0002", "0.0005", "0.001", "0.002", "0.005", "0.01", "0.02", "0.05", "0.1"}}, // Log10(1e-4) is not −4 exactly
		{0.02, 1.2, []string{"0.02", "0.05", "0.1", "0.2", "0.5", "1"}},                                               // three decades: 1, 2 and 5
		{0.95, 1.25, []string{"0.95", "1.00", "1.05", "1.10", "1.15", "1.20", "1.25"}},                                // one mantissa step or less: round values
		{1.02, 1.08, []string{"1.02", "1.03", "1.04", "1.05", "1.06", "1.07", "1.08"}},
	} {
		if got := labels(c.lo, c.hi); !slices.Equal(got, c.want) {
			t.Errorf("ticks of [%g, %g]: %v, want %v", c.lo, c.hi, got, c.want)
		}
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

// TestZoomedPlotIsNotStretchedToARangeEnd: hardswish over [2.9, 3.1] is
// drawn about its values there, not down to its range's end at -0.375,
// which its plot over the default range marks; tanh's marks ±1.
func TestZoomedPlotIsNotStretchedToARangeEnd(t *testing.T) {
	hs := act.MustNew("hardswish")
	zoomed, err := Activation(hs, Range{2.9, 3.1})
	if err != nil {
		t.Fatal(err)
	}
	whole, err := Activation(hs, DefaultRange)
	if err != nil {
		t.Fatal(err)
	}
	if zoomed.Y.Min < 0 || whole.Y.Min > -0.375 {
		t.Errorf("hardswish's y axis from %v zoomed, from %v over the default range; want above 0 (its values and slopes there are above 1), and at or below -0.375", zoomed.Y.Min, whole.Y.Min)
	}
	tanh, err := Activation(act.MustNew("tanh"), DefaultRange)
	if err != nil {
		t.Fatal(err)
	}
	if must := tanh.Y.Tick.Marker.(roundTicks).must; !slices.Contains(must, -1) || !slices.Contains(must, 1) {
		t.Errorf("tanh's ticks must include %v; want -1 and 1", must)
	}
	// A minimum f takes is marked where the window holds it, not where f
	// only heads for it (silu on [-3, -2]) or lies flat far from it (gelu
	// on [-1000, -999], whose flat line had been padded to reach -0.17).
	for _, c := range []struct {
		name string
		r    Range
		end  float64
		want bool
	}{{"silu", DefaultRange, -0.2785, true}, {"silu", Range{-3, -2}, -0.2785, false}, {"gelu", Range{-1000, -999}, -0.17, false}} {
		p, err := Activation(act.MustNew(c.name), c.r)
		if err != nil {
			t.Fatal(err)
		}
		if got := slices.Contains(p.Y.Tick.Marker.(roundTicks).must, c.end); got != c.want {
			t.Errorf("%s on [%v, %v]: %v marked %v; want %v", c.name, c.r.Min, c.r.Max, c.end, got, c.want)
		}
	}
}

// TestSpecsDrawnWithoutTheDefaultsShape: a spec with other parameters than
// the defaults is not marked with the defaults' range ends (elu's -1 for
// elu(alpha=3), whose range ends at -3) nor widened for the defaults'
// kinks; with the defaults it is.
func TestSpecsDrawnWithoutTheDefaultsShape(t *testing.T) {
	elu3 := act.MustNew("elu", "alpha=3")
	p, err := Activation(elu3, DefaultRange)
	if err != nil {
		t.Fatal(err)
	}
	if must := p.Y.Tick.Marker.(roundTicks).must; slices.Contains(must, -1) {
		t.Errorf("elu(alpha=3)'s ticks must include %v; -1 is the default alpha's range end", must)
	}
	elu, err := Activation(act.MustNew("elu"), DefaultRange)
	if err != nil {
		t.Fatal(err)
	}
	if must := elu.Y.Tick.Marker.(roundTicks).must; !slices.Contains(must, -1) {
		t.Errorf("elu's ticks must include %v; want its range end -1", must)
	}
	relu6, hardtanh := act.MustNew("relu6"), act.MustNew("hardtanh", "min_val=-2", "max_val=2")
	if r := RangeFor(relu6); r.Max <= 6 {
		t.Errorf("RangeFor(relu6) = %v; want past its kink at 6", r)
	}
	if r := RangeFor(hardtanh); r != DefaultRange {
		t.Errorf("RangeFor(%s) = %v; want the default range", hardtanh, r)
	}
}

// TestRangeForOtherParameters: an activation with parameters other than
// the defaults is drawn over the range its own f′ needs, which the
// catalogue (written for the defaults) cannot say: each feature in with a
// third to spare, the default range where they all lie inside it.
func TestRangeForOtherParameters(t *testing.T) {
	for _, c := range []struct {
		f       act.Func
		feature float64 // the farthest point where f′ is still on its way
	}{
		{act.MustNew("hardtanh", "min_val=-10", "max_val=10"), 10},
		{act.MustNew("hardtanh", "min_val=-1", "max_val=20"), 20},
		{act.MustNew("softplus", "beta=0.1"), 10 * math.Log(99)}, // sigmoid(x/10) within a hundredth of 0 or 1
		{act.MustNew("celu", "alpha=10"), 10 * math.Log(100)},    // e^(x/10) down to a hundredth
		{act.MustNew("hardtanh", "min_val=-2", "max_val=2"), 0},
		{act.MustNew("elu", "alpha=3"), math.Log(100)}, // 3e^x down to a hundredth of 3
		{act.MustNew("leaky_relu", "negative_slope=0.2"), 0},
		{act.MustNew("softplus", "beta=5"), 0},
	} {
		r := RangeFor(c.f)
		// The samples lie 1.2% apart: the feature may be seen that much short.
		least, most := max(DefaultRange.Max, math.Ceil(c.feature*0.988*4/3)), max(DefaultRange.Max, math.Ceil(c.feature*4/3))
		if r.Max < least || r.Max > most || r.Min != -r.Max {
			t.Errorf("RangeFor(%s) = %v; want ±%g to ±%g (a feature at %.3g)", c.f, r, least, most, c.feature)
		}
	}
}

// TestSlopeReach: where f′ comes within a hundredth of its largest
// magnitude of its value far out, by the functions' own formulas: tanh′
// = 1 − tanh² = 0.01 at atanh(√0.99), sigmoid′ = σ(1 − σ) = 0.0025 at
// ln((1 + √0.99)/(1 − √0.99)) ≈ 5.99; relu6′'s kink at 6; relu's at 0.
func TestSlopeReach(t *testing.T) {
	for _, c := range []struct {
		name string
		want float64
	}{
		{"tanh", math.Atanh(math.Sqrt(0.99))},
		{"sigmoid", math.Log((1 + math.Sqrt(0.99)) / (1 - math.Sqrt(0.99)))},
		{"relu6", 6},
		{"relu", 0},
		{"identity", 0},
	} {
		got := slopeReach(act.MustNew(c.name))
		if math.Abs(got-c.want) > 0.012*c.want { // the samples lie 1.2% apart
			t.Errorf("slopeReach(%s) = %.4g; want %.4g", c.name, got, c.want)
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

// TestChartLegendClearsTheData: in a chart MinChartWidth wide, the
// legend stands right of the data area, inside the picture, on a linear x
// axis or a logarithmic one; the x axis ends at the last point rather than
// running on for it. However long the names (cut past legendLetter) and
// however many (in columns), the data keep a fair share of the picture.
func TestChartLegendClearsTheData(t *testing.T) {
	var many []string
	for i := range 30 {
		many = append(many, fmt.Sprintf("leaky_relu(negative_slope=0.%d)", i))
	}
	for _, c := range []struct {
		names []string
		logX  bool
	}{
		{[]string{"relu", "tanh"}, false},
		{[]string{"relu", "softplus(beta=2, threshold=10)", "leaky_relu(negative_slope=0.2)"}, false},
		{[]string{"sigmoid", "leaky_relu(negative_slope=0.2)"}, true},
		{[]string{"relu", strings.Repeat("softplus(beta=2)·", 5)}, false},
		{many, false},
	} {
		var series []Series
		for _, name := range c.names {
			series = append(series, Series{Name: name, X: []float64{1, 10, 100}, Y: []float64{3, 2, 1}})
		}
		p, err := Chart{Title: "t", XLabel: "epoch", YLabel: "loss", Series: series, LogX: c.logX}.Plot()
		if err != nil {
			t.Fatal(err)
		}
		canvas := draw.New(vgimg.New(MinChartWidth, 4.5*vg.Inch))
		dataArea := p.DataCanvas(canvas)
		toX, _ := p.Transforms(&dataArea)
		var legends []plot.GlyphBox
		for _, b := range p.GlyphBoxes(p) {
			if b.X == 1 && b.Y == 1 && b.Min.X == legendGap {
				legends = append(legends, b)
			}
		}
		if len(legends) != 1 || p.Legend.Rectangle(dataArea).Size().X != 0 {
			t.Fatalf("%q: %d legends beside the data and the plot's own of %.0f pt; want one beside and none inside", c.names, len(legends), p.Legend.Rectangle(dataArea).Size().X)
		}
		left, right := dataArea.Max.X+legendGap, dataArea.Max.X+legendGap+legends[0].Size().X
		if last := toX(onAxis(100, c.logX)); last > dataArea.Max.X || left <= last || right > canvas.Max.X || right-left < vg.Points(40) {
			t.Errorf("%q (log x %v): the last point at %.0f pt, the legend from %.0f to %.0f pt in a picture %.0f pt wide; want it right of the point and inside", c.names, c.logX, last, left, right, canvas.Max.X)
		}
		if p.X.Max != onAxis(100, c.logX) {
			t.Errorf("%q (log x %v): the x axis runs to %v; want it to end at the last point, 100", c.names, c.logX, p.X.Max)
		}
		if w, h := dataArea.Size().X, dataArea.Size().Y; !(w >= canvas.Size().X/3 && h >= canvas.Size().Y/2) {
			t.Errorf("%d names, the longest %d letters: the data area is %.0f×%.0f pt of a %.0f×%.0f picture; want a third of its width and half its height or more",
				len(c.names), len([]rune(c.names[len(c.names)-1])), w, h, canvas.Size().X, canvas.Size().Y)
		}
	}
}

// TestSideLegendLayout: a legend takes columns of at most legendRows
// names, fewer and longer ones where they would be wider than
// legendWidth, and says how many are left out where even those are full;
// a long name keeps its start and its end.
func TestSideLegendLayout(t *testing.T) {
	entries := func(n int, name func(i int) string) []legendEntry {
		var out []legendEntry
		for i := range n {
			out = append(out, legendEntry{name: name(i)})
		}
		return out
	}
	lettered := plot.New()
	slideStyle(lettered)
	style := lettered.Legend
	short := func(i int) string { return fmt.Sprintf("act%d", i) }
	long := func(i int) string { return fmt.Sprintf("leaky_relu(negative_slope=0.%02d) (diverged)", i) }
	for _, c := range []struct {
		n    int
		name func(int) string
		rows []int  // each column's names
		last string // the last name shown
	}{
		{12, short, []int{12}, "act11"},
		{13, short, []int{7, 6}, "act12"},
		{24, short, []int{12, 12}, "act23"},
		{30, long, []int{12}, "and 19 more"},
	} {
		side := newSideLegend(style, entries(c.n, c.name))
		var rows []int
		for _, col := range side.names {
			rows = append(rows, len(col))
		}
		col := side.names[len(side.names)-1]
		if !slices.Equal(rows, c.rows) || col[len(col)-1] != c.last || side.width() > legendWidth {
			t.Errorf("%d names: columns of %v, the last %q, %.0f pt wide; want %v, %q, at most %.0f", c.n, rows, col[len(col)-1], side.width(), c.rows, c.last, legendWidth)
		}
	}
	if got := shorten("leaky_relu(negative_slope=0.25) (diverged)", legendLetter); len([]rune(got)) != legendLetter || !strings.HasSuffix(got, "(diverged)") || !strings.HasPrefix(got, "leaky_relu(") {
		t.Errorf("shortened to %q (%d letters); want %d, its start and its end", got, len([]rune(got)), legendLetter)
	}
}

// TestChartOfNoPointsDraws: a chart whose series hold no point it can draw
// (every loss NaN, a logarithmic axis) is drawn empty; the ticks of a
// range with no positive numbers are none, not an endless loop.
func TestChartOfNoPointsDraws(t *testing.T) {
	nan := math.NaN()
	p, err := Chart{Title: "t", Series: []Series{{Name: "relu", X: []float64{1}, Y: []float64{nan}}, {Name: "tanh"}}, LogY: true, LogX: true}.Plot()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WritePNG(&buf, p, MinChartWidth, 4*vg.Inch); err != nil || buf.Len() == 0 {
		t.Errorf("WritePNG of a chart of no points: %v, %d bytes", err, buf.Len())
	}
	for _, r := range [][2]float64{{-1, 1}, {0, 1}, {nan, 1}, {1, math.Inf(1)}} {
		if ticks := (logTicks{}).Ticks(r[0], r[1]); ticks != nil {
			t.Errorf("logTicks of %v: %v; want none", r, ticks)
		}
	}
}

// TestOneValueOnAnAxisDraws: a chart or scatter whose data hold one value
// on an axis draws around it. gonum widens such a range by ±1, which takes
// a logarithmic axis at 0.5 below 0 (a panic) and leaves 1e16 where it was
// (another).
func TestOneValueOnAnAxisDraws(t *testing.T) {
	var plots []*plot.Plot
	for _, c := range []Chart{
		{Series: []Series{{Name: "identity", X: []float64{1}, Y: []float64{0.5}}}, LogY: true},
		{Series: []Series{{Name: "a", X: []float64{1, 2}, Y: []float64{0.5, 0.5}}, {Name: "b", X: []float64{1, 2}, Y: []float64{0.5, 0.5}}}, LogY: true},
		{Series: []Series{{Name: "x", X: []float64{3, 3}, Y: []float64{1e16, 1e16}}}, LogX: true},
	} {
		p, err := c.Plot()
		if err != nil {
			t.Fatal(err)
		}
		plots = append(plots, p)
	}
	for _, cols := range [][2]float32{{1e16, 0}, {-3e38, 1e20}} {
		ds := &data.Dataset{X: tensor.FromRows([][]float32{{cols[0], 1}, {cols[0], 2}, {cols[0], 3}}), Labels: []int{0, 1, 0}, Classes: 2}
		if cols[1] != 0 {
			ds.X = tensor.FromRows([][]float32{{cols[0], cols[1]}, {cols[0], cols[1]}})
			ds.Labels = []int{0, 1}
		}
		p, err := Scatter(ds, "constant")
		if err != nil {
			t.Fatal(err)
		}
		plots = append(plots, p)
	}
	for i, p := range plots {
		var buf bytes.Buffer
		if err := WritePNG(&buf, p, MinChartWidth, 4*vg.Inch); err != nil || buf.Len() == 0 {
			t.Errorf("plot %d: %v", i, err)
		}
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

// TestCoincidingSeriesShowThrough: series that lie on one line (tanh,
// sigmoid and gelu never reaching a target, relu on it for a stretch) each
// show their colour there, in about an equal share of its length, where
// the last drawn used to cover the others.
func TestCoincidingSeriesShowThrough(t *testing.T) {
	never := []float64{31, 31, 31}
	p, err := Chart{Title: "t", Series: []Series{
		{Name: "relu", X: []float64{1, 2, 3}, Y: []float64{31, 31, 15}},
		{Name: "tanh", X: []float64{1, 2, 3}, Y: never},
		{Name: "sigmoid", X: []float64{1, 2, 3}, Y: never},
		{Name: "gelu", X: []float64{1, 2, 3}, Y: never},
	}, WholeX: true}.Plot()
	if err != nil {
		t.Fatal(err)
	}
	img := vgimg.New(MinChartWidth, 4.5*vg.Inch)
	canvas := draw.New(img)
	p.Draw(canvas)
	area := p.DataCanvas(canvas)
	toX, toY := p.Transforms(&area)
	px := func(l vg.Length) int { return int(float64(l) * img.DPI() / 72) }
	y := px(canvas.Max.Y - toY(31)) // the image's y runs down
	// share is the fraction of the columns from x = from to to whose pixels
	// about y = 31 hold name's colour.
	share := func(name string, from, to float64) float64 {
		want, _ := ActivationColor(name)
		seen, columns := 0, 0
		for x := px(toX(from)); x < px(toX(to)); x++ {
			columns++
			for dy := -2; dy <= 2; dy++ { // the line is a few pixels thick
				r, g, b, _ := img.Image().At(x, y+dy).RGBA()
				if r>>8 == uint32(want.R) && g>>8 == uint32(want.G) && b>>8 == uint32(want.B) {
					seen++
					break
				}
			}
		}
		return float64(seen) / float64(columns)
	}
	for _, c := range []struct {
		names    []string
		from, to float64
	}{
		{[]string{"relu", "tanh", "sigmoid", "gelu"}, 1.05, 1.95}, // four along one stretch
		{[]string{"tanh", "sigmoid", "gelu"}, 2.05, 2.95},         // three along the next
	} {
		for _, name := range c.names {
			if got, fair := share(name, c.from, c.to), 1/float64(len(c.names)); got < 0.6*fair {
				t.Errorf("%s: its colour in %.0f%% of the line from x = %v to %v, shared by %d series; want about %.0f%%",
					name, 100*got, c.from, c.to, len(c.names), 100*fair)
			}
		}
	}
}

// TestLogAxesKeepTheirLabelsBeside: a logarithmic axis with a long label
// leaves the data area where a linear one does: its top under the title,
// its right end at the legend. (gonum's LogScale placed a centred label
// by its values' linear midpoint, which left a band under the title.)
func TestLogAxesKeepTheirLabelsBeside(t *testing.T) {
	xs := []float64{0.25, 1, 4, 16, 64}
	ys := []float64{4e-8, 5e-5, 1e-2, 0.7, 7600}
	area := func(logX, logY bool, series int) vg.Rectangle {
		p, err := Chart{Title: "how much gradient reaches the first layer", XLabel: "initial weight scale s, over five decades of it, and a long while more",
			YLabel: "first/last layer ‖dW‖, over eleven decades", Series: []Series{{Name: "tanh", X: xs, Y: ys}, {Name: "relu", X: xs, Y: xs}}[:series],
			LogX: logX, LogY: logY}.Plot()
		if err != nil {
			t.Fatal(err)
		}
		return p.DataCanvas(draw.New(vgimg.New(MinChartWidth, 4.5*vg.Inch))).Rectangle
	}
	linear := area(false, false, 2)
	for _, c := range []struct {
		logX, logY bool
		series     int // one: no legend beside the data, which would take the room a label pushed
	}{{true, false, 2}, {false, true, 2}, {true, true, 2}, {true, false, 1}} {
		want := linear
		if c.series == 1 {
			want = area(false, false, 1)
		}
		got := area(c.logX, c.logY, c.series)
		// within 8 pt: a logarithmic axis widened to a label at its top end
		// (logToLabels) gives that label's upper half room, where a linear
		// one's headroom (chartHeadroom) keeps its top label inside
		if math.Abs(float64(got.Max.Y-want.Max.Y)) > 8 || math.Abs(float64(got.Max.X-want.Max.X)) > 1 {
			t.Errorf("log x %v, log y %v, %d series: the data area's top right at (%.0f, %.0f) pt; want (%.0f, %.0f), as on linear axes",
				c.logX, c.logY, c.series, got.Max.X, got.Max.Y, want.Max.X, want.Max.Y)
		}
	}
}

// TestLogAxisReachesALabel: a logarithmic axis whose values run more than
// a tenth of a decade past its last label is widened to the next (losses
// from 1.1 to 40 had a lowest label of 2); one whose ends sit near labels
// is left as it is.
func TestLogAxisReachesALabel(t *testing.T) {
	for _, c := range []struct {
		y          []float64
		low, high  float64 // the labelled values the axis must reach
		exactRange bool    // no widening wanted: the axis spans the data
	}{
		{[]float64{1.1, 3, 40}, 1, 50, false},
		{[]float64{0.013, 0.4, 0.9}, 0.01, 1, false},
		{[]float64{1, 10, 100}, 1, 100, true},
		// over more than three decades only powers of ten are labelled: the
		// axis reaches one, and never cuts a value off
		{[]float64{2.3, 0.5, 0.01, 1e-4}, 1e-4, 10, false},
		{[]float64{1.1, 30, 40000}, 1, 1e5, false},
		{[]float64{0.0011, 0.3, 1.5}, 0.001, 10, false},
	} {
		x := make([]float64, len(c.y))
		for i := range x {
			x[i] = float64(i + 1)
		}
		p, err := Chart{Title: "t", Series: []Series{{Name: "relu", X: x, Y: c.y}}, LogY: true}.Plot()
		if err != nil {
			t.Fatal(err)
		}
		var labelled []float64
		for _, tk := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
			if tk.Label != "" {
				labelled = append(labelled, math.Pow(10, tk.Value))
			}
		}
		lo, hi := slices.Min(labelled), slices.Max(labelled)
		if math.Abs(lo-c.low) > 1e-9*c.low || math.Abs(hi-c.high) > 1e-9*c.high {
			t.Errorf("values %v: labels from %v to %v; want from %v to %v", c.y, lo, hi, c.low, c.high)
		}
		if least, most := slices.Min(c.y), slices.Max(c.y); math.Pow(10, p.Y.Min) > least*(1+1e-9) || math.Pow(10, p.Y.Max) < most*(1-1e-9) {
			t.Errorf("values %v: the axis spans %v to %v; want every value on it", c.y, math.Pow(10, p.Y.Min), math.Pow(10, p.Y.Max))
		}
		if c.exactRange && (math.Abs(p.Y.Min-0) > 1e-9 || math.Abs(p.Y.Max-2) > 1e-9) {
			t.Errorf("values %v: the axis spans 10^%v to 10^%v; want the data's 1 to 100", c.y, p.Y.Min, p.Y.Max)
		}
	}
	// near float64's largest, the next label would be +Inf: the end stays
	p, err := Chart{Title: "t", Series: []Series{{Name: "relu", X: []float64{1, 2, 3}, Y: []float64{1e300, 1e305, 1.5e308}}}, LogY: true}.Plot()
	if err != nil || math.IsInf(p.Y.Max, 0) || math.IsNaN(p.Y.Max) || math.IsInf(p.Y.Min, 0) {
		t.Errorf("values to 1.5e308: axis 10^%v to 10^%v, %v; want finite ends", p.Y.Min, p.Y.Max, err)
	}
}

// TestLog10TicksAreLogTicks: an axis of log10 values is marked where
// logTicks marks the values, with the same labels: over ranges that start
// at a power of ten, a few ULPs wide, under a decade, near the largest
// float64; and a one-value range on a logarithmic axis spans a decade
// each way.
func TestLog10TicksAreLogTicks(t *testing.T) {
	for _, r := range [][2]float64{{1e4, 2e6}, {1e4, 9e6}, {1, math.Nextafter(1, 2)}, {1 - 1e-15, 1 + 1e-15}, {13, 31}, {0.04, 1.2},
		{4e-8, 7600}, {1e300, math.MaxFloat64}, {1e-300, 1e-290}, {0.5, 0.5000001}} {
		want, got := (logTicks{}).Ticks(r[0], r[1]), (log10Ticks{}).Ticks(math.Log10(r[0]), math.Log10(r[1]))
		if len(got) != len(want) || len(want) == 0 {
			t.Errorf("[%g, %g]: %d ticks of log10s, %d of the values; want as many, and some", r[0], r[1], len(got), len(want))
			continue
		}
		for i := range want {
			if got[i].Label != want[i].Label || math.Abs(got[i].Value-math.Log10(want[i].Value)) > 1e-9 {
				t.Errorf("[%g, %g]: tick %d at %g %q; want at log10(%g) %q", r[0], r[1], i, got[i].Value, got[i].Label, want[i].Value, want[i].Label)
			}
		}
	}
	p, err := Chart{Title: "t", Series: []Series{{Name: "relu", X: []float64{1, 2}, Y: []float64{0.3, 0.3}}}, LogY: true}.Plot()
	if err != nil {
		t.Fatal(err)
	}
	if lo, hi := math.Pow(10, p.Y.Min), math.Pow(10, p.Y.Max); math.Abs(lo-0.03) > 1e-12 || math.Abs(hi-3) > 1e-12 {
		t.Errorf("one value, 0.3, on a logarithmic axis: the axis spans %g to %g; want 0.03 to 3", lo, hi)
	}
}

// TestPNGKeepsAMargin: nothing a picture draws touches its edges (a bar's
// name stood flush with the left one).
func TestPNGKeepsAMargin(t *testing.T) {
	bars, err := Bars("relu's forward pass is the cheapest", "ns / element", []string{"leaky_relu", "relu", "softplus"}, []float64{0.08, 0.08, 0.56})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WritePNG(&buf, bars, 7*vg.Inch, 4*vg.Inch); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for _, x := range []int{b.Min.X, b.Min.X + 1, b.Max.X - 2, b.Max.X - 1} {
			if r, g, bl, _ := img.At(x, y).RGBA(); r != 0xffff || g != 0xffff || bl != 0xffff {
				t.Fatalf("pixel (%d, %d) at the picture's edge is drawn on", x, y)
			}
		}
	}
}

// TestShadesStayApart: five shades of one colour (the lab's widths) differ
// in lightness by a tenth of the scale or more from one to the next, so
// that each line can be told from its neighbours.
func TestShadesStayApart(t *testing.T) {
	for _, name := range []string{"tanh", "relu", "sigmoid"} {
		shades := Shades(name, 5)
		light := func(c color.Color) float64 {
			r, g, b, _ := c.RGBA()
			return (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(b)) / 0xffff
		}
		for i := 1; i < len(shades); i++ {
			if d := light(shades[i-1]) - light(shades[i]); d < 0.1 {
				t.Errorf("%s: shades %d and %d differ in lightness by %.3f; want 0.1 or more, lighter first", name, i-1, i, d)
			}
		}
		// two shades (the lab's variance): apart, and the lighter not washed out on white
		two := Shades(name, 2)
		if d := light(two[0]) - light(two[1]); d < 0.1 || light(two[0]) > 0.8 {
			t.Errorf("%s: two shades of lightness %.3f and %.3f; want them 0.1 apart and the lighter at most 0.8", name, light(two[0]), light(two[1]))
		}
	}
}

// TestLegendRowsStandApart draws plots whose legend stands above the data
// and reads the picture: in the legend's strip, left of the centred title,
// each entry is a band of ink with blank pixel rows between it and the
// next, and between the last and the top of the data area (gonum's own
// step between entries had rows of 12 pt text touch, and the last one the
// axis).
func TestLegendRowsStandApart(t *testing.T) {
	tanh, err := Activation(act.MustNew("tanh"), Range{Min: -6, Max: 6})
	if err != nil {
		t.Fatal(err)
	}
	classes := func(n int) *plot.Plot {
		ds := &data.Dataset{X: tensor.New(n, 2), Labels: make([]int, n), Classes: n, Features: []string{"a", "b"}}
		for i := range n {
			ds.Labels[i] = i
			ds.X.Row(i)[0], ds.X.Row(i)[1] = float32(i), float32(i%2)
		}
		p, err := Scatter(ds, "the title, centred over the points")
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		name string
		p    *plot.Plot
		rows int
	}{{"tanh", tanh, 2}, {"3 classes", classes(3), 3}, {"4 classes", classes(legendAbove), legendAbove}} {
		const width, height = 480, 360 // points, drawn a pixel a point
		canvas := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(72))
		c.p.Draw(draw.New(canvas))
		dataArea := c.p.DataCanvas(draw.New(canvas))
		img := canvas.Image()
		dataTop := height - int(math.Ceil(float64(dataArea.Max.Y))) // in pixel rows, from the top
		x0, x1 := int(dataArea.Min.X)+1, int(dataArea.Min.X)+60     // the legend's marks and the start of its names
		var bands [][2]int                                          // rows of ink, top to bottom, above the data
		for y := range dataTop {
			inked := false
			for x := x0; x < x1 && !inked; x++ {
				r, g, b, _ := img.At(x, y).RGBA()
				inked = r < 0xe000 || g < 0xe000 || b < 0xe000
			}
			switch {
			case inked && len(bands) > 0 && bands[len(bands)-1][1] == y-1:
				bands[len(bands)-1][1] = y
			case inked:
				bands = append(bands, [2]int{y, y})
			}
		}
		if len(bands) != c.rows {
			t.Errorf("%s: %d bands of ink above the data in the legend's strip, at rows %v; want %d entries apart", c.name, len(bands), bands, c.rows)
			continue
		}
		if last := bands[len(bands)-1][1]; dataTop-last < 3 {
			t.Errorf("%s: the legend's last row of ink at pixel row %d, the data's top at %d; want 3 rows or more between", c.name, last, dataTop)
		}
	}
}

// TestFaintSeriesStayBehind: a Faint series is drawn in faintColor beneath
// the others, whatever their order, takes no share of a line it runs
// along with another, and no legend: a chart of one series besides faint
// ones has its data area to the right edge.
func TestFaintSeriesStayBehind(t *testing.T) {
	x := []float64{1, 2, 3}
	p, err := Chart{Title: "t", Series: []Series{
		{Name: "relu", X: x, Y: []float64{1, 1, 1}},
		{Name: "tanh", X: x, Y: []float64{1, 1, 1}, Faint: true}, // along relu's line, after it
		{Name: "sigmoid", X: x, Y: []float64{2, 2, 2}, Faint: true},
	}, WholeX: true}.Plot()
	if err != nil {
		t.Fatal(err)
	}
	width := MinChartWidth
	img := vgimg.New(width, 4.5*vg.Inch)
	canvas := draw.New(img)
	p.Draw(canvas)
	area := p.DataCanvas(canvas)
	if gap := width - area.Max.X; gap > 4*legendGap {
		t.Errorf("the data area ends %v from the right edge; want no legend beside it (one named series)", gap)
	}
	toX, toY := p.Transforms(&area)
	px := func(l vg.Length) int { return int(float64(l) * img.DPI() / 72) }
	share := func(y float64, want color.RGBA) float64 {
		row, seen, columns := px(canvas.Max.Y-toY(y)), 0, 0
		for col := px(toX(1.05)); col < px(toX(2.95)); col++ {
			columns++
			for dy := -2; dy <= 2; dy++ {
				r, g, b, _ := img.Image().At(col, row+dy).RGBA()
				if r>>8 == uint32(want.R) && g>>8 == uint32(want.G) && b>>8 == uint32(want.B) {
					seen++
					break
				}
			}
		}
		return float64(seen) / float64(columns)
	}
	relu, _ := ActivationColor("relu")
	if got := share(1, relu); got < 0.95 {
		t.Errorf("relu's colour in %.0f%% of its line, under a faint series drawn after it; want all of it", 100*got)
	}
	if got := share(2, faintColor); got < 0.95 {
		t.Errorf("the faint series' colour in %.0f%% of its line; want all of it", 100*got)
	}
}

// TestCurvesRunNoFurtherThanATickPast: an activation's figure has a
// labelled tick within a quarter step of its lowest and highest values
// (prelu's -1.5 on the default range had run 0.75 of a step of 2 below
// the lowest tick, 0).
func TestCurvesRunNoFurtherThanATickPast(t *testing.T) {
	for _, info := range act.Catalogue() {
		f := act.MustNew(info.Name)
		for _, r := range []Range{DefaultRange, {-3, 3}, {-1, 1}, {-8, 8}, {0.5, 4}} {
			p, err := Activation(f, r)
			if err != nil {
				t.Fatal(err)
			}
			_, y, dy := curves(f, r, samples)
			low, high := extent(y, dy, nil)
			ticks := p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max)
			step, _ := tickStep(p.Y.Min, p.Y.Max, false)
			var labelled []float64
			for _, tk := range ticks {
				if tk.Label != "" {
					labelled = append(labelled, tk.Value)
				}
			}
			if len(labelled) == 0 || slices.Min(labelled) > low+step/4+1e-9 || slices.Max(labelled) < high-step/4-1e-9 {
				t.Errorf("%s on [%v, %v]: values %v to %v, labelled ticks %v (step %v); want one within a quarter step beyond each end", info.Name, r.Min, r.Max, low, high, labelled, step)
			}
		}
	}
}

// TestCallersMistakesAreErrors: values a caller may pass that cannot make
// a figure are errors saying what is wrong, never a panic; a colour of a
// negative class or shades of none are still given.
func TestCallersMistakesAreErrors(t *testing.T) {
	relu := act.MustNew("relu")
	ok, err := Activation(relu, DefaultRange)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		err  func() error
		want string
	}{
		{"a series of fewer y", func() error {
			_, err := Chart{Series: []Series{{Name: "a", X: []float64{1, 2, 3}, Y: []float64{1}}}}.Plot()
			return err
		}, `series 0 ("a"): 3 x values and 1 y values`},
		{"no bars", func() error { _, err := Bars("t", "v", nil, nil); return err }, "no bars"},
		{"bars short of names", func() error { _, err := Bars("t", "v", []string{"a"}, []float64{1, 2}); return err }, "1 names for 2 values"},
		{"a bar of NaN", func() error { _, err := Bars("t", "v", []string{"a"}, []float64{math.NaN()}); return err }, `bar 0 ("a") is NaN`},
		{"no activation", func() error { _, err := Activation(nil, DefaultRange); return err }, "no activation"},
		{"a range of NaN", func() error { _, err := Activation(relu, Range{math.NaN(), 1}); return err }, "the range [NaN, 1]"},
		{"a range past float64", func() error { _, err := Activation(relu, Range{-1e308, 1e308}); return err }, "less than float64's largest apart"},
		{"a picture of 0 points", func() error { return WritePNG(io.Discard, ok, 0, 100) }, "a picture of 0×100 points"},
		{"a picture of NaN", func() error { return WritePNG(io.Discard, ok, vg.Length(math.NaN()), 100) }, "want each side above 0"},
		{"no plot", func() error { return WritePNG(io.Discard, nil, 100, 100) }, "no plot"},
		{"no writer", func() error { return WritePNG(nil, ok, 100, 100) }, "a nil io.Writer"},
		{"a grid of cells of 0", func() error { return WriteGridPNG(io.Discard, []*plot.Plot{ok}, 1, 0, 100) }, "plot grid: a picture of 0×100"},
		{"a grid of 100,000 columns", func() error { return WriteGridPNG(io.Discard, []*plot.Plot{ok}, 100_000, 100, 100) }, "plot grid: a picture of 1e+07×100"},
		{"no data to scatter", func() error { _, err := Scatter(nil, "t"); return err }, "no data"},
		{"no data's regions", func() error { _, err := Regions(nil, func(float32, float32) int { return 0 }, "t"); return err }, "no data"},
	} {
		if err := c.err(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want an error saying %q", c.name, err, c.want)
		}
	}
	if got, want := ClassColor(-1), ClassColor(len(palette)-1); got != want {
		t.Errorf("ClassColor(-1) = %v; want the palette's last, %v", got, want)
	}
	if n := len(Shades("relu", -1)); n != 0 {
		t.Errorf("Shades(relu, -1): %d shades; want none", n)
	}
	RangeFor(nil) // DefaultRange, no panic
}

// TestNotFiniteValuesBreakTheLine: a series' line stops at a value that is
// not finite and starts again after it (a line across would show values
// never measured); bars of negative values run left of 0, inside the axis.
func TestNotFiniteValuesBreakTheLine(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		y    []float64
		runs [][]float64 // the y of each stretch of line, in turn
	}{
		{[]float64{1, 0.5, 0.4, 0.3}, [][]float64{{1, 0.5, 0.4, 0.3}}},
		{[]float64{1, 0.5, nan, math.Inf(1), 0.2, 0.1}, [][]float64{{1, 0.5}, {0.2, 0.1}}},
		{[]float64{nan, 1, 0.5, nan}, [][]float64{{1, 0.5}}},
		{[]float64{1, nan, 0.5, nan, 0.2, 0.1}, [][]float64{{0.2, 0.1}}}, // 1 and 0.5 alone: points, not lines
	} {
		x := make([]float64, len(c.y))
		for i := range x {
			x[i] = float64(i)
		}
		xy, gaps := Chart{}.drawn(Series{X: x, Y: c.y})
		if lxy, lgaps := (Chart{LogY: true}).drawn(Series{X: x, Y: c.y}); len(lxy) != len(xy) || !slices.Equal(lgaps, gaps) {
			t.Errorf("y %v on a log axis: %d points, gaps %v; want those of a linear one (every y above 0)", c.y, len(lxy), lgaps)
		}
		var runs [][]float64
		for _, line := range dashedRuns(xy, make([]share, len(gaps)), gaps, draw.LineStyle{}) {
			var ys []float64
			for _, p := range line.XYs {
				ys = append(ys, p.Y)
			}
			runs = append(runs, ys)
		}
		if fmt.Sprint(runs) != fmt.Sprint(c.runs) {
			t.Errorf("y %v: lines through %v; want %v", c.y, runs, c.runs)
		}
		if _, err := (Chart{Series: []Series{{Name: "relu", X: x, Y: c.y}, {Name: "tanh", X: x, Y: c.y, Faint: true}}}).Plot(); err != nil {
			t.Errorf("y %v: %v", c.y, err)
		}
	}
	// A series none of whose values can be drawn keeps its name in the
	// legend, saying so; a faint one and one of no values have none.
	for _, c := range []struct {
		s     Series
		drawn int
		log   bool
		want  string
		named bool
	}{
		{Series{Name: "relu", X: []float64{1, 2}, Y: []float64{nan, nan}}, 0, false, "relu (no finite value)", true},
		{Series{Name: "relu", X: []float64{1, 2}, Y: []float64{nan, nan}}, 0, true, "relu (no finite value)", true},
		{Series{Name: "relu", X: []float64{1, 2}, Y: []float64{0, -1}}, 0, true, "relu (no value above 0)", true},
		{Series{Name: "relu", X: []float64{1, 2}, Y: []float64{1, 2}}, 2, false, "relu", true},
		{Series{Name: "relu", X: []float64{1}, Y: []float64{nan}, Faint: true}, 0, false, "", false},
		{Series{Name: "relu"}, 0, false, "", false},
	} {
		if got, named := legendName(c.s, c.drawn, c.log); got != c.want || named != c.named {
			t.Errorf("legendName(%+v, %d) = %q, %v; want %q, %v", c.s, c.drawn, got, named, c.want, c.named)
		}
	}
	// On a logarithmic axis a 0 (a loss that reached it) is a gap too.
	_, gaps := Chart{LogY: true}.drawn(Series{X: []float64{1, 2, 3, 4}, Y: []float64{1, 0.1, 0, 0.01}})
	if !slices.Equal(gaps, []bool{false, true}) {
		t.Errorf("1, 0.1, 0, 0.01 on a log axis: gaps %v; want the line broken at the 0", gaps)
	}
	p, err := Bars("t", "v", []string{"relu", "tanh", "gelu"}, []float64{-1, -3, 2})
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Min > -3 || p.X.Max < 2 {
		t.Errorf("bars of -1, -3 and 2 on an axis from %v to %v; want it to hold them", p.X.Min, p.X.Max)
	}
}
