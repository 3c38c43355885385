package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/data/mnist"
	"github.com/wigglenn/wiggle/internal/memlimit"
	"github.com/wigglenn/wiggle/internal/quote"
)

// loaded is what a --data name gives: rows to train on and, for MNIST, the
// standard test rows.
type loaded struct {
	Train *data.Dataset
	Test  *data.Dataset // nil unless the source has a test split
}

// loadOptions says how to read a --data name.
type loadOptions struct {
	CSV  data.CSVOptions // for a CSV file
	Seed uint64          // for a generated set
	Log  io.Writer       // where MNIST's fetch reports; may be nil

	// TestOnly asks for a source's test split alone, where it has one
	// (MNIST): Test is set and Train is nil.
	TestOnly bool
	// TargetGiven says the user named CSV.Target (--target). A built-in
	// set has its own target column, and another name is refused, not
	// ignored.
	TargetGiven bool
	// Stdin, for a command that reads its table once (train, eval,
	// predict), is what the name "-" reads, and lets a pipe be read as a
	// table; without it both are refused (data show reads a table more
	// than once).
	Stdin io.Reader
}

// checkBuiltinTarget refuses, before the set is made or fetched, a
// --target given with a built-in set that names another column than its
// own (builtinTarget): the set is what it is, and the flag would be
// ignored. Its own column's index is refused too: --target is for a CSV
// file's columns.
func checkBuiltinTarget(name string, opt loadOptions) error {
	if opt.CSV.Ignore != nil && isBuiltin(name) {
		return usageError{fmt.Errorf("--ignore: the built-in set %s has no columns to leave out; --ignore is for a CSV file's columns", name)}
	}
	if !opt.TargetGiven || !isBuiltin(name) {
		return nil
	}
	if own := builtinTarget(name); opt.CSV.Target != own {
		return usageError{fmt.Errorf("--target %s: the built-in set %s has its own target column, %q; --target is for a CSV file's columns", opt.CSV.Target, name, own)}
	}
	return nil
}

// underData is loadData's error as the --data flag's, but for one that
// names its own flag already (--target with a built-in set).
func underData(err error) error {
	if isUsageError(err) {
		return err
	}
	switch {
	case errors.Is(err, data.ErrIgnore):
		return usageError{fmt.Errorf("--ignore: %w", err)}
	case errors.Is(err, data.ErrNoTarget):
		return usageError{fmt.Errorf("--target: %w", err)}
	}
	return fmt.Errorf("--data: %w", err)
}

// offerIgnore adds to a table's error for a feature column of text that
// --ignore leaves it out (with the columns ignored already), or, where
// no --target was given, that it may be the target.
func offerIgnore(err error, ignored []string, targetGiven bool) error {
	var text *data.TextColumnError
	if !errors.As(err, &text) {
		return err
	}
	column := text.Name // its name, or its index where the name would not do
	if column == "" {
		return fmt.Errorf("%w (a column of text, an id or a date? neither its name nor its index names it alone to --ignore: rename it, then --ignore it)", err)
	}
	others, target := text.Others, column
	if !targetGiven && len(others) > 0 { // the last column of text, a table's labels most often: offered as the target, not left out
		others, target = others[:len(others)-1], others[len(others)-1]
	}
	ignore := flagList(append(append(slices.Clone(ignored), column), others...)...)
	what, leave := "a column of text, an id or a date?", "leave it out"
	if n := len(others); n > 0 { // the first row's other columns of text, left out with it
		also := strings.Join(others[:n-1], ", ") + " and " + others[n-1]
		if n == 1 {
			also = others[0]
		}
		what, leave = "columns of text, ids or dates? the first row holds text in "+also+" too:", "leave them all out"
	}
	if targetGiven {
		return fmt.Errorf("%w (%s %s with --ignore %s)", err, what, leave, ignore)
	}
	return fmt.Errorf("%w (the labels to predict? give --target %s; %s %s with --ignore %s)", err, shellWord(target), what, leave, ignore)
}

// endOfInput is the keys that end a terminal's input: Ctrl-D on Unix;
// on Windows Ctrl-Z and then Enter (a Ctrl-D there is a character).
func endOfInput() string {
	if runtime.GOOS == "windows" {
		return "Ctrl-Z and Enter"
	}
	return "Ctrl-D"
}

// parseStdin reads a table from standard input, in a goroutine of its
// own: a read waiting on a terminal or on a pipe still open ends at
// Ctrl-C (ctx), which ParseCSV hears only between its reads.
func parseStdin(ctx context.Context, opt loadOptions) (*data.Dataset, error) {
	if isTerminal(opt.Stdin) {
		fmt.Fprintln(opt.Log, "reading a CSV table from the terminal: type its header and rows, then "+endOfInput())
	}
	ds, err := untilDone(ctx, func() (*data.Dataset, error) { return data.ParseCSV("standard input", opt.Stdin, opt.CSV) })
	if err != nil && err == ctx.Err() { // untilDone's own: the read still waits
		return nil, fmt.Errorf("standard input: %w", err)
	}
	return ds, err
}

// tableSize is the size of a table file os.Stat found, 0 where it found
// none or another kind of file.
func tableSize(info os.FileInfo, statErr error) int64 {
	if statErr != nil || !info.Mode().IsRegular() {
		return 0
	}
	return info.Size()
}

// untilDone runs read in a goroutine of its own and returns what it gives,
// or ctx's error once ctx is done (Ctrl-C), though the read goes on: one
// waiting on a terminal or on a pipe still open is heard only when its
// input comes, and the command ends before.
func untilDone[T any](ctx context.Context, read func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := read()
		done <- result{v, err}
	}()
	select {
	case got := <-done:
		return got.v, got.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// isPipe reports whether path names a pipe (a FIFO, or the /dev/fd/N
// of <(cmd)), whose open waits until a program opens it to write.
func isPipe(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.Mode()&os.ModeNamedPipe != 0
}

// readPipe reads the pipe at path with read, under ctx: its open waits
// for a program to open the pipe to write, and its reads for that
// program to write, neither of which Go can interrupt, so both go in a
// goroutine of their own and a Ctrl-C ends the wait. The read goes
// through the descriptor that waited: opening the path again after a
// quick writer has closed would wait again.
func readPipe[T any](ctx context.Context, path string, read func(io.Reader) (T, error)) (T, error) {
	v, err := untilDone(ctx, func() (T, error) {
		f, err := os.Open(path)
		if err != nil {
			var zero T
			return zero, err
		}
		defer f.Close()
		return read(f)
	})
	if err != nil && err == ctx.Err() { // untilDone's own: the open or a read still waits
		return v, fmt.Errorf("%s: %w (waiting for the program that writes into the pipe)", path, err)
	}
	return v, err
}

// readInput reads the file at path with load, or a pipe with readFrom
// (see readPipe), naming path in readFrom's errors as load's name it.
func readInput[T any](ctx context.Context, path string, load func(string) (T, error), readFrom func(io.Reader) (T, error)) (T, error) {
	if !isPipe(path) {
		return load(path)
	}
	v, err := readPipe(ctx, path, readFrom)
	var named *fs.PathError // the open's, or a read's: path is in it
	if err == nil || ctx.Err() != nil && errors.Is(err, ctx.Err()) || errors.As(err, &named) {
		return v, err
	}
	return v, fmt.Errorf("%s: %w", path, err)
}

// dataName is what messages call the data --data names: standard input
// for -.
func dataName(name string) string {
	if name == "-" {
		return "standard input"
	}
	return name
}

// columnList reads a column flag's values (--ignore id,date, given once
// or more: each adds to the list), its comma-separated names or 0-based
// indexes; none where it is not given. An empty name, or one given twice,
// is the flag's mistake.
func columnList(flag string, values []string) ([]string, error) {
	var out []string
	for _, v := range values {
		names, err := splitList(v)
		if err != nil {
			return nil, usageError{fmt.Errorf("%s: %v", flag, err)}
		}
		for _, name := range names {
			switch {
			case name == "":
				return nil, usageError{fmt.Errorf("%s %q: an empty column name; give names or 0-based indexes, comma-separated", flag, v)}
			case slices.Contains(out, name):
				return nil, usageError{fmt.Errorf("%s names %s twice; name each column once", flag, quote.Short(name))}
			}
			out = append(out, name)
		}
	}
	return out, nil
}

// flagList writes names as one comma-separated flag value (--ignore,
// --features, --classes) for this system's shells (flagListOn).
func flagList(names ...string) string { return flagListOn(runtime.GOOS, names...) }

// flagListOn writes names as one comma-separated flag value: a name
// holding a comma, or starting with a double quote, in double quotes as a
// CSV cell, which splitList reads back; the whole quoted for goos's shells
// where it must be (shellWordOn: a name starting with - as it is).
func flagListOn(goos string, names ...string) string {
	cells := make([]string, len(names))
	for i, name := range names {
		if strings.ContainsAny(name, ",\n") || strings.HasPrefix(strings.TrimSpace(name), `"`) {
			name = `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
		}
		cells[i] = name
	}
	return shellWordOn(goos, strings.Join(cells, ","))
}

// builtinTarget is a built-in set's target column: MNIST's "label", a
// generated set's as the generator names it ("label", or "y" where it
// makes values), read off one generated row.
func builtinTarget(name string) string {
	if name == "mnist" {
		return "label"
	}
	ds, err := data.Generate(data.SyntheticSpec{Name: name, N: 1, Noise: -1}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		return ""
	}
	return ds.Target
}

// isBuiltin reports whether name is a generated set or "mnist" rather than
// a file. A file of such a name is read as ./NAME.
func isBuiltin(name string) bool {
	return name == "mnist" || slices.Contains(data.SyntheticNames(), name)
}

// loadData reads what a --data argument names: "mnist", a generated set
// (SyntheticNames, with its default size and noise, from opt.Seed), or a CSV
// file. Generated sets and MNIST know their own target column.
func loadData(ctx context.Context, name string, opt loadOptions) (*loaded, error) {
	// A CSV row's text is garbage once parsed; collecting it sooner keeps
	// the heap near the size of the numbers kept. The process is the CLI's
	// own, so it may set this; the library never does.
	defer debug.SetGCPercent(debug.SetGCPercent(20))
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	info, statErr := os.Stat(name) // a file of that name, if there is one
	if statErr == nil && info.Mode().IsRegular() && isBuiltin(name) {
		fmt.Fprintf(opt.Log, "warning: %s is the built-in set; for the file of that name here, give %s\n", name, here(name))
	}
	if err := checkBuiltinTarget(name, opt); err != nil {
		return nil, err
	}
	if runtime.GOOS == "windows" && strings.Contains(name, `"`) {
		return nil, fmt.Errorf("%s: %s", name, quoteLeftText)
	}
	if name == "mnist" && opt.TestOnly {
		te, err := mnist.LoadTest(ctx, opt.Log)
		if err != nil {
			return nil, err
		}
		return &loaded{Test: te}, nil
	}
	if name == "mnist" {
		tr, te, err := mnist.Load(ctx, opt.Log)
		if err != nil {
			return nil, err
		}
		return &loaded{Train: tr, Test: te}, nil
	}
	if slices.Contains(data.SyntheticNames(), name) {
		ds, err := data.Generate(data.SyntheticSpec{Name: name, Noise: -1}, rand.New(rand.NewPCG(opt.Seed, 0xda7a)))
		if err != nil {
			return nil, err
		}
		return &loaded{Train: ds}, nil
	}
	if name == "-" && opt.Stdin == nil {
		return nil, fmt.Errorf("- (standard input) is a stream, read once, and data show reads a table more than once; save it to a file first (cmd > table.csv) and give that (a file named - is %s)", here("-"))
	}
	if statErr == nil && name != "-" {
		if err := tableFile(name, info, opt.Stdin != nil); err != nil {
			return nil, err
		}
	}
	rooms := memoryRooms()
	if most, bounded := memlimit.MostHeap(rooms); bounded {
		opt.CSV.MaxBytes = max(most, 1) // a table that cannot fit is refused, not read until Go's runtime stops
	}
	opt.CSV.Context = ctx // Ctrl-C stops a large table's reading
	var ds *data.Dataset
	var err error
	switch {
	case name == "-": // standard input, as - is standard output for --out (a file named - is ./-)
		ds, err = parseStdin(ctx, opt)
	case statErr == nil && info.Mode()&os.ModeNamedPipe != 0: // see isPipe
		ds, err = readPipe(ctx, name, func(r io.Reader) (*data.Dataset, error) { return data.ParseCSV(name, r, opt.CSV) })
	default:
		var clear func()
		opt.CSV.OnRead, clear = readingBar(opt.Log, name, tableSize(info, statErr), isTerminal(opt.Log))
		ds, err = data.ReadCSV(name, opt.CSV)
		clear()
	}
	var size *data.TableSizeError
	if errors.As(err, &size) {
		room, _ := memlimit.Short(rooms, size.Bytes)
		return nil, fmt.Errorf("%s: its numbers take %s as float32 (%d rows of %d)%s; use a smaller file, or %s",
			name, megabytes(size.Bytes), size.Rows, size.Columns, exceeds(room, size.Bytes), room.Remedy())
	}
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s; give a CSV file, mnist, or a generated set: %s", strings.TrimSuffix(err.Error(), "."), strings.Join(data.SyntheticNames(), ", ")) // Windows ends its words with a point
		}
		if heldByAnother(err) {
			return nil, fmt.Errorf("%s: another program holds it open and shares it with none; close it there (Excel?), or give a copy of it", strings.TrimSuffix(err.Error(), "."))
		}
		if errors.Is(err, data.ErrDecimalComma) && !opt.CSV.DecimalComma {
			return nil, fmt.Errorf("%w; or, for a table saved with a decimal comma (0,5 for 0.5), give --decimal-comma", err)
		}
		if errors.Is(err, data.ErrNotCommaNumber) && opt.CSV.DecimalComma {
			return nil, fmt.Errorf("%w; a table whose numbers have decimal points (0.5) is read without --decimal-comma", err)
		}
		return nil, err
	}
	return &loaded{Train: ds}, nil
}

// decimalCommaFlag registers --decimal-comma (data.CSVOptions.DecimalComma)
// for a command that reads a CSV table.
func decimalCommaFlag(f *pflag.FlagSet, p *bool) {
	f.BoolVar(p, "decimal-comma", false, "read a CSV cell's one comma as its decimal point (0,5 is 0.5), as spreadsheets set to a decimal comma save tables (separated by semicolons)")
}
