package main

import (
	"os/exec"
	"runtime"
	"testing"
)

// TestShellArg: a suggested command's path comes back whole through the
// shell: sh -c 'printf %s ARG' prints it as it was (a path that starts
// with - as ./-...), whatever sh would read in it.
func TestShellArg(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the quoting for sh")
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh here")
	}
	for _, path := range []string{"runs/m.safetensors", "new folder/m.safetensors", "it's here", `a"b`, `a\b`, "$HOME", "x;rm -rf y",
		"", "명령/파일", "*.csv", "a,b", "=x", "@x", "~/m", "-x"} {
		want := path
		if path == "-x" {
			want = "./-x"
		}
		out, err := exec.Command(sh, "-c", "printf %s "+shellArg(path)).Output()
		if err != nil || string(out) != want {
			t.Errorf("shellArg(%q) = %s: the shell read %q (%v); want %q", path, shellArg(path), out, err, want)
		}
	}
	if got := mkdirCommand("new folder"); got != "mkdir -p 'new folder'" {
		t.Errorf("mkdirCommand(new folder) = %s", got)
	}
}

// TestShellArgOnWindows: for cmd.exe and PowerShell, double quotes around
// what either would split or read (a space, a comma, =, @); a backslash
// plain.
func TestShellArgOnWindows(t *testing.T) {
	for _, c := range []struct{ path, want string }{
		{`runs\m.safetensors`, `runs\m.safetensors`},
		{`C:\Users\me\m.safetensors`, `C:\Users\me\m.safetensors`},
		{`new folder\m.safetensors`, `"new folder\m.safetensors"`},
		{"runs,v2", `"runs,v2"`},
		{"=x", `"=x"`},
		{"@x", `"@x"`},
		{"-x", `.\-x`},
		{"", `""`},
	} {
		if got := shellArgOn("windows", c.path); got != c.want {
			t.Errorf("shellArgOn(windows, %q) = %s, want %s", c.path, got, c.want)
		}
	}
}
