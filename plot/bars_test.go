package plot

import (
	"image"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
)

// TestBarLabelsSayTheValues: each value is written to three figures at
// its bar's end, outside the bar: right of a positive one (or 0), left
// of a negative one.
func TestBarLabelsSayTheValues(t *testing.T) {
	values := []float64{0.5234, -1.25, 0}
	plotters, err := barLabels(values, font.Font{Typeface: "Liberation", Variant: "Sans", Size: 12})
	if err != nil {
		t.Fatal(err)
	}
	if len(plotters) != 2 {
		t.Fatalf("%d label plotters; want one for the positive values, one for the negative", len(plotters))
	}
	right, left := plotters[0].(*plotter.Labels), plotters[1].(*plotter.Labels)
	if !slices.Equal(right.Labels, []string{"0.523", "0"}) || !slices.Equal(left.Labels, []string{"-1.25"}) {
		t.Errorf("labels %q and %q; want [0.523 0] and [-1.25]", right.Labels, left.Labels)
	}
	// The first bar is at the top: y = n−1.
	if right.XYs[0] != (plotter.XY{X: 0.5234, Y: 2}) || left.XYs[0] != (plotter.XY{X: -1.25, Y: 1}) || right.XYs[1] != (plotter.XY{X: 0, Y: 0}) {
		t.Errorf("labels at %v and %v; want (0.5234, 2), (0, 0) and (-1.25, 1)", right.XYs, left.XYs)
	}
	if !(right.Offset.X > 0) || right.TextStyle[0].XAlign != draw.XLeft || !(left.Offset.X < 0) || left.TextStyle[0].XAlign != draw.XRight {
		t.Errorf("offsets %v, %v, alignments %v, %v; want the positive ones right of their ends, the negative left", right.Offset.X, left.Offset.X, right.TextStyle[0].XAlign, left.TextStyle[0].XAlign)
	}
}

// TestBarsDrawTheirLabelsAndMarks: dark text lies just past each bar's end
// in its row, and a mark's dotted line runs up the chart where no bar
// is, its name kept inside the data area though the mark lies near its
// right edge.
func TestBarsDrawTheirLabelsAndMarks(t *testing.T) {
	p, err := Bars("t", "accuracy", []string{"linear", "relu"}, []float64{0.5, 0.99}, Mark{Name: "chance, a third", At: 1.0 / 3}, Mark{Name: "90%: relu's line", At: 0.9})
	if err != nil {
		t.Fatal(err)
	}
	img, at := pixelsOf(p)
	dark := func(r, g, b uint32) bool { return r < 90 && g < 90 && b < 90 }
	grey := func(r, g, b uint32) bool { return r == g && g == b && r > 90 && r < 200 }
	for i, end := range []float64{0.5, 0.99} {
		row := float64(1 - i)
		from, _ := at(end, row)
		if got := countIn(img, from+2, from+60, rowsOf(at, row), dark); got < 20 {
			t.Errorf("bar %d: %d dark pixels past its end at %g; want its value written there", i, got, end)
		}
		first, last := inkRows(img, from+2, from+60, rowsOf(at, row), dark)
		if _, mid := at(0, row); math.Abs(float64(first+last)/2-float64(mid)) > 1 {
			t.Errorf("bar %d: its value's ink in rows %d to %d; want it centred on the bar's middle, row %d", i, first, last, mid)
		}
	}
	for _, mark := range []float64{1.0 / 3, 0.9} {
		col, _ := at(mark, 0)
		_, top := at(mark, 1.5)
		_, bottom := at(mark, -0.5)
		if got := countIn(img, col-1, col+2, [2]int{top, bottom}, grey); got < (bottom-top)/5 {
			t.Errorf("mark at %.3g: %d grey pixels up its column of %d rows; want a dotted line", mark, got, bottom-top)
		}
	}
	end, _ := at(p.X.Max, 0)
	_, top := at(0, 1.5)
	if got := countIn(img, end-3, end, [2]int{top, top + 30}, grey); got > 0 {
		t.Errorf("%d grey pixels at the data area's right edge, where the marks' names are; want the name of a mark near it left of its line, whole", got)
	}
}

// rowsOf is the band of picture rows a bar at row y spans (22 points
// high, at 96 dots an inch about 29 pixels).
func rowsOf(at func(x, y float64) (int, int), y float64) [2]int {
	_, mid := at(0, y)
	return [2]int{mid - 14, mid + 14}
}

// countIn counts the pixels of columns [from, to) and rows [rows[0],
// rows[1]), within the picture, that is takes.
func countIn(img image.Image, from, to int, rows [2]int, is func(r, g, b uint32) bool) int {
	n := 0
	b := img.Bounds()
	for x := max(from, b.Min.X); x < min(to, b.Max.X); x++ {
		for y := max(rows[0], b.Min.Y); y < min(rows[1], b.Max.Y); y++ {
			if r, g, b, _ := img.At(x, y).RGBA(); is(r>>8, g>>8, b>>8) {
				n++
			}
		}
	}
	return n
}

// inkRows is the first and last of rows [rows[0], rows[1]) holding a pixel
// is takes in columns [from, to).
func inkRows(img image.Image, from, to int, rows [2]int, is func(r, g, b uint32) bool) (first, last int) {
	first, last = rows[1], rows[0]
	for y := rows[0]; y < rows[1]; y++ {
		if countIn(img, from, to, [2]int{y, y + 1}, is) > 0 {
			first, last = min(first, y), max(last, y)
		}
	}
	return first, last
}
