package plot

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/internal/quote"
)

// Series is one named line of a chart. A series named after an activation
// ("relu", "tanh") takes that activation's colour (ActivationColor), so
// that relu is the same colour in every figure; others take the palette
// in turn, unless Color is set.
type Series struct {
	Name  string
	X, Y  []float64
	Color color.Color // optional
	Dash  bool        // a dashed line, to tell apart two series of one colour
	// Faint draws the series as a thin light line (faintColor) beneath
	// the others, named in no legend: the rest of a set, behind the one a
	// small multiple shows (Color and Dash are then not used).
	Faint bool
}

// Chart is a line chart: the title says what to look at, the labels say
// what the axes hold and in what unit.
type Chart struct {
	Title, XLabel, YLabel string
	Series                []Series
	LogX, LogY            bool // logarithmic axes (non-positive values are left out: a gap in the line)
	// WholeX marks x as whole numbers (epochs, layers): its ticks fall on
	// whole numbers only, so that a chart of one epoch reads 0, 1, 2
	// rather than 0.5 and 1.5.
	WholeX bool
	// ZeroY starts a linear y axis at 0 (or lower, for data below it):
	// counts, such as epochs, read as ratios only from 0.
	ZeroY bool
	// XAt, when set, are the x axis's only ticks (on a linear axis): the
	// x values measured, 2, 4 and 8 layers, where ticks between them
	// would say that 3, 5, 6 and 7 were measured too.
	XAt []float64
}

// Lines draws series as lines with points; with logY the y axis is
// logarithmic (non-positive values are left out).
func Lines(title, xLabel, yLabel string, series []Series, logY bool) (*plot.Plot, error) {
	return Chart{Title: title, XLabel: xLabel, YLabel: yLabel, Series: series, LogY: logY}.Plot()
}

// Plot draws the chart. With two series or more, their legend stands
// right of the data area, which narrows to make room for it: no name
// covers a curve, and the x axis ends with the data. A logarithmic axis
// of the plot returned holds log10 values (onAxis): a plotter added to it
// takes its data's log10 there.
func (c Chart) Plot() (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text, p.X.Label.Text, p.Y.Label.Text = c.Title, c.XLabel, c.YLabel
	p.Add(plotter.NewGrid())
	lo, hi := math.Inf(1), math.Inf(-1)
	ylo, yhi := math.Inf(1), math.Inf(-1)
	xys := make([]plotter.XYs, len(c.Series))
	gaps := make([][]bool, len(c.Series)) // gaps[k][i]: series k has a point that is not finite between its i-th and next drawn points
	for k, s := range c.Series {
		if len(s.X) != len(s.Y) {
			return nil, fmt.Errorf("series %d (%s): %d x values and %d y values; want one y for each x", k, quote.Short(s.Name), len(s.X), len(s.Y))
		}
		xys[k], gaps[k] = c.drawn(s)
		for _, xy := range xys[k] {
			lo, hi = min(lo, xy.X), max(hi, xy.X)
			ylo, yhi = min(ylo, xy.Y), max(yhi, xy.Y)
		}
	}
	shares := sharedSegments(c.clearOfFaint(xys), gaps)
	for k, s := range c.Series { // beneath the others, whatever their order
		if s.Faint && len(xys[k]) > 0 {
			for _, run := range unbroken(xys[k], gaps[k]) {
				line, err := plotter.NewLine(run)
				if err != nil {
					return nil, err
				}
				line.Color, line.Width = faintColor, vg.Points(1)
				p.Add(line)
			}
		}
	}
	var entries []legendEntry
	for k, s := range c.Series {
		xy := xys[k]
		name, named := legendName(s, len(xy), c.LogX || c.LogY)
		if len(xy) == 0 && named { // every value NaN or infinite: named, not drawn, rather than gone without a word
			entries = append(entries, legendEntry{name: name})
		}
		if len(xy) == 0 || s.Faint {
			continue
		}
		line, points, err := plotter.NewLinePoints(xy)
		if err != nil {
			return nil, err
		}
		col := s.Color
		if col == nil {
			col = seriesColor(s.Name, k)
		}
		line.Color, points.Color = col, col
		line.Width = vg.Points(1.8)
		if s.Dash {
			line.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
		}
		for _, run := range dashedRuns(xy, shares[k], gaps[k], line.LineStyle) {
			p.Add(run)
		}
		if len(xy) > 60 { // a long series reads better as a line alone
			entries = append(entries, legendEntry{name, []plot.Thumbnailer{line}})
			continue
		}
		p.Add(points)
		entries = append(entries, legendEntry{name, []plot.Thumbnailer{line, points}})
	}
	slideStyle(p)
	p.Title.Padding = vg.Points(10) // the legend stands beside the data, not above it
	named := len(c.Series) - countFaint(c.Series)
	if named > 1 && len(entries) > 0 { // one series needs no legend: the title and axes name it
		p.Add(newSideLegend(p.Legend, entries))
	} else {
		p.Add(rightMargin(2 * legendGap)) // the last point and tick label clear of the picture's edge
	}
	if math.IsInf(lo, 1) { // no point to draw: a decade each way, so a logarithmic axis has a range
		p.X.Min, p.X.Max = onAxis(0.1, c.LogX), onAxis(10, c.LogX)
		p.Y.Min, p.Y.Max = onAxis(0.1, c.LogY), onAxis(10, c.LogY)
	}
	fit(&p.X, lo, hi, c.LogX) // one value on an axis: a range around it
	fit(&p.Y, ylo, yhi, c.LogY)
	if c.ZeroY && !c.LogY {
		p.Y.Min = min(p.Y.Min, 0)
	}
	if c.LogY && ylo < yhi {
		p.Y.Min, p.Y.Max = logToLabels(p.Y.Min, p.Y.Max)
	}
	p.X.Tick.Marker = axisTicks(c.LogX, c.WholeX)
	if len(c.XAt) > 0 && !c.LogX {
		p.X.Tick.Marker = givenTicks(c.XAt)
	}
	p.Y.Tick.Marker = axisTicks(c.LogY, false)
	return p, nil
}

// givenTicks marks an axis at its values alone, each labelled with %g.
type givenTicks []float64

func (g givenTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	for _, v := range g {
		if v >= lo && v <= hi {
			ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', -1, 64)})
		}
	}
	return ticks
}

// faintColor is a Faint series' line: light enough that the series
// drawn over it stand out, dark enough to see on white, and tinted blue
// to stand apart from identity's grey.
var faintColor = color.RGBA{R: 208, G: 216, B: 232, A: 255}

// countFaint counts the Faint series.
func countFaint(series []Series) int {
	n := 0
	for _, s := range series {
		if s.Faint {
			n++
		}
	}
	return n
}

// clearOfFaint is xys without the Faint series' points, so that no series
// gives way to a faint one where their lines coincide (sharedSegments).
func (c Chart) clearOfFaint(xys []plotter.XYs) []plotter.XYs {
	named := slices.Clone(xys)
	for k, s := range c.Series {
		if s.Faint {
			named[k] = nil
		}
	}
	return named
}

// axisTicks marks a chart's axis: at round values (four to seven labels,
// where gonum's may give two), whole ones where whole is set, or on a
// logarithmic axis at 1, 2 and 5 times the powers of ten (log10Ticks).
func axisTicks(logarithmic, whole bool) plot.Ticker {
	if logarithmic {
		return log10Ticks{}
	}
	return roundTicks{whole: whole}
}

// onAxis is v where a chart's axis draws it: log10(v) on a logarithmic
// one. A logarithmic axis is drawn as a linear axis of log10 values,
// labelled with the values (log10Ticks): gonum's own LogScale places a
// centred axis label by its values' linear midpoint, near the top or the
// right end, and narrowed the data area for a long label.
func onAxis(v float64, logarithmic bool) float64 {
	if logarithmic {
		return math.Log10(v)
	}
	return v
}

// log10Ticks marks an axis of log10 values (onAxis) where logTicks marks
// the values: [lo, hi] is [10^lo, 10^hi].
type log10Ticks struct{}

// Ticks returns logTicks' ticks of the values (which allow for the
// rounding of 10^log10(v)), at their log10, kept within [lo, hi].
func (log10Ticks) Ticks(lo, hi float64) []plot.Tick {
	ticks := logTicks{}.Ticks(math.Pow(10, lo), min(math.Pow(10, hi), math.MaxFloat64))
	for i := range ticks {
		ticks[i].Value = min(max(math.Log10(ticks[i].Value), lo), hi)
	}
	return ticks
}

// share is where a segment of a series stands among the series drawn
// along it: the rank-th (from 0, in the order they are drawn) of them.
type share struct{ rank, of int }

// sharedSegments gives each segment of each series (between its points i
// and i+1) its share, so that series that coincide can show through each
// other (two activations that both never reach a target lie on one line).
// Only segments with the same ends in the same order coincide; a series
// that runs over one segment twice counts once there.
func sharedSegments(xys []plotter.XYs, gaps [][]bool) [][]share {
	type segment [4]float64
	ends := func(xy plotter.XYs, i int) segment { return segment{xy[i].X, xy[i].Y, xy[i+1].X, xy[i+1].Y} }
	along := map[segment][]int{} // the series along each segment, in order
	for k, xy := range xys {
		for i := 0; i+1 < len(xy); i++ {
			if gaps[k][i] { // not drawn: shares the line with none
				continue
			}
			if series := along[ends(xy, i)]; len(series) == 0 || series[len(series)-1] != k {
				along[ends(xy, i)] = append(series, k)
			}
		}
	}
	shares := make([][]share, len(xys))
	for k, xy := range xys {
		for i := 0; i+1 < len(xy); i++ {
			series := along[ends(xy, i)]
			shares[k] = append(shares[k], share{slices.Index(series, k), len(series)})
		}
	}
	return shares
}

// dashedRuns splits xy into lines of style, one for each stretch of
// segments with the same share, leaving out the segments across a gap (a
// value that is not finite: a line there would show values never
// measured). The first series along a stretch keeps style; the rank-th of
// m takes the rank-th of m slots a dash long, so that each shows in its
// own (a series' own dashes give way there).
func dashedRuns(xy plotter.XYs, shares []share, gaps []bool, style draw.LineStyle) []*plotter.Line {
	var lines []*plotter.Line
	for i := 0; i < len(shares); {
		if gaps[i] {
			i++
			continue
		}
		j := i + 1
		for j < len(shares) && shares[j] == shares[i] && !gaps[j] {
			j++
		}
		line := &plotter.Line{XYs: xy[i : j+1], LineStyle: style}
		if sh := shares[i]; sh.rank > 0 {
			dash := vg.Points(5)
			line.Dashes = []vg.Length{dash, vg.Length(sh.of-1) * dash}
			line.DashOffs = vg.Length(sh.of-sh.rank) * dash // on from rank·dash to (rank+1)·dash in each period
		}
		lines = append(lines, line)
		i = j
	}
	return lines
}

// drawn is where s's points lie on c's axes, those not finite and those a
// logarithmic axis cannot hold (0 or below) left out, and after each point
// but the last whether a point was left out between it and the next (a
// gap in the line: a line across would show values never measured).
func (c Chart) drawn(s Series) (xy plotter.XYs, gaps []bool) {
	leftOut := false
	for i := range s.X {
		x, y := s.X[i], s.Y[i]
		if !finite(x) || !finite(y) || c.LogY && y <= 0 || c.LogX && x <= 0 {
			leftOut = true
			continue
		}
		if len(xy) > 0 {
			gaps = append(gaps, leftOut)
		}
		leftOut = false
		xy = append(xy, plotter.XY{X: onAxis(x, c.LogX), Y: onAxis(y, c.LogY)})
	}
	return xy, gaps
}

// legendName is s's name in a chart's legend, where it has one: not a
// Faint series, nor one given no values. One of values none of which could
// be drawn (drawn 0) is named so, not left out: "(no finite value)" where
// all are NaN or infinite, "(no value above 0)" where a logarithmic axis
// (logAxis) could hold none of the rest.
func legendName(s Series, drawn int, logAxis bool) (string, bool) {
	switch {
	case s.Faint || len(s.X) == 0:
		return "", false
	case drawn > 0:
		return s.Name, true
	case logAxis && slices.ContainsFunc(s.Y, finite) && slices.ContainsFunc(s.X, finite):
		return s.Name + " (no value above 0)", true
	}
	return s.Name + " (no finite value)", true
}

// unbroken splits xy at its gaps (gaps[i]: between points i and i+1).
func unbroken(xy plotter.XYs, gaps []bool) []plotter.XYs {
	var runs []plotter.XYs
	start := 0
	for i, gap := range gaps {
		if gap {
			runs = append(runs, xy[start:i+1])
			start = i + 1
		}
	}
	return append(runs, xy[start:])
}

// MinChartWidth is the narrowest a Chart of several series is drawn for
// its data to keep most of the width beside its legend.
const MinChartWidth = 7 * vg.Inch

// sideLegend is a chart's legend drawn right of its data area, top
// aligned, in columns (newSideLegend). As a plot.GlyphBoxer it reserves
// its width there, so the plot narrows the data area (and the x axis) to
// leave it room; it reserves no height, so that a legend taller than a
// small chart runs past its data rather than squeezing it away.
type sideLegend struct {
	columns []plot.Legend
	names   [][]string // each column's, as shown
}

// legendEntry is a series' name in a legend and the marks beside it.
type legendEntry struct {
	name   string
	thumbs []plot.Thumbnailer
}

const (
	legendGap    = vg.Inch / 8 // between the data area and the legend, and between its columns
	legendRows   = 12          // names a column at most, fewer than a chart 4.5 inches high has room for
	legendLetter = 32          // the longest name shown whole; longer ones lose their middle to "…"
)

// legendWidth is the most of MinChartWidth a legend of several columns
// takes; past it, the columns grow longer instead of more.
const legendWidth = MinChartWidth * 45 / 100

// newSideLegend lays entries out lettered as style, in columns of
// legendRows, or fewer and longer columns where those would take more than
// legendWidth; no column is longer than legendRows, so where more entries
// remain than the columns hold, the last place says how many.
func newSideLegend(style plot.Legend, entries []legendEntry) sideLegend {
	style.Top, style.Left, style.XOffs, style.YOffs = true, true, 0, 0
	style.Padding = rowPadding(style)
	layout := func(cols int) sideLegend {
		rows := (len(entries) + cols - 1) / cols
		var side sideLegend
		for i, e := range entries {
			if i%rows == 0 {
				side.columns, side.names = append(side.columns, style), append(side.names, nil)
			}
			last, name := len(side.columns)-1, shorten(e.name, legendLetter)
			side.columns[last].Add(name, e.thumbs...)
			side.names[last] = append(side.names[last], name)
		}
		return side
	}
	cols := (len(entries) + legendRows - 1) / legendRows
	side := layout(cols)
	for ; cols > 1 && side.width() > legendWidth; cols-- {
		side = layout(cols - 1)
	}
	if fit := cols * legendRows; len(entries) > fit { // no column past legendRows: the last place counts the rest
		rest := legendEntry{name: fmt.Sprintf("and %d more", len(entries)-fit+1)}
		entries = append(entries[:fit-1:fit-1], rest)
		side = layout(cols)
	}
	return side
}

// shorten cuts s to n runes where it is longer, a "…" in place of its
// middle, so that its start and its end (" (diverged)") both show.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	tail := (n - 1) / 3
	return string(r[:n-1-tail]) + "…" + string(r[len(r)-tail:])
}

// width is the columns' width, the gaps between them included.
func (l sideLegend) width() vg.Length {
	var w vg.Length
	for i := range l.columns {
		w += l.columns[i].Rectangle(draw.Canvas{}).Size().X
	}
	return w + legendGap*vg.Length(len(l.columns)-1)
}

// Plot draws the columns in strips right of c, the data area.
func (l sideLegend) Plot(c draw.Canvas, _ *plot.Plot) {
	x := c.Max.X + legendGap
	for i := range l.columns {
		w := l.columns[i].Rectangle(c).Size().X
		strip := c
		strip.Min.X, strip.Max.X = x, x+w
		l.columns[i].Draw(strip)
		x += w + legendGap
	}
}

// GlyphBoxes is the legend's width, from the data area's top right corner
// rightwards, with half a gap's margin after it.
func (l sideLegend) GlyphBoxes(*plot.Plot) []plot.GlyphBox {
	return []plot.GlyphBox{{X: 1, Y: 1, Rectangle: vg.Rectangle{
		Min: vg.Point{X: legendGap},
		Max: vg.Point{X: legendGap + l.width() + legendGap/2},
	}}}
}

// rightMargin keeps its width free right of the data area, as a chart
// without a side legend needs: its last point and x tick label would
// touch the picture's edge.
type rightMargin vg.Length

// Plot draws nothing.
func (rightMargin) Plot(draw.Canvas, *plot.Plot) {}

// GlyphBoxes is the margin, from the data area's right edge.
func (m rightMargin) GlyphBoxes(*plot.Plot) []plot.GlyphBox {
	return []plot.GlyphBox{{X: 1, Y: 1, Rectangle: vg.Rectangle{Max: vg.Point{X: vg.Length(m)}}}}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Bars draws one horizontal bar per value, named on the left, the first at
// the top (names of any length stay apart); a bar named after an
// activation takes its colour. valueLabel names the values' axis.
func Bars(title, valueLabel string, names []string, values []float64) (*plot.Plot, error) {
	switch {
	case len(values) == 0:
		return nil, errors.New("no bars: no values")
	case len(names) != len(values):
		return nil, fmt.Errorf("%d names for %d values; want a name for each bar", len(names), len(values))
	}
	for i, v := range values {
		if !finite(v) {
			return nil, fmt.Errorf("bar %d (%s) is %v; want finite values", i, quote.Short(names[i]), v)
		}
	}
	p := plot.New()
	p.Title.Text, p.X.Label.Text = title, valueLabel
	p.Add(plotter.NewGrid())
	n := len(values)
	top, bottom := 0.0, 0.0
	for i, v := range values {
		bar, err := plotter.NewBarChart(plotter.Values{v}, vg.Points(22))
		if err != nil {
			return nil, err
		}
		bar.Horizontal = true
		bar.XMin = float64(n - 1 - i)
		bar.Color = seriesColor(names[i], i)
		bar.LineStyle.Width = 0
		p.Add(bar)
		top, bottom = max(top, v), min(bottom, v)
	}
	reversed := slices.Clone(names)
	slices.Reverse(reversed)
	p.NominalY(reversed...)
	slideStyle(p)
	// Half a bar's room above and below, and a tenth beyond the longest
	// (either way from 0: bars of negative values run left).
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
	p.X.Min, p.X.Max = 1.1*bottom, 1.1*top
	if p.X.Min == p.X.Max { // every bar 0
		p.X.Max = 1
	}
	p.X.Tick.Marker = roundTicks{}
	return p, nil
}

// activationColors gives the common activations fixed colours, so that a
// reader learns them once; the rest of the catalogue takes the palette.
var activationColors = map[string]color.RGBA{
	"relu":       {31, 119, 180, 255}, // blue
	"tanh":       {44, 160, 44, 255},  // green
	"sigmoid":    {214, 39, 40, 255},  // red
	"leaky_relu": {148, 103, 189, 255},
	"gelu":       {255, 127, 14, 255},
	"mish":       {140, 86, 75, 255},
	"silu":       {227, 119, 194, 255},
	"elu":        {23, 190, 207, 255},
	"softplus":   {188, 189, 34, 255},
	"prelu":      {127, 127, 127, 255},
	"maxout":     {30, 30, 30, 255},
	"identity":   {170, 170, 170, 255},
	"step":       {120, 60, 0, 255},
}

// ActivationColor is the colour of an activation in every wiggle figure
// (relu blue, tanh green, sigmoid red, ...). ok is false for a name that
// is not an activation's.
func ActivationColor(name string) (c color.RGBA, ok bool) {
	if c, ok := activationColors[name]; ok {
		return c, true
	}
	if i := slices.Index(act.Names(), name); i >= 0 { // the rest of the catalogue, by its order
		return palette[i%len(palette)], true
	}
	return color.RGBA{}, false
}

// seriesColor is an activation's colour for a series named after one (its
// whole name or its first word: "relu, 4 layers"), else the k-th of
// otherColors.
func seriesColor(name string, k int) color.RGBA {
	first, _, _ := strings.Cut(strings.TrimSpace(name), " ")
	for _, n := range []string{name, strings.TrimRight(first, ",:;")} {
		if c, ok := ActivationColor(n); ok {
			return c
		}
	}
	return otherColors[k%len(otherColors)]
}

// otherColors are for series that are not activations: dark, and apart
// from the activations' hues.
var otherColors = []color.RGBA{{60, 60, 60, 255}, {100, 100, 170, 255}, {170, 120, 50, 255}, {50, 130, 120, 255}}

// logTicks marks a logarithmic axis: each power of ten, labelled as a
// reader writes it (0.001, 1, 1000, 1e-06), with unlabelled minor ticks
// between; where the axis spans three decades or less, 2 and 5 times the
// powers are labelled too, and where that still labels fewer than two
// ticks (a range within a decade, as 0.69 to 1.2), every tick is; a range
// that holds fewer than three such ticks (13 to 31) takes round values as
// a linear axis does (15, 20, 25, 30).
type logTicks struct{}

// Ticks returns the ticks of [lo, hi] (see logTicks); none where the range
// holds no positive finite numbers (an axis with nothing on it).
func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0 && hi >= lo) || math.IsInf(hi, 1) {
		return nil // Log10 would give NaN or ±Inf, and the loop no end
	}
	first, last := int(math.Floor(math.Log10(lo)+1e-9)), int(math.Ceil(math.Log10(hi)-1e-9)) // Log10 of a power of ten may miss it by an ULP
	labelled := []float64{1}
	if last-first <= 3 { // three decades or less: 0.02, 0.05, 0.1, …, where powers of ten alone would label two
		labelled = []float64{1, 2, 5}
	}
	var ticks []plot.Tick
	for e := first; e <= last; e++ {
		for m := 1.0; m < 10; m++ {
			v := m * math.Pow(10, float64(e))
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) || math.IsInf(v, 1) { // near the largest float64, hi·(1+1e-9) is +Inf
				continue
			}
			t := plot.Tick{Value: v}
			if slices.Contains(labelled, m) {
				t.Label = powerLabel(m, e)
			}
			ticks = append(ticks, t)
		}
	}
	labels := 0
	for _, t := range ticks {
		if t.Label != "" {
			labels++
		}
	}
	if labels < 2 {
		for i := range ticks {
			m, e := mantissa(ticks[i].Value)
			ticks[i].Label = powerLabel(m, e)
		}
	}
	if len(ticks) < 3 { // within two steps from one mantissa to the next: round values read better than one or two labels
		return roundTicks{}.Ticks(lo, hi)
	}
	return ticks
}

// logToLabels widens a logarithmic axis of log10 values [lo, hi] to the
// next labelled value (log10Ticks) at an end whose values run more than a
// tenth of a decade past the last label: compare's losses from 1.1 had
// run under a lowest label of 2, with no 1 to read them by. It never
// narrows the axis, and keeps an end where the next label would pass
// float64's normal numbers.
func logToLabels(lo, hi float64) (float64, float64) {
	for range 3 { // a wider axis may label fewer mantissas
		var labelled []float64
		for _, t := range (log10Ticks{}).Ticks(lo, hi) {
			if t.Label != "" {
				labelled = append(labelled, math.Pow(10, t.Value))
			}
		}
		if len(labelled) == 0 {
			break
		}
		powers := !slices.ContainsFunc(labelled, func(v float64) bool { m, _ := mantissa(v); return m != 1 })
		first, last := math.Log10(slices.Min(labelled)), math.Log10(slices.Max(labelled))
		widened := false
		if c := labelAtOrPast(math.Pow(10, lo), -1, powers); first-lo > 0.1 && normal(c) && math.Log10(c) < lo {
			lo, widened = math.Log10(c), true
		}
		if c := labelAtOrPast(math.Pow(10, hi), 1, powers); hi-last > 0.1 && normal(c) && math.Log10(c) > hi {
			hi, widened = math.Log10(c), true
		}
		if !widened {
			break
		}
	}
	return lo, hi
}

// labelAtOrPast is the value a logarithmic axis labels next from v
// outward: at or below it (dir -1) or at or above it (dir 1), among the
// powers of ten, or 1, 2 and 5 times them unless powers.
func labelAtOrPast(v float64, dir int, powers bool) float64 {
	steps := []float64{1, 2, 5}
	if powers {
		steps = []float64{1}
	}
	e := math.Floor(math.Log10(v))
	for k := range 3 { // v's decade, and the next one outward
		decade := e + float64(dir*k)
		for i := range steps {
			s := steps[i]
			if dir < 0 {
				s = steps[len(steps)-1-i]
			}
			c := s * math.Pow(10, decade)
			if dir < 0 && c <= v || dir > 0 && c >= v {
				return c
			}
		}
	}
	return v
}

// normal reports whether v lies among float64's positive normal numbers,
// where log10 is exact enough to draw at.
func normal(v float64) bool {
	return v >= 0x1p-1022 && v <= math.MaxFloat64
}

// mantissa splits a tick's value v = m·10^e, m a whole number from 1 to 9.
func mantissa(v float64) (m float64, e int) {
	e = int(math.Floor(math.Log10(v) + 1e-9))
	return math.Round(v / math.Pow(10, float64(e))), e
}

// powerLabel writes m·10^e: plainly from 0.0001 to 99999, else as 1e-06.
func powerLabel(m float64, e int) string {
	if e >= -4 && e <= 4 {
		return strconv.FormatFloat(m*math.Pow(10, float64(e)), 'f', max(0, -e), 64)
	}
	return strconv.FormatFloat(m, 'f', 0, 64) + "e" + fmt.Sprintf("%+03d", e)
}

// Shades returns n shades of an activation's colour, from light to dark:
// for several series of one activation (widths, depths).
func Shades(name string, n int) []color.Color {
	base := seriesColor(name, 0)
	out := make([]color.Color, max(n, 0)) // none for n < 1
	// From 70% of the way to white down to 55% of the way to black for
	// five shades or more, which so stay apart; fewer span less of it
	// (two from 35% to white to 27% to black), so that the lightest
	// still shows on white, as on a projector.
	k := min(1, 0.5+float64(n-2)/6)
	for i := range out {
		t := k * (0.7 - 1.25*float64(i)/float64(max(n-1, 1)))
		mix := func(c uint8) uint8 {
			if t > 0 {
				return uint8(float64(c) + t*(255-float64(c)))
			}
			return uint8(float64(c) * (1 + t))
		}
		out[i] = color.RGBA{mix(base.R), mix(base.G), mix(base.B), 255}
	}
	return out
}
