package main

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/internal/quote"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Warnings of a training's data: held-out rows, stray and look-alike
// labels (the features' own: featurewarn.go).

// warnValidationRows warns where --val holds out no rows, or rows of fewer
// classes than the data has: the tail of a file written class by class
// (as generated sets are) validates on its last classes only.
func warnValidationRows(log io.Writer, val float64, name string, all, valSet *data.Dataset) {
	if val <= 0 {
		return
	}
	if valSet.Len() == 0 {
		fmt.Fprintf(log, "warning: --val %g of %d rows holds out none; validation is skipped\n", val, all.Len())
		return
	}
	if all.Labels == nil {
		return
	}
	have, held := classesIn(all.Labels), classesIn(valSet.Labels)
	switch {
	case held == have:
	case valSet.Len() >= have && slices.IsSorted(all.Labels):
		fmt.Fprintf(log, "warning: --val %g holds out the last rows of %s, which have %d of its %d classes: its rows are in class order (as data gen writes them); shuffle them first, the header kept on top (%s)\n", val, name, held, have, shuffleAdvice(name))
	default:
		fmt.Fprintf(log, "warning: --val %g holds out %d rows of %s, of %d of its %d classes\n", val, valSet.Len(), name, held, have)
	}
}

// shuffleAdvice is a command that shuffles a table's rows below its
// header, where the shell has one.
func shuffleAdvice(name string) string {
	if runtime.GOOS == "windows" {
		return "in a spreadsheet, sort it by a column of =RAND()"
	}
	file := shellArg(name)
	return fmt.Sprintf("(head -n 1 %s && tail -n +2 %s | sort -R) > shuffled.csv", file, file)
}

// warnLoneClasses warns of classes of a single row in a set of
// loneClassRows rows or more: a stray label (a typo, "nan", a number among
// names) makes a class of its own, an output of the network and a column
// of predict, without a word.
func warnLoneClasses(log io.Writer, name string, all *data.Dataset) {
	if all.Labels == nil || all.Len() < loneClassRows {
		return
	}
	var lone []string
	for c, n := range all.ClassCounts() {
		if n == 1 {
			lone = append(lone, all.ClassName(c))
		}
	}
	switch {
	case len(lone) == 1:
		fmt.Fprintf(log, "warning: %s: the class %s has one row of %d (a stray label makes a class of its own): correct or drop that row if it is a mistake\n", name, quote.Short(lone[0]), all.Len())
	case len(lone) > 1:
		fmt.Fprintf(log, "warning: %s: the classes %s have one row each, of %d (a stray label makes a class of its own): correct or drop those rows if they are mistakes\n", name, quote.ShortList(lone), all.Len())
	}
}

// warnLookAlikeLabels warns of class labels that are one text written in
// two Unicode forms ("café" with its é one character, NFC, or an e and a
// combining accent, NFD, as macOS file names and some editors write it),
// or that differ in case alone (Yes and yes, as hands type them): they
// are two classes each.
func warnLookAlikeLabels(log io.Writer, name string, all *data.Dataset) {
	seen, folded := map[string]string{}, map[string]string{} // by NFC form, and case-folded, the first label of it
	numbers := map[float64]string{}                          // by value, the first label that reads as it
	fold := cases.Fold()
	for _, label := range all.ClassNames {
		if v, err := strconv.ParseFloat(strings.TrimSpace(label), 64); err == nil {
			if first, ok := numbers[v]; ok {
				fmt.Fprintf(log, "warning: %s: the labels %s and %s are one number written two ways (a column of floats joined to one of whole numbers?): they are two classes; write them alike\n", name, quote.Short(first), quote.Short(label))
				continue
			}
			numbers[v] = label
		}
		key := norm.NFC.String(label)
		if first, ok := seen[key]; ok {
			fmt.Fprintf(log, "warning: %s: the labels %s and %s are one text in two Unicode forms (an accent one character, or a letter and a combining accent): they are two classes; write them alike\n", name, strconv.QuoteToASCII(first), strconv.QuoteToASCII(label))
			continue
		}
		seen[key] = label
		if first, ok := folded[fold.String(key)]; ok {
			fmt.Fprintf(log, "warning: %s: the labels %s and %s differ in case alone: they are two classes; write them alike if they are one\n", name, quote.Short(first), quote.Short(label))
			continue
		}
		folded[fold.String(key)] = label
	}
}

// lookAlikeClass adds to the error of a label that is none of a model's
// classes (a *data.OtherLabelError) the class it matches in all but its
// Unicode form, its case or the way a number is written: "café" in
// another form looks the same on screen, and is not the model's class.
func lookAlikeClass(err error, classes []string) error {
	var other *data.OtherLabelError
	if !errors.As(err, &other) {
		return err
	}
	fold := cases.Fold()
	label := norm.NFC.String(other.Label)
	value, numberErr := strconv.ParseFloat(other.Label, 64)
	for _, class := range classes {
		v, err2 := strconv.ParseFloat(class, 64)
		switch {
		case norm.NFC.String(class) == label:
			return fmt.Errorf("%w (the class %s is that text in another Unicode form, the label %s: an accent one character, or a letter and a combining accent; write them alike)", err, strconv.QuoteToASCII(class), strconv.QuoteToASCII(other.Label))
		case fold.String(norm.NFC.String(class)) == fold.String(label):
			return fmt.Errorf("%w (did you mean %s? labels match exactly, case too)", err, quote.Short(class))
		case numberErr == nil && err2 == nil && v == value:
			return fmt.Errorf("%w (the class %s is that number written another way: labels match as text; write them alike)", err, quote.Short(class))
		}
	}
	return err
}

// loneClassRows is the least rows a set has for warnLoneClasses to
// judge it: a tiny table may hold a class of one row on purpose.
const loneClassRows = 20

// classesIn counts the distinct labels.
func classesIn(labels []int) int {
	seen := map[int]bool{}
	for _, y := range labels {
		seen[y] = true
	}
	return len(seen)
}

// enoughToTrain refuses a --val that leaves training rows of one class
// where the data has more (a model of it learns nothing but that class),
// or a single row of values to regress.
func (j trainJob) enoughToTrain(trainSet, all *data.Dataset) error {
	if j.Val == 0 {
		return nil
	}
	if all.Regression() {
		if trainSet.Len() < 2 {
			return usageError{fmt.Errorf("--val %g leaves %s of %d; lower it", j.Val, plural(trainSet.Len(), "training row"), all.Len())}
		}
		return nil
	}
	held, present := classesIn(trainSet.Labels), classesIn(all.Labels)
	if held < 2 && present >= 2 {
		return usageError{fmt.Errorf("--val %g leaves %s, of only %d of the %d classes; lower it (or shuffle the file: --val takes the rows from its end)", j.Val, plural(trainSet.Len(), "training row"), held, present)}
	}
	return nil
}
