package model

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/tensor"
)

// Evaluation is a model's performance on labelled data.
type Evaluation struct {
	Loss     float64  `json:"loss"`
	Accuracy *float64 `json:"accuracy"` // null for regression
	// Confusion[i][j] counts the rows of class i predicted as class j;
	// nil for a model of more than MaxConfusionClasses classes.
	Confusion [][]int  `json:"confusion,omitempty"`
	Classes   []string `json:"classes,omitempty"`
	Rows      int      `json:"rows"`
	// For a regression (mse): the root of the mean squared error and the
	// mean absolute error, over every output of every row, in the targets'
	// units, and R², the share of the targets' variance about their mean
	// (each output's own) that the predictions explain: 1 − SSE/SST, null
	// where the targets do not vary. All null for a classifier.
	RMSE *float64 `json:"rmse"`
	MAE  *float64 `json:"mae"`
	R2   *float64 `json:"r2"`
}

// MaxConfusionClasses is the most classes whose confusion matrix Evaluate
// counts (8 MiB of counts): a model file may have an output layer of a
// million classes, whose matrix would not fit in memory.
const MaxConfusionClasses = 1024

// Evaluate measures the model on ds: the mean loss, and for a classifier the
// accuracy and the confusion matrix. ds holds raw features in the order of
// Features (the model standardises them) and, for a classifier, labels that
// index Classes; for mse, target values. Data that does not fit is an
// error, and so are column or class names (when ds has them) that are not
// the model's, in its order: read a CSV file with data.CSVOptions{Features:
// m.Features(), Classes: m.Classes()}.
func (m *Model) Evaluate(ds *data.Dataset) (Evaluation, error) {
	return m.EvaluateContext(context.Background(), ds)
}

// EvaluateContext is Evaluate that stops once ctx is done (see the package
// documentation).
func (m *Model) EvaluateContext(ctx context.Context, ds *data.Dataset) (Evaluation, error) {
	if ctx == nil {
		return Evaluation{}, errNoContext
	}
	rows, err := m.checkLabelled(ds)
	if err != nil {
		return Evaluation{}, err
	}
	ev := Evaluation{Rows: ds.Len()}
	if !ds.Regression() {
		ev.Classes = m.Classes()
	}
	if !ds.Regression() && len(ev.Classes) <= MaxConfusionClasses {
		ev.Confusion = make([][]int, len(ev.Classes))
		for i := range ev.Confusion {
			ev.Confusion[i] = make([]int, len(ev.Classes))
		}
	}
	var sumLoss float64
	right := 0
	var d *tensor.Matrix
	var errs regressionErrors
	err = m.run(ctx, rows, 0, func(first int, scores *tensor.Matrix) {
		part := ds.Slice(first, first+scores.Rows)
		d = d.Reshape(scores.Rows, scores.Cols)
		sumLoss += m.loss.Forward(d, scores, loss.Target{Labels: part.Labels, Values: part.Values}) * float64(scores.Rows)
		if part.Values != nil {
			errs.add(scores, part.Values)
		}
		for i, y := range part.Labels {
			guess := m.loss.Classify(scores.Row(i))
			if ev.Confusion != nil {
				ev.Confusion[y][guess]++
			}
			if guess == y {
				right++
			}
		}
	})
	if err != nil {
		return Evaluation{}, err
	}
	ev.Loss = sumLoss / float64(ds.Len())
	if !ds.Regression() {
		acc := float64(right) / float64(ds.Len())
		ev.Accuracy = &acc
	} else {
		ev.RMSE, ev.MAE, ev.R2 = errs.measures(ds.Values)
	}
	return ev, nil
}

// regressionErrors sums a regression's errors, chunk by chunk.
type regressionErrors struct{ squares, absolute float64 }

// add sums the errors of predictions against targets, rows×outputs both.
func (e *regressionErrors) add(predictions, targets *tensor.Matrix) {
	for i, t := range targets.Data {
		diff := float64(predictions.Data[i]) - float64(t)
		e.squares += diff * diff
		e.absolute += math.Abs(diff)
	}
}

// measures are the RMSE, the MAE and R² of the errors summed over
// targets (R² nil where no output's targets vary).
func (e regressionErrors) measures(targets *tensor.Matrix) (rmse, mae, r2 *float64) {
	n := float64(len(targets.Data))
	root, mean := math.Sqrt(e.squares/n), e.absolute/n
	var spread float64 // Σ (t − its output's mean)²
	for j := range targets.Cols {
		var sum float64
		for i := range targets.Rows {
			sum += float64(targets.Data[i*targets.Cols+j])
		}
		centre := sum / float64(targets.Rows)
		for i := range targets.Rows {
			dev := float64(targets.Data[i*targets.Cols+j]) - centre
			spread += dev * dev
		}
	}
	if spread > 0 {
		explained := 1 - e.squares/spread
		r2 = &explained
	}
	return &root, &mean, r2
}

// checkLabelled finds what in ds does not fit the model, and returns the
// rows of ds.X (in place) when all does.
func (m *Model) checkLabelled(ds *data.Dataset) ([][]float32, error) {
	if m == nil || m.file == nil {
		return nil, errNotMade
	}
	if ds == nil || ds.X == nil || ds.Len() <= 0 {
		return nil, fmt.Errorf("no rows to evaluate on")
	}
	if err := ds.Check(); err != nil && !errors.Is(err, data.ErrLabelOutsideClasses) {
		return nil, fmt.Errorf("the data: %w", err) // its labels are checked against the model's classes below
	}
	if ds.Features != nil && !slices.Equal(ds.Features, m.file.Features) {
		return nil, fmt.Errorf("the data's columns are %v; the model takes %v, in that order (read the data with the model's Features)", ds.Features, m.file.Features)
	}
	if ds.ClassNames != nil && !slices.Equal(ds.ClassNames, m.file.Classes) {
		return nil, fmt.Errorf("the data's classes are %v; the model's are %v, in that order (read the data with the model's Classes)", ds.ClassNames, m.file.Classes)
	}
	rows := make([][]float32, ds.Len())
	for i := range rows {
		rows[i] = ds.X.Row(i)
	}
	if err := m.check(rows, 0); err != nil {
		return nil, err
	}
	regression := m.file.Classes == nil
	switch {
	case regression && ds.Values != nil && ds.Values.Rows == ds.Len() && ds.Values.Cols != m.file.Net.OutSize():
		return nil, fmt.Errorf("the model predicts %s per row (loss %s); the data has %s per row", values(m.file.Net.OutSize()), m.file.Loss, values(ds.Values.Cols))
	case regression && (ds.Values == nil || ds.Values.Rows != ds.Len()):
		return nil, fmt.Errorf("the model predicts %s per row (loss %s); the data has no such target values", values(m.file.Net.OutSize()), m.file.Loss)
	case !regression && (ds.Values != nil || len(ds.Labels) != ds.Len()):
		return nil, fmt.Errorf("the model predicts classes (loss %s); the data has no class label per row", m.file.Loss)
	}
	for i, y := range ds.Labels {
		if y < 0 || y >= len(m.file.Classes) {
			return nil, rowError(i, " has label %d; the model's classes are 0 to %d (%v)", y, len(m.file.Classes)-1, m.file.Classes)
		}
	}
	if regression {
		for i, v := range ds.Values.Data {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return nil, rowError(i/ds.Values.Cols, " has the target value %v; want finite numbers", v)
			}
		}
	}
	return rows, nil
}

// values says "a value" or "n values".
func values(n int) string {
	if n == 1 {
		return "a value"
	}
	return fmt.Sprintf("%d values", n)
}
