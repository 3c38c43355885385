package data

// The columns of a table: which are features and which the target, and
// the numbers their cells hold.

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/wigglenn/wiggle/internal/numtext"
	"github.com/wigglenn/wiggle/internal/quote"
)

// looksLikeData reports whether a header row holds two or more numbers, as
// a first line of data does (scikit-learn's files start "150,4,setosa,...").
func looksLikeData(header []string) []string {
	var numbers []string
	for _, name := range header {
		if v, err := strconv.ParseFloat(strings.TrimSpace(name), 64); err == nil && !math.IsNaN(v) {
			numbers = append(numbers, name)
		}
	}
	firstTwo := len(header) >= 2 && len(numbers) >= 2 && numbers[0] == header[0] && numbers[1] == header[1]
	if len(numbers) >= 2 && (firstTwo || 2*len(numbers) >= len(header)) {
		return numbers
	}
	return nil
}

// namesColumns reports whether header names the columns opt asks for:
// its target by a name that is not a number, or every one of its
// Features. A header of numbered columns ("label,0,1", as pandas writes
// a frame's; "0,1" for a model's features) that does is a header all the
// same, and so is one numbered 0, 1, 2 ... as pandas numbers them whose
// column of the target's name is not the column of its index: the
// target 0 or 1 of "label,0,1" is then refused as both a name and an
// index, not the line as data (a row of data, "0,1,yes" with the target
// 2, and scikit-learn's first line of iris.csv, "150,4,setosa,...", stay
// data).
func namesColumns(header []string, opt CSVOptions, numbers []string) bool {
	if opt.TargetLast { // the last column's name a word: "0,1,label"
		_, err := strconv.ParseFloat(header[len(header)-1], 64)
		return err != nil
	}
	_, err := strconv.ParseFloat(opt.Target, 64)
	if err != nil && opt.Target != "" && slices.Contains(header, opt.Target) {
		return true
	}
	if n, err := strconv.Atoi(opt.Target); err == nil && numberedFromZero(numbers) {
		if j := slices.Index(header, opt.Target); j >= 0 && j != n {
			return true
		}
	}
	return len(opt.Features) > 0 && !slices.ContainsFunc(opt.Features, func(f string) bool { return !slices.Contains(header, f) })
}

// numberedFromZero reports whether numbers are "0", "1", "2" ... in turn,
// as pandas names a frame's numbered columns.
func numberedFromZero(numbers []string) bool {
	for i, v := range numbers {
		if strings.TrimSpace(v) != strconv.Itoa(i) {
			return false
		}
	}
	return true
}

type columns struct {
	features []int
	target   int   // −1 for none
	kept     []int // CSVOptions.Keep's
}

// columnOf finds a column by name, or else by 0-based index, as Target,
// Ignore and Keep give them; -1 for none. A number that names one column
// and indexes another is an error: which is meant cannot be told.
func columnOf(seen map[string]int, header []string, name string) (int, error) {
	j, named := seen[name]
	n, err := strconv.Atoi(name)
	indexes := err == nil && n >= 0 && n < len(header)
	switch {
	case named && indexes && n != j:
		return -1, fmt.Errorf("%q is both the column named so (column %d of the header) and, by 0-based index, the column %s; rename the column", name, j+1, quote.Short(header[n]))
	case named:
		return j, nil
	case indexes:
		return n, nil
	}
	return -1, nil
}

// splitByItsComma says where a name holding a comma, which no column
// has, is the header's cells from one on: the file wrote the name without
// quotes, and its comma split it ("Gewicht (kg, netto)" read as
// "Gewicht (kg" and "netto)"); "" otherwise.
func splitByItsComma(header []string, name string) string {
	parts := strings.Split(name, ",")
	if len(parts) < 2 {
		return ""
	}
	for j := 0; j+len(parts) <= len(header); j++ {
		if slices.EqualFunc(parts, header[j:j+len(parts)], func(a, b string) bool { return strings.TrimSpace(a) == strings.TrimSpace(b) }) {
			return fmt.Sprintf(" (the header's columns %d to %d, %s, are that name split at its comma: the file writes it without quotes; put it in double quotes there)", j+1, j+len(parts), quote.ShortList(header[j:j+len(parts)]))
		}
	}
	return ""
}

func chooseColumns(header []string, opt CSVOptions) (columns, error) {
	seen := map[string]int{}
	named := map[string][]int{} // the columns of each name: more than one where the header repeats it
	for j, name := range header {
		if _, dup := seen[name]; !dup {
			seen[name] = j
		}
		named[name] = append(named[name], j)
	}
	ambiguous := func(names []string, kind error, advice string) error { // a name that is more than one column's, given where one is meant
		for _, name := range names {
			if js := named[strings.TrimSpace(name)]; len(js) > 1 && name != "" {
				return columnError{fmt.Sprintf("%s names %s; %s", quote.Short(name), repeatedColumns(js), advice), kind}
			}
		}
		return nil
	}
	byIndex := "give the one meant by its 0-based index, or rename the others"
	for _, err := range []error{ambiguous([]string{opt.Target}, ErrNoTarget, byIndex), ambiguous(opt.Keep, ErrKeep, byIndex),
		ambiguous(opt.Features, nil, "a model finds its features by name: rename the others in the table")} {
		if err != nil {
			return columns{}, err
		}
	}
	c := columns{target: -1}
	if opt.TargetLast {
		c.target = len(header) - 1
	} else if opt.Target != "" {
		j, ok := seen[opt.Target]
		if !ok { // the header's names are read trimmed: a target given with spaces around it too
			j, ok = seen[strings.TrimSpace(opt.Target)]
		}
		n, err := strconv.Atoi(opt.Target)
		isIndex := err == nil && n >= 0 && n < len(header)
		switch {
		case ok && isIndex && n != j:
			return columns{}, fmt.Errorf("target %q is both the column named %q (number %d) and, by 0-based index, the column %q; rename the column or give the target by a name that is not a number", opt.Target, opt.Target, j, header[n])
		case !ok && isIndex:
			j, ok = n, true
		}
		switch {
		case ok:
			c.target = j
		case !opt.TargetOptional && err == nil && n >= 0:
			return columns{}, columnError{fmt.Sprintf("no target column %s: by 0-based index the columns run 0 to %d (%s), and none is named so", quote.Short(opt.Target), len(header)-1, quote.List(header)), ErrNoTarget}
		case !opt.TargetOptional:
			return columns{}, columnError{fmt.Sprintf("no target column %s%s%s; the columns are %s (or give a 0-based index)", quote.Short(opt.Target), otherCase(header, opt.Target), splitByItsComma(header, opt.Target), quote.List(header)), ErrNoTarget}
		}
	}
	ignored := map[int]bool{}
	for _, name := range opt.Keep {
		j, err := columnOf(seen, header, name)
		switch {
		case err != nil:
			return columns{}, columnError{err.Error(), ErrKeep}
		case j < 0:
			return columns{}, columnError{fmt.Sprintf("no column %s to keep%s; the columns are %s", quote.Short(name), splitByItsComma(header, name), quote.List(header)), ErrKeep}
		case slices.Contains(c.kept, j):
			return columns{}, columnError{fmt.Sprintf("column %s is listed twice to keep (by its name and by its index?)", colName(header, j)), ErrKeep}
		}
		c.kept = append(c.kept, j)
	}
	for _, name := range opt.Ignore {
		j, err := columnOf(seen, header, name)
		switch {
		case err != nil:
			return columns{}, columnError{err.Error(), ErrIgnore}
		case ignored[j]:
			return columns{}, columnError{fmt.Sprintf("column %s is listed twice to leave out (by its name and by its index?)", colName(header, j)), ErrIgnore}
		case j < 0:
			return columns{}, columnError{fmt.Sprintf("no column %s to leave out%s; the columns are %s", quote.Short(name), splitByItsComma(header, name), quote.List(header)), ErrIgnore}
		case j == c.target && len(named[name]) < 2:
			return columns{}, columnError{fmt.Sprintf("column %s is the target; it cannot be left out", quote.Short(name)), ErrIgnore}
		}
		for _, k := range named[name] { // a name the header repeats: every column of it but the target's
			ignored[k] = k != c.target
		}
		ignored[j] = j != c.target // the target's own name alone was refused above
	}
	for j, name := range header { // in the header's order: the first feature whose name is repeated is told
		if js := named[name]; opt.Features == nil && name != "" && j != c.target && !ignored[j] && len(js) > 1 {
			return columns{}, fmt.Errorf("%s are both named %s; a model finds its features by name: rename them, or leave them all out (by the name)", repeatedColumns(js), quote.Short(name))
		}
	}
	if opt.Features != nil {
		for _, name := range opt.Features {
			j, ok := seen[name]
			if !ok {
				return columns{}, fmt.Errorf("no column %s, which the model takes as a feature; the columns are %s", quote.Short(name), quote.List(header))
			}
			if j == c.target {
				return columns{}, fmt.Errorf("the target, column %s, is among the features", quote.Short(name))
			}
			c.features = append(c.features, j)
		}
		return c, nil
	}
	for j := range header {
		if j != c.target && !ignored[j] {
			c.features = append(c.features, j)
		}
	}
	if len(c.features) == 0 && len(ignored) > 0 {
		return columns{}, fmt.Errorf("no feature columns: the table has only the target and the columns left out")
	}
	if len(c.features) == 0 {
		return columns{}, fmt.Errorf("no feature columns: the table has only the target")
	}
	return c, nil
}

// repeatedColumns says which columns share a name, by 1-based number and
// 0-based index: "columns 1 and 3 (indexes 0 and 2)".
func repeatedColumns(js []int) string {
	numbers, indexes := make([]string, len(js)), make([]string, len(js))
	for i, j := range js {
		numbers[i], indexes[i] = strconv.Itoa(j+1), strconv.Itoa(j)
	}
	and := func(v []string) string {
		return strings.Join(v[:len(v)-1], ", ") + " and " + v[len(v)-1]
	}
	return fmt.Sprintf("columns %s (indexes %s)", and(numbers), and(indexes))
}

// ErrNoTarget is ReadCSV's error, wrapped, for a Target that is no
// column of the table, by name or by 0-based index; ErrIgnore for an
// Ignore name that is no column, or the target's; ErrKeep for a Keep name
// that is no column.
var (
	ErrNoTarget = errors.New("no such target column")
	ErrIgnore   = errors.New("a column to leave out that is none, or the target")
	ErrKeep     = errors.New("a column to keep that is none")
)

// An OtherLabelError is ReadCSV's error for a label that is none of
// CSVOptions.Classes (a model's).
type OtherLabelError struct {
	Label string
	err   error
}

func (e *OtherLabelError) Error() string { return e.err.Error() }

// columnError is an error of the columns CSVOptions picks: its message,
// and is the sentinel of its kind.
type columnError struct {
	msg  string
	kind error
}

func (e columnError) Error() string        { return e.msg }
func (e columnError) Is(target error) bool { return target == e.kind }

// A TextColumnError is ReadCSV's error for a feature column, chosen as
// every column but the target (CSVOptions.Features not set), whose first
// cell is text rather than a number written otherwise or missing: a
// column of text, an id or a date, as often as a stray cell. Column is
// its name, and Name what CSVOptions.Ignore takes to leave it out.
// Others are the Names of the feature columns after it whose first cells
// are text too, so that all of them can be left out at once (a table of
// three such columns had taken three refusals, one a run).
type TextColumnError struct {
	Column string
	Name   string // what CSVOptions.Ignore (and Target) take for it: its name, else its index; "" where neither would do
	Others []string
	err    error
}

func (e *TextColumnError) Error() string { return e.err.Error() }
func (e *TextColumnError) Unwrap() error { return e.err }

// textCell reports whether a cell that is no number holds text: not
// empty, not a missing value's mark (NA, null, ...), not a number written
// with a decimal point, a decimal comma or thousands separators, nor in
// Go's syntax, nor as a spreadsheet shows one (12%, 3,50 €, #DIV/0!).
func textCell(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || missingMark(s) {
		return false
	}
	return !looksNumeric(s) && numtext.Hint(s) == "" && spreadsheetHint(s, false) == "" // 0.5 in a table read with a decimal comma is a number written otherwise
}

// missingMark reports whether a cell, spaces trimmed, is one of the marks
// tables write for a missing value: R's NA, pandas' NaN, SQL's NULL, a
// database export's \N (PostgreSQL's and MySQL's COPY), n/a, None, and
// the lone -, ? and . some surveys write.
func missingMark(s string) bool {
	switch strings.ToLower(s) {
	case "na", "n/a", "nan", "null", "none", "nil", "missing", `\n`, "-", "?", ".":
		return true
	}
	return false
}

// missingText is what a feature's missing value is told: what to do,
// wiggle guessing none.
const missingText = "fill it in, or leave its row out: wiggle does not guess missing values"

// ErrDecimalComma is what ReadCSV's error for a cell matches (errors.Is)
// that CSVOptions.DecimalComma would read, where it is not set: a number
// written with one comma for its point (0,5).
var ErrDecimalComma = errors.New("is not a number (a decimal comma? write 0.5, not 0,5)")

// decimalCommaCell is a cell's ErrDecimalComma, said with its own number:
// "write 1.5, not 1,5".
type decimalCommaCell struct{ point, cell string }

func (e decimalCommaCell) Error() string {
	return fmt.Sprintf("is not a number (a decimal comma? write %s, not %s)", e.point, e.cell)
}

func (e decimalCommaCell) Is(target error) bool { return target == ErrDecimalComma }

// parseNumber reads a cell as a float32; with comma, a cell's one comma
// is its point, and a cell with a point is refused
// (CSVOptions.DecimalComma).
func parseNumber(s string, comma bool) (float32, error) {
	if hint := numtext.Hint(s); hint != "" { // 0x10, 1_000: Go's syntax, not a table's
		return 0, errors.New("is not a decimal number (" + hint + ")")
	}
	text := strings.TrimSpace(s)
	if comma && strings.Contains(text, ".") && decimalComma(strings.ReplaceAll(text, ".", ",")) {
		if _, err := strconv.ParseFloat(text, 64); err == nil {
			return 0, ErrNotCommaNumber // 1.5: a decimal point, which a decimal comma's table has not
		}
		return 0, errCommaThousands // 1.234,5
	}
	if point, ok := commaAsPoint(text); comma && ok {
		text = point
	}
	v, err := strconv.ParseFloat(text, 32)
	switch {
	case err != nil && errors.Is(err, strconv.ErrRange):
		return 0, errors.New("is outside the float32 range")
	case err != nil && text == "":
		return 0, errors.New("is empty (a missing value? " + missingText + ")")
	case missingMark(text): // NaN parses, as not finite
		return 0, errors.New("is not a number: a missing value's mark (" + missingText + ")")
	case err != nil && spreadsheetHint(s, comma) != "":
		return 0, errors.New("is not a number (" + spreadsheetHint(s, comma) + ")")
	case err != nil && spacedThousands(s):
		return 0, fmt.Errorf("is not a number (spaces between thousands, as a French or Czech spreadsheet writes them? write %s, with no space)", spacedExample(comma, s))
	case err != nil && comma && decimalComma(s):
		return 0, errCommaThousands
	case err != nil && oneDecimalComma(s):
		point, _ := commaAsPoint(text)
		return 0, decimalCommaCell{point: point, cell: text}
	case err != nil && decimalComma(s):
		return 0, errors.New("is not a number (a thousands separator? write 1234.5, not 1,234.5 or 1.234,5)")
	case err != nil:
		return 0, errors.New("is not a number")
	case math.IsNaN(v) || math.IsInf(v, 0):
		return 0, errors.New("is not finite")
	}
	return float32(v), nil
}

// spreadsheetErrors are the marks a spreadsheet writes for a formula that
// failed, as it saves them: Excel's and LibreOffice's in English
// (#DIV/0!, #N/A, #VALUE!, #REF!, #NAME?, #NUM!, #NULL!, #SPILL!, #CALC!,
// Err:502), German, French and Spanish. An id such as #A001 is none.
var spreadsheetErrors = map[string]bool{
	"#DIV/0!": true, "#N/A": true, "#VALUE!": true, "#REF!": true, "#NAME?": true, "#NUM!": true, "#NULL!": true,
	"#SPILL!": true, "#CALC!": true, "#GETTING_DATA": true, "#NV": true, "#WERT!": true, "#BEZUG!": true,
	"#ZAHL!": true, "#NULL": true, "#VALEUR!": true, "#NOM?": true, "#NOMBRE!": true, "#NUL!": true,
	"#¡DIV/0!": true, "#¡VALOR!": true, "#¡REF!": true, "#¿NOMBRE?": true, "#¡NUM!": true, "#¡NULO!": true,
}

// spreadsheetError reports whether s is a spreadsheetErrors mark, or
// LibreOffice's Err:NNN.
func spreadsheetError(s string) bool {
	if strings.HasPrefix(s, "Err:") {
		_, err := strconv.Atoi(s[4:])
		return err == nil
	}
	return spreadsheetErrors[strings.ToUpper(s)]
}

// spreadsheetHint says what a cell that is not a number is where a
// spreadsheet saved it as it showed it: a percentage (12%), an amount
// with its currency sign (152,80 €, $1,234.50), a formula's error
// (#DIV/0!); "" for other cells. comma: the table has a decimal comma.
func spreadsheetHint(s string, comma bool) string {
	text := strings.TrimSpace(s)
	switch {
	case spreadsheetError(text):
		return fmt.Sprintf("%s is a spreadsheet's error, from a formula that failed: fix the formula in that cell, or leave its row out", text)
	case strings.HasSuffix(text, "%") && looksNumeric(strings.TrimSpace(strings.TrimSuffix(text, "%"))):
		example := "0.12"
		if comma {
			example = "0,12"
		}
		return fmt.Sprintf("a percentage, as a spreadsheet shows one? save the column as plain numbers, %s for 12%%: format its cells as Number, not Percentage", example)
	}
	if rest, ok := withoutCurrency(text); ok && looksNumeric(rest) {
		return "an amount with its currency sign, as a spreadsheet shows one? save the column as plain numbers: format its cells as Number, not Currency"
	}
	return ""
}

// withoutCurrency is s without a currency sign (€, $, £, ¥, ₩, ... :
// Unicode's Sc) at its start or its end, and whether it had one.
func withoutCurrency(s string) (string, bool) {
	first, size := utf8.DecodeRuneInString(s)
	if unicode.Is(unicode.Sc, first) {
		return strings.TrimSpace(s[size:]), true
	}
	last, size := utf8.DecodeLastRuneInString(s)
	if unicode.Is(unicode.Sc, last) {
		return strings.TrimSpace(s[:len(s)-size]), true
	}
	return s, false
}

// looksNumeric reports whether s is a number in any of the ways a
// spreadsheet writes one: plain, with a decimal comma, with separators
// between thousands (points, commas or spaces), a sign first.
func looksNumeric(s string) bool {
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return true
	}
	return decimalComma(s) || spacedThousands(s)
}

// ErrNotCommaNumber is what ReadCSV's error for a cell matches (errors.Is)
// where CSVOptions.DecimalComma is set and the cell is a number with a
// decimal point (1.5), which a table of decimal commas does not write: a
// table of decimal points, most likely, read so.
var ErrNotCommaNumber = errors.New("is not a number as a table with a decimal comma writes one (1,5 for 1.5: no points)")

// errCommaThousands is the error, with CSVOptions.DecimalComma, for a
// number with separators between its thousands (1.234,5 or 1,234,567).
var errCommaThousands = errors.New("is not a number as a table with a decimal comma writes one (1234,5 for 1.234,5: no separators between thousands)")

// oneDecimalComma reports whether s reads as a number once its one comma
// is a point, and has no point of its own: 0,5, as DecimalComma reads it.
func oneDecimalComma(s string) bool {
	point, ok := commaAsPoint(strings.TrimSpace(s))
	_, err := strconv.ParseFloat(point, 64)
	return ok && err == nil
}

// commaAsPoint is s with its one comma a point, where s has one comma and
// no point.
func commaAsPoint(s string) (string, bool) {
	if strings.Count(s, ",") != 1 || strings.Contains(s, ".") {
		return s, false
	}
	return strings.Replace(s, ",", ".", 1), true
}

// spacedNumber is a number whose thousands are apart by a space, a
// no-break space (U+00A0), a narrow one (U+202F) or a thin one (U+2009),
// as spreadsheets write them: 1 234,5 or 1 234 567. Groups of three
// digits alone: a phone number (06 12 34 56 78) is text.
var spacedNumber = regexp.MustCompile(`^[+-]?[0-9]{1,3}([ \x{a0}\x{202f}\x{2009}][0-9]{3})+([.,][0-9]+)?$`)

// spacedThousands reports whether s is a spacedNumber.
func spacedThousands(s string) bool { return spacedNumber.MatchString(strings.TrimSpace(s)) }

// spacedExample is 1234.5 as the table should write it: with a decimal
// comma, 1234,5; a cell with a comma in a table read without one is
// offered both.
func spacedExample(comma bool, cell string) string {
	switch {
	case comma:
		return "1234,5"
	case strings.Contains(cell, ","):
		return "1234.5, or 1234,5 with --decimal-comma"
	}
	return "1234.5"
}

// decimalComma reports whether s reads as a number once its one comma
// is a point (0,0018 in a table separated by semicolons), or once its
// commas, or its points, are taken as thousands separators (60,366.09,
// 1,234,567, 1.234.567,5).
func decimalComma(s string) bool {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, ",") {
		return false
	}
	for _, try := range []string{
		strings.Replace(s, ",", ".", 1),                              // a decimal comma
		strings.ReplaceAll(s, ",", ""),                               // commas between thousands
		strings.Replace(strings.ReplaceAll(s, ".", ""), ",", ".", 1), // points between thousands, a decimal comma
	} {
		if _, err := strconv.ParseFloat(try, 64); err == nil {
			return true
		}
	}
	return false
}

// otherCase is " (did you mean NAME? names match exactly, case too)" for
// the column whose name is name but for case and spaces around it; ""
// for none.
func otherCase(header []string, name string) string {
	for _, h := range header {
		if strings.EqualFold(h, strings.TrimSpace(name)) {
			return fmt.Sprintf(" (did you mean %s? names match exactly, case too)", quote.Short(h))
		}
	}
	return ""
}

// composedNames is opt with the columns it names in Unicode's composed
// form (NFC), as the header's names are read: a name typed Größe finds
// the column a Mac's tool wrote with ö as o and a combining diaeresis,
// which looks the same and is other bytes.
func (opt CSVOptions) composedNames() CSVOptions {
	composed := func(names []string) []string {
		if names == nil {
			return nil
		}
		out := make([]string, len(names))
		for i, n := range names {
			out[i] = norm.NFC.String(n)
		}
		return out
	}
	opt.Target = norm.NFC.String(opt.Target)
	opt.Features, opt.Ignore, opt.Keep = composed(opt.Features), composed(opt.Ignore), composed(opt.Keep)
	return opt
}
