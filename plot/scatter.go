package plot

import (
	"fmt"
	"image"
	"image/color"
	"math"

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
	classStyle(p, ds.Classes)
	p.Add(plotter.NewGrid())
	switch {
	case ds.Regression() && ds.X.Cols == 1:
		xy := make(plotter.XYs, ds.Len())
		for i := range xy {
			xy[i] = plotter.XY{X: float64(ds.X.Data[i]), Y: float64(ds.Values.Data[i])}
		}
		p.X.Label.Text, p.Y.Label.Text = ds.Features[0], ds.Target
		fitAll(p, xy)
		return p, addPoints(p, xy, ClassColor(0), "")
	case !ds.Regression() && ds.X.Cols == 2:
		xy := make(plotter.XYs, ds.Len())
		for i := range xy {
			xy[i] = plotter.XY{X: float64(ds.X.At(i, 0)), Y: float64(ds.X.At(i, 1))}
		}
		fitAll(p, xy)
		return p, addClasses(p, ds)
	}
	kind := "classes"
	if ds.Regression() {
		kind = "values"
	}
	return nil, fmt.Errorf("a scatter plot needs 2 features with classes, or 1 feature with a value; this set has %s with %s", features(ds.X.Cols), kind)
}

// classStyle gives a plot of classes the lettering of wiggle's other plots
// and its legend, a row a class, above the points rather than on them: up
// to legendAbove classes. A legend of more would take the room of the
// points; it stays over them, top left.
func classStyle(p *plot.Plot, classes int) {
	slideStyle(p)
	if classes > legendAbove {
		p.Legend.YOffs, p.Title.Padding = 0, vg.Points(6)
		return
	}
	rows := vg.Points(12 * float64(max(classes, 1)))
	p.Legend.YOffs, p.Title.Padding = rows, rows+vg.Points(2)
}

// legendAbove is the most classes whose legend goes above the points.
const legendAbove = 6

// addClasses adds a 2-D classification set's points, a colour per class.
func addClasses(p *plot.Plot, ds *data.Dataset) error {
	p.X.Label.Text, p.Y.Label.Text = columnName(ds, 0), columnName(ds, 1)
	for k := range ds.Classes {
		var xy plotter.XYs
		for i, y := range ds.Labels {
			if y == k {
				xy = append(xy, plotter.XY{X: float64(ds.X.At(i, 0)), Y: float64(ds.X.At(i, 1))})
			}
		}
		name := fmt.Sprint(k)
		if k < len(ds.ClassNames) {
			name = ds.ClassNames[k]
		}
		if err := addPoints(p, xy, ClassColor(k), name); err != nil {
			return err
		}
	}
	return nil
}

func columnName(ds *data.Dataset, j int) string {
	if j < len(ds.Features) {
		return ds.Features[j]
	}
	return fmt.Sprintf("x%d", j)
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

// Regions plots a 2-D classifier's decision regions: a picture of
// regionCells×regionCells cells in a pale colour of the class predict
// gives at each cell's centre, under the data coloured by label. The
// picture spans the data's range and a tenth more each way, and so do the
// axes.
func Regions(ds *data.Dataset, predict func(x0, x1 float32) int, title string) (*plot.Plot, error) {
	if ds.Regression() || ds.X.Cols != 2 {
		return nil, fmt.Errorf("decision regions need 2 features with classes; this set has %s", features(ds.X.Cols))
	}
	p := plot.New()
	p.Title.Text = title
	classStyle(p, ds.Classes)
	lo0, hi0, lo1, hi1 := bounds(ds)
	img := image.NewNRGBA(image.Rect(0, 0, regionCells, regionCells))
	for row := range regionCells { // the picture's first row is the top: x1 at its highest
		b := hi1 - (hi1-lo1)*(float64(row)+0.5)/regionCells
		for col := range regionCells {
			a := lo0 + (hi0-lo0)*(float64(col)+0.5)/regionCells
			if k := predict(float32(a), float32(b)); k >= 0 && k < ds.Classes {
				img.SetNRGBA(col, row, pale(ClassColor(k)))
			} else {
				img.SetNRGBA(col, row, color.NRGBA{R: 255, G: 255, B: 255, A: 255})
			}
		}
	}
	p.Add(plotter.NewImage(img, lo0, lo1, hi0, hi1))
	return p, addClasses(p, ds) // the data over the regions
}

// regionCells is the cells a side of a Regions picture: each a
// prediction, fine enough that a border reads as a line.
const regionCells = 120

// pale is c at 70/255 (about 27%) over white: the regions' colour, under
// the points'.
func pale(c color.RGBA) color.NRGBA {
	mix := func(v uint8) uint8 { return uint8((int(v)*70 + 255*(255-70) + 127) / 255) }
	return color.NRGBA{R: mix(c.R), G: mix(c.G), B: mix(c.B), A: 255}
}

func bounds(ds *data.Dataset) (lo0, hi0, lo1, hi1 float64) {
	lo0, hi0, lo1, hi1 = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for i := range ds.Len() {
		a, b := float64(ds.X.At(i, 0)), float64(ds.X.At(i, 1))
		lo0, hi0, lo1, hi1 = math.Min(lo0, a), math.Max(hi0, a), math.Min(lo1, b), math.Max(hi1, b)
	}
	pad0, pad1 := 0.1*(hi0-lo0), 0.1*(hi1-lo1)
	lo0, hi0 = widen(lo0-pad0, hi0+pad0, false)
	lo1, hi1 = widen(lo1-pad1, hi1+pad1, false)
	return lo0, hi0, lo1, hi1
}

// features counts features in words: "1 feature", "3 features".
func features(n int) string {
	if n == 1 {
		return "1 feature"
	}
	return fmt.Sprintf("%d features", n)
}

// widen gives an axis a range it can show where its data hold one value
// (gonum widens such a range by ±1, which leaves 1e16 where it was, and
// takes a logarithmic axis below 0): ±5% of the value, at least ±1, or a
// decade each way on a logarithmic axis. Other ranges stay as they are.
func widen(lo, hi float64, logarithmic bool) (float64, float64) {
	switch {
	case lo != hi:
		return lo, hi
	case logarithmic:
		return lo / 10, hi * 10
	}
	d := math.Max(math.Abs(lo)*0.05, 1)
	return lo - d, hi + d
}

// fit sets an axis's range where its data hold one value (see widen);
// else gonum's own range stands.
func fit(ax *plot.Axis, lo, hi float64, logarithmic bool) {
	if lo == hi && !math.IsInf(lo, 0) && !math.IsNaN(lo) {
		ax.Min, ax.Max = widen(lo, hi, logarithmic)
	}
}

// fitAll fits both of p's linear axes to the points xy (see fit).
func fitAll(p *plot.Plot, xy plotter.XYs) {
	if len(xy) == 0 {
		return
	}
	lo0, hi0, lo1, hi1 := plotter.XYRange(xy)
	fit(&p.X, lo0, hi0, false)
	fit(&p.Y, lo1, hi1, false)
}
