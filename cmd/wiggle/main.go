// Command wiggle trains and inspects neural networks and the activation
// functions that give them their wiggle. Run `wiggle --help` for the
// commands.
//
// Exit status: 0 on success, 1 when the machine fails the command (a file
// cannot be written), 2 when the input (a flag, an argument, a file, a
// line of data) is wrong, 3 when training diverged (for compare: every
// run), 4 on an internal error (a bug), 130 when Ctrl-C stopped it
// (training saves a checkpoint first), 141 when its standard output's
// reader went away (SIGPIPE's on Unix; on Windows, which has none, its
// own).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/wigglenn/wiggle/engine"
	"github.com/wigglenn/wiggle/internal/atomicfile"
	"github.com/wigglenn/wiggle/train"
)

func main() {
	// The first Ctrl-C (or SIGTERM) cancels the command's context: training
	// stops after its current step. A second one ends the process at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// env is what a command reads and writes, so tests can run commands in
// process, and the context that interrupts it.
type env struct {
	ctx            context.Context
	stdin          io.Reader
	stdout, stderr io.Writer
}

// Exit statuses beyond 0 (done), 1 (the machine failed) and 2 (bad input).
const (
	exitDiverged    = 3   // training diverged
	exitInternal    = 4   // a bug in wiggle
	exitInterrupted = 130 // Ctrl-C (after saving a checkpoint, for training)
)

// helpSwitch reads Windows's help switch, /? (wiggle /?, wiggle train /?),
// as --help; it names no file or value wiggle takes.
func helpSwitch(args []string) []string {
	out := slices.Clone(args)
	for i, a := range out {
		if a == "/?" {
			out[i] = "--help"
		}
	}
	return out
}

// run executes one wiggle command line and returns its exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (status int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "wiggle: internal error: %v\nThis is a bug in wiggle; please report it with the command that caused it.\n", r)
			status = exitInternal
		}
	}()
	defer engine.SetThreads(engine.Threads()) // --threads lasts one command (tests run many in a process)
	root := newRoot(env{ctx, stdin, stdout, stderr})
	root.SetArgs(helpSwitch(args))
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return 0
	}
	var stopped *interruptedError
	var partly *partlyWrittenError
	switch {
	case errors.As(err, &stopped), errors.As(err, &partly):
		fmt.Fprintf(stderr, "wiggle: %s\n", withoutCancelled(err))
		return exitInterrupted
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(stderr, "wiggle: %s\n", interruptedText(withoutCancelled(err), errors.Is(err, atomicfile.ErrNotWritten), writesFiles(cmd)))
		return exitInterrupted
	}
	if readerGone(err) { // wiggle predict | head on Windows: done, quietly, as SIGPIPE ends it on Unix
		return exitReaderGone
	}
	fmt.Fprintf(stderr, "wiggle: %v\n", err)
	var diverged *train.DivergedError
	var allDiverged *allDivergedError
	if errors.As(err, &diverged) || errors.As(err, &allDiverged) {
		return exitDiverged
	}
	if errors.Is(err, atomicfile.ErrNoReader) { // what the user named (a pipe no program reads), not the machine: start its reader
		return 2
	}
	var sys *systemError
	if errors.As(err, &sys) || machineFailure(err) {
		return 1
	}
	if cmd != nil && isUsageError(err) {
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
	}
	return 2
}

// interruptedText says that Ctrl-C stopped a command, with what its error
// says beyond that: atomicfile's "PATH: not written" (notWritten) as it
// is, other words (where it stopped) in brackets, and for a command that
// writes files that it wrote none.
func interruptedText(detail string, notWritten, filesToo bool) string {
	text := "interrupted"
	switch {
	case notWritten:
		return text + "; " + detail
	case detail != "":
		text += " (" + detail + ")"
	}
	if filesToo {
		text += "; no file was written"
	}
	return text
}

// writesFiles reports whether cmd, as the user ran it, writes files: it
// has an --out or a --plot that names one (predict's --out - is "" by
// then: standard output).
func writesFiles(cmd *cobra.Command) bool {
	if cmd == nil {
		return false
	}
	for _, name := range []string{"out", "plot"} {
		if f := cmd.Flags().Lookup(name); f != nil && f.Value.String() != "" {
			return true
		}
	}
	return false
}

// withoutCancelled is err's message less Go's "context canceled", which
// says nothing to a user who pressed Ctrl-C.
func withoutCancelled(err error) string {
	s := strings.ReplaceAll(err.Error(), ": "+context.Canceled.Error(), "")
	s = strings.ReplaceAll(s, " ("+context.Canceled.Error()+")", "")
	return strings.TrimSpace(strings.ReplaceAll(s, context.Canceled.Error(), ""))
}

// parseFailure matches pflag's message for a value its type cannot parse,
// which quotes Go's strconv error.
var parseFailure = regexp.MustCompile(`^invalid argument "(.*)" for "(.*)" flag: strconv\.Parse(Int|Uint|Float|Bool): parsing ".*": (invalid syntax|value out of range)$`)

// ownFailure matches pflag's message for a value a flag's own Set refused
// (decimalFlag), its reason last.
var ownFailure = regexp.MustCompile(`^invalid argument "(.*)" for "(.*)" flag: (.*)$`)

// thousands matches a number whose comma may separate thousands (1,000),
// where a decimal comma is no sure reading.
var thousands = regexp.MustCompile(`^[+-]?\d{1,3},\d{3}$`)

// plainFlagError says what pflag's parse errors say without Go's names:
// `--epochs "abc": want a whole number`.
func plainFlagError(err error) error {
	m := parseFailure.FindStringSubmatch(err.Error())
	if m == nil {
		if own := ownFailure.FindStringSubmatch(err.Error()); own != nil { // decimalFlag's: it says what to write
			return fmt.Errorf("%s %q: %s", own[2], own[1], own[3])
		}
		return err
	}
	value, flag, kind, why := m[1], m[2], m[3], m[4]
	want := map[string]string{"Int": "a whole number", "Uint": "a whole number, 0 or more", "Float": "a number", "Bool": "true or false"}[kind]
	if why == "value out of range" {
		return fmt.Errorf("%s %q: out of range; want %s that fits in 64 bits", flag, value, want)
	}
	if point := strings.Replace(value, ",", ".", 1); kind == "Float" && point != value && !thousands.MatchString(value) {
		if _, err := strconv.ParseFloat(point, 64); err == nil {
			return fmt.Errorf("%s %q: want a number, written with a decimal point (%s)", flag, value, point)
		}
	}
	return fmt.Errorf("%s %q: want %s", flag, value, want)
}

func newRoot(e env) *cobra.Command {
	root := &cobra.Command{
		Use:   "wiggle",
		Short: "Neural networks in Go, built from the neuron up",
		Long: `wiggle trains fully-connected neural networks and shows what each activation
function does to learning. "The non-linearity is where we get the wiggle."

Start with 'wiggle compare': the same small network trained on the CS231n
spiral with each activation, side by side.`,
		SilenceErrors: true,
		SilenceUsage:  true,
		Version:       versionText(),
	}
	root.SetVersionTemplate("{{.Version}}\n")
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{plainFlagError(err)} })
	var threads int
	root.PersistentFlags().IntVar(&threads, "threads", 0, "the engine's threads: how many cores its products and training steps use, and compare's runs at once (0: every core)")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		if threads < 0 || threads > maxThreads {
			return usageError{fmt.Errorf("--threads %d: want 1 to %d, or 0 for every core", threads, maxThreads)}
		}
		n := threads
		if n == 0 { // every core: the number the engine has
			n = engine.Threads()
		}
		// The CLI's own process: it may set this. Set before any data loads,
		// it also has the engine measure the machine's load from here, for
		// the first training step to judge (see engine.SetThreads).
		engine.SetThreads(n)
		return nil
	}
	root.AddCommand(newActCmd(e), newCompareCmd(e), newTrainCmd(e), newEvalCmd(e), newPredictCmd(e), newDataCmd(e), newBenchCmd(e), newLabCmd(e), newServeCmd(e), newExportCmd(e), newImportCmd(e))
	decimalFlags(root)
	examplesForShell(root, runtime.GOOS)
	strictHelp(root)
	strictCompletion(root)
	return root
}

// strictCompletion makes an unknown shell given to cobra's completion
// command an error (exit 2), as an unknown command of wiggle's own is,
// where cobra printed the help and exited 0.
func strictCompletion(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			c.Args = cobra.NoArgs
			c.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
		}
	}
}

// strictHelp keeps cobra's help command (its completion of command names,
// its flags) but makes a topic it does not know an error (exit 2), where
// cobra printed the usage and exited 0.
func strictHelp(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	for _, help := range root.Commands() {
		if help.Name() != "help" {
			continue
		}
		help.Run = nil
		help.RunE = func(_ *cobra.Command, args []string) error {
			cmd, rest, err := root.Find(args)
			if err != nil || (cmd == root && len(args) > 0) || (len(rest) > 0 && cmd.HasSubCommands()) {
				return usageError{fmt.Errorf("no help on %q; 'wiggle --help' lists the commands", strings.Join(args, " "))}
			}
			cmd.InitDefaultHelpFlag()
			return cmd.Help()
		}
	}
}

// maxThreads bounds --threads: far more cores than a machine has.
const maxThreads = 1024

// usageError marks a mistake in the command line itself (a flag, an
// argument), after which the help is worth pointing to.
type usageError struct{ error }

func (u usageError) Unwrap() error { return u.error }

func isUsageError(err error) bool {
	var u usageError
	return errors.As(err, &u) || isCobraUsage(err)
}

// isCobraUsage recognises cobra's own errors for unknown commands and wrong
// argument counts, which it does not type.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, prefix := range []string{"unknown command", "accepts ", "requires at least", "requires at most", "unknown flag", "unknown shorthand"} {
		if len(msg) >= len(prefix) && msg[:len(prefix)] == prefix {
			return true
		}
	}
	return false
}

// systemError marks a failure of the machine rather than of the input:
// exit status 1.
type systemError struct{ error }

func (s *systemError) Unwrap() error { return s.error }

func sysErr(err error) error {
	if err == nil {
		return nil
	}
	return &systemError{err}
}
