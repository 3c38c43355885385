package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wigglenn/wiggle/internal/reftest"
	"github.com/wigglenn/wiggle/modelio"
)

// TestTrainMatchesPyTorch replays each PyTorch reference run through
// `wiggle train` with its own flags, from its --init file and CSV, and
// compares the saved tensors with PyTorch's final ones.
func TestTrainMatchesPyTorch(t *testing.T) {
	for _, run := range reftest.LoadRuns(t, "../../train/testdata/training.json") {
		t.Run(run.Name, func(t *testing.T) {
			dir := t.TempDir()
			csvPath, initPath := reftest.WriteRunFiles(t, run, dir)
			out := filepath.Join(dir, "model.safetensors")
			args := append([]string{"train", "--data", csvPath, "--target", "label", "--init", initPath, "--out", out}, run.Flags...)
			_, stderr, status := wiggle(t, "", args...)
			if status != 0 {
				t.Fatalf("wiggle %v: exit %d: %s", args, status, stderr)
			}
			f, err := modelio.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			for name, want := range run.Final {
				got := f.Tensor(name)
				if got == nil {
					t.Fatalf("the model has no tensor %s", name)
				}
				e := reftest.RelErr(got.Data, want.Values)
				t.Logf("%s: relative error %.2g", name, e)
				if e > 1e-4 {
					t.Errorf("%s: ‖wiggle − PyTorch‖/‖PyTorch‖ = %.2g, want ≤ 1e-4", name, e)
				}
			}
		})
	}
}

// TestTrainIsRepeatable trains twice with shuffling and dropout from one seed
// and compares the files byte for byte.
func TestTrainIsRepeatable(t *testing.T) {
	run := reftest.LoadRuns(t, "../../train/testdata/training.json")[0]
	dir := t.TempDir()
	csvPath, _ := reftest.WriteRunFiles(t, run, dir)
	var files [2][]byte
	for i := range files {
		out := filepath.Join(dir, "m.safetensors")
		_, stderr, status := wiggle(t, "", "train", "--data", csvPath, "--target", "label", "--hidden", "8,8",
			"--dropout", "0.2", "--shuffle=true", "--seed", "7", "--epochs", "3", "--batch", "8", "--out", out)
		if status != 0 {
			t.Fatalf("exit %d: %s", status, stderr)
		}
		var err error
		if files[i], err = os.ReadFile(out); err != nil {
			t.Fatal(err)
		}
	}
	if string(files[0]) != string(files[1]) {
		t.Error("two runs with --seed 7 wrote different files")
	}
}
