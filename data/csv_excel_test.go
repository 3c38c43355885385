package data

import (
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
