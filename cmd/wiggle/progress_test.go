package main

import (
	"bytes"
	"fmt"
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
		p := newProgress(&out, c.epochs)
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
