package main

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// python3WithTorch returns the path of a Python that imports torch, or skips.
func python3WithTorch(t *testing.T) string {
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(py, "-c", "import torch").Run() == nil {
			return py
		}
	}
	t.Skip("PyTorch is not installed (Debian: apt-get install python3-torch); the interoperability check needs it")
	return ""
}

// TestPyTorchInterop starts wiggle from a state_dict PyTorch saved, trains,
// and loads the result back into a PyTorch nn.Sequential, whose predictions
// must equal wiggle's.
func TestPyTorchInterop(t *testing.T) {
	py := python3WithTorch(t)
	dir := t.TempDir()
	script := filepath.Join("..", "..", "scripts", "torch_interop.py")
	initPath := filepath.Join(dir, "torch.safetensors")
	if out, err := exec.Command(py, script, "write-init", initPath, "2", "8", "4", "2").CombinedOutput(); err != nil {
		t.Fatalf("write-init: %v: %s", err, out)
	}
	csvPath := writeCSV(t, dir)
	model := filepath.Join(dir, "m.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", csvPath, "--target", "size", "--hidden", "8,4", "--act", "prelu",
		"--init", initPath, "--epochs", "5", "--standardize", "--out", model); status != 0 {
		t.Fatalf("train from PyTorch's tensors: %s", stderr)
	}
	torchOut, err := exec.Command(py, script, "forward", model, csvPath).Output()
	if err != nil {
		t.Fatalf("PyTorch could not load wiggle's file: %v", err)
	}
	ours, stderr, status := wiggle(t, "", "predict", "--model", model, "--data", csvPath)
	if status != 0 {
		t.Fatal(stderr)
	}
	theirs := strings.Split(strings.TrimSpace(string(torchOut)), "\n")
	mine := strings.Split(strings.TrimSpace(ours), "\n")[1:]
	if len(theirs) != len(mine) {
		t.Fatalf("PyTorch predicted %d rows, wiggle %d", len(theirs), len(mine))
	}
	for i := range mine {
		a, b := strings.Split(mine[i], ",")[1:], strings.Split(theirs[i], ",")
		for j := range a {
			x, errX := strconv.ParseFloat(a[j], 64)
			y, errY := strconv.ParseFloat(b[j], 64)
			if errX != nil || errY != nil || math.Abs(x-y) > 1e-5 {
				t.Fatalf("row %d: wiggle %v, PyTorch %v", i+1, a, b)
			}
		}
	}
	os.Remove(model)
}
