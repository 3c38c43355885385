package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/tensor"
)

// TestColumnsThatTellNothing: a student's table with an id column, a
// constant year and hours of study: train names the constant year with
// the --ignore that leaves it out, notes that the ids may be a row's (and
// how to leave them out), and calls the year large (it had said nothing:
// its spread is 0, and only spreads were weighed).
func TestColumnsThatTellNothing(t *testing.T) {
	var b strings.Builder
	b.WriteString("student id,hours,Year,passed\n")
	for i := range 60 {
		hours := float64(i*37%80) / 10
		fmt.Fprintf(&b, "%d,%g,2024,%d\n", 1001+(i*7)%60, hours, map[bool]int{true: 1}[hours > 4])
	}
	_, stderr, _ := wiggle(t, "", "train", "--data", newcomerFile(t, "class.csv", b.String()), "--target", "passed", "--epochs", "1", "--out", filepath.Join(t.TempDir(), "m.safetensors"))
	for _, want := range []string{
		`note: "student id" holds a different whole number in each of the 60 training rows, 1001 to 1060: if it is a row's id or number, it predicts nothing of a new row, and --ignore ` + shellArg("student id") + " leaves it out",
		`warning: "Year" is 2024 in every training row: it tells the network nothing; leave it out with --ignore Year`,
		"warning: the features are large (the root mean square of Year is 2024,",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr %q; want it to say %q", stderr, want)
		}
	}
	if strings.Contains(stderr, `"hours" holds`) {
		t.Errorf("stderr %q; hours (whole-numbered tenths, not a run) called an id", stderr)
	}
}

// TestIsIDColumn: whole numbers, each once, filling their range, in at
// least minIDRows rows; not a gap, a repeat, a fraction or a short table.
func TestIsIDColumn(t *testing.T) {
	run := func(n int, at func(i int) float32) *data.Dataset {
		x := tensor.New(n, 1)
		for i := range n {
			x.Data[i] = at(i)
		}
		return &data.Dataset{X: x}
	}
	for _, c := range []struct {
		name string
		ds   *data.Dataset
		want bool
	}{
		{"ids shuffled", run(30, func(i int) float32 { return float32(500 + (i*7)%30) }), true},
		{"row numbers from 0", run(20, func(i int) float32 { return float32(i) }), true},
		{"a gap", run(30, func(i int) float32 { return float32(i + i/29) }), false},
		{"a repeat", run(30, func(i int) float32 { return float32(min(i, 28)) }), false},
		{"halves", run(30, func(i int) float32 { return float32(i) / 2 }), false},
		{"a short table", run(minIDRows-1, func(i int) float32 { return float32(i) }), false},
	} {
		lo, hi := columnBounds(c.ds)
		if got := isIDColumn(c.ds, 0, lo[0], hi[0]); got != c.want {
			t.Errorf("%s: isIDColumn = %v; want %v", c.name, got, c.want)
		}
	}
}

// TestManyConstantColumnsInOneLine: a picture's blank border (many
// columns of 0) is one note, not a warning a column.
func TestManyConstantColumnsInOneLine(t *testing.T) {
	x := tensor.New(4, 6)
	for i := range 4 {
		x.Data[i*6+5] = float32(i % 2)
	}
	var log strings.Builder
	ds := &data.Dataset{X: x, Features: []string{"p0", "p1", "p2", "p3", "p4", "p5"}}
	warnUninformativeColumns(&log, ds, func() ([]float64, []float64) { return columnBounds(ds) })
	want := `note: 5 features are each one value in every training row ("p0", "p1", "p2" and 2 more)`
	if strings.Count(log.String(), "\n") != 1 || !strings.HasPrefix(log.String(), want) {
		t.Errorf("warnings %q; want one line, %q…", log.String(), want)
	}
}
