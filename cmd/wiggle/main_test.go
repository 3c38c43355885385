package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/internal/kernels"
	"github.com/wigglenn/wiggle/lab"
	"github.com/wigglenn/wiggle/perf"
)

// wiggle runs one command line in process and returns its outputs and exit
// status.
func wiggle(t *testing.T, stdin string, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	var out, errOut bytes.Buffer
	status = run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), status
}

// scratchDir is a new folder for t, removed after it as far as the system
// can: not t.TempDir, whose clean-up fails under Wine 8 (Go 1.26 removes
// files with FileDispositionInformationEx, which Wine 8 does not know).
func scratchDir(t *testing.T, prefix string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// TestBadCommandLines checks that mistakes exit 2 with a message and no
// stack trace.
func TestBadCommandLines(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"compare", "--epochs", "many"}, `--epochs "many": want a whole number`},
		{[]string{"compare", "--nope"}, "unknown flag: --nope"},
		{[]string{"compare", "--hidden", "16,x"}, `width 2 is "x"`},
		{[]string{"compare", "--acts", "relu,wiggly"}, `unknown activation "wiggly"`},
		{[]string{"compare", "--epochs", "0"}, "--epochs 0: want 1 to 100000"},
		{[]string{"act", "eval"}, "want 1 argument"},
		{[]string{"act", "plot", "nope", "--out", "x"}, `unknown activation "nope"`},
		{[]string{"act", "plot", "--from", "2", "--to", "1"}, "--from 2 --to 1: want finite numbers with from < to"},
		{[]string{"act", "plot", "--from", "7"}, "--from 7 --to 6 (the default): want finite numbers with from < to"},
		{[]string{"train", "--data", "spiral", "--out", "-"}, "--out -: this writes a file, not standard output; give a file name such as"},
		{[]string{"data", "show", "spiral", "--plot", "-"}, "--plot -: this writes a file, not standard output"},
	}
	for _, c := range cases {
		stdout, stderr, status := wiggle(t, "", c.args...)
		if status != 2 {
			t.Errorf("wiggle %s: exit %d, want 2 (stderr %q)", strings.Join(c.args, " "), status, stderr)
		}
		if !strings.Contains(stderr, c.want) {
			t.Errorf("wiggle %s: stderr %q does not say %q", strings.Join(c.args, " "), stderr, c.want)
		}
		if strings.Contains(stderr, "goroutine") || stdout != "" {
			t.Errorf("wiggle %s: stdout %q, stderr %q; want only a message", strings.Join(c.args, " "), stdout, stderr)
		}
	}
}

func TestHelpEverywhere(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"act", "--help"}, {"act", "eval", "--help"}, {"act", "list", "--help"}, {"act", "plot", "--help"}, {"compare", "--help"}} {
		stdout, _, status := wiggle(t, "", args...)
		if status != 0 || !strings.Contains(stdout, "Usage:") {
			t.Errorf("wiggle %s: exit %d, output %q", strings.Join(args, " "), status, stdout)
		}
	}
}

// TestHelpCommand: help on a command prints its help; on a topic it does
// not know, exit 2.
func TestHelpCommand(t *testing.T) {
	if stdout, stderr, status := wiggle(t, "", "help", "data", "gen"); status != 0 || !strings.Contains(stdout, "wiggle data gen NAME") {
		t.Errorf("help data gen: exit %d, %q %q", status, stdout, stderr)
	}
	if stdout, _, status := wiggle(t, "", "help", "lab", "tanh-identity"); status != 0 || !strings.Contains(stdout, "-h, --help") {
		t.Errorf("help lab tanh-identity: exit %d, %q; want lab's help with its flags", status, stdout)
	}
	for _, topic := range [][]string{{"bogus"}, {"data", "bogus"}} {
		if _, stderr, status := wiggle(t, "", append([]string{"help"}, topic...)...); status != 2 || !strings.Contains(stderr, "no help on") {
			t.Errorf("help %v: exit %d, %q; want 2", topic, status, stderr)
		}
	}
}

func TestBenchQuick(t *testing.T) {
	stdout, stderr, status := wiggle(t, "", "bench", "--quick", "--json", "--acts", "relu,tanh")
	if status != 0 {
		t.Fatalf("exit %d: %s", status, stderr)
	}
	keys := []string{`"gemm"`, `"gflops"`, `"activations"`, `"forward_ns"`, `"copy_ns"`, `"mlp_training"`, `"samples_per_second"`, `"inference_ns"`}
	if kernels.PeakFMA(1) > 0 { // assembly kernels: the FMA peak beside the GEMM
		keys = append(keys, `"fma_peak"`)
	}
	for _, key := range keys {
		if !strings.Contains(stdout, key) {
			t.Errorf("bench --json lacks %s", key)
		}
	}
	var how struct {
		Repeats int     `json:"repeats"`
		RunMS   float64 `json:"run_ms"`
		Quick   bool    `json:"quick"`
	}
	if err := json.Unmarshal([]byte(stdout), &how); err != nil || how.Repeats != perf.Quick.Repeats || how.RunMS != float64(perf.Quick.MinTime.Milliseconds()) || !how.Quick {
		t.Errorf("bench --quick --json: repeats %d, run_ms %v (%v); want --quick's %d runs of %v", how.Repeats, how.RunMS, err, perf.Quick.Repeats, perf.Quick.MinTime)
	}
	if _, stderr, status := wiggle(t, "", "bench", "--acts", "wobble"); status != 2 || !strings.Contains(stderr, "wobble") {
		t.Errorf("bench --acts wobble: exit %d, %q", status, stderr)
	}
}

func TestBenchActsOnly(t *testing.T) {
	stdout, stderr, status := wiggle(t, "", "bench", "--quick", "--acts-only", "--acts", "relu,gelu", "--acts", "softplus(beta=2, threshold=5)")
	if status != 0 {
		t.Fatalf("exit %d: %s", status, stderr)
	}
	for _, want := range []string{"relu", "gelu", "softplus(beta=2, threshold=5)", "forward ns/elem", "copy() of the same 1M floats", "a quick run (--quick)"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("bench --acts-only lacks %q:\n%s", want, stdout)
		}
	}
	for _, unwanted := range []string{"GEMM", "MLP", "inference", "plain Go"} {
		if strings.Contains(stdout, unwanted) {
			t.Errorf("bench --acts-only printed %q:\n%s", unwanted, stdout)
		}
	}
	stdout, stderr, status = wiggle(t, "", "bench", "--quick", "--acts-only", "--json", "--acts", "relu")
	if status != 0 {
		t.Fatalf("bench --acts-only --json: exit %d: %s", status, stderr)
	}
	for _, unmeasured := range []string{`"gemm"`, `"mlp_training"`, `"inference_ns"`, `"plain_go"`} { // left out, not zero
		if strings.Contains(stdout, unmeasured) {
			t.Errorf("bench --acts-only --json has %s:\n%s", unmeasured, stdout)
		}
	}
	if !strings.Contains(stdout, `"copy_ns"`) || !strings.Contains(stdout, `"forward_ns"`) {
		t.Errorf("bench --acts-only --json lacks the activations or the copy floor:\n%s", stdout)
	}
	if _, stderr, status := wiggle(t, "", "bench", "--acts-only", "--scaling"); status != 2 || !strings.Contains(stderr, "--acts-only and --scaling") {
		t.Errorf("bench --acts-only --scaling: exit %d, %q", status, stderr)
	}
}

// TestBenchThreads: --threads N times GEMM and the MLP on N threads alone,
// where bench's default (and --threads 0's) is 1 and 2.
func TestBenchThreads(t *testing.T) {
	stdout, stderr, status := wiggle(t, "", "bench", "--quick", "--json", "--acts", "relu", "--threads", "1")
	if status != 0 {
		t.Fatalf("exit %d: %s", status, stderr)
	}
	var r perf.Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("bench --json: %v\n%s", err, stdout)
	}
	if len(r.GEMM) == 0 || len(r.MLP) != 1 {
		t.Fatalf("bench --threads 1: %d GEMM figures, %d MLP figures; want some and one", len(r.GEMM), len(r.MLP))
	}
	for _, g := range r.GEMM {
		if g.Threads != 1 {
			t.Errorf("bench --threads 1 timed %s on %d threads", g.Name, g.Threads)
		}
	}
	if r.MLP[0].Threads != 1 {
		t.Errorf("bench --threads 1 trained the MLP on %d threads", r.MLP[0].Threads)
	}
	stdout, stderr, status = wiggle(t, "", "bench", "--quick", "--json", "--acts", "relu", "--threads", "0")
	r = perf.Report{}
	if err := json.Unmarshal([]byte(stdout), &r); status != 0 || err != nil || len(r.MLP) != 2 {
		t.Errorf("bench --threads 0: exit %d, %v, %d MLP figures; want bench's default, 1 and 2 threads (%s)", status, err, len(r.MLP), stderr)
	}
}

// TestBenchRefusesUnparsedActs: a parenthesis left open, or --acts with
// no activation in it, is an error naming the flag, not a table short of
// what was asked.
func TestBenchRefusesUnparsedActs(t *testing.T) {
	for _, c := range []struct{ acts, want string }{
		{"relu,softplus(beta=2", "parenthesis"},
		{"softplus(beta=2", "parenthesis"},
		{"", "--acts is empty"},
		{" , ", "--acts is empty"},
	} {
		stdout, stderr, status := wiggle(t, "", "bench", "--quick", "--acts-only", "--acts", c.acts)
		if status != 2 || !strings.Contains(stderr, "--acts") || !strings.Contains(stderr, c.want) || stdout != "" {
			t.Errorf("bench --acts %q: exit %d, stdout %q, stderr %q; want exit 2 naming --acts and %q", c.acts, status, stdout, stderr, c.want)
		}
	}
}

func TestLabQuick(t *testing.T) {
	dir := t.TempDir()
	stdout, stderr, status := wiggle(t, "", "lab", "--quick", "--json", "--out", dir)
	if status != 0 {
		t.Fatalf("exit %d: %s", status, stderr)
	}
	for _, want := range []string{`"verdict"`, `"checks"`, `"criterion"`, `"seeds"`, `"tanh-identity"`, `"dying-relu"`, `"plots"`} {
		if !strings.Contains(stdout, want) {
			t.Errorf("lab --json lacks %s", want)
		}
	}
	if !strings.Contains(stderr, "[4/11] saturation...") || !strings.Contains(stderr, "[4/11] saturation: ") {
		t.Errorf("no progress line for the experiments: %q", stderr)
	}
	if _, stderr, status := wiggle(t, "", "lab", "alchemy", "--out", dir); status != 2 || !strings.Contains(stderr, "unknown experiment") {
		t.Errorf("lab alchemy: exit %d, %q", status, stderr)
	}
	// A user's file of a plot's name, in a folder of no lab report, is
	// refused as --out's problem, and left as it was.
	mine := t.TempDir()
	plotName := lab.Files([]string{"step"})[len(lab.ReportFiles())]
	if err := os.WriteFile(filepath.Join(mine, plotName), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, status = wiggle(t, "", "lab", "step", "--quick", "--out", mine)
	if b, _ := os.ReadFile(filepath.Join(mine, plotName)); status != 2 || !strings.Contains(stderr, "--out "+mine) || !strings.Contains(stderr, plotName) || string(b) != "mine" {
		t.Errorf("lab beside the user's %s: exit %d, %q, the file %q; want 2 naming --out and the file, left as it was", plotName, status, stderr, b)
	}
}

// TestLabHelpListsClaims: lab --help gives each experiment with the claim
// it tests, a line each.
func TestLabHelpListsClaims(t *testing.T) {
	stdout, _, status := wiggle(t, "", "lab", "--help")
	for _, x := range lab.Experiments() {
		if !regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(x.Name) + ` +` + regexp.QuoteMeta(x.Short) + `$`).MatchString(stdout) {
			t.Errorf("lab --help (exit %d) has no line for %s: %q", status, x.Name, x.Short)
		}
	}
}
