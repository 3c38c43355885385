package plot

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
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
	img, at := pixelsOf(p)
	// share is the fraction of the columns from x = from to to whose pixels
	// about y = 31 hold name's colour.
	share := func(name string, from, to float64) float64 {
		want, _ := ActivationColor(name)
		return rowShare(img, at, from, to, 31, colourIs(want))
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
	img, at := pixelsOf(p)
	if gap := MinChartWidth - dataAreaEnd(p); gap > 4*legendGap {
		t.Errorf("the data area ends %v from the right edge; want no legend beside it (one named series)", gap)
	}
	share := func(y float64, want color.RGBA) float64 { return rowShare(img, at, 1.05, 2.95, y, colourIs(want)) }
	relu, _ := ActivationColor("relu")
	if got := share(1, relu); got < 0.95 {
		t.Errorf("relu's colour in %.0f%% of its line, under a faint series drawn after it; want all of it", 100*got)
	}
	if got := share(2, faintColor); got < 0.95 {
		t.Errorf("the faint series' colour in %.0f%% of its line; want all of it", 100*got)
	}
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

// pixelsOf draws p at a chart's size (MinChartWidth by 4.5 inches, 96
// dots an inch) and returns the picture and where a point of the data
// lands in it (column, row: rows run down).
func pixelsOf(p *plot.Plot) (image.Image, func(x, y float64) (int, int)) {
	img := vgimg.New(MinChartWidth, 4.5*vg.Inch)
	canvas := draw.New(img)
	p.Draw(canvas)
	area := p.DataCanvas(canvas)
	toX, toY := p.Transforms(&area)
	px := func(l vg.Length) int { return int(float64(l) * img.DPI() / 72) }
	return img.Image(), func(x, y float64) (int, int) { return px(toX(x)), px(canvas.Max.Y - toY(y)) }
}

// dataAreaEnd is where p's data area ends at a chart's size, in points.
func dataAreaEnd(p *plot.Plot) vg.Length {
	return p.DataCanvas(draw.New(vgimg.New(MinChartWidth, 4.5*vg.Inch))).Max.X
}

// rowShare is the fraction of the picture's columns from x = from to to
// (data values; at places them) that hold a pixel is takes within two
// rows of y: how much of a line along y shows a colour.
func rowShare(img image.Image, at func(x, y float64) (int, int), from, to, y float64, is func(r, g, b uint32) bool) float64 {
	first, row := at(from, y)
	last, _ := at(to, y)
	seen := 0
	for col := first; col < last; col++ {
		for dy := -2; dy <= 2; dy++ { // a line is a few pixels thick
			if r, g, b, _ := img.At(col, row+dy).RGBA(); is(r>>8, g>>8, b>>8) {
				seen++
				break
			}
		}
	}
	return float64(seen) / float64(max(last-first, 1))
}

// colourIs tells a pixel of exactly c.
func colourIs(c color.RGBA) func(r, g, b uint32) bool {
	return func(r, g, b uint32) bool { return r == uint32(c.R) && g == uint32(c.G) && b == uint32(c.B) }
}

// TestTitledGrid: a grid's title takes a band above its cells, with dark
// lettering in it, and adds that band's height to the picture; no title,
// no band.
func TestTitledGrid(t *testing.T) {
	p, err := Chart{Title: "relu", Series: []Series{{Name: "relu", X: []float64{1, 2}, Y: []float64{1, 2}}}}.Plot()
	if err != nil {
		t.Fatal(err)
	}
	decode := func(title string) image.Image {
		var buf bytes.Buffer
		if err := WriteTitledGridPNG(&buf, title, []*plot.Plot{p, p}, 2, 3*vg.Inch, 2*vg.Inch); err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(&buf)
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	plain, titled := decode(""), decode("training loss by epoch")
	band := int(float64(gridTitleBand) / 72 * PNGDPI)
	if got := titled.Bounds().Dy() - plain.Bounds().Dy(); got != band || titled.Bounds().Dx() != plain.Bounds().Dx() {
		t.Errorf("the titled grid is %v, the plain one %v; want %d rows taller, as wide", titled.Bounds(), plain.Bounds(), band)
	}
	dark := 0
	for y := range band {
		for x := range titled.Bounds().Dx() {
			if r, _, _, _ := titled.At(x, y).RGBA(); r>>8 < 100 {
				dark++
			}
		}
	}
	if dark < 200 {
		t.Errorf("%d dark pixels in the title's band; want its lettering", dark)
	}
}
