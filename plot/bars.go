package plot

// Horizontal bars, one a value.

import (
	"errors"
	"fmt"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/wigglenn/wiggle/internal/quote"
)

// Bars draws one horizontal bar per value, named on the left, the first at
// the top (names of any length stay apart), its value written at its end
// (to three figures); a bar named after an activation takes its colour.
// valueLabel names the values' axis. Each of marks is a value of note
// (chance, a target) drawn across the bars as a dotted upright line
// beneath them, named at its top; a mark's OnX is not needed (values lie
// along x here).
func Bars(title, valueLabel string, names []string, values []float64, marks ...Mark) (*plot.Plot, error) {
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
	p.Title.Text, p.X.Label.Text = drawable(title), drawable(valueLabel)
	p.Add(plotter.NewGrid())
	n := len(values)
	top, bottom := 0.0, 0.0
	for _, m := range marks {
		m.OnX = true // values lie along x
		line := &markLine{Mark: m}
		p.Add(line)
		if line.drawable() {
			top, bottom = max(top, m.At), min(bottom, m.At)
		}
	}
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
	reversed := make([]string, n)
	for i, name := range names {
		reversed[n-1-i] = drawable(name)
	}
	p.NominalY(reversed...)
	slideStyle(p)
	labels, err := barLabels(values, p.X.Tick.Label.Font)
	if err != nil {
		return nil, err
	}
	p.Add(labels...)
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

// barLabels writes each value at its bar's end (the first bar at the top),
// outside it: right of a bar of a positive value (or 0), left of a
// negative one; in the tick labels' font.
func barLabels(values []float64, font font.Font) ([]plot.Plotter, error) {
	var plotters []plot.Plotter
	for _, negative := range []bool{false, true} {
		var xyl plotter.XYLabels
		for i, v := range values {
			if (v < 0) == negative {
				xyl.XYs = append(xyl.XYs, plotter.XY{X: v, Y: float64(len(values) - 1 - i)})
				xyl.Labels = append(xyl.Labels, strconv.FormatFloat(v, 'g', 3, 64))
			}
		}
		if len(xyl.XYs) == 0 {
			continue
		}
		labels, err := plotter.NewLabels(xyl)
		if err != nil {
			return nil, err
		}
		for i := range labels.TextStyle {
			labels.TextStyle[i].Font, labels.TextStyle[i].YAlign = font, draw.YCenter
			if negative {
				labels.TextStyle[i].XAlign = draw.XRight
			}
		}
		// Figures have no descenders: half the font's descent up sets
		// their ink, not their box, level with the bar's middle.
		labels.Offset = vg.Point{X: vg.Points(4), Y: labels.TextStyle[0].FontExtents().Descent / 2}
		if negative {
			labels.Offset.X = -labels.Offset.X
		}
		plotters = append(plotters, labels)
	}
	return plotters, nil
}
