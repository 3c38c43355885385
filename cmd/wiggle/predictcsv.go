package main

// predict's CSV: as other programs read a table, as a spreadsheet set to
// a decimal comma saves one, or as Excel opens one.

import (
	"bufio"
	"context"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// csvForm is how writePrediction writes its CSV: cells apart by commas,
// decimal points, LF line ends (the zero value); with decimalComma as the
// table was read, semicolons and 0,5 for 0.5; with excel as Excel opens a
// file.
type csvForm struct {
	decimalComma bool // semicolons between cells, 0,5 for 0.5
	// excel writes a UTF-8 byte-order mark first (Excel reads a file
	// without one in its ANSI code page), ends lines in CRLF, takes the
	// semicolons of the table read (readSeparator), which an Excel set to
	// them opens, and puts a ' before a text cell Excel would run as a
	// formula (excelText).
	excel         bool
	readSeparator rune // the data's, where it was a table (data.Dataset.Separator)
}

// separator is what stands between the cells.
func (f csvForm) separator() rune {
	if f.decimalComma || f.excel && f.readSeparator == ';' {
		return ';'
	}
	return ','
}

// number writes v in the form's decimal notation, as few digits as read
// back to v.
func (f csvForm) number(v float32) string {
	s := strconv.FormatFloat(float64(v), 'g', -1, 32)
	if f.decimalComma {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// text is a label's or a kept cell's text as the form writes it.
func (f csvForm) text(cell string) string {
	if f.excel {
		return excelText(cell)
	}
	return cell
}

// excelText is cell with a ' first where Excel would read it as a formula
// and run it (=1+1 shows 2, =HYPERLINK(...) a link, @home #NAME?): a text
// beginning with =, +, -, @, a tab or a carriage return that is not a
// plain decimal number (-0.5, +3 and 1e-5 stay numbers; -Inf does not).
// Excel shows the '; the cell is kept as text, as OWASP's advice on CSV
// files has it. (A cell holding the other separator is quoted besides:
// rowWriter.)
func excelText(cell string) string {
	if cell == "" || !strings.ContainsRune("=+-@\t\r", rune(cell[0])) || plainNumber.MatchString(cell) {
		return cell
	}
	return "'" + cell
}

// plainNumber is a decimal number as Excel reads one, with a point or a
// comma.
var plainNumber = regexp.MustCompile(`^[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)([eE][+-]?[0-9]+)?$`)

// predictionCheck is how many rows writePrediction writes between looks at
// its context: a few milliseconds' worth.
const predictionCheck = 4096

// writePrediction writes p as CSV in form and returns how many of its
// rows it wrote, stopping with ctx's error once it is done (Ctrl-C:
// atomicfile then keeps nothing of a --out file; standard output gets
// the rows before it whole, or nothing, not even the header, when it
// stops before the first).
func writePrediction(ctx context.Context, w io.Writer, p prediction, form csvForm) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	rw := newRowWriter(w, form)
	if form.excel {
		rw.out.WriteString("\ufeff")
	}
	header := slices.Clone(p.columns) // marked for Excel below: p's own left as it is
	if p.classes != nil {
		header = append([]string{"predicted"}, header...)
	}
	if p.kept != nil {
		kept := slices.Clone(p.kept.Columns)
		for i, name := range kept {
			if slices.Contains(header, name) { // the target kept beside its prediction, say: told apart
				kept[i] = name + " (data)"
			}
		}
		header = append(kept, header...)
	}
	for i, name := range header { // a kept column's name too
		header[i] = form.text(name)
	}
	rw.write(header, len(header))
	for i := range p.rows() {
		if i > 0 && i%predictionCheck == 0 && ctx.Err() != nil {
			if err := rw.flush(); err != nil { // whole rows: the buffer ends where a row does
				return 0, err
			}
			return i, ctx.Err()
		}
		var rec []string
		if p.kept != nil {
			for _, cell := range p.kept.Rows[i] {
				rec = append(rec, form.text(cell))
			}
		}
		if p.classes != nil {
			rec = append(rec, form.text(p.classes[p.class[i]]))
		}
		texts := len(rec)
		for _, v := range p.row(i) {
			rec = append(rec, form.number(v))
		}
		if !rw.write(rec, texts) { // the output failed: the rest would go nowhere
			break
		}
	}
	return p.rows(), rw.flush()
}

// rowWriter writes CSV rows ended in LF or, for Excel, CRLF, a quoted
// cell's own line breaks kept as they are (encoding/csv's UseCRLF makes
// every \n in a cell \r\n too, which changes a kept id's text). For
// Excel a text cell that holds a comma or a semicolon is quoted whichever
// separates the cells: an Excel that separates by the other would split
// it there, and a cell split off after it (x;=cmd|...) would run as a
// formula.
type rowWriter struct {
	out   *bufio.Writer
	sep   rune
	excel bool
	err   error
}

func newRowWriter(w io.Writer, form csvForm) *rowWriter {
	return &rowWriter{out: bufio.NewWriter(w), sep: form.separator(), excel: form.excel}
}

// write buffers a row whose first texts cells are text (the rest
// numbers), and reports whether the output has not failed.
func (rw *rowWriter) write(rec []string, texts int) bool {
	for i, cell := range rec {
		if i > 0 {
			rw.out.WriteRune(rw.sep)
		}
		if rw.needsQuotes(cell, i < texts) {
			rw.out.WriteByte('"')
			rw.out.WriteString(strings.ReplaceAll(cell, `"`, `""`))
			rw.out.WriteByte('"')
		} else {
			rw.out.WriteString(cell)
		}
	}
	if rw.excel {
		rw.out.WriteByte('\r')
	}
	if err := rw.out.WriteByte('\n'); err != nil && rw.err == nil {
		rw.err = err
	}
	return rw.err == nil
}

// needsQuotes reports whether cell must be quoted: where encoding/csv's
// Writer quotes one (the separator, a quote or a line break in it, a
// space first, which some readers drop, or \. alone, which ends
// PostgreSQL's data), and for Excel a text with either separator.
func (rw *rowWriter) needsQuotes(cell string, text bool) bool {
	first, _ := utf8.DecodeRuneInString(cell)
	return strings.ContainsRune(cell, rw.sep) || strings.ContainsAny(cell, "\"\r\n") ||
		cell != "" && unicode.IsSpace(first) || cell == `\.` ||
		rw.excel && text && strings.ContainsAny(cell, ",;")
}

// flush writes out the rows buffered and returns the first error.
func (rw *rowWriter) flush() error {
	if rw.err != nil {
		return rw.err
	}
	return rw.out.Flush()
}
