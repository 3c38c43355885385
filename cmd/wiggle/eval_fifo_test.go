//go:build linux

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// doneInWriting is a context that is done from writePrediction's second
// look on: the predictions' first predictionCheck rows are written.
type doneInWriting struct {
	context.Context
	looks int
}

func (c *doneInWriting) Err() error {
	pc, _, _, _ := runtime.Caller(1)
	if strings.HasSuffix(runtime.FuncForPC(pc).Name(), ".writePrediction") {
		if c.looks++; c.looks >= 2 {
			return context.Canceled
		}
	}
	return nil
}

// TestPredictCutShortIntoAPipe: an --out that is a named pipe is written in
// place, so a prediction stopped while it writes says how many rows the
// pipe got (not "no file was written"), and the reader has those rows
// whole.
func TestPredictCutShortIntoAPipe(t *testing.T) {
	dir := t.TempDir()
	model, _ := trainSizes(t, dir)
	var table strings.Builder
	table.WriteString("x0,x1\n")
	for i := range 3 * predictionCheck {
		table.WriteString(ftoa(float64(i%7)-3) + "," + ftoa(float64(i%5)-2.2) + "\n")
	}
	csvPath, fifo := filepath.Join(dir, "many.csv"), filepath.Join(dir, "fifo")
	if err := os.WriteFile(csvPath, []byte(table.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipe here: %v", err)
	}
	read := make(chan []byte)
	go func() {
		b, _ := os.ReadFile(fifo)
		read <- b
	}()
	var out, errOut bytes.Buffer
	status := run(&doneInWriting{Context: context.Background()}, []string{"predict", "--model", model, "--data", csvPath, "--out", fifo}, strings.NewReader(""), &out, &errOut)
	if w, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
		w.Close() // the reader's end, where predict never opened the pipe
	}
	got := <-read
	want := "--out " + fifo + " holds the header and the first 4096 of the 12288 rows"
	if status != exitInterrupted || !strings.Contains(errOut.String(), want) {
		t.Errorf("exit %d, %q; want 130 saying %q", status, errOut.String(), want)
	}
	lines := strings.Split(string(got), "\n")
	if len(lines) != predictionCheck+2 || lines[0] != "predicted,p_big,p_small" || lines[len(lines)-1] != "" || strings.Count(lines[len(lines)-2], ",") != 2 {
		t.Errorf("the pipe got %d lines, first %q, last two %q; want the header and %d whole rows", len(lines), lines[0], lines[max(0, len(lines)-2):], predictionCheck)
	}
}
