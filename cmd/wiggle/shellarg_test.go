package main

import (
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// TestShellArg: a suggested command's path comes back whole through the
// shell: sh -c 'printf %s ARG' prints it as it was.
func TestShellArg(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the quoting for sh")
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh here")
	}
	for _, path := range []string{"runs/m.safetensors", "new folder/m.safetensors", "it's here", `a"b`, "$HOME", "x;rm -rf y", "", "명령/파일", "*.csv"} {
		out, err := exec.Command(sh, "-c", "printf %s "+shellArg(path)).Output()
		if err != nil || string(out) != path {
			t.Errorf("shellArg(%q) = %s: the shell read %q (%v)", path, shellArg(path), out, err)
		}
	}
	if got := mkdirCommand("new folder"); got != "mkdir -p 'new folder'" {
		t.Errorf("mkdirCommand(new folder) = %s", got)
	}
	if got := shellArg("runs/m.ckpt"); strings.ContainsAny(got, `'"`) {
		t.Errorf("a plain path quoted: %s", got)
	}
}
