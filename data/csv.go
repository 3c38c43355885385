package data

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/wigglenn/wiggle/internal/nilio"
	"github.com/wigglenn/wiggle/internal/quote"
	"github.com/wigglenn/wiggle/internal/utf16text"
	"github.com/wigglenn/wiggle/internal/utf8prefix"
	"github.com/wigglenn/wiggle/tensor"
)

// ReadCSV reads a table with a header row (RFC 4180 quoting), UTF-8 text
// or UTF-16 with its byte-order mark (as Windows PowerShell 5 writes a
// redirection), gzipped or not. Every feature
// must be a finite number in decimal (1e-3, not Go's 0x1p-10 or 1_000).
// Class labels may be any text: when every label is
// a whole number with no leading zeros and 0 among them, class k is the
// label k (a gap an empty class, where gaps are fewer than the labels);
// other whole numbers are the classes in numeric order, and any other
// labels the sorted distinct labels. Over 20 distinct numbers, some not
// whole or more than half as many as the rows (or 5 to 20, some not whole,
// most rows' own), are ErrRealValuedTarget, though a label in twenty be no
// number.
//
// Errors name the file, the line and the column, what was found and what was
// expected. The features are stored once, as float32, in a buffer sized by
// a first quick pass that counts the file's lines: memory stays close to 4
// bytes per number. A path that is not a regular file (a pipe, a device)
// is read once, as ParseCSV reads a stream: its buffer grows as it goes.
func ReadCSV(path string, opt CSVOptions) (*Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseCSV(path, f, opt) // a regular file's lines counted first (countAhead); /dev/stdin, <(cmd) or a FIFO read once
}

// ParseCSV reads a table as ReadCSV does, from r; name stands for the file
// in errors, as ReadCSV's path does (a file name: "rows.csv, line 3, ...").
// Where r is an *os.File that is a regular file, its lines from where it
// stands are counted first, as ReadCSV counts a path's; other readers are
// read once, the buffer growing as it goes.
func ParseCSV(name string, r io.Reader, opt CSVOptions) (*Dataset, error) {
	if r == nil {
		return nil, fmt.Errorf("%s: %w", name, nilio.ErrNoReader)
	}
	lines, err := countAhead(r, opt)
	if err != nil {
		return nil, fmt.Errorf("%s%w", name, err)
	}
	ds, err := readCSV(opt.stoppable(r), lines, opt)
	if err != nil {
		return nil, fmt.Errorf("%s%w", name, err)
	}
	return ds, nil
}

// countAhead counts the lines left in r where r is a regular file (a
// shell's < file.csv on standard input), and goes back to where it was, so
// that its buffer is sized as ReadCSV's (a redirected 2 GB table had grown
// its buffer as a pipe's does, to 2.4 times the data's size); 0, reading
// nothing, where r is anything else.
func countAhead(r io.Reader, opt CSVOptions) (int, error) {
	f, ok := r.(*os.File)
	if !ok {
		return 0, nil
	}
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
		return 0, nil
	}
	at, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return 0, nil
	}
	lines, err := countTextLines(opt.stoppable(f))
	if err != nil {
		return 0, err
	}
	if _, err := f.Seek(at, io.SeekStart); err != nil {
		return 0, fmt.Errorf(": %w", err)
	}
	return lines, nil
}

// tableReader holds the state of one read.
type tableReader struct {
	cr     *csv.Reader
	header []string
	cols   columns
	opt    CSVOptions
	limit  *lineLimit // under the reader: where a quote left open opened
	lines  int        // an upper bound on the file's lines (the header's too), or 0 if unknown
	hline  int        // the header's line: 1, or past a sep= line or rows of empty cells above it
	margin int        // unnamed columns cut off the header's end, whose cells must be empty (a spreadsheet's)

	x      []float32
	values []float32
	labels labelSet
	kept   []string // the Keep columns' cells, row by row
}

func readCSV(r io.Reader, lines int, opt CSVOptions) (*Dataset, error) {
	opt = opt.composedNames()
	if err := opt.check(); err != nil {
		return nil, fmt.Errorf(": %w", err)
	}
	raw := bufio.NewReaderSize(r, 64<<10)
	gzipped := peekGzip(raw)
	if gzipped { // read what it holds
		z, err := gunzip(raw)
		if err != nil {
			return nil, gzipError(err)
		}
		defer z.Close()
		r = z
	} else {
		r = raw
	}
	r = utf16text.NewReader(r)
	limit := &lineLimit{r: r, max: MaxCSVLine, line: 1}
	br := bufio.NewReaderSize(limit, 64<<10)
	head, _ := br.Peek(4096)
	if sheet := spreadsheet(head, br); sheet != "" {
		return nil, fmt.Errorf(": %s, which wiggle does not read; save the sheet as CSV (File → Save As → CSV UTF-8, or Text CSV) and give wiggle that file", sheet)
	}
	if kind := compressedKind(head); kind != "" {
		return nil, fmt.Errorf(": a %s, which wiggle does not read; decompress it first (wiggle reads a CSV table as text, or gzipped)", kind)
	}
	if bytes.IndexByte(head, 0) >= 0 {
		inside := ""
		if gzipped {
			inside = " (what the gzip holds)"
		}
		if order := utf16Unmarked(head); order != "" {
			convert := ""
			if unixShell() {
				convert = fmt.Sprintf(", or convert it: iconv -f UTF-16%s -t UTF-8 in.csv > out.csv", map[string]string{"little-endian": "LE", "big-endian": "BE"}[order])
			}
			return nil, fmt.Errorf(": UTF-16 text (%s) without a byte-order mark%s, which wiggle does not guess; save it again as UTF-8 (or as UTF-16 with its mark, as Windows PowerShell's > writes it)%s", order, inside, convert)
		}
		return nil, fmt.Errorf(": not a text file%s; want a CSV table (UTF-8 or UTF-16 text) with a header row", inside)
	}
	if _, text := utf8prefix.Cut(head); !text {
		return nil, notUTF8(head)
	}
	if bom := "\ufeff"; bytes.HasPrefix(head, []byte(bom)) { // a byte-order mark, before a quoted first name too
		br.Discard(len(bom))
		head, _ = br.Peek(4096)
	}
	if cr := bytes.IndexByte(head, '\r'); cr >= 0 && cr+1 < len(head) && bytes.IndexByte(head, '\n') < 0 {
		return nil, errors.New(", line 1: the lines end in a lone carriage return (\\r, as old Mac files do), which CSV does not take; " + toNewlines())
	}
	t := &tableReader{cr: csv.NewReader(br), opt: opt, lines: lines, limit: limit}
	if sep, ok := separatorLine(head); ok { // Excel's sep=; above the header: the separator, said
		t.cr.Comma = sep
		if _, err := t.cr.Read(); err != nil { // read as a row, so that the reader's line numbers count it
			return nil, errors.New(": the file holds a sep= line and nothing after it; want a header row, then one row per example")
		}
		t.lines = max(t.lines-1, 0)
	} else {
		wide, _ := br.Peek(64 << 10) // a header longer than head still counted whole, with rows after it
		t.cr.Comma = delimiter(wide, opt.DecimalComma)
		if err := titleAbove(wide, opt.DecimalComma); err != nil {
			return nil, err
		}
	}
	t.cr.FieldsPerRecord = -1
	t.cr.ReuseRecord = true
	if err := t.readHeader(); err != nil {
		return nil, err
	}
	if err := t.readRows(); err != nil {
		return nil, err
	}
	return t.dataset()
}

func (t *tableReader) readHeader() error {
	header, err := t.cr.Read()
	for err == nil && len(header) > 1 && blank(header) { // a spreadsheet's row of empty cells above the table (;;), as blank lines are, left out
		header, err = t.cr.Read()
	}
	if err == io.EOF {
		return errors.New(": the file is empty; want a header row, then one row per example")
	}
	if err != nil {
		return t.parseError(err)
	}
	t.hline, _ = t.cr.FieldPos(0)
	t.header = slices.Clone(header)
	for j, name := range t.header {
		t.header[j] = norm.NFC.String(strings.TrimSpace(name)) // as composedNames has the options' names
	}
	named := len(t.header) // a spreadsheet saves the empty cells right of a table as columns without names: cut off
	for named > 1 && t.header[named-1] == "" && !t.opt.byIndex(named-1) {
		named--
	}
	t.header, t.margin = t.header[:named], len(t.header)-named
	if numbers := looksLikeData(t.header); numbers != nil && !namesColumns(t.header, t.opt, numbers) {
		return fmt.Errorf(", line %d: looks like data, not a header (it holds the numbers %s): give the file a header row naming its columns, as x0,x1,label (a header with numbers, as pandas writes for numbered columns, is read as one where the target is a column named by a word, as label in label,0,1, or where it names every feature a model takes)", t.hline, strings.Join(numbers, ", "))
	}
	t.cols, err = chooseColumns(t.header, t.opt)
	if err != nil {
		return csvError(t.hline, "", "%w", err)
	}
	for _, j := range t.cols.features {
		if t.header[j] != "" {
			continue
		}
		hint := ""
		if j == 0 {
			hint = " (a row index, as pandas writes one? leave it out by its index, 0, or save the table with index=False)"
		}
		return csvError(t.hline, fmt.Sprint(j+1), "a column without a name; name every feature column in the header, as a model finds its features by name%s", hint)
	}
	return nil
}

// restBlank reads the table's rows to its end and reports whether they are
// all rows of empty cells (or there are none).
func (t *tableReader) restBlank() bool {
	for {
		rec, err := t.cr.Read()
		if err == io.EOF {
			return true
		}
		if err != nil || !blank(rec) {
			return false
		}
	}
}

// ctrlZ hints at DOS's end-of-file mark in a cell that holds one: copy
// a+b puts it between files, and it is not seen in an editor.
func ctrlZ(cell string) string {
	if strings.IndexByte(cell, 0x1a) < 0 {
		return ""
	}
	return " (\\x1a is a Ctrl-Z, DOS's end-of-file mark, which copy a+b writes between files: join them with copy /b a+b)"
}

func (t *tableReader) readRows() error {
	blankAt := 0 // the line of the first row of empty cells since the last row of values
	for row := 0; ; {
		rec, err := t.cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return t.parseError(err)
		}
		line, _ := t.cr.FieldPos(0)
		if len(rec) == 1 && strings.Contains(rec[0], "\x1a") && strings.Trim(rec[0], "\x1a \t") == "" { // DOS's end-of-file mark (Ctrl-Z), as copy a+b writes it
			if t.restBlank() {
				return nil
			}
			return csvError(line, "", "a Ctrl-Z (the byte 0x1A, DOS's end-of-file mark, which copy a+b writes between files) among the rows; remove it, or join the files with copy /b a+b")
		}
		if blank(rec) { // a spreadsheet's row of empty cells (,,,), left out at the table's end
			blankAt = cmp.Or(blankAt, line)
			continue
		}
		if blankAt != 0 { // among the rows, where leaving it out would shift the rows after it
			return csvError(blankAt, "", "a row of empty cells among the rows; remove it, or fill it in")
		}
		if rec, err = t.cutMargin(rec); err != nil {
			return err
		}
		if len(rec) != len(t.header) {
			hint := ""
			if len(rec) == len(t.header)+1 && strings.TrimSpace(rec[len(rec)-1]) == "" {
				hint = fmt.Sprintf(" (does the line end in %s?)", separatorName(t.cr.Comma, false))
			}
			if len(rec) < len(t.header) && row > 0 {
				if _, err := t.cr.Read(); err == io.EOF { // the file's last line, short: a copy or a download cut off
					hint = " (the file's last line: was the file cut short, its copy or download not finished?)"
				}
			}
			fields := fmt.Sprintf("%d fields", len(rec))
			if len(rec) == 1 {
				fields = "1 field"
			}
			return csvError(line, "", "%s, the header has %d%s; every row needs one value per column (the fields read as separated by %s)", fields, len(t.header), t.headerWidth(hint), separatorName(t.cr.Comma, true))
		}
		if row == 0 {
			if err := t.reserve(); err != nil {
				return err
			}
		}
		if err := t.checkGrowth(); err != nil {
			return err
		}
		for _, j := range t.cols.features {
			v, err := parseNumber(rec[j], t.opt.DecimalComma)
			if err != nil {
				at, _ := t.cr.FieldPos(j) // a quoted field may start lines after the row
				err = csvError(at, colName(t.header, j), "%s %w; want a finite number%s", quote.Short(rec[j]), err, ctrlZ(rec[j]))
				if row == 0 && t.opt.Features == nil && textCell(rec[j]) { // the column's first cell: a column of text, as likely as a stray cell
					err = &TextColumnError{Column: t.header[j], Name: t.nameFor(j), Others: t.textColumnsAfter(rec, j), err: err}
				}
				return err
			}
			t.x = append(t.x, v)
		}
		for _, j := range t.cols.kept {
			t.kept = append(t.kept, strings.Clone(rec[j])) // not a slice of the record's line, which it would keep
		}
		if t.cols.target >= 0 {
			at, _ := t.cr.FieldPos(t.cols.target)
			if err := t.readTarget(rec[t.cols.target], at); err != nil {
				return err
			}
		}
		row++
	}
}

// headerWidth is hint after the header's width where readHeader cut off
// unnamed columns at its end: the columns the header line has, and how
// many of them are named.
func (t *tableReader) headerWidth(hint string) string {
	if t.margin == 0 {
		return hint
	}
	return fmt.Sprintf(" named (%d with the unnamed ones at its end)%s", len(t.header)+t.margin, hint)
}

// blank reports whether every cell of rec is empty or spaces.
func blank(rec []string) bool {
	for _, cell := range rec {
		if strings.TrimSpace(cell) != "" {
			return false
		}
	}
	return true
}

// cutMargin cuts off a row's cells in the unnamed columns readHeader cut
// off the header's end (t.margin), which must be empty: a value there is
// refused, as a feature needs a name.
func (t *tableReader) cutMargin(rec []string) ([]string, error) {
	if len(rec) <= len(t.header) || len(rec) > len(t.header)+t.margin {
		return rec, nil
	}
	for j := len(t.header); j < len(rec); j++ {
		if strings.TrimSpace(rec[j]) != "" {
			at, _ := t.cr.FieldPos(j)
			return nil, csvError(at, fmt.Sprintf("%d (\"\")", j+1), "a value in a column without a name; name it in the header (a model finds its features by name)")
		}
	}
	return rec[:len(t.header)], nil
}

// nameFor is what Ignore and Target take to name column j: its name,
// unless it holds a comma (a flag's list splits there) or is a number
// that indexes another column; else its 0-based index, unless that is
// another column's name; else "".
func (t *tableReader) nameFor(j int) string {
	seen := make(map[string]int, len(t.header))
	for k, name := range t.header {
		seen[name] = k
	}
	for _, name := range []string{t.header[j], strconv.Itoa(j)} {
		repeated := 0 // a name the header repeats leaves out every column of it
		for _, h := range t.header {
			if h == name {
				repeated++
			}
		}
		if k, err := columnOf(seen, t.header, name); err == nil && k == j && !strings.Contains(name, ",") && repeated < 2 {
			return name
		}
	}
	return ""
}

func (t *tableReader) readTarget(field string, line int) error {
	v := strings.TrimSpace(field)
	column := colName(t.header, t.cols.target)
	if t.opt.Regression {
		f, err := parseNumber(v, t.opt.DecimalComma)
		if err != nil {
			return csvError(line, column, "target %s %w; want a finite number (a regression target)", quote.Short(v), err)
		}
		t.values = append(t.values, f)
		return nil
	}
	if !utf8.ValidString(v) {
		return csvError(line, column, "label %s is not UTF-8 text", quote.Short(v))
	}
	if v == "" {
		return csvError(line, column, "no label; give every row its class (or leave the row out)")
	}
	if t.opt.Classes != nil && !slices.Contains(t.opt.Classes, v) {
		return &OtherLabelError{Label: v, err: csvError(line, column, "label %s is not one of the model's classes %s", quote.Short(v), quote.List(t.opt.Classes))}
	}
	t.labels.add(v)
	return nil
}

func (t *tableReader) dataset() (*Dataset, error) {
	rows := len(t.x) / len(t.cols.features)
	if rows == 0 {
		return nil, errors.New(": the file has a header but no rows; want one row per example")
	}
	ds := &Dataset{X: &tensor.Matrix{Rows: rows, Cols: len(t.cols.features), Data: slices.Clip(t.x)}, Separator: t.cr.Comma}
	for _, j := range t.cols.features {
		ds.Features = append(ds.Features, t.header[j])
	}
	if len(t.cols.kept) > 0 {
		ds.Kept = &Kept{Rows: make([][]string, rows)}
		for _, j := range t.cols.kept {
			ds.Kept.Columns = append(ds.Kept.Columns, t.header[j])
		}
		n := len(t.cols.kept)
		for i := range rows {
			ds.Kept.Rows[i] = t.kept[i*n : (i+1)*n : (i+1)*n]
		}
	}
	if t.cols.target < 0 {
		return ds, nil
	}
	ds.Target = t.header[t.cols.target]
	if t.opt.Regression {
		ds.Values = &tensor.Matrix{Rows: rows, Cols: 1, Data: slices.Clip(t.values)}
		return ds, nil
	}
	if real, notNumbers := continuous(t.labels.names, rows); t.opt.Classes == nil && real {
		also := ""
		if len(notNumbers) > 0 { // read as values, it will be refused with its line
			also = fmt.Sprintf(" (and %s, no number: a missing value?)", quote.ShortList(notNumbers))
		}
		return nil, fmt.Errorf(", column %s: %d distinct real values in %d rows%s; %w", colName(t.header, t.cols.target), len(t.labels.names)-len(notNumbers), rows, also, ErrRealValuedTarget)
	}
	if t.opt.Classes == nil && len(t.labels.names) < 2 {
		return nil, fmt.Errorf(", column %s: every row has the label %s; %w", colName(t.header, t.cols.target), quote.Short(t.labels.names[0]), &OneClassError{Label: t.labels.names[0]})
	}
	ds.ClassNames = t.opt.Classes
	if ds.ClassNames == nil {
		ds.ClassNames = classOrder(t.labels.names)
	}
	ds.Classes, ds.Labels = len(ds.ClassNames), t.labels.indices(ds.ClassNames)
	return ds, nil
}

// textColumnsAfter names (as nameFor does) the feature columns after
// column j whose cells in rec, the first row, are text; those no name
// leaves out alone are left out.
func (t *tableReader) textColumnsAfter(rec []string, j int) []string {
	var names []string
	for _, k := range t.cols.features {
		if _, err := parseNumber(rec[k], t.opt.DecimalComma); k > j && err != nil && textCell(rec[k]) && t.nameFor(k) != "" {
			names = append(names, t.nameFor(k))
		}
	}
	return names
}
