//go:build linux

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// newFIFO makes a named pipe in dir, or skips the test where it cannot.
func newFIFO(t *testing.T, dir, name string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no named pipe here: %v", err)
	}
	return path
}

// releaseFIFO lets go whatever still waits on path's other end: an open
// that waits for a writer, or one for a reader. Neither open it makes
// waits itself.
func releaseFIFO(path string) {
	if w, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
		w.Close()
	}
	if r, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
		r.Close()
	}
}

// TestPipeWithoutWriterHearsCtrlC: a named pipe no program writes into,
// given where a command reads a file, holds its open until a writer
// comes, and a writer that never writes holds the read; the first
// Ctrl-C ends either wait (it had needed a second) and says why nothing
// was read.
func TestPipeWithoutWriterHearsCtrlC(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	for i, args := range [][]string{
		{"train", "--data", "", "--out", out},
		{"train", "--data", "xor", "--init", "", "--out", out},
		{"train", "--data", "xor", "--epochs", "2", "--resume", "", "--out", out},
		{"predict", "--model", "", "--data", "xor"},
		{"eval", "--model", "", "--data", "xor"},
		{"export", "--model", "", "--out", out + ".onnx"},
		{"import", "", "--out", out},
	} {
		for _, silentWriter := range []bool{false, true} {
			fifo := newFIFO(t, dir, fmt.Sprintf("fifo%d-%v", i, silentWriter))
			args := append([]string(nil), args...)
			args[slices.Index(args, "")] = fifo
			if silentWriter { // opens the pipe, writes nothing, keeps it open
				go func() {
					if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
						time.Sleep(20 * time.Second)
						w.Close()
					}
				}()
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan int, 1)
			var errOut bytes.Buffer
			go func() { done <- run(ctx, args, strings.NewReader(""), &bytes.Buffer{}, &errOut) }()
			time.Sleep(50 * time.Millisecond) // cancelled before or during its wait, the command ends the same way
			cancel()
			select {
			case status := <-done:
				if want := fifo + " (waiting for the program that writes into the pipe)"; status != exitInterrupted || !strings.Contains(errOut.String(), want) {
					t.Errorf("%v (a writer that writes nothing: %v), Ctrl-C while it waits: exit %d, %q; want %d and %q", args, silentWriter, status, errOut.String(), exitInterrupted, want)
				}
			case <-time.After(10 * time.Second):
				t.Errorf("%v (a writer that writes nothing: %v): still waiting 10 s after Ctrl-C", args, silentWriter)
			}
			releaseFIFO(fifo)
		}
	}
}

// TestPipeReadsAQuickWriter: a pipe whose writer writes its file and
// closes at once, before the command could open the path a second time,
// is read whole through the descriptor that waited.
func TestPipeReadsAQuickWriter(t *testing.T) {
	dir := t.TempDir()
	onnxFile := spiralONNX(t, dir)
	model := filepath.Join(dir, "m.safetensors") // what spiralONNX exported
	table := "x0,x1,label\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n"
	for i, c := range []struct {
		args    []string
		content []byte
		want    string
	}{
		{[]string{"train", "--data", "", "--hidden", "4", "--epochs", "1", "--out", filepath.Join(dir, "t.safetensors")}, []byte(table), "saved"},
		{[]string{"predict", "--model", "", "--data", "spiral"}, mustRead(t, model), "predicted,p_0,p_1,p_2\n"},
		{[]string{"import", "", "--out", filepath.Join(dir, "i.safetensors")}, mustRead(t, onnxFile), "i.safetensors"},
	} {
		fifo := newFIFO(t, dir, fmt.Sprintf("quick%d", i))
		c.args[slices.Index(c.args, "")] = fifo
		go func() {
			if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
				w.Write(c.content)
				w.Close()
			}
		}()
		stdout, stderr, status := wiggle(t, "", c.args...)
		releaseFIFO(fifo) // the writer, where the command never opened the pipe
		if status != 0 || !strings.Contains(stdout+stderr, c.want) {
			t.Errorf("%v, its file written into the pipe: exit %d, stdout %q, stderr %q; want 0 and %q", c.args, status, stdout, stderr, c.want)
		}
	}
}
