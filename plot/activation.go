// Package plot draws wiggle's figures with gonum/plot and writes them as PNG:
// activation curves and their derivatives, and grids of them.
//
// Concurrency: the functions share nothing and may run on many goroutines
// at once.
package plot

import (
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/wigglenn/wiggle/act"
)

// Curve colours: f solid blue, f′ dashed orange.
var (
	valueColor = color.RGBA{R: 31, G: 119, B: 180, A: 255}
	derivColor = color.RGBA{R: 255, G: 127, B: 14, A: 255}
)

// Range is the interval of x a curve is drawn over.
type Range struct{ Min, Max float64 }

// DefaultRange shows both saturation regions of sigmoid and tanh and the
// kinks of relu6 and the hard functions.
var DefaultRange = Range{-6, 6}

const samples = 481

// Activation returns a plot of f (solid) and f′ (dashed) over r.
func Activation(f act.Func, r Range) (*plot.Plot, error) {
	x, y, dy := curves(f, r, samples)
	p := plot.New()
	p.Title.Text = f.String()
	p.X.Label.Text = "x"
	p.Add(plotter.NewGrid())
	for _, c := range []struct {
		label string
		v     []float32
		color color.Color
		dash  []vg.Length
	}{
		{"f(x)", y, valueColor, nil},
		{"f'(x)", dy, derivColor, []vg.Length{vg.Points(5), vg.Points(3)}},
	} {
		line, err := plotter.NewLine(points(x, c.v))
		if err != nil {
			return nil, fmt.Errorf("plot %s: %w", f, err)
		}
		line.Color, line.Dashes, line.Width = c.color, c.dash, vg.Points(1.5)
		p.Add(line)
		p.Legend.Add(c.label, line)
	}
	p.Legend.Top, p.Legend.Left = true, true
	return p, nil
}

// curves samples f and f′ at n evenly spaced points of r.
func curves(f act.Func, r Range, n int) (x, y, dy []float32) {
	x = make([]float32, n)
	for i := range x {
		x[i] = float32(r.Min + (r.Max-r.Min)*float64(i)/float64(n-1))
	}
	y, dy = act.Eval(f, x)
	return x, y, dy
}

// points pairs x and y, leaving out non-finite values that cannot be drawn.
func points(x, y []float32) plotter.XYs {
	xy := make(plotter.XYs, 0, len(x))
	for i := range x {
		if v := float64(y[i]); !math.IsNaN(v) && !math.IsInf(v, 0) {
			xy = append(xy, plotter.XY{X: float64(x[i]), Y: v})
		}
	}
	return xy
}

// WritePNG renders p at width×height to w.
func WritePNG(w io.Writer, p *plot.Plot, width, height vg.Length) error {
	wt, err := p.WriterTo(width, height, "png")
	if err != nil {
		return err
	}
	_, err = wt.WriteTo(w)
	return err
}

// WriteGridPNG renders plots in a grid of the given columns, each cell
// cellW×cellH, to w as one PNG.
func WriteGridPNG(w io.Writer, plots []*plot.Plot, cols int, cellW, cellH vg.Length) error {
	if len(plots) == 0 || cols < 1 {
		return fmt.Errorf("plot grid: nothing to draw")
	}
	rows := (len(plots) + cols - 1) / cols
	img := vgimg.New(cellW*vg.Length(cols), cellH*vg.Length(rows))
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(6), PadY: vg.Points(6),
		PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(4)}
	grid := make([][]*plot.Plot, rows)
	for i := range grid {
		grid[i] = make([]*plot.Plot, cols)
		for j := range cols {
			if k := i*cols + j; k < len(plots) {
				grid[i][j] = plots[k]
			}
		}
	}
	canvases := plot.Align(grid, tiles, dc)
	for i := range grid {
		for j, p := range grid[i] {
			if p != nil {
				p.Draw(canvases[i][j])
			}
		}
	}
	_, err := vgimg.PngCanvas{Canvas: img}.WriteTo(w)
	return err
}
