package data

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/internal/utf16text"
)

func writeFile(t *testing.T, content string) string {
	path := filepath.Join(t.TempDir(), "d.csv")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReadCSVClasses(t *testing.T) {
	cases := []struct {
		content string
		names   []string
		labels  []int
	}{
		{"a,y\n1,2\n2,0\n3,1\n", []string{"0", "1", "2"}, []int{2, 0, 1}},
		{"a,y\n1,cat\n2,ant\n3,cat\n", []string{"ant", "cat"}, []int{1, 0, 1}},
		{"a,y\n1,10\n2,9\n3,01\n", []string{"01", "9", "10"}, []int{2, 1, 0}}, // "01" is not a plain index: by value
		{"a,y\n1,+1\n2,-1\n", []string{"-1", "+1"}, []int{1, 0}},              // +1 is the positive class
		{"a,y\n1,10\n2,9.5\n3,9\n", []string{"9", "9.5", "10"}, []int{2, 1, 0}},
		{"a,y\n1,b\n2,10\n3,9\n", []string{"10", "9", "b"}, []int{2, 0, 1}},                 // not all numbers: as text
		{"a,y\n1,0\n2,3\n3,1\n", []string{"0", "1", "2", "3"}, []int{0, 3, 1}},              // from 0: indices, 2 an empty class
		{"a,y\n1,3\n2,1\n3,2\n", []string{"1", "2", "3"}, []int{2, 0, 1}},                   // from 1 (ratings): no empty class 0
		{"a,y\n1,1001\n2,3003\n3,2002\n", []string{"1001", "2002", "3003"}, []int{0, 2, 1}}, // codes: three classes, not 3004
		{"a,y\n1,0\n2,9\n", []string{"0", "9"}, []int{0, 1}},                                // more gaps than labels
		{"a,y\n1,10\n2,9\n3,1\n", []string{"1", "9", "10"}, []int{2, 1, 0}},                 // numeric order
		{"a,y\n1,100000\n2,9\n", []string{"9", "100000"}, []int{1, 0}},                      // past 65,535: numeric order still
		{"a,y\n1,-1\n2,10\n3,2\n", []string{"-1", "2", "10"}, []int{0, 2, 1}},               // negative: numeric order
		{"a,y\n1,0\n2,3\n", []string{"0", "3"}, []int{0, 1}},                                // two gaps, two labels: no empty classes
	}
	for _, c := range cases {
		ds, err := ReadCSV(writeFile(t, c.content), CSVOptions{Target: "y"})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ds.ClassNames, c.names) || !slices.Equal(ds.Labels, c.labels) || ds.Classes != len(c.names) {
			t.Errorf("%q: classes %v labels %v, want %v %v", c.content, ds.ClassNames, ds.Labels, c.names, c.labels)
		}
	}
}

// TestReadCSVOneClass: a target of one label is refused with a
// *OneClassError naming it, and read when Classes names it.
func TestReadCSVOneClass(t *testing.T) {
	path := writeFile(t, "a,y\n1,cat\n2,cat\n")
	_, err := ReadCSV(path, CSVOptions{Target: "y"})
	var one *OneClassError
	if !errors.As(err, &one) || one.Label != "cat" || !strings.HasSuffix(err.Error(), `column 2 ("y"): every row has the label "cat"; a classifier needs at least two classes`) {
		t.Fatalf("one class: %v; want a *OneClassError of \"cat\"", err)
	}
	ds, err := ReadCSV(path, CSVOptions{Target: "y", Classes: []string{one.Label}})
	if err != nil || ds.Classes != 1 || !slices.Equal(ds.Labels, []int{0, 0}) {
		t.Errorf("with Classes [cat]: %v, %+v; want two rows of class 0", err, ds)
	}
}

func TestReadCSVByIndexAndQuotes(t *testing.T) {
	ds, err := ReadCSV(writeFile(t, "\"first, col\",y,z\n1.5,0,-2\n\"3\",1,4e1\n"), CSVOptions{Target: "1"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ds.X.Data, []float32{1.5, -2, 3, 40}) || !slices.Equal(ds.Features, []string{"first, col", "z"}) || ds.Target != "y" {
		t.Errorf("read %v features %v target %q", ds.X.Data, ds.Features, ds.Target)
	}
}

// TestReadCSVTargetLast: TargetLast takes the header's last column as
// the reader sees it (quoted, after the margin a spreadsheet saves), a
// header of numbered features too, whatever the last column's name.
func TestReadCSVTargetLast(t *testing.T) {
	for _, c := range []struct{ name, text, target string }{
		{"plain", "a,b,y\n1,2,0\n3,4,1\n", "y"},
		{"quoted, with a comma", "a,b,\"y, z\"\n1,2,0\n3,4,1\n", "y, z"},
		{"a margin", "a,b,y,,\n1,2,0,,\n3,4,1,,\n", "y"},
		{"numbered features", "0,1,label\n1,2,a\n3,4,b\n", "label"},
		{"a last column named -1", "a,b,-1\n0,2,7\n1,4,8\n", "-1"},
	} {
		ds, err := ParseCSV("t.csv", strings.NewReader(c.text), CSVOptions{TargetLast: true})
		if err != nil || ds.Target != c.target || ds.X.Cols != 2 {
			t.Errorf("%s: %v; want the target %q and two features", c.name, err, c.target)
		}
	}
	if _, err := ParseCSV("t.csv", strings.NewReader("y\n1\n0\n"), CSVOptions{TargetLast: true}); err == nil || !strings.Contains(err.Error(), "no feature columns") {
		t.Errorf("one column: %v; want no feature columns", err)
	}
	if _, err := ParseCSV("t.csv", strings.NewReader("a,y\n1,0\n"), CSVOptions{TargetLast: true, Target: "a"}); err == nil || !strings.Contains(err.Error(), "both set") {
		t.Errorf("Target and TargetLast: %v; want refused", err)
	}
}

// TestReadCSVSpreadsheetMargins: a table a spreadsheet saved with the
// empty cells around it (columns without names, rows of empty cells,
// ",,,,") reads as the table alone.
func TestReadCSVSpreadsheetMargins(t *testing.T) {
	want, err := ParseCSV("clean", strings.NewReader("x0,x1,label\n1,2,yes\n3,4,no\n5,6,yes\n"), CSVOptions{Target: "label"})
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{
		"columns":           "x0,x1,label,,\r\n1,2,yes,,\r\n3,4,no,,\r\n5,6,yes,,\r\n",
		"rows":              "x0,x1,label\n1,2,yes\n3,4,no\n5,6,yes\n,,\n, ,\n\"\",,\n",
		"both":              "x0,x1,label,\n1,2,yes,\n3,4,no,\n5,6,yes,\n,,,\n,,,\n",
		"fewer empty cells": "x0;x1;label;;;\n1;2;yes;;;\n3;4;no;\n5;6;yes;;\n;;;;;\n",
	} {
		got, err := ParseCSV(name, strings.NewReader(text), CSVOptions{Target: "label"})
		if err != nil || !slices.Equal(got.X.Data, want.X.Data) || !slices.Equal(got.Labels, want.Labels) || !slices.Equal(got.Features, want.Features) {
			t.Errorf("%s: %v, %v; want the clean table's rows", name, got, err)
		}
	}
	for text, want := range map[string]string{
		"x0,x1,label\n1,2,yes\n,,\n3,4,no\n": "line 3: a row of empty cells among the rows; remove it, or fill it in", // leaving it out would shift predictions' rows
		"x0,label,,\n1,yes,,\n2,no,,,\n":     "line 3: 5 fields, the header has 2 named (4 with the unnamed ones at its end); every row",
	} {
		if _, err := ParseCSV("t", strings.NewReader(text), CSVOptions{Target: "label"}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v; want %q", text, err, want)
		}
	}
	ds, err := ParseCSV("t", strings.NewReader("a,b,\n1,2,x\n3,4,y\n"), CSVOptions{Target: "2"}) // an unnamed last column named by its index is kept
	if err != nil || !slices.Equal(ds.ClassNames, []string{"x", "y"}) {
		t.Errorf("an unnamed last column as the target by index: %v, %v; want classes x and y", ds, err)
	}
}

// TestReadCSVDecimalComma: with CSVOptions.DecimalComma a cell's one
// comma is its decimal point, as a spreadsheet set to a decimal comma
// saves it, in features and a regression target alike; a cell with a
// point, or separators between thousands, is refused. Without it, only
// the cells it would read match ErrDecimalComma.
func TestReadCSVDecimalComma(t *testing.T) {
	table := "a;b;y\n0,5;-1,25e2;2,5\n3;\"0,125\";-0,0\n"
	for _, regression := range []bool{true, false} {
		ds, err := ParseCSV("t", strings.NewReader(table), CSVOptions{Target: "y", Regression: regression, DecimalComma: true})
		if err != nil {
			t.Fatalf("regression %v: %v", regression, err)
		}
		if want := []float32{0.5, -125, 3, 0.125}; !slices.Equal(ds.X.Data, want) {
			t.Errorf("regression %v: features %v; want %v", regression, ds.X.Data, want)
		}
		if regression && !slices.Equal(ds.Values.Data, []float32{2.5, 0}) {
			t.Errorf("targets %v; want 2.5 and 0", ds.Values.Data)
		}
		if !regression && !slices.Equal(ds.ClassNames, []string{"-0,0", "2,5"}) && !slices.Equal(ds.ClassNames, []string{"2,5", "-0,0"}) {
			t.Errorf("class labels %q; want the cells' text as it is", ds.ClassNames)
		}
	}
	for _, cell := range []string{"1.234,5", "1,234,567", "1,2,3", "1.234", "1.5", "1.000.000"} { // a point, or separators between thousands
		_, err := ParseCSV("t", strings.NewReader("a;y\n1;0\n"+cell+";1\n"), CSVOptions{Target: "y", DecimalComma: true})
		if err == nil || errors.Is(err, ErrDecimalComma) || !strings.Contains(err.Error(), `line 3, column 1 ("a"): "`+cell+`" is not a number as a table with a decimal comma writes one`) {
			t.Errorf("%s with DecimalComma: %v; want it refused at line 3, column 1, saying how such a table writes numbers", cell, err)
		}
	}
	if _, err := ParseCSV("t", strings.NewReader(table), CSVOptions{Target: "y", Regression: true}); !errors.Is(err, ErrDecimalComma) {
		t.Errorf("0,5 without DecimalComma: %v; want ErrDecimalComma", err)
	}
	for _, cell := range []string{"1.234,5", "1,234,567", "60,366.09"} { // DecimalComma would not read them
		if _, err := ParseCSV("t", strings.NewReader("a;y\n1;0\n"+cell+";1\n"), CSVOptions{Target: "y"}); err == nil || errors.Is(err, ErrDecimalComma) {
			t.Errorf("%s without DecimalComma: %v; want an error that is not ErrDecimalComma (the option would not read it)", cell, err)
		}
	}
	for _, cell := range []string{"1 234,5", "1\u00a0234,5", "1\u202f234\u202f567,25"} { // a French table's thousands
		_, err := ReadCSV(writeFile(t, "a;y\n1;0\n"+cell+";1\n"), CSVOptions{Target: "y", DecimalComma: true})
		if err == nil || !strings.Contains(err.Error(), "spaces between thousands") || !strings.Contains(err.Error(), "write 1234,5, with no space") {
			t.Errorf("%q with DecimalComma: %v; want the spaces between thousands named", cell, err)
		}
	}
}

func TestReadCSVErrorsSayWhere(t *testing.T) {
	cases := []struct{ content, want string }{
		{"", "the file is empty"},
		{"a,y\n", "header but no rows"},
		{"a,a,y\n1,2,0\n", `both named "a"`},
		{"a,y\n1,0\n2\n", "line 3: 1 field, the header has 2"},
		{"a,y\n1,0\nx,1\n", `line 3, column 1 ("a"): "x" is not a number; want`},
		{"a,y\n1,0\n2,1,\n", `line 3: 3 fields, the header has 2 (does the line end in a comma?); every row`},
		{"a,y\n1,0\n2,1,3\n", `line 3: 3 fields, the header has 2; every row`},
		{"a,y,,\n1,0,,\n2,1,,5\n", `line 3, column 4 (""): a value in a column without a name; name it`},
		{"a;y\n1;0\n0,5;1\n", `line 3, column 1 ("a"): "0,5" is not a number (a decimal comma? write 0.5, not 0,5); want`},
		{"a;y\n1;0\n-71,25;1\n", `line 3, column 1 ("a"): "-71,25" is not a number (a decimal comma? write -71.25, not -71,25); want`},
		{"a,y\n1,0\n\"60,366.09\",1\n", `line 3, column 1 ("a"): "60,366.09" is not a number (a thousands separator? write 1234.5, not 1,234.5 or 1.234,5)`},
		{"a,y\n1,0\n\"1,234,567\",1\n", `line 3, column 1 ("a"): "1,234,567" is not a number (a thousands separator?`},
		{"a;y\n1;0\n1.234.567,5;1\n", `line 3, column 1 ("a"): "1.234.567,5" is not a number (a thousands separator?`},
		{"a,y\n1,0\n\"1,x\",1\n", `line 3, column 1 ("a"): "1,x" is not a number; want`},
		{"a;y\n1;0\n1,000,000;1\n", `line 3, column 1 ("a"): "1,000,000" is not a number (a thousands separator? write 1234.5`},
		{"a,y\n1,0\n0x10,1\n", `line 3, column 1 ("a"): "0x10" is not a decimal number (hexadecimal: write 16); want`},
		{"a,y\n0x1p3,0\n2,1\n", `line 2, column 1 ("a"): "0x1p3" is not a decimal number (hexadecimal: write 8)`},
		{"a,y\n1_000,0\n2,1\n", `"1_000" is not a decimal number (digits separated by '_': write 1000)`},
		{"a,y\n1,0\nNaN,1\n", `line 3, column 1 ("a"): "NaN" is not a number: a missing value's mark (fill it in, or leave its row out`},
		{"a,y\n1,0\nNA,1\n", `line 3, column 1 ("a"): "NA" is not a number: a missing value's mark`},
		{"a,y\n1,0\n NULL ,1\n", `line 3, column 1 ("a"): " NULL " is not a number: a missing value's mark`},
		{"a,y\n1,0\n\\N,1\n", `line 3, column 1 ("a"): "\\N" is not a number: a missing value's mark`}, // a database's COPY export
		{"a,y\n1,0\n-Inf,1\n", "is not finite"},
		{"a,y\n1e40,0\n2,1\n", "outside the float32 range"},
		{"a,y\n1,0\n2,0\n", `every row has the label "0"`},
		{"a,b\n1,0\n", `no target column "y"; the columns are a, b`},
		{"a,y\n1,\"0\n", "line 2, byte 6 of the line: extraneous or missing"},
		{"a,b,y\n1,2,0\n3,4,1\n5", "line 4: 1 field, the header has 3 (the file's last line: was the file cut short"}, // a download cut off
		{"a,b,y\n1,2,0\n3,4\n5,6,1\n", "line 3: 2 fields, the header has 3; every row"},                               // not the last: no such guess
		// a quote left open: named where it opened (the reader's error came at the file's end, naming that line), and refused after 16 MiB rather than the whole file held in one cell
		{"a,y\n1,0\n2,\"1\n3,0\n4,1\n", "line 3: a quoted field opened on this line runs on to the file's end without its closing quote"},
		{"a,b,y\n\"1\n2\",\"3\n4,0\n5,6,1\n", "line 3: a quoted field opened on this line runs on to the file's end"}, // not line 2, where its record began
		{"a,b,y\n\"1\n2\",x\"y,0\n3,4,1\n", `line 3, byte 5 of the line: bare " in non-quoted-field`},                 // another quote's error, in a record of two lines: the reader's own
		{"a,y\n1,0\n\"2,1\n" + strings.Repeat("3,0\n", MaxCSVLine/4+1) + "5,1\n", "line 3: a quoted field opened on this line runs on for 16 MiB without its closing quote"},
		{"a,y\n1,\"x\"\"y\"\n2,z\n\"" + strings.Repeat("3,z\n", MaxCSVLine/4+1), "line 4: a quoted field opened on this line runs on for 16 MiB"}, // a doubled quote inside a closed field leaves it closed
		{"a,b,y\n\"1\n\",x,0\n", `line 3, column 2 ("b"): "x" is not a number`},                                                                   // a field on the row's second line
		// a header of a million separators, refused before as many names are made (16 MiB of commas had taken 1.5 GB)
		{strings.Repeat(",", MaxCSVColumns) + "\n1\n", "line 1: the header has over 1048576 columns, more than wiggle reads"},
		{"a,y\x00\n", "not a text file; want a CSV table"},
		{string(gzipped([]byte("a,y\x00\n"))), "not a text file (what the gzip holds); want a CSV table"},
		{"a\x00,\x00y\x00\n\x001\x00,\x000\x00\n\x002\x00,\x001\x00\n\x00", "UTF-16 text (little-endian) without a byte-order mark, which wiggle does not guess; save it again as UTF-8"},
		{"\x00a\x00,\x00y\x00\n\x001\x00,\x000\x00\n\x002\x00,\x001\x00\n", "UTF-16 text (big-endian) without a byte-order mark"},
		{"x\x00\r\x00\n\x001\x00\r\x00\n\x00", "UTF-16 text (little-endian) without a byte-order mark"},
		{"\xfd7zXZ\x00\x00\x04", "a file compressed by xz (unxz FILE), which wiggle does not read; decompress it first"},
		{"BZh91AY&SY\x00\x01", "a file compressed by bzip2 (bunzip2 FILE)"},
		{"\x28\xb5\x2f\xfd\x00", "a file compressed by zstd"},
		{"PK\x03\x04\x14\x00", "a zip archive (unzip FILE)"},
		{"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00b\xee\x9dh^\x01\x00\x00\x90\x04\x00\x00\x13\x00\x08\x02[Content_Types].xmlPK\x03\x04xl/workbook.xml", "an Excel workbook (.xlsx), which wiggle does not read; save the sheet as CSV (File → Save As → CSV UTF-8"},
		{"PK\x03\x04\x14\x00[Content_Types].xmlPK\x03\x04word/document.xml", "a zip archive (unzip FILE)"}, // a Word document is no workbook
		{"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "an Excel 97-2003 workbook (.xls) or another OLE2 document, which wiggle does not read; save the sheet as CSV"},
		{"PK\x03\x04\x14\x00\x00\x08\x00\x00mimetypeapplication/vnd.oasis.opendocument.spreadsheetPK", "an OpenDocument spreadsheet (.ods, LibreOffice's), which wiggle does not read"},
		{string(gzipped(gzipped([]byte("a,y\n1,0\n2,1\n")))), "a gzip stream inside a gzip file, compressed twice (gunzip FILE once)"},
		{"a,y\n1,caf\xe9\n2,b\n", "line 2: the byte 0xe9 is not UTF-8 text; want a CSV table in UTF-8 (a Windows-1252 or Latin-1 file, as a spreadsheet's plain CSV? convert it: iconv -f cp1252"},
		{"a,y\r1,0\r2,1\r", `line 1: the lines end in a lone carriage return (\r, as old Mac files do)`},
		{"a,,y\n1,2,0\n3,4,1\n", "line 1, column 2: a column without a name; name every feature column"},
		{",a,y\n0,1,0\n1,2,1\n", "line 1, column 1: a column without a name; name every feature column in the header, as a model finds its features by name (a row index, as pandas writes one? leave it out by its index, 0, or save the table with index=False)"},
		// a feature's name the header repeats: no model could find it by name
		{"a,b,a,y\n1,2,3,0\n4,5,6,1\n", `line 1: columns 1 and 3 (indexes 0 and 2) are both named "a"; a model finds its features by name: rename them, or leave them all out (by the name)`},
		{"x,a,,,y\n1,2,,,0\n4,5,,,1\n", "line 1, column 3: a column without a name"}, // names repeated empty: the missing name told, not the repetition
		{"a,y,\n1,0,5\n", `line 2, column 3 (""): a value in a column without a name; name it`},
		{"a,y\n1,0\n2,\n3,1\n", `line 3, column 2 ("y"): no label; give every row its class`},
		{"a,y\n1,0\n" + strings.Repeat("é", 100000) + ",1\n", `"` + strings.Repeat("é", 20) + `"… (200000 bytes) is not a number`},
		// thousands apart by spaces, as French spreadsheets write them (a no-break or a narrow space)
		{"a,y\n1,0\n2 000,1\n", `line 3, column 1 ("a"): "2 000" is not a number (spaces between thousands, as a French or Czech spreadsheet writes them? write 1234.5, with no space)`},
		// DOS's end-of-file mark (Ctrl-Z) that copy a+b writes between the files it joins
		{"a,y\r\n1,0\r\n\x1a\r\n2,1\r\n", "line 3: a Ctrl-Z (the byte 0x1A, DOS's end-of-file mark, which copy a+b writes between files) among the rows"},
		{"a,y\r\n1,0\r\n\x1a2,1\r\n", `"\x1a2" is not a number; want a finite number (\x1a is a Ctrl-Z`},
	}
	for _, c := range cases {
		_, err := ReadCSV(writeFile(t, c.content), CSVOptions{Target: "y"})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "d.csv") || len(err.Error()) > 1000 {
			t.Errorf("%q: error %v; want the file name and %q, in under 1,000 bytes", c.content[:min(len(c.content), 60)], err, c.want)
		}
	}
}

func TestReadCSVForAModel(t *testing.T) {
	path := writeFile(t, "z,y,a\n9,cat,1\n8,dog,2\n")
	ds, err := ReadCSV(path, CSVOptions{Target: "y", Features: []string{"a", "z"}, Classes: []string{"cat", "dog", "eel"}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ds.X.Data, []float32{1, 9, 2, 8}) || !slices.Equal(ds.Labels, []int{0, 1}) || ds.Classes != 3 {
		t.Errorf("read %v labels %v classes %d", ds.X.Data, ds.Labels, ds.Classes)
	}
	_, err = ReadCSV(path, CSVOptions{Target: "y", Features: []string{"a"}, Classes: []string{"cat", "eel"}})
	if err == nil || !strings.Contains(err.Error(), `line 3, column 2 ("y"): label "dog" is not one of the model's classes cat, eel`) {
		t.Errorf("unknown label: %v", err)
	}
}

func TestStandardizer(t *testing.T) {
	ds, _ := ReadCSV(writeFile(t, "a,b,y\n1,5,0\n3,5,1\n"), CSVOptions{Target: "y"})
	s := FitStandardizer(ds.X)
	s.Apply(ds.X)
	if !slices.Equal(ds.X.Data, []float32{-1, 0, 1, 0}) {
		t.Errorf("standardised to %v, want [-1 0 1 0] (a constant column maps to 0)", ds.X.Data)
	}
}

// TestReadCSVRefusesOptionsThatCannotBe: options that describe no table
// are errors naming the field, not a division by zero or a model whose
// Check fails later.
func TestReadCSVRefusesOptionsThatCannotBe(t *testing.T) {
	path := writeFile(t, "a,b,y\n1,2,0\n3,4,1\n")
	for _, c := range []struct {
		opt  CSVOptions
		want string
	}{
		{CSVOptions{Target: "y", Features: []string{}}, "CSVOptions.Features is empty"},
		{CSVOptions{Target: "y", Features: []string{"a", "a"}}, `CSVOptions.Features lists "a" twice`},
		{CSVOptions{Target: "y", Features: []string{"a", "y"}}, `CSVOptions.Features lists the target, "y"`},
		{CSVOptions{Target: "0", Features: []string{"a", "b"}}, `the target, column "a", is among the features`},
		{CSVOptions{Target: "y", Classes: []string{"0", "0", "1"}}, `CSVOptions.Classes lists "0" twice`},
	} {
		if _, err := ReadCSV(path, c.opt); err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "d.csv") {
			t.Errorf("%+v: %v; want an error naming the file and saying %q", c.opt, err, c.want)
		}
	}
}

// TestReadCSVByteOrderMark: a byte-order mark goes before the header,
// whether its first name is quoted or not, and line 1's columns count
// from after it.
func TestReadCSVByteOrderMark(t *testing.T) {
	for _, content := range []string{"\ufeffa,y\n1,0\n2,1\n", "\ufeff\"a\",y\n1,0\n2,1\n", "\ufeff\"a\";\"y\"\n1;0\n2;1\n",
		"a,y\r\n1,0\r\n2,1\r\n\x1a", "a,y\r\n1,0\r\n2,1\r\n\x1a \r\n,\r\n"} { // DOS's end-of-file mark (Ctrl-Z) at the end, as copy a+b leaves it, a space or rows of empty cells after it: the end
		ds, err := ReadCSV(writeFile(t, content), CSVOptions{Target: "y"})
		if err != nil {
			t.Errorf("%q: %v", content, err)
			continue
		}
		if !slices.Equal(ds.Features, []string{"a"}) || !slices.Equal(ds.X.Data, []float32{1, 2}) {
			t.Errorf("%q: features %q, values %v", content, ds.Features, ds.X.Data)
		}
	}
}

// TestReadCSVUTF16: a table saved as UTF-16 with its byte-order mark
// (Windows PowerShell 5's > writes so), either byte order, gzipped too,
// reads as its UTF-8 text does, names beyond the BMP included; an error
// names the line as in the text.
func TestReadCSVUTF16(t *testing.T) {
	utf16Of := func(text string, bigEndian bool) string { return string(utf16text.Encode(text, bigEndian)) }
	text := "𝑥₁,b,label\r\n1,2,é\r\n3,4,y\r\n5.5,-6,é\r\n"
	want, err := ParseCSV("utf8", strings.NewReader(text), CSVOptions{Target: "label"})
	if err != nil {
		t.Fatal(err)
	}
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write([]byte(utf16Of(text, false)))
	zw.Close()
	for name, content := range map[string]string{"little-endian": utf16Of(text, false), "big-endian": utf16Of(text, true), "gzipped": zipped.String()} {
		ds, err := ReadCSV(writeFile(t, content), CSVOptions{Target: "label"})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !slices.Equal(ds.Features, want.Features) || !slices.Equal(ds.X.Data, want.X.Data) || !slices.Equal(ds.ClassNames, want.ClassNames) || !slices.Equal(ds.Labels, want.Labels) {
			t.Errorf("%s: features %q, values %v, classes %q, labels %v; want %q, %v, %q, %v", name, ds.Features, ds.X.Data, ds.ClassNames, ds.Labels, want.Features, want.X.Data, want.ClassNames, want.Labels)
		}
	}
	_, err = ReadCSV(writeFile(t, utf16Of("a,label\r\n1,x\r\nz,y\r\n", false)), CSVOptions{Target: "label"})
	if err == nil || !strings.Contains(err.Error(), `line 3, column 1 ("a"): "z" is not a number`) {
		t.Errorf("a UTF-16 table's bad cell: %v; want its line and column", err)
	}
	// Broken text is refused, as bytes that are not UTF-8 are: a file cut
	// inside a character, a surrogate without its pair.
	whole := utf16Of("a,label\n1,x\n2,y\n", false)
	for name, content := range map[string]string{"cut short": whole[:len(whole)-1], "a lone surrogate": whole[:len(whole)-2] + "\x00\xd8\n\x00"} {
		if _, err := ReadCSV(writeFile(t, content), CSVOptions{Target: "label"}); err == nil || !strings.Contains(err.Error(), "the UTF-16 text is broken") {
			t.Errorf("%s: %v; want the text called broken", name, err)
		}
		if _, err := ParseCSV("stdin", strings.NewReader(content), CSVOptions{Target: "label"}); err == nil || !strings.Contains(err.Error(), "the UTF-16 text is broken") {
			t.Errorf("%s, from a stream: %v; want the text called broken", name, err)
		}
	}
	// Bytes that only begin with UTF-16's mark are not text, gzipped too;
	// broken UTF-16 text in a gzipped file is the text's fault, not gzip's.
	binary := "\xff\xfe" + "a\x00,\x00\x00\xdd" + strings.Repeat("\x17\x9c", 100)
	for name, tc := range map[string]struct{ content, want, not string }{
		"not text":            {binary, "not a text file: its first two bytes are UTF-16's byte-order mark", "broken"},
		"not text, gzipped":   {string(gzipped([]byte(binary))), "not a text file: its first two bytes are UTF-16's byte-order mark", "gzip"},
		"cut short, gzipped":  {string(gzipped([]byte(whole[:len(whole)-1]))), "the UTF-16 text is broken", "gzip"},
		"UTF-32":              {"\xff\xfe\x00\x00a\x00\x00\x00", "UTF-32 text (its first bytes FF FE 00 00), which wiggle does not read", "gzip"},
		"UTF-32, gzipped":     {string(gzipped([]byte("\xff\xfe\x00\x00a\x00\x00\x00"))), "UTF-32 text (its first bytes FF FE 00 00)", "gzip"},
		"a NUL in the header": {utf16Of("a", false) + "\x00\x00" + utf16Of(",label\n1,x\n", false)[2:], "not a text file", "broken"},
	} {
		_, err := ReadCSV(writeFile(t, tc.content), CSVOptions{Target: "label"})
		_, errStream := ParseCSV("stdin", strings.NewReader(tc.content), CSVOptions{Target: "label"})
		for _, e := range []error{err, errStream} {
			if e == nil || !strings.Contains(e.Error(), tc.want) || strings.Contains(e.Error(), tc.not) {
				t.Errorf("%s: %v; want %q, without %q", name, e, tc.want, tc.not)
			}
		}
	}
	// The table is sized by its text's lines, not its bytes': a UTF-16
	// table of 1000 rows whose labels hold 0x0A bytes (ਊ, U+0A0A), padded
	// with blank lines, gzipped or not, fits the bound its UTF-8 text does.
	rows := "a,label\n" + strings.Repeat("1,ਊ\n2,ਗ\n", 500) + strings.Repeat("\n", 5000)
	limit := CSVOptions{Target: "label", MaxBytes: 1001 * 4 * 2}
	if _, err := ParseCSV("utf8", strings.NewReader(rows), CSVOptions{Target: "label"}); err != nil {
		t.Fatal(err)
	}
	zipped.Reset()
	zw = gzip.NewWriter(&zipped)
	zw.Write([]byte(utf16Of(rows, false)))
	zw.Close()
	for name, content := range map[string]string{"utf-16": utf16Of(rows, false), "gzipped utf-16": zipped.String()} {
		if ds, err := ReadCSV(writeFile(t, content), limit); err != nil || ds.Len() != 1000 {
			t.Errorf("%s, 1000 rows within MaxBytes %g: %v", name, limit.MaxBytes, err)
		}
	}
}

// TestReadCSVCountsGzippedLines: a gzipped table is sized by its lines that
// hold something (a 2-row table padded with a million blank lines takes no
// more than its rows), several gzip members are read through, and a
// truncated one is called damaged, not too large.
func TestReadCSVCountsGzippedLines(t *testing.T) {
	gz := func(parts ...string) string {
		var b bytes.Buffer
		for _, p := range parts { // one member each
			zw := gzip.NewWriter(&b)
			zw.Write([]byte(p))
			zw.Close()
		}
		path := filepath.Join(t.TempDir(), "d.csv.gz")
		os.WriteFile(path, b.Bytes(), 0o644)
		return path
	}
	padded := gz("a,label\n1,0\n" + strings.Repeat("\n", 1<<20) + "2,1\n")
	if ds, err := ReadCSV(padded, CSVOptions{Target: "label", MaxBytes: 100}); err != nil || ds.Len() != 2 {
		t.Errorf("2 rows and a million blank lines within 100 bytes: %v", err)
	}
	members := gz("a,label\n1,0\n", "2,1\n3,0\n")
	if ds, err := ReadCSV(members, CSVOptions{Target: "label", MaxBytes: 100}); err != nil || ds.Len() != 3 {
		t.Errorf("two gzip members: %v, %v rows", err, ds)
	}
	whole, _ := os.ReadFile(gz("a,label\n" + strings.Repeat("1,0\n2,1\n", 2000)))
	cut := filepath.Join(t.TempDir(), "cut.csv.gz")
	os.WriteFile(cut, whole[:len(whole)/2], 0o644)
	_, err := ReadCSV(cut, CSVOptions{Target: "label", MaxBytes: 1000})
	if err == nil || !strings.Contains(err.Error(), "a gzip file cut short") || errors.As(err, new(*TableSizeError)) {
		t.Errorf("a truncated gzip file: %v; want it called cut short", err)
	}
}

// TestReadCSVRefusesATableLargerThanMaxBytes: a table whose numbers would
// take more than MaxBytes is refused with a *TableSizeError, from its
// counted lines (plain and gzipped) or, read from a stream, once its rows
// pass a third of the bound; one within it is read.
func TestReadCSVRefusesATableLargerThanMaxBytes(t *testing.T) {
	var text strings.Builder
	text.WriteString("a,b,label\n")
	for i := range 1000 {
		fmt.Fprintf(&text, "%d,%d,%d\n", i, -i, i%2)
	}
	plain := writeFile(t, text.String())
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write([]byte(text.String()))
	zw.Close()
	gz := filepath.Join(t.TempDir(), "d.csv.gz")
	os.WriteFile(gz, zipped.Bytes(), 0o644)
	for _, path := range []string{plain, gz} {
		_, err := ReadCSV(path, CSVOptions{Target: "label", MaxBytes: 10000})
		var size *TableSizeError
		if !errors.As(err, &size) || size.Rows != 1000 || size.Columns != 3 || size.Bytes != 12000 || size.Max != 10000 {
			t.Errorf("%s within 10,000 bytes: %v (%+v); want 1,000 rows of 3 numbers refused", filepath.Base(path), err, size)
		}
		if ds, err := ReadCSV(path, CSVOptions{Target: "label", MaxBytes: 12000}); err != nil || ds.Len() != 1000 {
			t.Errorf("%s within 12,000 bytes: %v", filepath.Base(path), err)
		}
	}
	_, err := ParseCSV("stream", strings.NewReader(text.String()), CSVOptions{Target: "label", MaxBytes: 6000})
	var size *TableSizeError
	if !errors.As(err, &size) || size.Rows%3 != 0 || size.Bytes <= 6000 || !strings.HasPrefix(err.Error(), "stream: a buffer for ") {
		t.Errorf("a stream within 6,000 bytes: %v; want it refused as it grows", err)
	}
	if ds, err := ParseCSV("stream", strings.NewReader(text.String()), CSVOptions{Target: "label", MaxBytes: 1e6}); err != nil || ds.Len() != 1000 {
		t.Errorf("a stream within 1 MB: %v", err)
	}
}

// linesNaive counts the lines that hold something a byte at a time: the
// reference countLines is held to.
func linesNaive(s string) int {
	n, last := 0, byte('\n')
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' && last != '\n' {
			n++
		}
		last = s[i]
	}
	if last != '\n' {
		n++
	}
	return n
}

// dribble reads s a few bytes at a time, so that blank lines fall across
// the reads' edges.
type dribble struct {
	s   string
	rng *rand.Rand
}

func (d *dribble) Read(p []byte) (int, error) {
	if d.s == "" {
		return 0, io.EOF
	}
	n := min(1+d.rng.IntN(7), len(p), len(d.s))
	copy(p, d.s[:n])
	d.s = d.s[n:]
	return n, nil
}

// TestCountLinesMatchesTheNaiveCount holds countLines to linesNaive on
// random texts of letters, commas, carriage returns and runs of newlines.
func TestCountLinesMatchesTheNaiveCount(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		var b strings.Builder
		for range rng.IntN(40) {
			b.WriteByte("a\n\n,\r"[rng.IntN(5)])
		}
		s := b.String()
		if got, err := countLines(&dribble{s, rng}); err != nil || got != linesNaive(s) {
			t.Fatalf("countLines(%q) = %d, %v; want %d", s, got, err, linesNaive(s))
		}
	}
}

// TestNilReadersAndWriters: a nil io.Reader or io.Writer is an error that
// says so, not a nil dereference.
func TestNilReadersAndWriters(t *testing.T) {
	ds := Spiral(2, 2, 0, rand.New(rand.NewPCG(1, 1)))
	for _, c := range []struct {
		name string
		err  error
	}{
		{"ParseCSV", func() error { _, err := ParseCSV("t.csv", nil, CSVOptions{}); return err }()},
		{"DecodeIDX", func() error { _, err := DecodeIDX(nil); return err }()},
		{"WriteCSV", WriteCSV(nil, ds)},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), "(a nil io.") {
			t.Errorf("%s: %v; want an error saying the reader or writer is nil", c.name, c.err)
		}
	}
	if _, err := ParseCSV("t.csv", nil, CSVOptions{}); err == nil || err.Error() != "t.csv: no reader (a nil io.Reader)" {
		t.Errorf("ParseCSV of no reader: %v; want the name, a colon, then what is wrong", err)
	}
}

// TestUnnamedColumnNobodyReads: a column without a name that the reader
// does not take (a pandas row index before a model's features) is left
// alone, as before unnamed columns were refused; one it would take as a
// feature is refused.
func TestUnnamedColumnNobodyReads(t *testing.T) {
	table := ",a,b,label\n0,1,2,x\n1,3,4,y\n"
	ds, err := ParseCSV("t.csv", strings.NewReader(table), CSVOptions{Target: "label", Features: []string{"a", "b"}})
	if err != nil || ds.Len() != 2 || ds.X.At(1, 1) != 4 {
		t.Errorf("a model's columns beside an unnamed index: %v, %v; want the 2 rows of a and b", ds, err)
	}
	if _, err := ParseCSV("t.csv", strings.NewReader(table), CSVOptions{Target: "label"}); err == nil || !strings.Contains(err.Error(), "a column without a name") {
		t.Errorf("every column as a feature, one unnamed: %v; want it refused", err)
	}
}

// TestReadCSVStopsWhenDone: a read with a Context that is done stops with
// its error, from a file (counted, then read) and from a stream alike.
func TestReadCSVStopsWhenDone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.csv")
	if err := os.WriteFile(path, []byte("a,y\n1,0\n2,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if _, err := ReadCSV(path, CSVOptions{Target: "y", Context: ctx}); err != nil {
		t.Fatalf("ReadCSV with a live context: %v", err)
	}
	cancel()
	if _, err := ReadCSV(path, CSVOptions{Target: "y", Context: ctx}); !errors.Is(err, context.Canceled) {
		t.Errorf("ReadCSV with a cancelled context: %v; want context.Canceled", err)
	}
	if _, err := ParseCSV("stream", strings.NewReader("a,y\n1,0\n2,1\n"), CSVOptions{Target: "y", Context: ctx}); !errors.Is(err, context.Canceled) {
		t.Errorf("ParseCSV with a cancelled context: %v; want context.Canceled", err)
	}
}

// cancelAfter hands out r's bytes four at a time and cancels once it has
// handed out n.
type cancelAfter struct {
	r      io.Reader
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	k, err := c.r.Read(p[:min(len(p), 4)]) // fewer than a gzip header's 10
	if c.n -= k; c.n <= 0 {
		c.cancel()
	}
	return k, err
}

// TestGzipReadStopsWhenDone: a gzipped table whose read is stopped part
// way is stopped (context.Canceled), not "a damaged gzip file".
func TestGzipReadStopsWhenDone(t *testing.T) {
	var table strings.Builder
	table.WriteString("a,y\n")
	for i := range 5000 {
		fmt.Fprintf(&table, "%d,%d\n", i, i%2)
	}
	var gz bytes.Buffer
	z := gzip.NewWriter(&gz)
	z.Write([]byte(table.String()))
	z.Close()
	for _, at := range []int{1, 12, 200} { // in the header, just past it, in the stream
		ctx, cancel := context.WithCancel(context.Background())
		_, err := ParseCSV("t.csv.gz", &cancelAfter{r: bytes.NewReader(gz.Bytes()), n: at, cancel: cancel}, CSVOptions{Target: "y", Context: ctx})
		if !errors.Is(err, context.Canceled) || strings.Contains(err.Error(), "damaged") {
			t.Errorf("stopped after %d bytes: %v; want context.Canceled, no damage", at, err)
		}
	}
	if err := gzipError(io.ErrUnexpectedEOF); !strings.Contains(err.Error(), "a gzip file cut short") {
		t.Errorf("gzipError of a cut stream = %v", err)
	}
	if err := gzipError(gzip.ErrChecksum); !strings.Contains(err.Error(), "a damaged gzip file: gzip: invalid checksum") {
		t.Errorf("gzipError of a bad checksum = %v", err)
	}
}

// TestHeaderOfNumberedColumns: a header of numbers that also names the
// target ("label,0,1", as pandas writes a frame of numbered columns) is a
// header; a first line of numbers alone is still data, refused.
func TestHeaderOfNumberedColumns(t *testing.T) {
	ds, err := ParseCSV("t.csv", strings.NewReader("label,0,1\n0,0.5,0.2\n1,0.1,0.9\n"), CSVOptions{Target: "label"})
	if err != nil || ds.Len() != 2 || !slices.Equal(ds.Features, []string{"0", "1"}) {
		t.Fatalf("label,0,1: %v, %+v; want 2 rows of features 0 and 1", err, ds)
	}
	// a model's features read (predict): the header names every one
	if ds, err := ParseCSV("t.csv", strings.NewReader("0,1\n0.5,0.2\n0.1,0.9\n"), CSVOptions{Features: []string{"0", "1"}}); err != nil || ds.Len() != 2 {
		t.Errorf("0,1 as a model's features: %v; want 2 rows", err)
	}
	// the target by index, where its column is named: "0" names a column
	// too, which the error says, not that the line is data
	if _, err := ParseCSV("t.csv", strings.NewReader("label,0,1\n0,0.5,0.2\n1,0.1,0.9\n"), CSVOptions{Target: "0"}); err == nil || !strings.Contains(err.Error(), `target "0" is both the column named "0" (number 1) and, by 0-based index, the column "label"`) {
		t.Errorf("label,0,1 with target 0: %v; want it refused as both a name and an index", err)
	}
	if _, err := ParseCSV("t.csv", strings.NewReader("label,0,1\n0,0.5,0.2\n1,0.1,0.9\n"), CSVOptions{Target: "1"}); err == nil || !strings.Contains(err.Error(), `target "1" is both the column named "1" (number 2)`) {
		t.Errorf("label,0,1 with target 1: %v; want it refused as both a name and an index", err)
	}
	// a first row of data that reads 0, 1 is data all the same, refused
	if _, err := ParseCSV("t.csv", strings.NewReader("0,1,yes\n1,0,no\n1,1,yes\n"), CSVOptions{Target: "2"}); err == nil || !strings.Contains(err.Error(), "looks like data, not a header") {
		t.Errorf("0,1,yes with target 2: %v; want the first line refused as data", err)
	}
	for _, target := range []string{"y", "2", ""} {
		if _, err := ParseCSV("t.csv", strings.NewReader("0,1,2\n0,0.5,0.2\n1,0.1,0.9\n"), CSVOptions{Target: target}); err == nil || !strings.Contains(err.Error(), "looks like data, not a header") {
			t.Errorf("0,1,2 with target %q: %v; want it refused as data", target, err)
		}
	}
}

// TestRealValuedTargetRule: over 20 distinct numeric labels are a value to
// regress, not classes, where some are not whole or where most rows would
// be a class of their own (whole prices); as many whole labels twice over
// are classes. A small table of fractions, most rows' own, is values too
// (15 prices had made 15 classes); an NA among 40 fractions does not make
// them classes, and is named.
func TestRealValuedTargetRule(t *testing.T) {
	table := func(rows int, label func(i int) string) string {
		var b strings.Builder
		b.WriteString("a,y\n")
		for i := range rows {
			fmt.Fprintf(&b, "%d,%s\n", i, label(i))
		}
		return b.String()
	}
	for _, c := range []struct {
		name    string
		content string
		real    bool
	}{
		{"30 fractions", table(60, func(i int) string { return fmt.Sprintf("%d.5", i%30) }), true},
		{"30 whole prices, each once", table(30, func(i int) string { return strconv.Itoa(1000 + 7*i) }), true},
		{"30 whole labels, each twice", table(60, func(i int) string { return strconv.Itoa(i % 30) }), false},
		{"20 whole labels, each once", table(20, func(i int) string { return strconv.Itoa(100 + i) }), false},
		{"15 prices of cents, each once", table(15, func(i int) string { return fmt.Sprintf("0.%03d", 200+i) }), true},
		{"4 fractions, each once", table(4, func(i int) string { return fmt.Sprintf("%d.5", i) }), false},
		{"6 fractions, each twice", table(12, func(i int) string { return fmt.Sprintf("%d.5", i%6) }), false},
		{"40 fractions and an NA", table(41, func(i int) string {
			if i == 7 {
				return "NA"
			}
			return fmt.Sprintf("%d.25", i)
		}), true},
		{"40 fractions and five words", table(45, func(i int) string {
			if i < 5 {
				return fmt.Sprintf("w%d", i)
			}
			return fmt.Sprintf("%d.25", i)
		}), false},
	} {
		_, err := ParseCSV("t.csv", strings.NewReader(c.content), CSVOptions{Target: "y"})
		if got := errors.Is(err, ErrRealValuedTarget); got != c.real {
			t.Errorf("%s: %v; want ErrRealValuedTarget %v", c.name, err, c.real)
		}
	}
	_, err := ParseCSV("t.csv", strings.NewReader(table(41, func(i int) string {
		if i == 7 {
			return "NA"
		}
		return fmt.Sprintf("%d.25", i)
	})), CSVOptions{Target: "y"})
	if err == nil || !strings.Contains(err.Error(), `40 distinct real values in 41 rows (and "NA", no number: a missing value?)`) {
		t.Errorf("40 fractions and an NA: %v; want the NA named as a likely missing value", err)
	}
}

// TestIgnoreColumns: CSVOptions.Ignore leaves columns out (an id of
// text); without it a text column's first cell is a *TextColumnError
// naming the column, and a text cell further down a plain error; names
// that are no column, the target's, or all the features are refused.
func TestIgnoreColumns(t *testing.T) {
	const table = "id,a,when,y\nC1,1,2024-01-05,0\nC2,2,2024-01-06,1\n"
	ds, err := ParseCSV("t.csv", strings.NewReader(table), CSVOptions{Target: "y", Ignore: []string{"id", "when"}})
	if err != nil || !slices.Equal(ds.Features, []string{"a"}) || ds.X.Data[1] != 2 {
		t.Errorf("Ignore id and when: %v, features %v", err, ds)
	}
	_, err = ParseCSV("t.csv", strings.NewReader(table), CSVOptions{Target: "y"})
	var te *TextColumnError
	if !errors.As(err, &te) || te.Column != "id" || !strings.Contains(err.Error(), `line 2, column 1 ("id"): "C1" is not a number`) {
		t.Errorf("a text column: %v; want a *TextColumnError naming id", err)
	}
	for _, first := range []string{"NA", "", `"1,234"`, "n/a", "0x10"} { // missing, or a number written otherwise
		_, err = ParseCSV("t.csv", strings.NewReader("a,y\n"+first+",0\n2,1\n"), CSVOptions{Target: "y"})
		if err == nil || errors.As(err, &te) {
			t.Errorf("a first cell %q: %v; want an error, not a *TextColumnError", first, err)
		}
	}
	_, err = ParseCSV("t.csv", strings.NewReader("a,y\n1,0\nx,1\n"), CSVOptions{Target: "y"})
	if err == nil || errors.As(err, &te) {
		t.Errorf("a text cell on the second row: %v; want an error, not a *TextColumnError", err)
	}
	_, err = ParseCSV("t.csv", strings.NewReader(table), CSVOptions{Target: "y", Features: []string{"id", "a"}})
	if err == nil || errors.As(err, &te) {
		t.Errorf("a text column among a model's Features: %v; want an error, not a *TextColumnError (nothing to leave out)", err)
	}
	if ds, err := ParseCSV("t.csv", strings.NewReader(table), CSVOptions{Target: "y", Ignore: []string{"0", "2"}}); err != nil || !slices.Equal(ds.Features, []string{"a"}) {
		t.Errorf("Ignore by 0-based index: %v, %v", err, ds)
	}
	for _, c := range []struct {
		opt  CSVOptions
		want string
	}{
		{CSVOptions{Target: "y", Ignore: []string{"nope"}}, `no column "nope" to leave out`},
		{CSVOptions{Target: "y", Ignore: []string{"y"}}, `column "y" is the target`},
		{CSVOptions{Target: "y", Ignore: []string{"id", "a", "when"}}, "no feature columns: the table has only the target and the columns left out"},
		{CSVOptions{Target: "y", Ignore: []string{"id", "id"}}, `CSVOptions.Ignore lists "id" twice`},
		{CSVOptions{Target: "y", Ignore: []string{"id"}, Features: []string{"a"}}, "CSVOptions.Features and CSVOptions.Ignore are both set"},
	} {
		if _, err := ParseCSV("t.csv", strings.NewReader(table), c.opt); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v; want %q", c.opt, err, c.want)
		}
	}
	// A name the header repeats: a feature of it is refused (a model finds
	// its features by name); left out by the name, every column of it goes
	// (the target's not); given where one column is meant, refused by kind.
	const twice = "a,b,a,y\n1,2,3,0\n4,5,6,1\n"
	if _, err := ParseCSV("t.csv", strings.NewReader(twice), CSVOptions{Target: "y", Ignore: []string{"2"}}); err == nil || !strings.Contains(err.Error(), `are both named "a"; a model finds its features by name`) {
		t.Errorf("a repeated name, one of its columns left out by index: %v; want the other refused as a feature", err)
	}
	if ds, err := ParseCSV("t.csv", strings.NewReader(twice), CSVOptions{Target: "y", Ignore: []string{"a"}}); err != nil || !slices.Equal(ds.Features, []string{"b"}) {
		t.Errorf("a repeated name left out by the name: %v, %+v; want b alone", err, ds)
	}
	if ds, err := ParseCSV("t.csv", strings.NewReader("a,y,y\n1,0,0\n2,1,1\n"), CSVOptions{Target: "2", Ignore: []string{"y"}}); err != nil || !slices.Equal(ds.Features, []string{"a"}) || ds.Target != "y" {
		t.Errorf("the target's name repeated, left out by the name: %v, %+v; want a the feature, the target kept", err, ds)
	}
	for _, c := range []struct {
		opt  CSVOptions
		kind error
	}{{CSVOptions{Target: "a"}, ErrNoTarget}, {CSVOptions{Target: "y", Ignore: []string{"a"}, Keep: []string{"a"}}, ErrKeep}} {
		want := `"a" names columns 1 and 3 (indexes 0 and 2); give the one meant by its 0-based index`
		if _, err := ParseCSV("t.csv", strings.NewReader(twice), c.opt); !errors.Is(err, c.kind) || !strings.Contains(err.Error(), want) {
			t.Errorf("%+v over a repeated name: %v; want %v saying %q", c.opt, err, c.kind, want)
		}
	}
	if ds, err := ParseCSV("t.csv", strings.NewReader(twice), CSVOptions{Target: "y", Features: []string{"b"}}); err != nil || ds.X.Data[0] != 2 {
		t.Errorf("a model's features beside a repeated name it does not take: %v, %+v", err, ds)
	}
	if _, err := ParseCSV("t.csv", strings.NewReader(twice), CSVOptions{Target: "y", Features: []string{"a"}}); err == nil || !strings.Contains(err.Error(), "a model finds its features by name: rename the others") {
		t.Errorf("a model's feature whose name the table repeats: %v; want it refused, renaming advised", err)
	}
	// A name with a comma that a header written without quotes split.
	split := "Gewicht (kg, netto),id,y\n1,5,1,0\n"
	for _, opt := range []CSVOptions{{Target: "y", Ignore: []string{"Gewicht (kg, netto)"}}, {Target: "Gewicht (kg, netto)"}, {Target: "y", Keep: []string{"Gewicht (kg, netto)"}}} {
		want := `(the header's columns 1 to 2, "Gewicht (kg", "netto)", are that name split at its comma: the file writes it without quotes; put it in double quotes there)`
		if _, err := ParseCSV("t.csv", strings.NewReader(split), opt); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%+v over a split header: %v; want %q", opt, err, want)
		}
	}
}

// TestKeepColumns: CSVOptions.Keep keeps columns' cells as text beside
// the rows (by name or index; an id, or a feature too), in Keep's order,
// carried by Rows and Slice; a name that is no column is ErrKeep, and
// Check finds a Kept of another length than the rows.
func TestKeepColumns(t *testing.T) {
	const table = "id,a,y\nC1,1,0\n\"C,2\",2,1\nC3,3,0\n"
	ds, err := ParseCSV("t.csv", strings.NewReader(table), CSVOptions{Target: "y", Ignore: []string{"id"}, Keep: []string{"1", "id"}})
	if err != nil {
		t.Fatal(err)
	}
	if ds.Kept == nil || !slices.Equal(ds.Kept.Columns, []string{"a", "id"}) || len(ds.Kept.Rows) != 3 || !slices.Equal(ds.Kept.Rows[1], []string{"2", "C,2"}) {
		t.Fatalf("Kept %+v; want a and id, in Keep's order, of three rows", ds.Kept)
	}
	if got := ds.Rows([]int{2, 0}).Kept.Rows; !slices.Equal(got[0], []string{"3", "C3"}) || !slices.Equal(got[1], []string{"1", "C1"}) {
		t.Errorf("Rows(2, 0) kept %v", got)
	}
	short := *ds
	short.Kept = &Kept{Columns: ds.Kept.Columns, Rows: ds.Kept.Rows[:2]}
	if err := short.Check(); err == nil || !strings.Contains(err.Error(), "2 rows of kept columns (Kept) for 3 rows") {
		t.Errorf("Check of a Kept of 2 rows for 3: %v", err)
	}
	if got := ds.Slice(1, 3).Kept.Rows; len(got) != 2 || got[0][1] != "C,2" {
		t.Errorf("Slice(1, 3) kept %v", got)
	}
	if _, err := ParseCSV("t.csv", strings.NewReader(table), CSVOptions{Target: "y", Keep: []string{"nope"}}); !errors.Is(err, ErrKeep) || !strings.Contains(err.Error(), `no column "nope" to keep`) {
		t.Errorf("Keep of no column: %v", err)
	}
	if plain, err := ParseCSV("t.csv", strings.NewReader(table), CSVOptions{Target: "y", Ignore: []string{"id"}}); err != nil || plain.Kept != nil {
		t.Errorf("no Keep: %v, kept %v; want none", err, plain.Kept)
	}
}

// TestSeparatorOfAHeaderWithAComma: the separator is told by the header's
// separators outside quotes, the most of them: a name holding a comma had
// made a table of semicolons one of commas, refused at its quotes or read
// into a name "netto);Preis;label".
func TestSeparatorOfAHeaderWithAComma(t *testing.T) {
	for _, header := range []string{`"Gewicht (kg, netto)";Preis;label`, `Gewicht (kg, netto);Preis;label`} {
		ds, err := ParseCSV("s.csv", strings.NewReader(header+"\n1,5;2;a\n2,5;3;b\n3,5;4;a\n"), CSVOptions{Target: "label", DecimalComma: true})
		if err != nil || !slices.Equal(ds.Features, []string{"Gewicht (kg, netto)", "Preis"}) || ds.X.At(0, 0) != 1.5 {
			t.Errorf("header %s: %v, %+v; want two features, the first 1.5", header, err, ds)
		}
	}
	if got := delimiter([]byte("a,b;c,d\n"), false); got != ',' {
		t.Errorf("a header of three commas and a semicolon: %q; want a comma", got)
	}
	if got := delimiter([]byte("a\tb\tc\n"), false); got != '\t' {
		t.Errorf("a header of tabs: %q; want a tab", got)
	}
	for _, c := range []struct {
		head string
		want rune
		why  string
	}{
		{"weight (kg, net);price\n1.5;2\n2.5;3\n", ';', "a comma and a semicolon in the header, the rows' semicolons"},
		{"weight (kg, net);price\n1,5;2\n2,5;3\n", ';', "a tie the rows keep (decimal commas), a semicolon before a comma"},
		{"weight (kg, net)\tprice\n1.5\t2\n", '\t', "a comma and a tab in the header, the rows' tab"},
		{"x;y,z\n1,2\n3,4\n", ',', "a tie the rows' commas settle (a name x;y)"},
		{"a;b;y\n1,5;2,5;x\n3,5;4,5;z\n", ';', "rows with more commas than the header"},
		{"\"a;x\",b,y\n\"1\n;2\",3,z\n\n4,5,w\n", ',', "semicolons in quotes, a quoted line end, a blank line"},
		{"a,b;c,d\n1,2;3,4\n5,6;7,", ',', "a last row cut by the head's end"},
		{"Gewicht (kg, netto);Preis;;\n1,5;2\n2,5;3\n", ';', "a header of more semicolons (trailing empty names) than its rows hold"},
		// a trial's files: rows that contradict the header's most (names of
		// several unquoted commas), one ragged row, none at all
		{"Gewicht (kg, netto, brutto);label\n0,5;A\n1,5;B\n2,5;A\n", ';', "two commas in a name, one semicolon a row"},
		{"Address (street, city, zip)\tlabel\n1\tA\n2\tB\n", '\t', "two commas in a name, one tab a row"},
		{"a;b,c;d;e,label\n1,2,A\n2,3,B\n3,4,A\n", ',', "three semicolons in names, two commas a row"},
		{"w (kg, net);label\n0,5;A;\n1,5;B\n2,5;A\n", ';', "one ragged row among three"},
	} {
		if got := delimiter([]byte(c.head), false); got != c.want {
			t.Errorf("%s: %q; want %q", c.why, got, c.want)
		}
	}
}

// TestSeparatorsOfATrialsFiles reads tables a data scientist's trial
// found read wrongly: Excel's sep= line above the header; one column of
// decimal commas (split at its commas); a header longer than the first
// 4,096 bytes, of names holding commas, whose separator is told by the
// rows past it; Korean labels in UTF-16 without a byte-order mark (told,
// not "not a text file").
func TestSeparatorsOfATrialsFiles(t *testing.T) {
	ds, err := ParseCSV("s.csv", strings.NewReader("sep=;\nx;y;label\n0,5;1;A\n1,5;2;B\n"), CSVOptions{Target: "label", DecimalComma: true})
	if err != nil || !slices.Equal(ds.Features, []string{"x", "y"}) || ds.X.At(1, 0) != 1.5 {
		t.Errorf("a sep=; line: %v, %+v", err, ds)
	}
	ds, err = ParseCSV("one.csv", strings.NewReader("x\n0,5\n1,5\n"), CSVOptions{DecimalComma: true})
	if err != nil || ds.X.Cols != 1 || ds.X.At(1, 0) != 1.5 {
		t.Errorf("one column of decimal commas: %v, %+v", err, ds)
	}
	var long strings.Builder
	for i := range 400 {
		fmt.Fprintf(&long, "s%03d (mV, raw);", i)
	}
	long.WriteString("label\n")
	for r := range 3 {
		long.WriteString(strings.Repeat("0,5;", 400) + []string{"A\n", "B\n", "A\n"}[r])
	}
	if ds, err = ParseCSV("long.csv", strings.NewReader(long.String()), CSVOptions{Target: "label", DecimalComma: true}); err != nil || ds.X.Cols != 400 {
		t.Errorf("a header of %d bytes, its names holding commas: %v", strings.Index(long.String(), "\n"), err)
	}
	if _, err := ParseCSV("t.csv", strings.NewReader("Messwerte Juli 2024\n\nx;y;label\n0,5;1;A\n1,5;2;B\n"), CSVOptions{DecimalComma: true}); err == nil || !strings.Contains(err.Error(), "line 1: a line without a semicolon above lines of 2 each: a title or a note above the table?") {
		t.Errorf("a title above the table: %v", err)
	}
	ds, err = ParseCSV("e.csv", strings.NewReader(";;\nx;y;label\n0,5;1;A\n1,5;2;B\n"), CSVOptions{Target: "label", DecimalComma: true})
	if err != nil || !slices.Equal(ds.Features, []string{"x", "y"}) {
		t.Errorf("a row of empty cells above the header: %v, %+v; want it left out, as a blank line", err, ds)
	}
	korean := utf16text.Encode("x,y,label\r\n0.5,1,사과\r\n1.5,2,배\r\n", false)[2:] // without its mark
	if _, err := ParseCSV("k.csv", bytes.NewReader(korean), CSVOptions{}); err == nil || !strings.Contains(err.Error(), "UTF-16 text (little-endian) without a byte-order mark") {
		t.Errorf("Korean labels in UTF-16 without a mark: %v", err)
	}
}

// TestTargetGivenLoosely: a target name with spaces around it is the
// column of that name (the header's names are read trimmed), and one in
// another case is refused with the column it may mean.
func TestTargetGivenLoosely(t *testing.T) {
	const table = "x,churn\n1,yes\n2,no\n"
	if ds, err := ParseCSV("t.csv", strings.NewReader(table), CSVOptions{Target: " churn "}); err != nil || ds.Target != "churn" {
		t.Errorf("target \" churn \": %v; want the column churn", err)
	}
	if _, err := ParseCSV("t.csv", strings.NewReader(table), CSVOptions{Target: "Churn"}); err == nil || !strings.Contains(err.Error(), `no target column "Churn" (did you mean "churn"?`) {
		t.Errorf("target Churn: %v; want churn offered", err)
	}
}

// TestSpacedThousandsAreGroupsOfThree: a phone number written in pairs of
// digits is text, not a number with spaces between thousands.
func TestSpacedThousandsAreGroupsOfThree(t *testing.T) {
	for cell, want := range map[string]bool{"1 234,5": true, "-12 345 678": true, "1\u202f000.25": true,
		"06 12 34 56 78": false, "1 23": false, "1234": false, "12 3456": false, "": false} {
		if got := spacedThousands(cell); got != want {
			t.Errorf("spacedThousands(%q) = %v; want %v", cell, got, want)
		}
	}
}

// TestParseCSVCountsARegularFile: standard input redirected from a file
// (an *os.File that is a regular file) has its lines counted first, from
// where it stands, as ReadCSV counts a path's: its features' buffer is
// made once, where a stream's grows by copies (a 2 GB table read through
// < file.csv had taken 2.4 times its size).
func TestParseCSVCountsARegularFile(t *testing.T) {
	var b strings.Builder
	b.WriteString("a line before the table, read by the caller\na,b,c,d,y\n")
	for i := range 100000 {
		fmt.Fprintf(&b, "%d,%d,%d,%d,%d\n", i, i+1, i+2, i+3, i%3)
	}
	path := filepath.Join(t.TempDir(), "t.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	table := b.String()[strings.IndexByte(b.String(), '\n')+1:]
	allocated := func(read func() (*Dataset, error)) (uint64, *Dataset) {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		ds, err := read()
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		return after.TotalAlloc - before.TotalAlloc, ds
	}
	fromFile, ds := allocated(func() (*Dataset, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if _, err := f.Seek(int64(len(b.String())-len(table)), io.SeekStart); err != nil { // past the caller's line
			return nil, err
		}
		return ParseCSV("standard input", f, CSVOptions{})
	})
	fromStream, want := allocated(func() (*Dataset, error) { return ParseCSV("a pipe", strings.NewReader(table), CSVOptions{}) })
	if !slices.Equal(ds.X.Data, want.X.Data) || !slices.Equal(ds.Labels, want.Labels) {
		t.Fatal("the table read from the file's place differs from the same table streamed")
	}
	if data := uint64(4 * len(ds.X.Data)); fromFile+data > fromStream {
		t.Errorf("read from a regular file %d bytes allocated, from a stream %d: want at least the features' %d fewer (no copies as the buffer grows)", fromFile, fromStream, data)
	}
}

// TestReadCSVOnReadHearsEveryByte: OnRead hears every byte ReadCSV reads
// of a file: twice its size (its lines counted, then its rows read),
// plain or gzipped; a stream's once.
func TestReadCSVOnReadHearsEveryByte(t *testing.T) {
	var b strings.Builder
	b.WriteString("a,b,y\n")
	for i := range 20000 {
		fmt.Fprintf(&b, "%d,%d,%d\n", i, 2*i, i%2)
	}
	dir := t.TempDir()
	for name, content := range map[string][]byte{"plain.csv": []byte(b.String()), "zipped.csv.gz": gzipped([]byte(b.String()))} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fatal(err)
		}
		heard := 0
		if _, err := ReadCSV(path, CSVOptions{OnRead: func(n int) { heard += n }}); err != nil {
			t.Fatal(err)
		}
		if heard != 2*len(content) {
			t.Errorf("%s: OnRead heard %d bytes; want twice its %d", name, heard, len(content))
		}
	}
	heard := 0
	if _, err := ParseCSV("a stream", strings.NewReader(b.String()), CSVOptions{OnRead: func(n int) { heard += n }}); err != nil || heard != b.Len() {
		t.Errorf("a stream: OnRead heard %d bytes, %v; want its %d", heard, err, b.Len())
	}
}
