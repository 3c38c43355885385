package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/engine"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/probe"
	"github.com/wigglenn/wiggle/tensor"

	"github.com/wigglenn/wiggle/model"

	"golang.org/x/text/unicode/norm"
)

// writeCSV writes a small labelled table: the label is "big" when
// x0 + x1 > 0, else "small"; string labels exercise the class mapping.
func writeCSV(t *testing.T, dir string) string {
	var b strings.Builder
	b.WriteString("x0,x1,size\n")
	for i := range 60 {
		x0, x1 := float64(i%7)-3, float64(i%5)-2.2
		label := "small"
		if x0+x1 > 0 {
			label = "big"
		}
		b.WriteString(strings.Join([]string{ftoa(x0), ftoa(x1), label}, ",") + "\n")
	}
	path := filepath.Join(dir, "sizes.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func ftoa(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func trainSizes(t *testing.T, dir string, extra ...string) (model string, summary map[string]any) {
	csvPath := writeCSV(t, dir)
	model = filepath.Join(dir, "sizes.safetensors")
	args := append([]string{"train", "--data", csvPath, "--target", "size", "--hidden", "8", "--act", "tanh",
		"--optimizer", "adam", "--lr", "0.05", "--epochs", "60", "--batch", "10", "--standardize", "--out", model, "--json"}, extra...)
	stdout, stderr, status := wiggle(t, "", args...)
	if status != 0 {
		t.Fatalf("train: exit %d: %s", status, stderr)
	}
	if err := json.Unmarshal([]byte(stdout), &summary); err != nil {
		t.Fatalf("--json output %q: %v", stdout, err)
	}
	return model, summary
}

func TestTrainJSONSummary(t *testing.T) {
	_, s := trainSizes(t, t.TempDir(), "--val", "0.25")
	for _, key := range []string{"train_seconds", "samples_per_second", "epochs", "train_loss", "train_accuracy", "val_loss", "val_accuracy"} {
		if _, ok := s[key]; !ok {
			t.Errorf("summary lacks %q: %v", key, s)
		}
	}
	if s["epochs"].(float64) != 60 || s["train_accuracy"].(float64) < 0.9 || s["val_accuracy"] == nil {
		t.Errorf("summary %v: want 60 epochs, training accuracy ≥ 0.9 and a validation accuracy", s)
	}
}

func TestEarlyStopping(t *testing.T) {
	_, s := trainSizes(t, t.TempDir(), "--val", "0.25", "--patience", "2", "--lr", "2", "--optimizer", "sgd")
	if s["stopped_early"] != true || s["epochs"].(float64) >= 60 {
		t.Errorf("summary %v: want an early stop with lr 2", s)
	}
	if s["best_epoch"].(float64) > s["epochs"].(float64)-2 {
		t.Errorf("best epoch %v, ran %v with patience 2", s["best_epoch"], s["epochs"])
	}
}

func TestEvalAndPredict(t *testing.T) {
	dir := t.TempDir()
	model, _ := trainSizes(t, dir)
	csvPath := filepath.Join(dir, "sizes.csv")

	stdout, stderr, status := wiggle(t, "", "eval", "--model", model, "--data", csvPath, "--json")
	if status != 0 {
		t.Fatalf("eval: exit %d: %s", status, stderr)
	}
	var ev struct {
		Loss      float64
		Accuracy  float64
		Confusion [][]int
		Classes   []string
		Rows      int
	}
	if err := json.Unmarshal([]byte(stdout), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Rows != 60 || ev.Accuracy < 0.9 || strings.Join(ev.Classes, ",") != "big,small" {
		t.Errorf("evaluation %+v", ev)
	}
	total := 0
	for _, row := range ev.Confusion {
		for _, n := range row {
			total += n
		}
	}
	if right := ev.Confusion[0][0] + ev.Confusion[1][1]; total != 60 || float64(right)/60 != ev.Accuracy {
		t.Errorf("confusion %v does not add up to 60 rows at accuracy %v", ev.Confusion, ev.Accuracy)
	}
	// Read by people too: each row of the matrix on a line of its own.
	for i, row := range ev.Confusion {
		if line := fmt.Sprintf("[%d, %d]", row[0], row[1]); !strings.Contains(stdout, "\n    "+line) {
			t.Errorf("confusion row %d not on a line of its own as %s:\n%s", i, line, stdout)
		}
	}

	stdout, stderr, status = wiggle(t, "", "predict", "--model", model, "--data", csvPath)
	if status != 0 {
		t.Fatalf("predict: exit %d: %s", status, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if lines[0] != "predicted,p_big,p_small" || len(lines) != 61 {
		t.Fatalf("predict wrote %d lines, header %q", len(lines), lines[0])
	}
	// Row 1 of the data is x0 = −3, x1 = −2.2: small.
	if !strings.HasPrefix(lines[1], "small,") {
		t.Errorf("first prediction %q, want small", lines[1])
	}
}

func TestTrainErrors(t *testing.T) {
	dir := t.TempDir()
	csvPath := writeCSV(t, dir)
	other := filepath.Join(dir, "other.safetensors")
	if _, _, status := wiggle(t, "", "train", "--data", csvPath, "--target", "size", "--hidden", "4", "--out", other, "--epochs", "1"); status != 0 {
		t.Fatal("could not make the --init file")
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--target", "colour"}, `no target column "colour"; the columns are x0, x1, size`},
		{[]string{"--target", "size", "--loss", "cross"}, `unknown loss "cross"`},
		{[]string{"--target", "size", "--optimizer", "lbfgs"}, `--optimizer "lbfgs": want one of sgd, momentum`},
		{[]string{"--target", "size", "--act", "wiggly"}, `--act: unknown activation "wiggly"`},
		{[]string{"--target", "size", "--lr", "-1"}, "--lr -1: want a positive"},
		{[]string{"--target", "size", "--optimizer", "momentum", "--momentum", "-1"}, "--momentum -1: want"},
		{[]string{"--target", "size", "--optimizer", "momentum", "--momentum", "9"}, "--momentum 9: want above 0 and below 1"},
		{[]string{"--target", "size", "--batch", "0"}, "--batch 0: want at least 1"},
		{[]string{"--target", "size", "--l2", "-1"}, "--l2 -1: want"},
		{[]string{"--target", "size", "--l1", "-1"}, "--l1 -1: want 0 or more, at most float32's largest"},
		{[]string{"--target", "size", "--clip-norm", "-2"}, "--clip-norm -2: want"},
		{[]string{"--target", "size", "--hidden", "8,8", "--init", other}, "tensor 2.weight has shape [2 4], the network needs [8 8]"},
		{[]string{"--target", "size", "--patience", "3"}, "--patience 3: early stopping watches the validation rows; give --val too"},
		{[]string{"--target", "size", "--val", "1.5"}, "--val 1.5"},
		{[]string{"--target", "size", "--weight-init", "magic"}, `unknown initialisation "magic"`},
		{[]string{"--target", "size", "--schedule", "step", "--lr-step", "0"}, "--lr-step 0: want at least 1"},
	}
	for _, c := range cases {
		args := append([]string{"train", "--data", csvPath, "--out", filepath.Join(dir, "m.safetensors")}, c.args...)
		_, stderr, status := wiggle(t, "", args...)
		if status != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, status, stderr, c.want)
		}
		// A flag's mistake points to --help (a --target that names no
		// column among them); the data's and a file's do not.
		flagMistake := !strings.HasPrefix(c.want, "tensor ")
		if help := strings.Contains(stderr, "Run 'wiggle train --help' for usage."); help != flagMistake {
			t.Errorf("%v: stderr %q; want the line pointing to --help: %v", c.args, stderr, flagMistake)
		}
	}
	three := filepath.Join(dir, "three.csv")
	os.WriteFile(three, []byte("a,b\n1,0\n2,1\n3,1.0\n"), 0o644) // 1 and 1.0: two labels, which the message names
	_, stderr, status := wiggle(t, "", "train", "--data", three, "--target", "b", "--loss", "logistic", "--out", filepath.Join(dir, "m.safetensors"))
	if status != 2 || !strings.Contains(stderr, `needs two classes (labels 0 and 1, say); `+three+` has 3 in column "b": "0", "1", "1.0"`) {
		t.Errorf("logistic on three classes: exit %d, stderr %q", status, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "m.safetensors")); err == nil {
		t.Error("a failed train wrote a model file")
	}
	os.WriteFile(three, []byte("a,b\n1,0\n2,2\n3,0\n"), 0o644) // whole numbers from 0: class indices 0 to 2, one of them empty
	_, stderr, status = wiggle(t, "", "train", "--data", three, "--target", "b", "--loss", "logistic", "--out", filepath.Join(dir, "m.safetensors"))
	if want := `has 3 in column "b": "0", "2" (whole-number labels from 0 are class indices, 0 to the largest: 3 classes; relabel them 0 and 1)`; status != 2 || !strings.Contains(stderr, want) {
		t.Errorf("logistic on labels 0 and 2: exit %d, stderr %q; want %q", status, stderr, want)
	}
	os.WriteFile(three, []byte("a,b\n1,1\n2,2\n3,1\n4,2\n"), 0o644) // 1 and 2, not from 0: two classes, 2 the positive one
	if _, stderr, status = wiggle(t, "", "train", "--data", three, "--target", "b", "--loss", "logistic", "--epochs", "1", "--out", filepath.Join(dir, "m.safetensors")); status != 0 {
		t.Fatalf("logistic on labels 1 and 2: exit %d, %q", status, stderr)
	}
	if m, err := modelio.Load(filepath.Join(dir, "m.safetensors")); err != nil || !slices.Equal(m.Classes, []string{"1", "2"}) {
		t.Errorf("logistic on labels 1 and 2: %v; want the classes 1 and 2", err)
	}
}

func TestTrainProbe(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "health.json")
	stdout, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--hidden", "16,16", "--act", "tanh", "--epochs", "3",
		"--probe", "--probe-out", out, "--out", filepath.Join(dir, "m.safetensors"))
	if status != 0 {
		t.Fatalf("exit %d: %s", status, stderr)
	}
	for _, want := range []string{"layer health after epoch 3", "dead", "saturated", "|ΔW|/|W|", "tanh"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("--probe output lacks %q:\n%s", want, stdout)
		}
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var series []struct {
		Epoch  int
		Layers []map[string]any
	}
	if err := json.Unmarshal(raw, &series); err != nil {
		t.Fatal(err)
	}
	if len(series) != 3 || len(series[2].Layers) != 2 {
		t.Fatalf("--probe-out holds %d epochs; want 3 of 2 layers", len(series))
	}
	for _, key := range []string{"dead_fraction", "saturated_fraction", "weight_grad_norm", "input_grad_norm", "update_ratio", "pre_activation_mean", "activation_std"} {
		if _, ok := series[2].Layers[0][key]; !ok {
			t.Errorf("layer record lacks %q", key)
		}
	}
	// maxout layers are watched too (the probe had been refused for them)
	stdout, stderr, status = wiggle(t, "", "train", "--data", "spiral", "--hidden", "16,16", "--act", "maxout", "--epochs", "1",
		"--probe", "--out", filepath.Join(dir, "maxout.safetensors"))
	row := func(layer string) *regexp.Regexp { // the layer's units, dead and saturated shares, and a gradient
		return regexp.MustCompile(`(?m)^\s+` + layer + `\s+maxout\(pieces=2\)\s+16(\s+-?[\d.e+-]+){4}\s+0\.0%\s+0\.0%\s+[\d.]*[1-9][\d.e+-]*\s`)
	}
	idle := regexp.MustCompile(`(?m)^layer 2 \(maxout\): \d+\.\d% of its 32 pieces win on no training row with the epoch's last weights: no gradient from those rows reaches them$`)
	if status != 0 || !row("1").MatchString(stdout) || !row("2").MatchString(stdout) || !idle.MatchString(stdout) {
		t.Errorf("train --act maxout --probe: exit %d, %s\n%s", status, stdout, stderr)
	}
}

// TestProbeOutOfADivergedRun: --probe-out keeps the health of the epochs
// before a run diverged (it had written nothing), and says so; the model
// is not written.
func TestProbeOutOfADivergedRun(t *testing.T) {
	dir := t.TempDir()
	out, model := filepath.Join(dir, "health.json"), filepath.Join(dir, "m.safetensors")
	_, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--act", "tanh", "--lr", "100", "--epochs", "30", "--probe-out", out, "--out", model)
	if status != exitDiverged || !strings.Contains(stderr, "wrote "+out+": the health of epoch") {
		t.Fatalf("exit %d, %s", status, stderr)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var series []probe.EpochHealth
	if err := json.Unmarshal(raw, &series); err != nil || len(series) == 0 || len(series[0].Layers) != 2 {
		t.Fatalf("--probe-out of the diverged run: %v, %+v", err, series)
	}
	n := len(series) // on this seed, 2: saturated tanh layers, then a loss past 1000 times the first
	if series[n-1].Epoch != n || !strings.Contains(stderr, fmt.Sprintf("training diverged in epoch %d,", n+1)) || series[n-1].Layers[1].Saturated < 0.5 {
		t.Errorf("%d epochs before the divergence, the last %+v: %s", n, series[n-1], stderr)
	}
	if _, err := os.Stat(model); err == nil {
		t.Error("the diverged run saved its model")
	}
	// diverged in its first epoch: nothing to write, and said
	os.Remove(out)
	_, stderr, status = wiggle(t, "", "train", "--data", "spiral", "--act", "tanh", "--lr", "1e6", "--epochs", "3", "--probe-out", out, "--out", model)
	if _, err := os.Stat(out); status != exitDiverged || err == nil || !strings.Contains(stderr, "--probe-out "+out+" not written: the run diverged before an epoch ended\n") {
		t.Errorf("diverged in epoch 1: exit %d, %s", status, stderr)
	}
}

// TestDeadUnitWarning drives relu units to death with a huge learning rate
// and checks the one warning line per layer and condition.
func TestDeadUnitWarning(t *testing.T) {
	dir := t.TempDir()
	_, stderr, status := wiggle(t, "", "train", "--data", "blobs", "--hidden", "32", "--act", "relu", "--lr", "5",
		"--epochs", "4", "--probe", "--out", filepath.Join(dir, "m.safetensors"))
	if status != 0 {
		t.Fatalf("exit %d: %s", status, stderr)
	}
	if n := strings.Count(stderr, "warning: layer 1 (relu): "); n < 1 || strings.Count(stderr, "units are dead") != 1 {
		t.Errorf("want one dead-unit warning for layer 1; stderr:\n%s", stderr)
	}
}

// TestTrainJSONSaysHowTheThreadsServed checks the summary's engine object:
// on one thread no loop is shared or kept alone and no hand-off is
// measured; on two, a network whose products are large enough to share
// counts each of its loops one way or the other (which way is the
// engine's trials' choice on this machine).
func TestTrainJSONSaysHowTheThreadsServed(t *testing.T) {
	dir := t.TempDir()
	for _, threads := range []string{"1", "2"} {
		stdout, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--hidden", "128,128", "--batch", "64",
			"--epochs", "2", "--threads", threads, "--json", "--out", filepath.Join(dir, "m"+threads+".safetensors"))
		if status != 0 {
			t.Fatalf("--threads %s: exit %d: %s", threads, status, stderr)
		}
		var s struct {
			Engine struct {
				Threads     int     `json:"threads"`
				LoopsShared uint64  `json:"loops_shared"`
				LoopsAlone  uint64  `json:"loops_alone"`
				HandoffNS   float64 `json:"handoff_ns"`
			} `json:"engine"`
		}
		if err := json.Unmarshal([]byte(stdout), &s); err != nil {
			t.Fatalf("--json output %q: %v", stdout, err)
		}
		e := s.Engine
		switch {
		case threads == "1" && (e.Threads != 1 || e.LoopsShared != 0 || e.LoopsAlone != 0 || e.HandoffNS != 0):
			t.Errorf("--threads 1: engine %+v, want 1 thread, no loops and no hand-off", e)
		case threads == "2" && (e.Threads != 2 || e.LoopsShared+e.LoopsAlone == 0):
			t.Errorf("--threads 2: engine %+v, want 2 threads and the loops counted", e)
		}
	}
}

// TestEngineUseReportsOnlyItsOwnHandoff checks that the summary gives the
// hand-off the helper measured only where the training timed a whole
// window of its own: an earlier training's measure is not this one's.
func TestEngineUseReportsOnlyItsOwnHandoff(t *testing.T) {
	before := engine.HelperStats{LoopsShared: 100, LoopsAlone: 7, Handoff: 400 * time.Nanosecond, HandoffsTimed: 50}
	for _, c := range []struct {
		timed uint64
		want  float64
	}{{0, 0}, {engine.HandoffWindow - 1, 0}, {engine.HandoffWindow, 350}} {
		after := engine.HelperStats{LoopsShared: 400, LoopsAlone: 9, Handoff: 350 * time.Nanosecond, HandoffsTimed: before.HandoffsTimed + c.timed}
		got := engineUse(before, after)
		if got.HandoffNS != c.want || got.LoopsShared != 300 || got.LoopsAlone != 2 {
			t.Errorf("%d hand-offs timed in the training: %+v, want the hand-off %v and 300 loops shared, 2 alone", c.timed, got, c.want)
		}
	}
}

// TestOverflowNamesTheDataRow: a row whose values overflow the network
// is named by --data and its row counted as a user counts them, from 1
// after the header (the model counts from 0), by predict and eval alike.
func TestOverflowNamesTheDataRow(t *testing.T) {
	dir := t.TempDir()
	table, _, _ := wiggle(t, "", "data", "gen", "spiral", "--n", "20")
	lines := strings.Split(strings.TrimSpace(table), "\n")
	lines[5] = "3.4e38,3.4e38,0" // data row 5, line 6
	big := filepath.Join(dir, "big.csv")
	if err := os.WriteFile(big, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(dir, "m.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--hidden", "64,64", "--epochs", "1", "--out", model); status != 0 {
		t.Fatalf("train: exit %d: %s", status, stderr)
	}
	want := "--data " + big + ", data row 5 (counting from 1 after the header): the network's output is"
	for _, command := range []string{"predict", "eval"} {
		stdout, stderr, status := wiggle(t, "", command, "--model", model, "--data", big)
		if status != 2 || stdout != "" || !strings.Contains(stderr, want) {
			t.Errorf("%s: exit %d, %q, %q; want 2 saying %q", command, status, stdout, stderr, want)
		}
	}
}

// checksLeft is a context that is done once Err has been asked n times.
type checksLeft struct {
	context.Context
	n int
}

func (c *checksLeft) Err() error {
	if c.n--; c.n < 0 {
		return context.Canceled
	}
	return nil
}

// TestPredictionCutShortEndsAtARow: a prediction stopped while it prints
// leaves whole rows on standard output and says how many; stopped before
// its first row it prints nothing, not even the header.
func TestPredictionCutShortEndsAtARow(t *testing.T) {
	p := prediction{columns: []string{"p_a", "p_b"}, classes: []string{"a", "b"}, class: make([]int32, 3*predictionCheck)}
	for range p.class {
		p.values = append(p.values, 0.25, 0.75)
	}
	var out strings.Builder
	rows, err := writePrediction(&checksLeft{context.Background(), 1}, &out, p, csvForm{})
	if !errors.Is(err, context.Canceled) || rows != predictionCheck {
		t.Fatalf("stopped at its second look: %d rows, %v; want %d and context.Canceled", rows, err, predictionCheck)
	}
	lines := strings.Split(out.String(), "\n")
	if len(lines) != predictionCheck+2 || lines[0] != "predicted,p_a,p_b" || lines[len(lines)-1] != "" || lines[len(lines)-2] != "a,0.25,0.75" {
		t.Errorf("standard output: %d lines, first %q, last two %q; want the header and %d whole rows", len(lines), lines[0], lines[len(lines)-2:], predictionCheck)
	}
	out.Reset()
	p.columns = slices.Repeat([]string{"p_a_long_class_name"}, 400) // a header longer than the writer's buffer
	if rows, err := writePrediction(&checksLeft{context.Background(), 0}, &out, p, csvForm{}); rows != 0 || !errors.Is(err, context.Canceled) || out.Len() != 0 {
		t.Errorf("stopped before its first row: %d rows, %v, %d bytes out; want none", rows, err, out.Len())
	}
	for _, c := range []struct {
		err        error
		rows       int
		want       string
		partlyKept bool
	}{
		{context.Canceled, predictionCheck, "standard output holds the header and the first 4096 of the 12288 rows", true},
		{fmt.Errorf("fifo: not written: %w", context.Canceled), predictionCheck, "interrupted; standard output holds", true},
		{context.Canceled, 0, "", false}, // "interrupted; no file was written", as before
		{errors.New("disk full"), predictionCheck, "disk full", false},
	} {
		err := cutShort(c.err, c.rows, 3*predictionCheck, "standard output")
		var partly *partlyWrittenError
		if !strings.Contains(withoutCancelled(err), c.want) || errors.As(err, &partly) != c.partlyKept {
			t.Errorf("cutShort(%v, %d rows): %v (a partial output: %v); want %q", c.err, c.rows, err, errors.As(err, &partly), c.want)
		}
	}
}

// doneWhenAsked is a context that is done from a chosen look on: looks
// made by functions whose names by picks out (runtime.Caller) find it
// running after times, then done; every other look finds it running. A
// test stops a command so at one look of its own.
type doneWhenAsked struct {
	context.Context
	by    func(function string) bool
	after int
	looks int
}

func (c *doneWhenAsked) Err() error {
	pc, _, _, _ := runtime.Caller(1)
	if c.by(runtime.FuncForPC(pc).Name()) {
		if c.looks++; c.looks > c.after {
			return context.Canceled
		}
	}
	return nil
}

// commandRunE picks out a command's own RunE (a function literal of a
// new…Cmd): the model's and the loader's looks are others'. (Moved into a
// helper of another name, the command's look would go unseen and the test
// below fail.)
func commandRunE(function string) bool {
	return strings.Contains(function, "/cmd/wiggle.new") && strings.Contains(function, "Cmd.func")
}

// TestCtrlCAfterTheArithmetic: a Ctrl-C that lands after eval's or
// predict's last chunk prints nothing and exits 130, as one during it
// does: the evaluation is not printed, the predictions not written.
func TestCtrlCAfterTheArithmetic(t *testing.T) {
	dir := t.TempDir()
	model, _ := trainSizes(t, dir)
	csvPath := filepath.Join(dir, "sizes.csv")
	for _, command := range []string{"eval", "predict"} {
		var out, errOut bytes.Buffer
		ctx := &doneWhenAsked{Context: context.Background(), by: commandRunE} // done at the command's look after the arithmetic
		status := run(ctx, []string{command, "--model", model, "--data", csvPath}, strings.NewReader(""), &out, &errOut)
		if status != exitInterrupted || out.Len() != 0 || !strings.Contains(errOut.String(), "interrupted") {
			t.Errorf("%s, Ctrl-C after the arithmetic: exit %d, %q, %q; want 130, nothing printed and the interruption said", command, status, out.String(), errOut.String())
		}
	}
}

// TestInterruptedSaysWhatWasLeft: Ctrl-C's message speaks of files only
// for a command that writes one, and names atomicfile's file not written
// once; `predict --out -` prints to standard output.
func TestInterruptedSaysWhatWasLeft(t *testing.T) {
	for _, c := range []struct {
		detail               string
		notWritten, filesToo bool
		want                 string
	}{
		{"", false, false, "interrupted"},
		{"", false, true, "interrupted; no file was written"},
		{"out.csv: not written", true, true, "interrupted; out.csv: not written"},
		{"stopped after 0 of 3 experiments", false, true, "interrupted (stopped after 0 of 3 experiments); no file was written"},
	} {
		if got := interruptedText(c.detail, c.notWritten, c.filesToo); got != c.want {
			t.Errorf("interruptedText(%q, %v, %v) = %q; want %q", c.detail, c.notWritten, c.filesToo, got, c.want)
		}
	}
	dir := t.TempDir()
	model, _ := trainSizes(t, dir)
	csvPath := filepath.Join(dir, "sizes.csv")
	stopped, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"eval", "--model", model, "--data", csvPath}, "wiggle: interrupted (--data: " + csvPath + ")\n"}, // stopped as it read the table
		{[]string{"predict", "--model", model, "--data", csvPath, "--out", filepath.Join(dir, "p.csv")}, "wiggle: interrupted (--data: " + csvPath + "); no file was written\n"},
	} {
		var out, errOut bytes.Buffer
		if status := run(stopped, c.args, strings.NewReader(""), &out, &errOut); status != exitInterrupted || errOut.String() != c.want {
			t.Errorf("%s, stopped: exit %d, %q; want 130 and %q", c.args[0], status, errOut.String(), c.want)
		}
	}
	t.Chdir(t.TempDir()) // where a file named - would land
	toFile, _, _ := wiggle(t, "", "predict", "--model", model, "--data", csvPath)
	dash, stderr, status := wiggle(t, "", "predict", "--model", model, "--data", csvPath, "--out", "-")
	if _, err := os.Stat("-"); status != 0 || dash != toFile || err == nil {
		t.Errorf("predict --out -: exit %d (%s), %d bytes out against %d without it, a file named - made: %v", status, stderr, len(dash), len(toFile), err == nil)
	}
}

// TestCtrlCStopsReadsWritesAndPlots: a command stopped before it reads a
// table (data show), writes a set (data gen), draws its plots (act plot)
// or while it waits for input (act eval) exits 130 and says so; those
// had run to the end, exit 0.
func TestCtrlCStopsReadsWritesAndPlots(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "t.csv")
	if err := os.WriteFile(csvPath, []byte("a,label\n1,0\n2,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stopped, cancel := context.WithCancel(context.Background())
	cancel()
	plots := filepath.Join(dir, "plots")
	for _, args := range [][]string{
		{"data", "show", csvPath},
		{"data", "gen", "spiral"},
		{"act", "plot", "--out", plots},
	} {
		var out, errOut bytes.Buffer
		if status := run(stopped, args, strings.NewReader(""), &out, &errOut); status != exitInterrupted || !strings.HasPrefix(errOut.String(), "wiggle: interrupted") {
			t.Errorf("%s, stopped: exit %d, %q; want 130 and an interruption", strings.Join(args, " "), status, errOut.String())
		}
	}
	if entries, _ := os.ReadDir(plots); len(entries) > 0 {
		t.Errorf("act plot stopped before drawing wrote %d files", len(entries))
	}
	// act eval waiting on a terminal's next line: stopped at once, not after the line
	waiting, writer := io.Pipe()
	defer writer.Close() // lets the read left waiting end
	var out, errOut bytes.Buffer
	status := make(chan int, 1)
	go func() { status <- run(stopped, []string{"act", "eval", "relu"}, waiting, &out, &errOut) }()
	select {
	case got := <-status:
		if got != exitInterrupted || errOut.String() != "wiggle: interrupted\n" {
			t.Errorf("act eval waiting for input, stopped: exit %d, %q; want 130 and an interruption", got, errOut.String())
		}
	case <-time.After(5 * time.Second):
		t.Error("act eval waiting for input, stopped: still waiting after 5 s")
	}
}

// TestBuiltinSetsForAModelOfMoreClasses: a built-in set's labels are
// class indices; a model whose classes begin with its names (a spiral
// model's 0, 1, 2 for xor's 0, 1) predicts and evaluates on it (both had
// been refused), and one of other names is still refused.
func TestBuiltinSetsForAModelOfMoreClasses(t *testing.T) {
	dir := t.TempDir()
	spiral := filepath.Join(dir, "spiral.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--epochs", "1", "--out", spiral); status != 0 {
		t.Fatal(stderr)
	}
	stdout, stderr, status := wiggle(t, "", "predict", "--model", spiral, "--data", "xor")
	if status != 0 || !strings.HasPrefix(stdout, "predicted,p_0,p_1,p_2\n") || strings.Count(stdout, "\n") != 201 {
		t.Errorf("predict on xor: exit %d, %s, %d lines; want the header and 200 rows", status, stderr, strings.Count(stdout, "\n"))
	}
	if stdout, stderr, status := wiggle(t, "", "eval", "--model", spiral, "--data", "xor"); status != 0 || !strings.Contains(stdout, "rows      200") {
		t.Errorf("eval on xor: exit %d, %s%s", status, stdout, stderr)
	}
	named := filepath.Join(dir, "named.csv")
	os.WriteFile(named, []byte("x0,x1,colour\n0,1,red\n1,0,blue\n1,1,red\n0,0,blue\n"), 0o644)
	colours := filepath.Join(dir, "colours.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", named, "--target", "colour", "--epochs", "1", "--out", colours); status != 0 {
		t.Fatal(stderr)
	}
	if _, stderr, status := wiggle(t, "", "eval", "--model", colours, "--data", "xor"); status != 2 || !strings.Contains(stderr, `xor has the columns`) {
		t.Errorf("eval of a blue/red model on xor: exit %d, %q; want it refused", status, stderr)
	}
}

// TestEvalRegression: eval of a regression model prints its RMSE (the
// root of its loss, the mean squared error), its MAE and R², and --json
// gives them; it had printed the loss alone.
func TestEvalRegression(t *testing.T) {
	m := filepath.Join(t.TempDir(), "sine.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", "sine", "--loss", "mse", "--epochs", "20", "--out", m); status != 0 {
		t.Fatal(stderr)
	}
	stdout, stderr, status := wiggle(t, "", "eval", "--model", m, "--data", "sine")
	var loss, rmse, mae, r2 float64
	if _, err := fmt.Sscanf(stdout, "rows      100\nloss      %g\nrmse      %g\nmae       %g\nr2        %g\n", &loss, &rmse, &mae, &r2); status != 0 || err != nil {
		t.Fatalf("eval: exit %d, %v: %q %q", status, err, stdout, stderr)
	}
	// the loss and rmse are printed to 4 digits: rmse² is the loss to about 1e-3
	if math.Abs(rmse*rmse-loss) > 5e-3*loss || !(mae > 0 && mae <= rmse) || !(r2 > 0 && r2 < 1) {
		t.Errorf("loss %g, rmse %g (squared %g), mae %g, r2 %g; want rmse² the loss, 0 < mae ≤ rmse, 0 < r2 < 1", loss, rmse, rmse*rmse, mae, r2)
	}
	stdout, _, _ = wiggle(t, "", "eval", "--model", m, "--data", "sine", "--json")
	if !strings.Contains(stdout, `"rmse": `) || !strings.Contains(stdout, `"r2": `) || !strings.Contains(stdout, `"accuracy": null`) {
		t.Errorf("eval --json: %s; want rmse, r2 and a null accuracy", stdout)
	}
	// A built-in set of other columns is refused in whole sentences: a
	// regression model's target is values, not an empty list of classes.
	want := `spiral has the columns x0, x1 and the classes 0, 1, 2; the model takes the columns x0, with values as the target`
	if _, stderr, status := wiggle(t, "", "predict", "--model", m, "--data", "spiral"); status != 2 || !strings.Contains(stderr, want) {
		t.Errorf("predict of a sine model on spiral: exit %d, %q; want 2 saying %q", status, stderr, want)
	}
}

// TestEvalWithoutTheModelsTarget: data lacking the model's target column,
// no --target given, is --data's problem, said so with --target offered;
// it had been blamed on a --target the user never typed.
func TestEvalWithoutTheModelsTarget(t *testing.T) {
	dir := t.TempDir()
	m := sizesModel(t, dir)
	other := filepath.Join(dir, "other.csv")
	if err := os.WriteFile(other, []byte("x0,x1,kind\n1,2,big\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, status := wiggle(t, "", "eval", "--model", m, "--data", other)
	if status != 2 || !strings.HasPrefix(stderr, "wiggle: --data: "+other+`, line 1: no target column "size"`) || !strings.Contains(stderr, "it is the column the model was trained to predict; give --target") {
		t.Errorf("eval without the model's target: exit %d, %q", status, stderr)
	}
}

// TestPredictKeep: --keep copies the data's columns (by name or index,
// an id holding a comma quoted again) into each prediction's row, first,
// from a file or standard input, one of a prediction's own names told
// apart; a column of no such name, one named twice, and a built-in set,
// are --keep's mistakes.
func TestPredictKeep(t *testing.T) {
	dir := t.TempDir()
	m := sizesModel(t, dir)
	table := "id,x0,x1\nA7,1,2\n\"B,8\",3,4\n"
	plain, _, _ := wiggle(t, table, "predict", "--model", m, "--data", "-")
	kept, stderr, status := wiggle(t, table, "predict", "--model", m, "--data", "-", "--keep", "id,2")
	lines, want := strings.Split(strings.TrimSpace(kept), "\n"), strings.Split(strings.TrimSpace(plain), "\n")
	if status != 0 || len(lines) != 3 || lines[0] != "id,x1,"+want[0] || lines[1] != "A7,2,"+want[1] || lines[2] != `"B,8",4,`+want[2] {
		t.Errorf("predict --keep id,2: exit %d, %q (%s); want the id and x1 before %q", status, kept, stderr, plain)
	}
	for _, c := range []struct{ keep, want string }{
		{"nope", `--keep: standard input, line 1: no column "nope" to keep`},
		{"id,id", `--keep names "id" twice`},
	} {
		if _, stderr, status := wiggle(t, table, "predict", "--model", m, "--data", "-", "--keep", c.keep); status != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("--keep %s: exit %d, %q; want 2 and %q", c.keep, status, stderr, c.want)
		}
	}
	// A kept column of a prediction's own name (the target, kept beside
	// its prediction) is told apart, by name or by index alike.
	for _, k := range []string{"predicted", "2"} {
		if got, stderr, status := wiggle(t, "x0,x1,predicted\n1,2,big\n", "predict", "--model", m, "--data", "-", "--keep", k); status != 0 || !strings.HasPrefix(got, "predicted (data),predicted,") || !strings.Contains(got, "\nbig,") {
			t.Errorf("--keep %s of a column named predicted: exit %d, %q (%s)", k, status, got, stderr)
		}
	}
	if _, stderr, status := wiggle(t, "", "predict", "--model", m, "--data", "spiral", "--keep", "x0"); status != 2 || !strings.Contains(stderr, "--keep: the built-in set spiral has no columns to keep") {
		t.Errorf("--keep with a built-in set: exit %d, %q", status, stderr)
	}
}

// sizesModel trains a model of writeCSV's table in dir for an epoch and
// returns its path.
func sizesModel(t *testing.T, dir string) string {
	t.Helper()
	m := filepath.Join(dir, "m.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", writeCSV(t, dir), "--target", "size", "--epochs", "1", "--out", m); status != 0 {
		t.Fatal(stderr)
	}
	return m
}

// TestPredictWarnsOfOtherScale: a column far from what a standardising
// model trained on (x1 in thousandths of the unit) is warned of by
// predict and eval, naming it; every row had been predicted silently.
func TestPredictWarnsOfOtherScale(t *testing.T) {
	dir := t.TempDir()
	m := filepath.Join(dir, "m.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--standardize", "--epochs", "2", "--out", m); status != 0 {
		t.Fatalf("train: exit %d, %s", status, stderr)
	}
	table, _, _ := wiggle(t, "", "data", "gen", "spiral")
	var scaled strings.Builder
	for i, line := range strings.Split(strings.TrimSpace(table), "\n") {
		cells := strings.Split(line, ",")
		if i > 0 {
			v, _ := strconv.ParseFloat(cells[1], 64)
			cells[1] = strconv.FormatFloat(1000*v, 'g', -1, 64)
		}
		scaled.WriteString(strings.Join(cells, ",") + "\n")
	}
	path := filepath.Join(dir, "scaled.csv")
	if err := os.WriteFile(path, []byte(scaled.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"predict", "eval"} {
		_, stderr, status := wiggle(t, "", cmd, "--model", m, "--data", path)
		if status != 0 || !strings.Contains(stderr, `warning: --data's column "x1" lies far from the model's training rows`) || strings.Contains(stderr, `"x0"`) {
			t.Errorf("%s of a column in other units: exit %d, %q; want 0 and x1 alone warned of", cmd, status, stderr)
		}
		if _, stderr, _ := wiggle(t, "", cmd, "--model", m, "--data", "spiral"); strings.Contains(stderr, "lies far") {
			t.Errorf("%s of the training data: %q; want no warning", cmd, stderr)
		}
	}
}

// TestEvalSaysMNISTsTestImages: eval --data mnist says the rows are the
// test images (a learner could not tell which split was read).
func TestEvalSaysMNISTsTestImages(t *testing.T) {
	var b strings.Builder
	if err := writeEvaluation(&b, model.Evaluation{Rows: 10000, Loss: 0.2}, rowsOf("mnist")); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "rows      10000 (MNIST's test images;") {
		t.Errorf("eval of mnist begins %q; want the rows named as its test images", strings.SplitN(b.String(), "\n", 2)[0])
	}
	if rowsOf("spiral.csv") != "" {
		t.Errorf("a file's rows are named %q; want nothing said", rowsOf("spiral.csv"))
	}
}

// TestConfusionColumnsByShownWidth: a confusion matrix of Korean class
// names keeps its columns in line on a terminal, where each Hangul
// character takes two columns (tabwriter had counted one).
func TestConfusionColumnsByShownWidth(t *testing.T) {
	var b strings.Builder
	accuracy := 1.0
	ev := model.Evaluation{Rows: 6, Accuracy: &accuracy, Classes: []string{"빨강", "초록색", "blue"}, Confusion: [][]int{{1, 0, 0}, {0, 2, 0}, {0, 0, 3}}}
	if err := writeEvaluation(&b, ev, ""); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	matrix := lines[len(lines)-4:]
	for _, line := range matrix {
		if got, want := shownWidth(line), shownWidth(matrix[0]); got != want {
			t.Errorf("the matrix's lines take %d and %d columns:\n%s", want, got, strings.Join(matrix, "\n"))
			break
		}
	}
	if got := shownWidth(norm.NFD.String("빨강")); got != 4 { // as macOS writes Hangul in file names: jamo that join into two syllables
		t.Errorf("decomposed 빨강 takes %d columns; want 4", got)
	}
	if !strings.HasSuffix(matrix[2], "0       2     0") {
		t.Errorf("the row of 초록색 reads %q; want its counts under their classes", matrix[2])
	}
}

// TestOutputsSayWhatTheyWrote: predict --out and data show --plot name the
// file they wrote, as train, export and act plot do (they had written it
// without a word).
func TestOutputsSayWhatTheyWrote(t *testing.T) {
	dir := t.TempDir()
	model, preds, png := filepath.Join(dir, "m.safetensors"), filepath.Join(dir, "p.csv"), filepath.Join(dir, "s.png")
	if _, stderr, status := wiggle(t, "", "train", "--data", "xor", "--epochs", "1", "--out", model); status != 0 {
		t.Fatal(stderr)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"predict", "--model", model, "--data", "xor", "--out", preds}, "wrote " + preds + ": 200 rows\n"},
		{[]string{"data", "show", "spiral", "--plot", png}, "wrote " + png + "\n"},
	} {
		stdout, stderr, status := wiggle(t, "", c.args...)
		if status != 0 || !strings.HasSuffix(stdout, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want it to end %q", c.args, status, stdout, stderr, c.want)
		}
	}
}

// TestPredictInChunksAsAtOnce: predict, which runs a large table through
// the model a chunk at a time and keeps the numbers flat, gives each row
// the numbers and class one call over every row gives, and a row error
// names the row from the table's first, not the chunk's.
func TestPredictInChunksAsAtOnce(t *testing.T) {
	dir := t.TempDir()
	modelPath := filepath.Join(dir, "m.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--epochs", "2", "--hidden", "8", "--out", modelPath); status != 0 {
		t.Fatalf("train: %s", stderr)
	}
	m, err := model.Load(modelPath)
	if err != nil {
		t.Fatal(err)
	}
	n := predictChunk + 777
	rng := rand.New(rand.NewPCG(1, 2))
	x := tensor.New(n, 2)
	for i := range x.Data {
		x.Data[i] = float32(rng.NormFloat64())
	}
	ds := &data.Dataset{X: x}
	p, err := predict(context.Background(), m, ds)
	if err != nil {
		t.Fatal(err)
	}
	rows := make([][]float32, n)
	for i := range rows {
		rows[i] = x.Row(i)
	}
	values, labels, err := m.PredictClassifyContext(context.Background(), rows)
	if err != nil {
		t.Fatal(err)
	}
	if p.rows() != n {
		t.Fatalf("%d rows predicted of %d", p.rows(), n)
	}
	for i := range n {
		if !slices.Equal(p.row(i), values[i]) || p.classes[p.class[i]] != labels[i] {
			t.Fatalf("row %d: %v %q in chunks, %v %q at once", i, p.row(i), p.classes[p.class[i]], values[i], labels[i])
		}
	}
	bad := predictChunk + 5
	x.Data[2*bad] = float32(math.NaN()) // refused, as a value that is not finite
	var rowErr *model.RowError
	if _, err := predict(context.Background(), m, ds); !errors.As(err, &rowErr) || rowErr.Row != bad {
		t.Errorf("a row past the first chunk holding NaN: %v; want a RowError of row %d", err, bad)
	}
}
