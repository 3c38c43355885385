package plot

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/wigglenn/wiggle/data"
)

// palette colours classes; it repeats after ten.
var palette = []color.RGBA{
	{31, 119, 180, 255}, {255, 127, 14, 255}, {44, 160, 44, 255}, {214, 39, 40, 255}, {148, 103, 189, 255},
	{140, 86, 75, 255}, {227, 119, 194, 255}, {127, 127, 127, 255}, {188, 189, 34, 255}, {23, 190, 207, 255},
}

// ClassColor is the colour of class k in wiggle's plots.
func ClassColor(k int) color.RGBA { return palette[k%len(palette)] }

// Scatter plots a 2-D dataset, one colour per class (or the target against
// x0 for 1-D regression).
func Scatter(ds *data.Dataset, title string) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.Add(plotter.NewGrid())
	switch {
	case ds.Regression() && ds.X.Cols == 1:
		xy := make(plotter.XYs, ds.Len())
		for i := range xy {
			xy[i] = plotter.XY{X: float64(ds.X.Data[i]), Y: float64(ds.Values.Data[i])}
		}
		p.X.Label.Text, p.Y.Label.Text = ds.Features[0], ds.Target
		return p, addPoints(p, xy, ClassColor(0), "")
	case !ds.Regression() && ds.X.Cols == 2:
		p.X.Label.Text, p.Y.Label.Text = ds.Features[0], ds.Features[1]
		for k := range ds.Classes {
			var xy plotter.XYs
			for i, y := range ds.Labels {
				if y == k {
					xy = append(xy, plotter.XY{X: float64(ds.X.At(i, 0)), Y: float64(ds.X.At(i, 1))})
				}
			}
			if err := addPoints(p, xy, ClassColor(k), ds.ClassNames[k]); err != nil {
				return nil, err
			}
		}
		return p, nil
	}
	return nil, fmt.Errorf("a scatter plot needs 2 features with classes, or 1 feature with a value; this set has %d features", ds.X.Cols)
}

func addPoints(p *plot.Plot, xy plotter.XYs, c color.Color, label string) error {
	if len(xy) == 0 {
		return nil
	}
	s, err := plotter.NewScatter(xy)
	if err != nil {
		return err
	}
	s.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(2.2), Shape: draw.CircleGlyph{}}
	p.Add(s)
	if label != "" {
		p.Legend.Add(label, s)
	}
	return nil
}
