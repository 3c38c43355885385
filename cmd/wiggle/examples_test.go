package main

import (
	"context"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestJoinContinuations: a line ending in a blank and a \ runs on into
// the next, whose indent goes; other lines, a \ inside a line or right
// after a folder's name, stay.
func TestJoinContinuations(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"  wiggle train --data a.csv \\\n    --out m.safetensors", "  wiggle train --data a.csv --out m.safetensors"},
		{"  a \\\n    b\t\\\n      c\n  d", "  a b\tc\n  d"},
		{"  wiggle serve --open\n  wiggle serve --addr :0", "  wiggle serve --open\n  wiggle serve --addr :0"},
		{`  wiggle predict --data C:\data\x.csv`, `  wiggle predict --data C:\data\x.csv`},
		{"  wiggle lab --out C:\\models\\\n  wiggle serve", "  wiggle lab --out C:\\models\\\n  wiggle serve"},
		{"  a \\", "  a"},
		{"", ""},
	} {
		if got := joinContinuations(c.in); got != c.want {
			t.Errorf("joinContinuations(%q) = %q; want %q", c.in, got, c.want)
		}
	}
}

// TestExamplesForShell: made for Windows, no command's examples keep a
// line continued with sh's \ (train's and import's have such lines);
// wiggle's own help on this system shows them so on Windows and as
// written elsewhere, and act eval's pipes its numbers without sh's printf
// on Windows.
func TestExamplesForShell(t *testing.T) {
	root := newRoot(env{context.Background(), strings.NewReader(""), io.Discard, io.Discard})
	examplesForShell(root, "windows")
	if n := continuedLines(root); n > 0 {
		t.Errorf("made for Windows, %d example lines are continued with \\", n)
	}
	out, _, status := wiggle(t, "", "train", "--help")
	i := strings.Index(out, "Examples:")
	if status != 0 || i < 0 {
		t.Fatalf("wiggle train --help: exit %d, no examples in %q", status, out)
	}
	if continued, want := strings.Contains(out[i:], " \\\n"), runtime.GOOS != "windows"; continued != want {
		t.Errorf("on %s, train's help continues an example with \\: %v; want %v", runtime.GOOS, continued, want)
	}
	out, _, _ = wiggle(t, "", "act", "eval", "--help")
	if want := runtime.GOOS != "windows"; strings.Contains(out, "printf") != want {
		t.Errorf("on %s, act eval's help shows sh's printf: %v; want %v", runtime.GOOS, !want, want)
	}
}

// continuedLines counts the lines of every command's examples that end in
// sh's continuation.
func continuedLines(c *cobra.Command) int {
	n := 0
	for _, line := range strings.Split(c.Example, "\n") {
		if strings.HasSuffix(line, ` \`) {
			n++
		}
	}
	for _, sub := range c.Commands() {
		n += continuedLines(sub)
	}
	return n
}

// TestActEvalExample: each form of act eval's example pipes in the
// numbers -1, 0 and 2.5, one a line, and names the same activation.
func TestActEvalExample(t *testing.T) {
	for _, goos := range []string{"linux", "windows"} {
		ex := actEvalExample(goos)
		if !strings.Contains(ex, "| wiggle act eval leaky_relu --param negative_slope=0.2") || !strings.Contains(ex, "2.5") {
			t.Errorf("act eval's example on %s: %q", goos, ex)
		}
	}
}

// TestWindowsHelpSwitch: /?, Windows's way to ask for help, shows the help
// (it was an unknown command, or a flag's value without its name).
func TestWindowsHelpSwitch(t *testing.T) {
	for _, args := range [][]string{{"/?"}, {"train", "/?"}} {
		stdout, stderr, status := wiggle(t, "", args...)
		if status != 0 || !strings.Contains(stdout, "Usage:") {
			t.Errorf("%v: exit %d, %q, %q; want the help", args, status, stdout, stderr)
		}
	}
}

// TestMNISTCacheExample: data show's example names MNIST's files where
// each system keeps its cache, as its shell spells it.
func TestMNISTCacheExample(t *testing.T) {
	for goos, want := range map[string]string{"windows": `%LocalAppData%\wiggle\mnist\`, "linux": "~/.cache/wiggle/mnist/", "darwin": "~/Library/Caches/wiggle/mnist/"} {
		if got := mnistCacheExample(goos); !strings.HasPrefix(got, want) {
			t.Errorf("on %s: %s; want it under %s", goos, got, want)
		}
	}
}
