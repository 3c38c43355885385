package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/train"
)

// TestChangedCheckpointRefused: a checkpoint whose file was changed after
// it was written, its checksum made again, is refused naming what no run
// writes, with the checkpoint before it: a weight of NaN (training had
// called it a divergence and blamed the learning rate), another weight
// (the library's advice had been given), Adam's average of squares below
// 0 or NaN in its average (both taken before), and a best epoch after
// the epochs done (early stopping had been silently off).
func TestChangedCheckpointRefused(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "m.safetensors")
	flags := []string{"train", "--data", "xor", "--hidden", "4", "--seed", "2", "--optimizer", "adam", "--val", "0.2", "--patience", "3"}
	if _, stderr, status := wiggle(t, "", append(flags, "--epochs", "2", "--checkpoint-every", "1", "--out", out)...); status != 0 {
		t.Fatal(stderr)
	}
	before, whole := shellArg(out+".ckpt.1"), mustRead(t, out+".ckpt")
	for _, c := range []struct {
		name   string
		change func(f *modelio.File)
		want   string
	}{
		{"a weight of NaN", func(f *modelio.File) { tensorOf(t, f, "0.weight")[0] = float32(math.NaN()) }, "parameter 0.weight[0] is NaN: the file was changed after wiggle wrote it"},
		{"another weight", func(f *modelio.File) { tensorOf(t, f, "0.weight")[0] += 1 }, "its weights are not those the checkpoint was taken with: the file was changed after wiggle wrote it"},
		{"a negative average of squares", func(f *modelio.File) { tensorOf(t, f, "optimizer.0.weight.exp_avg_sq")[1] = -1 }, "the optimizer's exp_avg_sq for 0.weight holds -1 at 1"},
		{"a NaN average", func(f *modelio.File) { tensorOf(t, f, "optimizer.2.bias.exp_avg")[0] = float32(math.NaN()) }, "the optimizer's exp_avg for 2.bias holds NaN at 0"},
		{"a best epoch to come", func(f *modelio.File) { setCheckpointField(t, f, "best_epoch", 99) }, "the checkpoint's best epoch is 99, after 2 epochs"},
	} {
		f, err := modelio.Decode(whole)
		if err != nil {
			t.Fatal(err)
		}
		c.change(f)
		changed := filepath.Join(dir, "changed.ckpt")
		if err := modelio.WriteFile(changed, f); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(changed, out+".ckpt"); err != nil {
			t.Fatal(err)
		}
		_, stderr, status := wiggle(t, "", append(flags, "--epochs", "4", "--resume", out+".ckpt", "--out", filepath.Join(dir, "r.safetensors"))...)
		if status != 2 || !strings.Contains(stderr, c.want) || strings.Contains(stderr, "diverged") {
			t.Errorf("%s: exit %d, %q; want 2 and %q", c.name, status, stderr, c.want)
		}
		if c.name != "a negative average of squares" && c.name != "a NaN average" && !strings.Contains(stderr, before) {
			t.Errorf("%s: %q; want the checkpoint before it, %s, offered", c.name, stderr, before)
		}
	}
}

// tensorOf is the values of f's tensor name.
func tensorOf(t *testing.T, f *modelio.File, name string) []float32 {
	t.Helper()
	for _, tensor := range f.Tensors {
		if tensor.Name == name {
			return tensor.Data
		}
	}
	t.Fatalf("no tensor %s", name)
	return nil
}

// setCheckpointField sets a number in f's checkpoint metadata.
func setCheckpointField(t *testing.T, f *modelio.File, field string, v float64) {
	t.Helper()
	var fields map[string]any
	if err := json.Unmarshal([]byte(f.Metadata[train.CheckpointKey]), &fields); err != nil {
		t.Fatal(err)
	}
	fields[field] = v
	b, err := json.Marshal(fields)
	if err != nil {
		t.Fatal(err)
	}
	f.Metadata[train.CheckpointKey] = string(b)
}

// mustRead is the file's bytes.
func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
