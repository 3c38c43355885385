package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/internal/atomicfile"
	"github.com/wigglenn/wiggle/internal/numtext"
	"github.com/wigglenn/wiggle/internal/quote"
	"github.com/wigglenn/wiggle/internal/utf16text"
	"github.com/wigglenn/wiggle/plot"
)

func newActCmd(e env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "act",
		Short: "The activation catalogue: list, evaluate and plot activation functions",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newActListCmd(e), newActEvalCmd(e), newActPlotCmd(e))
	return cmd
}

func newActListCmd(e env) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "Print every activation with its properties",
		Long: `Print the catalogue: each activation's name and the others it answers
to (swish is silu: every command takes them, and writes the name), its
range, whether it is zero-centred
(odd), where it saturates (where f' tends to 0 as |x| grows), whether it
is monotonic, its largest slope max|f'|, the stretches of x where its
derivative is exactly 0 (single points, such as the minimum of gelu, silu
or mish, or hardswish's at -1.5, are not listed), and its parameters with
PyTorch's defaults.

Where f and f' are both exactly 0 over a side (relu's x <= 0, hardswish's
x < -3), a unit is off there rather than saturated, and SATURATES says so
("no (x -> -inf: off)" for relu): wiggle's measures
(compare, train --probe, the lab, the playground) count a unit off on
every example as dead, and none of its off side as saturated, as CS231n
has it (relu does not saturate).`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			return sysErr(writeActTable(e.stdout, act.Catalogue()))
		},
	}
}

func writeActTable(w io.Writer, infos []act.Info) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tALSO\tRANGE\tZERO-CENTRED\tSATURATES\tMONOTONIC\tMAX|f'|\tf'=0 WHERE\tPARAMETERS")
	for _, info := range infos {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%.4g\t%s\t%s\n", info.Name, orDash(strings.Join(info.Aliases, ", ")), info.Range, yesNo(info.ZeroCentred),
			info.Saturation(), yesNo(info.Monotonic), info.MaxSlope, info.FlatWhere, paramList(info.Params))
	}
	return tw.Flush()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// orDash is s, or "-" for nothing.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func paramList(params []act.Param) string {
	parts := make([]string, len(params))
	for i, p := range params {
		parts[i] = p.Name + "=" + p.Default
	}
	return orDash(strings.Join(parts, " "))
}

func newActEvalCmd(e env) *cobra.Command {
	var params []string
	cmd := &cobra.Command{
		Use:   "eval NAME",
		Short: "Evaluate an activation and its derivative on numbers from standard input",
		Long: `Read numbers from standard input, one per line (UTF-8 text, or UTF-16 with
its byte-order mark, as Windows PowerShell 5's > saves it), and write
"y dy" per line: f(x) and f'(x) in float32, each printed with %.9g so that
strconv.ParseFloat gives back the exact float32 value (NaN, +Inf and -Inf as
such).

Parameters go by PyTorch's names, e.g. --param negative_slope=0.2 or, as
--act takes them, 'leaky_relu(negative_slope=0.2)'; those left out take
PyTorch's defaults. 'wiggle act list' shows every name and parameter.
Nothing is written unless every line reads; blank lines may end the
input, not come between numbers (each output line answers an input line).`,
		Example: actEvalExample(runtime.GOOS),
		Args:    exactArgs(1, "NAME, the activation to evaluate (see 'wiggle act list')"),
		RunE: func(_ *cobra.Command, args []string) error {
			args[0] = strings.TrimSpace(specArg(args[0])) // as --act and --acts take a name
			f, err := act.New(args[0], params...)
			if strings.Contains(args[0], "(") { // a spec, as --act and --acts take them
				if len(params) > 0 {
					return usageError{fmt.Errorf("%s: give the parameters in the spec or with --param, not both", args[0])}
				}
				f, err = act.Parse(args[0])
			}
			if err != nil {
				return usageError{err}
			}
			x, err := readNumbersUntil(e.ctx, e.stdin, "standard input")
			if err != nil {
				return err
			}
			return sysErr(writeEval(e.stdout, f, x))
		},
	}
	cmd.Flags().StringArrayVar(&params, "param", nil, "a parameter as key=value, by PyTorch's name (repeatable)")
	return cmd
}

// readNumbersUntil is readNumbers that returns ctx's error once ctx is
// done (Ctrl-C), though the read goes on: one from a terminal waits for
// a line, and the first Ctrl-C had been heard only after it.
func readNumbersUntil(ctx context.Context, r io.Reader, source string) ([]float32, error) {
	return untilDone(ctx, func() ([]float32, error) { return readNumbers(r, source) })
}

// readNumbers reads one float32 per line. The error names the line.
func readNumbers(r io.Reader, source string) ([]float32, error) {
	var x []float32
	text := &readErr{r: utf16text.NewReader(r)} // Windows PowerShell 5's > saves UTF-16
	sc := bufio.NewScanner(text)
	sc.Split(func(data []byte, atEOF bool) (int, []byte, error) {
		if atEOF && text.err != nil && bytes.IndexByte(data, '\n') < 0 {
			return 0, nil, text.err // broken within this line: the line is not whole, so not read
		}
		return bufio.ScanLines(data, atEOF)
	})
	line, blank, ctrlZ := 0, 0, 0 // blank: the first of the blank lines just read, allowed at the end alone; ctrlZ: a line of DOS's end-of-file mark among them
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff") // a byte-order mark, as Notepad saves
		}
		if line == 1 && strings.HasPrefix(text, "\x1f\x8b") {
			return nil, fmt.Errorf("%s: not a text file (it is gzipped); want one number per line", source)
		}
		if strings.IndexByte(text, 0) >= 0 {
			return nil, fmt.Errorf("%s, line %d: a NUL byte, which text does not hold (a binary file?); want one number per line", source, line)
		}
		text = strings.TrimSpace(text)
		if strings.Trim(text, "\x1a") == "" { // blank, or DOS's end-of-file mark (Ctrl-Z), which copy a+b writes: at the end alone
			blank = cmp.Or(blank, line)
			if text != "" {
				ctrlZ = cmp.Or(ctrlZ, line)
			}
			continue
		}
		if ctrlZ != 0 { // unseen in an editor: named, not called empty
			return nil, fmt.Errorf("%s, line %d: a Ctrl-Z (the byte 0x1A, DOS's end-of-file mark, which copy a+b writes between files) among the numbers; remove it, or join the files with copy /b a+b", source, ctrlZ)
		}
		if blank != 0 { // an output line for each input line: no gaps
			return nil, fmt.Errorf("%s, line %d: is empty; want one number per line (blank lines only at the end), such as 0.5, -3e2, NaN, +Inf or -Inf", source, blank)
		}
		v, err := strconv.ParseFloat(text, 32)
		if hint := numtext.Hint(text); err != nil || hint != "" {
			what := "is not a number"
			if hint != "" {
				what = "is not a decimal number (" + hint + ")"
			} else if numErr, ok := err.(*strconv.NumError); ok && numErr.Err == strconv.ErrRange {
				what = "is outside the float32 range (about ±3.4e38)"
			}
			return nil, fmt.Errorf("%s, line %d: %s %s; want one number per line, such as 0.5, -3e2, NaN, +Inf or -Inf", source, line, quote.Short(text), what)
		}
		x = append(x, float32(v))
	}
	if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		return nil, fmt.Errorf("%s, line %d: longer than %d KB; want one number per line", source, line+1, bufio.MaxScanTokenSize/1024)
	} else if errors.Is(err, utf16text.ErrNotText) {
		return nil, fmt.Errorf("%s: %w; want one number per line", source, err)
	} else if err != nil {
		return nil, fmt.Errorf("%s, line %d: %w", source, line+1, err)
	}
	return x, nil
}

// readErr is r, keeping its error other than io.EOF: where the text broke.
type readErr struct {
	r   io.Reader
	err error
}

func (e *readErr) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		e.err = err
	}
	return n, err
}

func writeEval(w io.Writer, f act.Func, x []float32) error {
	y, dy := act.Eval(f, x)
	bw := bufio.NewWriter(w)
	for i := range x {
		fmt.Fprintf(bw, "%s %s\n", formatFloat32(y[i]), formatFloat32(dy[i]))
	}
	return bw.Flush()
}

// formatFloat32 prints v with %.9g, enough digits to read the exact float32
// back, and NaN, +Inf, -Inf by name.
func formatFloat32(v float32) string {
	switch f := float64(v); {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "+Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	default:
		return fmt.Sprintf("%.9g", f)
	}
}

func newActPlotCmd(e env) *cobra.Command {
	var out string
	var from, to float64
	cmd := &cobra.Command{
		Use:   "plot [NAME...]",
		Short: "Draw f and f' of activations as PNG files",
		Long: `Draw each named activation (all of them when none is named) with its
derivative into DIR/NAME.png, and all of them together into DIR/grid.png.
A name may carry parameters, as --act takes them:
'leaky_relu(negative_slope=0.2)' is drawn into DIR/leaky_relu.png.
The folder is created if needed; each file is replaced whole. Without
--from and --to each activation gets a range that shows its shape
(-6 to 6 for most, -8 to 8 for relu6; with other parameters, as far as
its derivative is still on its way: -14 to 14 for
'hardtanh(min_val=-10, max_val=10)'); with either, one range for all
(the other end -6 or 6), within ±1e6 and wide enough for float32 to show
a curve.`,
		Example: `  wiggle act plot --out plots
  wiggle act plot sigmoid tanh relu --out plots --from -8 --to 8
  wiggle act plot 'leaky_relu(negative_slope=0.2)' --out plots`,
		RunE: func(cmd *cobra.Command, args []string) error {
			own := !cmd.Flags().Changed("from") && !cmd.Flags().Changed("to") // each activation its own range
			if own {
				from, to = plot.DefaultRange.Min, plot.DefaultRange.Max
			}
			if err := checkPlotRange(from, to, cmd.Flags().Changed); err != nil {
				return err
			}
			names := args
			if len(names) == 0 {
				names = act.Names()
			}
			funcs, err := parsePlotted(names)
			if err != nil {
				return err
			}
			if strings.TrimSpace(out) == "" {
				return usageError{fmt.Errorf("--out is empty; name the folder for the plots (the default is act-plots)")}
			}
			if err := checkOutDir("--out", out); err != nil {
				return err
			}
			if err := checkNoFolders("--out", out, plotFiles(funcs)); err != nil {
				return err
			}
			written, err := plotActivations(e.ctx, out, funcs, plot.Range{Min: from, Max: to}, own)
			for _, path := range written {
				fmt.Fprintln(e.stdout, path)
			}
			return err
		},
	}
	cmd.Flags().StringVar(&out, "out", "act-plots", "the folder to write the PNG files into")
	from, to = plot.DefaultRange.Min, plot.DefaultRange.Max
	cmd.Flags().Float64Var(&from, "from", from, "the smallest x drawn, for every activation (without --from and --to, each activation's own range)")
	cmd.Flags().Float64Var(&to, "to", to, "the largest x drawn, for every activation (without --from and --to, each activation's own range)")
	return cmd
}

// The window act plot draws: within ±1e6, past which the axis labels are
// unreadable and every activation is flat or a straight line, and wide
// enough for float32 to show a curve in it: 1e-4, and a thousand float32
// steps at its ends (the samples, 961, are float32).
const (
	plotReach     = 1e6
	plotNarrowest = 1e-4
	plotSteps     = 1000
)

// checkPlotRange refuses a --from and --to that make no readable plot.
func checkPlotRange(from, to float64, given func(flag string) bool) error {
	flags := plotRangeText(from, to, given)
	if !(from < to) || math.IsInf(from, 0) || math.IsInf(to, 0) {
		return usageError{fmt.Errorf("%s: want finite numbers with from < to", flags)}
	}
	if from < -plotReach || to > plotReach {
		return usageError{fmt.Errorf("%s: want both within ±%g; choose a narrower --from and --to", flags, plotReach)}
	}
	far := float32(max(math.Abs(from), math.Abs(to)))
	step := float64(math.Nextafter32(far, float32(math.Inf(1))) - far)
	if narrowest := max(plotNarrowest, plotSteps*step); to-from < narrowest {
		return usageError{fmt.Errorf("%s: want them at least %.3g apart there, for float32 to show a curve; choose a wider --from and --to", flags, narrowest)}
	}
	return nil
}

// plotRangeText is "--from 7 --to 6", an end the user left out marked as
// the default it is.
func plotRangeText(from, to float64, given func(flag string) bool) string {
	end := func(flag string, v float64) string {
		if given(flag) {
			return fmt.Sprintf("--%s %g", flag, v)
		}
		return fmt.Sprintf("--%s %g (the default)", flag, v)
	}
	return end("from", from) + " " + end("to", to)
}

// specArg is an activation's name or spec as typed, without the single
// quotes around it that the help's examples show
// ('leaky_relu(negative_slope=0.2)'): sh and PowerShell take them off,
// cmd.exe passes them on.
func specArg(s string) string {
	t := strings.TrimSpace(s)
	if len(t) >= 2 && t[0] == '\'' && t[len(t)-1] == '\'' {
		return t[1 : len(t)-1]
	}
	return s
}

// parsePlotted reads act plot's arguments, names or specs, refusing two
// that would be drawn into one file.
func parsePlotted(specs []string) ([]act.Func, error) {
	funcs := make([]act.Func, len(specs))
	seen := map[string]string{}
	for i, spec := range specs {
		spec = specArg(spec)
		f, err := act.Parse(spec)
		if err != nil {
			return nil, usageError{err}
		}
		if first, ok := seen[f.Name()]; ok {
			return nil, usageError{fmt.Errorf("%s and %s would both be drawn into %s.png; plot them one at a time, into separate --out folders", first, spec, f.Name())}
		}
		seen[f.Name()] = spec
		funcs[i] = f
	}
	return funcs, nil
}

// plotFiles names the files act plot writes for funcs: one for each, in
// their order, then the grid of all.
func plotFiles(funcs []act.Func) []string {
	var names []string
	for _, f := range funcs {
		names = append(names, f.Name()+".png")
	}
	return append(names, "grid.png")
}

// plotActivations writes one PNG per Func and a grid of all, over r or,
// with own, each over its own range (plot.RangeFor), and returns the
// paths written. Every plot is drawn before the folder is made, and the
// files go in as a set (atomicfile.WriteAll): a range one cannot draw, a
// disk that fills or a Ctrl-C leaves the folder as it was, an earlier
// set's plots whole rather than mixed with this one's.
func plotActivations(ctx context.Context, dir string, funcs []act.Func, r plot.Range, own bool) ([]string, error) {
	plots := make([]*gplot.Plot, len(funcs))
	for i, f := range funcs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		fr := r
		if own { // no --from, --to: each activation's own range
			fr = plot.RangeFor(f)
		}
		p, err := plot.Activation(f, fr)
		if err != nil {
			return nil, usageError{fmt.Errorf("%s from %g to %g: %v; choose a narrower --from and --to", f, fr.Min, fr.Max, err)}
		}
		plots[i] = p
	}
	files := plotFiles(funcs)
	var entries []atomicfile.Entry
	for i, p := range plots {
		entries = append(entries, atomicfile.Entry{Name: files[i], Write: func(w io.Writer) error { return plot.WritePNG(w, p, 8*vg.Inch, 5*vg.Inch) }})
	}
	entries = append(entries, atomicfile.Entry{Name: files[len(plots)], Write: func(w io.Writer) error {
		return plot.WriteGridPNG(w, plots, min(len(plots), 4), 5*vg.Inch, 3.4*vg.Inch)
	}})
	if err := atomicfile.WriteAll(ctx, dir, entries); err != nil {
		return placed(dir, files, err), plotsNotWritten(ctx, "--out", err)
	}
	return placed(dir, files, nil), nil
}

// placed is the paths of files in dir that a set's writing put in place:
// all, with no error; those a *atomicfile.SetError counts.
func placed(dir string, files []string, err error) []string {
	n := len(files)
	var set *atomicfile.SetError
	if errors.As(err, &set) {
		n = set.Placed
	} else if err != nil {
		n = 0
	}
	paths := make([]string, n)
	for i := range paths {
		paths[i] = filepath.Join(dir, files[i])
	}
	return paths
}

// plotsNotWritten is the error of a set of plots that did not all go in,
// into the folder flag named: the machine's failure, exit 1, unless
// Ctrl-C stopped it; nil for none.
func plotsNotWritten(ctx context.Context, flag string, err error) error {
	if err == nil || ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return err
	}
	return sysErr(fmt.Errorf("%s: %w", flag, err))
}

// noArgs refuses arguments to a command that takes only flags; a stray
// word is most often a flag's value whose name was left out. (cobra's
// NoArgs calls it an unknown command.)
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Errorf("%s takes no arguments, only flags; got %q (a flag's value without its --name?)", cmd.CommandPath(), args[0])}
	}
	return nil
}

// exactArgs is cobra.ExactArgs with an error that says what the argument is.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != n {
			return usageError{fmt.Errorf("want %d argument, %s; got %d", n, what, len(args))}
		}
		return nil
	}
}
