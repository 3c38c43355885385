package main

import (
	"context"
	"fmt"
	"io"
	"slices"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/internal/atomicfile"
	"github.com/wigglenn/wiggle/lab"
	"github.com/wigglenn/wiggle/plot"
)

// comparePlots names the files compare --plot writes: the losses, then
// the decision regions.
var comparePlots = []string{"losses.png", "regions.png"}

// writeComparePlots draws compare's figures into dir: losses.png, each
// activation's training loss by epoch (its median run), a panel each with
// the others faint behind it (lossPanels), and regions.png, each
// activation's decision regions side by side. The two go in as a set
// (atomicfile.WriteAll): a disk that fills leaves dir as it was.
func writeComparePlots(ctx context.Context, dir string, rows []lab.CompareRow, ds *data.Dataset) error {
	var series []plot.Series
	var regions []*gplot.Plot
	for _, r := range rows {
		name := r.Act
		if r.Diverged == r.Runs {
			name += " (diverged)" // its curve stops where the loss left the numbers, if it had begun
		}
		s := plot.Series{Name: name}
		for i, v := range r.History {
			s.X, s.Y = append(s.X, float64(i+1)), append(s.Y, v)
		}
		series = append(series, s)
		predict := lab.Classifier(r.Net)
		if r.Diverged == r.Runs { // its weights are not numbers: no regions (they had painted a confident class), the points alone
			predict = func(float32, float32) int { return -1 }
		}
		p, err := plot.Regions(ds, predict, name)
		if err != nil {
			return err
		}
		regions = append(regions, p)
	}
	panels, err := lossPanels(series, !slices.ContainsFunc(rows, func(r lab.CompareRow) bool { return len(r.History) > 0 }))
	if err != nil {
		return err
	}
	cols := min(4, len(regions))
	run := medianRunText(rows)
	return atomicfile.WriteAll(ctx, dir, []atomicfile.Entry{ // the folder made once every plot is drawn, as act plot's
		{Name: comparePlots[0], Write: func(w io.Writer) error {
			if len(panels) == 1 {
				return plot.WritePNG(w, panels[0], 8*vg.Inch, 5*vg.Inch)
			}
			return plot.WriteTitledGridPNG(w, "training loss by epoch: "+run+", the others faint behind it", panels, cols, 3.2*vg.Inch, 2.6*vg.Inch)
		}},
		{Name: comparePlots[1], Write: func(w io.Writer) error {
			return plot.WriteTitledGridPNG(w, "decision regions after training: "+run, regions, cols, 3*vg.Inch, 3.7*vg.Inch) // the legend above takes a fifth: the data keeps near its own proportions
		}},
	})
}

// medianRunText says whose curve and regions each panel shows: each
// activation's median run (by final loss) of its runs, one a seed.
func medianRunText(rows []lab.CompareRow) string {
	if len(rows) == 0 || rows[0].Runs <= 1 {
		return "each activation's run"
	}
	return fmt.Sprintf("each activation's median run of %d seeds", rows[0].Runs)
}

// lossPanels draws lossCharts.
func lossPanels(series []plot.Series, noneDrawn bool) ([]*gplot.Plot, error) {
	charts := lossCharts(series, noneDrawn)
	panels := make([]*gplot.Plot, len(charts))
	for i, c := range charts {
		p, err := c.Plot()
		if err != nil {
			return nil, err
		}
		panels[i] = p
	}
	return panels, nil
}

// lossCharts are the loss curves' charts: one of a lone series, else a
// panel per series, its curve over the others' in faint colour on the same
// axes. Eight curves on one chart had been a tangle where five of them
// trained alike, their epochs' noise crossing each other's lines.
func lossCharts(series []plot.Series, noneDrawn bool) []plot.Chart {
	if len(series) == 1 || noneDrawn {
		title := "training loss of " + series[0].Name + " by epoch (median run)" // a chart of one series has no legend: the title names it
		if noneDrawn {
			title = "no loss to draw: every run diverged in its first epoch"
		}
		return []plot.Chart{{Title: title, XLabel: "epoch", YLabel: "loss", Series: series, LogY: true, WholeX: true}}
	}
	charts := make([]plot.Chart, len(series))
	for i, s := range series {
		var drawn []plot.Series
		for j, other := range series {
			if j != i {
				other.Faint = true
				drawn = append(drawn, other)
			}
		}
		charts[i] = plot.Chart{Title: s.Name, XLabel: "epoch", YLabel: "loss (median run)", Series: append(drawn, s), LogY: true, WholeX: true}
	}
	return charts
}
