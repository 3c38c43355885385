//go:build linux

package main

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
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
	whole, stderr, status := wiggle(t, "", "predict", "--model", model, "--data", csvPath)
	if status != 0 {
		t.Fatalf("predict, not stopped: exit %d, %s", status, stderr)
	}
	read := make(chan []byte)
	go func() {
		b, _ := os.ReadFile(fifo)
		read <- b
	}()
	// A writer of the test's own, opened first (it waits for the reader),
	// so that the reader ends however predict fares, even where it never
	// opens the pipe.
	guard, err := os.OpenFile(fifo, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	status = run(&doneInWriting{Context: context.Background()}, []string{"predict", "--model", model, "--data", csvPath, "--out", fifo}, strings.NewReader(""), &out, &errOut)
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

// TestReportsStayOutOfPipedFiles: a command whose --out is a pipe (as
// /dev/stdout may be) prints its report to standard error, not into the
// file: the model train writes there loads, and so does the ONNX file
// export writes.
func TestReportsStayOutOfPipedFiles(t *testing.T) {
	dir := t.TempDir()
	model, _ := trainSizes(t, dir)
	csvPath := filepath.Join(dir, "sizes.csv")
	for _, c := range []struct {
		name   string
		args   []string
		ext    string
		report string // in the report, on standard error ("" for the pipe's name)
	}{
		{"train", []string{"train", "--data", csvPath, "--target", "size", "--hidden", "4", "--epochs", "2"}, ".safetensors", ""},
		{"train --json", []string{"train", "--data", csvPath, "--target", "size", "--hidden", "4", "--epochs", "2", "--json"}, ".safetensors", `"epochs": 2`},
		{"export", []string{"export", "--model", model}, ".onnx", ""},
		{"data show --plot", []string{"data", "show", "spiral"}, ".png", "feature"},
	} {
		fifo := filepath.Join(dir, "pipe"+c.ext)
		os.Remove(fifo)
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Skipf("no named pipe here: %v", err)
		}
		read := make(chan []byte)
		go func() {
			b, _ := os.ReadFile(fifo)
			read <- b
		}()
		guard, err := os.OpenFile(fifo, os.O_WRONLY, 0) // the reader ends however the command fares
		if err != nil {
			t.Fatal(err)
		}
		var out, errOut bytes.Buffer
		flag := "--out"
		if c.ext == ".png" {
			flag = "--plot"
		}
		status := run(context.Background(), append(c.args, flag, fifo), strings.NewReader(""), &out, &errOut)
		guard.Close()
		written := filepath.Join(dir, "written"+c.ext)
		if err := os.WriteFile(written, <-read, 0o644); err != nil {
			t.Fatal(err)
		}
		if c.report == "" {
			c.report = fifo
		}
		if status != 0 || out.Len() != 0 || !strings.Contains(errOut.String(), c.report) {
			t.Errorf("%s --out a pipe: exit %d, standard output %q, standard error %q; want 0, nothing, and the report naming the pipe", c.name, status, out.String(), errOut.String())
		}
		switch c.ext {
		case ".png":
			if _, err := png.DecodeConfig(bytes.NewReader(mustRead(t, written))); err != nil {
				t.Errorf("%s a pipe: the file it wrote is no PNG: %v", c.name, err)
			}
		default:
			check := []string{"predict", "--model", written, "--data", csvPath}
			if c.ext == ".onnx" {
				check = []string{"import", written, "--out", filepath.Join(dir, "back.safetensors")}
			}
			if _, stderr, status := wiggle(t, "", check...); status != 0 {
				t.Errorf("%s --out a pipe: the file it wrote does not read back (%s: exit %d, %s)", c.name, check[0], status, stderr)
			}
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
