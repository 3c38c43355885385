package plot

// A chart's reference lines: the level a lab's finding compares its
// curves against, or a value of note on x.

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Mark is a reference line across a Chart's data area, thin, grey and
// dotted beneath the series: the level a finding counts from (90%
// accuracy, chance) or a value of note on x (PyTorch's default scale).
// Its name stands in the legend, after the series', where the chart has
// one (where no curve can cover it), else along the line. The axis it
// lies on takes it in, so that a level no curve reaches still shows.
type Mark struct {
	Name string
	At   float64
	OnX  bool // a vertical line at x = At; else a horizontal one at y = At
}

// markColor is a Mark's line and name: darker than the grid, lighter than
// any series.
var markColor = color.RGBA{R: 110, G: 110, B: 110, A: 255}

// markLine draws a Mark on a chart whose axis holds onAxis(At, logarithmic).
type markLine struct {
	Mark
	logarithmic bool
	inLegend    bool // named in the chart's legend, not along the line
}

// markStyle is a Mark's dotted line.
var markStyle = draw.LineStyle{Color: markColor, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(2), vg.Points(3)}}

// drawable tells whether the mark can lie on its axis: finite, and above
// 0 on a logarithmic one.
func (m markLine) drawable() bool {
	return finite(m.At) && (!m.logarithmic || m.At > 0)
}

// Plot draws the line across c at the mark, its name at the line's far
// end (the right for a level, the top for a value of x), just clear of it.
func (m *markLine) Plot(c draw.Canvas, plt *plot.Plot) {
	if !m.drawable() {
		return
	}
	trX, trY := plt.Transforms(&c)
	at := onAxis(m.At, m.logarithmic)
	text := plt.Legend.TextStyle
	text.Color = markColor
	pad := vg.Points(3)
	if m.OnX {
		x := trX(at)
		c.StrokeLine2(markStyle, x, c.Min.Y, x, c.Max.Y)
		name := drawable(m.Name)
		text.XAlign, text.YAlign = draw.XLeft, draw.YTop
		where := vg.Point{X: x + pad, Y: c.Max.Y - pad}
		if where.X+text.Width(name) > c.Max.X { // it would run past the data area: left of the line
			text.XAlign, where.X = draw.XRight, x-pad
		}
		if !m.inLegend {
			c.FillText(text, where, name)
		}
		return
	}
	y := trY(at)
	c.StrokeLine2(markStyle, c.Min.X, y, c.Max.X, y)
	text.XAlign, text.YAlign = draw.XRight, draw.YBottom
	if !m.inLegend {
		c.FillText(text, vg.Point{X: c.Max.X - pad, Y: y + pad}, drawable(m.Name))
	}
}

// Thumbnail draws the mark's line in its legend entry: across for a
// level, upright for a value of x.
func (m *markLine) Thumbnail(c *draw.Canvas) {
	if m.OnX {
		x := (c.Min.X + c.Max.X) / 2
		c.StrokeLine2(markStyle, x, c.Min.Y, x, c.Max.Y)
		return
	}
	y := (c.Min.Y + c.Max.Y) / 2
	c.StrokeLine2(markStyle, c.Min.X, y, c.Max.X, y)
}

// DataRange takes the mark into the range of its axis (onAxis units),
// and nothing of the other.
func (m *markLine) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin, xmax, ymax = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	if !m.drawable() {
		return
	}
	if at := onAxis(m.At, m.logarithmic); m.OnX {
		xmin, xmax = at, at
	} else {
		ymin, ymax = at, at
	}
	return
}

// markLines is c's marks as plotters of its axes.
func (c Chart) markLines() []*markLine {
	lines := make([]*markLine, len(c.Marks))
	for i, m := range c.Marks {
		lines[i] = &markLine{Mark: m, logarithmic: m.OnX && c.LogX || !m.OnX && c.LogY}
	}
	return lines
}

// markEntries names in a legend the marks that can be drawn.
func markEntries(lines []*markLine) []legendEntry {
	var entries []legendEntry
	for _, m := range lines {
		if m.drawable() {
			entries = append(entries, legendEntry{drawable(m.Name), []plot.Thumbnailer{m}})
		}
	}
	return entries
}

// takeIn widens p's axes to the marks' values where fit narrowed them
// to a single point's.
func takeIn(p *plot.Plot, lines []*markLine) {
	for _, m := range lines {
		xmin, xmax, ymin, ymax := m.DataRange()
		p.X.Min, p.X.Max = math.Min(p.X.Min, xmin), math.Max(p.X.Max, xmax)
		p.Y.Min, p.Y.Max = math.Min(p.Y.Min, ymin), math.Max(p.Y.Max, ymax)
	}
}
