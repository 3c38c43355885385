package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestOneRunACheckpointPath: while a training holds its checkpoint path,
// a second given the same path (or the same --out, whose checkpoint path
// it is) is refused, exit 2, saying so; once the first ends, the path is
// free and its lock file gone. Two runs had overwritten each other's
// checkpoints without a word.
func TestOneRunACheckpointPath(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "m.safetensors")
	first, err := lockRun(out+".ckpt", "--checkpoint "+out+".ckpt")
	if err != nil || first == nil {
		t.Fatalf("the first lock: %v, %v", first, err)
	}
	if _, err := lockRun(out+".ckpt", "--checkpoint "+out+".ckpt"); err == nil || !strings.Contains(err.Error(), "another wiggle train is writing its checkpoints there") {
		t.Errorf("a second lock of the path: %v; want it refused", err)
	}
	_, stderr, status := wiggle(t, "", "train", "--data", "xor", "--epochs", "1", "--out", out)
	if want := "--out " + out + " (its checkpoint " + out + ".ckpt): another wiggle train is writing its checkpoints there"; status != 2 || !strings.Contains(stderr, want) || strings.Contains(stderr, "--help") {
		t.Errorf("a run while another holds its checkpoint path: exit %d, %q; want 2 and %q, no usage hint", status, stderr, want)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("the refused run wrote its model")
	}
	first.release()
	if _, stderr, status := wiggle(t, "", "train", "--data", "xor", "--epochs", "1", "--out", out); status != 0 {
		t.Errorf("a run after the first ended: exit %d, %q", status, stderr)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("the folder holds %v; want the model alone, no lock file left", names)
	}
}

// TestRunLockFollowsTheFile: two names of one checkpoint file, one
// through a link and "..", the other plain, take one lock: the lock had
// gone beside the name cleaned (link/.. read as .), and both runs had it.
func TestRunLockFollowsTheFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("a link to a folder needs privileges on Windows")
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "x", "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "x", "sub"), filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	through := dir + "/link/../m.ckpt" // x/m.ckpt, as the system finds it
	first, err := lockRun(through, "--checkpoint "+through)
	if err != nil || first == nil {
		t.Fatalf("the first lock: %v, %v", first, err)
	}
	defer first.release()
	plain := filepath.Join(dir, "x", "m.ckpt")
	if second, err := lockRun(plain, "--checkpoint "+plain); err == nil {
		second.release()
		t.Errorf("%s locked while %s held it: one file, two locks", plain, through)
	}
}
