//go:build linux

package main

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

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
	whole, stderr, status := wiggle(t, "", "predict", "--model", model, "--data", csvPath)
	if status != 0 {
		t.Fatalf("predict, not stopped: exit %d, %s", status, stderr)
	}
	guard, read := pipeWithWriter(t, fifo) // the reader ends however predict fares, even where it never opens the pipe
	inWriting := func(function string) bool { return strings.HasSuffix(function, ".writePrediction") }
	ctx := &doneWhenAsked{Context: context.Background(), by: inWriting, after: 1} // the first predictionCheck rows written
	var out, errOut bytes.Buffer
	status = run(ctx, []string{"predict", "--model", model, "--data", csvPath, "--out", fifo}, strings.NewReader(""), &out, &errOut)
	guard.Close()
	got := string(<-read)
	rows := 3 * predictionCheck
	want := fmt.Sprintf("--out %s holds the header and the first %d of the %d rows", fifo, predictionCheck, rows)
	if status != exitInterrupted || !strings.Contains(errOut.String(), want) {
		t.Errorf("exit %d, %q; want 130 saying %q", status, errOut.String(), want)
	}
	lines := strings.SplitAfter(whole, "\n")
	if wantOut := strings.Join(lines[:1+predictionCheck], ""); got != wantOut {
		t.Errorf("the pipe got %d bytes ending %q; want the header and the first %d rows of an uninterrupted run, %d bytes ending %q",
			len(got), got[max(0, len(got)-40):], predictionCheck, len(wantOut), wantOut[len(wantOut)-40:])
	}
}

// TestReportsStayOutOfPipedFiles: a command whose output file is its own
// standard output (--out /dev/stdout, a pipe here, reached as
// /proc/self/fd/N) prints its report to standard error, not into the
// file: the model train writes there loads, and so do export's ONNX file
// and data show's PNG. An output that is another device (/dev/null)
// leaves the report on standard output.
func TestReportsStayOutOfPipedFiles(t *testing.T) {
	if _, err := os.Stat("/proc/self/fd"); err != nil {
		t.Skipf("no /proc/self/fd: %v", err)
	}
	dir := t.TempDir()
	model, _ := trainSizes(t, dir)
	csvPath := filepath.Join(dir, "sizes.csv")
	for _, c := range []struct {
		name   string
		args   []string // the output flag last, its path to come
		ext    string
		report string // in the report ("" for the output's path)
	}{
		{"train", []string{"train", "--data", csvPath, "--target", "size", "--hidden", "4", "--epochs", "2", "--out"}, ".safetensors", ""},
		{"train --json", []string{"train", "--data", csvPath, "--target", "size", "--hidden", "4", "--epochs", "2", "--json", "--out"}, ".safetensors", `"epochs": 2`},
		{"export", []string{"export", "--model", model, "--out"}, ".onnx", ""},
		{"data show", []string{"data", "show", "spiral", "--plot"}, ".png", "feature"},
	} {
		for _, toStdout := range []bool{true, false} {
			stdout, read := pipeWithWriter(t, filepath.Join(dir, "pipe"+c.ext))
			out := fmt.Sprintf("/proc/self/fd/%d", stdout.Fd())
			if !toStdout {
				out = os.DevNull
			}
			var errOut bytes.Buffer
			status := run(context.Background(), append(c.args, out), strings.NewReader(""), stdout, &errOut)
			stdout.Close()
			got := <-read
			report := c.report
			if report == "" {
				report = out
			}
			if !toStdout {
				if status != 0 || !strings.Contains(string(got), report) {
					t.Errorf("%s to %s: exit %d, standard output %q; want 0 and the report there", c.name, out, status, got)
				}
				continue
			}
			if status != 0 || !strings.Contains(errOut.String(), report) {
				t.Errorf("%s to its own standard output: exit %d, standard error %q; want 0 and the report there", c.name, status, errOut.String())
			}
			written := filepath.Join(dir, "written"+c.ext)
			if err := os.WriteFile(written, got, 0o644); err != nil {
				t.Fatal(err)
			}
			readsBack(t, c.name, written, csvPath, dir)
		}
	}
}

// pipeWithWriter makes a named pipe at path and opens a writing end of the
// test's own (a command's standard output, or a writer that keeps the pipe
// open however the command fares); read gives what came through the pipe
// once every writing end is closed.
func pipeWithWriter(t *testing.T, path string) (w *os.File, read <-chan []byte) {
	t.Helper()
	os.Remove(path)
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no named pipe here: %v", err)
	}
	got := make(chan []byte)
	go func() {
		b, _ := os.ReadFile(path)
		got <- b
	}()
	w, err := os.OpenFile(path, os.O_WRONLY, 0) // waits for the reader
	if err != nil {
		t.Fatal(err)
	}
	return w, got
}

// readsBack checks that a file a command wrote through a pipe is whole:
// a model predicts, an ONNX file imports, a PNG decodes.
func readsBack(t *testing.T, name, written, csvPath, dir string) {
	t.Helper()
	switch filepath.Ext(written) {
	case ".png":
		if _, err := png.DecodeConfig(bytes.NewReader(mustRead(t, written))); err != nil {
			t.Errorf("%s: the file it wrote is no PNG: %v", name, err)
		}
		return
	case ".onnx":
		if _, stderr, status := wiggle(t, "", "import", written, "--out", filepath.Join(dir, "back.safetensors")); status != 0 {
			t.Errorf("%s: the ONNX file it wrote does not import (exit %d, %s)", name, status, stderr)
		}
		return
	}
	if _, stderr, status := wiggle(t, "", "predict", "--model", written, "--data", csvPath); status != 0 {
		t.Errorf("%s: the model it wrote does not load (exit %d, %s)", name, status, stderr)
	}
}

// TestPipeNoOneReadsExitsTwo: an --out that is a named pipe no program
// reads is the user's to mend (start the reader), exit 2, at once; the
// command had waited for a reader for ever.
func TestPipeNoOneReadsExitsTwo(t *testing.T) {
	pipe := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(pipe, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	done := make(chan int, 1)
	var stderr strings.Builder
	go func() {
		done <- run(context.Background(), []string{"data", "show", "spiral", "--plot", pipe}, strings.NewReader(""), io.Discard, &stderr)
	}()
	select {
	case status := <-done:
		if status != 2 || !strings.Contains(stderr.String(), "--plot: "+pipe+": a named pipe that no program reads") {
			t.Errorf("--plot a pipe no one reads: exit %d, %q; want 2, saying so", status, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("--plot a pipe no one reads: still waiting after 20 s")
	}
}
