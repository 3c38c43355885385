// Package plot draws wiggle's figures with gonum/plot and writes them as PNG:
// activation curves and their derivatives, and grids of them.
//
// Text is lettered in gonum/plot's Liberation fonts, which cover Latin,
// Greek and Cyrillic; a character they have no glyph for (CJK, emoji) is
// written as its code point, U+732B, rather than left out.
//
// Concurrency: the functions share nothing but the fonts, which they only
// read, and may run on many goroutines at once.
package plot

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/internal/nilio"
)

// Curve colours: f solid blue, f′ dashed orange.
var (
	valueColor = color.RGBA{R: 31, G: 119, B: 180, A: 255}
	derivColor = color.RGBA{R: 255, G: 127, B: 14, A: 255}
)

// Range is the interval of x a curve is drawn over.
type Range struct{ Min, Max float64 }

// DefaultRange shows both saturation regions of sigmoid and tanh and the
// kinks of the hard functions; RangeFor widens it where an activation's
// features lie beyond (relu6's cap at 6).
var DefaultRange = Range{-6, 6}

const samples = 961

// RangeFor is the range that shows f's features: DefaultRange, widened to
// take in each of them with a third to spare. Where f has its default
// parameters its features are the kinks of its flat parts the catalogue
// names (relu6's "x >= 6"); with others, where f′ is still on its way to
// its value far out (hardtanh(min_val=-10, max_val=10)'s kinks at ±10,
// softplus(beta=0.1)'s bend over ±46, celu(alpha=10)'s tail to −46), which
// the catalogue, written for the defaults, cannot say.
func RangeFor(f act.Func) Range {
	if f == nil {
		return DefaultRange
	}
	var reach float64
	if info, ok := defaultInfo(f); ok {
		for _, v := range numbersIn(info.FlatWhere) {
			reach = max(reach, math.Abs(v))
		}
	} else {
		reach = slopeReach(f)
	}
	if m := math.Ceil(reach * 4 / 3); m > DefaultRange.Max {
		m = min(m, 1e6) // the samples' reach: a kink at 9e5 still in
		return Range{-m, m}
	}
	return DefaultRange
}

// slopeReach is how far from 0 f′ still differs from its value far out on
// that side (at ±1e6) by more than a hundredth of its largest magnitude,
// sampled at 0 and at 1e-3 to 1e6 on either side, 1.2% apart: where f's
// shape lies (tanh's 3, sigmoid's 6, a kink's own place). 0 for a
// straight line.
func slopeReach(f act.Func) float64 {
	const perDecade, decades = 200, 9
	x := []float32{0}
	for k := range decades*perDecade + 1 {
		v := float32(math.Pow(10, float64(k)/perDecade-3))
		x = append(x, v, -v)
	}
	y, slope, ones := make([]float32, len(x)), make([]float32, len(x)), make([]float32, len(x))
	for i := range ones {
		ones[i] = 1
	}
	f.Forward(y, x)
	f.Backward(slope, ones, x, y)
	farRight, farLeft := slope[len(x)-2], slope[len(x)-1]
	var largest float64
	for _, s := range slope {
		if s := math.Abs(float64(s)); s > largest && !math.IsInf(s, 0) {
			largest = s
		}
	}
	var reach float64
	for i, s := range slope {
		far := farRight
		if x[i] < 0 {
			far = farLeft
		}
		if d := math.Abs(float64(s - far)); d > largest/100 { // NaN compares false: skipped
			reach = max(reach, math.Abs(float64(x[i])))
		}
	}
	return reach
}

// defaultInfo returns the catalogue's entry of f where f has its default
// parameters, and the zero Info elsewhere: an entry's Range and FlatWhere
// are written for the defaults (hardtanh's kinks at ±1, elu's range from
// -1) and say nothing of hardtanh(min_val=-10, max_val=10) or elu(alpha=3).
func defaultInfo(f act.Func) (act.Info, bool) {
	info, ok := act.Lookup(f.Name())
	if !ok {
		return act.Info{}, false
	}
	if def, err := act.New(f.Name()); err != nil || !maps.Equal(act.Params(f), act.Params(def)) {
		return act.Info{}, false
	}
	return info, true
}

// numbersIn returns the numbers written in s ("x <= 0, x >= 6" gives 0, 6;
// "(-1.7581, inf)" gives -1.7581).
func numbersIn(s string) []float64 {
	var out []float64
	for _, field := range strings.FieldsFunc(s, func(r rune) bool { return !strings.ContainsRune("0123456789.-", r) }) {
		if v, err := strconv.ParseFloat(field, 64); err == nil {
			out = append(out, v)
		}
	}
	return out
}

// Activation returns a figure of f (solid) and f′ (dashed) over r, fit for
// a slide: f's formula in the title, sans-serif lettering, ticks at round
// values that include the ends of f's range (±1 for tanh), the curves
// broken where they jump (step, and f′ at a kink) rather than joined by a
// vertical stroke, and the legend above the curves.
func Activation(f act.Func, r Range) (*plot.Plot, error) {
	switch {
	case f == nil:
		return nil, errors.New("no activation (nil)")
	case !finite(r.Min) || !finite(r.Max) || r.Min >= r.Max || !finite(r.Max-r.Min):
		return nil, fmt.Errorf("the range [%v, %v]: want finite ends, the first below the second, less than float64's largest apart", r.Min, r.Max)
	}
	info, _ := act.Lookup(f.Name())
	x, y, dy := curves(f, r, samples)
	p := plot.New()
	p.Title.Text = f.String()
	if info.Formula != "" {
		p.Title.Text += "\n" + info.Formula
	}
	derivLabel := "f′(x)"
	p.X.Label.Text, p.Y.Label.Text = "x", "f(x), f′(x)"
	scale := derivScale(y, dy)
	if scale > 1 {
		for i := range dy {
			dy[i] *= float32(scale)
		}
		derivLabel = fmt.Sprintf("f′(x) × %d", scale)
		p.Y.Label.Text = fmt.Sprintf("f(x), %d·f′(x)", scale)
	}
	p.Add(plotter.NewGrid())
	for _, c := range []struct {
		label string
		v     []float32
		color color.Color
		dash  []vg.Length
		curve curve
	}{
		{"f(x)", y, valueColor, nil, curve{f: f}},
		{derivLabel, dy, derivColor, []vg.Length{vg.Points(7), vg.Points(4)}, curve{f: f, deriv: true, scale: float64(scale)}},
	} {
		for i, part := range c.curve.pieces(x, c.v) {
			line, err := plotter.NewLine(part)
			if err != nil {
				return nil, fmt.Errorf("plot %s: %w", f, err)
			}
			line.Color, line.Dashes, line.Width = c.color, c.dash, vg.Points(2.5)
			p.Add(line)
			if i == 0 {
				p.Legend.Add(c.label, line)
			}
		}
	}
	shape, _ := defaultInfo(f)
	ends := nearEnds(y, rangeEnds(shape.Range))
	p.Y.Min, p.Y.Max = span(y, dy, ends)
	p.X.Min, p.X.Max = r.Min, r.Max
	p.Y.Tick.Marker = roundTicks{must: ends}
	p.X.Tick.Marker = roundTicks{}
	p.Add(rightMargin(2 * legendGap)) // the x axis's last label clear of the picture's edge (6.10, not 6.1)
	slideStyle(p)
	legendAboveData(p, 2)
	return p, nil
}

// derivScale is the round factor (2, 5, 10, 20, 50, ...) f′'s values y′
// are drawn times, so that they reach a third or so of the height f's
// values y take, where f's span is more than twelve times f′'s largest
// size: over the range that shows softplus(beta=0.1), f climbs to 60
// while f′ goes from 0 to 1, flat at the foot of a shared axis. 1 where
// f′ is as large as f's span allows (every activation with its defaults,
// leaky_relu(0.99), whose f′ barely changes but is 1), or constant
// (identity).
func derivScale(y, dy []float32) int {
	ylo, yhi := extent(y, nil, nil)
	dlo, dhi := extent(dy, nil, nil)
	fSpan, dSize := yhi-ylo, max(math.Abs(dlo), math.Abs(dhi))
	if !(dhi > dlo) || !(fSpan > 12*dSize) || math.IsInf(fSpan, 0) {
		return 1
	}
	k := 1
	for _, next := range []int{2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000} {
		if float64(next)*dSize > fSpan/3 {
			break
		}
		k = next
	}
	return k
}

// rangeEnd is an end of f's range, and whether f takes it (a closed end,
// as silu's minimum, [-0.2785) or only tends to it (an open one, tanh's
// -1 in (-1, 1)).
type rangeEnd struct {
	v     float64
	taken bool
}

// rangeEnds reads the finite ends of a range as the catalogue writes it:
// "[-0.2785, inf)", "(-1, 1)", "{0, at_zero, 1}" (a set: each taken).
func rangeEnds(s string) []rangeEnd {
	var out []rangeEnd
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		for _, v := range numbersIn(part) {
			taken := strings.HasPrefix(s, "{") || strings.HasPrefix(part, "[") || strings.HasSuffix(part, "]")
			out = append(out, rangeEnd{v, taken})
		}
	}
	return out
}

// nearEnds keeps the ends of f's range that f's values y show: one it
// tends to within half the span of the values (tanh's ±1 on [-6, 6]),
// one it takes where it takes it (silu's minimum on [-6, 6], not on
// [-3, -2], which it does not reach). A window zoomed in elsewhere
// (hardswish on [2.9, 3.1], far above its -0.375; gelu flat at 0 on
// [-1000, -999]) is not stretched to reach one.
func nearEnds(y []float32, ends []rangeEnd) []float64 {
	lo, hi := extent(y, nil, nil)
	reach := max(0.5*(hi-lo), 1e-9)
	var near []float64
	for _, e := range ends {
		tol := 1e-3 * max(1, math.Abs(e.v))
		if e.taken && e.v >= lo-tol && e.v <= hi+tol || !e.taken && e.v >= lo-reach && e.v <= hi+reach {
			near = append(near, e.v)
		}
	}
	return near
}

// span is the y interval the figure shows: every finite value of the
// curves and the given ends of f's range, with a margin, and to a tick
// where they run past the last (toTicks).
func span(y, dy []float32, ends []float64) (lo, hi float64) {
	low, high := extent(y, dy, ends)
	lo, hi = padded(low, high)
	return toTicks(low, high, lo, hi, ends)
}

// padded is [lo, hi] with a margin of 6% of it a side (1 where it is a
// point).
func padded(lo, hi float64) (float64, float64) {
	pad := 0.06 * (hi - lo)
	if pad == 0 {
		pad = 1
	}
	return lo - pad, hi + pad
}

// extent is the least and the greatest of the finite values of the curves
// and the ends.
func extent(y, dy []float32, ends []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, vs := range [][]float32{y, dy} {
		for _, v := range points(vs, vs) {
			lo, hi = min(lo, v.Y), max(hi, v.Y)
		}
	}
	for _, e := range ends {
		lo, hi = min(lo, e), max(hi, e)
	}
	return lo, hi
}

// toTicks widens the axis [lo, hi], which shows values from low to high,
// by a tick step at an end where they run more than a quarter step past
// the last tick, a round one or one of must (roundTicks): prelu's -1.5 on
// [-6, 6] had run 0.75 of a step of 2 below the lowest tick, 0, so that
// no label told its value.
func toTicks(low, high, lo, hi float64, must []float64) (float64, float64) {
	for range 3 { // a wider axis may take a coarser step
		step, ok := tickStep(lo, hi, false)
		ticks := roundTicks{must: must}.Ticks(lo, hi) // as the axis marks it: an end too near a round tick has none
		if !ok || len(ticks) == 0 {
			break
		}
		first, last := ticks[0].Value, ticks[0].Value
		for _, tk := range ticks {
			first, last = min(first, tk.Value), max(last, tk.Value)
		}
		widened := false
		if low < first-step/4 {
			lo, widened = first-step, true
		}
		if high > last+step/4 {
			hi, widened = last+step, true
		}
		if !widened {
			break
		}
	}
	return lo, hi
}

// roundTicks marks an axis at round steps (1, 2 or 5 times a power of ten,
// four to seven of them; whole numbers only where whole is set and the
// range holds one), and at the values in must.
type roundTicks struct {
	must  []float64
	whole bool
}

// Ticks returns the ticks of [lo, hi]. A range too narrow for its floats
// to hold round steps (values a few ULPs apart) gets one tick, at lo,
// and a range that is not finite none.
func (r roundTicks) Ticks(lo, hi float64) []plot.Tick {
	if !finite(lo) || !finite(hi) || !finite(hi-lo) || hi < lo {
		return nil
	}
	step, ok := tickStep(lo, hi, r.whole)
	if !ok {
		return []plot.Tick{{Value: lo, Label: strconv.FormatFloat(lo, 'g', -1, 64)}}
	}
	first := math.Ceil(lo/step - 1e-9)
	var ticks []plot.Tick
	for k := first; k*step <= hi+step*1e-9; k++ { // k·step, not a sum: no drift
		ticks = append(ticks, plot.Tick{Value: k * step, Label: label(k*step, step)})
	}
	for _, m := range r.must {
		// An end of the range gets its own tick, unless a round tick is
		// already there or so near that the labels would collide.
		if m < lo || m > hi || slices.ContainsFunc(ticks, func(t plot.Tick) bool { return math.Abs(t.Value-m) < 0.3*step }) {
			continue
		}
		ticks = append(ticks, plot.Tick{Value: m, Label: strconv.FormatFloat(m, 'g', 4, 64)})
	}
	return ticks
}

// tickStep is the step of roundTicks on the finite range [lo, hi]: 1, 2
// or 5 times a power of ten, four to seven of them (1 at least where whole
// is set and the range holds a whole number). Not ok where the range is
// too narrow for its floats to hold round steps (values a few ULPs apart):
// a k·step would no longer move with k.
func tickStep(lo, hi float64, whole bool) (step float64, ok bool) {
	base := math.Pow(10, math.Floor(math.Log10((hi-lo)/5)))
	step = base
	for _, k := range []float64{1, 2, 5, 10} {
		if step = base * k; (hi-lo)/step <= 7 {
			break
		}
	}
	if whole && step < 1 && math.Floor(hi) >= math.Ceil(lo) {
		step = 1
	}
	first := math.Ceil(lo/step - 1e-9)
	return step, step > 0 && math.Abs(first) <= 1<<52 && math.Abs(hi/step) <= 1<<52
}

// label writes a tick's value to the precision of its step (0.3, not
// 0.30000000000000004; 0, not -0), with an exponent where the step is a
// million or more, or below 0.0001 (2e+38, not 39 digits).
func label(v, step float64) string {
	if math.Abs(v) < 1e-6*step {
		return "0"
	}
	if step >= 1e6 || step < 1e-4 {
		figures := math.Floor(math.Log10(math.Abs(v))+1e-9) - math.Floor(math.Log10(step)+1e-9) + 1
		return strconv.FormatFloat(v, 'g', max(1, int(figures)), 64)
	}
	digits := max(0, int(-math.Floor(math.Log10(step)+1e-9)))
	s := strconv.FormatFloat(v, 'f', digits, 64)
	if s == "-0" || strings.Trim(s, "-0.") == "" {
		return "0"
	}
	return s
}

// slideStyle sets sans-serif lettering large enough to read from the back
// of a room, and puts the legend above the curves, under the title.
func slideStyle(p *plot.Plot) {
	sans := func(size vg.Length) font.Font {
		return font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
	}
	p.Title.TextStyle.Font = sans(15)
	p.Title.Padding = vg.Points(24) // room for the legend between the title and the curves
	p.X.Label.TextStyle.Font, p.Y.Label.TextStyle.Font = sans(13), sans(13)
	p.X.Tick.Label.Font, p.Y.Tick.Label.Font = sans(12), sans(12)
	p.Legend.TextStyle.Font = sans(12)
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.YOffs = vg.Points(22)
	p.Legend.ThumbnailWidth = vg.Points(30)
}

// legendAboveData raises p's legend of rows entries (slideStyle's, at the
// top left) above its data area and pads the title to make room for it:
// rows apart (rowPadding), the lowest one's descenders a few points above
// the data's top.
func legendAboveData(p *plot.Plot, rows int) {
	const gap = 4 // points: above the data and below the title
	rows = max(rows, 1)
	ext := p.Legend.TextStyle.FontExtents()
	entry := p.Legend.TextStyle.Rectangle("x").Max.Y // gonum's step between entries, before Padding
	p.Legend.Padding = rowPadding(p.Legend)
	step := entry + p.Legend.Padding
	// gonum puts the first entry's box at YOffs − entry − descent above the
	// data's top, the text's baseline a descent above each box's bottom.
	p.Legend.YOffs = entry + ext.Descent + vg.Length(rows-1)*step + vg.Points(gap)
	p.Title.Padding = p.Legend.YOffs - entry + ext.Ascent + vg.Points(gap)
}

// rowPadding is the Padding that sets a legend's rows of text 2 points
// apart. gonum steps its entries by the text's height above the baseline
// less the line gap, so that without it rows of 12 pt text touched.
func rowPadding(l plot.Legend) vg.Length {
	ext := l.TextStyle.FontExtents()
	return ext.Ascent + ext.Descent - l.TextStyle.Rectangle("x").Max.Y + vg.Points(2)
}

// WritePNG renders p at width×height to w, pngMargin inside the
// picture's edges, at PNGDPI.
func WritePNG(w io.Writer, p *plot.Plot, width, height vg.Length) error {
	if err := checkPicture(w, width, height); err != nil {
		return err
	}
	if p == nil {
		return errors.New("no plot (nil)")
	}
	img := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(PNGDPI))
	p.Draw(inMargin(draw.New(img)))
	_, err := vgimg.PngCanvas{Canvas: img}.WriteTo(w)
	return err
}

// PNGDPI is the pixels an inch of WritePNG's and WriteGridPNG's pictures:
// twice a screen's 96, so that a figure stays sharp on a projector or a
// high-density screen (a lab chart of 7 inches is 1,344 pixels wide). A
// web page shows one at its size in inches with srcset's "2x".
const PNGDPI = 192

// titleStyle is a chart's title lettering, as slideStyle sets it.
func titleStyle() text.Style {
	p := plot.New()
	slideStyle(p)
	return p.Title.TextStyle
}

// maxPicture bounds a picture's sides, 100 inches (19,200 pixels at
// PNGDPI), and maxArea its area, 1,600 square inches (59 million pixels,
// 236 MB to draw): compare's grid of the whole catalogue, 12 by 41
// inches, fits.
const (
	maxPicture = 100 * vg.Inch
	maxArea    = 1600 * vg.Inch * vg.Inch
)

// checkPicture refuses a writer or a size that cannot make a picture.
func checkPicture(w io.Writer, width, height vg.Length) error {
	switch {
	case w == nil:
		return nilio.ErrNoWriter
	case !(width > 0 && width <= maxPicture && height > 0 && height <= maxPicture): // NaN too
		return fmt.Errorf("a picture of %.4g×%.4g inches: want each side above 0 and at most %.0f", float64(width/vg.Inch), float64(height/vg.Inch), float64(maxPicture/vg.Inch))
	case width*height > maxArea:
		return fmt.Errorf("a picture of %.4g×%.4g inches: want at most %.0f square inches (%.0f million pixels at %d dots an inch); draw fewer panels", float64(width/vg.Inch), float64(height/vg.Inch), float64(maxArea/vg.Inch/vg.Inch), float64(maxArea/vg.Inch/vg.Inch)*PNGDPI*PNGDPI/1e6, PNGDPI)
	}
	return nil
}

// pngMargin keeps what a plot draws at its edges (a bar's name, an axis
// label) off the picture's edge.
const pngMargin = vg.Length(4)

// inMargin is the part of a picture's canvas WritePNG draws a plot in.
func inMargin(c draw.Canvas) draw.Canvas {
	return draw.Crop(c, pngMargin, -pngMargin, pngMargin, -pngMargin)
}

// WriteGridPNG renders plots in a grid of the given columns, each cell
// cellW×cellH, to w as one PNG.
func WriteGridPNG(w io.Writer, plots []*plot.Plot, cols int, cellW, cellH vg.Length) error {
	return WriteTitledGridPNG(w, "", plots, cols, cellW, cellH)
}

// gridTitleBand is the height a grid's title takes above its cells.
const gridTitleBand = 0.5 * vg.Inch

// WriteTitledGridPNG is WriteGridPNG with title above the cells, in a
// plot's title lettering ("" for none): what the panels show together,
// which each panel's own title (an activation's name) does not say.
func WriteTitledGridPNG(w io.Writer, title string, plots []*plot.Plot, cols int, cellW, cellH vg.Length) error {
	if len(plots) == 0 || cols < 1 {
		return fmt.Errorf("plot grid: nothing to draw")
	}
	rows := (len(plots) + cols - 1) / cols
	band := vg.Length(0)
	if title != "" {
		band = gridTitleBand
	}
	width, height := cellW*vg.Length(cols), cellH*vg.Length(rows)+band
	if err := checkPicture(w, width, height); err != nil {
		return fmt.Errorf("plot grid: %w", err)
	}
	img := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(PNGDPI))
	dc := draw.New(img)
	if title != "" {
		style := titleStyle()
		style.XAlign, style.YAlign = draw.XCenter, draw.YTop
		dc.FillText(style, vg.Point{X: width / 2, Y: height - vg.Points(8)}, drawable(title))
		dc = draw.Crop(dc, 0, 0, 0, -band)
	}
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(6), PadY: vg.Points(6),
		PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(4)}
	grid := make([][]*plot.Plot, rows)
	for i := range grid {
		grid[i] = make([]*plot.Plot, cols)
		for j := range cols {
			if k := i*cols + j; k < len(plots) {
				grid[i][j] = plots[k]
			}
		}
	}
	canvases := plot.Align(grid, tiles, dc)
	for i := range grid {
		for j, p := range grid[i] {
			if p != nil {
				p.Draw(canvases[i][j])
			}
		}
	}
	_, err := vgimg.PngCanvas{Canvas: img}.WriteTo(w)
	return err
}
