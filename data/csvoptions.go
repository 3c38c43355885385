package data

// The options of a CSV read, and the readers they wrap the file in.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/wigglenn/wiggle/internal/quote"
)

// CSVOptions says how to read a table.
type CSVOptions struct {
	// Target is the target column, by name or 0-based index; "" reads
	// features only (for prediction), unless TargetLast is set.
	Target string
	// Regression reads the target as a real value; otherwise it is a class
	// label.
	Regression bool
	// Features, if set, picks exactly these columns, in this order, as the
	// features (a model's columns); otherwise every column but the target.
	// An empty list, a name listed twice, or the target among them is an
	// error, as is a label listed twice in Classes.
	Features []string
	// Ignore, if set, names columns that are neither features nor the
	// target (an id, a date, a text) where Features is not set, or gives
	// their 0-based index (a name that is none). A name the header repeats
	// leaves out every column of it but the target. A name that is no
	// column, or the target's alone, is an error, as is a feature whose
	// name the header repeats (a model finds its features by name).
	Ignore []string
	// Keep, if set, names columns (or gives their 0-based index) whose
	// cells are kept as text beside the rows, in Dataset.Kept: an id to
	// carry into predictions. A kept column may be a feature or the
	// target too; a name that is no column is an error.
	Keep []string
	// Classes, if set, are the labels of the class indices (a model's);
	// otherwise classes are found in the file (see ReadCSV).
	Classes []string
	// DecimalComma reads a number's one comma as its decimal point: 0,5
	// is 0.5, as spreadsheets set to a decimal comma save their tables
	// (separated by semicolons). A cell with a point (1.5, 1.234,5) or
	// separators between thousands (1,234,567) is then an error: such a
	// table writes neither. Without it, a cell it would read is an error
	// matching ErrDecimalComma.
	DecimalComma bool
	// TargetOptional reads a table without the Target column as features
	// only, instead of failing.
	TargetOptional bool
	// TargetLast makes the table's last column the target, whatever its
	// name (the columns without a name or a cell that a spreadsheet saves
	// right of a table not counted), for a table whose target is known by
	// its place alone, as the playground's uploads are. Target must then
	// be "".
	TargetLast bool
	// MaxBytes, if above 0, bounds the memory the table's numbers may take:
	// a table larger is refused with a *TableSizeError, before its rows
	// are read where its lines can be counted (ReadCSV's file, gzipped or
	// not), else (ParseCSV's stream) as soon as its rows pass a third of
	// it (the buffer grows by copies).
	MaxBytes float64
	// Context, when set, stops a read once it is done (a command's
	// Ctrl-C), at the next block of the file it reads, with an error that
	// wraps its Err. A large table takes seconds to read; a read blocked
	// on a pipe or a terminal waits for its input first.
	Context context.Context
	// OnRead, when set, hears how many bytes of the file each block read
	// took, for a progress bar: ReadCSV reads a file twice (it counts its
	// lines, then reads its rows), so the blocks add up to twice its size
	// (a gzipped file's compressed bytes), as they do for ParseCSV's
	// regular file; a stream's add up to its size. It is called on the
	// reading goroutine.
	OnRead func(n int)
}

// ctxReader reads r until ctx is done (nil: never), telling onRead (where
// set) each block's size.
type ctxReader struct {
	ctx    context.Context
	r      io.Reader
	onRead func(int)
}

func (c ctxReader) Read(p []byte) (int, error) {
	if c.ctx != nil {
		if err := c.ctx.Err(); err != nil {
			return 0, err
		}
	}
	n, err := c.r.Read(p)
	if c.onRead != nil && n > 0 {
		c.onRead(n)
	}
	return n, err
}

// stoppable is r, stopped by opt.Context and heard by opt.OnRead where
// they are set.
func (opt CSVOptions) stoppable(r io.Reader) io.Reader {
	if opt.Context == nil && opt.OnRead == nil {
		return r
	}
	return ctxReader{opt.Context, r, opt.OnRead}
}

// TableSizeError is ReadCSV's refusal of a table whose numbers would take
// more than CSVOptions.MaxBytes.
type TableSizeError struct {
	Rows    int     // the rows the buffer is for: the file's lines but its header, or three times the rows read so far (a stream)
	Columns int     // the numbers a row keeps: its features, and a target
	Bytes   float64 // the buffer's size, 4 bytes a number
	Max     float64 // CSVOptions.MaxBytes
}

func (e *TableSizeError) Error() string {
	return fmt.Sprintf("a buffer for %d rows of %d numbers takes %.3g MB, more than the %.3g MB allowed", e.Rows, e.Columns, e.Bytes/1e6, e.Max/1e6)
}

// check reports options that cannot describe a table: an empty list of
// features, a name listed twice, or the target among the features.
func (opt CSVOptions) check() error {
	if opt.Features != nil && len(opt.Features) == 0 {
		return errors.New("CSVOptions.Features is empty; want the feature columns' names, or nil for every column but the target")
	}
	if opt.Features != nil && opt.Ignore != nil {
		return errors.New("CSVOptions.Features and CSVOptions.Ignore are both set; Features picks the columns alone")
	}
	for _, list := range []struct {
		field string
		names []string
	}{{"Features", opt.Features}, {"Ignore", opt.Ignore}, {"Keep", opt.Keep}, {"Classes", opt.Classes}} {
		seen := make(map[string]bool, len(list.names))
		for _, name := range list.names {
			if seen[name] {
				return fmt.Errorf("CSVOptions.%s lists %s twice", list.field, quote.Short(name))
			}
			seen[name] = true
		}
	}
	if opt.TargetLast && opt.Target != "" {
		return fmt.Errorf("CSVOptions.Target %s and TargetLast are both set; want one", quote.Short(opt.Target))
	}
	if opt.Target != "" && slices.Contains(opt.Features, opt.Target) {
		return fmt.Errorf("CSVOptions.Features lists the target, %s", quote.Short(opt.Target))
	}
	return nil
}

// byIndex reports whether opt names column j by its 0-based index, as
// Target, Ignore or Keep: a column readHeader keeps, named or not.
func (opt CSVOptions) byIndex(j int) bool {
	index := strconv.Itoa(j)
	return opt.Target == index || slices.Contains(opt.Ignore, index) || slices.Contains(opt.Keep, index)
}
