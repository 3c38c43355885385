package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/wigglenn/wiggle/train"
)

// progress reports training to standard error: a bar within each epoch on a
// terminal, and one plain line per epoch everywhere.
type progress struct {
	w      io.Writer
	epochs int
	tty    bool
	bar    *progressbar.ProgressBar
}

func newProgress(w io.Writer, epochs int) *progress {
	return &progress{w: w, epochs: epochs, tty: isTerminal(w)}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

func (p *progress) batch(done, total int) {
	if !p.tty {
		return
	}
	if p.bar == nil {
		p.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(p.w), progressbar.OptionClearOnFinish(),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionShowCount(), progressbar.OptionSetWidth(30))
	}
	p.bar.Set(done)
}

func (p *progress) epoch(s train.EpochStats) {
	p.clearBar()
	line := fmt.Sprintf("epoch %*d/%d  loss %.4f", len(fmt.Sprint(p.epochs)), s.Epoch, p.epochs, s.TrainLoss)
	if s.TrainAccuracy > 0 {
		line += fmt.Sprintf("  acc %.2f%%", 100*s.TrainAccuracy)
	}
	if s.HasVal {
		line += fmt.Sprintf("  val_loss %.4f", s.ValLoss)
		if s.ValAccuracy > 0 {
			line += fmt.Sprintf("  val_acc %.2f%%", 100*s.ValAccuracy)
		}
	}
	fmt.Fprintf(p.w, "%s  lr %.4g  %.2fs\n", line, s.LR, s.Seconds)
}

func (p *progress) clearBar() {
	if p.bar != nil {
		p.bar.Finish()
		p.bar = nil
	}
}

func (p *progress) done() { p.clearBar() }
