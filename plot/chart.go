package plot

import (
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Series is one named line of a chart.
type Series struct {
	Name string
	X, Y []float64
}

// Lines draws series as lines with points; with logY the y axis is
// logarithmic (non-positive values are left out).
func Lines(title, xLabel, yLabel string, series []Series, logY bool) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text, p.X.Label.Text, p.Y.Label.Text = title, xLabel, yLabel
	p.Add(plotter.NewGrid())
	if logY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	}
	for k, s := range series {
		xy := make(plotter.XYs, 0, len(s.X))
		for i := range s.X {
			if y := s.Y[i]; !math.IsNaN(y) && !math.IsInf(y, 0) && (!logY || y > 0) {
				xy = append(xy, plotter.XY{X: s.X[i], Y: y})
			}
		}
		if len(xy) == 0 {
			continue
		}
		line, points, err := plotter.NewLinePoints(xy)
		if err != nil {
			return nil, err
		}
		line.Color, points.Color = ClassColor(k), ClassColor(k)
		line.Width = vg.Points(1.5)
		if len(xy) > 60 { // a long series reads better as a line alone
			p.Add(line)
			p.Legend.Add(s.Name, line)
			continue
		}
		p.Add(line, points)
		p.Legend.Add(s.Name, line, points)
	}
	slideStyle(p)
	p.Legend.Left, p.Legend.YOffs = false, 0
	if len(series) > 3 { // room on the right for a long legend, clear of the curves
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, s := range series {
			for _, x := range s.X {
				lo, hi = min(lo, x), max(hi, x)
			}
		}
		if hi > lo {
			p.X.Max = hi + 0.3*(hi-lo)
			p.X.Tick.Marker = roundTicks{}
		}
	}
	return p, nil
}

// Bars draws one bar per value.
func Bars(title, yLabel string, names []string, values []float64) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text, p.Y.Label.Text = title, yLabel
	p.Add(plotter.NewGrid())
	bars, err := plotter.NewBarChart(plotter.Values(values), vg.Points(28))
	if err != nil {
		return nil, err
	}
	bars.Color = ClassColor(0)
	p.Add(bars)
	p.NominalX(names...)
	return p, nil
}
