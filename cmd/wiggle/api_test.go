package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/model"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/tensor"
)

// writeScaledCSV writes features on wildly different scales (thousands and
// thousandths), the case --standardize is for, with a class label and a
// real-valued column, every number exact in float32.
func writeScaledCSV(t *testing.T, dir, target string) (path string, rows [][]float32) {
	var b strings.Builder
	b.WriteString("income,ratio," + target + "\n")
	f32 := func(v float64) string { return strconv.FormatFloat(float64(float32(v)), 'g', -1, 32) }
	for i := range 150 {
		income := 20000 + 1000*float64(i%37) + 7*float64(i)
		ratio := 0.001 * float64((i*7)%23)
		kind := []string{"low", "mid", "high"}[min(int(income-20000)/12500, 2)]
		if ratio > 0.015 && kind == "low" {
			kind = "mid"
		}
		score := income/1e4 + 100*ratio
		y := kind
		if target == "score" {
			y = f32(score)
		}
		b.WriteString(strings.Join([]string{f32(income), f32(ratio), y}, ",") + "\n")
		rows = append(rows, []float32{float32(income), float32(ratio)})
	}
	path = filepath.Join(dir, target+".csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, rows
}

// TestModelPackageGivesWhatPredictPrints is the embedding contract: a model
// trained with --standardize, loaded with model.Load and asked by 8
// goroutines at once (whole tables and single rows), gives exactly the
// numbers and labels `wiggle predict` prints. Run it with -race.
func TestModelPackageGivesWhatPredictPrints(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ target, loss, act string }{
		{"kind", "softmax", "relu"}, {"kind", "hinge", "gelu"}, {"score", "mse", "tanh"},
	} {
		t.Run(c.loss, func(t *testing.T) {
			csvPath, rows := writeScaledCSV(t, dir, c.target)
			modelPath := filepath.Join(dir, c.loss+".safetensors")
			if _, stderr, status := wiggle(t, "", "train", "--data", csvPath, "--target", c.target, "--loss", c.loss, "--act", c.act,
				"--hidden", "16,8", "--epochs", "30", "--standardize", "--optimizer", "adam", "--lr", "0.01", "--out", modelPath); status != 0 {
				t.Fatalf("train: %s", stderr)
			}
			stdout, stderr, status := wiggle(t, "", "predict", "--model", modelPath, "--data", csvPath)
			if status != 0 {
				t.Fatalf("predict: %s", stderr)
			}
			printed, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			m, err := model.Load(modelPath)
			if err != nil {
				t.Fatal(err)
			}
			labelled := m.Classes() != nil
			header := m.Columns()
			if labelled {
				header = append([]string{"predicted"}, header...)
			}
			if got := strings.Join(printed[0], ","); got != strings.Join(header, ",") {
				t.Fatalf("predict's header %q, the model's columns %q", got, header)
			}
			// wiggle predict runs the model package; check it against the
			// file's network run by hand on the standardised rows.
			if msg := compareWithNetwork(t, modelPath, rows, printed[1:], labelled); msg != "" {
				t.Fatal(msg)
			}
			var wg sync.WaitGroup
			failures := make(chan string, 8)
			for g := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if msg := askAndCompare(m, rows, printed[1:], labelled, g%2 == 1); msg != "" {
						failures <- fmt.Sprintf("goroutine %d: %s", g, msg)
					}
				}()
			}
			wg.Wait()
			close(failures)
			for f := range failures {
				t.Error(f)
			}
		})
	}
}

// compareWithNetwork rebuilds the file's network (not frozen: its products
// pack the weights), standardises the rows with the file's Standardizer,
// and compares its scores, softmax for a softmax model, with predict's
// numbers.
func compareWithNetwork(t *testing.T, modelPath string, rows [][]float32, printed [][]string, labelled bool) string {
	f, err := modelio.Load(modelPath)
	if err != nil {
		t.Fatal(err)
	}
	if f.Scaler == nil {
		return "the model file has no standardisation"
	}
	x := tensor.FromRows(rows)
	f.Scaler.Apply(x)
	scores := f.Net.Forward(x, false)
	for i, line := range printed {
		values := slices.Clone(scores.Row(i))
		if f.Loss == "softmax" {
			act.Softmax(values, scores.Row(i), len(values))
		}
		var got []string
		for _, v := range values {
			got = append(got, strconv.FormatFloat(float64(v), 'g', -1, 32))
		}
		if labelled {
			line = line[1:]
		}
		if strings.Join(got, ",") != strings.Join(line, ",") {
			return fmt.Sprintf("row %d: the network on the standardised row gives %v, wiggle predict printed %v", i, got, line)
		}
	}
	return ""
}

// askAndCompare predicts rows (all at once, or one at a time) and compares
// each answer, formatted as predict formats it, with predict's line.
func askAndCompare(m *model.Model, rows [][]float32, printed [][]string, labelled, oneByOne bool) string {
	var values [][]float32
	var labels []string
	for first := 0; first < len(rows); {
		last := len(rows)
		if oneByOne {
			last = first + 1
		}
		v, err := m.Predict(rows[first:last])
		if err != nil {
			return err.Error()
		}
		values = append(values, v...)
		if labelled {
			l, err := m.Classify(rows[first:last])
			if err != nil {
				return err.Error()
			}
			labels = append(labels, l...)
		}
		first = last
	}
	for i, line := range printed {
		var got []string
		if labelled {
			got = append(got, labels[i])
		}
		for _, v := range values[i] {
			if math.IsNaN(float64(v)) {
				return fmt.Sprintf("row %d: NaN", i)
			}
			got = append(got, strconv.FormatFloat(float64(v), 'g', -1, 32))
		}
		if strings.Join(got, ",") != strings.Join(line, ",") {
			return fmt.Sprintf("row %d: the model package says %v, wiggle predict printed %v", i, got, line)
		}
	}
	return ""
}

// TestOnePReLUOnTheCommandLine: --act prelu and --act 'prelu(weight=0.1)'
// build the same network, the weight being the learnable slope's start:
// 2·8 + 8 weights and biases, 1 slope, 8·2 + 2.
func TestOnePReLUOnTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	var networks []string
	for _, a := range []string{"prelu", "prelu(weight=0.1)"} {
		_, summary := trainSizes(t, dir, "--act", a, "--epochs", "1")
		networks = append(networks, summary["network"].(string))
	}
	if want := "2-8-2: 10 neurons, 43 parameters"; networks[0] != want || networks[1] != want {
		t.Errorf("--act prelu: %q; --act 'prelu(weight=0.1)': %q; want both %q (a learnable slope)", networks[0], networks[1], want)
	}
}

// TestInterruptedLabExits130: lab after Ctrl-C stops before its next
// experiment, writes no report, and says so.
func TestInterruptedLabExits130(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr strings.Builder
	status := run(ctx, []string{"lab", "--quick", "tanh-identity", "--out", dir}, strings.NewReader(""), &stdout, &stderr)
	if status != exitInterrupted || !strings.Contains(stderr.String(), "stopped after 0 of 1 experiments") || !strings.Contains(stderr.String(), "no file was written") {
		t.Errorf("exit %d, stderr %q; want %d, where it stopped, and no file", status, stderr.String(), exitInterrupted)
	}
	if _, err := os.Stat(filepath.Join(dir, "report.json")); err == nil {
		t.Error("an interrupted lab wrote its report")
	}
}

// TestInterruptedEvalPredictBenchExit130: eval, predict and bench with
// their context done (Ctrl-C while they compute) print nothing, write no
// file and exit 130.
func TestInterruptedEvalPredictBenchExit130(t *testing.T) {
	dir := t.TempDir()
	modelPath, out := filepath.Join(dir, "m.safetensors"), filepath.Join(dir, "p.csv")
	if _, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--epochs", "1", "--out", modelPath); status != 0 {
		t.Fatalf("train: exit %d: %s", status, stderr)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, args := range [][]string{
		{"eval", "--model", modelPath, "--data", "spiral"},
		{"predict", "--model", modelPath, "--data", "spiral"},
		{"predict", "--model", modelPath, "--data", "spiral", "--out", out},
		{"bench", "--quick"},
	} {
		var stdout, stderr strings.Builder
		status := run(ctx, args, strings.NewReader(""), &stdout, &stderr)
		if status != exitInterrupted || stdout.Len() != 0 || !strings.Contains(stderr.String(), "interrupted") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %d, nothing printed", args, status, stdout.String(), stderr.String(), exitInterrupted)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("an interrupted predict wrote its --out file")
	}
}

// TestInterruptedCheckpointFails: Ctrl-C during training whose checkpoint
// then cannot be written (its folder removed meanwhile) is a failure of
// the system, exit 1, saying so and naming the path once; not 130, whose
// message promises a saved run.
func TestInterruptedCheckpointFails(t *testing.T) {
	dir := t.TempDir()
	ckptDir := filepath.Join(dir, "ckpt")
	if err := os.Mkdir(ckptDir, 0o755); err != nil {
		t.Fatal(err)
	}
	ckpt, out := filepath.Join(ckptDir, "m.ckpt"), filepath.Join(dir, "m.safetensors")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := &markWriter{mark: "epoch", seen: make(chan struct{})}
	var stdout strings.Builder
	status := make(chan int, 1)
	go func() {
		args := []string{"train", "--data", "spiral", "--epochs", "100000", "--checkpoint", ckpt, "--out", out}
		status <- run(ctx, args, strings.NewReader(""), &stdout, stderr)
	}()
	select {
	case <-stderr.seen: // training has begun, its flags checked
	case s := <-status:
		t.Fatalf("train ended before it was interrupted: exit %d, %q", s, stderr.String())
	}
	if err := os.RemoveAll(ckptDir); err != nil {
		t.Fatal(err)
	}
	cancel()
	got := <-status
	msg := stderr.String()
	if got != 1 || !strings.Contains(msg, "this moment's checkpoint could not be written: --checkpoint") || !strings.Contains(msg, "neither the model nor a checkpoint of this run was saved") ||
		strings.Count(msg, ckpt) != 1 || strings.Contains(msg, "--resume") {
		t.Errorf("exit %d, stderr %q; want 1, saying the checkpoint %s failed and that nothing was saved", got, msg, ckpt)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("an interrupted run wrote its model file")
	}
}

// markWriter collects what is written to it, safe for concurrent use, and
// closes seen once it holds mark.
type markWriter struct {
	mu   sync.Mutex
	b    strings.Builder
	mark string
	seen chan struct{}
	once sync.Once
}

func (w *markWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.b.Write(p)
	if strings.Contains(w.b.String(), w.mark) {
		w.once.Do(func() { close(w.seen) })
	}
	return len(p), nil
}

func (w *markWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// TestInterruptedTrainingExits130 runs `wiggle train` with its context
// already cancelled, as after Ctrl-C: exit 130, a message, no model file.
func TestInterruptedTrainingExits130(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "m.safetensors")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr strings.Builder
	status := run(ctx, []string{"train", "--data", "spiral", "--epochs", "5", "--out", out}, strings.NewReader(""), &stdout, &stderr)
	if status != exitInterrupted || !strings.Contains(stderr.String(), "interrupted") || strings.Contains(stderr.String(), "context canceled") {
		t.Errorf("exit %d, stderr %q; want %d and the cancellation", status, stderr.String(), exitInterrupted)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("an interrupted run wrote its model file")
	}
}

// TestLastCheckpointFailingKeepsTheModel: a checkpoint that cannot be
// written after the last epoch (a full disk) stopped the run before its
// model was saved, all its training lost; now the model is saved and the
// failure said (exit 1). One that fails before the end stops the run.
func TestLastCheckpointFailingKeepsTheModel(t *testing.T) {
	full := errors.New("no space left on device")
	defer func(w func(string, int, *modelio.File) error) { checkpointWriter = w }(checkpointWriter)
	checkpointWriter = func(string, int, *modelio.File) error { return full }
	dir := t.TempDir()
	out := filepath.Join(dir, "m.safetensors")
	var stdout, stderr strings.Builder
	status := run(context.Background(), []string{"train", "--data", "xor", "--epochs", "4", "--checkpoint-every", "2", "--out", out}, strings.NewReader(""), &stdout, &stderr)
	if _, err := os.Stat(out); status != 1 || err == nil || !strings.Contains(stderr.String(), "checkpoint after epoch 2") || !strings.Contains(stderr.String(), "neither the model nor a checkpoint of this run was saved") {
		t.Errorf("a checkpoint failing after epoch 2 of 4: exit %d, model written %v, %q; want 1, no model, the failure and what is left said", status, err == nil, stderr.String())
	}
	// With an earlier checkpoint in place (written whole or not at all), the
	// message says how to go on from it.
	checkpointWriter = func(path string, keep int, f *modelio.File) error {
		if _, err := os.Stat(path); err == nil {
			return full
		}
		return writeCheckpoint(path, keep, f)
	}
	stderr.Reset()
	status = run(context.Background(), []string{"train", "--data", "xor", "--epochs", "6", "--checkpoint-every", "2", "--out", out}, strings.NewReader(""), &stdout, &stderr)
	if want := "checkpoint after epoch 4: --checkpoint " + out + ".ckpt: no space left on device; the model was not saved; " + out + ".ckpt holds the checkpoint of an earlier epoch: once the cause is mended (room on the disk, say), go on from it with the same command and --resume " + out + ".ckpt"; status != 1 || !strings.Contains(stderr.String(), want) {
		t.Errorf("a checkpoint failing after an earlier one: exit %d, %q; want 1 and %q", status, stderr.String(), want)
	}
	os.Remove(out + ".ckpt")
	checkpointWriter = func(string, int, *modelio.File) error { return full }
	stdout.Reset()
	stderr.Reset()
	status = run(context.Background(), []string{"train", "--data", "xor", "--epochs", "4", "--checkpoint-every", "4", "--out", out}, strings.NewReader(""), &stdout, &stderr)
	if status != 1 || !strings.Contains(stderr.String(), "checkpoint after the last epoch: --checkpoint") || !strings.Contains(stderr.String(), "the model was saved to "+out) {
		t.Errorf("the last epoch's checkpoint failing: exit %d, %q; want 1, the model saved and said", status, stderr.String())
	}
	if _, err := modelio.Load(out); err != nil {
		t.Errorf("the model after the last checkpoint failed: %v; want it whole", err)
	}
}
