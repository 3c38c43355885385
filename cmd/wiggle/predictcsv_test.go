package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/data"
)

// TestExcelText: a text Excel would run as a formula gets a ' first; a
// number with a sign, and other text, stay as they are.
func TestExcelText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"=1+1", "'=1+1"},
		{`=HYPERLINK("http://x")`, `'=HYPERLINK("http://x")`},
		{"@home", "'@home"},
		{"+49 Kunde", "'+49 Kunde"},
		{"-minus", "'-minus"},
		{"\tx", "'\tx"},
		{"-0.5", "-0.5"},
		{"-0,5", "-0,5"},
		{"+3", "+3"},
		{"-1", "-1"},
		{"-Inf", "'-Inf"},
		{"-0x1p3", "'-0x1p3"},
		{"1e-5", "1e-5"},
		{"grün", "grün"},
		{"a=b", "a=b"},
		{"", ""},
	} {
		if got := excelText(c.in); got != c.want {
			t.Errorf("excelText(%q) = %q; want %q", c.in, got, c.want)
		}
	}
}

// TestPredictionRowsForExcel: for Excel the rows end in CRLF while a kept
// cell's own line break stays LF, a label and a kept cell that would run
// as formulas are marked, the table's semicolons are kept where it had
// them, and without --excel every cell is written as it is.
func TestPredictionRowsForExcel(t *testing.T) {
	p := prediction{
		columns: []string{"p_=1+1", "p_b"},
		classes: []string{"=1+1", "b"},
		class:   []int32{0, 1},
		values:  []float32{0.75, 0.25, 0.5, 0.5},
		kept:    &data.Kept{Columns: []string{"=note"}, Rows: [][]string{{"line 1\nline 2"}, {"x;=cmd|' /C calc'!A0"}}},
	}
	write := func(form csvForm) string {
		var out bytes.Buffer
		if _, err := writePrediction(context.Background(), &out, p, form); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	// x;=cmd|... in a table of commas: quoted, or an Excel that separates
	// by semicolons would split it and run =cmd|... as a formula.
	want := "\ufeff'=note,predicted,p_=1+1,p_b\r\n\"line 1\nline 2\",'=1+1,0.75,0.25\r\n\"x;=cmd|' /C calc'!A0\",b,0.5,0.5\r\n"
	if got := write(csvForm{excel: true, readSeparator: ','}); got != want {
		t.Errorf("for Excel:\n%q\nwant\n%q", got, want)
	}
	if got := write(csvForm{excel: true, readSeparator: ';'}); !strings.HasPrefix(got, "\ufeff'=note;predicted;p_=1+1;p_b\r\n") || !strings.Contains(got, ";0.75;0.25\r\n") {
		t.Errorf("for Excel, from a table of semicolons: %q; want semicolons and decimal points", got)
	}
	plain := "=note,predicted,p_=1+1,p_b\n\"line 1\nline 2\",=1+1,0.75,0.25\nx;=cmd|' /C calc'!A0,b,0.5,0.5\n"
	if got := write(csvForm{readSeparator: ';'}); got != plain {
		t.Errorf("without --excel:\n%q\nwant\n%q", got, plain)
	}
}
