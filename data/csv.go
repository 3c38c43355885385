package data

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/wigglenn/wiggle/tensor"
)

// CSVOptions says how to read a table.
type CSVOptions struct {
	// Target is the target column, by name or 0-based index; "" reads
	// features only (for prediction).
	Target string
	// Regression reads the target as a real value; otherwise it is a class
	// label.
	Regression bool
	// Features, if set, picks exactly these columns, in this order, as the
	// features (a model's columns); otherwise every column but the target.
	Features []string
	// Classes, if set, are the labels of the class indices (a model's);
	// otherwise classes are found in the file (see ReadCSV).
	Classes []string
}

// ReadCSV reads a table with a header row. Every feature must be a finite
// number. Class labels may be any text: when every label is a whole number
// from 0, class k is the label k; otherwise the classes are the sorted
// distinct labels. Errors name the file, the line and the column, what was
// found and what was expected.
func ReadCSV(path string, opt CSVOptions) (*Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ds, err := readCSV(f, opt)
	if err != nil {
		return nil, fmt.Errorf("%s%w", path, err)
	}
	return ds, nil
}

// csvError is an error at a place in the file; its text starts with the
// place, to follow the file name.
func csvError(line int, column string, format string, args ...any) error {
	place := fmt.Sprintf(", line %d", line)
	if column != "" {
		place += ", column " + column
	}
	return fmt.Errorf(place+": "+format, args...)
}

func readCSV(r io.Reader, opt CSVOptions) (*Dataset, error) {
	br := bufio.NewReader(r)
	if head, _ := br.Peek(512); bytes.IndexByte(head, 0) >= 0 {
		return nil, errors.New(": not a text file (it holds NUL bytes); want a CSV table with a header row")
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New(": the file is empty; want a header row, then one row per example")
	}
	if err != nil {
		return nil, parseError(err)
	}
	header = slices.Clone(header)
	cols, err := chooseColumns(header, opt)
	if err != nil {
		return nil, csvError(1, "", "%v", err)
	}
	var x []float32
	var values []float32
	var labels []string
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, parseError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			return nil, csvError(line, "", "%d fields, the header has %d; every row needs one value per column", len(rec), len(header))
		}
		for _, j := range cols.features {
			v, err := parseFeature(rec[j])
			if err != nil {
				return nil, csvError(line, colName(header, j), "%q %v; want a finite number", rec[j], err)
			}
			x = append(x, v)
		}
		if cols.target < 0 {
			continue
		}
		t := strings.TrimSpace(rec[cols.target])
		if opt.Regression {
			v, err := parseFeature(t)
			if err != nil {
				return nil, csvError(line, colName(header, cols.target), "target %q %v; want a finite number for mse", t, err)
			}
			values = append(values, v)
		} else {
			if opt.Classes != nil && !slices.Contains(opt.Classes, t) {
				return nil, csvError(line, colName(header, cols.target), "label %q is not one of the model's classes %s", t, strings.Join(opt.Classes, ", "))
			}
			labels = append(labels, t)
		}
	}
	rows := len(x) / max(len(cols.features), 1)
	if cols.target >= 0 {
		rows = max(len(labels), len(values))
	}
	if rows == 0 {
		return nil, errors.New(": the file has a header but no rows; want one row per example")
	}
	ds := &Dataset{X: &tensor.Matrix{Rows: rows, Cols: len(cols.features), Data: x}}
	for _, j := range cols.features {
		ds.Features = append(ds.Features, header[j])
	}
	if cols.target < 0 {
		return ds, nil
	}
	ds.Target = header[cols.target]
	if opt.Regression {
		ds.Values = &tensor.Matrix{Rows: rows, Cols: 1, Data: values}
		return ds, nil
	}
	if opt.Classes == nil && !twoDistinct(labels) {
		return nil, fmt.Errorf(", column %s: every row has the label %q; a classifier needs at least two classes", colName(header, cols.target), labels[0])
	}
	setClasses(ds, labels, opt.Classes)
	return ds, nil
}

func twoDistinct(labels []string) bool {
	for _, l := range labels {
		if l != labels[0] {
			return true
		}
	}
	return false
}

type columns struct {
	features []int
	target   int // −1 for none
}

func chooseColumns(header []string, opt CSVOptions) (columns, error) {
	seen := map[string]int{}
	for j, name := range header {
		if k, dup := seen[name]; dup {
			return columns{}, fmt.Errorf("columns %d and %d are both named %q; want distinct column names", k, j, name)
		}
		seen[name] = j
	}
	c := columns{target: -1}
	if opt.Target != "" {
		j, ok := seen[opt.Target]
		if !ok {
			if n, err := strconv.Atoi(opt.Target); err == nil && n >= 0 && n < len(header) {
				j, ok = n, true
			}
		}
		if !ok {
			return columns{}, fmt.Errorf("no target column %q; the columns are %s (or give a 0-based index)", opt.Target, strings.Join(header, ", "))
		}
		c.target = j
	}
	if opt.Features != nil {
		for _, name := range opt.Features {
			j, ok := seen[name]
			if !ok {
				return columns{}, fmt.Errorf("no column %q, which the model takes as a feature; the columns are %s", name, strings.Join(header, ", "))
			}
			c.features = append(c.features, j)
		}
		return c, nil
	}
	for j := range header {
		if j != c.target {
			c.features = append(c.features, j)
		}
	}
	if len(c.features) == 0 {
		return columns{}, fmt.Errorf("no feature columns: the table has only the target")
	}
	return c, nil
}

func parseFeature(s string) (float32, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 32)
	switch {
	case err != nil && errors.Is(err, strconv.ErrRange):
		return 0, errors.New("is outside the float32 range")
	case err != nil:
		return 0, errors.New("is not a number")
	case math.IsNaN(v) || math.IsInf(v, 0):
		return 0, errors.New("is not finite")
	}
	return float32(v), nil
}

func colName(header []string, j int) string { return fmt.Sprintf("%d (%q)", j+1, header[j]) }

func parseError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return csvError(pe.Line, strconv.Itoa(pe.Column), "%v; fix the quoting (RFC 4180)", pe.Err)
	}
	return fmt.Errorf(": %w", err)
}

// setClasses maps labels to class indices: onto known if given (every
// label is among them), else as ReadCSV describes.
func setClasses(ds *Dataset, labels, known []string) {
	if known == nil {
		known = findClasses(labels)
	}
	index := make(map[string]int, len(known))
	for k, name := range known {
		index[name] = k
	}
	ds.Labels = make([]int, len(labels))
	for i, l := range labels {
		ds.Labels[i] = index[l]
	}
	ds.Classes, ds.ClassNames = len(known), known
}

func findClasses(labels []string) []string {
	distinct := map[string]bool{}
	top, whole := -1, true
	for _, l := range labels {
		distinct[l] = true
		n, err := strconv.Atoi(l)
		if err != nil || n < 0 || strconv.Itoa(n) != l {
			whole = false
		}
		top = max(top, n)
	}
	if whole && top < 1<<20 {
		names := make([]string, top+1)
		for k := range names {
			names[k] = strconv.Itoa(k)
		}
		return names
	}
	names := make([]string, 0, len(distinct))
	for l := range distinct {
		names = append(names, l)
	}
	sort.Strings(names)
	return names
}
