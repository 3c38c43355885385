package main

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/wigglenn/wiggle/train"
)

// TestProgressLinesAtMostOneEveryGap: epochs shorter than lineGap share a
// line, the first and the last always get one, and an epoch cut short
// (patience, Ctrl-C) gets its line at done.
func TestProgressLinesAtMostOneEveryGap(t *testing.T) {
	for _, c := range []struct {
		name          string
		epochs, run   int           // epochs asked for, epochs run
		epochTime     time.Duration // each epoch's length
		want          []int         // the epochs whose lines are written, in order
		wantLineCount int           // or, where want is nil, how many
	}{
		{"long epochs, every line", 5, 5, lineGap, []int{1, 2, 3, 4, 5}, 0},
		{"short epochs, the first and the last", 5, 5, lineGap / 10, []int{1, 5}, 0},
		{"a line a gap", 100, 100, lineGap / 4, nil, 26}, // 1, 5, 9, … 97, and 100
		{"stopped early", 10, 7, lineGap / 10, []int{1, 7}, 0},
		{"one epoch", 1, 1, time.Nanosecond, []int{1}, 0},
	} {
		var out bytes.Buffer
		p := newProgress(&out, c.epochs, true)
		clock := time.Unix(0, 0)
		p.now = func() time.Time { return clock }
		for e := 1; e <= c.run; e++ {
			clock = clock.Add(c.epochTime)
			p.epoch(train.EpochStats{Epoch: e, TrainLoss: 1 / float64(e), LR: 0.1})
		}
		p.done()
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		if c.want == nil {
			if len(lines) != c.wantLineCount {
				t.Errorf("%s: %d lines, want %d: %q", c.name, len(lines), c.wantLineCount, out.String())
			}
			continue
		}
		var got []int
		for _, l := range lines {
			var e, n int
			if _, err := fmt.Sscanf(l, "epoch %d/%d", &e, &n); err != nil {
				t.Fatalf("%s: line %q: %v", c.name, l, err)
			}
			got = append(got, e)
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: lines for epochs %v, want %v: %q", c.name, got, c.want, out.String())
		}
	}
}

// TestProgressBarOnlyForLongEpochs: on a terminal, an epoch shorter than
// barDelay draws no bar (a bar drawn and cleared every short epoch wrote
// megabytes), a longer one does; and a classifier's accuracy shows at 0%.
func TestProgressBarOnlyForLongEpochs(t *testing.T) {
	var out bytes.Buffer
	p, clock := onTerminal(&out, 3)
	for batch := 1; batch <= 10; batch++ { // a short epoch
		*clock = clock.Add(barDelay / 20)
		p.batch(batch*10, 100)
	}
	p.epoch(train.EpochStats{Epoch: 1, TrainLoss: 1, TrainAccuracy: 0, LR: 0.1})
	if s := out.String(); !strings.HasPrefix(s, "epoch 1/3  loss 1.0000  acc 0.00%") {
		t.Errorf("a short epoch wrote %q; want its line alone, its accuracy of 0%% shown", s)
	}
	out.Reset()
	for batch := 1; batch <= 10; batch++ { // a long one
		*clock = clock.Add(barDelay / 2)
		p.batch(batch*10, 100)
	}
	if !strings.Contains(out.String(), "/100") {
		t.Errorf("a long epoch drew no bar: %q", out.String())
	}
}

// TestLossText: four decimals, as ever, below 10⁶; five significant digits
// from there, not a line of the loss's every digit.
func TestLossText(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{0.69314718, "0.6931"}, {1234.5, "1234.5000"}, {999999.99, "999999.9900"},
		{1e6, "1e+06"}, {2.3136356e76, "2.3136e+76"}, {-3e7, "-3e+07"},
		{math.NaN(), "NaN"}, {math.Inf(1), "+Inf"},
	} {
		if got := lossText(c.v); got != c.want {
			t.Errorf("lossText(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}

// TestBarLeavesNoResidue: on a terminal, the epoch's line replaces its
// bar whole: read as a terminal shows it (a carriage return goes back to
// the line's start and what follows overwrites), the screen holds the
// epoch line and nothing of the bar. progressbar clears a bar on Windows
// with a bare \r, which left "00) [0s:0s]" after a shorter epoch line.
func TestBarLeavesNoResidue(t *testing.T) {
	var out bytes.Buffer
	p, clock := onTerminal(&out, 1)
	for done := 0; done <= 55360; done += 640 {
		p.batch(done, 60000)
		*clock = clock.Add(10 * time.Millisecond)
		time.Sleep(time.Millisecond) // past the bar's throttle now and then
	}
	if p.bar == nil {
		t.Fatal("no bar was drawn")
	}
	p.epoch(train.EpochStats{Epoch: 1, TrainLoss: 0.3392, TrainAccuracy: 0.9042, LR: 0.1, Seconds: 0.503})
	screen := onScreen(out.String(), 80)
	want := "epoch 1/1  loss 0.3392  acc 90.42%  lr 0.1  503ms"
	if len(screen) != 1 || strings.TrimRight(screen[0], " ") != want {
		t.Errorf("the terminal shows %q; want only %q", screen, want)
	}
}

// onTerminal is a classifier's progress of epochs epochs as on a
// terminal, writing to out, and the clock it reads, for the test to move.
func onTerminal(out *bytes.Buffer, epochs int) (*progress, *time.Time) {
	p := newProgress(out, epochs, true)
	p.tty = true
	clock := time.Unix(0, 0)
	p.now = func() time.Time { return clock }
	return p, &clock
}

// onScreen is the lines a terminal of width columns shows for s: \r back
// to the line's start, each character written over the one there, a line
// wrapped at the width (so that blanking more than the bar wrote shows).
func onScreen(s string, width int) []string {
	var lines []string
	var line []rune
	col := 0
	for _, r := range s {
		if col == width && r != '\r' && r != '\n' {
			lines, line, col = append(lines, string(line)), nil, 0
		}
		switch r {
		case '\r':
			col = 0
		case '\n':
			lines, line, col = append(lines, string(line)), nil, 0
		default:
			if col < len(line) {
				line[col] = r
			} else {
				line = append(line, r)
			}
			col++
		}
	}
	if len(line) > 0 {
		lines = append(lines, string(line))
	}
	return lines
}

// TestReadingBar: a large table read on a terminal draws a bar of its
// bytes, named, and clears it; a small one, or one read with standard
// error elsewhere, draws none.
func TestReadingBar(t *testing.T) {
	var out strings.Builder
	onRead, clear := readingBar(&out, "big.csv", readBarFrom, true)
	if onRead == nil {
		t.Fatal("no bar for a large table on a terminal")
	}
	for range 8 {
		onRead(readBarFrom / 4) // counted, then read
	}
	clear()
	if !strings.Contains(out.String(), "reading big.csv") || !strings.HasSuffix(out.String(), "\r") {
		t.Errorf("the bar wrote %q; want it named, then cleared", out.String())
	}
	for _, c := range []struct {
		size int64
		tty  bool
	}{{readBarFrom - 1, true}, {readBarFrom, false}} {
		out.Reset()
		onRead, clear := readingBar(&out, "t.csv", c.size, c.tty)
		clear()
		if onRead != nil || out.Len() > 0 {
			t.Errorf("%d bytes, terminal %v: a bar (%q); want none", c.size, c.tty, out.String())
		}
	}
}
