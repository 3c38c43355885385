package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/spf13/cobra"
	"golang.org/x/text/width"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/engine"
	"github.com/wigglenn/wiggle/internal/jsonfmt"
	"github.com/wigglenn/wiggle/internal/quote"
	"github.com/wigglenn/wiggle/model"
)

func newEvalCmd(e env) *cobra.Command {
	var modelPath, dataPath, target string
	var asJSON, decimalComma bool
	cmd := &cobra.Command{
		Use:   "eval --model MODEL --data FILE.csv",
		Short: "Measure a saved model on labelled data: loss, accuracy, confusion matrix",
		Long: `Measure a model on a CSV table that has the model's feature columns and a
target column (by default the one the model was trained on); the columns are
found by name, and other columns are ignored. Prints the loss, the accuracy
and the confusion matrix (rows: true class, columns: predicted); for a
regression (mse), the loss, the root mean squared error and the mean
absolute error (in the target's units) and R², the share of the target's
variance the predictions explain.`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			m, ds, err := loadModelAndData(e, modelPath, dataPath, target, nil, decimalComma)
			if err != nil {
				return err
			}
			ev, err := m.EvaluateContext(e.ctx, ds) // Ctrl-C: its error, nothing printed, exit 130
			if err != nil {
				return inDataRow(dataPath, err)
			}
			if err := e.ctx.Err(); err != nil { // Ctrl-C after its last chunk: the same
				return err
			}
			if asJSON {
				return sysErr(jsonfmt.Write(e.stdout, ev))
			}
			return sysErr(writeEvaluation(e.stdout, ev, rowsOf(dataPath)))
		},
	}
	f := cmd.Flags()
	f.StringVar(&modelPath, "model", "", "the model file (wiggle train --out)")
	f.StringVar(&dataPath, "data", "", "the data to evaluate on: a CSV file (- for standard input), mnist (its 10,000 test images), or a generated set ("+strings.Join(data.SyntheticNames(), ", ")+", from seed 1)")
	f.StringVar(&target, "target", "", "the target column of a CSV file; by default the model's (an imported model names none: give it)")
	f.BoolVar(&asJSON, "json", false, "print the evaluation as JSON")
	decimalCommaFlag(f, &decimalComma)
	return cmd
}

// inDataRow names the row of a model's *model.RowError as a user counts
// the rows of --data: from 1, after a CSV file's header (a model counts
// from 0).
func inDataRow(dataPath string, err error) error {
	var re *model.RowError
	if !errors.As(err, &re) {
		return err
	}
	from := "counting from 1 after the header"
	if isBuiltin(dataPath) {
		from = "counting from 1"
	}
	return fmt.Errorf("--data %s, data row %d (%s)%s", dataPath, re.Row+1, from, re.Problem)
}

func loadModelAndData(e env, modelPath, dataPath, target string, keep []string, decimalComma bool) (*model.Model, *data.Dataset, error) {
	if modelPath == "" || dataPath == "" {
		return nil, nil, usageError{fmt.Errorf("--model and --data are both needed")}
	}
	if err := checkFileRoom("--model", modelPath, 2.5, "the file, whose bytes the network holds as its weights, and those weights packed for the products: about two and a half times the file, as measured"); err != nil {
		return nil, nil, err
	}
	m, err := readInput(e.ctx, modelPath, model.Load, model.Read)
	if err != nil {
		return nil, nil, modelFileError("--model", modelPath, err)
	}
	if target != "-" && slices.Contains(m.Features(), target) {
		return nil, nil, usageError{fmt.Errorf("--target %q is one of the model's feature columns; give the column it predicts", target)}
	}
	if target == "" && m.Target() == "" && !isBuiltin(dataPath) {
		return nil, nil, usageError{errors.New("--target is needed: the model does not name the column it predicts (an imported model's file does not say); give the data's column of labels or values")}
	}
	if err := keepable(keep, m, dataPath); err != nil {
		return nil, nil, err
	}
	ds, err := readModelData(e, m, dataPath, target, keep, decimalComma)
	if errors.Is(err, data.ErrKeep) {
		return nil, nil, usageError{fmt.Errorf("--keep: %w", err)}
	}
	if errors.Is(err, data.ErrNoTarget) && target == "" { // the model's target, not one the user typed
		return nil, nil, usageError{fmt.Errorf("--data: %w: it is the column the model was trained to predict; give --target, the data's column of labels or values", err)}
	}
	if err != nil {
		return nil, nil, underData(err)
	}
	warnOtherScale(e.stderr, m, ds)
	return m, ds, nil
}

// otherScale is the root mean square of a column's values, standardised
// as the model does, past which predict and eval warn that the column may
// be in other units: the training rows' is 1.
const otherScale = 10

// warnOtherScale warns, for a model that standardises its inputs, of each
// column of ds that lies far from its training rows: standardised as the
// model does, its values' root mean square otherScale or more (grams for
// kilograms, a column of other data). The model's answers for such rows
// are extrapolation.
func warnOtherScale(log io.Writer, m *model.Model, ds *data.Dataset) {
	s, names := m.Standardizer(), m.Features()
	if s == nil || ds == nil || ds.X == nil || ds.Len() == 0 {
		return
	}
	for j := range min(len(s.Mean), len(s.Std), len(names), ds.X.Cols) {
		var sq float64
		for i := range ds.Len() {
			z := (float64(ds.X.At(i, j)) - float64(s.Mean[j])) / float64(s.Std[j])
			sq += z * z
		}
		if rms := math.Sqrt(sq / float64(ds.Len())); rms >= otherScale {
			fmt.Fprintf(log, "warning: --data's column %s lies far from the model's training rows: standardised as the model does, its values' root mean square is %.3g, where the training rows' is 1 (their mean %.4g, std %.3g): in other units, or other data? The model's answers for such rows are guesses\n",
				quote.Short(names[j]), rms, s.Mean[j], s.Std[j])
		}
	}
}

// keepable refuses --keep of a built-in set: it has no columns to keep.
func keepable(keep []string, m *model.Model, dataPath string) error {
	if len(keep) == 0 {
		return nil
	}
	if isBuiltin(dataPath) {
		return usageError{fmt.Errorf("--keep: the built-in set %s has no columns to keep; --keep is for a CSV file's columns", dataPath)}
	}
	return nil
}

// readModelData reads what a --data argument names (see loadData) the way
// the model was trained: its feature columns, its classes. For MNIST it is
// the test split. target names a CSV file's target column ("" for the
// model's own; "-" to read features only, for prediction). The features
// stay raw: the model standardises them itself.
func readModelData(e env, m *model.Model, name, target string, keep []string, decimalComma bool) (*data.Dataset, error) {
	opt := data.CSVOptions{Target: target, Regression: m.Loss() == "mse", Features: m.Features(), Classes: m.Classes(), Keep: keep, DecimalComma: decimalComma}
	switch target {
	case "":
		opt.Target = m.Target()
	case "-":
		opt.Target = ""
	}
	loaded, err := loadData(e.ctx, name, loadOptions{CSV: opt, Seed: 1, Log: e.stderr, TestOnly: true, TargetGiven: target != "" && target != "-", Stdin: e.stdin})
	if err != nil {
		return nil, lookAlikeClass(err, m.Classes())
	}
	ds := loaded.Train
	if loaded.Test != nil {
		ds = loaded.Test
	}
	// A built-in set's labels are class indices, named 0, 1, ...: they are
	// the model's where its classes begin with those names (xor's 0 and 1
	// for a model of 0, 1 and 2), for eval; predict reads no labels, and
	// takes any set of the model's columns.
	classesFit := target == "-" || len(ds.ClassNames) <= len(m.Classes()) && slices.Equal(ds.ClassNames, m.Classes()[:len(ds.ClassNames)])
	if isBuiltin(name) && (!sameColumns(ds.Features, m.Features()) || !classesFit) {
		return nil, fmt.Errorf("%s has %s; the model takes %s", name, columnsAndTarget(ds.Features, ds.ClassNames), columnsAndTarget(m.Features(), m.Classes()))
	}
	if isBuiltin(name) {
		ds.Features = m.Features() // the same, or the model's names for them by place
		if ds.Labels != nil {
			ds.ClassNames, ds.Classes = m.Classes(), len(m.Classes()) // its indices are the model's
		}
	}
	return ds, nil
}

// sameColumns tells whether a built-in data set's columns are the
// model's: the same names, or as many where the model names them only by
// place (x0, x1, ..., as an imported model's are).
func sameColumns(data, model []string) bool {
	if slices.Equal(data, model) {
		return true
	}
	for i, name := range model {
		if name != "x"+strconv.Itoa(i) {
			return false
		}
	}
	return len(data) == len(model)
}

// rowsOf says which rows a built-in --data names, beside their count:
// mnist's test images, not the training images a model learnt from.
func rowsOf(name string) string {
	if name == "mnist" {
		return " (MNIST's test images; the training ones are not among them)"
	}
	return ""
}

func writeEvaluation(w io.Writer, ev model.Evaluation, rowsNote string) error {
	fmt.Fprintf(w, "rows      %d%s\nloss      %s\n", ev.Rows, rowsNote, lossText(ev.Loss))
	if ev.RMSE != nil { // a regression: its errors in the targets' units, and the share of their variance explained
		fmt.Fprintf(w, "rmse      %.4g\nmae       %.4g\n", *ev.RMSE, *ev.MAE)
		if ev.R2 != nil {
			fmt.Fprintf(w, "r2        %.4f\n", *ev.R2)
		} else {
			fmt.Fprintln(w, "r2        - (the targets do not vary)")
		}
	}
	if ev.Accuracy == nil {
		return nil
	}
	fmt.Fprintf(w, "accuracy  %.2f%%\n", 100**ev.Accuracy)
	if ev.Confusion == nil {
		_, err := fmt.Fprintf(w, "\nconfusion: %d classes, more than a matrix is counted for (%d)\n", len(ev.Classes), model.MaxConfusionClasses)
		return err
	}
	if len(ev.Classes) > maxClassesShown {
		_, err := fmt.Fprintf(w, "\nconfusion: %d classes, too many to print a matrix of; --json gives it\n", len(ev.Classes))
		return err
	}
	fmt.Fprint(w, "\nconfusion (rows: true class, columns: predicted)\n")
	rows := [][]string{append([]string{""}, mapSlice(ev.Classes, quote.Cut)...)}
	for i, counts := range ev.Confusion {
		rows = append(rows, append([]string{quote.Cut(ev.Classes[i])}, mapSlice(counts, strconv.Itoa)...))
	}
	return writeRightAligned(w, rows)
}

// writeRightAligned writes rows of cells in columns, each cell right-aligned
// and two spaces before it, by the width it takes on a terminal: Korean,
// Chinese and Japanese characters take two columns (tabwriter counts them
// as one, and a Korean class's column ran out of line).
func writeRightAligned(w io.Writer, rows [][]string) error {
	var widths []int
	for _, row := range rows {
		for j, cell := range row {
			if j == len(widths) {
				widths = append(widths, 0)
			}
			widths[j] = max(widths[j], shownWidth(cell))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		for j, cell := range row {
			b.WriteString(strings.Repeat(" ", widths[j]-shownWidth(cell)+2))
			b.WriteString(cell)
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// shownWidth is how many columns of a terminal s takes: two for a wide
// (East Asian) character, none for a mark that joins the one before it
// (combining accents, a decomposed Hangul syllable's vowel and final
// consonant, as macOS writes file names, joiners), one for the others.
func shownWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) || r >= 0x1160 && r <= 0x11ff:
		case width.LookupRune(r).Kind() == width.EastAsianWide || width.LookupRune(r).Kind() == width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// mapSlice is f of each of v.
func mapSlice[T any](v []T, f func(T) string) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = f(x)
	}
	return out
}

// columnsAndTarget describes a set's or a model's columns and what they
// predict: classes by name, else values.
func columnsAndTarget(features, classes []string) string {
	if len(classes) == 0 {
		return fmt.Sprintf("the columns %s, with values as the target", quote.List(features))
	}
	return fmt.Sprintf("the columns %s and the classes %s", quote.List(features), quote.List(classes))
}

func newPredictCmd(e env) *cobra.Command {
	var modelPath, dataPath, out string
	var keep []string
	var decimalComma, excel bool
	cmd := &cobra.Command{
		Use:   "predict --model MODEL --data FILE.csv",
		Short: "Predict with a saved model: a CSV of the predicted class and probabilities",
		Long: `Run a model on a CSV table that has the model's feature columns, found by
name (a target column, or any other, may be there; it is ignored), and write
a CSV with one row per input row: the predicted class label and each class's
probability (softmax, logistic), each class's score (hinge), the one score
of a binary classifier (binary-hinge), or the predicted value (mse). To
standard output, or to --out whole. --keep copies columns of the data (an
id) into each row, first, so that a prediction finds its input again.

The CSV is UTF-8, its cells apart by commas, its lines ended by LF, as
other programs read a table. With --decimal-comma it is written as it was
read: semicolons between cells and 0,5 for 0.5. --excel writes it as
Microsoft Excel opens it: a byte-order mark, so that names in any script
read right, lines ended by CRLF, semicolons between cells where the table
read had them (an Excel that saves semicolons opens them), and a ' before
a label or kept cell that Excel would run as a formula (=, +, -, @ first;
Excel shows the '). An Excel set to a decimal comma wants --decimal-comma
too, or it puts each row in one cell. Excel reads a kept id of digits as
a number (00123 as 123).`,
		Example: `  wiggle predict --model moons.safetensors --data moons.csv --out predictions.csv
  wiggle predict --model m.safetensors --data tabelle.csv --decimal-comma --excel --out vorhersage.csv`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			if err := checkCSVOut(e, "--out", &out, "the predictions", "predictions.csv", [2]string{"--model", modelPath}, [2]string{"--data", dataPath}); err != nil {
				return err
			}
			kept, err := columnList("--keep", keep)
			if err != nil {
				return err
			}
			m, ds, err := loadModelAndData(e, modelPath, dataPath, "-", kept, decimalComma)
			if err != nil {
				return err
			}
			p, err := predict(e.ctx, m, ds) // Ctrl-C: its error, nothing written, exit 130
			p.kept = ds.Kept
			if err != nil {
				return inDataRow(dataPath, err)
			}
			if err := e.ctx.Err(); err != nil { // Ctrl-C after its last chunk: the same
				return err
			}
			form := csvForm{decimalComma: decimalComma, excel: excel, readSeparator: ds.Separator}
			var rows int
			write := func(w io.Writer) (err error) {
				rows, err = writePrediction(e.ctx, w, p, form)
				return err
			}
			stopped := func(err error, where string) error { return cutShort(err, rows, p.rows(), where) }
			return writeCSVOut(e, "--out", out, write, stopped, func() string { return plural(rows, "row") })
		},
	}
	f := cmd.Flags()
	f.StringVar(&modelPath, "model", "", "the model file (wiggle train --out)")
	f.StringVar(&dataPath, "data", "", "the data to predict for: a CSV file (- for standard input), mnist (its 10,000 test images), or a generated set ("+strings.Join(data.SyntheticNames(), ", ")+", from seed 1)")
	f.StringVar(&out, "out", "", `write the CSV to this file instead of standard output ("-": standard output)`)
	f.StringArrayVar(&keep, "keep", nil, "columns of the data to copy into each prediction's row, first (an id), comma-separated names (one holding a comma in double quotes) or 0-based indexes (repeatable)")
	f.BoolVar(&decimalComma, "decimal-comma", false, "read a CSV cell's one comma as its decimal point (0,5 is 0.5), as spreadsheets set to a decimal comma save tables (separated by semicolons), and write the predictions so")
	f.BoolVar(&excel, "excel", false, "write the CSV as Microsoft Excel opens it: a UTF-8 byte-order mark, CRLF line ends, the table's semicolons, text that Excel would run as a formula marked with ' (with --decimal-comma for an Excel set to a decimal comma)")
	return cmd
}

// stoppedOrSys passes a cancelled context's error on as it is (exit 130),
// and marks any other as the machine's (exit 1).
func stoppedOrSys(err error) error {
	if errors.Is(err, context.Canceled) {
		return err
	}
	return sysErr(err)
}

// prediction is what `wiggle predict` writes: a class for each row (none
// for mse) and the model's numbers for each row, held flat, so that a
// million rows of a narrow table take little beside their data (a slice
// and a string a row had taken 110 bytes a row, 15 times a two-column
// table's numbers).
type prediction struct {
	columns []string
	classes []string // the model's labels; nil for mse
	class   []int32  // each row's, an index into classes
	values  []float32
	kept    *data.Kept // --keep's columns, written first; nil without
}

// rows is how many rows p holds.
func (p prediction) rows() int { return len(p.values) / max(len(p.columns), 1) }

// row is row i's numbers.
func (p prediction) row(i int) []float32 {
	w := len(p.columns)
	return p.values[i*w : (i+1)*w]
}

// predictChunk is how many rows predict runs through the model at once: the
// model's own outputs and labels for them are garbage after each.
const predictChunk = 1 << 16

// predict runs every row of ds through m, a chunk at a time. A row error's
// row counts from ds's first.
func predict(ctx context.Context, m *model.Model, ds *data.Dataset) (prediction, error) {
	p := prediction{columns: m.Columns(), classes: m.Classes()}
	n, w := ds.Len(), len(p.columns)
	p.values = make([]float32, 0, n*w)
	if p.classes != nil {
		p.class = make([]int32, 0, n)
	}
	index := make(map[string]int32, len(p.classes))
	for k, c := range p.classes {
		index[c] = int32(k)
	}
	rows := make([][]float32, 0, min(n, predictChunk))
	defer engine.KeepHelperAwake()() // the rows go in two halves, one on the engine's second thread
	for start := 0; start < n; start += predictChunk {
		rows = rows[:0]
		for i := start; i < min(start+predictChunk, n); i++ {
			rows = append(rows, ds.X.Row(i))
		}
		var values [][]float32
		var labels []string
		var err error
		if p.classes == nil {
			values, err = m.PredictContext(ctx, rows)
		} else {
			values, labels, err = m.PredictClassifyContext(ctx, rows)
		}
		if rowErr := (*model.RowError)(nil); errors.As(err, &rowErr) {
			rowErr.Row += start
		}
		if err != nil {
			return p, err
		}
		for i, v := range values {
			p.values = append(p.values, v...)
			if labels != nil {
				p.class = append(p.class, index[labels[i]])
			}
		}
	}
	return p, nil
}

// cutShort is err, or, where Ctrl-C stopped a prediction after rows of its
// total rows went out to where (standard output, or --out where that is a
// pipe or a device, written in place), an interruption that says so.
func cutShort(err error, rows, total int, where string) error {
	if errors.Is(err, context.Canceled) && rows > 0 { // not err itself: atomicfile's says "not written"
		return &partlyWrittenError{err: context.Canceled, wrote: fmt.Sprintf("%s holds the header and the first %d of the %d rows", where, rows, total)}
	}
	return stoppedOrSys(err)
}
