package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestSamePlaceByCase: two outputs spelt alike but for case are one file
// where the file system does not tell case apart (Windows, macOS), and two
// elsewhere; neither file need be there yet.
func TestSamePlaceByCase(t *testing.T) {
	dir := filepath.Join(os.TempDir(), "wiggle-no-such-folder") // made by nobody: t.TempDir's clean-up fails under Wine
	a, b := filepath.Join(dir, "case", "Model.safetensors"), filepath.Join(dir, "case", "model.safetensors")
	if got := samePlace(a, b); got != caseBlind {
		t.Errorf("samePlace(%s, %s) = %v on %s; want %v", a, b, got, runtime.GOOS, caseBlind)
	}
	if !samePlace(a, filepath.Join(dir, "case", "..", "case", "Model.safetensors")) {
		t.Errorf("samePlace of one path spelt two ways: false")
	}
	if caseOnly(a, b) != caseBlind || caseOnly(a, filepath.Join(dir, "case", "..", "case", "Model.safetensors")) {
		t.Errorf("caseOnly: %v for %s and %s, %v for one path spelt two ways; want %v and false", caseOnly(a, b), a, b, caseOnly(a, a), caseBlind)
	}
}

// TestOutputRedirectedRefused: an output file that standard output or
// standard error was redirected to (2> log.txt with --out log.txt) is
// refused before the work, with both named: the file would replace what
// the command prints there (Windows would not replace it at all, after
// training).
func TestOutputRedirectedRefused(t *testing.T) {
	dir := scratchDir(t, "wiggle-redirect")
	log := filepath.Join(dir, "log.txt")
	f, err := os.Create(log)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	model := filepath.Join(dir, "model.safetensors")
	if _, _, status := wiggle(t, "", "train", "--data", "xor", "--epochs", "1", "--hidden", "4", "--out", model); status != 0 {
		t.Fatal("the model to export could not be trained")
	}
	for _, c := range []struct {
		args       []string
		toStdout   bool
		flag, what string
	}{
		{[]string{"train", "--data", "xor", "--epochs", "1", "--out", log}, false, "--out", "standard error goes (2> "},
		{[]string{"train", "--data", "xor", "--epochs", "1", "--out", filepath.Join(dir, "m2.safetensors"), "--probe-out", log}, true, "--probe-out", "standard output goes (> "},
		{[]string{"predict", "--model", model, "--data", "xor", "--out", log}, true, "--out", "standard output goes (> "},
		{[]string{"export", "--model", model, "--out", log}, false, "--out", "standard error goes (2> "},
	} {
		if err := f.Truncate(0); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Seek(0, 0); err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		var status int
		if c.toStdout {
			status = run(context.Background(), c.args, strings.NewReader(""), f, &stderr)
		} else {
			status = run(context.Background(), c.args, strings.NewReader(""), &stdout, f)
		}
		inFile, err := os.ReadFile(log)
		if err != nil {
			t.Fatal(err)
		}
		said := stderr.String() + string(inFile) // the message, where standard error went
		want := c.flag + " " + log + " is where " + c.what
		if status != 2 || stdout.Len() != 0 || !strings.Contains(said, want) {
			t.Errorf("%v: exit %d, standard error %q; want 2 and %q", c.args, status, said, want)
		}
		if c.toStdout && len(inFile) != 0 {
			t.Errorf("%v: wrote %q into the file standard output went to; want nothing", c.args, inFile)
		}
	}
	// Standard input from the file an output would replace: predict --data
	// - --out p.csv < p.csv (on Windows it had been called held open by
	// another program).
	table := filepath.Join(dir, "points.csv")
	if err := os.WriteFile(table, []byte("x0,x1\n0.5,0.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := os.Open(table)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var stdout, stderr bytes.Buffer
	if status := run(context.Background(), []string{"predict", "--model", model, "--data", "-", "--out", table}, in, &stdout, &stderr); status != 2 ||
		!strings.Contains(stderr.String(), "--out "+table+" is where standard input comes from (< ") {
		t.Errorf("predict --data - --out F < F: exit %d, %q; want 2, the redirection named", status, stderr.String())
	}
	if runtime.GOOS == "linux" { // the stream itself, by its own name (as /dev/stdout is), is written in place: no refusal
		stream := fmt.Sprintf("/proc/self/fd/%d", f.Fd())
		var stderr bytes.Buffer
		if status := run(context.Background(), []string{"predict", "--model", model, "--data", "xor", "--out", stream}, strings.NewReader(""), f, &stderr); status != 0 {
			t.Errorf("predict --out %s, standard output's own name: exit %d, %s; want 0", stream, status, stderr.String())
		}
	}
}

// TestQuoteLeft: on Windows a path holding a double quote is what cmd
// leaves of a quoted folder ending in a backslash ("My Models\"), and
// is refused saying so; elsewhere a quote is a name's own.
func TestQuoteLeft(t *testing.T) {
	err := quoteLeft("--out", `My Models"`)
	if runtime.GOOS == "windows" {
		if err == nil || !strings.Contains(err.Error(), `--out My Models": a Windows name cannot hold "`) || !strings.Contains(err.Error(), `drop that last \`) {
			t.Errorf(`quoteLeft(My Models"): %v; want it refused, saying why`, err)
		}
	} else if err != nil {
		t.Errorf(`quoteLeft(My Models") on %s: %v; want nil`, runtime.GOOS, err)
	}
	if err := quoteLeft("--out", `My Models\model.onnx`); err != nil {
		t.Errorf("quoteLeft of a path without a quote: %v", err)
	}
	// An input, "My Data\" quoted in cmd.exe, is told the same way (it
	// was "open My Data\": Invalid name").
	if runtime.GOOS == "windows" {
		_, stderr, status := wiggle(t, "", "data", "show", `My Data"`)
		if status != 2 || !strings.Contains(stderr, `My Data": a Windows name cannot hold "`) {
			t.Errorf(`data show My Data": exit %d, %q; want 2 and why`, status, stderr)
		}
	}
}

// TestWindowsOnlyName: on Windows a device's name anywhere in a path (a
// folder CON too, COM¹ with a superscript digit) or a colon past the
// drive's is refused; NUL alone, a drive's colon and other names pass;
// elsewhere every name passes. A device's name with an extension (con.csv)
// is the system's to judge: Windows 10 and Wine reserve con.csv, Windows
// 11 frees it, Wine frees COM¹.csv; such a path is refused just where the
// system reserves its name.
func TestWindowsOnlyName(t *testing.T) {
	for path, refused := range map[string]bool{
		"CON": true, `out\Aux`: true, "lpt9": true, "model.onnx:x": true, `out\ab:c.onnx`: true,
		"CONOUT$": true, `CON\m.onnx`: true, "COM¹": true, `out\lpt³`: true,
		"NUL": false, "COM0": false, "COM10.csv": false, "console.csv": false, `C:\models\m.onnx`: false, "m.onnx": false, `..\m.onnx`: false,
	} {
		err := windowsOnlyName("--out", path)
		if want := refused && runtime.GOOS == "windows"; (err != nil) != want {
			t.Errorf("windowsOnlyName(%s) on %s: %v; want refused %v", path, runtime.GOOS, err, want)
		}
	}
	for _, name := range []string{"con.csv", "COM1.txt", "nul.onnx", "con .onnx", "Aux.onnx", "COM¹.csv"} {
		path := `out\` + name
		err := windowsOnlyName("--out", path)
		if want := runtime.GOOS == "windows" && !filepath.IsLocal(name); (err != nil) != want {
			t.Errorf("windowsOnlyName(%s) on %s: %v; want refused %v (the system's reading of %s)", path, runtime.GOOS, err, want, name)
		}
		if err != nil && !strings.Contains(err.Error(), name+" is a device's name") {
			t.Errorf("windowsOnlyName(%s): %v; want it to name %s", path, err, name)
		}
	}
}

// TestFolderFlagsOnWindows: a folder flag takes the checks a file flag
// does on Windows: a device's name (aux, COM1, prn) and a drive that is
// not there (a USB stick taken out) are refused before any work, with
// what is wrong (they had said "is a file", "mkdir prn: File not found"
// and "create it first (mkdir x:\)"). Elsewhere the drive letter is a
// folder's name, and they pass.
func TestFolderFlagsOnWindows(t *testing.T) {
	missing := "" // a drive letter this machine has no drive for
	for c := 'Q'; c <= 'Y' && runtime.GOOS == "windows"; c++ {
		if _, err := os.Stat(string(c) + `:\`); err != nil {
			missing = string(c) + ":"
			break
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"act", "plot", "relu", "--out", "aux"}, "--out aux: aux is a device's name on Windows"},
		{[]string{"lab", "--quick", "tanh-identity", "--out", "prn"}, "--out prn: prn is a device's name on Windows"},
		{[]string{"act", "plot", "relu", "--out", "plots:x"}, "a Windows name cannot hold a colon but after a drive's letter"},
		{[]string{"act", "plot", "relu", "--out", missing + `\plots`}, "the drive " + missing + " is not there, or not ready"},
		{[]string{"train", "--data", "xor", "--out", missing + `\m.safetensors`}, "the drive " + missing + " is not there, or not ready"},
	} {
		if runtime.GOOS != "windows" {
			if err := windowsOnlyName("--out", c.args[len(c.args)-1]); err != nil {
				t.Errorf("%v on %s: %v; want no Windows rule", c.args, runtime.GOOS, err)
			}
			continue
		}
		if missing == "" && strings.Contains(c.want, "drive") {
			t.Logf("every drive letter Q: to Y: is there: %v not tried", c.args)
			continue
		}
		stdout, stderr, status := wiggle(t, "", c.args...)
		if status != 2 || stdout != "" || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, status, stderr, c.want)
		}
	}
}
