package model

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/engine"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/tensor"
	"github.com/wigglenn/wiggle/train"
)

// trained returns a model of the loss lossName trained briefly on blobs
// whose features are scaled far from 0 and 1, standardised as `wiggle
// train --standardize` does, and the raw rows.
func trained(t *testing.T, lossName string) (*modelio.Model, [][]float32) {
	t.Helper()
	rng := rand.New(rand.NewPCG(5, 5))
	name := "blobs"
	if lossName == "mse" {
		name = "sine"
	}
	ds, err := data.Generate(data.SyntheticSpec{Name: name, Noise: -1}, rng)
	if err != nil {
		t.Fatal(err)
	}
	l, err := loss.New(lossName)
	if err != nil {
		t.Fatal(err)
	}
	if loss.Classes(l, 1) == 2 { // one-score losses take two classes
		for i := range ds.Labels {
			ds.Labels[i] = min(ds.Labels[i], 1)
		}
		ds.Classes, ds.ClassNames = 2, []string{"0", "1"}
	}
	for i := range ds.X.Rows {
		row := ds.X.Row(i)
		for j := range row {
			row[j] = 1000*row[j] + 37
		}
	}
	raw := make([][]float32, ds.Len())
	for i := range raw {
		raw[i] = slices.Clone(ds.X.Row(i))
	}
	scaler := data.FitStandardizer(ds.X)
	scaler.Apply(ds.X)
	outputs := l.Outputs(ds.Classes)
	if ds.Regression() {
		outputs = ds.Values.Cols
	}
	net := nn.NewMLP(ds.X.Cols, []int{8}, outputs, act.MustNew("tanh"), rng)
	if _, err := train.Fit(context.Background(), net, l, ds, nil, train.Config{Epochs: 3, Batch: 16, Shuffle: true, Seed: 1,
		Optimizer: optim.Config{Name: "momentum", LR: 0.05}}); err != nil {
		t.Fatal(err)
	}
	return &modelio.Model{Net: net, Loss: lossName, Target: ds.Target, Features: ds.Features, Classes: ds.ClassNames, Scaler: scaler}, raw
}

func serveOrFail(t *testing.T, f *modelio.Model) *Model {
	t.Helper()
	m, err := New(f)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// want computes what Predict should return, the long way: standardise a
// copy of the rows, run the training network (not frozen: its products pack
// the weights) on all of them, and turn scores into what each loss reports.
func want(f *modelio.Model, raw [][]float32) [][]float32 {
	x := tensor.New(len(raw), f.Net.In)
	for i, r := range raw {
		copy(x.Row(i), r)
	}
	f.Scaler.Apply(x)
	scores := f.Net.Forward(x, false)
	out := make([][]float32, len(raw))
	for i := range out {
		s := scores.Row(i)
		switch f.Loss {
		case "softmax":
			out[i] = make([]float32, len(s))
			act.Softmax(out[i], s, len(s))
		case "logistic":
			q := act.Sigmoid(float64(s[0]))
			out[i] = []float32{float32(1 - q), float32(q)}
		default:
			out[i] = slices.Clone(s)
		}
	}
	return out
}

func TestPredictIsTheNetworkOnStandardisedRows(t *testing.T) {
	for _, name := range loss.Names {
		t.Run(name, func(t *testing.T) {
			f, raw := trained(t, name)
			m := serveOrFail(t, f)
			got, err := m.Predict(raw)
			if err != nil {
				t.Fatal(err)
			}
			exp := want(f, raw)
			for i := range exp {
				if !slices.Equal(got[i], exp[i]) {
					t.Fatalf("row %d: Predict %v, the network on the standardised row %v", i, got[i], exp[i])
				}
			}
			if len(m.Columns()) != len(exp[0]) {
				t.Errorf("%d columns %v for rows of %d numbers", len(m.Columns()), m.Columns(), len(exp[0]))
			}
			// Logits: the network's scores on the standardised rows, as they come
			logits, err := m.Logits(raw)
			if err != nil {
				t.Fatal(err)
			}
			scores := f.Net.Forward(standardised(f, raw), false)
			for i := range logits {
				if !slices.Equal(logits[i], scores.Row(i)) {
					t.Fatalf("row %d: Logits %v, the network's outputs %v", i, logits[i], scores.Row(i))
				}
			}
			if name == "mse" {
				return
			}
			labels, err := m.Classify(raw)
			if err != nil {
				t.Fatal(err)
			}
			l, _ := loss.New(name)
			for i, label := range labels {
				if wantLabel := f.Classes[l.Classify(scores.Row(i))]; label != wantLabel {
					t.Fatalf("row %d: Classify %q, the network's scores say %q", i, label, wantLabel)
				}
			}
		})
	}
}

func standardised(f *modelio.Model, raw [][]float32) *tensor.Matrix {
	x := tensor.FromRows(raw)
	f.Scaler.Apply(x)
	return x
}

// TestRowsDoNotDependOnTheirCompany predicts every row alone, in pairs and
// all together (past a chunk's 256 rows): the same bits each time.
func TestRowsDoNotDependOnTheirCompany(t *testing.T) {
	f, raw := trained(t, "softmax")
	m := serveOrFail(t, f)
	all, err := m.Predict(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) <= chunkRows {
		t.Fatalf("only %d rows; want more than a chunk", len(raw))
	}
	for _, size := range []int{1, 2, 3, 5} {
		for first := 0; first+size <= len(raw); first += size {
			part, err := m.Predict(raw[first : first+size])
			if err != nil {
				t.Fatal(err)
			}
			for i := range part {
				if !slices.Equal(part[i], all[first+i]) {
					t.Fatalf("row %d predicted in a call of %d rows: %v; among all %d: %v", first+i, size, part[i], len(raw), all[first+i])
				}
			}
		}
	}
}

// TestConcurrentPredictions has many goroutines predict and classify on one
// Model at once (run it with -race) and compares every answer with the
// single-threaded one.
func TestConcurrentPredictions(t *testing.T) {
	f, raw := trained(t, "softmax")
	m := serveOrFail(t, f)
	wantValues, err := m.Predict(raw)
	if err != nil {
		t.Fatal(err)
	}
	wantLabels, err := m.Classify(raw)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 32)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 1))
			for range 40 {
				first := rng.IntN(len(raw))
				last := first + 1 + rng.IntN(min(len(raw)-first, 300))
				values, err := m.Predict(raw[first:last])
				labels, err2 := m.Classify(raw[first:last])
				if err != nil || err2 != nil {
					errs <- "error: " + joinErrors(err, err2)
					return
				}
				for i := range values {
					if !slices.Equal(values[i], wantValues[first+i]) || labels[i] != wantLabels[first+i] {
						errs <- fmt.Sprintf("rows %d to %d: row %d: %v %q, single-threaded %v %q", first, last, first+i, values[i], labels[i], wantValues[first+i], wantLabels[first+i])
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func joinErrors(errs ...error) string {
	var s []string
	for _, err := range errs {
		if err != nil {
			s = append(s, err.Error())
		}
	}
	return strings.Join(s, "; ")
}

func TestBadInputIsAnError(t *testing.T) {
	f, _ := trained(t, "softmax")
	m := serveOrFail(t, f)
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	for _, c := range []struct {
		rows [][]float32
		want string
		row  int // the *RowError's
	}{
		{[][]float32{{1, 2}, {1, 2, 3}}, "row 1 has 3 values; the model takes 2 features (x0, x1)", 1},
		{[][]float32{{}}, "row 0 has 0 values", 0},
		{[][]float32{nil}, "row 0 has 0 values", 0},
		{[][]float32{{1}}, "row 0 has 1 value; the model takes 2 features", 0},
		{[][]float32{{1, 2}, {3, nan}}, "row 1, column 1 (x1) is NaN", 1},
		{[][]float32{{inf, 2}}, "row 0, column 0 (x0) is +Inf", 0},
	} {
		_, err := m.Predict(c.rows)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Predict(%v): %v; want an error saying %q", c.rows, err, c.want)
		}
		if re := (*RowError)(nil); !errors.As(err, &re) || re.Row != c.row {
			t.Errorf("Predict(%v): %v; want a *RowError of row %d", c.rows, err, c.row)
		}
		if _, err := m.Classify(c.rows); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Classify(%v): %v; want an error saying %q", c.rows, err, c.want)
		}
	}
	if got, err := m.Predict(nil); err != nil || len(got) != 0 {
		t.Errorf("Predict(nil) = %v, %v; want no rows and no error", got, err)
	}
	reg, raw := trained(t, "mse")
	if _, err := serveOrFail(t, reg).Classify(raw[:1]); err == nil || !strings.Contains(err.Error(), "use Predict") {
		t.Errorf("Classify on a regression model: %v; want an error pointing to Predict", err)
	}
}

// TestModelsNeedNoClasses serves a model saved without class or feature
// names, as a program that trains its own network may: the labels are the
// class indices, the features x0, x1, ...
func TestModelsNeedNoClasses(t *testing.T) {
	f, raw := trained(t, "softmax")
	m := serveOrFail(t, &modelio.Model{Net: f.Net, Loss: "softmax"})
	if got := m.Classes(); !slices.Equal(got, []string{"0", "1", "2"}) {
		t.Errorf("classes %v, want 0, 1, 2", got)
	}
	if got := m.Features(); !slices.Equal(got, []string{"x0", "x1"}) {
		t.Errorf("features %v, want x0, x1", got)
	}
	if _, err := m.Classify(raw); err != nil {
		t.Error(err)
	}
	if _, err := New(&modelio.Model{Net: f.Net, Loss: "softmax", Classes: []string{"a", "b"}}); err == nil || !strings.Contains(err.Error(), "2 class labels") {
		t.Errorf("New with 2 labels for 3 outputs: %v; want an error", err)
	}
	if _, err := New(&modelio.Model{Net: f.Net, Loss: "softmax", Scaler: &data.Standardizer{Mean: []float32{0, 0}, Std: []float32{1, 0}}}); err == nil || !strings.Contains(err.Error(), "deviation 0") {
		t.Errorf("New with a zero deviation: %v; want an error", err)
	}
	if _, err := New(&modelio.Model{Loss: "softmax"}); err == nil {
		t.Error("New without a network: no error")
	}
}

// TestPredictClassifyIsBoth checks that the one-pass PredictClassify gives
// what Predict and Classify give, and refuses a model without classes.
func TestPredictClassifyIsBoth(t *testing.T) {
	f, raw := trained(t, "softmax")
	m := serveOrFail(t, f)
	values, labels, err := m.PredictClassify(raw)
	if err != nil {
		t.Fatal(err)
	}
	wantValues, _ := m.Predict(raw)
	wantLabels, _ := m.Classify(raw)
	for i := range raw {
		if !slices.Equal(values[i], wantValues[i]) || labels[i] != wantLabels[i] {
			t.Fatalf("row %d: %v %s, want %v %s", i, values[i], labels[i], wantValues[i], wantLabels[i])
		}
	}
	g, rows := trained(t, "mse")
	if _, _, err := serveOrFail(t, g).PredictClassify(rows); err == nil || !strings.Contains(err.Error(), "use Predict") {
		t.Errorf("PredictClassify of an mse model: %v", err)
	}
	// An mse model whose classes are an empty list, not nil (as a file's
	// "[]" reads), predicts values all the same: Classify is an error on
	// the caller's goroutine and on the helper's, never an index past the
	// list.
	g.Classes = []string{}
	empty := serveOrFail(t, g)
	defer engine.KeepHelperAwake()()
	many := slices.Repeat(rows, 64/len(rows)+1)
	if _, err := empty.Classify(many); err == nil || !strings.Contains(err.Error(), "use Predict") {
		t.Errorf("Classify of an mse model with an empty list of classes: %v", err)
	}
	if c := empty.Classes(); c != nil {
		t.Errorf("Classes() = %#v, want nil", c)
	}
}

// TestNewTakesACopy trains the network further after serving it: the
// Model's answers do not move.
func TestNewTakesACopy(t *testing.T) {
	f, raw := trained(t, "softmax")
	m := serveOrFail(t, f)
	before, _ := m.Predict(raw)
	for _, p := range f.Net.Params() {
		for i := range p.Value {
			p.Value[i] *= -2
		}
	}
	after, _ := m.Predict(raw)
	for i := range before {
		if !slices.Equal(before[i], after[i]) {
			t.Fatal("changing the network after New changed the Model's predictions")
		}
	}
}

func TestReadRefusesDamage(t *testing.T) {
	f, _ := trained(t, "softmax")
	var b bytes.Buffer
	if err := modelio.Write(&b, f); err != nil {
		t.Fatal(err)
	}
	whole := b.Bytes()
	if _, err := Read(bytes.NewReader(whole)); err != nil {
		t.Fatalf("Read of a whole file: %v", err)
	}
	for _, n := range []int{0, 7, 100, len(whole) - 1} {
		if _, err := Read(bytes.NewReader(whole[:n])); err == nil {
			t.Errorf("Read of the first %d of %d bytes: no error", n, len(whole))
		}
	}
	file, err := modelio.Decode(whole)
	if err != nil {
		t.Fatal(err)
	}
	file.Metadata["classes"] = `["only one"]`
	b.Reset()
	if err := modelio.Encode(&b, file); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(&b); err == nil || !strings.Contains(err.Error(), "1 class labels") {
		t.Errorf("Read of a file with one label for three classes: %v", err)
	}
}

func TestPredictAllocatesOnlyItsResult(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop buffers on purpose")
	}
	f, raw := trained(t, "softmax")
	m := serveOrFail(t, f)
	one := raw[:1]
	m.Predict(one)
	if n := testing.AllocsPerRun(100, func() { m.Predict(one) }); n > 2 {
		t.Errorf("Predict of one row allocates %v times; want 2 (the rows and their numbers)", n)
	}
	m.Predict(raw)
	if n := testing.AllocsPerRun(20, func() { m.Predict(raw) }); n > 2 {
		t.Errorf("Predict of %d rows allocates %v times; want 2", len(raw), n)
	}
	if n := testing.AllocsPerRun(20, func() { m.Classify(raw) }); n > 1 {
		t.Errorf("Classify allocates %v times; want 1 (the labels)", n)
	}
}

// TestMistakesANewcomerMade are the mistakes of a first trial from go doc:
// each is an error, not a panic or a silent number.
func TestMistakesANewcomerMade(t *testing.T) {
	f, raw := trained(t, "softmax")
	m := serveOrFail(t, f)
	var empty *Model
	if _, err := empty.Predict(raw); err == nil || !strings.Contains(err.Error(), "model.Load") {
		t.Errorf("Predict on a nil Model: %v", err)
	}
	if _, err := (&Model{}).Classify(raw); err == nil {
		t.Error("Classify on a zero Model: no error")
	}
	for _, e := range []*Model{empty, {}} { // an empty Model describes nothing, and does not panic
		if e.Features() != nil || e.Classes() != nil || e.Columns() != nil || e.Loss() != "" || e.Target() != "" || e.Network() != "" {
			t.Errorf("an empty Model describes %v %v %v %q %q %q", e.Features(), e.Classes(), e.Columns(), e.Loss(), e.Target(), e.Network())
		}
	}
	three := nn.NewMLP(2, []int{4}, 3, act.MustNew("relu"), rand.New(rand.NewPCG(1, 1)))
	ones := nn.NewMLP(2, []int{4}, 3, act.MustNew("relu"), rand.New(rand.NewPCG(1, 1)))
	for _, p := range ones.Params() {
		for i := range p.Value {
			p.Value[i] = 1
		}
	}
	plain := serveOrFail(t, &modelio.Model{Net: ones, Loss: "softmax"}) // weights 1, no standardisation: 3e38 + 3e38 overflows
	if _, err := plain.Predict([][]float32{{3e38, 3e38}}); err == nil || !strings.Contains(err.Error(), "too large") {
		t.Errorf("Predict of a huge finite row: %v; want an error, not NaN", err)
	}
	if _, err := plain.Classify([][]float32{{1, 2}, {3e38, 3e38}}); err == nil || !strings.Contains(err.Error(), "row 1") {
		t.Errorf("Classify of a huge finite row: %v; want an error naming row 1", err)
	}
	for _, name := range []string{"logistic", "binary-hinge"} {
		if _, err := New(&modelio.Model{Net: three, Loss: name}); err == nil || !strings.Contains(err.Error(), "one output") {
			t.Errorf("New of a %s model with 3 outputs: %v; want an error", name, err)
		}
	}
	ds := &data.Dataset{X: tensor.FromRows(raw[:3]), Labels: []int{0, 1, 2}, Features: []string{"x1", "x0"}}
	if _, err := m.Evaluate(ds); err == nil || !strings.Contains(err.Error(), "columns") {
		t.Errorf("Evaluate on columns in another order: %v; want an error", err)
	}
	ds.Features, ds.ClassNames = nil, []string{"2", "1", "0"}
	if _, err := m.Evaluate(ds); err == nil || !strings.Contains(err.Error(), "classes") {
		t.Errorf("Evaluate on classes in another order: %v; want an error", err)
	}
	ds.ClassNames = nil
	if ev, err := m.Evaluate(ds); err != nil || ev.Rows != 3 {
		t.Errorf("Evaluate on plain rows: %+v, %v", ev, err)
	}
}

// TestRowsReadInPlace predicts rows that lie one after another in one
// array (read where they are, not copied: a model without a Scaler), the
// same rows copied apart, and a mix: the same bits, the caller's array
// untouched, and no view of it kept in the pool after the call.
func TestRowsReadInPlace(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	net := nn.NewMLP(20, []int{33}, 4, act.MustNew("relu"), rng)
	m, err := New(&modelio.Model{Net: net, Loss: "softmax"})
	if err != nil {
		t.Fatal(err)
	}
	const rows = chunkRows + 45 // two chunks
	x := tensor.New(rows, 20)
	for i := range x.Data {
		x.Data[i] = float32(rng.NormFloat64())
	}
	before := slices.Clone(x.Data)
	inPlace := make([][]float32, rows)
	apart := make([][]float32, rows)
	for i := range inPlace {
		inPlace[i] = x.Row(i)
		apart[i] = slices.Clone(x.Row(i))
	}
	mixed := slices.Clone(inPlace)
	mixed[100] = apart[100] // breaks the run of rows: this call copies
	var view tensor.Matrix
	if !m.inPlace(inPlace[:chunkRows], &view) || m.inPlace(mixed[:chunkRows], &view) || m.inPlace(apart[:2], &view) {
		t.Fatal("inPlace does not tell rows of one array from rows apart")
	}
	want, err := m.Predict(apart)
	if err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string][][]float32{"in place": inPlace, "mixed": mixed} {
		got, err := m.Predict(in)
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if !slices.Equal(got[i], want[i]) {
				t.Fatalf("%s, row %d: %v; the rows copied apart give %v", name, i, got[i], want[i])
			}
		}
	}
	if !slices.Equal(x.Data, before) {
		t.Error("Predict wrote to the caller's rows")
	}
	w := m.workers.Get().(*worker)
	if w.view.Data != nil {
		t.Error("the pool's worker still holds a view of the caller's rows")
	}
}

// TestEvaluateRefusesBrokenData: a dataset whose matrices do not hold
// their shapes, or whose target values are not finite, is an error, not
// a panic or a NaN loss.
func TestEvaluateRefusesBrokenData(t *testing.T) {
	f, _ := trained(t, "softmax")
	m := serveOrFail(t, f)
	reg, _ := trained(t, "mse")
	r := serveOrFail(t, reg)
	x, xr := tensor.New(2, 2), tensor.New(2, reg.Net.In)
	outs := reg.Net.OutSize()
	nanValues := tensor.New(2, outs)
	nanValues.Data[outs] = float32(math.NaN())
	for _, c := range []struct {
		name  string
		model *Model
		ds    *data.Dataset
		want  string
	}{
		{"short X", m, &data.Dataset{X: &tensor.Matrix{Rows: 2, Cols: 2, Data: make([]float32, 3)}, Labels: []int{0, 1}, Classes: 3}, "a 2×2 matrix holds 3 numbers"},
		{"long X", m, &data.Dataset{X: &tensor.Matrix{Rows: 2, Cols: 2, Data: make([]float32, 5)}, Labels: []int{0, 1}, Classes: 3}, "a 2×2 matrix holds 5 numbers"},
		{"negative rows", m, &data.Dataset{X: &tensor.Matrix{Rows: -1, Cols: 2}, Labels: []int{0}, Classes: 3}, "no rows"},
		{"short values", r, &data.Dataset{X: xr, Values: &tensor.Matrix{Rows: 2, Cols: outs, Data: make([]float32, 1)}}, fmt.Sprintf("the target values (Values): a 2×%d matrix holds 1 numbers", outs)},
		{"NaN value", r, &data.Dataset{X: xr, Values: nanValues}, "row 1 has the target value NaN"},
		{"values too wide", r, &data.Dataset{X: xr, Values: tensor.New(2, outs+1)}, fmt.Sprintf("; the data has %d values per row", outs+1)},
		{"no values", r, &data.Dataset{X: xr}, "the data has no such target values"},
	} {
		if _, err := c.model.Evaluate(c.ds); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want an error saying %q", c.name, err, c.want)
		}
	}
	// Labels are checked against the model's classes, not the data's
	// Classes field, which a caller may leave unset.
	if _, err := m.Evaluate(&data.Dataset{X: x, Labels: []int{0, 2}}); err != nil {
		t.Errorf("labels within the model's 3 classes, Classes unset: %v", err)
	}
}

// TestReadOfNoReader: a nil io.Reader is an error that says so.
func TestReadOfNoReader(t *testing.T) {
	if _, err := Read(nil); err == nil || !strings.Contains(err.Error(), "no reader (a nil io.Reader)") {
		t.Errorf("Read(nil): %v; want an error saying there is no reader", err)
	}
}

// TestEvaluateRegressionMeasures: a regression's RMSE, MAE and R² are
// those of its predictions against the targets, in float64 (a classifier
// has none, and a classifier's accuracy none of them); R² is null where
// the targets do not vary.
func TestEvaluateRegressionMeasures(t *testing.T) {
	reg, raw := trained(t, "mse")
	m := serveOrFail(t, reg)
	targets := make([]float32, len(raw))
	for i, row := range raw {
		targets[i] = float32(math.Sin(float64(row[0])/1000)) + float32(i%3)/10 // any targets, not the model's
	}
	ds := &data.Dataset{X: tensor.FromRows(raw), Values: &tensor.Matrix{Rows: len(raw), Cols: 1, Data: targets}, Features: m.Features()}
	ev, err := m.Evaluate(ds)
	if err != nil {
		t.Fatal(err)
	}
	pred, err := m.Predict(raw)
	if err != nil {
		t.Fatal(err)
	}
	var sq, abs, mean, spread float64
	for _, y := range targets {
		mean += float64(y) / float64(len(targets))
	}
	for i, y := range targets {
		d := float64(pred[i][0]) - float64(y)
		sq, abs, spread = sq+d*d, abs+math.Abs(d), spread+(float64(y)-mean)*(float64(y)-mean)
	}
	n := float64(len(targets))
	want := []float64{math.Sqrt(sq / n), abs / n, 1 - sq/spread}
	if ev.RMSE == nil || ev.MAE == nil || ev.R2 == nil || ev.Accuracy != nil {
		t.Fatalf("regression evaluation %+v; want RMSE, MAE and R², no accuracy", ev)
	}
	for k, got := range []float64{*ev.RMSE, *ev.MAE, *ev.R2} {
		if math.Abs(got-want[k]) > 1e-6*math.Max(1, math.Abs(want[k])) {
			t.Errorf("measure %d (RMSE, MAE, R²) = %v; want %v", k, got, want[k])
		}
	}
	for i := range targets {
		targets[i] = 0.5
	}
	if ev, err := m.Evaluate(ds); err != nil || ev.R2 != nil || ev.RMSE == nil {
		t.Errorf("constant targets: %+v, %v; want R² null, RMSE given", ev, err)
	}
	cls, rows := trained(t, "softmax")
	labels := make([]int, len(rows))
	if ev, err := serveOrFail(t, cls).Evaluate(&data.Dataset{X: tensor.FromRows(rows), Labels: labels, Classes: 3}); err != nil || ev.RMSE != nil || ev.MAE != nil || ev.R2 != nil {
		t.Errorf("a classifier's evaluation %+v, %v; want no regression measures", ev, err)
	}
}

// TestEvaluateManyClassesCountsNoMatrix: a model of more classes than
// MaxConfusionClasses is evaluated, its accuracy and loss as with fewer,
// without the matrix (a crafted file's million classes had asked for
// terabytes of counts); at MaxConfusionClasses the matrix is counted.
func TestEvaluateManyClassesCountsNoMatrix(t *testing.T) {
	for _, classes := range []int{MaxConfusionClasses, MaxConfusionClasses + 1} {
		net := nn.NewMLP(2, nil, classes, act.MustNew("relu"), rand.New(rand.NewPCG(1, 1)))
		m := serveOrFail(t, &modelio.Model{Net: net, Loss: "softmax"})
		x := tensor.FromRows([][]float32{{1, 2}, {-1, 0.5}, {0, 3}})
		names, err := m.Classify([][]float32{x.Row(0), x.Row(1), x.Row(2)})
		if err != nil {
			t.Fatal(err)
		}
		guesses := make([]int, len(names))
		for i, name := range names { // a model without class names calls them by their indices
			if guesses[i], err = strconv.Atoi(name); err != nil {
				t.Fatal(err)
			}
		}
		labels := []int{guesses[0], (guesses[1] + 1) % classes, guesses[2]}
		ev, err := m.Evaluate(&data.Dataset{X: x, Labels: labels, Classes: classes})
		if err != nil {
			t.Fatal(err)
		}
		wantMatrix := classes <= MaxConfusionClasses
		if ev.Accuracy == nil || math.Abs(*ev.Accuracy-2.0/3) > 1e-12 || (ev.Confusion != nil) != wantMatrix || len(ev.Classes) != classes {
			t.Errorf("%d classes: accuracy %v, a matrix %v, %d class names; want 2/3, a matrix %v, %d names", classes, ev.Accuracy, ev.Confusion != nil, len(ev.Classes), wantMatrix, classes)
		}
		if wantMatrix && (ev.Confusion[labels[1]][guesses[1]] != 1 || ev.Confusion[labels[0]][labels[0]] < 1) {
			t.Errorf("%d classes: the matrix does not count the rows", classes)
		}
	}
}

// TestStandardizerIsACopy: Standardizer gives the model's means and
// standard deviations, a copy a caller may change without changing the
// model's answers; nil for a model that standardises nothing.
func TestStandardizerIsACopy(t *testing.T) {
	f, raw := trained(t, "softmax")
	m := serveOrFail(t, f)
	s := m.Standardizer()
	if s == nil || !slices.Equal(s.Mean, f.Scaler.Mean) || !slices.Equal(s.Std, f.Scaler.Std) {
		t.Fatalf("Standardizer = %+v; want the model's %+v", s, f.Scaler)
	}
	before, err := m.Predict(raw[:3])
	if err != nil {
		t.Fatal(err)
	}
	s.Mean[0] += 100
	after, _ := m.Predict(raw[:3])
	if !slices.EqualFunc(before, after, func(a, b []float32) bool { return slices.Equal(a, b) }) {
		t.Error("changing Standardizer's copy changed the model's answers")
	}
	f.Scaler = nil
	if got := serveOrFail(t, f).Standardizer(); got != nil {
		t.Errorf("Standardizer of a model without one = %+v; want nil", got)
	}
	if (*Model)(nil).Standardizer() != nil {
		t.Error("Standardizer of a nil Model is not nil")
	}
}
