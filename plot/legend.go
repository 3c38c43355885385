package plot

// A chart's legend, right of its data area, and the names in it.

import (
	"fmt"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

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
