package modelio

import (
	"fmt"
	"io"
	"slices"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/tensor"
)

// ReadData reads what a --data argument names (see data.Load) the way the
// model was trained: its feature columns, its classes, its standardisation.
// For MNIST it is the test split. target names a CSV file's target column
// ("" for the model's own; "-" to read features only, for prediction).
func (m *Model) ReadData(name, target string, log io.Writer) (*data.Dataset, error) {
	opt := data.CSVOptions{Target: target, Regression: m.Loss == "mse", Features: m.Features, Classes: m.Classes}
	switch target {
	case "":
		opt.Target = m.Target
	case "-":
		opt.Target = ""
	}
	loaded, err := data.Load(name, data.LoadOptions{CSV: opt, Seed: 1, Log: log})
	if err != nil {
		return nil, err
	}
	ds := loaded.Train
	if loaded.Test != nil {
		ds = loaded.Test
	}
	if data.IsBuiltin(name) && (!slices.Equal(ds.Features, m.Features) || !slices.Equal(ds.ClassNames, m.Classes)) {
		return nil, fmt.Errorf("%s has columns %v and classes %v; the model takes %v and %v", name, ds.Features, ds.ClassNames, m.Features, m.Classes)
	}
	if m.Scaler != nil {
		m.Scaler.Apply(ds.X)
	}
	return ds, nil
}

// Evaluation is a model's performance on labelled data.
type Evaluation struct {
	Loss     float64  `json:"loss"`
	Accuracy *float64 `json:"accuracy"` // null for regression
	// Confusion[i][j] counts the rows of class i predicted as class j.
	Confusion [][]int  `json:"confusion,omitempty"`
	Classes   []string `json:"classes,omitempty"`
	Rows      int      `json:"rows"`
}

// Evaluate measures the model on ds, which ReadData read.
func (m *Model) Evaluate(ds *data.Dataset) (Evaluation, error) {
	l, err := loss.New(m.Loss)
	if err != nil {
		return Evaluation{}, err
	}
	scores := m.Net.Forward(ds.X, false)
	d := tensor.New(scores.Rows, scores.Cols)
	ev := Evaluation{Loss: l.Forward(d, scores, loss.Target{Labels: ds.Labels, Values: ds.Values}), Rows: ds.Len()}
	if ds.Regression() {
		return ev, nil
	}
	acc := loss.Accuracy(l, scores, ds.Labels)
	ev.Accuracy, ev.Classes = &acc, m.Classes
	ev.Confusion = make([][]int, len(m.Classes))
	for i := range ev.Confusion {
		ev.Confusion[i] = make([]int, len(m.Classes))
	}
	for i, y := range ds.Labels {
		ev.Confusion[y][l.Classify(scores.Row(i))]++
	}
	return ev, nil
}

// Prediction is what a model says of each row.
type Prediction struct {
	// Columns names the columns of Values: "p_LABEL" for each class's
	// probability (softmax, logistic), "score_LABEL" for SVM scores (hinge,
	// binary-hinge), the target's name for mse.
	Columns []string
	Values  *tensor.Matrix // [rows, len(Columns)]
	// Class is the predicted class label of each row; nil for mse.
	Class []string
}

// Predict runs the model on ds, which ReadData read.
func (m *Model) Predict(ds *data.Dataset) (Prediction, error) {
	l, err := loss.New(m.Loss)
	if err != nil {
		return Prediction{}, err
	}
	scores := m.Net.Forward(ds.X, false)
	p := Prediction{}
	switch m.Loss {
	case "mse":
		p.Columns, p.Values = []string{m.Target}, scores.Clone()
		return p, nil
	case "softmax":
		p.Values = tensor.New(scores.Rows, scores.Cols)
		act.Softmax(p.Values.Data, scores.Data, scores.Cols)
		p.Columns = prefixed("p_", m.Classes)
	case "logistic":
		p.Values = tensor.New(scores.Rows, 2)
		for i, s := range scores.Data {
			q := act.Sigmoid(float64(s))
			p.Values.Row(i)[0], p.Values.Row(i)[1] = float32(1-q), float32(q)
		}
		p.Columns = prefixed("p_", m.Classes)
	case "hinge", "binary-hinge":
		p.Values = scores.Clone()
		p.Columns = prefixed("score_", m.Classes)
		if scores.Cols == 1 {
			p.Columns = []string{"score"}
		}
	default:
		return Prediction{}, fmt.Errorf("model loss %q cannot predict", m.Loss)
	}
	for i := range scores.Rows {
		k := l.Classify(scores.Row(i))
		if k < 0 || k >= len(m.Classes) {
			return Prediction{}, fmt.Errorf("row %d: the model predicts class %d of %d (the file's classes are damaged)", i+1, k, len(m.Classes))
		}
		p.Class = append(p.Class, m.Classes[k])
	}
	return p, nil
}

func prefixed(prefix string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = prefix + n
	}
	return out
}
