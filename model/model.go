// Package model serves a trained wiggle model: load it once, then predict
// from any number of goroutines.
//
//	m, err := model.Load("iris.safetensors")
//	if err != nil { ... }
//	probs, err := m.Predict([][]float32{{5.1, 3.5, 1.4, 0.2}})
//	labels, err := m.Classify([][]float32{{5.1, 3.5, 1.4, 0.2}})
//
// A Model takes raw features, in the order Features gives, and applies the
// standardisation it was trained with itself. Predict returns for each row
// the numbers `wiggle predict` prints after its label column: each class's
// probability (softmax, logistic), each class's score (hinge,
// binary-hinge), or the predicted values (mse); Classify the labels it
// prints. Each row's numbers depend on that row alone, not on the others
// predicted with it.
//
// A *Model is safe for concurrent use by any number of goroutines. Its
// weights never change after Load; each call takes buffers of its own from a
// pool, so no lock is held during the arithmetic and, once the pool is warm,
// a call allocates nothing but its result. A row of the wrong width or with a
// value that is not finite is an error, never a panic.
//
// PredictContext, ClassifyContext, PredictClassifyContext and
// EvaluateContext stop between chunks of 256 rows once their context is
// done, and return its error (context.Canceled or
// context.DeadlineExceeded) and no results: a service can bound a call by
// its request's context. The rows are checked first, so a bad row is
// reported as such even when the context is done already (and, where a
// call goes in two halves, a bad row in one half and a context done
// during the other may give either error). The calls without a context
// never stop early; a nil context is an error.
package model

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/internal/kernels"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/tensor"
)

// Model is a trained network ready for predictions. Make one with Load,
// Read or New.
type Model struct {
	file    *modelio.Model // its own copy: nothing else holds its weights
	loss    loss.Loss
	columns []string
	workers sync.Pool // of *worker
	tasks   sync.Pool // of *predictTask
}

// worker is one call's network replica and input buffer, and a view of
// the caller's rows when they lie one after another (see inPlace).
type worker struct {
	net  *nn.Sequential
	x    *tensor.Matrix
	view tensor.Matrix
}

// Load reads a model file that `wiggle train` (or modelio.Save) wrote.
//
// The weights are held twice: as the file has them (read without a copy,
// see modelio.LoadShared) and packed as the products read them
// (nn.Sequential.Freeze).
func Load(path string) (*Model, error) {
	f, err := modelio.LoadShared(path)
	if err != nil {
		return nil, err
	}
	return serve(f)
}

// Read reads a model file's bytes from r, to its end.
func Read(r io.Reader) (*Model, error) {
	f, err := modelio.ReadShared(r) // a nil r is its error
	if err != nil {
		return nil, err
	}
	return serve(f)
}

// New serves a model built in the program, e.g. just trained. It checks m
// (see modelio.Model.Check) and takes a copy of it, as its file would hold
// it, so training m's network further does not change the Model. m's
// network must not be training while New copies it: call New between
// steps (from train.Config.OnEpoch, say).
func New(m *modelio.Model) (*Model, error) {
	var b bytes.Buffer
	if err := modelio.Write(&b, m); err != nil {
		return nil, err
	}
	served, err := Read(&b)
	if err != nil { // what Write wrote did not read back: it changed under the copy
		return nil, fmt.Errorf("the model changed while New copied it (is its network training? call New between steps, from train.Config.OnEpoch): %w", err)
	}
	return served, nil
}

// serve makes a Model of a checked model file's content.
func serve(f *modelio.Model) (*Model, error) {
	l, err := loss.New(f.Loss)
	if err != nil {
		return nil, err
	}
	if loss.Classes(l, f.Net.OutSize()) == 0 {
		f.Classes = nil // a file may list none as []: it predicts values all the same
	}
	f.Net.Freeze() // the Model's own network: its weights never change
	m := &Model{file: f, loss: l, columns: columns(f)}
	m.tasks.New = func() any { return new(predictTask) }
	m.workers.New = func() any {
		net, err := f.Net.Replica()
		if err != nil {
			return nil // checked below, at the first one
		}
		return &worker{net: net}
	}
	w, ok := m.workers.Get().(*worker)
	if !ok {
		return nil, fmt.Errorf("the network %v cannot be replicated for concurrent use", f.Net.Spec())
	}
	m.workers.Put(w)
	return m, nil
}

// columns names the numbers Predict returns, as `wiggle predict` heads
// them: "p_LABEL" per class for probabilities, "score_LABEL" for scores
// ("score" for a single one), the target's name for values.
func columns(f *modelio.Model) []string {
	switch f.Loss {
	case "mse":
		name := cmp.Or(f.Target, "value") // an imported model names no target
		if f.Net.OutSize() == 1 {
			return []string{name}
		}
		return numbered(name+"_", f.Net.OutSize())
	case "hinge", "binary-hinge":
		if f.Net.OutSize() == 1 {
			return []string{"score"}
		}
		return prefixed("score_", f.Classes)
	}
	return prefixed("p_", f.Classes)
}

func prefixed(prefix string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = prefix + n
	}
	return out
}

func numbered(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprint(prefix, i)
	}
	return out
}

// The accessors below describe a Model that Load, Read or New made; an
// empty one (the zero Model, or nil) has no features, classes or columns,
// and its Loss, Target and Network are "".

// Features names the columns each input row holds, in order.
func (m *Model) Features() []string { return slices.Clone(m.made().Features) }

// Classes returns the label of each class, in the order of Predict's
// probabilities or scores; nil for a model that predicts values (mse).
func (m *Model) Classes() []string { return slices.Clone(m.made().Classes) }

// Loss names the loss the model was trained with: softmax, logistic, hinge,
// binary-hinge or mse. It says what Predict returns.
func (m *Model) Loss() string { return m.made().Loss }

// Target names the column the model predicts.
func (m *Model) Target() string { return m.made().Target }

// Columns names the numbers Predict returns for each row, as the header of
// `wiggle predict` does after its "predicted" column: under mse the
// target's name (numbered after "_" for several), or "value" where the
// model names none, as an imported one may not.
func (m *Model) Columns() []string {
	if m == nil {
		return nil
	}
	return slices.Clone(m.columns)
}

// Standardizer returns a copy of the means and standard deviations the
// model standardises its inputs with (its training rows'); nil for a model
// that takes them as they are.
func (m *Model) Standardizer() *data.Standardizer {
	s := m.made().Scaler
	if s == nil {
		return nil
	}
	return &data.Standardizer{Mean: slices.Clone(s.Mean), Std: slices.Clone(s.Std)}
}

// Network describes the network, e.g. "4-16-3: 19 neurons, 131 parameters".
func (m *Model) Network() string {
	if f := m.made(); f.Net != nil {
		return f.Net.Size().String()
	}
	return ""
}

// made returns the model file m holds, or an empty one where Load, Read or
// New did not make m.
func (m *Model) made() *modelio.Model {
	if m == nil || m.file == nil {
		return &modelio.Model{}
	}
	return m.file
}

// chunkRows is how many rows go through the network at once: a worker's
// buffers stay small whatever the size of a call.
const chunkRows = 256

// Predict returns, for each row of x, what the model predicts: each class's
// probability (softmax, logistic), each class's score (hinge,
// binary-hinge) or the predicted values (mse), named by Columns. Rows hold
// raw features, in the order of Features; the model standardises them as
// it was trained to. `wiggle predict` prints these numbers, each as
// strconv.FormatFloat(float64(v), 'g', -1, 32) does.
//
// A row of the wrong width or a value that is not finite is an error that
// names the row and the column; so is a row so large that the network's
// output overflows.
//
// A call runs on the calling goroutine, or, when it has 32 rows or more
// and something keeps the engine's helper awake (engine.KeepHelperAwake),
// in two halves on the caller and the helper. Each row's numbers are the
// same bits either way, and whatever rows share its call.
func (m *Model) Predict(x [][]float32) ([][]float32, error) {
	return m.PredictContext(context.Background(), x)
}

// PredictContext is Predict that stops once ctx is done (see the package
// documentation).
func (m *Model) PredictContext(ctx context.Context, x [][]float32) ([][]float32, error) {
	values, _, err := m.predict(ctx, x, true, false)
	return values, err
}

// Logits returns the network's raw outputs for each row of x, before the
// loss turns them into what Predict returns (a softmax's probabilities, a
// sigmoid's): one number an output, as PyTorch's forward pass gives them
// and the ONNX export's "logits" output holds. Rows are as Predict takes
// them, and the same checks hold.
func (m *Model) Logits(x [][]float32) ([][]float32, error) {
	return m.LogitsContext(context.Background(), x)
}

// LogitsContext is Logits that stops once ctx is done.
func (m *Model) LogitsContext(ctx context.Context, x [][]float32) ([][]float32, error) {
	if ctx == nil {
		return nil, errNoContext
	}
	if m == nil || m.file == nil {
		return nil, errNotMade
	}
	return m.rawOutputs(ctx, x)
}

// Classify returns the predicted class label of each row of x, as `wiggle
// predict` prints it. A model that predicts values (mse) has no classes:
// use Predict.
func (m *Model) Classify(x [][]float32) ([]string, error) {
	return m.ClassifyContext(context.Background(), x)
}

// ClassifyContext is Classify that stops once ctx is done.
func (m *Model) ClassifyContext(ctx context.Context, x [][]float32) ([]string, error) {
	if ctx == nil {
		return nil, errNoContext
	}
	if err := m.classifies(); err != nil {
		return nil, err
	}
	_, labels, err := m.predict(ctx, x, false, true)
	return labels, err
}

// PredictClassify returns both, from one pass of x through the network:
// what Predict returns and what Classify returns.
func (m *Model) PredictClassify(x [][]float32) ([][]float32, []string, error) {
	return m.PredictClassifyContext(context.Background(), x)
}

// PredictClassifyContext is PredictClassify that stops once ctx is done.
func (m *Model) PredictClassifyContext(ctx context.Context, x [][]float32) ([][]float32, []string, error) {
	if ctx == nil {
		return nil, nil, errNoContext
	}
	if err := m.classifies(); err != nil {
		return nil, nil, err
	}
	return m.predict(ctx, x, true, true)
}

// errNoContext is the error of a call given a nil context.
var errNoContext = errors.New("model: a nil context; pass context.Background() for a call that is never stopped")

// classifies says why m has no class labels, if it has none.
func (m *Model) classifies() error {
	if m == nil || m.file == nil {
		return errNotMade
	}
	if m.file.Classes == nil {
		return fmt.Errorf("the model predicts values (loss %s), not classes; use Predict", m.file.Loss)
	}
	return nil
}

// predict runs x through the network once and returns what the caller
// wants: each row's outputs (withValues) and each row's class label
// (withLabels).
func (m *Model) predict(ctx context.Context, x [][]float32, withValues, withLabels bool) ([][]float32, []string, error) {
	if ctx == nil {
		return nil, nil, errNoContext
	}
	if m == nil || m.file == nil {
		return nil, nil, errNotMade
	}
	var rows [][]float32
	if withValues {
		rows = rowsOf(len(x), len(m.columns))
	}
	var labels []string
	if withLabels {
		labels = make([]string, len(x))
	}
	err := m.runTask(predictTask{ctx: ctx, m: m, x: x, rows: rows, labels: labels})
	if err != nil {
		return nil, nil, err
	}
	return rows, labels, nil
}

// rawOutputs runs x through the network once and returns its outputs as
// they come (Logits).
func (m *Model) rawOutputs(ctx context.Context, x [][]float32) ([][]float32, error) {
	rows := rowsOf(len(x), m.file.Net.OutSize())
	if err := m.runTask(predictTask{ctx: ctx, m: m, x: x, rows: rows, raw: true}); err != nil {
		return nil, err
	}
	return rows, nil
}

// rowsOf makes n rows of width numbers, each capped at its end, in one
// allocation.
func rowsOf(n, width int) [][]float32 {
	out := make([]float32, n*width)
	rows := make([][]float32, n)
	for i := range rows {
		rows[i] = out[i*width : (i+1)*width : (i+1)*width]
	}
	return rows
}

// runTask runs task with one of the pool's tasks, which keeps none of the
// caller's rows alive after.
func (m *Model) runTask(task predictTask) error {
	t := m.tasks.Get().(*predictTask)
	*t = task
	err := t.runAll()
	*t = predictTask{}
	m.tasks.Put(t)
	return err
}

// RowError is a problem with one row of the data a call was given: a row
// of the wrong width, a value that is not finite, a label or target the
// model cannot take, or an output that overflowed. Row indexes x
// (Predict, Classify, PredictClassify) or ds (Evaluate), from 0.
type RowError struct {
	Row     int
	Problem string // what is wrong with it, as the message goes on after "row N"
}

func (e *RowError) Error() string { return fmt.Sprintf("row %d%s", e.Row, e.Problem) }

func rowError(row int, format string, args ...any) error {
	return &RowError{Row: row, Problem: fmt.Sprintf(format, args...)}
}

// errNotMade is the error of a Model that Load, Read or New did not make.
var errNotMade = errors.New("model: an empty Model; make one with model.Load, model.Read or model.New")

// check finds the first row of the wrong width or with a value that is not
// finite, and names it counting from base.
func (m *Model) check(x [][]float32, base int) error {
	if m == nil || m.file == nil {
		return errNotMade
	}
	in := m.file.Net.In
	for i, row := range x {
		if len(row) != in {
			values := "values"
			if len(row) == 1 {
				values = "value"
			}
			return rowError(base+i, " has %d %s; the model takes %d features (%s)", len(row), values, in, strings.Join(m.file.Features, ", "))
		}
		if kernels.AllFinite(row) {
			continue
		}
		for j, v := range row {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return rowError(base+i, ", column %d (%s) is %v; the model takes finite numbers", j, m.file.Features[j], v)
			}
		}
	}
	return nil
}

// run computes the network's scores for x in chunks of chunkRows, on a
// worker of the pool, and hands each chunk's scores to use with the index of
// its first row. The network is frozen (nn.Sequential.Freeze), so each
// row's scores are the same bits however many rows go with it. Scores
// that are not finite (an input too large for the network) are an error
// naming the row, counted from base. Once ctx is done it stops before the
// next chunk and returns ctx's error.
func (m *Model) run(ctx context.Context, x [][]float32, base int, use func(first int, scores *tensor.Matrix)) error {
	w := m.workers.Get().(*worker)
	defer m.workers.Put(w)
	defer func() { w.view.Data = nil }() // the layers keep &w.view: keep no caller's rows alive in the pool
	for first := 0; first < len(x); first += chunkRows {
		if err := ctx.Err(); err != nil {
			return err
		}
		chunk := x[first:min(first+chunkRows, len(x))]
		var input *tensor.Matrix
		if m.inPlace(chunk, &w.view) {
			input = &w.view
		} else {
			w.x = w.x.Reshape(len(chunk), m.file.Net.In)
			for i, row := range chunk {
				m.standardize(w.x.Row(i), row)
			}
			input = w.x
		}
		scores := w.net.Forward(input, false)
		if !kernels.AllFinite(scores.Data) {
			for i, v := range scores.Data {
				if v-v != 0 {
					return rowError(base+first+i/scores.Cols, ": the network's output is %v; its values are too large for the model", v)
				}
			}
		}
		use(first, scores)
	}
	return nil
}

// inPlace points view at rows, of the network's width (check), when the
// network takes them as they are (no Scaler) and they lie one after
// another in one array, as the rows of a matrix do: the network then reads
// them where they are, rather than from a copy. The network does not write
// to its input.
func (m *Model) inPlace(rows [][]float32, view *tensor.Matrix) bool {
	in := m.file.Net.In
	n := len(rows) * in
	if m.file.Scaler != nil || in == 0 || cap(rows[0]) < n {
		return false
	}
	all := rows[0][:n:n]
	for i, row := range rows {
		if &row[0] != &all[i*in] {
			return false
		}
	}
	*view = tensor.Matrix{Rows: len(rows), Cols: in, Data: all}
	return true
}

// standardize sets dst to the row src as the network takes it.
func (m *Model) standardize(dst, src []float32) {
	s := m.file.Scaler
	if s == nil {
		copy(dst, src)
		return
	}
	for j, v := range src {
		dst[j] = (v - s.Mean[j]) / s.Std[j]
	}
}

// output sets dst to what Predict returns for one row of scores.
func (m *Model) output(dst, scores []float32) {
	switch m.file.Loss {
	case "softmax":
		act.Softmax(dst, scores, len(scores))
	case "logistic":
		q := act.Sigmoid(float64(scores[0]))
		dst[0], dst[1] = float32(1-q), float32(q)
	default: // scores (hinge, binary-hinge) or values (mse)
		copy(dst, scores)
	}
}
