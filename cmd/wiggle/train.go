package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/internal/atomicfile"
	"github.com/wigglenn/wiggle/internal/jsonfmt"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/probe"
	"github.com/wigglenn/wiggle/train"
)

func newTrainCmd(e env) *cobra.Command {
	job := trainJob{
		Target: "label", Act: "relu", Loss: "softmax", WeightInit: "default",
		Config: train.Config{Epochs: 10, Batch: 32, Shuffle: true, Seed: 1, StepInBackward: true, // no one reads the gradients after a step
			Optimizer: optim.Config{Name: "sgd", LR: 0.1, Momentum: 0.9, WeightDecay: 0.01},
			Schedule:  optim.Schedule{Name: "constant", Gamma: 0.1, StepSize: 10}},
	}
	var hidden, out, probeOut string
	var ignore []string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "train --data FILE.csv --target COLUMN",
		Short: "Train a fully-connected network on a CSV file and save it",
		Long: `Train a fully-connected network on a CSV table and save it as safetensors.

The table needs a header row. --target names the column to predict (or gives
its 0-based index); every other column is a numeric feature, but those
--ignore leaves out (an id, a date, a text). For softmax,
hinge, logistic and binary-hinge the target holds class labels (logistic and
binary-hinge: two classes, the second the positive one: 0 and 1, or two
labels in sorted order, numbers by value, so of no and yes, yes). Labels
that are whole numbers from 0 are class indices, 0 to the largest (a label
missing from the file an empty class, where fewer are missing than given);
other whole numbers (ratings 1 to 5, codes 1001, 2002) are the classes they
name, with no empty ones. For mse
the target is a real value.

Mini-batches go in file order with --shuffle=false (the last, smaller batch
is kept); otherwise the rows are reshuffled every epoch from --seed. With
--val F the last fraction F of the rows is held out for validation, and
--patience N stops when the validation loss has not improved for N epochs,
keeping the best epoch's weights.

Losses:      ` + strings.Join(loss.Names, ", ") + `
Optimizers:  ` + strings.Join(optim.Names, ", ") + `
Schedules:   ` + strings.Join(optim.ScheduleNames, ", ") + ` (per epoch)
Weight init: ` + strings.Join(nn.InitSchemes, ", ") + `

--act takes any activation of 'wiggle act list', with parameters if wanted
('leaky_relu(negative_slope=0.2)'); prelu adds a learnable slope per layer
(--prelu-per-unit: per unit); maxout replaces each hidden layer by maxout
units of --maxout-pieces linear pieces.

--probe watches each hidden layer and prints, after the last epoch, a table:
the mean and std of its pre-activations (a maxout layer's: its pieces'
values) and of its activations; dead, the share of units 0 on every
training row (4,096 spread evenly over a larger set) with the epoch's last
weights; saturated, the share of unit-examples on a tail where f flattens (f'
below 1% of its largest; relu's off side is not, and prelu and maxout never
are); |dW| and |dX|, the norms of the gradient of its incoming weights and
of the one reaching its input; |ΔW|/|W|, one step's update over the weights
(about 1e-3 is healthy). The figures of steps are means over every 10th
step of the epoch. Under the table, each maxout layer's share of pieces
that win on none of the rows dead units are counted on: no gradient from
those rows reaches them (a maxout unit does not die; its pieces may).

The same data, flags and seed give a byte-identical model file. Progress goes
to standard error, a line an epoch (at most one every 50 ms: the first and
the last epoch always), ending in the epoch's learning rate and its wall
time. An epoch line's loss and accuracy are the means over
the epoch's batches as they trained, so the summary's, measured after the
last step (with --patience, on the best epoch's weights), differ. The
summary (or, with --json, one JSON object) goes to standard output` + summaryElsewhere() + `.`,
		Example: `  wiggle data gen moons > moons.csv
  wiggle train --data moons.csv --target label --standardize --hidden 16,16 --act relu \
    --loss softmax --optimizer momentum --lr 0.1 --momentum 0.9 --epochs 50 --out moons.safetensors
  wiggle train --data spiral --hidden 64 --epochs 100 --checkpoint-every 10 --out spiral.safetensors
  wiggle train --data spiral --hidden 64 --epochs 200 --resume spiral.safetensors.ckpt --out spiral.safetensors`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			job.Act = specArg(job.Act)
			if job.Hidden, err = parseWidths(hidden); err != nil {
				return usageError{fmt.Errorf("--hidden %q: %v", hidden, err)}
			}
			if err := idleFlags(cmd, job); err != nil {
				return err
			}
			warnNoHidden(cmd, job, probeOut, e.stderr)
			job.TargetGiven = cmd.Flags().Changed("target")
			if job.Ignore, err = columnList("--ignore", ignore); err != nil {
				return err
			}
			if err := checkTrainOutputs(e, job, out, probeOut); err != nil {
				return err
			}
			if job.Data == "" {
				return usageError{fmt.Errorf("--data: name the CSV file to train on")}
			}
			job.CheckpointPath = checkpointPath(job.CheckpointPath, out)
			if job.CheckpointPath != "" {
				named := "--checkpoint " + job.CheckpointPath
				if !cmd.Flags().Changed("checkpoint") {
					named = fmt.Sprintf("--out %s (its checkpoint %s)", out, job.CheckpointPath)
				}
				lock, err := lockRun(job.CheckpointPath, named)
				if err != nil {
					return err
				}
				defer lock.release()
			}
			progress := newProgress(e.stderr, job.Epochs, job.Loss != "mse")
			job.OnEpoch, job.OnBatch, job.Log, job.Stdin = progress.epoch, progress.batch, e.stderr, e.stdin
			job.Probe = job.Probe || probeOut != ""
			warnings := &probeWarnings{w: e.stderr, progress: progress, given: map[string]bool{}}
			job.OnHealth, job.OnEarlierHealth = warnings.hear, warnings.heardBefore
			m, sum, err := job.run(e.ctx)
			progress.done()
			report := reportTo(e, out, probeOut)
			if err != nil {
				if asJSON {
					writeDiverged(report, err)
				}
				var div *train.DivergedError
				switch {
				case probeOut == "" || !errors.As(err, &div):
				case len(sum.Health) > 0: // the epochs before the divergence show how it came
					if err := writeProbeOut(probeOut, sum.Health); err != nil {
						return err
					}
					fmt.Fprintf(e.stderr, "wrote %s: the health of %s, before the run diverged\n", probeOut, epochSpan(sum.Health))
				default:
					fmt.Fprintf(e.stderr, "--probe-out %s not written: the run diverged before an epoch ended\n", probeOut)
				}
				return err
			}
			if err := modelio.Save(out, m); err != nil {
				return sysErr(fmt.Errorf("--out: %w", err))
			}
			if probeOut != "" {
				if err := writeProbeOut(probeOut, sum.Health); err != nil {
					return errors.Join(fmt.Errorf("%w (the model was saved to %s)", err, out), lastCheckpointFailed(sum.lastCheckpoint, out))
				}
			}
			warnLearntNothing(e.stderr, sum, job.L2 > 0 || job.L1 > 0 || job.Optimizer.Effective().WeightDecay > 0)
			if asJSON {
				if err := jsonfmt.Write(report, sum); err != nil {
					return sysErr(err)
				}
				return lastCheckpointFailed(sum.lastCheckpoint, out)
			}
			if err := writeTrainSummary(report, sum, out); err != nil {
				return sysErr(err)
			}
			if len(sum.Health) > 0 && len(sum.Health[len(sum.Health)-1].Layers) > 0 { // no table of no hidden layers, which warnNoHidden said
				if err := writeHealth(report, sum.Health[len(sum.Health)-1]); err != nil {
					return sysErr(err)
				}
			}
			return lastCheckpointFailed(sum.lastCheckpoint, out)
		},
	}
	f := cmd.Flags()
	f.StringVar(&job.Data, "data", "", "the data to train on: a CSV file (- for standard input), mnist, or a generated set ("+strings.Join(data.SyntheticNames(), ", ")+")")
	f.StringVar(&job.Target, "target", job.Target, "the target column, by name or 0-based index")
	f.StringArrayVar(&ignore, "ignore", nil, "columns of a CSV file to leave out (an id, a date, a text), comma-separated names (one holding a comma in double quotes) or 0-based indexes (repeatable); every other column but the target is a feature")
	decimalCommaFlag(f, &job.DecimalComma)
	f.BoolVar(&job.Standardize, "standardize", false, "standardise features with the training rows' mean and std (stored in the model); an --init model that standardises gives its own, and one that records none warns")
	f.Float64Var(&job.Val, "val", 0, "fraction of rows held out for validation: the end of the file (of a generated set, rows from all of it)")
	f.StringVar(&hidden, "hidden", "16,16", `hidden layer widths, comma-separated; "" for none`)
	f.StringVar(&job.Act, "act", job.Act, "the hidden layers' activation, or prelu or maxout")
	f.IntVar(&job.MLP.Pieces, "maxout-pieces", 2, "linear pieces per maxout unit")
	f.BoolVar(&job.MLP.PReLUPerUnit, "prelu-per-unit", false, "one learnable prelu slope per unit instead of per layer")
	f.Float64Var(&job.MLP.Dropout, "dropout", 0, "dropout rate after each hidden activation")
	f.StringVar(&job.Loss, "loss", job.Loss, "the loss: "+strings.Join(loss.Names, ", "))
	f.StringVar(&job.Optimizer.Name, "optimizer", job.Optimizer.Name, "the optimizer: "+strings.Join(optim.Names, ", "))
	f.Float64Var(&job.Optimizer.LR, "lr", job.Optimizer.LR, "learning rate")
	f.Float64Var(&job.Optimizer.Momentum, "momentum", job.Optimizer.Momentum, "momentum, for momentum and nesterov: above 0 and below 1")
	f.Float64Var(&job.Optimizer.WeightDecay, "weight-decay", job.Optimizer.WeightDecay, "decoupled weight decay of adamw, on weight matrices")
	f.Float64Var(&job.L2, "l2", 0, "L2 strength λ: adds (λ/2)·ΣW² over weight matrices to the objective (the loss printed is the data's, without it)")
	f.Float64Var(&job.L1, "l1", 0, "L1 strength λ: adds λ·Σ|W| over weight matrices to the objective, pulling every weight toward 0 by the same step (the loss printed is the data's, without it)")
	f.Float64Var(&job.ClipNorm, "clip-norm", 0, "clip the global gradient norm to this, --l2's and --l1's gradients included (as PyTorch clips a penalty in the loss; its weight_decay is added after clipping); 0 for no clipping")
	f.StringVar(&job.Schedule.Name, "schedule", job.Schedule.Name, "learning-rate schedule: "+strings.Join(optim.ScheduleNames, ", "))
	f.IntVar(&job.Schedule.StepSize, "lr-step", job.Schedule.StepSize, "epochs between decays of the step schedule")
	f.Float64Var(&job.Schedule.Gamma, "lr-gamma", job.Schedule.Gamma, "decay factor of the step and exponential schedules")
	f.IntVar(&job.Batch, "batch", job.Batch, "rows per step")
	f.IntVar(&job.Epochs, "epochs", job.Epochs, "passes over the training rows")
	f.IntVar(&job.Patience, "patience", 0, "stop after this many epochs without a better validation loss; 0 never stops early")
	f.BoolVar(&job.Shuffle, "shuffle", true, "reshuffle the rows every epoch (--shuffle=false: file order)")
	f.Uint64Var(&job.Seed, "seed", job.Seed, "seed of the initial weights, the shuffling and dropout")
	f.StringVar(&job.WeightInit, "weight-init", job.WeightInit, "initialisation: "+strings.Join(nn.InitSchemes, ", "))
	f.StringVar(&job.Init, "init", "", "start from the tensors of this safetensors file (PyTorch state_dict names), or a checkpoint's weights; a wiggle model's standardisation comes with them")
	f.StringVar(&out, "out", "model.safetensors", "where to save the trained model")
	f.BoolVar(&asJSON, "json", false, "print one JSON object as the summary")
	f.BoolVar(&job.Probe, "probe", false, "watch each hidden layer's health; print a table, and warn on dead units, saturation or odd update sizes")
	f.StringVar(&probeOut, "probe-out", "", "write every epoch's per-layer health to this JSON file, a run that diverges too (turns --probe on)")
	f.IntVar(&job.CheckpointEvery, "checkpoint-every", 0, "write a checkpoint every N epochs (Ctrl-C writes one too, where there is a checkpoint path); 0 for none")
	f.StringVar(&job.CheckpointPath, "checkpoint", "", "where checkpoints go (default: the --out path with .ckpt added"+noCheckpointOnDevice()+")")
	f.IntVar(&job.Keep, "keep", 1, "earlier checkpoints to keep beside the latest (PATH.1, PATH.2, ...; 0 to 1000)")
	f.StringVar(&job.Resume, "resume", "", "go on from this checkpoint, with the same flags; --epochs counts all the epochs")
	return cmd
}

// probeWarnings prints each probe warning the first time its layer meets
// its condition, between the progress lines; a resumed run's warnings of
// the epochs before it are not given again.
type probeWarnings struct {
	w        io.Writer
	progress *progress
	given    map[string]bool // layer and condition
}

func (p *probeWarnings) hear(h probe.EpochHealth) { p.note(h, true) }

func (p *probeWarnings) heardBefore(h probe.EpochHealth) { p.note(h, false) }

func (p *probeWarnings) note(h probe.EpochHealth, say bool) {
	for _, warn := range probe.Warnings(h) {
		key := fmt.Sprint(warn.Layer, warn.Condition)
		if !p.given[key] {
			p.given[key] = true
			if say {
				p.progress.clearBar()
				fmt.Fprintln(p.w, warn.Message)
			}
		}
	}
}

// probeAdvice is where dead units are told: the probe's warnings above
// where it warned of some, none where it watched and found too few to
// warn of, else --probe.
func probeAdvice(s trainSummary) string {
	if len(s.Health) == 0 {
		return "--probe"
	}
	for _, h := range s.Health {
		for _, l := range h.Layers {
			if l.Dead > probe.DeadLimit {
				return "the probe's warnings above say which layers have them"
			}
		}
	}
	return "though the probe found none past 10% in any layer"
}

// warnLearntNothing warns where a model does no better on its own
// training rows than always answering their most common class or their
// mean value: it trained without diverging, and learnt nothing. Its
// causes name first what this run showed (features far from the
// initialisations' scale, a class of nine rows in ten), regularisation
// only where the run had some (regularised).
func warnLearntNothing(w io.Writer, s trainSummary, regularised bool) {
	var causes []string
	if s.unscaled != "" {
		causes = append(causes, fmt.Sprintf("features far from the scale the first weights suit (%s: --standardize)", s.unscaled))
	}
	switch {
	case s.GuessLoss != nil && s.TrainLoss >= *s.GuessLoss:
		causes = append(causes, "values of the target far from 0 or spread wide (scale its column to about -1 to 1: the network's first weights suit such values)")
		fmt.Fprintf(w, "warning: the model does no better on its training rows (mse %.4g) than always answering their mean value (mse %.4g): it has learnt nothing. The usual causes: %s\n",
			s.TrainLoss, *s.GuessLoss, causeList(causes, regularised, "too few epochs"))
	case s.TrainAccuracy != nil && s.GuessAccuracy != nil && *s.TrainAccuracy <= *s.GuessAccuracy:
		if *s.GuessAccuracy >= 0.9 {
			causes = append(causes, fmt.Sprintf("one class far commoner than the others (%.1f%% of the rows: answering it always costs the loss little; more rows of the others help)", 100**s.GuessAccuracy))
		}
		fmt.Fprintf(w, "warning: the model does no better on its training rows (%.2f%%) than always answering their most common class (%.2f%%): it has learnt nothing. The usual causes: %s\n",
			100**s.TrainAccuracy, 100**s.GuessAccuracy, causeList(causes, regularised, "too few epochs", fmt.Sprintf("dead units (%s)", probeAdvice(s))))
	}
}

// causeList writes causes, then regularisation's where the run had some,
// a learning rate far from the usual, and last: "a, b, or c".
func causeList(causes []string, regularised bool, last ...string) string {
	if regularised {
		causes = append(causes, "an --l2, --l1 or --weight-decay far above the usual (1e-5 to 1e-2, 1e-6 to 1e-3, 0.01 to 0.1)")
	}
	causes = append(append(causes, "a learning rate far from the usual"), last...)
	return strings.Join(causes[:len(causes)-1], ", ") + ", or " + causes[len(causes)-1]
}

// writeProbeOut writes the series of epochs' health to --probe-out's file.
func writeProbeOut(path string, health []probe.EpochHealth) error {
	if err := atomicfile.Write(path, 0o644, func(w io.Writer) error { return jsonfmt.Write(w, health) }); err != nil {
		return sysErr(fmt.Errorf("--probe-out: %w", err))
	}
	return nil
}

// epochSpan names the epochs a series of health holds: "epoch 1",
// "epochs 1 to 4".
func epochSpan(health []probe.EpochHealth) string {
	first, last := health[0].Epoch, health[len(health)-1].Epoch
	if first == last {
		return fmt.Sprintf("epoch %d", first)
	}
	return fmt.Sprintf("epochs %d to %d", first, last)
}

// writeHealth prints the last epoch's per-layer health table.
func writeHealth(w io.Writer, h probe.EpochHealth) error {
	fmt.Fprintf(w, "\nlayer health after epoch %d\n", h.Epoch)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "layer\tactivation\tunits\tpre mean\tpre std\tact mean\tact std\tdead\tsaturated\t|dW|\t|dX|\t|ΔW|/|W|\t")
	for _, s := range h.Layers {
		fmt.Fprintf(tw, "%d\t%s\t%d\t%.3g\t%.3g\t%.3g\t%.3g\t%.1f%%\t%.1f%%\t%.3g\t%.3g\t%.3g\t\n", s.Layer, s.Activation, s.Units,
			s.PreMean, s.PreStd, s.ActMean, s.ActStd, 100*s.Dead, 100*s.Saturated, s.WeightGradNorm, s.InputGradNorm, s.UpdateRatio)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, s := range h.Layers {
		if s.Pieces > 0 { // a maxout layer: its units do not die; its pieces may
			fmt.Fprintf(w, "layer %d (maxout): %.1f%% of its %d pieces win on no training row with the epoch's last weights: no gradient from those rows reaches them\n", s.Layer, 100*s.IdlePieces, s.Pieces*s.Units)
		}
	}
	return nil
}

func writeTrainSummary(w io.Writer, s trainSummary, path string) error {
	fmt.Fprintf(w, "network   %s\n", s.Network)
	fmt.Fprintf(w, "epochs    %d", s.Epochs)
	if s.StoppedEarly {
		fmt.Fprintf(w, " (stopped early; weights of epoch %d)", s.BestEpoch)
	}
	if s.TrainSeconds == 0 && s.SamplesPerSecond == 0 { // a resume from the last epoch's checkpoint: none trained here
		fmt.Fprintln(w, ", all before the resume")
	} else {
		fmt.Fprintf(w, ", %s, %.0f samples/s\n", wallTime(s.TrainSeconds), s.SamplesPerSecond)
	}
	fmt.Fprintf(w, "train     loss %s%s, %s\n", lossText(s.TrainLoss), percent(" accuracy", s.TrainAccuracy), plural(s.TrainRows, "row"))
	if s.ValLoss != nil {
		fmt.Fprintf(w, "val       loss %s%s, %s\n", lossText(*s.ValLoss), percent(" accuracy", s.ValAccuracy), plural(s.ValRows, "row"))
	}
	if s.TestLoss != nil {
		fmt.Fprintf(w, "test      loss %s%s, %s\n", lossText(*s.TestLoss), percent(" accuracy", s.TestAccuracy), plural(s.TestRows, "row"))
	}
	_, err := fmt.Fprintf(w, "saved     %s\n", path)
	return err
}

func percent(label string, v *float64) string {
	if v == nil {
		return ""
	}
	return fmt.Sprintf("%s %.2f%%", label, 100**v)
}

// idleFlags finds flags given on the command line that do nothing with the
// chosen optimizer, schedule or activation: a mistake to name, not ignore.
func idleFlags(cmd *cobra.Command, job trainJob) error {
	given := cmd.Flags().Changed
	opt, sched := job.Optimizer.Name, job.Schedule.Name
	// chosen names a flag's value as the user gave it, or as its default.
	chosen := func(flag, value string) string {
		if given(flag) {
			return "--" + flag + " " + value
		}
		return "--" + flag + " " + value + " (the default)"
	}
	switch {
	case given("momentum") && opt != "momentum" && opt != "nesterov":
		return usageError{fmt.Errorf("--momentum does nothing with %s: it is for --optimizer momentum and nesterov", chosen("optimizer", opt))}
	case given("weight-decay") && opt != "adamw":
		return usageError{fmt.Errorf("--weight-decay does nothing with %s: it is --optimizer adamw's (for the others, --l2)", chosen("optimizer", opt))}
	case given("momentum") && job.Optimizer.Momentum == 0: // optim.Config reads 0 as its default, 0.9
		return usageError{fmt.Errorf("--momentum 0 is plain SGD: use --optimizer sgd, or give a momentum above 0 (the default is 0.9)")}
	case given("momentum") && !(job.Optimizer.Momentum > 0 && job.Optimizer.Momentum < 1): // PyTorch takes 1 or more, whose steps grow without bound
		return usageError{fmt.Errorf("--momentum %g: want above 0 and below 1 (the default is 0.9)", job.Optimizer.Momentum)}
	case given("weight-decay") && job.Optimizer.WeightDecay <= 0: // optim.Config reads 0 as its default, 0.01, and below as none
		return usageError{fmt.Errorf("--weight-decay %g: adamw without weight decay is adam; use --optimizer adam, or give a decay above 0 (the default is 0.01)", job.Optimizer.WeightDecay)}
	case given("lr-step") && sched != "step":
		return usageError{fmt.Errorf("--lr-step does nothing with %s: it is for --schedule step", chosen("schedule", sched))}
	case given("lr-gamma") && sched != "step" && sched != "exponential":
		return usageError{fmt.Errorf("--lr-gamma does nothing with %s: it is for --schedule step and exponential", chosen("schedule", sched))}
	case given("maxout-pieces") && job.Act != "maxout":
		return usageError{fmt.Errorf("--maxout-pieces does nothing with %s: it is for --act maxout", chosen("act", job.Act))}
	case job.MLP.Pieces < 2:
		return usageError{fmt.Errorf("--maxout-pieces %d: want 2 or more (one piece is a plain linear unit)", job.MLP.Pieces)}
	case given("prelu-per-unit") && !strings.HasPrefix(job.Act, "prelu"):
		return usageError{fmt.Errorf("--prelu-per-unit does nothing with %s: it is for --act prelu", chosen("act", job.Act))}
	case given("keep") && !given("checkpoint-every"):
		return usageError{fmt.Errorf("--keep does nothing without --checkpoint-every")}
	case job.CheckpointEvery > 0 && job.Epochs >= 1 && job.CheckpointEvery > job.Epochs:
		return usageError{fmt.Errorf("--checkpoint-every %d is more than --epochs %d: no checkpoint would be written (Ctrl-C writes one anyway, where there is a checkpoint path); give at most %d", job.CheckpointEvery, job.Epochs, job.Epochs)}
	case !(job.MLP.Dropout >= 0 && job.MLP.Dropout < 1):
		return usageError{fmt.Errorf("--dropout %g: want a rate from 0 up to (not including) 1", job.MLP.Dropout)}
	}
	return nil
}

// warnNoHidden warns of the flags given that act on hidden layers, where
// --hidden "" leaves none: a warning, not a refusal, as scripts (and the
// PyTorch reference runs' command lines) give --act whatever the widths.
func warnNoHidden(cmd *cobra.Command, job trainJob, probeOut string, w io.Writer) {
	if len(job.Hidden) > 0 {
		return
	}
	given := cmd.Flags().Changed
	for _, f := range []struct {
		flag string
		set  bool
	}{
		{"act", given("act")},
		{"dropout", job.MLP.Dropout > 0},
		{"maxout-pieces", given("maxout-pieces")},
		{"prelu-per-unit", job.MLP.PReLUPerUnit},
		{"probe", job.Probe},
		{"probe-out", probeOut != ""},
	} {
		if f.set {
			fmt.Fprintf(w, "warning: --%s does nothing with --hidden \"\": a network without hidden layers has no activation, dropout or hidden layer to watch\n", f.flag)
		}
	}
}

// checkpointPath is where a run's checkpoints go: given, or --out's path
// with .ckpt added, or none where --out is written in place (a device,
// /dev/stdout: /dev/stdout.ckpt would be a file made in /dev).
func checkpointPath(given, out string) string {
	if given != "" || atomicfile.InPlace(out) {
		return given
	}
	return out + ".ckpt"
}

// checkTrainOutputs refuses, before training, outputs that cannot be
// written or would replace an input or what train prints (standard error,
// or a file a stream was redirected to): --out, the checkpoint (written
// on Ctrl-C too, so checked even without --checkpoint-every) and
// --probe-out. The checkpoint may be the --resume file: it goes on.
func checkTrainOutputs(e env, job trainJob, out, probeOut string) error {
	ckpt, ckptFlag := job.CheckpointPath, "--checkpoint"
	if ckpt == "" {
		ckpt, ckptFlag = checkpointPath("", out), "--checkpoint (by default --out's name and .ckpt)"
	}
	if strings.TrimSpace(out) == "" {
		return usageError{fmt.Errorf("--out is empty; name the model file to write")}
	}
	data, init, resume := [2]string{"--data", job.Data}, [2]string{"--init", job.Init}, [2]string{"--resume", job.Resume}
	outputs := []struct {
		flag, path, example string
		inputs              [][2]string // those it may not replace: --out may replace --init's file (read first), a checkpoint --resume's
	}{
		{"--out", out, "model.safetensors", [][2]string{data, resume}},
		{ckptFlag, ckpt, "model.ckpt", [][2]string{data, init}},
		{"--probe-out", probeOut, "health.json", [][2]string{data, init, resume}},
	}
	for i, o := range outputs {
		if o.path == "" {
			continue
		}
		replaced, probe := true, true
		if o.flag == ckptFlag {
			// Written on Ctrl-C alone (no --checkpoint-every), a checkpoint is
			// written once at most: with --keep 1 or more the one there is
			// renamed down the line first, not replaced (a read-only one
			// may be); its folder is probed only where the user named it.
			once := job.CheckpointEvery == 0
			replaced, probe = !once || job.Keep == 0, !once || job.CheckpointPath != ""
		}
		if writesInto(o.path, e.stderr) {
			return usageError{fmt.Errorf("%s %s is standard error, where train prints its progress and warnings, which would land among the file's bytes; name a file%s", o.flag, o.path, orStdout())}
		}
		if err := checkNotRedirected(e, o.flag, o.path); err != nil { // before checkOut: on Windows the redirection holds the file open, which checkOut would say less well
			return err
		}
		if err := checkOut(o.flag, o.path, o.example, replaced, probe); err != nil {
			return err
		}
		if err := checkNotInput(o.flag, o.path, o.inputs...); err != nil {
			return err
		}
		for _, other := range outputs[:i] {
			if samePlace(o.path, other.path) {
				caseAlone := ""
				if caseOnly(o.path, other.path) {
					caseAlone = " (" + other.path + ": names that differ only in case are one file here)"
				}
				return usageError{fmt.Errorf("%s %s is also %s%s; each output needs a file of its own", o.flag, o.path, other.flag, caseAlone)}
			}
		}
	}
	if err := checkCheckpointFile(job, out, ckpt); err != nil {
		return err
	}
	return checkRotation(ckptFlag, ckpt, job.Keep, job.CheckpointEvery == 0, data, init, [2]string{"--out", out}, [2]string{"--probe-out", probeOut})
}

// lastCheckpointFailed is the error of a run whose model was saved but
// whose checkpoint after the last epoch could not be written (exit 1);
// nil where there was no such failure.
func lastCheckpointFailed(err error, out string) error {
	if err == nil {
		return nil
	}
	return sysErr(fmt.Errorf("checkpoint after the last epoch: %w; the model was saved to %s and holds the run's end (train on from it with --init %s)", err, out, shellArg(out)))
}

// checkRotation refuses, before training, earlier checkpoints' names
// (path.1 to path.keep, which each checkpoint renames down the line) that
// are another file of the run's (inputs: flag, path pairs; the --data
// file would be replaced by a checkpoint), that are not files at all (a
// folder there stopped the run at its first checkpoint, after training)
// or that the system will not replace (read-only or held open, on Windows): where the
// run writes one checkpoint at most (once: on Ctrl-C alone), only those
// the one rotation replaces, whose place above them holds a checkpoint.
func checkRotation(flag, path string, keep int, once bool, inputs ...[2]string) error {
	if path == "" {
		return nil
	}
	path = atomicfile.Target(path) // a link's: the file rotated (writeCheckpoint)
	for k := 1; k <= keep; k++ {
		name := fmt.Sprintf("%s.%d", path, k)
		for _, in := range inputs { // by name too: neither need be there before the first run
			if in[1] != "" && !isBuiltin(in[1]) && samePlace(name, in[1]) {
				return usageError{fmt.Errorf("%s %s: %s, where --keep %d puts an earlier checkpoint, is the %s file, which that would replace; name another checkpoint", flag, path, name, keep, in[0])}
			}
		}
		info, err := os.Lstat(name)
		if err != nil {
			continue
		}
		if !info.Mode().IsRegular() && info.Mode()&os.ModeSymlink == 0 { // a link is renamed as a file is
			return usageError{fmt.Errorf("%s %s: %s, where --keep %d puts an earlier checkpoint, is not a file; move it, or name another checkpoint", flag, path, name, keep)}
		}
		if err := atomicfile.CheckReplace(name); info.Mode().IsRegular() && err != nil && (!once || rotatedOnto(path, k)) {
			return usageError{fmt.Errorf("%s %s: %s, where --keep %d puts an earlier checkpoint, %s, keep fewer (--keep %d), or name another checkpoint", flag, path, name, keep, notReplaced(err, name), k-1)}
		}
	}
	return nil
}

// rotatedOnto reports whether the next checkpoint's rotation renames a
// file onto path.k: whether path.(k-1), or path for k = 1, is there.
func rotatedOnto(path string, k int) bool {
	above := path
	if k > 1 {
		above = fmt.Sprintf("%s.%d", path, k-1)
	}
	_, err := os.Lstat(above)
	return err == nil
}

// checkCheckpointFile refuses a checkpoint that cannot be one: a
// --checkpoint that is not a regular file (a checkpoint's rotation renames
// its path: a device's, /dev/stdout's), and --checkpoint-every with no
// checkpoint path (--out a device, with nothing beside it).
func checkCheckpointFile(job trainJob, out, ckpt string) error {
	switch {
	case job.CheckpointPath != "" && atomicfile.InPlace(job.CheckpointPath):
		return usageError{fmt.Errorf("--checkpoint %s is not a regular file; a checkpoint is a file to resume from: name one such as model.ckpt", job.CheckpointPath)}
	case ckpt == "" && job.CheckpointEvery > 0:
		return usageError{fmt.Errorf("--checkpoint-every %d: --out %s is no file to put a checkpoint beside; name one with --checkpoint", job.CheckpointEvery, out)}
	}
	return nil
}
