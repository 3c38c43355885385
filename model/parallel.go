package model

import (
	"context"

	"github.com/wigglenn/wiggle/internal/kernels"
	"github.com/wigglenn/wiggle/tensor"
)

// minSplitRows is the fewest rows a Predict call splits between the
// engine's two threads: each half gets at least a whole 16-row tile.
const minSplitRows = 32

// predictTask is one Predict call's rows, split in two halves that run
// through the network side by side, each on its own worker: the caller
// takes one, the engine's helper thread the other (kernels.Parallel).
// Each half writes only its own rows of rows and labels.
type predictTask struct {
	ctx    context.Context
	m      *Model
	x      [][]float32
	rows   [][]float32 // each row's outputs, or nil
	raw    bool        // rows hold the network's raw outputs (Logits), not Predict's
	labels []string    // each row's class label, or nil
	half   int         // rows in the first half
	errs   [2]error
}

// runAll checks and computes every row: in two halves at once when the
// call is big enough and the helper is awake (a benchmark, a service that
// holds engine.KeepHelperAwake), else on the calling goroutine. It returns
// the error of the first row that has one (a half stops at its first).
func (t *predictTask) runAll() error {
	if len(t.x) >= minSplitRows {
		t.half = min((len(t.x)+16)/32*16, len(t.x)-16) // the nearest multiple of 16 to half, leaving 16 or more
		if kernels.Parallel(2, t) {
			if t.errs[0] != nil {
				return t.errs[0]
			}
			return t.errs[1]
		}
	}
	t.half = len(t.x)
	t.Run(0)
	return t.errs[0]
}

// Run checks and computes half i of the rows.
func (t *predictTask) Run(i int) {
	lo, hi := 0, t.half
	if i == 1 {
		lo, hi = t.half, len(t.x)
	}
	if t.errs[i] = t.m.check(t.x[lo:hi], lo); t.errs[i] != nil {
		return
	}
	t.errs[i] = t.m.run(t.ctx, t.x[lo:hi], lo, func(first int, scores *tensor.Matrix) {
		t.write(lo+first, scores)
	})
}

// write sets the outputs and labels of the rows from first on.
func (t *predictTask) write(first int, scores *tensor.Matrix) {
	m := t.m
	for i := range scores.Rows {
		switch {
		case t.rows != nil && t.raw:
			copy(t.rows[first+i], scores.Row(i))
		case t.rows != nil:
			m.output(t.rows[first+i], scores.Row(i))
		}
		if t.labels != nil {
			t.labels[first+i] = m.file.Classes[m.loss.Classify(scores.Row(i))]
		}
	}
}
