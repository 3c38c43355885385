package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/engine"
	"github.com/wigglenn/wiggle/internal/jsonfmt"
	"github.com/wigglenn/wiggle/internal/quote"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/probe"
	"github.com/wigglenn/wiggle/train"
	"golang.org/x/text/unicode/norm"
)

// trainJob is a whole training run as `wiggle train` describes it: a CSV
// file, a network shape, a loss and a train.Config.
type trainJob struct {
	Data        string  // a CSV file, "mnist" or a generated set (see loadData)
	Target      string  // target column of a CSV file, by name or 0-based index
	TargetGiven bool    // whether --target was given: a built-in set refuses another than its own
	Standardize bool    // standardise features with the training rows' mean and std
	Val         float64 // fraction of rows, taken from the end of the file, held out for validation

	Hidden     []int  // hidden layer widths
	Act        string // activation spec, or "prelu" or "maxout" (see nn.NewMLPSpec)
	MLP        nn.MLPOptions
	Loss       string // a loss.Names entry
	WeightInit string // an nn.InitSchemes entry; "default" if ""
	Init       string // safetensors file to start from instead, or ""

	// CheckpointPath, if set, receives a checkpoint every CheckpointEvery
	// epochs and when Ctrl-C stops the run, keeping Keep earlier ones
	// (CheckpointPath.1, ...). Resume, if set, is a checkpoint to go on from.
	CheckpointPath string
	Keep           int
	Resume         string

	Log io.Writer // where fetching MNIST is reported; may be nil
	// Probe watches each hidden layer's health (dead units, saturation,
	// gradient and update sizes) every epoch; OnHealth hears it.
	// OnEarlierHealth, if set, hears the epochs a resumed checkpoint
	// recorded, before training goes on (so that their warnings are not
	// given twice).
	Probe           bool
	OnEarlierHealth func(probe.EpochHealth)

	train.Config

	dataPrint string // the rows as read (fingerprint), taken by run where a checkpoint needs it
}

// divergedSummary is what `wiggle train --json` prints for a run that
// diverged, before it exits with status 3: standard output holds one JSON
// object whatever the run's end, and a script tells the two by "diverged".
type divergedSummary struct {
	Diverged bool    `json:"diverged"` // always true
	Error    string  `json:"error"`    // the message wiggle prints, less its "wiggle: "
	Epoch    int     `json:"epoch"`
	Batch    int     `json:"batch"` // 0 where the weights were found not finite after the epoch
	Loss     string  `json:"loss"`  // "NaN", "+Inf", "-Inf" or the number: JSON has no NaN
	LR       float64 `json:"lr"`
	// Cause is the flag at fault where wiggle can tell (--l2, --weight-decay,
	// --lr-gamma: its product with the learning rate grew the steps), else
	// ""; Flags are those that help, as the message names them.
	Cause string   `json:"cause"`
	Flags []string `json:"flags"`
}

// writeDiverged writes err's divergedSummary to w where err is a
// divergence; other errors print nothing there.
func writeDiverged(w io.Writer, err error) {
	var div *train.DivergedError
	if !errors.As(err, &div) {
		return
	}
	jsonfmt.Write(w, divergedSummary{Diverged: true, Error: err.Error(), Epoch: div.Epoch, Batch: div.Batch,
		Loss: strconv.FormatFloat(div.Loss, 'g', -1, 64), LR: div.LR, Cause: trainFlags[div.Cause], Flags: divergedFlags(div)})
}

// trainSummary is the outcome of a trainJob, as `wiggle train --json`
// prints it.
type trainSummary struct {
	Diverged         bool     `json:"diverged"` // always false: see divergedSummary
	TrainSeconds     float64  `json:"train_seconds"`
	SamplesPerSecond float64  `json:"samples_per_second"`
	Epochs           int      `json:"epochs"`
	BestEpoch        int      `json:"best_epoch"`
	StoppedEarly     bool     `json:"stopped_early"`
	TrainLoss        float64  `json:"train_loss"`
	TrainAccuracy    *float64 `json:"train_accuracy"` // null for regression
	// GuessAccuracy is the training rows' share of their most common
	// class: the accuracy of always answering it, which a model that has
	// learnt anything passes. Null for regression.
	GuessAccuracy *float64 `json:"guess_accuracy"`
	ValLoss       *float64 `json:"val_loss"` // null without validation rows
	ValAccuracy   *float64 `json:"val_accuracy"`
	TestLoss      *float64 `json:"test_loss"` // null unless the data has a test split (mnist)
	TestAccuracy  *float64 `json:"test_accuracy"`
	Network       string   `json:"network"` // e.g. "3-16-16-2: 34 neurons, 642 parameters"
	// Health is each epoch's per-layer health, with trainJob.Probe.
	Health []probe.EpochHealth `json:"health,omitempty"`
	// Engine is how the training used the engine's threads.
	Engine engineSummary `json:"engine"`
}

// engineSummary is how a training used the engine's threads
// (engine.ReadHelperStats before and after it): of the loops its trials
// judged (products, momentum updates), how many were posted to share with
// the helper thread and how many were kept on the caller alone (another
// program held the second core, splitting was slower, or a trial was
// timing one thread), and the hand-off between the two threads measured
// in this training, 0 where it timed too few (engine.HandoffWindow: about
// 250 shared loops). A training alone on an idle machine shares nearly
// all of its loops.
type engineSummary struct {
	Threads     int     `json:"threads"`
	LoopsShared uint64  `json:"loops_shared"`
	LoopsAlone  uint64  `json:"loops_alone"`
	HandoffNS   float64 `json:"handoff_ns"`
}

// engineUse is the engine's use between two readings around a training.
func engineUse(before, after engine.HelperStats) engineSummary {
	s := engineSummary{
		Threads:     engine.Threads(),
		LoopsShared: after.LoopsShared - before.LoopsShared,
		LoopsAlone:  after.LoopsAlone - before.LoopsAlone,
	}
	if after.HandoffsTimed-before.HandoffsTimed >= engine.HandoffWindow { // else the measure is (partly) an earlier training's
		s.HandoffNS = float64(after.Handoff.Nanoseconds())
	}
	return s
}

// run reads the data, builds the network, trains it and returns the model
// (not yet saved) and the summary. Every error is about the job's input,
// or says that ctx stopped it.
func (j trainJob) run(ctx context.Context) (*modelio.Model, trainSummary, error) {
	l, err := loss.New(j.Loss)
	if err != nil {
		return nil, trainSummary{}, usageError{fmt.Errorf("--loss: %w", err)}
	}
	if j.Act != "prelu" && j.Act != "maxout" {
		if strings.HasPrefix(j.Act, "maxout(") {
			return nil, trainSummary{}, usageError{fmt.Errorf("--act %s: maxout is a layer, not a function with parameters: give --act maxout and its pieces with --maxout-pieces", j.Act)}
		}
		if _, err := act.Parse(j.Act); err != nil {
			return nil, trainSummary{}, usageError{fmt.Errorf("--act: %w", err)}
		}
	}
	if err := j.check(); err != nil {
		return nil, trainSummary{}, err
	}
	loaded, err := loadData(ctx, j.Data, loadOptions{CSV: data.CSVOptions{Target: j.Target, Regression: l.Name() == "mse"}, Seed: j.Seed, Log: j.Log, TargetGiven: j.TargetGiven})
	if errors.Is(err, data.ErrRealValuedTarget) {
		return nil, trainSummary{}, fmt.Errorf("%w: use --loss mse for regression, or pick the label column with --target", err)
	}
	if err != nil {
		return nil, trainSummary{}, underData(err)
	}
	all, testSet := loaded.Train, loaded.Test
	if all.Regression() != (l.Name() == "mse") {
		return nil, trainSummary{}, fmt.Errorf("%s is a %s set and --loss %s %s", j.Data, kind(all.Regression()), l.Name(), advice(all.Regression()))
	}
	if l.Outputs(2) == 1 && !all.Regression() && all.Classes != 2 {
		return nil, trainSummary{}, fmt.Errorf("--loss %s needs two classes (labels 0 and 1, say); %s has %d in column %q: %s", l.Name(), j.Data, all.Classes, all.Target, labelList(all))
	}
	trainSet, valSet := all.SplitTail(j.Val)
	if trainSet.Len() == 0 {
		return nil, trainSummary{}, fmt.Errorf("--val %g leaves no training rows of %d", j.Val, all.Len())
	}
	if j.Log != nil {
		warnValidationRows(j.Log, j.Val, j.Data, all, valSet)
		warnLoneClasses(j.Log, j.Data, all)
		warnLookAlikeLabels(j.Log, j.Data, all)
	}
	initFile, err := j.readInit()
	if err != nil {
		return nil, trainSummary{}, err
	}
	scaler, err := j.initScaler(initFile, trainSet)
	if err != nil {
		return nil, trainSummary{}, err
	}
	initScaler := scaler // the --init model's own, or nil: a resume's checkpoint must record the same
	// An --init model's weights take the rows as they took them: no
	// advice to standardise them.
	if !j.Standardize && scaler == nil && !isModelFile(initFile) && j.Log != nil {
		if ratio, wide, narrow := scaleSpread(trainSet); ratio >= 100 {
			fmt.Fprintf(j.Log, "warning: the features' scales differ by 10^%.0f (the std of %s is %.3g, of %s %.3g): add --standardize, or training may stall\n",
				math.Log10(ratio), wide.name, wide.std, narrow.name, narrow.std)
		}
	}
	// takePrint takes the rows' print (fingerprint, 44 ms for MNIST) once,
	// where a checkpoint or a resume needs it, or before standardising
	// changes the rows in place.
	takePrint := func() {
		if j.dataPrint == "" {
			j.dataPrint = data.Fingerprint(all) // as read, before standardising
		}
	}
	if scaler == nil && j.Standardize {
		takePrint()
		scaler = data.FitStandardizer(trainSet.X)
	}
	if scaler != nil {
		takePrint()
		for _, ds := range []*data.Dataset{trainSet, valSet, testSet} {
			if ds != nil {
				scaler.Apply(ds.X)
			}
		}
	}
	net, err := j.network(l, all, initFile)
	if err != nil {
		return nil, trainSummary{}, err
	}
	cfg := j.Config
	if j.Probe {
		cfg.Probe = probe.NewRecorder(net, trainSet.X)
	}
	m := &modelio.Model{Net: net, Loss: l.Name(), Target: all.Target, Features: all.Features, Classes: all.ClassNames, Scaler: scaler}
	if j.Resume != "" {
		takePrint()
		if cfg.Resume, err = j.resume(net, trainSet.Len(), initFile, initScaler); err != nil {
			return nil, trainSummary{}, err
		}
	}
	if j.CheckpointPath != "" {
		cfg.OnCheckpoint = func(c *train.Checkpoint) error {
			takePrint()
			f, err := checkpointFile(m, c, j.flags())
			if err != nil {
				return err
			}
			if err := writeCheckpoint(j.CheckpointPath, j.Keep, f); err != nil {
				return sysErr(fmt.Errorf("--checkpoint %s: %w", j.CheckpointPath, err))
			}
			return nil
		}
	}
	before := engine.ReadHelperStats()
	res, err := train.Fit(ctx, net, l, trainSet, valSet, cfg)
	used := engineUse(before, engine.ReadHelperStats())
	if err != nil {
		var failed *train.CheckpointError
		if ctx.Err() != nil && j.CheckpointPath != "" && !errors.As(err, &failed) {
			return nil, trainSummary{}, &interruptedError{err: err, checkpoint: j.CheckpointPath}
		}
		return nil, trainSummary{}, flagError(err)
	}
	sum := summarize(net, l, trainSet, valSet, testSet, res)
	if err := j.unusable(sum, res); err != nil {
		return nil, trainSummary{}, err
	}
	sum.Engine = used
	if cfg.Probe != nil {
		sum.Health = cfg.Probe.Series()
	}
	return m, sum, nil
}

// unusable is the error of a network whose loss on the training,
// validation or test rows is NaN or infinite though every batch's loss was
// finite: the last step left weights too large for the data. Nothing is
// saved; a checkpoint written after that step holds the same weights.
func (j trainJob) unusable(sum trainSummary, res train.Result) error {
	epoch := res.BestEpoch // whose weights the network holds
	for _, l := range []struct {
		rows string
		loss *float64
	}{{"training", &sum.TrainLoss}, {"validation", sum.ValLoss}, {"test", sum.TestLoss}} {
		if l.loss == nil || !(math.IsNaN(*l.loss) || math.IsInf(*l.loss, 0)) {
			continue
		}
		div := &train.DivergedError{Epoch: epoch, Loss: *l.loss, LR: j.Schedule.Over(j.Epochs).LR(j.Optimizer.LR, epoch-1)}
		note := "the model was not saved"
		if j.CheckpointPath != "" && j.CheckpointEvery > 0 && res.Epochs%j.CheckpointEvery == 0 {
			note += fmt.Sprintf("; the last checkpoint, %s, holds these weights", j.CheckpointPath)
		}
		return fmt.Errorf("%w (%s); the loss is the %s rows' after the last step; %s", div, strings.Join(divergedFlags(div), ", "), l.rows, note)
	}
	return nil
}

// warnValidationRows warns where --val holds out no rows, or rows of fewer
// classes than the data has: the tail of a file written class by class
// (as generated sets are) validates on its last classes only.
func warnValidationRows(log io.Writer, val float64, name string, all, valSet *data.Dataset) {
	if val <= 0 {
		return
	}
	if valSet.Len() == 0 {
		fmt.Fprintf(log, "warning: --val %g of %d rows holds out none; validation is skipped\n", val, all.Len())
		return
	}
	if all.Labels == nil {
		return
	}
	have, held := classesIn(all.Labels), classesIn(valSet.Labels)
	switch {
	case held == have:
	case valSet.Len() >= have && slices.IsSorted(all.Labels):
		fmt.Fprintf(log, "warning: --val %g holds out the last rows of %s, which have %d of its %d classes: its rows are in class order; shuffle them first (generated sets are written class by class)\n", val, name, held, have)
	default:
		fmt.Fprintf(log, "warning: --val %g holds out %d rows of %s, of %d of its %d classes\n", val, valSet.Len(), name, held, have)
	}
}

// warnLoneClasses warns of classes of a single row in a set of
// loneClassRows rows or more: a stray label (a typo, "nan", a number among
// names) makes a class of its own, an output of the network and a column
// of predict, without a word.
func warnLoneClasses(log io.Writer, name string, all *data.Dataset) {
	if all.Labels == nil || all.Len() < loneClassRows {
		return
	}
	var lone []string
	for c, n := range all.ClassCounts() {
		if n == 1 {
			lone = append(lone, all.ClassName(c))
		}
	}
	switch {
	case len(lone) == 1:
		fmt.Fprintf(log, "warning: %s: the class %s has one row of %d (a stray label makes a class of its own): correct or drop that row if it is a mistake\n", name, quote.Short(lone[0]), all.Len())
	case len(lone) > 1:
		fmt.Fprintf(log, "warning: %s: the classes %s have one row each, of %d (a stray label makes a class of its own): correct or drop those rows if they are mistakes\n", name, quote.ShortList(lone), all.Len())
	}
}

// warnLookAlikeLabels warns of class labels that are one text written in
// two Unicode forms ("café" with its é one character, NFC, or an e and a
// combining accent, NFD, as macOS file names and some editors write it):
// they look alike and are two classes.
func warnLookAlikeLabels(log io.Writer, name string, all *data.Dataset) {
	seen := map[string]string{} // by NFC form, the first label of it
	for _, label := range all.ClassNames {
		key := norm.NFC.String(label)
		if first, ok := seen[key]; ok {
			fmt.Fprintf(log, "warning: %s: the labels %s and %s are one text in two Unicode forms (an accent one character, or a letter and a combining accent): they are two classes; write them alike\n", name, strconv.QuoteToASCII(first), strconv.QuoteToASCII(label))
			continue
		}
		seen[key] = label
	}
}

// loneClassRows is the least rows a set has for warnLoneClasses to
// judge it: a tiny table may hold a class of one row on purpose.
const loneClassRows = 20

// classesIn counts the distinct labels.
func classesIn(labels []int) int {
	seen := map[int]bool{}
	for _, y := range labels {
		seen[y] = true
	}
	return len(seen)
}

// resume reads the checkpoint to go on from: its weights go into net (built
// from the same flags), its flags must be this run's, and its progress
// must fit the training rows.
func (j trainJob) resume(net *nn.Sequential, rows int, initFile *modelio.File, initScaler *data.Standardizer) (*train.Checkpoint, error) {
	if err := checkFileRoom("--resume", j.Resume, 1, "the file; the network is built already"); err != nil {
		return nil, err
	}
	f, flags, err := readCheckpoint(j.Resume)
	if err != nil {
		return nil, fmt.Errorf("--resume: %w", err)
	}
	if diff := differences(j.flags(), flags); len(diff) > 0 { // before the state is read for this run's network, which other flags shape otherwise
		return nil, fmt.Errorf("--resume %s: the flags differ from the run that wrote it: %s (to train on from its weights with other flags, start a new run: --init %s, with an --out of another name)", j.Resume, strings.Join(diff, "; "), j.Resume)
	}
	if err := j.sameStandardisation(f, initFile, initScaler); err != nil {
		return nil, err
	}
	c, err := checkpointOf(j.Resume, f, net)
	if err != nil {
		return nil, fmt.Errorf("--resume: %w", err)
	}
	if err := c.Check(rows); err != nil {
		return nil, fmt.Errorf("--resume %s: %w (has --data %s changed since?)", j.Resume, err, j.Data)
	}
	if c.Epoch >= j.Epochs {
		return nil, fmt.Errorf("--epochs %d: the checkpoint %s is after %d epoch(s) already; --epochs counts them all, so ask for more", j.Epochs, j.Resume, c.Epoch)
	}
	if err := modelio.LoadStateDict(net, modelio.ModelTensors(f)); err != nil {
		return nil, fmt.Errorf("--resume %s: %w", j.Resume, err)
	}
	if j.Log != nil {
		j.sayResumed(c)
	}
	if j.OnEarlierHealth != nil {
		for _, h := range c.Health {
			j.OnEarlierHealth(h)
		}
	}
	return c, nil
}

// sameStandardisation refuses a resume whose --init model standardises
// otherwise than the checkpoint f's run did (the file replaced since:
// other means and deviations, or one where there was none, or none where
// there was one): its rows would differ, which the checkpoint's data
// check would blame on --data. initScaler is the --init model's.
func (j trainJob) sameStandardisation(f, initFile *modelio.File, initScaler *data.Standardizer) error {
	if !isModelFile(initFile) {
		return nil // bare tensors record no standardisation
	}
	m, err := modelio.FromFileShared(f)
	if err != nil {
		return nil // checkpointOf says what is wrong with the file
	}
	same := m.Scaler == nil && initScaler == nil ||
		m.Scaler != nil && initScaler != nil && slices.Equal(m.Scaler.Mean, initScaler.Mean) && slices.Equal(m.Scaler.Std, initScaler.Std)
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

// sayResumed says where the run goes on from, and warns where the
// checkpoint cannot give --probe the epochs before it.
func (j trainJob) sayResumed(c *train.Checkpoint) {
	if c.Row > 0 {
		fmt.Fprintf(j.Log, "resuming %s: epoch %d, after %d of its rows\n", j.Resume, c.Epoch+1, c.Row)
	} else {
		fmt.Fprintf(j.Log, "resuming %s after epoch %d\n", j.Resume, c.Epoch)
	}
	if j.Probe && c.Epoch > 0 && len(c.Health) == 0 {
		fmt.Fprintf(j.Log, "warning: %s was written without --probe: the layer health (and --probe-out) covers the epochs from %d on\n", j.Resume, c.Epoch+1)
	}
}

// maxKeep bounds --keep: each checkpoint renames every earlier one's
// name, present or not (a million took 5 s a checkpoint).
const maxKeep = 1000

// check finds the mistakes that need no data, before any is read: each
// a usageError, whose message points to --help.
func (j trainJob) check() error {
	if j.Target == "" {
		return usageError{fmt.Errorf("--target: name the target column (or give its 0-based index)")}
	}
	if !(j.Val >= 0 && j.Val < 1) {
		return usageError{fmt.Errorf("--val %g: want a fraction from 0 up to (not including) 1", j.Val)}
	}
	if j.WeightInit != "" && !slices.Contains(nn.InitSchemes, j.WeightInit) {
		return usageError{fmt.Errorf("--weight-init: unknown initialisation %q; want one of %s", j.WeightInit, strings.Join(nn.InitSchemes, ", "))}
	}
	if j.Keep < 0 || j.Keep > maxKeep {
		return usageError{fmt.Errorf("--keep %d: want 0 to %d earlier checkpoints", j.Keep, maxKeep)}
	}
	if j.CheckpointEvery < 0 {
		return usageError{fmt.Errorf("--checkpoint-every %d: want a number of epochs, or 0 for none", j.CheckpointEvery)}
	}
	if j.Patience > 0 && j.Val == 0 {
		return usageError{fmt.Errorf("--patience %d: early stopping watches the validation rows; give --val too", j.Patience)}
	}
	return flagError(train.CheckConfig(j.Config))
}

// readInit reads the model file --init names, nil without one, and
// checks that this wiggle reads its tensors; a checkpoint gives its
// model's weights alone (not its optimizer's state or best weights).
func (j trainJob) readInit() (*modelio.File, error) {
	if j.Init == "" {
		return nil, nil
	}
	if err := checkFileRoom("--init", j.Init, 1, "the file; the data is read already"); err != nil {
		return nil, err
	}
	f, err := modelio.ReadFile(j.Init)
	if err != nil {
		return nil, fmt.Errorf("--init: %w", err)
	}
	if err := modelio.CheckFormat(f); err != nil { // its tensors may not mean what this wiggle's do
		return nil, fmt.Errorf("--init %s: %w", j.Init, err)
	}
	if _, checkpoint := f.Metadata[train.CheckpointKey]; checkpoint {
		f = modelio.ModelTensors(f)
	}
	return f, nil
}

// initScaler is the standardisation of the --init model f, if it has
// one: its weights take rows standardised so (an imported PyTorch
// network's (x − mean)/std, a model trained with --standardize), and the
// run takes them so too, whether or not --standardize is given, and
// saves it with the model. It refuses what would feed the weights other
// inputs than they were trained on: --standardize for a wiggle model
// that takes raw features, and the data's columns in another order than
// the model's (a wiggle model names them: they are read by position).
// Other names than the model's draw a warning. ds is the training data.
func (j trainJob) initScaler(f *modelio.File, ds *data.Dataset) (*data.Standardizer, error) {
	if !isModelFile(f) {
		return nil, nil // a file of bare tensors (a state_dict) has none, nor names
	}
	m, err := modelio.FromFileShared(f)
	if err != nil {
		return nil, fmt.Errorf("--init %s: %w", j.Init, err)
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

// sameColumns refuses data whose columns are the --init model m's in
// another order, and warns of columns of other names.
func (j trainJob) sameColumns(m *modelio.Model, ds *data.Dataset) error {
	if m.Features == nil || ds.Features == nil || len(m.Features) != len(ds.Features) || slices.Equal(m.Features, ds.Features) {
		return nil // another width is refused where the weights are loaded
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

// network builds the layers and fills the weights: from --init, or by the
// initialisation scheme from the seed.
func (j trainJob) network(l loss.Loss, ds *data.Dataset, initFile *modelio.File) (*nn.Sequential, error) {
	outputs := l.Outputs(ds.Classes)
	if ds.Regression() {
		outputs = ds.Values.Cols
	}
	rng := rand.New(rand.NewPCG(j.Seed, 0))
	spec := nn.NewMLPSpec(ds.X.Cols, j.Hidden, outputs, j.Act, j.MLP)
	flags := "--hidden " + joinInts(j.Hidden)
	if j.Act == "maxout" {
		flags += fmt.Sprintf(" and --maxout-pieces %d", j.MLP.Pieces)
	}
	if err := spec.CheckSize(); err == nil {
		if err := checkRoom(flags, "choose narrower layers", spec.Params(), training(j.Optimizer, j.Patience > 0)); err != nil {
			return nil, err
		}
	}
	net, err := nn.Build(spec, rng)
	var size *nn.SizeError
	if errors.As(err, &size) {
		return nil, usageError{fmt.Errorf("%s: with %d inputs and %d outputs the network would have %.4g parameters; wiggle builds at most %d (1 GiB of weights)", flags, ds.X.Cols, outputs, size.Params, nn.MaxParams)}
	}
	if err != nil {
		return nil, err
	}
	if f := initFile; f != nil {
		if err := modelio.LoadStateDict(net, f); err != nil {
			return nil, fmt.Errorf("--init %s: %w", j.Init, err)
		}
		if p, i := net.NonFinite(); p != nil { // training would call it a divergence, and blame the learning rate
			return nil, fmt.Errorf("--init %s: parameter %s[%d] is %v; training starts from finite weights: give a model that trained without diverging, or leave --init out", j.Init, p.Name, i, p.Value[i])
		}
		if j.Log != nil {
			warnOtherActivations(j.Log, j.Init, f, net.Spec())
		}
		return net, nil
	}
	scheme := j.WeightInit
	if scheme == "" {
		scheme = "default"
	}
	return net, nn.Init(net, scheme, rng)
}

func summarize(net *nn.Sequential, l loss.Loss, trainSet, valSet, testSet *data.Dataset, res train.Result) trainSummary {
	s := trainSummary{
		TrainSeconds: res.TrainSeconds, SamplesPerSecond: res.SamplesPerSecond, Epochs: res.Epochs,
		BestEpoch: res.BestEpoch, StoppedEarly: res.StoppedEarly, Network: net.Size().String(),
	}
	var trainLoss *float64
	trainLoss, s.TrainAccuracy = measure(net, l, trainSet)
	s.TrainLoss = *trainLoss
	if s.TrainAccuracy != nil {
		s.GuessAccuracy = commonestShare(trainSet)
	}
	s.ValLoss, s.ValAccuracy = measure(net, l, valSet)
	s.TestLoss, s.TestAccuracy = measure(net, l, testSet)
	return s
}

// commonestShare is the share of ds's rows in its most common class; nil
// for no rows or no classes.
func commonestShare(ds *data.Dataset) *float64 {
	counts := ds.ClassCounts()
	if ds.Len() == 0 || len(counts) == 0 {
		return nil
	}
	share := float64(slices.Max(counts)) / float64(ds.Len())
	return &share
}

// measure evaluates net on ds; nil for a missing or empty set, and nil
// accuracy for regression.
func measure(net *nn.Sequential, l loss.Loss, ds *data.Dataset) (lossValue, accuracy *float64) {
	if ds == nil || ds.Len() == 0 {
		return nil, nil
	}
	lv, acc, err := train.Evaluate(net, l, ds)
	if err != nil {
		return nil, nil // Fit checked every set but the test split, which is MNIST's own
	}
	if ds.Regression() {
		return &lv, nil
	}
	return &lv, &acc
}

func kind(regression bool) string {
	if regression {
		return "regression"
	}
	return "classification"
}

func advice(regression bool) string {
	if regression {
		return "predicts classes; use --loss mse"
	}
	return "predicts values; use a classification loss (softmax, hinge; logistic or binary-hinge for two classes)"
}

// featureScale is a feature and its standard deviation.
type featureScale struct {
	name string
	std  float64
}

// scaleSpread returns how many times the widest feature's std is the
// narrowest's, and those two (constant features left out).
func scaleSpread(ds *data.Dataset) (ratio float64, wide, narrow featureScale) {
	s := data.FitStandardizer(ds.X)
	wide.std, narrow.std = 0, math.Inf(1)
	for j, std := range s.Std {
		v := float64(std)
		name := fmt.Sprintf("column %d", j)
		if j < len(ds.Features) {
			name = ds.Features[j]
		}
		if v == 1 && constantColumn(ds, j) {
			continue
		}
		if v > wide.std {
			wide = featureScale{name, v}
		}
		if v < narrow.std {
			narrow = featureScale{name, v}
		}
	}
	if wide.std == 0 || narrow.std == 0 || math.IsInf(narrow.std, 1) {
		return 1, wide, narrow
	}
	return wide.std / narrow.std, wide, narrow
}

func constantColumn(ds *data.Dataset, j int) bool {
	for i := 1; i < ds.Len(); i++ {
		if ds.X.At(i, j) != ds.X.At(0, j) {
			return false
		}
	}
	return true
}

// labelList names the labels a set's rows hold, as its file writes them,
// quoted (1 and 1.0 are two labels: quote.ShortList); where whole-number
// labels leave classes no row holds (1 and 2 are classes 0 to 2), it says
// so.
func labelList(ds *data.Dataset) string {
	held := make([]bool, ds.Classes)
	for _, y := range ds.Labels {
		held[y] = true
	}
	var names []string
	for k, h := range held {
		if h {
			names = append(names, ds.ClassName(k))
		}
	}
	text := quote.ShortList(names)
	if len(names) < ds.Classes {
		text += fmt.Sprintf(" (whole-number labels are class indices, 0 to the largest: %d classes; relabel them 0 and 1)", ds.Classes)
	}
	return text
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
