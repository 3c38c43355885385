package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestDecimalComma: a table a spreadsheet set to a decimal comma saved
// (semicolons between cells, 0,5 for 0.5) is refused with the flag that
// reads it named, and read by every command that reads a table with
// --decimal-comma: a model trained on it predicts it as on its UTF-8
// point twin.
func TestDecimalComma(t *testing.T) {
	dir := t.TempDir()
	var comma, point strings.Builder
	comma.WriteString("x0;x1;label\r\n")
	point.WriteString("x0,x1,label\n")
	for i := range 40 {
		a, b := float64(i%7)/4-0.75, float64(i%5)/2-1
		label := "no"
		if a*b > 0 {
			label = "yes"
		}
		comma.WriteString(strings.ReplaceAll(formatCell(a)+";"+formatCell(b), ".", ",") + ";" + label + "\r\n")
		point.WriteString(formatCell(a) + "," + formatCell(b) + "," + label + "\n")
	}
	commaCSV, pointCSV := filepath.Join(dir, "komma.csv"), filepath.Join(dir, "point.csv")
	for path, text := range map[string]string{commaCSV: comma.String(), pointCSV: point.String()} {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{
		{"data", "show", commaCSV},
		{"train", "--data", commaCSV, "--epochs", "1", "--out", filepath.Join(dir, "refused.safetensors")},
	} {
		stdout, stderr, status := wiggle(t, "", args...)
		if status != 2 || stdout != "" || !strings.Contains(stderr, `"-0,75" is not a number (a decimal comma`) || !strings.Contains(stderr, "give --decimal-comma") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and the flag named", args, status, stdout, stderr)
		}
	}
	models := map[string]string{}
	for name, args := range map[string][]string{
		"comma": {"--data", commaCSV, "--decimal-comma"},
		"point": {"--data", pointCSV},
	} {
		models[name] = filepath.Join(dir, name+".safetensors")
		if _, stderr, status := wiggle(t, "", append([]string{"train", "--epochs", "3", "--seed", "7", "--out", models[name]}, args...)...); status != 0 {
			t.Fatalf("train %v: exit %d, %s", args, status, stderr)
		}
	}
	same := func(what string, argsComma, argsPoint []string, asPoints func(string) string) {
		outComma, errComma, sc := wiggle(t, "", argsComma...)
		outPoint, errPoint, sp := wiggle(t, "", argsPoint...)
		if sc != 0 || sp != 0 || asPoints(outComma) != outPoint {
			t.Errorf("%s: with --decimal-comma exit %d, %q (%s); on the point twin exit %d, %q (%s); want the same", what, sc, outComma, errComma, sp, outPoint, errPoint)
		}
	}
	// predict writes as it read: semicolons and decimal commas, which
	// its labels (yes, no) do not hold.
	same("predict", []string{"predict", "--model", models["comma"], "--data", commaCSV, "--decimal-comma"}, []string{"predict", "--model", models["point"], "--data", pointCSV}, strings.NewReplacer(",", ".", ";", ",").Replace)
	same("eval", []string{"eval", "--model", models["comma"], "--data", commaCSV, "--decimal-comma"}, []string{"eval", "--model", models["point"], "--data", pointCSV}, func(s string) string { return s })
	if _, stderr, status := wiggle(t, "", "data", "show", commaCSV, "--decimal-comma"); status != 0 {
		t.Errorf("data show --decimal-comma: exit %d, %s", status, stderr)
	}
}

// formatCell writes v as a table's cell.
func formatCell(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// TestPredictForExcel: predict writes its CSV as the table was read
// under --decimal-comma (semicolons, 0,5 for 0.5) and as Excel opens it
// under --excel (a byte-order mark, CRLF), the same cells as the plain
// CSV's either way; a class named in another script comes through whole.
func TestPredictForExcel(t *testing.T) {
	dir := t.TempDir()
	var table strings.Builder
	table.WriteString("x0,x1,label\n")
	for i := range 30 {
		a, b := float64(i%6)/3-0.8, float64(i%5)/2-1
		label := "grün"
		if a+b > 0 {
			label = "rød"
		}
		table.WriteString(formatCell(a) + "," + formatCell(b) + "," + label + "\n")
	}
	tablePath := filepath.Join(dir, "t.csv")
	if err := os.WriteFile(tablePath, []byte(table.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	m := filepath.Join(dir, "m.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", tablePath, "--epochs", "2", "--out", m); status != 0 {
		t.Fatal(stderr)
	}
	plain, stderr, status := wiggle(t, "", "predict", "--model", m, "--data", tablePath)
	if status != 0 || strings.Contains(plain, "\r") || strings.HasPrefix(plain, "\ufeff") {
		t.Fatalf("predict: exit %d, %q (%s); want LF lines and no byte-order mark", status, plain, stderr)
	}
	want := readCells(t, plain, ',')
	if want[0][0] != "predicted" || want[0][1] != "p_grün" || len(want) != 31 {
		t.Fatalf("predict's plain CSV: %q", want[:2])
	}
	for _, c := range []struct {
		flags  []string
		comma  rune
		bom    bool
		points string // what a decimal point reads as
	}{
		{[]string{"--decimal-comma"}, ';', false, ","},
		{[]string{"--excel"}, ',', true, "."},
		{[]string{"--excel", "--decimal-comma"}, ';', true, ","},
	} {
		out := filepath.Join(dir, "p.csv")
		args := append([]string{"predict", "--model", m, "--data", tablePath, "--out", out}, c.flags...)
		if strings.Contains(strings.Join(c.flags, " "), "--decimal-comma") {
			args[4] = writeCommaTwin(t, dir, table.String())
		}
		if _, stderr, status := wiggle(t, "", args...); status != 0 {
			t.Errorf("predict %v: exit %d, %s", c.flags, status, stderr)
			continue
		}
		raw, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		text := string(raw)
		if hasBOM := strings.HasPrefix(text, "\ufeff"); hasBOM != c.bom {
			t.Errorf("%v: a byte-order mark %v; want %v", c.flags, hasBOM, c.bom)
		}
		if crlf, lf := strings.Count(text, "\r\n"), strings.Count(text, "\n"); c.bom && crlf != lf || !c.bom && crlf != 0 {
			t.Errorf("%v: %d of %d lines end in CRLF", c.flags, crlf, lf)
		}
		got := readCells(t, strings.TrimPrefix(text, "\ufeff"), c.comma)
		if len(got) != len(want) {
			t.Fatalf("%v: %d rows; want %d", c.flags, len(got), len(want))
		}
		for i := range want {
			for j := range want[i] {
				if w := strings.Replace(want[i][j], ".", c.points, 1); i > 0 && j > 0 && got[i][j] != w || (i == 0 || j == 0) && got[i][j] != want[i][j] {
					t.Errorf("%v: row %d, cell %d: %q; want %q", c.flags, i, j, got[i][j], w)
				}
			}
		}
	}
}

// readCells reads text as a CSV table whose cells comma separates.
func readCells(t *testing.T, text string, comma rune) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = comma
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%q: %v", text, err)
	}
	return rows
}

// writeCommaTwin writes table, a CSV of commas and decimal points, as a
// spreadsheet set to a decimal comma saves it, in dir, and returns its
// path.
func writeCommaTwin(t *testing.T, dir, table string) string {
	t.Helper()
	twin := strings.NewReplacer(",", ";", ".", ",").Replace(table)
	path := filepath.Join(dir, "komma.csv")
	if err := os.WriteFile(path, []byte(twin), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestDecimalCommaFlagToldBothWays: a table of decimal points read with
// --decimal-comma is told to drop the flag (and not that a column of
// numbers is text to --ignore); a table of decimal commas read without
// it, to give it.
func TestDecimalCommaFlagToldBothWays(t *testing.T) {
	dir := t.TempDir()
	points, commas, thousands := filepath.Join(dir, "points.csv"), filepath.Join(dir, "komma.csv"), filepath.Join(dir, "tausend.csv")
	for path, text := range map[string]string{points: "x;y;label\n0.5;1;a\n1.5;2;b\n", commas: "x;y;label\n0,5;1;a\n1,5;2;b\n", thousands: "x;y;label\n0,5;1;a\n1.234,5;2;b\n"} {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		args      []string
		want, not string
	}{
		{[]string{"data", "show", points, "--decimal-comma"}, "is read without --decimal-comma", "--ignore"},
		{[]string{"data", "show", commas}, "for a table saved with a decimal comma (0,5 for 0.5), give --decimal-comma", "--ignore"},
		{[]string{"data", "show", thousands, "--decimal-comma"}, "1234,5 for 1.234,5: no separators between thousands", "without --decimal-comma"},
	} {
		_, stderr, status := wiggle(t, "", c.args...)
		if status != 2 || !strings.Contains(stderr, c.want) || strings.Contains(stderr, c.not) {
			t.Errorf("%v: exit %d, %q; want 2 and %q, without %q", c.args, status, stderr, c.want, c.not)
		}
	}
}
