// Package numtext says why a number's text is not in the decimal notation
// that wiggle reads from data (CSV cells, lines of numbers).
//
// Go's strconv.ParseFloat also reads hexadecimal floats ("0x1p3", 8) and
// digits separated by underscores ("1_000"), Go's own literal syntax, but
// not hexadecimal integers ("0x10"). Spreadsheets, pandas and NumPy write
// none of these, and pandas reads neither as a number; a table holding one
// more likely holds an identifier or a typo than a quantity. wiggle refuses
// them all alike, naming the decimal value where there is one.
//
// Concurrency: the package holds no state; Hint is safe for concurrent use.
package numtext

import (
	"strconv"
	"strings"
)

// Hint returns "" where s, its surrounding spaces trimmed, is neither
// hexadecimal nor written with underscores; else what s is and how to
// write it in decimal, such as `hexadecimal: write 16`.
//
// Special cases are:
//
//	Hint("0x10") = "hexadecimal: write 16"
//	Hint("-0x1p3") = "hexadecimal: write -8"
//	Hint("1_000") = "digits separated by '_': write 1000"
//	Hint("0xZZ") = "hexadecimal: write numbers in decimal"
//	Hint("NaN"), Hint("1e5"), Hint("text") = ""
func Hint(s string) string {
	if !strings.ContainsAny(s, "xX_") { // the common case, at a table's every cell
		return ""
	}
	s = strings.TrimSpace(s)
	digits := strings.TrimLeft(s, "+-")
	switch {
	case strings.HasPrefix(digits, "0x") || strings.HasPrefix(digits, "0X"):
		if v, ok := hexValue(s); ok {
			return "hexadecimal: write " + strconv.FormatFloat(v, 'g', -1, 64)
		}
		return "hexadecimal: write numbers in decimal"
	case strings.Contains(s, "_"):
		if _, err := strconv.ParseFloat(s, 64); err == nil { // Go's syntax: 1_000, not _1 or 1__0
			return "digits separated by '_': write " + strings.ReplaceAll(s, "_", "")
		}
	}
	return ""
}

// hexValue reads s as a hexadecimal float (0x1p3) or, given the binary
// exponent ParseFloat wants of those, as an integer (0x10 as 0x10p0).
func hexValue(s string) (float64, bool) {
	for _, text := range []string{s, s + "p0"} {
		if v, err := strconv.ParseFloat(text, 64); err == nil {
			return v, true
		}
	}
	return 0, false
}
