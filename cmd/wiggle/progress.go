package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/wigglenn/wiggle/internal/clock"
	"github.com/wigglenn/wiggle/train"
)

// progress reports training to standard error: a bar within each epoch
// that lasts barDelay or more on a terminal, and a plain line per epoch
// everywhere, at most one every lineGap (the first epoch and the last
// always, the last at done where the run stopped early): a run of short
// epochs, hundreds of thousands of them, would otherwise write megabytes of
// lines (or of bars drawn and cleared) a second.
type progress struct {
	w        io.Writer
	epochs   int
	classify bool // the accuracy is shown, 0% included; not for mse
	tty      bool
	bar      *progressbar.ProgressBar
	barLine  int       // the characters the bar has written since its last \r
	barWidth int       // the most of them: what clearBar blanks on Windows
	started  time.Time // when the epoch's first batch was reported; zero before

	now      func() time.Time
	lastLine time.Time         // when the last epoch line was written; zero before the first
	skipped  *train.EpochStats // the last epoch, if its line was not written
}

// lineGap is the shortest time between two epoch lines; barDelay how long
// an epoch runs before it gets a bar.
const (
	lineGap  = 50 * time.Millisecond
	barDelay = 250 * time.Millisecond
)

func newProgress(w io.Writer, epochs int, classify bool) *progress {
	return &progress{w: w, epochs: epochs, classify: classify, tty: isTerminal(w), now: clock.Now}
}

// isTerminal reports whether stream (an output or an input) is a
// terminal (a console on Windows); not /dev/null or another device,
// which a cron job's streams may be.
func isTerminal(stream any) bool {
	f, ok := stream.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func (p *progress) batch(done, total int) {
	if !p.tty {
		return
	}
	if p.bar == nil && p.started.IsZero() {
		p.started = p.now()
	}
	if p.bar == nil && p.now().Sub(p.started) < barDelay {
		return
	}
	if p.bar == nil {
		p.barLine, p.barWidth = 0, 0
		p.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(widest{p.w, &p.barLine, &p.barWidth}), progressbar.OptionClearOnFinish(),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionShowCount(), progressbar.OptionSetWidth(30))
	}
	p.bar.Set(done)
}

func (p *progress) epoch(s train.EpochStats) {
	p.clearBar()
	now := p.now()
	if !p.lastLine.IsZero() && s.Epoch < p.epochs && now.Sub(p.lastLine) < lineGap {
		p.skipped = &s
		return
	}
	p.lastLine, p.skipped = now, nil
	p.line(s)
}

// line writes the line of one epoch.
func (p *progress) line(s train.EpochStats) {
	line := fmt.Sprintf("epoch %*d/%d  loss %s", len(fmt.Sprint(p.epochs)), s.Epoch, p.epochs, lossText(s.TrainLoss))
	if p.classify {
		line += fmt.Sprintf("  acc %.2f%%", 100*s.TrainAccuracy)
	}
	if s.HasVal {
		line += fmt.Sprintf("  val_loss %s", lossText(s.ValLoss))
		if p.classify {
			line += fmt.Sprintf("  val_acc %.2f%%", 100*s.ValAccuracy)
		}
	}
	fmt.Fprintf(p.w, "%s  lr %.4g  %s\n", line, s.LR, wallTime(s.Seconds))
}

func (p *progress) clearBar() {
	if p.bar != nil {
		p.bar.Finish()
		p.bar = nil
		if runtime.GOOS == "windows" && p.barWidth > 0 { // where the bar's own clearing writes a bare \r
			fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.barWidth))
		}
	}
	p.started = time.Time{}
}

// widest is an io.Writer that passes a bar's bytes on to w and keeps in
// *most the widest line it has written, in characters, between carriage
// returns.
type widest struct {
	w          io.Writer
	line, most *int
}

func (b widest) Write(s []byte) (int, error) {
	for _, r := range string(s) {
		if r == '\r' || r == '\n' {
			*b.line = 0
			continue
		}
		*b.line++
		*b.most = max(*b.most, *b.line)
	}
	return b.w.Write(s)
}

// readBarFrom is the size of a table file from which its reading gets a
// bar on a terminal: a 2 GB file took 22 s to read, in silence.
const readBarFrom = 64 << 20

// readingBar returns, for a table file of size bytes that ReadCSV reads
// (twice: its lines counted, then its rows), a CSVOptions.OnRead that
// draws its bytes read on w where tty and the file is large, and a func
// that clears the bar; nil and a func that does nothing elsewhere.
func readingBar(w io.Writer, name string, size int64, tty bool) (onRead func(int), clear func()) {
	if !tty || size < readBarFrom {
		return nil, func() {}
	}
	width := 0
	bar := progressbar.NewOptions64(2*size, progressbar.OptionSetWriter(widest{w, new(int), &width}), progressbar.OptionClearOnFinish(),
		progressbar.OptionSetDescription("reading "+name), progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionSetWidth(30))
	return func(n int) { bar.Add(n) }, func() {
		bar.Finish()
		if runtime.GOOS == "windows" && width > 0 { // as clearBar: the bar's own clearing writes a bare \r there
			fmt.Fprintf(w, "\r%s\r", strings.Repeat(" ", width))
		}
	}
}

// done ends the report, writing the last epoch's line if it was skipped.
func (p *progress) done() {
	p.clearBar()
	if p.skipped != nil {
		p.line(*p.skipped)
		p.skipped = nil
	}
}

// wallTime prints seconds to three figures or so, in the unit that keeps
// them: "12.3s", "1.24s", "4.2ms", "850µs" (a short run read "0.00s").
func wallTime(seconds float64) string {
	d := time.Duration(seconds * float64(time.Second))
	switch {
	case d >= 10*time.Second:
		d = d.Round(100 * time.Millisecond)
	case d >= time.Second:
		d = d.Round(10 * time.Millisecond)
	case d >= 10*time.Millisecond:
		d = d.Round(time.Millisecond)
	case d >= time.Millisecond:
		d = d.Round(100 * time.Microsecond)
	default:
		d = d.Round(time.Microsecond)
	}
	return d.String()
}

// lossText writes a loss with four decimals, as the epoch lines and the
// summary print it, or with five significant digits from 10⁶ on, where
// the decimals would follow as many digits as the number has (a
// validation loss of 3e76 ran to 76 of them).
func lossText(v float64) string {
	if math.Abs(v) >= 1e6 {
		return strconv.FormatFloat(v, 'g', 5, 64)
	}
	return strconv.FormatFloat(v, 'f', 4, 64)
}
