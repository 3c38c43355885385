package data

import (
	"errors"
	"strings"
	"testing"
)

// TestLinesPastASeparatorLine: an error names the line it is on where
// Excel's sep= line or a row of empty cells stands above the header (the
// sep= line, read apart from the table, had not been counted).
func TestLinesPastASeparatorLine(t *testing.T) {
	for _, c := range []struct{ name, text, want string }{
		{"sep", "sep=;\nID;Gewicht;Farbe\n1;1,04;grün\n2;x;rot\n", "line 4, column 2 (\"Gewicht\")"},
		{"sep crlf", "\ufeffsep=;\r\nID;Gewicht;Farbe\r\n1;1,04;grün\r\n2;x;rot\r\n", "line 4, column 2 (\"Gewicht\")"},
		{"sep header", "sep=;\nID;;Farbe\n1;1,04;grün\n", "line 2, column 2: a column without a name"},
		{"sep target", "sep=;\nID;Gewicht;Farbe\n1;1,04;grün\n", "line 2: no target column \"label\""},
		{"blank row", ";;\nID;Gewicht;label\n1;1,04;grün\n2;x;rot\n", "line 4, column 2 (\"Gewicht\")"},
	} {
		target := "Farbe"
		if c.name == "sep target" || c.name == "blank row" {
			target = "label"
		}
		_, err := ParseCSV("t.csv", strings.NewReader(c.text), CSVOptions{Target: target, DecimalComma: true})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want %q", c.name, err, c.want)
		}
	}
}

// TestSpreadsheetCellsTold: cells a spreadsheet saved as it showed them
// (a percentage, an amount with its currency sign, a formula's error) and
// an empty cell are each told what they are and what to do, not called
// a column of text to leave out.
func TestSpreadsheetCellsTold(t *testing.T) {
	for _, c := range []struct {
		cell  string
		comma bool
		want  string
	}{
		{"12%", false, "a percentage, as a spreadsheet shows one? save the column as plain numbers, 0.12 for 12%"},
		{"12 %", true, "0,12 for 12%"},
		{"152,80 €", true, "an amount with its currency sign"},
		{"$1,234.50", false, "an amount with its currency sign"},
		{"#DIV/0!", false, "#DIV/0! is a spreadsheet's error, from a formula that failed: fix the formula in that cell"},
		{"#NV", true, "#NV is a spreadsheet's error"},
		{"#WERT!", true, "#WERT! is a spreadsheet's error"},
		{"Err:502", false, "Err:502 is a spreadsheet's error"},
		{"", false, "is empty (a missing value? fill it in, or leave its row out"},
	} {
		sep := ","
		if c.comma {
			sep = ";"
		}
		text := "x" + sep + "y" + sep + "label\n1" + sep + "2" + sep + "a\n3" + sep + c.cell + sep + "b\n"
		if c.cell == "$1,234.50" {
			text = "x,y,label\n1,2,a\n3,\"$1,234.50\",b\n"
		}
		_, err := ParseCSV("t.csv", strings.NewReader(text), CSVOptions{Target: "label", DecimalComma: c.comma})
		var textColumn *TextColumnError
		if err == nil || !strings.Contains(err.Error(), c.want) || errors.As(err, &textColumn) {
			t.Errorf("a cell %q: %v; want %q, not a column of text", c.cell, err, c.want)
		}
	}
	for _, text := range []string{"#1", "50%-off", "€uro", "#hashtag", "#A001", "Err:x"} { // text, as such
		if spreadsheetHint(text, false) != "" {
			t.Errorf("spreadsheetHint(%q) = %q; want none", text, spreadsheetHint(text, false))
		}
	}
}

// TestNamesMatchAcrossUnicodeForms: a column named in the header in
// Unicode's decomposed form (ö as o and a combining diaeresis, as a Mac's
// tools may write it) is the column the composed name gives, as target,
// feature, ignored or kept, and the other way round.
func TestNamesMatchAcrossUnicodeForms(t *testing.T) {
	composed, decomposed := "Größe", "Gro\u0308ße"
	for _, c := range []struct{ header, asked string }{{decomposed, composed}, {composed, decomposed}} {
		text := "ID," + c.header + ",Farbe\n1,2,3\n2,3,4\n"
		for name, opt := range map[string]CSVOptions{
			"target":   {Target: c.asked},
			"features": {Target: "Farbe", Features: []string{c.asked}},
			"ignore":   {Target: "Farbe", Ignore: []string{c.asked}},
			"keep":     {Target: "Farbe", Keep: []string{c.asked}},
		} {
			if _, err := ParseCSV("t.csv", strings.NewReader(text), opt); err != nil {
				t.Errorf("header %q, %s %q: %v", c.header, name, c.asked, err)
			}
		}
	}
}
