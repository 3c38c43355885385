package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/engine"
	"github.com/wigglenn/wiggle/internal/jsonfmt"
	"github.com/wigglenn/wiggle/lab"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/train"
)

func newCompareCmd(e env) *cobra.Command {
	cfg := lab.DefaultCompareConfig()
	var acts []string
	var hidden, plotDir string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "compare",
		Short: "Train the same network once per activation and compare them side by side",
		Long: `Train the same small MLP on the CS231n spiral (3 classes, 100 points each,
generated from --seed; a fifth held out for validation) once per activation,
from the same initial weights and in the same batch order, --seeds times
(seeds --seed, --seed+1, ...), and print one table of medians with their
range over the seeds:

  loss         mean softmax cross-entropy on the training points at the end
  accuracy     training accuracy at the end
  val          accuracy on the held-out points
  to 90%       the first epoch after which training accuracy reached 90%
               (of the runs that did, and how many did, if not all)
  dead         hidden units whose output is 0 on every training point
  dead init    the same at the initial weights, before the first step
  saturated    hidden unit-examples where f' is below 1% of its largest on
               a part of the curve that flattens towards an asymptote (as
               'wiggle act list' says where each saturates): relu's flat side
               is off, and counts as dead, not saturated
  |dW1| init   gradient norm of the first layer's weights at initialisation
  time         wall time of one run's training

--plot DIR also draws the loss curves and each activation's decision regions.
A run that diverges is counted as such in its row; when every run of every
activation diverged, nothing was compared and the exit status is 3, as for
a training that diverged.

Activations are given by name, with parameters if wanted:
--acts relu,tanh,'leaky_relu(negative_slope=0.2)'.`,
		Example: `  wiggle compare
  wiggle compare --acts sigmoid,tanh,relu --hidden 16,16,16 --epochs 300`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if cfg.Hidden, err = parseWidths(hidden); err != nil {
				return usageError{fmt.Errorf("--hidden %q: %v", hidden, err)}
			}
			if cfg.Acts, err = actsFlag(acts, "name at least one activation (see 'wiggle act list')"); err != nil {
				return err
			}
			if err := sameRows(cfg.Acts); err != nil {
				return err
			}
			spiral, err := loadData(e.ctx, "spiral", loadOptions{Seed: cfg.Seed}) // as `wiggle data gen spiral --seed`
			if err != nil {
				return err
			}
			if cfg.Seeds < 1 || cfg.Seeds > lab.MaxSeeds {
				return usageError{fmt.Errorf("--seeds %d: want 1 to %d", cfg.Seeds, lab.MaxSeeds)}
			}
			if last := cfg.Seed + uint64(cfg.Seeds-1); last < cfg.Seed { // the seeds would wrap round to 0
				return usageError{fmt.Errorf("--seed %d with --seeds %d: the seeds would pass %d; start from %d or lower", cfg.Seed, cfg.Seeds, uint64(math.MaxUint64), uint64(math.MaxUint64)-uint64(cfg.Seeds-1))}
			}
			if cfg.Epochs < 1 || cfg.Epochs > lab.MaxCompareEpochs {
				return usageError{fmt.Errorf("--epochs %d: want 1 to %d", cfg.Epochs, lab.MaxCompareEpochs)}
			}
			cfg.Nets = plotDir != ""       // the plots draw each row's median network
			cfg.Workers = engine.Threads() // runs at once: --threads, or every core
			if spec := nn.NewMLPSpec(spiral.Train.X.Cols, cfg.Hidden, spiral.Train.Classes, "relu", nn.MLPOptions{}); spec.CheckSize() == nil {
				if err := checkRoom("--hidden "+hidden, compareRemedy(cfg), spec.Params(), compareCopies(cfg)); err != nil {
					return err
				}
			}
			cfg.Context = e.ctx // Ctrl-C stops the runs at their next epoch
			if cmd.Flags().Changed("plot") && strings.TrimSpace(plotDir) == "" {
				return usageError{fmt.Errorf("--plot is empty; name a folder for the plots, or leave the flag out")}
			}
			if plotDir != "" {
				if err := checkOutDir("--plot", plotDir); err != nil {
					return err
				}
				if err := checkNoFolders("--plot", plotDir, comparePlots); err != nil {
					return err
				}
			}
			rows, err := lab.Compare(cfg, spiral.Train)
			var option *train.OptionError
			if errors.As(err, &option) {
				return flagError(err) // --lr, --momentum, --epochs, --batch
			}
			var size *nn.SizeError
			if errors.As(err, &size) {
				return usageError{fmt.Errorf("--hidden %s: the network would have %.4g parameters; wiggle builds at most %d (1 GiB of weights)", hidden, size.Params, nn.MaxParams)}
			}
			if err != nil {
				return usageError{err}
			}
			var plotErr error // said after the table: the runs' figures are not lost with the plots
			if plotDir != "" {
				plotErr = writeComparePlots(e.ctx, plotDir, rows, spiral.Train)
			}
			if asJSON {
				settings := cfg
				settings.Hidden = append([]int{}, cfg.Hidden...) // [] rather than null for none
				err = sysErr(jsonfmt.Write(e.stdout, compareJSON{Settings: settings, Rows: rows}))
			} else {
				err = sysErr(writeCompare(e.stdout, rows, cfg))
			}
			if err != nil {
				return err
			}
			plotErr = plotsNotWritten(e.ctx, "--plot", plotErr)
			if plotDir != "" && plotErr == nil && !asJSON { // as act plot names the files it wrote
				for _, name := range comparePlots {
					fmt.Fprintf(e.stdout, "wrote %s\n", filepath.Join(plotDir, name))
				}
			}
			if err := everyRunDiverged(rows, cfg.LR); err != nil { // its exit status, 3, rules; the plots' failure is said too
				if plotErr != nil {
					fmt.Fprintf(e.stderr, "wiggle: %v\n", plotErr)
				}
				return err
			}
			return plotErr
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&acts, "acts", lab.DefaultCompareActs, "activations to compare, names or specs, comma-separated or repeated, each once")
	f.StringVar(&hidden, "hidden", joinInts(cfg.Hidden), `hidden layer widths, comma-separated; "" for none`)
	f.IntVar(&cfg.Epochs, "epochs", cfg.Epochs, "passes over the training set")
	f.IntVar(&cfg.Batch, "batch", cfg.Batch, "examples per SGD step")
	f.Float64Var(&cfg.LR, "lr", cfg.LR, "learning rate")
	f.Float64Var(&cfg.Momentum, "momentum", cfg.Momentum, "SGD momentum (0 for plain SGD)")
	f.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "seed of the data, the initial weights and the batch order")
	f.IntVar(&cfg.Seeds, "seeds", cfg.Seeds, "runs per activation, from seeds --seed, --seed+1, ...; the table gives medians and ranges")
	f.StringVar(&plotDir, "plot", "", "write loss curves and decision regions (PNG) to this folder (made if missing)")
	f.BoolVar(&asJSON, "json", false, "print the settings and the rows as JSON instead of a table")
	return cmd
}

// compareJSON is what `compare --json` prints: the settings, then a row
// per activation.
type compareJSON struct {
	Settings lab.CompareConfig `json:"settings"`
	Rows     []lab.CompareRow  `json:"rows"`
}

// writeCompare prints the table between a line of its settings and a
// legend of its columns.
func writeCompare(w io.Writer, rows []lab.CompareRow, cfg lab.CompareConfig) error {
	over := fmt.Sprintf("medians (and ranges) over %d seeds from %d", cfg.Seeds, cfg.Seed)
	if cfg.Seeds == 1 {
		over = fmt.Sprintf("one run each, seed %d", cfg.Seed)
	}
	fmt.Fprintf(w, "%s MLP on the spiral (300 points, 3 classes, %.0f%% held out); SGD lr %g momentum %g, batch %d, %s; %s\n\n",
		widths(append(append([]int{2}, cfg.Hidden...), 3)), 100*cfg.Val, cfg.LR, cfg.Momentum, cfg.Batch, plural(cfg.Epochs, "epoch"), over)
	if len(cfg.Hidden) == 0 {
		fmt.Fprint(w, "no hidden layer (--hidden \"\"): the activations have nothing to act on, and every row is the same linear classifier\n\n")
	}
	if err := writeCompareTable(w, rows, cfg); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, "\nloss, accuracy: training points at the end; val: held-out points; to 90%: first epoch at 90% training accuracy\n"+
		"(\"22 (2 of 3 runs)\": the median of the two that did; the third never got there); dead: hidden units 0 on every point,\n"+
		"at the end (dead init: at the initial weights, before the first step; training may kill more, and bring some back);\n"+
		"saturated: unit-examples on a flattening tail (relu's off side is dead,\n"+
		"not saturated); |dW1| init: the first layer's gradient norm at the initial weights;\n"+
		"time: wall time of a run's training, runs sharing the cores (the first runs also warm the caches: compare times with\n"+
		"--seeds above 1, or with wiggle bench)."+stepNote(rows))
	return err
}

// stepNote explains a step row (an activation flat everywhere, as the
// catalogue's largest slope of 0 says), whose figures would otherwise read
// as a step network learning: its f' is 0, so no gradient passes its
// units and only the last layer trains, on the hidden layers' first,
// random features.
func stepNote(rows []lab.CompareRow) string {
	for _, r := range rows {
		if f, err := act.Parse(r.Act); err == nil && flatEverywhere(f) {
			return "\nstep: f' is 0 everywhere, so backpropagation passes nothing through its units (|dW1| init 0): only the output\n" +
				"layer learns, on the 0/1 features its random first layers give; its accuracy is theirs, not learnt by the hidden layers."
		}
	}
	return ""
}

// flatEverywhere reports whether f′ ≡ 0, as the catalogue has it.
func flatEverywhere(f act.Func) bool {
	info, known := act.Lookup(f.Name())
	return known && info.MaxSlope == 0
}

// everyRunDiverged returns an *allDivergedError (exit 3, as a training
// that diverged) when no run of any activation finished: the table holds
// no figure to compare.
func everyRunDiverged(rows []lab.CompareRow, lr float64) error {
	if allDiverged(rows) {
		return &allDivergedError{lr: lr}
	}
	return nil
}

// allDiverged reports whether every run of every row diverged.
func allDiverged(rows []lab.CompareRow) bool {
	return !slices.ContainsFunc(rows, func(r lab.CompareRow) bool { return r.Diverged < r.Runs })
}

type allDivergedError struct{ lr float64 }

func (e *allDivergedError) Error() string {
	return fmt.Sprintf("every run diverged (its loss became NaN or infinite, or grew past %d times its first batch's), so nothing was compared; try a smaller --lr than %g", train.Explosion, e.lr)
}

func writeCompareTable(w io.Writer, rows []lab.CompareRow, cfg lab.CompareConfig) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	// A row some of whose runs diverged says, by its name, of how many
	// runs its figures are: a row copied alone keeps it.
	name := func(r lab.CompareRow) string {
		if r.Diverged > 0 && r.Diverged < r.Runs {
			return fmt.Sprintf("%s (%d of %d)", r.Act, r.Runs-r.Diverged, r.Runs)
		}
		return r.Act
	}
	nameWidth := len("activation")
	for _, r := range rows {
		nameWidth = max(nameWidth, len(name(r)))
	}
	fmt.Fprintf(tw, "%-*s\tloss\taccuracy\tval\tto %.0f%%\tdead\tdead init\tsaturated\t|dW1| init\ttime\t\n", nameWidth, "activation", 100*cfg.Target)
	var diverged []string
	for _, r := range rows {
		if r.Diverged > 0 {
			diverged = append(diverged, fmt.Sprintf("%s %d of %d", r.Act, r.Diverged, r.Runs))
		}
		if r.Diverged == r.Runs {
			fmt.Fprintf(tw, "%-*s\tdiverged\t-\t-\t-\t-\t-\t-\t-\t-\t\n", nameWidth, r.Act)
			continue
		}
		reached := "never"
		switch {
		case r.Reached == r.Runs-r.Diverged: // every run that finished
			reached = fmt.Sprintf("%.0f %s", r.EpochsToTarget.Median, rangeOf(r.EpochsToTarget, "%.0f", 1))
		case r.Reached > 0: // the median of those that did
			reached = fmt.Sprintf("%.0f (%d of %d runs)", r.EpochsToTarget.Median, r.Reached, r.Runs)
		}
		fmt.Fprintf(tw, "%-*s\t%.4f %s\t%.1f%% %s\t%.1f%% %s\t%s\t%.1f%%\t%.1f%%\t%.1f%%\t%.3g\t%s\t\n", nameWidth, name(r),
			r.Loss.Median, rangeOf(r.Loss, "%.3f", 1), 100*r.Accuracy.Median, rangeOf(r.Accuracy, "%.1f", 100),
			100*r.ValAccuracy.Median, rangeOf(r.ValAccuracy, "%.1f", 100), reached,
			100*r.Dead.Median, 100*r.DeadInit.Median, 100*r.Saturated.Median, r.GradNorm.Median, wallTime(r.Seconds.Median))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	switch {
	case allDiverged(rows):
		_, err := fmt.Fprintf(w, "\ndiverged, every run (the loss became NaN or infinite, or grew past %d times its first batch's; try a smaller --lr): %s\n", train.Explosion, strings.Join(diverged, ", "))
		return err
	case len(diverged) > 0:
		_, err := fmt.Fprintf(w, "\ndiverged (the loss became NaN or infinite, or grew past %d times its first batch's; a row's figures are of its runs that did not, their count by its name; try a smaller --lr): %s\n", train.Explosion, strings.Join(diverged, ", "))
		return err
	}
	return nil
}

// rangeOf prints a spread's range, "(lo–hi)", scaled; nothing when all runs
// agree.
func rangeOf(s lab.Spread, format string, scale float64) string {
	lo, hi := fmt.Sprintf(format, scale*s.Min), fmt.Sprintf(format, scale*s.Max)
	if lo == hi {
		return ""
	}
	return "(" + lo + "–" + hi + ")"
}

// compareCopies are the copies of a network lab.Compare may hold at once
// for cfg's runs: the weights and gradients of each run kept to the end for
// the plots (cfg.Nets), or else of each run trained at once, and as much
// again, as Go lets its heap grow to about twice what is live before it
// collects the runs' buffers (momentum's, where it is on); compare of 2048
// units ran out with 1.48 GB of heap in use, 0.81 GB of it its networks.
// And a network that checks the data.
func compareCopies(cfg lab.CompareConfig) copies {
	runs, atOnce := cfg.Runs()
	held := fmt.Sprintf("the weights and gradients of %s, kept for the plots", plural(runs, "run"))
	if !cfg.Nets {
		runs = atOnce
		held = fmt.Sprintf("the weights and gradients of the %s trained at once", plural(atOnce, "run"))
	}
	return copies{4*runs + 2, []string{held + ", and as much again for the buffers Go collects late", "a network that checks the data"}}
}

// compareRemedy says what lowers compareCopies for cfg: narrower layers
// always; with the plots, fewer runs, or leaving them out where fewer
// train at once; without, fewer at once.
func compareRemedy(cfg lab.CompareConfig) string {
	runs, atOnce := cfg.Runs()
	remedies := []string{"choose narrower layers"}
	switch {
	case cfg.Nets && runs > 1:
		remedies = append(remedies, "fewer --acts or --seeds")
		if runs > atOnce {
			remedies = append(remedies, "leave out --plot")
		}
	case !cfg.Nets && atOnce > 1:
		remedies = append(remedies, "fewer runs at once (--threads 1)")
	}
	return strings.Join(remedies, ", or ")
}

// actsFlag reads --acts, given once or more: the activation specs, each
// checked by act.Parse and written canonically (canonicalSpec). An empty entry ("relu,,tanh", "relu,") and an
// activation named twice, in any spelling ("leaky_relu" and
// "leaky_relu(negative_slope=0.01)"), are refused; an empty flag is
// refused with the hint ifEmpty.
func actsFlag(values []string, ifEmpty string) ([]string, error) {
	unquoted := make([]string, len(values))
	for i, v := range values {
		unquoted[i] = strings.ReplaceAll(v, "'", "") // cmd.exe's, around the list or each spec ('relu','tanh'); no spec holds one
	}
	specs := splitSpecs(unquoted)
	if strings.Join(specs, "") == "" {
		return nil, usageError{fmt.Errorf("--acts is empty; %s", ifEmpty)}
	}
	first := map[string]int{} // the activation's full spec → entry
	var canonical []string
	for i, spec := range specs {
		if spec == "" {
			return nil, usageError{fmt.Errorf("--acts %s: entry %d is empty; name an activation between each two commas", quotedValues(values), i+1)}
		}
		if name, _, _ := strings.Cut(spec, "("); strings.EqualFold(strings.TrimSpace(name), "maxout") {
			return nil, usageError{fmt.Errorf("--acts: maxout is a layer, not a function of one number: each unit takes the largest of its linear pieces, each with weights of its own, " +
				"so it cannot start from the others' weights or be timed element by element; train it with wiggle train --act maxout --probe")}
		}
		f, err := act.Parse(spec)
		if err != nil {
			return nil, usageError{fmt.Errorf("--acts: %w", err)}
		}
		if j, seen := first[f.String()]; seen {
			return nil, usageError{fmt.Errorf("--acts: entries %d (%s) and %d (%s) are the same activation; name each once", j+1, specs[j], i+1, spec)}
		}
		first[f.String()] = i
		canonical = append(canonical, canonicalSpec(spec, f))
	}
	return canonical, nil
}

// sameRows refuses, for compare, two of --acts (canonical specs, as
// actsFlag returns them) that compute the same numbers, forward and
// backward, at every probe point: two spellings of one function
// (gelu(approximate=tanh) is gelu_tanh; celu(alpha=1) is elu), whose rows
// would train alike. (bench times such pairs, each beside its PyTorch
// form.)
func sameRows(specs []string) error {
	numbers := make([][]uint32, len(specs))
	for i, spec := range specs {
		f, err := act.Parse(spec)
		if err != nil {
			return usageError{fmt.Errorf("--acts: %w", err)}
		}
		numbers[i] = probeBits(f)
		for j := range i {
			if slices.Equal(numbers[i], numbers[j]) {
				return usageError{fmt.Errorf("--acts: entries %d (%s) and %d (%s) compute the same numbers, forward and backward, and would train alike; name one, or give it other parameters", j+1, specs[j], i+1, spec)}
			}
		}
	}
	return nil
}

// probeBits returns the bits of f and f′ at 130 points from −12.16 to 12.16,
// past every kink and bend of the catalogue.
func probeBits(f act.Func) []uint32 {
	x := make([]float32, 0, 130)
	for i := -64; i <= 64; i++ {
		x = append(x, float32(i)*0.19)
	}
	x = append(x, 1e-3)
	y, dX, dOut := make([]float32, len(x)), make([]float32, len(x)), make([]float32, len(x))
	for i := range dOut {
		dOut[i] = 1
	}
	f.Forward(y, x)
	f.Backward(dX, dOut, x, y)
	bits := make([]uint32, 0, 2*len(x))
	for _, v := range append(y, dX...) {
		bits = append(bits, math.Float32bits(v))
	}
	return bits
}

// canonicalSpec writes an activation as the catalogue names it: a bare name
// or alias as the name ("swish" is "silu"), a spec with parameters as the
// activation writes itself ("elu(alpha=1.0)" is "elu(alpha=1)"), as train
// writes --act.
func canonicalSpec(spec string, f act.Func) string {
	if !strings.Contains(spec, "(") {
		return f.Name()
	}
	return f.String()
}

// quotedValues shows a flag's values as given: "relu,,tanh", or
// "relu" --acts "" for a flag given twice.
func quotedValues(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = strconv.Quote(v)
	}
	return strings.Join(quoted, " --acts ")
}

// splitSpecs splits activation specs at commas outside parentheses, so
// "relu,softplus(beta=2, threshold=10)" is two specs, trimmed; empty
// entries stay, as "". A parenthesis left open keeps the rest of its value
// as one spec, for act.Parse to refuse ("relu,softplus(beta=2" gives
// "relu" and "softplus(beta=2").
func splitSpecs(values []string) []string {
	var specs []string
	add := func(s string) { specs = append(specs, strings.TrimSpace(s)) }
	for _, v := range values {
		depth, start := 0, 0
		for i, c := range v {
			switch {
			case c == '(':
				depth++
			case c == ')':
				depth = max(depth-1, 0) // a stray ")" is act.Parse's to refuse
			case c == ',' && depth <= 0:
				add(v[start:i])
				start = i + 1
			}
		}
		add(v[start:])
	}
	return specs
}

// parseWidths reads "32,32" as layer widths; "" is no layer.
func parseWidths(s string) ([]int, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	parts := strings.Split(s, ",")
	widths := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("width %d is %q; want whole numbers of at least 1, comma-separated, such as 16,16", i+1, p)
		}
		widths[i] = n
	}
	return widths, nil
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

func widths(v []int) string { return strings.ReplaceAll(joinInts(v), ",", "-") }
