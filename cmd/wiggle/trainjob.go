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
	"sync"

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
)

// trainJob is a whole training run as `wiggle train` describes it: a CSV
// file, a network shape, a loss and a train.Config.
type trainJob struct {
	Data         string    // a CSV file, "mnist" or a generated set (see loadData)
	Target       string    // target column of a CSV file, by name or 0-based index
	Ignore       []string  // columns of a CSV file left out, by name (--ignore)
	DecimalComma bool      // a CSV cell's one comma is its decimal point (--decimal-comma)
	Stdin        io.Reader // what --data - reads
	TargetGiven  bool      // whether --target was given: a built-in set refuses another than its own
	Standardize  bool      // standardise features with the training rows' mean and std
	Val          float64   // fraction of rows, taken from the end of the file, held out for validation

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
	// GuessLoss, for regression, is the mse of always answering the
	// training rows' mean value (their variance): a model at or above it
	// has learnt nothing. Null for classes.
	GuessLoss    *float64 `json:"guess_loss"`
	ValLoss      *float64 `json:"val_loss"` // null without validation rows
	ValAccuracy  *float64 `json:"val_accuracy"`
	TestLoss     *float64 `json:"test_loss"` // null unless the data has a test split (mnist)
	TestAccuracy *float64 `json:"test_accuracy"`
	// TrainRows, ValRows and TestRows are how many rows each measure is
	// of (0 where there are none): --val's split said as it fell.
	TrainRows int    `json:"train_rows"`
	ValRows   int    `json:"val_rows"`
	TestRows  int    `json:"test_rows"`
	Network   string `json:"network"` // e.g. "3-16-16-2: 34 neurons, 642 parameters"
	// Health is each epoch's per-layer health, with trainJob.Probe.
	Health []probe.EpochHealth `json:"health,omitempty"`
	// Engine is how the training used the engine's threads.
	Engine engineSummary `json:"engine"`
	// CheckpointError is why the checkpoint after the last epoch could not
	// be written: the run went on to its model, which holds the same
	// weights, and says so after saving it (exit 1). Left out when none.
	CheckpointError string `json:"checkpoint_error,omitempty"`
	lastCheckpoint  error  // that error itself
	unscaled        string // how the features lay far from the initialisations' scale, unstandardised; "" where they did not
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
	initFile, err := j.readInit(ctx)
	if err != nil {
		return nil, trainSummary{}, err
	}
	initModel, err := j.initModelOf(initFile)
	if err != nil {
		return nil, trainSummary{}, err
	}
	if err := j.initKind(initModel, l.Name()); err != nil {
		return nil, trainSummary{}, err
	}
	csv := data.CSVOptions{Target: j.Target, Ignore: j.Ignore, Regression: l.Name() == "mse", DecimalComma: j.DecimalComma}
	if !csv.Regression {
		csv.Classes = initClassNames(initModel) // a table's labels read as the --init model's classes, by name
	}
	loaded, err := loadData(ctx, j.Data, loadOptions{CSV: csv, Seed: j.Seed, Log: j.Log, TargetGiven: j.TargetGiven, Stdin: j.Stdin})
	if errors.Is(err, data.ErrRealValuedTarget) {
		return nil, trainSummary{}, fmt.Errorf("%w: use --loss mse for regression, or pick the label column with --target", err)
	}
	if hinted := lookAlikeClass(err, csv.Classes); hinted != err { // a label like a class ("1.0" for 1): said so, not the advice below, which would contradict it
		err = hinted
	} else if other := (*data.OtherLabelError)(nil); errors.As(err, &other) && numbered(csv.Classes) && !isInteger(other.Label) {
		err = fmt.Errorf("%w (--init %s names its classes 0 to %d: if it is an import made without --classes, import it again with --classes naming them)", err, j.Init, len(csv.Classes)-1)
	}
	if err != nil {
		return nil, trainSummary{}, underData(offerIgnore(err, j.Ignore, true))
	}
	all, testSet := loaded.Train, loaded.Test
	if all.Regression() != (l.Name() == "mse") {
		return nil, trainSummary{}, fmt.Errorf("%s is a %s set and --loss %s %s", dataName(j.Data), kind(all.Regression()), l.Name(), advice(all.Regression()))
	}
	if all, err = j.initClasses(initModel, all); err != nil {
		return nil, trainSummary{}, err
	}
	if j.Log != nil && csv.Classes != nil {
		noteClassesWithoutRows(j.Log, j.Init, all)
	}
	if l.Outputs(2) == 1 && !all.Regression() && all.Classes != 2 && csv.Classes != nil { // the classes are --init's
		return nil, trainSummary{}, fmt.Errorf("--loss %s needs two classes; --init %s has %d (%s), which the data's labels are read as: give --loss softmax, or an --init of two classes", l.Name(), j.Init, all.Classes, quote.ShortList(all.ClassNames))
	}
	if l.Outputs(2) == 1 && !all.Regression() && all.Classes != 2 {
		return nil, trainSummary{}, fmt.Errorf("--loss %s needs two classes (labels 0 and 1, say); %s has %d in column %q: %s", l.Name(), dataName(j.Data), all.Classes, all.Target, labelList(all))
	}
	if j.Val > 0 && isBuiltin(j.Data) && j.Data != "mnist" { // a generated set comes class by class: hold out rows from everywhere in it
		all = all.Rows(rand.New(rand.NewPCG(j.Seed, 0x7a1)).Perm(all.Len()))
	}
	trainSet, valSet := all.SplitTail(j.Val)
	if trainSet.Len() == 0 {
		return nil, trainSummary{}, fmt.Errorf("--val %g leaves no training rows of %d", j.Val, all.Len())
	}
	if err := j.enoughToTrain(trainSet, all); err != nil {
		return nil, trainSummary{}, err
	}
	bounds := sync.OnceValues(func() ([]float64, []float64) { return columnBounds(trainSet) }) // the features' ranges, taken once for the warnings below
	if j.Log != nil {
		warnValidationRows(j.Log, j.Val, dataName(j.Data), all, valSet)
		warnLoneClasses(j.Log, dataName(j.Data), all)
		warnLookAlikeLabels(j.Log, dataName(j.Data), all)
		if !isBuiltin(j.Data) { // MNIST's blank border and a generated set's columns are as they should be
			warnUninformativeColumns(j.Log, trainSet, bounds)
		}
	}
	scaler, err := j.initScaler(initModel, trainSet)
	if err != nil {
		return nil, trainSummary{}, err
	}
	fromInit := scaler // the --init model's own, or nil: a resume's checkpoint must record the same
	// An --init model's weights take the rows as they took them: no
	// advice to standardise them.
	unscaled := "" // where unstandardised features are far apart in scale, or large: how
	if !j.Standardize && scaler == nil && initModel == nil {
		unscaled = unscaledFeatures(j.Log, trainSet, bounds)
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
	net, err := j.network(l, all, initFile, initModel)
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
		if cfg.Resume, err = j.resume(ctx, net, trainSet.Len(), all.ClassNames, initFile, fromInit); err != nil {
			return nil, trainSummary{}, err
		}
	}
	var lastCheckpoint error
	if j.CheckpointPath != "" {
		cfg.OnCheckpoint = func(c *train.Checkpoint) error {
			takePrint()
			f, err := checkpointFile(m, c, j.flags())
			if err != nil {
				return err
			}
			if err := checkpointWriter(j.CheckpointPath, j.Keep, f); err != nil {
				err = sysErr(pathError("--checkpoint", j.CheckpointPath, err))
				if c.Epoch == j.Epochs && c.Row == 0 && ctx.Err() == nil { // the run's end: its model, saved next, holds these weights
					lastCheckpoint = err
					return nil
				}
				return fmt.Errorf("%w; %s", err, leftBehind(j.CheckpointPath))
			}
			return nil
		}
	}
	before := engine.ReadHelperStats()
	res, err := train.Fit(ctx, net, l, trainSet, valSet, cfg)
	used := engineUse(before, engine.ReadHelperStats())
	var resume *train.ResumeError
	switch {
	case errors.Is(err, train.ErrOtherWeights): // the file's weights, loaded above, are not those it recorded
		return nil, trainSummary{}, fmt.Errorf("--resume %s: its weights are not those the checkpoint was taken with: the file was changed after wiggle wrote it%s", j.Resume, earlierCheckpoints(j.Resume, ";"))
	case errors.As(err, &resume): // the flags, data and network were checked above: the file's state is what does not fit (a file's mistake, exit 2, not a command line's)
		return nil, trainSummary{}, fmt.Errorf("--resume %s: %w", j.Resume, resume.Err)
	}
	if err != nil {
		if ctx.Err() != nil && j.CheckpointPath != "" {
			var failed *train.CheckpointError
			if errors.As(err, &failed) { // the system's failure, not the stop: exit 1, not 130's promise of a checkpoint
				return nil, trainSummary{}, sysErr(fmt.Errorf("interrupted in epoch %d, and this moment's checkpoint could not be written: %v; %s",
					failed.Epoch, failed.Checkpoint, leftBehind(j.CheckpointPath)))
			}
			return nil, trainSummary{}, &interruptedError{err: err, checkpoint: j.CheckpointPath}
		}
		var div *train.DivergedError
		var before trainSummary // of a run that diverged: the health of its epochs before, for --probe-out
		if errors.As(err, &div) && cfg.Probe != nil {
			before.Health = cfg.Probe.Series()
		}
		if div != nil && unscaled != "" && div.Cause == "" { // the first thing to try, unless a flag is at fault
			return nil, before, fmt.Errorf("%w (--standardize first: %s; then %s); the model was not saved",
				err, unscaled, strings.Join(divergedFlags(div), ", "))
		}
		if size := targetSize(trainSet); div != nil && div.Cause == "" && size >= largeTarget { // --standardize leaves the target as it is
			return nil, before, fmt.Errorf("%w (first, divide the target column %q by about %.3g, its values' root mean square, where the network's first weights suit values of about 1; then %s); the model was not saved",
				err, trainSet.Target, size, strings.Join(divergedFlags(div), ", "))
		}
		return nil, before, flagError(err)
	}
	sum := summarize(net, l, trainSet, valSet, testSet, res)
	sum.Engine, sum.lastCheckpoint, sum.unscaled = used, lastCheckpoint, unscaled
	if lastCheckpoint != nil {
		sum.CheckpointError = lastCheckpoint.Error()
	}
	if cfg.Probe != nil {
		sum.Health = cfg.Probe.Series()
	}
	if err := j.unusable(sum, res); err != nil {
		return nil, trainSummary{Health: sum.Health}, err
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
		switch {
		case sum.lastCheckpoint != nil:
			note += fmt.Sprintf("; nor was the checkpoint after the last epoch (%v)", sum.lastCheckpoint)
		case j.CheckpointPath != "" && j.CheckpointEvery > 0 && res.Epochs%j.CheckpointEvery == 0:
			note += fmt.Sprintf("; the last checkpoint, %s, holds these weights", j.CheckpointPath)
		}
		return fmt.Errorf("%w (%s); the loss is the %s rows' after the last step; %s", div, strings.Join(divergedFlags(div), ", "), l.rows, note)
	}
	return nil
}

// resume reads the checkpoint to go on from: its weights go into net (built
// from the same flags), its flags must be this run's, and its progress
// must fit the training rows, named by the same classes.
func (j trainJob) resume(ctx context.Context, net *nn.Sequential, rows int, classes []string, initFile *modelio.File, initScaler *data.Standardizer) (*train.Checkpoint, error) {
	if err := checkFileRoom("--resume", j.Resume, 1, "the file; the network is built already"); err != nil {
		return nil, err
	}
	f, flags, err := readCheckpoint(ctx, j.Resume)
	if err != nil {
		return nil, fmt.Errorf("--resume: %w", err)
	}
	if diff := differences(j.flags(), flags); len(diff) > 0 { // before the state is read for this run's network, which other flags shape otherwise
		return nil, fmt.Errorf("--resume %s: the flags differ from the run that wrote it: %s (to train on from its weights with other flags, start a new run: --init %s, with an --out of another name)", j.Resume, strings.Join(diff, "; "), shellArg(j.Resume))
	}
	if saved, err := modelio.FromFileShared(f); err == nil { // else checkpointOf says what is wrong with the file
		if err := j.sameStandardisation(saved, initFile, initScaler); err != nil {
			return nil, err
		}
		if err := sameClasses(j.Resume, saved, classes); err != nil {
			return nil, err
		}
	}
	c, err := checkpointOf(j.Resume, f, net)
	if err != nil {
		return nil, fmt.Errorf("--resume: %w", err)
	}
	if err := c.Check(rows); err != nil {
		if c.Row > rows {
			return nil, fmt.Errorf("--resume %s: %w (has --data %s changed since?)", j.Resume, err, j.Data)
		}
		return nil, fmt.Errorf("--resume %s: %w: the file was changed after wiggle wrote it%s", j.Resume, err, earlierCheckpoints(j.Resume, ";"))
	}
	if c.Epoch > j.Epochs { // as many: the run's last checkpoint, whose model a crash kept from being saved; the resume saves it
		return nil, fmt.Errorf("--epochs %d: the checkpoint %s is after %d epochs already; --epochs counts them all, so ask for %d or more", j.Epochs, j.Resume, c.Epoch, c.Epoch)
	}
	if err := modelio.LoadStateDict(net, modelio.ModelTensors(f)); err != nil {
		return nil, fmt.Errorf("--resume %s: %w", j.Resume, err)
	}
	if p, i := net.NonFinite(); p != nil { // training would call it a divergence, and blame the learning rate
		return nil, fmt.Errorf("--resume %s: parameter %s[%d] is %v: the file was changed after wiggle wrote it (a run writes no checkpoint of weights that are not finite)%s", j.Resume, p.Name, i, p.Value[i], earlierCheckpoints(j.Resume, ";"))
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

// network builds the layers and fills the weights: from --init, or by the
// initialisation scheme from the seed (initModel, --init's model where
// it records one, says what the file held where its tensors do not fit).
func (j trainJob) network(l loss.Loss, ds *data.Dataset, initFile *modelio.File, initModel *modelio.Model) (*nn.Sequential, error) {
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
			return nil, fmt.Errorf("--init %s: %w%s", j.Init, err, initFitAdvice(f, initModel, l.Name()))
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
		text += fmt.Sprintf(" (whole-number labels from 0 are class indices, 0 to the largest: %d classes; relabel them 0 and 1)", ds.Classes)
	}
	return text
}
