package plot

import (
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
	// Unjoined draws the points alone, no line between them: values with
	// no order among them (a network's initialisations), which a line
	// would present as a trend.
	Unjoined bool
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
	// Marks are reference lines beneath the series (Mark).
	Marks []Mark
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
	p.Title.Text, p.X.Label.Text, p.Y.Label.Text = drawable(c.Title), drawable(c.XLabel), drawable(c.YLabel)
	p.Add(plotter.NewGrid())
	marks := c.markLines()
	for _, m := range marks { // beneath every series
		p.Add(m)
	}
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
		name = drawable(name)
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
		thumbnails := []plot.Thumbnailer{line, points}
		if s.Unjoined { // the points alone carry it: larger
			thumbnails = thumbnails[1:]
			points.Radius = vg.Points(4.5)
		} else {
			for _, run := range dashedRuns(xy, shares[k], gaps[k], line.LineStyle) {
				p.Add(run)
			}
		}
		points.Shape = seriesShape(s.Name, k)
		if len(xy) > 60 { // a long series reads better as a line with a few of its points marked
			points.XYs = everyNth(xy, (len(xy)+longSeriesMarks-1)/longSeriesMarks)
		}
		p.Add(points)
		entries = append(entries, legendEntry{name, thumbnails})
	}
	slideStyle(p)
	p.Title.Padding = vg.Points(10) // the legend stands beside the data, not above it
	named := len(c.Series) - countFaint(c.Series)
	if named > 1 && len(entries) > 0 { // one series needs no legend: the title and axes name it
		for _, m := range marks {
			m.inLegend = true
		}
		p.Add(newSideLegend(p.Legend, append(entries, markEntries(marks)...)))
	} else {
		p.Add(rightMargin(2 * legendGap)) // the last point and tick label clear of the picture's edge
	}
	if math.IsInf(lo, 1) { // no point to draw: a decade each way, so a logarithmic axis has a range
		p.X.Min, p.X.Max = onAxis(0.1, c.LogX), onAxis(10, c.LogX)
		p.Y.Min, p.Y.Max = onAxis(0.1, c.LogY), onAxis(10, c.LogY)
	}
	fit(&p.X, lo, hi, c.LogX) // one value on an axis: a range around it
	fit(&p.Y, ylo, yhi, c.LogY)
	takeIn(p, marks)
	if c.ZeroY && !c.LogY {
		p.Y.Min = min(p.Y.Min, 0)
	}
	if !c.LogY && p.Y.Max > p.Y.Min { // the highest points and their line clear of the frame's top (a logarithmic axis reaches a label past them)
		p.Y.Max += chartHeadroom * (p.Y.Max - p.Y.Min)
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

// longSeriesMarks is about how many of a long series' points are marked
// with its shape.
const longSeriesMarks = 12

// everyNth is xy's first point and every nth after it.
func everyNth(xy plotter.XYs, n int) plotter.XYs {
	var out plotter.XYs
	for i := 0; i < len(xy); i += max(n, 1) {
		out = append(out, xy[i])
	}
	return out
}

// activationShapes and otherShapes mark a chart's series apart where
// colours alone would not (red and green to a colour-blind reader):
// sigmoid's filled squares, tanh's filled triangles and relu's rings
// wherever they are drawn, the others' from shapes none of those three
// has, in turn.
var (
	activationShapes = map[string]draw.GlyphDrawer{"relu": draw.RingGlyph{}, "sigmoid": draw.BoxGlyph{}, "tanh": draw.PyramidGlyph{}}
	otherShapes      = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{}} // none of the three's
)

// seriesShape is the mark of a series named after an activation (its
// whole name or first word, as seriesColor reads it), else the k-th of
// otherShapes.
func seriesShape(name string, k int) draw.GlyphDrawer {
	first, _, _ := strings.Cut(strings.TrimSpace(name), " ")
	for _, n := range []string{name, strings.TrimRight(first, ",:;")} {
		if s, ok := activationShapes[n]; ok {
			return s
		}
	}
	return otherShapes[k%len(otherShapes)]
}

// chartHeadroom is the share of a linear y axis's range left above its
// highest value, so that a line along the top (a limit, 100%) is not
// drawn on the frame.
const chartHeadroom = 0.04

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

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
