package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/internal/quote"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/train"
)

// --init: a model file to start from, its standardisation and columns, and
// what a resume must find of them.

// readInit reads the model file --init names, nil without one, and
// checks that this wiggle reads its tensors; a checkpoint gives its
// model's weights alone (not its optimizer's state or best weights). It
// is read before the data, whose labels it names.
func (j trainJob) readInit(ctx context.Context) (*modelio.File, error) {
	if j.Init == "" {
		return nil, nil
	}
	if err := checkFileRoom("--init", j.Init, 1, "the file"); err != nil {
		return nil, err
	}
	f, err := readInput(ctx, j.Init, modelio.ReadFile, decodeAll)
	if err != nil {
		return nil, modelFileError("--init", j.Init, err)
	}
	if err := modelio.CheckFormat(f); err != nil { // its tensors may not mean what this wiggle's do
		return nil, fmt.Errorf("--init %s: %w", j.Init, err)
	}
	if _, checkpoint := f.Metadata[train.CheckpointKey]; checkpoint {
		f = modelio.ModelTensors(f)
	}
	return f, nil
}

// initModelOf is the model of the --init file f, built once for what the
// run checks against it (its kind, classes, columns, standardisation):
// nil for bare tensors (a state_dict), which record none of them.
func (j trainJob) initModelOf(f *modelio.File) (*modelio.Model, error) {
	if !isModelFile(f) {
		return nil, nil
	}
	m, err := modelio.FromFileShared(f)
	if err != nil {
		return nil, fmt.Errorf("--init %s: %w", j.Init, err)
	}
	return m, nil
}

// initClassNames are the classes of the --init model m, which a table's
// labels are read as (by name: its outputs are those classes, in its
// order, whatever the table's labels sort to, and a table of a few rows
// or of one class fine-tunes them too); nil for bare tensors, a
// regression, or a file that names none.
func initClassNames(m *modelio.Model) []string {
	if m == nil || len(m.Classes) == 0 {
		return nil
	}
	return m.Classes
}

// numbered reports whether classes are 0, 1, 2, ...: the names a model
// without its own (an import without --classes) takes.
func numbered(classes []string) bool {
	for k, c := range classes {
		if c != strconv.Itoa(k) {
			return false
		}
	}
	return len(classes) > 0
}

// isInteger reports whether a label is a whole number, as a numbered
// class's would be.
func isInteger(label string) bool {
	_, err := strconv.Atoi(label)
	return err == nil
}

// initKind refuses an --init model of the other kind than the run's loss:
// a regression's outputs are values, a classifier's classes.
func (j trainJob) initKind(m *modelio.Model, lossName string) error {
	if m == nil || (m.Loss == "mse") == (lossName == "mse") {
		return nil
	}
	if m.Loss == "mse" {
		return usageError{fmt.Errorf("--init %s is a regression model (loss mse): its outputs are values; give --loss mse", j.Init)}
	}
	return usageError{fmt.Errorf("--init %s is a classifier (loss %s): its outputs are classes, not --loss %s's values; give --loss %s", j.Init, m.Loss, lossName, m.Loss)}
}

// initClasses takes a built-in set's labels as the --init model m's
// classes, by name, as initClassNames has a table's read (a table's are
// so already). A label that is none of its classes is refused. Bare
// tensors and regressions name no classes: ds as it is.
func (j trainJob) initClasses(m *modelio.Model, ds *data.Dataset) (*data.Dataset, error) {
	if m == nil || ds.Regression() {
		return ds, nil
	}
	if m.Classes == nil || slices.Equal(m.Classes, ds.ClassNames) || m.Net.In != ds.X.Cols { // another width: refused as such, later
		return ds, nil
	}
	in, err := ds.InClasses(m.Classes)
	var ce *data.ClassError
	if errors.As(err, &ce) {
		return nil, fmt.Errorf("--init %s: its outputs are the classes %s, and %s's column %q holds the label %s, none of them; a model's outputs are its classes (an imported model names them with import --classes)",
			j.Init, quote.ShortList(m.Classes), dataName(j.Data), ds.Target, quote.Short(ce.Label))
	}
	if err != nil {
		return nil, err
	}
	if j.Log != nil {
		fmt.Fprintf(j.Log, "note: the data's labels are taken as --init %s's classes, by name: %s\n", j.Init, quote.ShortList(m.Classes))
	}
	return in, nil
}

// noteClassesWithoutRows says which of the --init model's classes the
// data holds no row of: their outputs are trained all the same, toward
// never being the answer.
func noteClassesWithoutRows(log io.Writer, init string, ds *data.Dataset) {
	var none []string
	for k, n := range ds.ClassCounts() {
		if n == 0 {
			none = append(none, ds.ClassName(k))
		}
	}
	if len(none) > 0 {
		fmt.Fprintf(log, "note: the data's labels are read as --init %s's classes, by name, and it has no row of %s: their outputs learn never to be the answer\n", init, quote.ShortList(none))
	}
}

// initScaler is the standardisation of the --init model m, if it has
// one: its weights take rows standardised so (an imported PyTorch
// network's (x − mean)/std, a model trained with --standardize), and the
// run takes them so too, whether or not --standardize is given, and
// saves it with the model. It refuses what would feed the weights other
// inputs than they were trained on: --standardize for a wiggle model
// that takes raw features, and the data's columns in another order than
// the model's (a wiggle model names them: they are read by position).
// Other names than the model's draw a warning. ds is the training data.
func (j trainJob) initScaler(m *modelio.Model, ds *data.Dataset) (*data.Standardizer, error) {
	if m == nil {
		return nil, nil // a file of bare tensors (a state_dict) has none, nor names
	}
	if err := j.sameColumns(m, ds); err != nil {
		return nil, err
	}
	if m.Scaler == nil {
		if j.Standardize && j.Log != nil {
			fmt.Fprintf(j.Log, "warning: --init %s records no standardisation: its weights took the rows as given, and --standardize gives them standardised ones (right only if they were standardised outside the model, as a PyTorch DataLoader may)\n", j.Init)
		}
		return nil, nil
	}
	if len(m.Scaler.Mean) != ds.X.Cols {
		return nil, fmt.Errorf("--init %s standardises %d features; the data has %d", j.Init, len(m.Scaler.Mean), ds.X.Cols)
	}
	if j.Log != nil {
		fmt.Fprintf(j.Log, "note: --init %s standardises its features; this run does too, with its means and deviations\n", j.Init)
	}
	return m.Scaler, nil
}

// sameColumns refuses data whose columns are the --init model m's of
// another count, or in another order, and warns of columns of other
// names.
func (j trainJob) sameColumns(m *modelio.Model, ds *data.Dataset) error {
	if m.Features != nil && ds.Features != nil && len(m.Features) != len(ds.Features) {
		return fmt.Errorf("--init %s takes %d features (%s); the data gives %d (%s)%s: give data with the model's columns", j.Init, len(m.Features), quote.ShortList(m.Features), len(ds.Features), quote.ShortList(ds.Features), leftOutText(j.Ignore, m.Features))
	}
	if m.Features == nil || ds.Features == nil || slices.Equal(m.Features, ds.Features) {
		return nil
	}
	if sorted, given := slices.Sorted(slices.Values(m.Features)), slices.Sorted(slices.Values(ds.Features)); slices.Equal(sorted, given) {
		k := 0 // the first place they differ: the lists may be too long to print whole
		for m.Features[k] == ds.Features[k] {
			k++
		}
		return fmt.Errorf("--init %s takes its features in another order than the data's columns: its feature %d is %s, the data's column %d %s; put the columns in the model's order (%s)",
			j.Init, k+1, quote.Short(m.Features[k]), k+1, quote.Short(ds.Features[k]), quote.List(m.Features))
	}
	if j.Log != nil {
		fmt.Fprintf(j.Log, "warning: --init %s was trained on the features %s; the data's are %s, taken in their order\n", j.Init, quote.ShortList(m.Features), quote.ShortList(ds.Features))
	}
	return nil
}

// leftOutText names the columns --ignore left out that the model takes.
func leftOutText(ignored, features []string) string {
	var theirs []string
	for _, name := range ignored {
		if slices.Contains(features, name) {
			theirs = append(theirs, name)
		}
	}
	if len(theirs) == 0 {
		return ""
	}
	return fmt.Sprintf(": --ignore leaves out its %s", quote.ShortList(theirs))
}

// sameStandardisation refuses a resume whose --init model standardises
// otherwise than the checkpoint's run did, as the model the checkpoint
// saved records it (the file replaced since: other means and deviations,
// or one where there was none, or none where there was one): its rows
// would differ, which the checkpoint's data check would blame on --data.
// initScaler is the --init model's.
func (j trainJob) sameStandardisation(saved *modelio.Model, initFile *modelio.File, initScaler *data.Standardizer) error {
	if !isModelFile(initFile) {
		return nil // bare tensors record no standardisation
	}
	was := saved.Scaler
	same := was == nil && initScaler == nil ||
		was != nil && initScaler != nil && slices.Equal(was.Mean, initScaler.Mean) && slices.Equal(was.Std, initScaler.Std)
	if same {
		return nil
	}
	return fmt.Errorf("--resume %s: --init %s standardises otherwise than when the run that wrote it began (the file has changed since): give the --init file that run started from", j.Resume, j.Init)
}

// isModelFile reports whether f is a wiggle model file (or checkpoint),
// which records its standardisation and names its columns, not bare
// tensors.
func isModelFile(f *modelio.File) bool {
	return f != nil && f.Metadata["format"] == modelio.Format
}

// warnOtherActivations warns where the model file --init read trained its
// weights under other activations than the network they now start: they
// fit by shape, and go on under another function.
func warnOtherActivations(log io.Writer, path string, f *modelio.File, spec nn.Spec) {
	was, ok, err := modelio.Architecture(f)
	if err != nil || !ok {
		return
	}
	if from, to := activationsOf(was), activationsOf(spec); from != to {
		fmt.Fprintf(log, "warning: --init %s: its weights were trained with %s; this run's network uses %s, so they start under another function (give --act %s to train on as they were trained)\n", path, from, to, from)
	}
}

// activationsOf lists a network's activation functions, each once in the
// order met, as act writes them ("relu", "tanh, relu"); "none" for none.
func activationsOf(spec nn.Spec) string {
	var acts []string
	for _, l := range spec.Layers {
		if a := canonicalAct(l.Act); l.Type == "activation" && !slices.Contains(acts, a) {
			acts = append(acts, a)
		}
	}
	if len(acts) == 0 {
		return "none"
	}
	return strings.Join(acts, ", ")
}

// initFitAdvice says, where --init's tensors do not fit this run's
// network, what network the file holds and the flags that build it
// (--hidden, --act, --loss where it was another), or that train's flags
// build none like it: an imported network of two activations in a row, or
// of an identity layer between others, is used by eval, predict and
// export as it is, but not trained on. "" for a file that records no
// network (a PyTorch state_dict). initModel is f's model, nil for bare
// tensors.
func initFitAdvice(f *modelio.File, initModel *modelio.Model, lossName string) string {
	spec, ok, err := modelio.Architecture(f)
	if err != nil || !ok {
		return ""
	}
	flags, buildable := buildFlags(spec)
	if !buildable {
		return fmt.Sprintf("; the file's network (%s) is not one train's flags build (a dense layer, then one activation, for each hidden layer), so it cannot be trained on: eval, predict and export use it as it is", spec)
	}
	if initModel != nil && initModel.Loss != "" && initModel.Loss != lossName {
		flags += " --loss " + initModel.Loss
	}
	return fmt.Sprintf("; the file's network is %s: give %s to build it", spec, flags)
}

// buildFlags is the train flags whose network is spec (--hidden, --act
// and their options), and whether there are any: NewMLPSpec of what the
// flags say must give spec's layers again.
func buildFlags(spec nn.Spec) (string, bool) {
	var hidden []int
	activation, opt := "identity", nn.MLPOptions{}
	for i, l := range spec.Layers {
		last := i == len(spec.Layers)-1
		switch l.Type {
		case "dense":
			if !last {
				hidden = append(hidden, l.Out)
			}
		case "maxout":
			hidden, activation, opt.Pieces = append(hidden, l.Out), "maxout", l.Pieces
		case "activation":
			activation = l.Act
		case "prelu":
			activation, opt.PReLUPerUnit = "prelu", l.Units > 1
		case "dropout":
			opt.Dropout = l.P
		}
	}
	if len(spec.Layers) == 0 || spec.Layers[len(spec.Layers)-1].Type != "dense" {
		return "", false
	}
	rebuilt := nn.NewMLPSpec(spec.In, hidden, spec.Layers[len(spec.Layers)-1].Out, activation, opt)
	if !sameLayers(rebuilt, spec) {
		return "", false
	}
	widths := make([]string, len(hidden))
	for i, h := range hidden {
		widths[i] = strconv.Itoa(h)
	}
	flags := fmt.Sprintf("--hidden %s --act %s", shellWord(strings.Join(widths, ",")), shellWord(activation))
	if opt.Pieces > 0 {
		flags += fmt.Sprintf(" --maxout-pieces %d", opt.Pieces)
	}
	if opt.PReLUPerUnit {
		flags += " --prelu-per-unit"
	}
	if opt.Dropout > 0 {
		flags += fmt.Sprintf(" --dropout %g", opt.Dropout)
	}
	return flags, true
}

// sameLayers tells whether a and b have the same layers, kind by kind and
// size by size (a PReLU's starting slope aside: the file holds its own).
func sameLayers(a, b nn.Spec) bool {
	if a.In != b.In || len(a.Layers) != len(b.Layers) {
		return false
	}
	for i, l := range a.Layers {
		m := b.Layers[i]
		if l.Type != m.Type || l.In != m.In || l.Out != m.Out || canonicalAct(l.Act) != canonicalAct(m.Act) || l.Units != m.Units || l.Pieces != m.Pieces || l.P != m.P {
			return false
		}
	}
	return true
}

// modelFileError is the error of reading flag's model file at path: an
// ONNX file is told to go through import first, with the command (to a
// file of its name beside it, or of its name and -imported where one is
// there already; model.safetensors for a pipe).
func modelFileError(flag, path string, err error) error {
	if errors.Is(err, modelio.ErrONNX) {
		out := strings.TrimSuffix(path, filepath.Ext(path)) + ".safetensors"
		if info, err := os.Stat(path); err != nil || !info.Mode().IsRegular() { // a pipe (/dev/fd/63): a file of its own name
			out = "model.safetensors"
		}
		if _, err := os.Stat(out); err == nil {
			out = strings.TrimSuffix(out, ".safetensors") + "-imported.safetensors"
		}
		return usageError{fmt.Errorf("%s %s is an ONNX file, not a wiggle model: import it first, wiggle import %s --out %s, and give that file to %s", flag, path, shellArg(path), shellArg(out), flag)}
	}
	return fmt.Errorf("%s: %w", flag, err)
}
