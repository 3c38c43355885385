package plot

import (
	"bytes"
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
)

func TestCurvesSampleFAndDerivative(t *testing.T) {
	x, y, dy := evenly(act.MustNew("relu"), Range{-2, 2}, 5)
	want := [][]float32{{-2, -1, 0, 1, 2}, {0, 0, 0, 1, 2}, {0, 0, 0, 1, 1}}
	for i, got := range [][]float32{x, y, dy} {
		for j := range got {
			if got[j] != want[i][j] {
				t.Fatalf("evenly(relu) = %v %v %v, want %v", x, y, dy, want)
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
	return p.DataCanvas(inMargin(draw.New(vgimg.New(width, height))))
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
	step := act.MustNew("step")
	x, y, _ := curves(step, Range{-1, 1}, 101)
	if parts := (curve{f: step}).pieces(x, y); len(parts) != 2 {
		t.Errorf("step drawn in %d pieces, want 2 (a gap at the jump)", len(parts))
	}
	sigmoid := act.MustNew("sigmoid")
	sx, sy, _ := curves(sigmoid, Range{-6, 6}, 101)
	if parts := (curve{f: sigmoid}).pieces(sx, sy); len(parts) != 1 {
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
		{"a picture of 0 points", func() error { return WritePNG(io.Discard, ok, 0, 100) }, "a picture of 0×1.389 inches"},
		{"a picture of 50×50 inches", func() error { return WritePNG(io.Discard, ok, 50*vg.Inch, 50*vg.Inch) }, "want at most 1600 square inches"},
		{"a picture of NaN", func() error { return WritePNG(io.Discard, ok, vg.Length(math.NaN()), 100) }, "want each side above 0"},
		{"no plot", func() error { return WritePNG(io.Discard, nil, 100, 100) }, "no plot"},
		{"no writer", func() error { return WritePNG(nil, ok, 100, 100) }, "a nil io.Writer"},
		{"a grid of cells of 0", func() error { return WriteGridPNG(io.Discard, []*plot.Plot{ok}, 1, 0, 100) }, "plot grid: a picture of 0×1.389"},
		{"a grid of 100,000 columns", func() error { return WriteGridPNG(io.Discard, []*plot.Plot{ok}, 100_000, 100, 100) }, "plot grid: a picture of 1.389e+05×1.389 inches"},
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
