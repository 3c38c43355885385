package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/windows"
)

// TestReadOnlyOutputsRefused: Windows will not replace a read-only file,
// so train refuses one it would replace before it trains: --out (named
// as PowerShell completes it, .\ first, too) and an earlier checkpoint
// a checkpoint's rotation would replace. Nothing is written. A checkpoint
// written on Ctrl-C alone is renamed down the line (--keep is 1 there),
// which a read-only one allows: that run trains.
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
	t.Chdir(dir)
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
	file("c.safetensors.ckpt", false)
	file("c.safetensors.ckpt.1", true)
	file("d.safetensors.ckpt", true)
	made := 5
	train := []string{"train", "--data", "xor", "--epochs", "1", "--hidden", "4"}
	refused := []struct {
		args []string
		want string
	}{
		{[]string{"--out", out}, "--out " + out + " is read-only, which Windows will not replace; clear that (attrib -r "},
		{[]string{"--out", `.\model.safetensors`}, `--out .\model.safetensors is read-only, which Windows will not replace; clear that (attrib -r .\model.safetensors)`},
		{[]string{"--out", "a.safetensors", "--checkpoint-every", "1"}, "a.safetensors.ckpt.1, where --keep 1 puts an earlier checkpoint, is read-only, which Windows will not replace; clear that (attrib -r a.safetensors.ckpt.1), keep fewer (--keep 0)"},
		{[]string{"--out", "c.safetensors"}, "c.safetensors.ckpt.1, where --keep 1 puts an earlier checkpoint, is read-only"},
	}
	link := filepath.Join(dir, "link.safetensors")
	if err := os.Symlink(out, link); err != nil { // Windows may want a privilege for links
		t.Logf("no link made (%v): the case of a link to a read-only file is not tried", err)
	} else if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 { // Wine 8 says it made one, and has not
		t.Logf("no link there after os.Symlink (%v): the case of a link to a read-only file is not tried", err)
		os.Remove(link)
	} else {
		made++
		refused = append(refused, struct {
			args []string
			want string
		}{[]string{"--out", "link.safetensors"}, "--out link.safetensors, a link to " + out + ": that is read-only, which Windows will not replace; clear that (attrib -r "})
	}
	for _, c := range refused {
		stdout, stderr, status := wiggle(t, "", append(train, c.args...)...)
		if status != 2 || stdout != "" || !strings.Contains(stderr, c.want) {
			t.Errorf("train %v: exit %d, stdout %q, stderr %q; want 2 and %q", c.args, status, stdout, stderr, c.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != made {
		t.Errorf("%d files in the folder after the refusals; want the %d made for the test", len(entries), made)
	}
	for _, args := range [][]string{{"--out", "d.safetensors"}} {
		if _, stderr, status := wiggle(t, "", append(train, args...)...); status != 0 {
			t.Errorf("train %v, its checkpoint written on Ctrl-C alone and renamed before: exit %d, stderr %q; want 0", args, status, stderr)
		}
	}
}

// TestHeldOutputsRefused: an output another program holds open (Excel's
// way with a CSV it shows), which Windows will not replace, is refused
// before the work, a file flag's and a folder flag's file alike: the run
// had trained, or plotted, and then lost its result.
func TestHeldOutputsRefused(t *testing.T) {
	dir := scratchDir(t, "wiggle-held")
	t.Chdir(dir)
	if err := os.Mkdir("plots", 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"model.safetensors", filepath.Join("plots", "relu.png")} {
		if err := os.WriteFile(name, []byte("kept"), 0o644); err != nil {
			t.Fatal(err)
		}
		held, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer held.Close()
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"train", "--data", "xor", "--epochs", "1", "--hidden", "4", "--out", "model.safetensors"},
			"--out model.safetensors is open in another program, and Windows will not replace it while it is; close it there"},
		{[]string{"act", "plot", "relu", "--out", "plots"}, `--out plots: plots\relu.png is open in another program`},
	} {
		stdout, stderr, status := wiggle(t, "", c.args...)
		if status != 2 || stdout != "" || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", c.args, status, stdout, stderr, c.want)
		}
	}
}

// TestHeldInputTold: a --data file another program holds open and shares
// with none is told so, with what to do (it was a bare "Sharing
// violation").
func TestHeldInputTold(t *testing.T) {
	dir := scratchDir(t, "wiggle-held-input")
	path := filepath.Join(dir, "locked.csv")
	if err := os.WriteFile(path, []byte("x,label\n1,0\n2,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	name, _ := windows.UTF16PtrFromString(path)
	h, err := windows.CreateFile(name, windows.GENERIC_READ, 0, nil, windows.OPEN_EXISTING, windows.FILE_ATTRIBUTE_NORMAL, 0) // shared with none
	if err != nil {
		t.Fatal(err)
	}
	defer windows.CloseHandle(h)
	_, stderr, status := wiggle(t, "", "data", "show", path)
	if status == 0 || !strings.Contains(stderr, "another program holds it open and shares it with none; close it there") {
		t.Errorf("data show of a file held with no sharing: exit %d, %q; want it told", status, stderr)
	}
}

// TestPredictToDevStdoutOnWindows: predict --out /dev/stdout, as Unix's
// examples have it, is told that Windows has no /dev and that predict
// prints to standard output without --out.
func TestPredictToDevStdoutOnWindows(t *testing.T) {
	dir := scratchDir(t, "wiggle-devstdout")
	model := filepath.Join(dir, "m.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", "xor", "--epochs", "1", "--out", model); status != 0 {
		t.Fatal(stderr)
	}
	_, stderr, status := wiggle(t, "", "predict", "--model", model, "--data", "xor", "--out", "/dev/stdout")
	if status != 2 || !strings.Contains(stderr, "Windows has no /dev") || !strings.Contains(stderr, "leave --out out to print the predictions to standard output") {
		t.Errorf("predict --out /dev/stdout: exit %d, %q; want 2 and the way to standard output", status, stderr)
	}
}
