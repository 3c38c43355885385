package main

import (
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
	same := func(what string, argsComma, argsPoint []string) {
		outComma, errComma, sc := wiggle(t, "", argsComma...)
		outPoint, errPoint, sp := wiggle(t, "", argsPoint...)
		if sc != 0 || sp != 0 || outComma != outPoint {
			t.Errorf("%s: with --decimal-comma exit %d, %q (%s); on the point twin exit %d, %q (%s); want the same", what, sc, outComma, errComma, sp, outPoint, errPoint)
		}
	}
	same("predict", []string{"predict", "--model", models["comma"], "--data", commaCSV, "--decimal-comma"}, []string{"predict", "--model", models["point"], "--data", pointCSV})
	same("eval", []string{"eval", "--model", models["comma"], "--data", commaCSV, "--decimal-comma"}, []string{"eval", "--model", models["point"], "--data", pointCSV})
	if _, stderr, status := wiggle(t, "", "data", "show", commaCSV, "--decimal-comma"); status != 0 {
		t.Errorf("data show --decimal-comma: exit %d, %s", status, stderr)
	}
}

// formatCell writes v as a table's cell.
func formatCell(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
