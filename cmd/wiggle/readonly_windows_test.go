package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadOnlyOutputsRefused: Windows will not replace a read-only file,
// so train refuses one among its outputs before it trains: --out, an
// earlier checkpoint its rotation would replace, and a checkpoint written
// on Ctrl-C alone. Nothing is written.
func TestReadOnlyOutputsRefused(t *testing.T) {
	dir, err := os.MkdirTemp("", "wiggle-readonly") // not t.TempDir, whose clean-up fails under Wine 8
	if err != nil {
		t.Fatal(err)
	}
	var readOnly []string
	defer func() {
		for _, p := range readOnly {
			os.Chmod(p, 0o644)
		}
		os.RemoveAll(dir)
	}()
	file := func(name string, ro bool) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("kept"), 0o644); err != nil {
			t.Fatal(err)
		}
		if ro {
			if err := os.Chmod(p, 0o444); err != nil {
				t.Fatal(err)
			}
			readOnly = append(readOnly, p)
		}
		return p
	}
	out := file("model.safetensors", true)
	file("a.safetensors.ckpt.1", true)
	file("b.safetensors.ckpt", true)
	train := []string{"train", "--data", "xor", "--epochs", "1", "--hidden", "4"}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--out", out}, "--out " + out + " is read-only, which Windows will not replace; clear that (attrib -r "},
		{[]string{"--out", filepath.Join(dir, "a.safetensors"), "--checkpoint-every", "1"}, filepath.Join(dir, "a.safetensors.ckpt.1") + ", where --keep 1 puts an earlier checkpoint, is read-only"},
		{[]string{"--out", filepath.Join(dir, "b.safetensors")}, "--checkpoint (by default --out's name and .ckpt) " + filepath.Join(dir, "b.safetensors.ckpt") + " is read-only"},
	}
	for _, c := range cases {
		stdout, stderr, status := wiggle(t, "", append(train, c.args...)...)
		if status != 2 || stdout != "" || !strings.Contains(stderr, c.want) {
			t.Errorf("train %v: exit %d, stdout %q, stderr %q; want 2 and %q", c.args, status, stdout, stderr, c.want)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("%d files in the folder after the refusals; want the 3 made for the test", len(entries))
	}
}
