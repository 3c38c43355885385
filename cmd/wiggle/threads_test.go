package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/engine"
)

// TestThreadsFlag trains the same network on one thread and on two, at
// batch 128 and at batch 32 (where the second hidden layer's input
// gradient sums its 64 units in two halves: kernels.InputGrad): the model
// files are the same bytes. A bad --threads is a usage error, and the
// setting does not outlive the command.
func TestThreadsFlag(t *testing.T) {
	dir := t.TempDir()
	before := engine.Threads()
	for _, batch := range []string{"128", "32"} {
		var files [][]byte
		for _, n := range []string{"1", "2"} {
			out := filepath.Join(dir, "m"+n+"-"+batch+".safetensors")
			if _, stderr, status := wiggle(t, "", "train", "--threads", n, "--data", "spiral", "--hidden", "64,64", "--batch", batch, "--epochs", "3", "--out", out); status != 0 {
				t.Fatal(stderr)
			}
			raw, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, raw)
			if engine.Threads() != before {
				t.Errorf("--threads %s: the engine still has %d threads after the command (%d before)", n, engine.Threads(), before)
			}
		}
		if !bytes.Equal(files[0], files[1]) {
			t.Errorf("batch %s: training on one thread and on two gave different models", batch)
		}
	}
	if _, stderr, status := wiggle(t, "", "act", "list", "--threads", "-1"); status != 2 || !strings.Contains(stderr, "--threads -1: want 1 to 1024, or 0 for every core") {
		t.Errorf("--threads -1: exit %d, %q", status, stderr)
	}
}
