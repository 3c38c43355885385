package data

// Class labels: the distinct texts of a target column, ordered into class
// indices, and what a target that is no class label looks like.

import (
	"cmp"
	"errors"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// continuous reports whether the class labels of a target column of rows
// look like a real quantity rather than classes, as scikit-learn's "Unknown
// label type: continuous" does: more than 20 distinct labels, numbers, and
// some of them not whole, or so many that most rows would be a class of
// their own (integer prices, counts); or, in a small table, 5 to 20
// numbers, some not whole, most rows' own. A label or two that is no
// number among many that are (one in twenty) does not hide them: it is
// returned, as a missing value's marker ("NA", "?") usually is.
func continuous(labels []string, rows int) (yes bool, notNumbers []string) {
	numbers, fraction := 0, false
	for _, l := range labels {
		v, err := strconv.ParseFloat(l, 64)
		if err != nil {
			notNumbers = append(notNumbers, l)
			continue
		}
		numbers++
		fraction = fraction || v != math.Trunc(v)
	}
	switch {
	case len(notNumbers) > max(1, numbers/20):
		return false, nil // labels of text
	case numbers > 20:
		return fraction || 2*numbers > rows, notNumbers
	}
	return numbers >= 5 && fraction && 2*numbers > rows, notNumbers
}

// labelSet interns labels: each row holds the index of its label among the
// distinct ones in order of appearance.
type labelSet struct {
	index map[string]int32
	names []string
	rows  []int32
}

func (l *labelSet) add(label string) {
	k, ok := l.index[label]
	if !ok {
		if l.index == nil {
			l.index = map[string]int32{}
		}
		k = int32(len(l.names))
		l.index[label] = k
		l.names = append(l.names, label)
	}
	l.rows = append(l.rows, k)
}

// indices maps each row's label to its position in classes.
func (l *labelSet) indices(classes []string) []int {
	at := make(map[string]int, len(classes)) // by name: a search a label was quadratic in the classes (300,000 took 90 s)
	for k, name := range classes {
		if _, seen := at[name]; !seen {
			at[name] = k
		}
	}
	pos := make([]int, len(l.names))
	for k, name := range l.names {
		if c, ok := at[name]; ok {
			pos[k] = c
		} else {
			pos[k] = -1
		}
	}
	out := make([]int, len(l.rows))
	for i, k := range l.rows {
		out[i] = pos[k]
	}
	return out
}

// classOrder orders distinct labels. Plain non-negative integers that
// start at 0, under 65,536, are class indices, 0 to the largest, a gap an
// empty class (one this file lacks), where the gaps are fewer than the
// labels; other integers (1 to 5, codes 1001 and 2002, -1 and 1) are the
// classes they are, in numeric order, with no empty class; other numbers
// (+1 and -1, 9.5) by value too, and any other labels as text.
func classOrder(distinct []string) []string {
	values := make(map[string]int64, len(distinct))
	top, zero := int64(-1), false
	for _, l := range distinct {
		n, err := strconv.ParseInt(l, 10, 64)
		if err != nil || strconv.FormatInt(n, 10) != l { // not an integer written plainly (01, +1, 9.5)
			return byValue(distinct)
		}
		values[l] = n
		top, zero = max(top, n), zero || n == 0
	}
	gaps := top + 1 - int64(len(distinct))
	if !zero || top >= 1<<16 || slices.ContainsFunc(distinct, func(l string) bool { return values[l] < 0 }) || gaps >= int64(len(distinct)) {
		return byValue(distinct)
	}
	names := make([]string, top+1)
	for k := range names {
		names[k] = strconv.Itoa(k)
	}
	return names
}

// byValue sorts labels that are all numbers by value (-1 before +1, 9.5
// before 10), ties and any other labels as text.
func byValue(labels []string) []string {
	names := slices.Clone(labels)
	values := make(map[string]float64, len(names))
	for _, l := range names {
		v, err := strconv.ParseFloat(l, 64)
		if err != nil || math.IsNaN(v) {
			sort.Strings(names)
			return names
		}
		values[l] = v
	}
	slices.SortFunc(names, func(a, b string) int { return cmp.Or(cmp.Compare(values[a], values[b]), strings.Compare(a, b)) })
	return names
}

// ErrRealValuedTarget is ReadCSV's error for a target column of many
// real values read as class labels: a regression target, or not the
// target at all.
var ErrRealValuedTarget = errors.New("a classifier wants a few labels")

// OneClassError is wrapped in ReadCSV's error for a class target whose rows
// all hold one label, where CSVOptions.Classes is not given: a classifier
// needs two classes or more. Classes of that one Label reads the table all
// the same (to describe it, say).
type OneClassError struct{ Label string }

func (e *OneClassError) Error() string { return "a classifier needs at least two classes" }
