package main

import (
	"runtime"
	"strings"
	"testing"
)

// TestJoinContinuations: a line ending in " \" runs on into the next,
// whose indent goes; other lines, and a \ inside a line, stay.
func TestJoinContinuations(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"  wiggle train --data a.csv \\\n    --out m.safetensors", "  wiggle train --data a.csv --out m.safetensors"},
		{"  a \\\n    b \\\n      c\n  d", "  a b c\n  d"},
		{"  wiggle serve --open\n  wiggle serve --addr :0", "  wiggle serve --open\n  wiggle serve --addr :0"},
		{`  wiggle predict --data C:\data\x.csv`, `  wiggle predict --data C:\data\x.csv`},
		{"  a \\", "  a "},
		{"", ""},
	} {
		if got := joinContinuations(c.in); got != c.want {
			t.Errorf("joinContinuations(%q) = %q; want %q", c.in, got, c.want)
		}
	}
}

// TestExamplesForShell: on Windows no command's help shows a line
// continued with sh's \ (train's and import's examples have such lines);
// elsewhere they are shown as written.
func TestExamplesForShell(t *testing.T) {
	continued := 0
	for _, args := range [][]string{{"train", "--help"}, {"import", "--help"}} {
		out, _, status := wiggle(t, "", args...)
		if status != 0 {
			t.Fatalf("wiggle %s: exit %d", strings.Join(args, " "), status)
		}
		examples := out[strings.Index(out, "Examples:"):]
		for _, line := range strings.Split(examples, "\n") {
			if strings.HasSuffix(line, ` \`) {
				continued++
			}
		}
	}
	if want := runtime.GOOS != "windows"; (continued > 0) != want {
		t.Errorf("on %s, %d example lines continued with \\; want some: %v", runtime.GOOS, continued, want)
	}
	out, _, _ := wiggle(t, "", "act", "eval", "--help")
	if want := runtime.GOOS != "windows"; strings.Contains(out, "printf") != want {
		t.Errorf("on %s, act eval's help shows sh's printf: %v; want %v", runtime.GOOS, !want, want)
	}
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
