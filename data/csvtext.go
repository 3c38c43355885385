package data

// The text of a CSV file before its cells: its lines, counted for the
// buffer's size and bounded in length, its delimiter, and its encoding.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/wigglenn/wiggle/internal/utf16text"
)

// MaxCSVLine bounds one physical line of a CSV file, and a quoted field
// (which may hold line ends), so that a file that is not a table, or a
// quote left open, cannot make the reader hold all of it.
const MaxCSVLine = 16 << 20

// countTextLines counts the lines of a file's text, through gzip where it
// is gzipped, so that a gzipped table is stored once too. A gzipped file
// that is not text counts 0 lines (unknown), for readCSV to refuse at once.
func countTextLines(f io.Reader) (int, error) {
	raw := bufio.NewReaderSize(f, 64<<10)
	if !peekGzip(raw) {
		lines, err := countLines(utf16text.NewReader(raw)) // the text's lines, as readCSV reads them
		if err != nil {
			return 0, textError(err)
		}
		return lines, nil
	}
	z, err := gunzip(raw)
	if err != nil {
		return 0, gzipError(err)
	}
	text := bufio.NewReaderSize(utf16text.NewReader(z), 64<<10)
	if head, _ := text.Peek(4096); bytes.IndexByte(head, 0) >= 0 {
		return 0, nil // not text: refused at once, not counted through
	}
	lines, err := countLines(text)
	if err != nil {
		return 0, gzipError(err)
	}
	return lines, nil
}

// textError is the text reader's error, after a file's name; bytes that
// are not text are told what a table is.
func textError(err error) error {
	if errors.Is(err, utf16text.ErrNotText) {
		return fmt.Errorf(": %w; want a CSV table (UTF-8 or UTF-16 text) with a header row", err)
	}
	return fmt.Errorf(": %w", err)
}

// gzipError is a gzip stream's error, after a file's name: the file cut
// short, or damaged, or the CSVOptions.Context's end, passed on as it is
// (a Ctrl-C is no damage).
func gzipError(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf(": %w", err)
	}
	if errors.Is(err, utf16text.ErrBroken) || errors.Is(err, utf16text.ErrNotText) || errors.Is(err, utf16text.ErrUTF32) { // the text's, not the stream's
		return textError(err)
	}
	return errors.New(": " + gzipProblem(err))
}

// gzipProblem says what a gzip stream's error means: the file cut short
// (in its header too, where gzip.NewReader says io.ErrUnexpectedEOF), or
// damaged.
func gzipProblem(err error) string {
	if errors.Is(err, errAfterGzip) {
		return "a gzip file with " + errAfterGzip.Error() + ": gunzip -c FILE > FILE.csv keeps the stream (gzip -t tells what is wrong)"
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "a gzip file cut short (it ends before its stream does): copy or download it again (gzip -t tells whether a file is whole)"
	}
	return "a damaged gzip file: " + err.Error()
}

// blankLines counts the line ends in chunk that end a blank line: those
// after another, or first after a chunk that ended in one (last).
func blankLines(chunk []byte, last byte) int {
	n := 0
	if last == '\n' && chunk[0] == '\n' {
		n++
	}
	for i := 0; ; {
		j := bytes.Index(chunk[i:], []byte("\n\n"))
		if j < 0 {
			return n
		}
		n++
		i += j + 1
	}
}

// countLines counts the lines of r that hold something (encoding/csv skips
// blank ones), a last line without an end too: an upper bound on the
// header and the rows (a quoted field may span lines).
func countLines(r io.Reader) (int, error) {
	buf := make([]byte, 256<<10)
	lines, last := 0, byte('\n')
	for {
		n, err := r.Read(buf)
		if chunk := buf[:n]; n > 0 {
			lines += bytes.Count(chunk, []byte{'\n'}) - blankLines(chunk, last)
			last = chunk[n-1]
		}
		if err == io.EOF {
			if last != '\n' {
				lines++
			}
			return lines, nil
		}
		if err != nil {
			return 0, err
		}
	}
}

// delimiter is the table's separator: a comma, or the semicolon of
// spreadsheets set to a decimal comma, or a tab. Only separators outside
// quotes count, and those the header holds. One that most rows of head
// hold as often as the header (or as often as the header without the
// empty names at its end, a spreadsheet's) beats one they do not (a
// header name may hold commas, unquoted: Gewicht (kg, netto);Preis); then
// the most in the header; then a tab or a semicolon before a comma, which
// names hold more often. A header of none is one column: a semicolon for
// a table of decimal commas (whose rows a comma would split), else a
// comma.
func delimiter(head []byte, decimalComma bool) rune {
	candidates := []byte{'\t', ';', ','} // in the order a tie prefers them
	records := separatorCounts(head, candidates)
	header, trailing := records[0], trailingSeparators(head, candidates)
	steady := func(d int) bool {
		agree := 0
		for _, row := range records[1:] {
			if row[d] == header[d] || row[d] == header[d]-trailing[d] {
				agree++
			}
		}
		return 2*agree > len(records)-1 || len(records) == 1 // more than half of the rows, or no rows to ask
	}
	best, bestSteady := -1, false
	for d := range candidates {
		if header[d] == 0 {
			continue
		}
		s := steady(d)
		if best < 0 || s && !bestSteady || s == bestSteady && header[d] > header[best] {
			best, bestSteady = d, s
		}
	}
	switch {
	case best >= 0:
		return rune(candidates[best])
	case decimalComma:
		return ';'
	}
	return ','
}

// titleAbove is the error of a table with a title or a note above its
// header: a first line that holds no separator, where every line after it
// in head holds one as often, the same number of times (a comma not
// counted where the numbers have decimal commas); nil otherwise.
func titleAbove(head []byte, decimalComma bool) error {
	candidates := []byte{'\t', ';', ','}
	if decimalComma {
		candidates = candidates[:2]
	}
	records := separatorCounts(head, candidates)
	if len(records) < 3 || slices.ContainsFunc(records[0], func(n int) bool { return n > 0 }) {
		return nil
	}
	for d, sep := range candidates {
		n := records[1][d]
		if n > 0 && !slices.ContainsFunc(records[2:], func(row []int) bool { return row[d] != n }) {
			return csvError(1, "", "a line without %s above lines of %d each: a title or a note above the table? Remove the lines above its header (wiggle reads the first line as the header)", separatorName(rune(sep), false), n)
		}
	}
	return nil
}

// trailingSeparators counts each of seps in the run of separators (and
// spaces) that ends head's first line: the empty names a spreadsheet
// leaves at a header's end.
func trailingSeparators(head []byte, seps []byte) []int {
	line, _, _ := bytes.Cut(head, []byte("\n"))
	line = bytes.TrimRight(line, "\r ")
	counts := make([]int, len(seps))
	for i := len(line) - 1; i >= 0; i-- {
		d := bytes.IndexByte(seps, line[i])
		if d < 0 && line[i] != ' ' {
			break
		}
		if d >= 0 {
			counts[d]++
		}
	}
	return counts
}

// separatorCounts counts each of seps outside quotes in each record of
// head (a quoted field may span lines): the header's first, then those of
// the rows that head holds whole, blank lines left out.
func separatorCounts(head []byte, seps []byte) [][]int {
	records := [][]int{make([]int, len(seps))}
	quoted, blank := false, true
	for _, c := range head {
		row := records[len(records)-1]
		switch {
		case c == '"':
			quoted, blank = !quoted, false
		case c == '\n' && !quoted:
			if !blank {
				records = append(records, make([]int, len(seps)))
			}
			blank = true
		case quoted:
		default:
			if d := bytes.IndexByte(seps, c); d >= 0 {
				row[d]++
			}
			blank = blank && c == '\r'
		}
	}
	if len(records) > 1 {
		records = records[:len(records)-1] // the last, cut by head's end or empty
	}
	return records
}

// utf16Unmarked tells text saved as UTF-16 without its byte-order mark
// (as some exporters write it): "little-endian" where many odd bytes of
// head are 0 (the high byte of a digit, a separator, a line's end) and
// hardly any even ones (Korean text has nonzero high bytes, but its
// table's digits and commas do not), "big-endian" the other way, each
// where head read so is text with a line's end (no control character but
// tabs and line ends, no broken surrogate); "" for other bytes.
func utf16Unmarked(head []byte) string {
	var zeros [2]int
	for i, b := range head {
		if b == 0 {
			zeros[i%2]++
		}
	}
	half := len(head) / 2
	for _, c := range []struct {
		high   int
		order  string
		decode func([]byte) uint16
	}{{1, "little-endian", binary.LittleEndian.Uint16}, {0, "big-endian", binary.BigEndian.Uint16}} {
		if zeros[c.high] >= max(2, half/4) && zeros[1-c.high]*50 <= half && utf16Text(head[:2*half], c.decode) {
			return c.order
		}
	}
	return ""
}

// utf16Text reports whether b, read as UTF-16 code units, is text with a
// line's end: no control character but tabs, carriage returns and line
// feeds, and no surrogate out of its pair (the last unit may be half a
// pair: head may cut one).
func utf16Text(b []byte, unit func([]byte) uint16) bool {
	units := make([]uint16, len(b)/2)
	for i := range units {
		units[i] = unit(b[2*i:])
	}
	lines := false
	for i := 0; i < len(units); i++ {
		u := units[i]
		switch {
		case u == '\n':
			lines = true
		case u < 0x20 && u != '\t' && u != '\r', u == 0x7f:
			return false
		case utf16.IsSurrogate(rune(u)) && u < 0xdc00 && i+1 < len(units): // a high surrogate needs a low one next
			if next := units[i+1]; next < 0xdc00 || next > 0xdfff {
				return false
			}
			i++
		case u >= 0xdc00 && u <= 0xdfff: // a low surrogate alone
			return false
		}
	}
	return lines
}

// separatorName is a separator's name: "a comma", or "commas" for many.
func separatorName(sep rune, many bool) string {
	one, more := "a comma", "commas"
	switch sep {
	case ';':
		one, more = "a semicolon", "semicolons"
	case '\t':
		one, more = "a tab", "tabs"
	}
	if many {
		return more
	}
	return one
}

// toUTF8 says how to make a table UTF-8: on Windows, where a spreadsheet's
// "CSV (Comma delimited)" saves Windows-1252, and in the browser's
// playground by saving it so again; elsewhere with iconv too, from
// Windows-1252, which holds Latin-1's letters and Excel's € at 0x80
// (iconv's latin1 makes that a control character).
func toUTF8() string {
	if !unixShell() {
		return "a Latin-1 or Windows-1252 file, as a spreadsheet's plain CSV? save it again as CSV UTF-8"
	}
	return "a Windows-1252 or Latin-1 file, as a spreadsheet's plain CSV? convert it: iconv -f cp1252 -t utf-8 in.csv > out.csv (cp1252 reads Latin-1's letters too, and Excel's € as €), or save it again as CSV UTF-8"
}

// toNewlines says how to end a table's lines in \n rather than a lone \r:
// with tr, or where there is none by saving it again.
func toNewlines() string {
	if !unixShell() {
		return "save it again with Windows' or Unix's line ends"
	}
	return "convert them to \\n (tr '\\r' '\\n' < in.csv > out.csv)"
}

// unixShell reports whether a user of this build has Unix's shell and
// tools (iconv, cut, tr) to follow advice with: not on Windows, nor in
// the playground's WebAssembly (a browser).
func unixShell() bool { return runtime.GOOS != "windows" && runtime.GOOS != "js" }

// notUTF8 says where text that is not UTF-8 begins in head, the file's
// first bytes: a table saved as Latin-1 (é as the byte 0xe9), most likely.
func notUTF8(head []byte) error {
	at := 0
	for at < len(head) {
		r, size := utf8.DecodeRune(head[at:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		at += size
	}
	line := 1 + bytes.Count(head[:at], []byte{'\n'})
	return csvError(line, "", "the byte 0x%02x is not UTF-8 text; want a CSV table in UTF-8 (%s)", head[min(at, len(head)-1)], toUTF8())
}

// lineLimit passes r through and fails once a line exceeds max bytes, or
// a quoted field runs on for max bytes: a quote left open makes the CSV
// reader take the rest of the file into one cell (a 408 MB file held 1.2
// GB before the error came, at its last line).
type lineLimit struct {
	r    io.Reader
	max  int
	run  int // bytes since the last newline
	line int
	seps int // commas, semicolons and tabs on the first line

	quoted    bool // an odd number of quotes so far: inside a quoted field (a doubled quote inside it toggles twice)
	quoteLine int  // the line the open quote is on
	quoteRun  int  // bytes since it
}

type lineTooLong struct{ line int }

func (e *lineTooLong) Error() string { return fmt.Sprintf("line %d is too long", e.line) }

// quoteLeftOpen is lineLimit's error for a quoted field that runs on for
// its max bytes.
type quoteLeftOpen struct{ line int }

func (e *quoteLeftOpen) Error() string {
	return fmt.Sprintf("a quoted field opened on line %d is not closed", e.line)
}

// MaxCSVColumns bounds a table's columns: the separators its first line
// (the header) may hold, counted as they come in, before a line of
// millions of them is made into as many names (16 MiB of commas had taken
// 1.5 GB). A layer of wiggle's holds at most nn.MaxParams weights anyway.
const MaxCSVColumns = 1 << 20

type tooManyColumns struct{}

func (*tooManyColumns) Error() string { return "too many columns" }

func (l *lineLimit) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	chunk := p[:n]
	if l.line == 1 { // the header's separators, all three kinds (its separator is not chosen yet)
		first, _, _ := bytes.Cut(chunk, []byte("\n"))
		l.seps += bytes.Count(first, []byte(",")) + bytes.Count(first, []byte(";")) + bytes.Count(first, []byte("\t"))
		if l.seps >= MaxCSVColumns {
			return 0, &tooManyColumns{}
		}
	}
	if err := l.followQuotes(chunk); err != nil {
		return 0, err
	}
	if last := bytes.LastIndexByte(chunk, '\n'); last >= 0 {
		if l.run+bytes.IndexByte(chunk, '\n') > l.max {
			return 0, &lineTooLong{l.line}
		}
		l.line += bytes.Count(chunk, []byte{'\n'})
		l.run = n - last - 1
	} else {
		l.run += n
	}
	if l.run > l.max {
		return 0, &lineTooLong{l.line}
	}
	return n, err
}

// followQuotes follows chunk's quotes, before l.line counts its lines,
// by their count alone (a byte at a time had cost a quoted table 14% of
// its reading): an odd count turns inside out, and a chunk that ends
// inside a quoted field opened it at its last quote (none comes after).
// It fails once a quoted field has run on for l.max bytes.
func (l *lineLimit) followQuotes(chunk []byte) error {
	quotes := bytes.Count(chunk, []byte{'"'})
	if quotes%2 == 1 {
		l.quoted = !l.quoted
	}
	switch {
	case !l.quoted:
		return nil
	case quotes > 0: // opened here, at the last quote
		at := bytes.LastIndexByte(chunk, '"')
		l.quoteLine, l.quoteRun = l.line+bytes.Count(chunk[:at], []byte{'\n'}), len(chunk)-at
	default:
		l.quoteRun += len(chunk)
	}
	if l.quoteRun > l.max {
		return &quoteLeftOpen{l.quoteLine}
	}
	return nil
}
