package plot

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"

	"github.com/wigglenn/wiggle/data"
)

// palette colours classes; it repeats after ten.
var palette = []color.RGBA{
	{31, 119, 180, 255}, {255, 127, 14, 255}, {44, 160, 44, 255}, {214, 39, 40, 255}, {148, 103, 189, 255},
	{140, 86, 75, 255}, {227, 119, 194, 255}, {127, 127, 127, 255}, {188, 189, 34, 255}, {23, 190, 207, 255},
}

// ClassColor is the colour of class k in wiggle's plots.
func ClassColor(k int) color.RGBA { return palette[(k%len(palette)+len(palette))%len(palette)] }

// Scatter plots a 2-D dataset, one colour per class (one colour in all
// for a set of features only), or the target against x0 for 1-D
// regression.
func Scatter(ds *data.Dataset, title string) (*plot.Plot, error) {
	if err := ds.Check(); err != nil {
		return nil, err
	}
	p := plot.New()
	p.Title.Text = drawable(title)
	classStyle(p, ds.Classes)
	p.Add(plotter.NewGrid())
	switch {
	case ds.Regression() && ds.X.Cols == 1:
		xy := make(plotter.XYs, ds.Len())
		for i := range xy {
			xy[i] = plotter.XY{X: float64(ds.X.Data[i]), Y: float64(ds.Values.Data[i])}
		}
		p.X.Label.Text, p.Y.Label.Text = drawable(ds.Features[0]), drawable(ds.Target)
		fitAll(p, xy)
		_, err := addPoints(p, xy, 0)
		return p, err
	case !ds.Regression() && ds.X.Cols == 2: // with classes, or features only
		xy := make(plotter.XYs, ds.Len())
		for i := range xy {
			xy[i] = plotter.XY{X: float64(ds.X.At(i, 0)), Y: float64(ds.X.At(i, 1))}
		}
		fitAll(p, xy)
		return p, addClasses(p, ds)
	}
	kind := "classes"
	switch {
	case ds.Regression():
		kind = "values"
	case ds.Labels == nil:
		kind = "no target"
	}
	return nil, fmt.Errorf("a scatter plot needs 2 features with classes, or 1 feature with a value; this set has %s with %s", features(ds.X.Cols), kind)
}

// classStyle gives a plot of classes the lettering of wiggle's other plots
// and its legend, a row a class, above the points rather than on them: up
// to legendAbove classes. A legend of more would take the room of the
// points; it stands beside them (addClasses).
func classStyle(p *plot.Plot, classes int) {
	slideStyle(p)
	p.X.Tick.Marker, p.Y.Tick.Marker = roundTicks{}, roundTicks{} // gonum's may label two values
	if classes > legendAbove {
		p.Legend.YOffs, p.Title.Padding = 0, vg.Points(6)
		return
	}
	legendAboveData(p, classes)
}

// legendAbove is the most classes whose legend goes above the points:
// rows of 12 pt text 2 points apart, five of them would take a fifth of a
// square picture 5 inches high (the plots `wiggle data show` draws).
const legendAbove = 4

// addClasses adds a 2-D set's points, a colour per class (and, past the
// palette's ten, another mark), named in a legend above the points for up
// to legendAbove classes and beside them for more; a set of features only
// takes one colour and no legend.
func addClasses(p *plot.Plot, ds *data.Dataset) error {
	p.X.Label.Text, p.Y.Label.Text = drawable(columnName(ds, 0)), drawable(columnName(ds, 1))
	if ds.Labels == nil {
		_, err := addPoints(p, pointsWhere(ds, func(int) bool { return true }), 0)
		return err
	}
	var entries []legendEntry
	for k := range ds.Classes {
		s, err := addPoints(p, pointsWhere(ds, func(i int) bool { return ds.Labels[i] == k }), k)
		if err != nil {
			return err
		}
		if s != nil {
			entries = append(entries, legendEntry{drawable(ds.ClassName(k)), []plot.Thumbnailer{s}})
		}
	}
	if ds.Classes > legendAbove {
		p.Add(newSideLegend(p.Legend, entries))
		return nil
	}
	for _, e := range entries {
		p.Legend.Add(e.name, e.thumbs...)
	}
	return nil
}

// pointsWhere is the 2-D points of ds's rows i for which keep(i) holds.
func pointsWhere(ds *data.Dataset, keep func(i int) bool) plotter.XYs {
	var xy plotter.XYs
	for i := range ds.Len() {
		if keep(i) {
			xy = append(xy, plotter.XY{X: float64(ds.X.At(i, 0)), Y: float64(ds.X.At(i, 1))})
		}
	}
	return xy
}

func columnName(ds *data.Dataset, j int) string {
	if j < len(ds.Features) {
		return ds.Features[j]
	}
	return fmt.Sprintf("x%d", j)
}

// addPoints adds xy as class k's points (nothing where xy is empty).
func addPoints(p *plot.Plot, xy plotter.XYs, k int) (*plotter.Scatter, error) {
	if len(xy) == 0 {
		return nil, nil
	}
	s, err := plotter.NewScatter(xy)
	if err != nil {
		return nil, err
	}
	s.GlyphStyle = draw.GlyphStyle{Color: ClassColor(k), Radius: vg.Points(2.2), Shape: classMark(k)}
	p.Add(s)
	return s, nil
}

// classMarks tell apart classes whose colours repeat: the first ten are
// discs, the next ten filled squares, then triangles, then outlines.
var classMarks = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{},
	draw.RingGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{}}

// classMark is the mark of class k's points.
func classMark(k int) draw.GlyphDrawer { return classMarks[k/len(palette)%len(classMarks)] }

// Regions plots a 2-D classifier's decision regions: a picture of
// regionCells×regionCells cells in a pale colour of the class predict
// gives at each cell's centre, under the data coloured by label. The
// picture spans the data's range and a tenth more each way, and so do the
// axes.
func Regions(ds *data.Dataset, predict func(x0, x1 float32) int, title string) (*plot.Plot, error) {
	if err := ds.Check(); err != nil {
		return nil, err
	}
	if ds.Regression() || ds.X.Cols != 2 {
		return nil, fmt.Errorf("decision regions need 2 features with classes; this set has %s", features(ds.X.Cols))
	}
	if predict == nil {
		return nil, errors.New("no classifier (predict is nil)")
	}
	p := plot.New()
	p.Title.Text = drawable(title)
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
// (gonum widens such a range by ±1, which leaves 1e16 where it was): ±5%
// of the value, at least ±1, or on a logarithmic axis, whose values are
// log10s (onAxis), a decade each way. Other ranges stay as they are.
func widen(lo, hi float64, logarithmic bool) (float64, float64) {
	switch {
	case lo != hi:
		return lo, hi
	case logarithmic:
		return lo - 1, hi + 1
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

// fitAll fits both of p's linear axes to the points xy (withMargin).
func fitAll(p *plot.Plot, xy plotter.XYs) {
	if len(xy) == 0 {
		return
	}
	lo0, hi0, lo1, hi1 := plotter.XYRange(xy)
	p.X.Min, p.X.Max = withMargin(lo0, hi0)
	p.Y.Min, p.Y.Max = withMargin(lo1, hi1)
}

// withMargin is [lo, hi] with scatterMargin of its width beyond each end,
// so that no mark sits on the frame, or widen's range where lo = hi.
func withMargin(lo, hi float64) (float64, float64) {
	pad := scatterMargin * (hi - lo)
	return widen(lo-pad, hi+pad, false)
}

// scatterMargin is the share of a scatter plot's range left free beyond
// its points on each side.
const scatterMargin = 0.04

// SquareWidth is the width at which p, drawn height high by WritePNG,
// gets a square data area: wider than height by what a legend beside the
// points takes (a scatter of 40 classes had squeezed its points into a
// strip and its tick labels into each other), narrower by what a legend
// above them takes; from half height to four times it, and no wider than
// WritePNG draws. A scatter of two features reads true only with its axes
// alike. A height WritePNG refuses, and a nil p, are errors.
func SquareWidth(p *plot.Plot, height vg.Length) (vg.Length, error) {
	if p == nil {
		return 0, errors.New("no plot (nil)")
	}
	if err := checkPicture(io.Discard, height, height); err != nil {
		return 0, err
	}
	widest := min(4*height, maxPicture, maxArea/height) // as wide as WritePNG draws
	width := height
	for range 2 { // the legend's columns follow the height alone; a second pass takes up rounding
		area := p.DataCanvas(inMargin(draw.NewCanvas(new(recorder.Canvas), width, height))) // measured, not drawn
		width = min(max(width+area.Max.Y-area.Min.Y-(area.Max.X-area.Min.X), height/2), widest)
	}
	return width, nil
}
