//go:build linux

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestPipeWithoutWriterHearsCtrlC: a named pipe no program writes into,
// given where a command reads a file, holds its open until a writer
// comes; the first Ctrl-C ends the wait (it had waited on, for a second
// Ctrl-C) and says why nothing was read.
func TestPipeWithoutWriterHearsCtrlC(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipe here: %v", err)
	}
	out := filepath.Join(dir, "out")
	for _, args := range [][]string{
		{"train", "--data", fifo, "--out", out},
		{"train", "--data", "xor", "--init", fifo, "--out", out},
		{"train", "--data", "xor", "--epochs", "2", "--resume", fifo, "--out", out},
		{"predict", "--model", fifo, "--data", "xor"},
		{"eval", "--model", fifo, "--data", "xor"},
		{"export", "--model", fifo, "--out", out + ".onnx"},
		{"import", fifo, "--out", out},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan int)
		var errOut bytes.Buffer
		go func() { done <- run(ctx, args, strings.NewReader(""), &bytes.Buffer{}, &errOut) }()
		time.Sleep(50 * time.Millisecond) // the command waits in its open by now
		cancel()
		select {
		case status := <-done:
			if want := fifo + " (no program had opened the pipe to write into it)"; status != exitInterrupted || !strings.Contains(errOut.String(), want) {
				t.Errorf("%v, Ctrl-C while it waits for a writer: exit %d, %q; want %d and %q", args, status, errOut.String(), exitInterrupted, want)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("%v: still waiting for a writer 10 s after Ctrl-C", args)
		}
		if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil { // lets the abandoned open go
			w.Close()
		}
	}
}

// TestPipeReadsAQuickWriter: a pipe whose writer writes its file and
// closes at once, before the command could open the path a second time,
// is read whole through the descriptor that waited.
func TestPipeReadsAQuickWriter(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "m.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", "xor", "--hidden", "4", "--epochs", "1", "--out", model); status != 0 {
		t.Fatal(stderr)
	}
	onnxFile := filepath.Join(dir, "m.onnx")
	if _, stderr, status := wiggle(t, "", "export", "--model", model, "--out", onnxFile); status != 0 {
		t.Fatal(stderr)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipe here: %v", err)
	}
	table := "x0,x1,label\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n"
	for _, c := range []struct {
		args    []string
		content []byte
		want    string
	}{
		{[]string{"train", "--data", fifo, "--hidden", "4", "--epochs", "1", "--out", filepath.Join(dir, "t.safetensors")}, []byte(table), "saved"},
		{[]string{"predict", "--model", fifo, "--data", "xor"}, mustRead(t, model), "predicted,p_0,p_1\n"},
		{[]string{"import", fifo, "--out", filepath.Join(dir, "i.safetensors")}, mustRead(t, onnxFile), "i.safetensors"},
	} {
		go func() {
			w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
			if err != nil {
				return
			}
			w.Write(c.content)
			w.Close()
		}()
		stdout, stderr, status := wiggle(t, "", c.args...)
		if status != 0 || !strings.Contains(stdout+stderr, c.want) {
			t.Errorf("%v, its file written into the pipe: exit %d, stdout %q, stderr %q; want 0 and %q", c.args, status, stdout, stderr, c.want)
		}
	}
}
