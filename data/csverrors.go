package data

// A CSV read's errors: each starts with the place in the file, to follow
// its name.

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"

	"github.com/wigglenn/wiggle/internal/quote"
)

// csvError is an error at a place in the file; its text starts with the
// place, to follow the file name.
func csvError(line int, column string, format string, args ...any) error {
	place := fmt.Sprintf(", line %d", line)
	if column != "" {
		place += ", column " + column
	}
	return fmt.Errorf(place+": "+format, args...)
}

func colName(header []string, j int) string {
	return fmt.Sprintf("%d (%s)", j+1, quote.Short(header[j]))
}

// parseError is the reader's error err, said for a table: a quote the
// reader found left open at the file's end is named where it opened
// (lineLimit follows the quotes), the reader's own error naming the line
// its record began on, or the last.
func (t *tableReader) parseError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrQuote) && pe.StartLine != pe.Line && t.limit.quoted {
		if _, next := t.cr.Read(); next == io.EOF {
			return csvError(t.limit.quoteLine, "", "a quoted field opened on this line runs on to the file's end without its closing quote; close it (a quote inside a quoted field is doubled, \"\")")
		}
	}
	return parseError(err)
}

func parseError(err error) error {
	var pe *csv.ParseError
	var long *lineTooLong
	var wide *tooManyColumns
	var open *quoteLeftOpen
	switch {
	case errors.As(err, &long):
		return csvError(long.line, "", "the line is longer than %d MiB; is this a CSV table?", MaxCSVLine>>20)
	case errors.As(err, &open):
		return csvError(open.line, "", "a quoted field opened on this line runs on for %d MiB without its closing quote; close it (a quote inside a quoted field is doubled, \"\")", MaxCSVLine>>20)
	case errors.As(err, &wide):
		return csvError(1, "", "the header has over %d columns, more than wiggle reads; is this a CSV table?", MaxCSVColumns)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, errAfterGzip): // a gzip stream cut short, or bytes after it: nothing else ends so
		return gzipError(err)
	case errors.As(err, &pe):
		return fmt.Errorf(", line %d, byte %d of the line: %v; quote fields as RFC 4180 says (a quote inside a quoted field is doubled)", pe.Line, pe.Column, pe.Err)
	}
	return textError(err)
}
