package plot

// Horizontal bars, one a value.

import (
	"errors"
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/wigglenn/wiggle/internal/quote"
)

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
	p.Title.Text, p.X.Label.Text = drawable(title), drawable(valueLabel)
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
	reversed := make([]string, n)
	for i, name := range names {
		reversed[n-1-i] = drawable(name)
	}
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
