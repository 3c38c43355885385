package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wigglenn/wiggle/engine"
	"github.com/wigglenn/wiggle/internal/memlimit"
	"github.com/wigglenn/wiggle/internal/testlock"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/train"
)

// TestDivergenceExits3 is the run: relu on the spiral at lr 1e6
// explodes; wiggle stops with exit 3, says where and what helps, and writes
// nothing.
func TestDivergenceExits3(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "m.safetensors")
	_, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--hidden", "64", "--act", "relu", "--lr", "1e6", "--epochs", "20", "--out", out)
	if status != exitDiverged {
		t.Fatalf("exit %d, want %d: %s", status, exitDiverged, stderr)
	}
	for _, want := range []string{"diverged in epoch 1, batch", "first batch's", "lower learning rate (now 1e+06)", "--clip-norm", "the model was not saved"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("message %q lacks %q", stderr, want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a diverged run left %d files: %v", len(entries), entries)
	}
}

// TestDivergenceNamesTheFlagAtFault: a run diverging through one flag's
// value alone (an L2 past what the steps hold) names that flag, not --lr.
func TestDivergenceNamesTheFlagAtFault(t *testing.T) {
	_, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--l2", "1e30", "--epochs", "2", "--out", filepath.Join(t.TempDir(), "m.safetensors"))
	if status != exitDiverged || !strings.Contains(stderr, "L2 1e+30 at learning rate 0.1") || !strings.HasSuffix(stderr, "It must stay below 20 (or the learning rate lower) not to diverge; L2 usually lies between 1e-5 and 1e-2 (--l2, --lr); the model was not saved\n") {
		t.Errorf("train --l2 1e30: exit %d, %q; want 3, naming --l2", status, stderr)
	}
}

// TestDivergedJSON: with --json a run that diverges still prints one JSON
// object, saying so, before it exits with status 3; a run that ends well
// says it did not.
func TestDivergedJSON(t *testing.T) {
	stdout, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--l2", "1e30", "--epochs", "2", "--json", "--out", filepath.Join(t.TempDir(), "m.safetensors"))
	var got divergedSummary
	if err := json.Unmarshal([]byte(stdout), &got); err != nil || status != exitDiverged {
		t.Fatalf("exit %d, stdout %q (%v), stderr %q; want 3 and one JSON object", status, stdout, err, stderr)
	}
	if !got.Diverged || got.Epoch != 1 || got.Cause != "--l2" || !slices.Equal(got.Flags, []string{"--l2", "--lr"}) || got.LR != 0.1 || "wiggle: "+got.Error+"\n" != stderr {
		t.Errorf("%+v; want diverged in epoch 1, --l2 at fault, lr 0.1, the error wiggle printed (%q)", got, stderr)
	}
	if _, err := strconv.ParseFloat(got.Loss, 64); err != nil {
		t.Errorf("loss %q is not a number's spelling", got.Loss)
	}
	stdout, _, status = wiggle(t, "", "train", "--data", "spiral", "--epochs", "1", "--json", "--out", filepath.Join(t.TempDir(), "m.safetensors"))
	var fine map[string]any
	if err := json.Unmarshal([]byte(stdout), &fine); err != nil || status != 0 || fine["diverged"] != false {
		t.Errorf("a run that ends well: exit %d, %q; want 0 and \"diverged\": false", status, stdout)
	}
}

// TestLearntNothingIsSaid: a run that trains without diverging but ends no
// better than always answering the commonest class (an L2 of 1e30 held in
// by clipping) is saved with a warning saying so; one that learnt is not
// warned of.
func TestLearntNothingIsSaid(t *testing.T) {
	out := filepath.Join(t.TempDir(), "m.safetensors")
	_, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--epochs", "3", "--l2", "1e30", "--clip-norm", "1", "--out", out)
	if status != 0 || !strings.Contains(stderr, "warning: the model does no better on its training rows (33.33%) than always answering their most common class (33.33%): it has learnt nothing") {
		t.Errorf("--l2 1e30 --clip-norm 1: exit %d, %q; want 0 and the warning", status, stderr)
	}
	stdout, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--epochs", "10", "--json", "--out", out)
	if status != 0 || strings.Contains(stderr, "learnt nothing") || !strings.Contains(stdout, `"guess_accuracy": 0.3333333333333333`) {
		t.Errorf("10 epochs: exit %d, %q, %s; want no warning, and the guess's accuracy in the JSON", status, stderr, stdout)
	}
}

// TestDeadFromTheStartIsNotBlamedOnTheRate: a learner's run at a learning
// rate of 1e-9, whose relu units were dead at PyTorch's initialisation
// (16% and 28% of them on the spiral), is told so, not told to lower the
// rate; and with --probe on, "learnt nothing" points at its warnings, not
// at --probe.
func TestDeadFromTheStartIsNotBlamedOnTheRate(t *testing.T) {
	out := filepath.Join(t.TempDir(), "m.safetensors")
	_, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--hidden", "32,32", "--epochs", "1", "--lr", "1e-9", "--probe", "--out", out)
	if status != 0 || !strings.Contains(stderr, "were dead at the initial weights, so training killed few if any") ||
		strings.Contains(stderr, "a lower learning rate, leaky_relu") {
		t.Errorf("lr 1e-9 --probe: exit %d, %q; want the dead units told as the initialisation's", status, stderr)
	}
	if !strings.Contains(stderr, "or dead units (the probe's warnings above say which layers have them)") {
		t.Errorf("lr 1e-9 --probe: %q; want \"learnt nothing\" to point at the probe's warnings", stderr)
	}
}

// TestALastStepThatOverflowsSavesNothing: one batch whose loss is finite
// but whose step leaves weights the data overflows (a row of ±3e38) is a
// divergence too: exit 3, no model, and no "first batch's was 0".
func TestALastStepThatOverflowsSavesNothing(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "huge.csv")
	if err := os.WriteFile(csv, []byte("x0,x1,label\n3e38,-3e38,1\n1,2,0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "m.safetensors")
	_, stderr, status := wiggle(t, "", "train", "--data", csv, "--epochs", "1", "--out", out)
	if status != exitDiverged || !strings.Contains(stderr, "diverged in epoch 1: the loss is NaN.") || !strings.Contains(stderr, "the training rows' after the last step; the model was not saved") {
		t.Errorf("exit %d, %q; want %d, a NaN loss and nothing saved", status, stderr, exitDiverged)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("the model was saved")
	}
}

// TestResumeIsByteForByte: for every optimizer, with shuffling and
// dropout, 4 epochs straight and 2 + a resume to 4 give the same model file.
func TestResumeIsByteForByte(t *testing.T) {
	for _, opt := range []string{"sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad"} {
		dir := t.TempDir()
		flags := []string{"train", "--data", "spiral", "--hidden", "16,16", "--dropout", "0.2", "--optimizer", opt, "--lr", "0.01", "--seed", "5", "--batch", "16"}
		straight := filepath.Join(dir, "straight.safetensors")
		if _, stderr, status := wiggle(t, "", append(flags, "--epochs", "4", "--out", straight)...); status != 0 {
			t.Fatal(stderr)
		}
		half := filepath.Join(dir, "half.safetensors")
		if _, stderr, status := wiggle(t, "", append(flags, "--epochs", "2", "--checkpoint-every", "2", "--out", half)...); status != 0 {
			t.Fatal(stderr)
		}
		resumed := filepath.Join(dir, "resumed.safetensors")
		if _, stderr, status := wiggle(t, "", append(flags, "--epochs", "4", "--resume", half+".ckpt", "--out", resumed)...); status != 0 {
			t.Fatalf("%s: resume: %s", opt, stderr)
		}
		a, b := readOrEmpty(straight), readOrEmpty(resumed)
		if !bytes.Equal(a, b) || len(a) == 0 {
			t.Errorf("%s: 4 epochs straight and 2 + resume give different files (%d and %d bytes)", opt, len(a), len(b))
		}
		// The last checkpoint again, as after a kill before the model was
		// saved: the same model; fewer epochs than it holds, refused.
		if _, stderr, status := wiggle(t, "", append(flags, "--epochs", "2", "--resume", half+".ckpt", "--out", resumed)...); status != 0 || !bytes.Equal(readOrEmpty(half), readOrEmpty(resumed)) {
			t.Errorf("%s: a resume from the last checkpoint: exit %d, %q; want the run's model", opt, status, stderr)
		}
		if _, stderr, status := wiggle(t, "", append(flags, "--epochs", "1", "--resume", half+".ckpt", "--out", resumed)...); status != 2 || !strings.Contains(stderr, "is after 2 epochs already; --epochs counts them all, so ask for 2 or more") {
			t.Errorf("%s: --epochs 1 from a checkpoint after 2: exit %d, %q", opt, status, stderr)
		}
	}
}

// readOrEmpty is the file's bytes, or none where it cannot be read.
func readOrEmpty(path string) []byte {
	b, _ := os.ReadFile(path)
	return b
}

// TestDamagedCheckpointNamesTheOneBefore: a checkpoint cut short is
// refused, suggesting the checkpoint --keep left before it where there is
// one, and none where there is none.
func TestDamagedCheckpointNamesTheOneBefore(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "m.safetensors")
	flags := []string{"train", "--data", "xor", "--hidden", "4", "--seed", "2"}
	if _, stderr, status := wiggle(t, "", append(flags, "--epochs", "2", "--checkpoint-every", "1", "--out", out)...); status != 0 {
		t.Fatal(stderr)
	}
	whole, err := os.ReadFile(out + ".ckpt")
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.ckpt")
	if err := os.WriteFile(cut, whole[:len(whole)-100], 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out+".ckpt", whole[:len(whole)-100], 0o644); err != nil { // m.safetensors.ckpt.1 is whole
		t.Fatal(err)
	}
	for _, c := range []struct{ resume, want, not string }{
		{cut, "cut short", "resume from"},
		{out + ".ckpt", "resume from the checkpoint before it, " + shellArg(out+".ckpt.1"), "earlier checkpoint ("},
	} {
		_, stderr, status := wiggle(t, "", append(flags, "--epochs", "3", "--resume", c.resume, "--out", filepath.Join(dir, "r.safetensors"))...)
		if status != 2 || !strings.Contains(stderr, c.want) || strings.Contains(stderr, c.not) {
			t.Errorf("--resume %s: exit %d, stderr %q; want 2, %q and not %q", c.resume, status, stderr, c.want, c.not)
		}
	}
	// A byte of the header changed: no checksum can be read, and the file
	// reads as another kind; the message says it may be a damaged
	// checkpoint and names the one before it (it had said only "not a
	// safetensors file").
	flipped := append([]byte(nil), whole...)
	flipped[9] = '!' // the header's JSON: {"... becomes {!...
	if err := os.WriteFile(out+".ckpt", flipped, 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, status := wiggle(t, "", append(flags, "--epochs", "3", "--resume", out+".ckpt", "--out", filepath.Join(dir, "r.safetensors"))...)
	if want := "(a checkpoint damaged in its header, or another file); resume from the checkpoint before it, " + shellArg(out+".ckpt.1"); status != 2 || !strings.Contains(stderr, want) {
		t.Errorf("--resume of a checkpoint whose header was changed: exit %d, stderr %q; want 2 and %q", status, stderr, want)
	}
	// With --keep 2's second there too, both are named.
	if err := os.WriteFile(out+".ckpt.2", whole, 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, status = wiggle(t, "", append(flags, "--epochs", "3", "--resume", out+".ckpt", "--out", filepath.Join(dir, "r.safetensors"))...)
	if want := "resume from an earlier checkpoint (" + shellArg(out+".ckpt.1") + ", " + shellArg(out+".ckpt.2") + ", ...)"; status != 2 || !strings.Contains(stderr, want) {
		t.Errorf("--resume with .1 and .2 there: exit %d, stderr %q; want 2 and %q", status, stderr, want)
	}
}

// TestResumeRefusesRenamedClasses: the same rows with their labels
// renamed pass the rows' print (the labels are indices there), but the
// model would go on under other class names: refused, naming both.
func TestResumeRefusesRenamedClasses(t *testing.T) {
	dir := t.TempDir()
	numbered := filepath.Join(dir, "n.csv")
	named := filepath.Join(dir, "c.csv")
	var n, c strings.Builder
	n.WriteString("x0,x1,label\n")
	c.WriteString("x0,x1,label\n")
	for i := range 30 {
		fmt.Fprintf(&n, "%d,%d,%d\n", i, i%4, i%3)
		fmt.Fprintf(&c, "%d,%d,%s\n", i, i%4, []string{"cat", "dog", "emu"}[i%3])
	}
	os.WriteFile(numbered, []byte(n.String()), 0o644)
	os.WriteFile(named, []byte(c.String()), 0o644)
	out := filepath.Join(dir, "m.safetensors")
	flags := []string{"train", "--hidden", "4", "--standardize"}
	if _, stderr, status := wiggle(t, "", append(flags, "--data", numbered, "--epochs", "1", "--checkpoint-every", "1", "--out", out)...); status != 0 {
		t.Fatal(stderr)
	}
	_, stderr, status := wiggle(t, "", append(flags, "--data", named, "--epochs", "2", "--resume", out+".ckpt", "--out", out)...)
	if want := `--data's classes are "cat", "dog", "emu", the checkpoint's run's were "0", "1", "2"`; status != 2 || !strings.Contains(stderr, want) {
		t.Errorf("resume on renamed labels: exit %d, %q; want 2 and %q", status, stderr, want)
	}
	if _, stderr, status := wiggle(t, "", append(flags, "--data", numbered, "--epochs", "2", "--resume", out+".ckpt", "--out", out)...); status != 0 {
		t.Errorf("resume on the same labels: exit %d, %q", status, stderr)
	}
}

// TestResumedProbeOutHoldsEveryEpoch: a resumed run's --probe-out holds
// the epochs before its checkpoint too (the checkpoint carries them), the
// same bytes as a run straight through.
func TestResumedProbeOutHoldsEveryEpoch(t *testing.T) {
	dir := t.TempDir()
	flags := []string{"train", "--data", "spiral", "--hidden", "8,8", "--act", "tanh", "--seed", "3", "--batch", "20"}
	straight := filepath.Join(dir, "straight.json")
	if _, stderr, status := wiggle(t, "", append(flags, "--epochs", "4", "--probe-out", straight, "--out", filepath.Join(dir, "s.safetensors"))...); status != 0 {
		t.Fatal(stderr)
	}
	half := filepath.Join(dir, "half.safetensors")
	if _, stderr, status := wiggle(t, "", append(flags, "--epochs", "2", "--checkpoint-every", "2", "--probe", "--out", half)...); status != 0 {
		t.Fatal(stderr)
	}
	resumed := filepath.Join(dir, "resumed.json")
	_, stderr, status := wiggle(t, "", append(flags, "--epochs", "4", "--resume", half+".ckpt", "--probe-out", resumed, "--out", filepath.Join(dir, "r.safetensors"))...)
	if status != 0 || !strings.Contains(stderr, "resuming "+half+".ckpt after epoch 2\n") || strings.Contains(stderr, "without --probe") {
		t.Fatalf("resume: exit %d, %s", status, stderr)
	}
	a, _ := os.ReadFile(straight)
	b, _ := os.ReadFile(resumed)
	if !bytes.Equal(a, b) || !bytes.Contains(b, []byte(`"epoch": 1`)) || !bytes.Contains(b, []byte(`"epoch": 4`)) {
		t.Errorf("--probe-out straight and resumed differ:\n%s\n---\n%s", a, b)
	}
	// A checkpoint written without --probe cannot give the epochs before it: said, not silent.
	plain := filepath.Join(dir, "plain.safetensors")
	if _, stderr, status := wiggle(t, "", append(flags, "--epochs", "2", "--checkpoint-every", "2", "--out", plain)...); status != 0 {
		t.Fatal(stderr)
	}
	_, stderr, status = wiggle(t, "", append(flags, "--epochs", "3", "--resume", plain+".ckpt", "--probe", "--out", plain)...)
	if want := "was written without --probe: the layer health (and --probe-out) covers the epochs from 3 on"; status != 0 || !strings.Contains(stderr, want) {
		t.Errorf("resume with --probe of a checkpoint without: exit %d, %q; want a warning %q", status, stderr, want)
	}
}

// TestResumeGivesEachWarningOnce: the probe's warnings of the epochs before
// a checkpoint (dead relu units at lr 3) are not given again on resume.
func TestResumeGivesEachWarningOnce(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "m.safetensors")
	flags := []string{"train", "--data", "spiral", "--act", "relu", "--lr", "3", "--probe", "--checkpoint-every", "2", "--out", out}
	_, stderr, status := wiggle(t, "", append(flags, "--epochs", "2")...)
	if status != 0 || !strings.Contains(stderr, "units are dead") {
		t.Fatalf("exit %d, %q; want a warning of dead units", status, stderr)
	}
	_, stderr, status = wiggle(t, "", append(flags, "--epochs", "4", "--resume", out+".ckpt")...)
	if status != 0 || strings.Contains(stderr, "warning: layer") { // the probe's warnings; "learnt nothing" is of the end
		t.Errorf("resumed: exit %d, %q; want no warning given before", status, stderr)
	}
}

// TestResumeRefusesOtherFlags: a checkpoint goes on only with the flags
// that made it, and the error names the difference.
func TestResumeRefusesOtherFlags(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "m.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--hidden", "8", "--epochs", "1", "--checkpoint-every", "1", "--out", out); status != 0 {
		t.Fatal(stderr)
	}
	_, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--hidden", "9,9", "--lr", "0.05", "--weight-init", "he-normal", "--l1", "0.001", "--epochs", "3", "--resume", out+".ckpt", "--out", out)
	for _, want := range []string{"--hidden 9,9 here, 8 in the checkpoint", "--lr 0.05 here, 0.1 in the checkpoint", "--weight-init he-normal here, default in the checkpoint", "--l1 0.001 here, 0 in the checkpoint", "start a new run: --init " + out + ".ckpt"} {
		if status != 2 || !strings.Contains(stderr, want) {
			t.Errorf("resume with other flags: exit %d, %q; want 2 and %q", status, stderr, want)
		}
	}
	// The hint's --init takes a checkpoint's weights, whatever state its optimizer keeps beside them.
	adam := filepath.Join(dir, "adam.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--hidden", "8", "--optimizer", "adam", "--lr", "0.01", "--epochs", "1", "--checkpoint-every", "1", "--out", adam); status != 0 {
		t.Fatal(stderr)
	}
	if _, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--hidden", "8", "--epochs", "1", "--init", adam+".ckpt", "--out", adam+".2"); status != 0 {
		t.Errorf("--init from an adam checkpoint, as the hint says: exit %d, %q", status, stderr)
	}
	// Other widths are named as a flag, before the optimizer's state is held to the network they shape.
	_, stderr, status = wiggle(t, "", "train", "--data", "spiral", "--hidden", "16", "--optimizer", "adam", "--lr", "0.01", "--epochs", "3", "--resume", adam+".ckpt", "--out", adam+".5")
	if want := "--hidden 16 here, 8 in the checkpoint"; status != 2 || !strings.Contains(stderr, want) || strings.Contains(stderr, "exp_avg") {
		t.Errorf("resume of an adam run with other widths: exit %d, %q; want 2 and %q alone", status, stderr, want)
	}
	// A file that is no checkpoint keeps every tensor: one the network lacks is named, whatever its name.
	m, err := modelio.Load(adam + ".2")
	if err != nil {
		t.Fatal(err)
	}
	stray := append(modelio.StateDict(m.Net), modelio.Tensor{Name: "optimizer.0.weight.momentum_buffer", Shape: []int{1}, Data: []float32{0}})
	if err := modelio.WriteFile(adam+".3", &modelio.File{Tensors: stray}); err != nil {
		t.Fatal(err)
	}
	if _, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--hidden", "8", "--epochs", "1", "--init", adam+".3", "--out", adam+".4"); status != 2 || !strings.Contains(stderr, "tensor optimizer.0.weight.momentum_buffer [1] is not a parameter of the network") {
		t.Errorf("--init from a state_dict with a stray tensor: exit %d, %q; want 2 naming it", status, stderr)
	}
	// The run's last checkpoint, its model not saved (killed between the
	// two): the resume trains nothing and saves the model the run would
	// have (a kill there had left a run no resume could finish).
	again := filepath.Join(dir, "again.safetensors")
	stdout, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--hidden", "8", "--epochs", "1", "--resume", out+".ckpt", "--out", again)
	if a, b := readOrEmpty(out), readOrEmpty(again); status != 0 || !bytes.Equal(a, b) || len(a) == 0 || !strings.Contains(stdout, "epochs    1, all before the resume") {
		t.Errorf("resume from the last epoch's checkpoint: exit %d, %q, %q, files of %d and %d bytes; want the run's model again", status, stdout, stderr, len(a), len(b))
	}
	if _, stderr, status := wiggle(t, "", "eval", "--model", out+".ckpt", "--data", "spiral"); status != 0 {
		t.Errorf("wiggle eval of a checkpoint: %s", stderr)
	}
	_, stderr, status = wiggle(t, "", "train", "--data", "spiral", "--hidden", "8", "--epochs", "3", "--resume", out, "--out", out+".2")
	if status != 2 || !strings.Contains(stderr, "not a checkpoint") {
		t.Errorf("resume from a model file: exit %d, %q", status, stderr)
	}
	// An activation is compared as the catalogue writes it, not as typed.
	elu := filepath.Join(dir, "elu.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--hidden", "8", "--act", "elu", "--epochs", "1", "--checkpoint-every", "1", "--out", elu); status != 0 {
		t.Fatal(stderr)
	}
	if _, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--hidden", "8", "--act", "elu(alpha=1.0)", "--epochs", "2", "--resume", elu+".ckpt", "--out", elu); status != 0 {
		t.Errorf("resume with --act elu(alpha=1.0) of a run with --act elu: exit %d, %s", status, stderr)
	}
}

// TestResumeComparesDataFilesNotTheirSpelling: a run resumed from another
// directory goes on when its --data names the checkpoint's file by
// another path (relative, through a link, or moved), and is refused when
// the same relative path names another file there, or when the file has
// changed since: the rows decide.
func TestResumeComparesDataFilesNotTheirSpelling(t *testing.T) {
	dir := t.TempDir()
	first, second := filepath.Join(dir, "first"), filepath.Join(dir, "second")
	for _, d := range []string{first, second} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	table, _, status := wiggle(t, "", "data", "gen", "spiral", "--n", "50")
	other, _, _ := wiggle(t, "", "data", "gen", "spiral", "--n", "50", "--seed", "2")
	if status != 0 || table == other {
		t.Fatalf("data gen: exit %d, or two seeds gave one table", status)
	}
	for path, content := range map[string]string{filepath.Join(first, "d.csv"): table, filepath.Join(second, "d.csv"): other} {
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(first, "d.csv"), filepath.Join(second, "link.csv")); err != nil {
		t.Fatal(err)
	}
	ckpt := filepath.Join(dir, "m.safetensors.ckpt")
	t.Chdir(first)
	flags := []string{"train", "--target", "label", "--hidden", "4", "--checkpoint-every", "1", "--checkpoint", ckpt, "--out", filepath.Join(dir, "m.safetensors")}
	if _, stderr, status := wiggle(t, "", append(flags, "--data", "d.csv", "--epochs", "1")...); status != 0 {
		t.Fatalf("train: exit %d: %s", status, stderr)
	}
	t.Chdir(second)
	for _, data := range []string{"../first/d.csv", "link.csv"} {
		if _, stderr, status := wiggle(t, "", append(flags, "--data", data, "--epochs", "2", "--resume", ckpt, "--checkpoint", filepath.Join(dir, "again.ckpt"))...); status != 0 {
			t.Errorf("resume with --data %s, the checkpoint's file: exit %d: %s", data, status, stderr)
		}
	}
	want := "--data holds other rows than the checkpoint's run read"
	if _, stderr, status := wiggle(t, "", append(flags, "--data", "d.csv", "--epochs", "2", "--resume", ckpt)...); status != 2 || !strings.Contains(stderr, want) {
		t.Errorf("resume with --data d.csv, another file by the same name: exit %d, %q; want 2 and %q", status, stderr, want)
	}
	// a copy of the checkpoint's file elsewhere, the original gone (a folder moved)
	moved := filepath.Join(dir, "moved.csv")
	if err := os.Rename(filepath.Join(first, "d.csv"), moved); err != nil {
		t.Fatal(err)
	}
	if _, stderr, status := wiggle(t, "", append(flags, "--data", moved, "--epochs", "2", "--resume", ckpt, "--checkpoint", filepath.Join(dir, "again.ckpt"))...); status != 0 {
		t.Errorf("resume with the checkpoint's file moved: exit %d: %s", status, stderr)
	}
	if err := os.Rename(moved, filepath.Join(first, "d.csv")); err != nil {
		t.Fatal(err)
	}
	// the checkpoint's own file, changed since: a row fewer
	lines := strings.SplitAfter(table, "\n")
	if err := os.WriteFile(filepath.Join(first, "d.csv"), []byte(strings.Join(lines[:len(lines)-2], "")), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, status := wiggle(t, "", append(flags, "--data", "../first/d.csv", "--epochs", "2", "--resume", ckpt)...); status != 2 || !strings.Contains(stderr, "--data holds other rows than the checkpoint's run read: the file has changed since") {
		t.Errorf("resume with the checkpoint's file, a row shorter: exit %d, %q; want 2 and --data's rows named", status, stderr)
	}
}

// TestTrainRefusesANetworkThatCannotFit: a network whose weights,
// gradients and optimizer state alone pass the memory left is refused
// before it is built, exit 2, saying how much it takes and which limit
// leaves how much; one that fits trains. compare counts the networks it
// keeps.
func TestTrainRefusesANetworkThatCannotFit(t *testing.T) {
	defer func(get func() []memlimit.Room) { memoryRooms = get }(memoryRooms)
	memoryRooms = func() []memlimit.Room { return []memlimit.Room{{Bytes: 50e6, Limit: memlimit.Machine}} }
	out := filepath.Join(t.TempDir(), "m.safetensors")
	_, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--hidden", "4096,4096", "--optimizer", "adam", "--lr", "0.01", "--out", out)
	want := "--hidden 4096,4096: the network's 1.681e+07 parameters take at least 269 MB (in float32: the weights, their gradients, adam's state (2 floats a weight)), more than the 50 MB that the memory free on this machine (with free swap) leaves; choose narrower layers, or free memory\n"
	if status != 2 || !strings.Contains(stderr, want) || strings.Contains(stderr, "--help") {
		t.Errorf("exit %d, %q; want 2 saying %q, with no usage hint", status, stderr, want)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a refused network was saved")
	}
	if _, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--hidden", "64", "--epochs", "1", "--out", out); status != 0 {
		t.Errorf("a network of 4,611 parameters in 50 MB: exit %d, %q", status, stderr)
	}
	// compare --plot keeps every run's network: 2 activations × 3 seeds of 1.06M parameters, 4·(4·6+2)·1.06M bytes
	_, stderr, status = wiggle(t, "", "compare", "--hidden", "1024,1024", "--acts", "relu,tanh", "--epochs", "1", "--plot", filepath.Join(t.TempDir(), "plots"))
	want = "--hidden 1024,1024: the network's 1.056e+06 parameters take at least 110 MB (in float32: the weights and gradients of 6 runs, kept for the plots"
	if status != 2 || !strings.Contains(stderr, want) || !strings.Contains(stderr, "than the 50 MB") {
		t.Errorf("compare --plot: exit %d, %q; want 2 saying %q", status, stderr, want)
	}
	// Without --plot it holds the networks of the runs trained at once: at
	// least one, 4·(4+2)·1.06M bytes, more than 20 MB.
	memoryRooms = func() []memlimit.Room { return []memlimit.Room{{Bytes: 20e6, Limit: memlimit.Machine}} }
	_, stderr, status = wiggle(t, "", "compare", "--hidden", "1024,1024", "--acts", "relu,tanh", "--epochs", "1")
	want = fmt.Sprintf("the weights and gradients of the %s trained at once", plural(min(6, engine.Threads()), "run"))
	if status != 2 || !strings.Contains(stderr, want) {
		t.Errorf("compare: exit %d, %q; want 2 saying %q", status, stderr, want)
	}
	// --threads 1 trains one run at a time: 4·(4+2)·1.06M bytes, 25 MB.
	_, stderr, status = wiggle(t, "", "--threads", "1", "compare", "--hidden", "1024,1024", "--acts", "relu,tanh", "--epochs", "1")
	if want := "the weights and gradients of the 1 run trained at once"; status != 2 || !strings.Contains(stderr, want) || !strings.HasSuffix(stderr, "; choose narrower layers, or free memory\n") {
		t.Errorf("compare --threads 1: exit %d, %q; want 2 saying %q", status, stderr, want)
	}
}

// TestDataThatCannotFitIsRefused: a CSV file whose numbers pass the memory
// left is refused before its rows are read, exit 2, naming the file.
func TestDataThatCannotFitIsRefused(t *testing.T) {
	defer func(get func() []memlimit.Room) { memoryRooms = get }(memoryRooms)
	memoryRooms = func() []memlimit.Room { return []memlimit.Room{{Bytes: 1000, Limit: memlimit.Container}} }
	path := filepath.Join(t.TempDir(), "d.csv")
	os.WriteFile(path, []byte("x,y,label\n"+strings.Repeat("1,2,0\n3,4,1\n", 50)), 0o644)
	for _, cmd := range [][]string{{"train", "--data", path}, {"data", "show", path}} {
		_, stderr, status := wiggle(t, "", cmd...)
		want := path + ": its numbers take 0.0012 MB as float32 (100 rows of 3), more than the 0.001 MB that the container's memory limit (its cgroup) leaves; use a smaller file, or raise the container's memory limit\n"
		if status != 2 || !strings.Contains(stderr, want) || strings.Contains(stderr, "--help") {
			t.Errorf("%s: exit %d, %q; want 2 saying %q, with no usage hint", cmd[0], status, stderr, want)
		}
	}
	// A model file is refused before it is read, with what reading it builds.
	memoryRooms = func() []memlimit.Room { return nil }
	model := filepath.Join(t.TempDir(), "m.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", path, "--hidden", "4", "--epochs", "1", "--out", model); status != 0 {
		t.Fatal(stderr)
	}
	memoryRooms = func() []memlimit.Room { return []memlimit.Room{{Bytes: 1000, Limit: memlimit.Machine}} }
	for _, cmd := range [][]string{{"eval", "--model", model, "--data", path}, {"predict", "--model", model, "--data", path}, {"export", "--model", model, "--out", model + ".onnx"}} {
		_, stderr, status := wiggle(t, "", cmd...)
		if status != 2 || !strings.Contains(stderr, "--model "+model+": reading its ") || !strings.Contains(stderr, " times the file, as measured") || !strings.HasSuffix(stderr, "; free memory\n") {
			t.Errorf("%s: exit %d, %q; want 2 refusing the model", cmd[0], status, stderr)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"train", "--data", "spiral", "--hidden", "4", "--init", model, "--out", model + "2"}, "--init " + model + ": reading its "},
		{[]string{"import", model, "--out", model + "3"}, "wiggle: " + model + ": reading its "}, // an argument, no flag: the message starts with the file
	} {
		memoryRooms = func() []memlimit.Room { return []memlimit.Room{{Bytes: 1000, Limit: memlimit.Machine}} }
		if c.args[0] == "train" { // the network must fit: only the file does not
			memoryRooms = func() []memlimit.Room { return []memlimit.Room{{Bytes: 400, Limit: memlimit.Machine}} }
		}
		_, stderr, status := wiggle(t, "", c.args...)
		if status != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, %q; want 2 saying %q", c.args[0], status, stderr, c.want)
		}
	}
}

// TestTrainUnderAnAddressSpaceLimit runs wiggle under ulimit -v: a network
// too large for it is refused with a message, never Go's fatal "out of
// memory" and its stack trace.
func TestTrainUnderAnAddressSpaceLimit(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("memlimit reads Linux's limits")
	}
	bin := buildWiggle(t)
	limited := func(kib string, args ...string) (string, int) {
		cmd := exec.Command("bash", append([]string{"-c", `ulimit -v "$0" && exec "$@"`, kib, bin}, args...)...)
		out, _ := cmd.CombinedOutput()
		return string(out), cmd.ProcessState.ExitCode()
	}
	if out, status := limited("1900000", "act", "list"); status != 0 {
		t.Skipf("wiggle does not start in 1.9 GB of address space here (exit %d): %.200s", status, out)
	}
	out, status := limited("1900000", "train", "--data", "spiral", "--hidden", "8192,8192", "--epochs", "1", "--out", filepath.Join(t.TempDir(), "m.safetensors"))
	if status != 2 || !strings.Contains(out, "--hidden 8192,8192: the network's 6.717e+07 parameters take at least 537 MB") || !strings.Contains(out, "the address-space limit (ulimit -v) leaves (the process maps ") || !strings.HasSuffix(out, "; choose narrower layers, or raise the limit (ulimit -v)\n") || strings.Contains(out, "goroutine") {
		t.Errorf("train of 67M parameters under ulimit -v 1900000: exit %d, %.600s; want 2 and a message", status, out)
	}
}

// buildWiggle builds the command for tests that need a real process.
func buildWiggle(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "wiggle")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// bigSpiral writes a spiral large enough for epochs of a few tens of
// milliseconds.
func bigSpiral(t *testing.T, bin, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "spiral.csv")
	out, err := exec.Command(bin, "data", "gen", "spiral", "--n", "3000", "--seed", "2").Output()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCtrlCSavesAndResumes sends SIGINT to a training process: it finishes
// its step, writes a checkpoint, says how to resume and exits 130; resuming
// from the middle of that epoch gives the file a run never interrupted
// writes, byte for byte.
func TestCtrlCSavesAndResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("runs wiggle train in processes")
	}
	testlock.Exclusive(t)
	bin := buildWiggle(t)
	dir := t.TempDir()
	csvPath := bigSpiral(t, bin, dir)
	flags := []string{"train", "--data", csvPath, "--hidden", "64,64", "--dropout", "0.1", "--optimizer", "adam", "--lr", "0.003", "--batch", "4", "--epochs", "12"}
	straight := filepath.Join(dir, "straight.safetensors")
	if out, err := exec.Command(bin, append(flags, "--out", straight)...).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	out := filepath.Join(dir, "m.safetensors")
	cmd := exec.Command(bin, append(flags, "--out", out)...)
	stderr := interruptAfter(t, cmd, "epoch  1/") // the first line is always written (progress)
	err := cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 130 {
		t.Fatalf("after SIGINT: exit %d (%v), want 130: %s", code, err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "--resume "+out+".ckpt") {
		t.Errorf("the message does not say how to resume: %s", stderr.String())
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("an interrupted run wrote its model file")
	}
	ckpt, err := modelio.ReadFile(out + ".ckpt")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("checkpoint: %s", ckpt.Metadata[train.CheckpointKey][:60])
	if o, err := exec.Command(bin, append(flags, "--resume", out+".ckpt", "--out", out)...).CombinedOutput(); err != nil {
		t.Fatalf("resume: %v: %s", err, o)
	}
	a, _ := os.ReadFile(straight)
	b, _ := os.ReadFile(out)
	if !bytes.Equal(a, b) {
		t.Error("interrupted and resumed, the run wrote another file than a run never interrupted")
	}
}

// interruptAfter starts cmd and sends it SIGINT as soon as a line of its
// standard error holds mark (a point in the middle of its run, whatever
// the machine's speed); it returns all its standard error once the
// process has closed it. The caller then Waits.
func interruptAfter(t *testing.T, cmd *exec.Cmd, mark string) *bytes.Buffer {
	t.Helper()
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var all bytes.Buffer
	seen, done := make(chan struct{}), make(chan struct{})
	go func(notify chan struct{}) {
		defer close(done)
		lines := bufio.NewScanner(pipe)
		for lines.Scan() {
			all.WriteString(lines.Text() + "\n")
			if notify != nil && strings.Contains(lines.Text(), mark) {
				close(notify)
				notify = nil
			}
		}
		io.Copy(&all, pipe) // whatever stopped the scanner (a line too long), keep draining: a full pipe would block the child
	}(seen)
	select {
	case <-seen:
		cmd.Process.Signal(syscall.SIGINT)
	case <-done:
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		t.Errorf("no line with %q within a minute", mark)
	}
	<-done
	return &all
}

// TestKilledWhileCheckpointing kills a training process that checkpoints
// every epoch, at random moments, 30 times: every checkpoint path holds a
// whole file that loads, or nothing; a clean run leaves no temporary file.
func TestKilledWhileCheckpointing(t *testing.T) {
	if testing.Short() {
		t.Skip("kills wiggle train processes")
	}
	testlock.Exclusive(t)
	bin := buildWiggle(t)
	dir := t.TempDir()
	csvPath := bigSpiral(t, bin, dir)
	out := filepath.Join(dir, "m.safetensors")
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 30 {
		cmd := exec.Command(bin, "train", "--data", csvPath, "--hidden", "16", "--batch", "256", "--epochs", "1000",
			"--checkpoint-every", "1", "--keep", "2", "--out", out)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(100+rng.IntN(400)) * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()
		for _, path := range []string{out + ".ckpt", out + ".ckpt.1", out + ".ckpt.2"} {
			if _, err := os.Stat(path); err != nil {
				continue
			}
			if _, err := modelio.Load(path); err != nil {
				t.Fatalf("kill %d: %s does not load: %v", i+1, path, err)
			}
		}
	}
	clean := filepath.Join(t.TempDir(), "clean.safetensors")
	if o, err := exec.Command(bin, "train", "--data", csvPath, "--hidden", "16", "--epochs", "2", "--checkpoint-every", "1", "--out", clean).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, o)
	}
	entries, _ := os.ReadDir(filepath.Dir(clean))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("a clean run left %s", e.Name())
		}
	}
	if len(entries) != 3 { // the model, its checkpoint and the one before
		t.Errorf("a clean run with --checkpoint-every 1 --keep 1 left %d files, want 3", len(entries))
	}
}

// TestSaveErrorsNameThePath: an --out that cannot be a file, or where
// nothing can be written (/proc, which takes no new files, even from
// root), is refused before training (exit 2); one that refuses the bytes
// when the model is saved (/dev/full) is reported with its path (exit 1).
func TestSaveErrorsNameThePath(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "not-a-folder")
	os.WriteFile(blocker, []byte("x"), 0o644)
	train := []string{"train", "--data", "spiral", "--hidden", "4", "--epochs", "1", "--out"}
	_, stderr, status := wiggle(t, "", append(train, filepath.Join(blocker, "m.safetensors"))...)
	if status != 2 || !strings.Contains(stderr, blocker+" is a file, not a folder") {
		t.Errorf("--out under a file: exit %d, %q; want 2 naming the path", status, stderr)
	}
	if b, _ := os.ReadFile(blocker); string(b) != "x" {
		t.Error("the file in the way was changed")
	}
	if _, err := os.Stat("/proc/self"); err == nil {
		_, stderr, status = wiggle(t, "", append(train, "/proc/m.safetensors")...)
		if status != 2 || !strings.Contains(stderr, "--out /proc/m.safetensors: no new file can be made in /proc") || strings.Contains(stderr, "epoch 1/") {
			t.Errorf("--out /proc/m.safetensors: exit %d, %q; want 2 naming the path, before training", status, stderr)
		}
	}
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full to refuse the bytes")
	}
	_, stderr, status = wiggle(t, "", append(train, "/dev/full")...)
	if status != 1 || !strings.Contains(stderr, "/dev/full") || !strings.Contains(stderr, "no space left on device") {
		t.Errorf("--out /dev/full: exit %d, %q; want 1 naming the path and the failure", status, stderr)
	}
}

// TestDifferencesSpeakOfFlags: the settings a resume compares are named by
// their flags and printed as typed, an empty one as "".
func TestDifferencesSpeakOfFlags(t *testing.T) {
	a := runFlags{Init: "", Hidden: []int{4, 4}, Shuffle: true, Seed: 1<<60 + 1}
	b := runFlags{Init: "w.safetensors", Hidden: nil, Shuffle: true, Seed: 1 << 60}
	b.Optimizer.Momentum = 0.9
	got := strings.Join(differences(a, b), "; ")
	want := `--hidden 4,4 here, "" in the checkpoint; --init "" here, w.safetensors in the checkpoint; --momentum 0 here, 0.9 in the checkpoint; ` +
		`--seed 1152921504606846977 here, 1152921504606846976 in the checkpoint` // above 2^53: told apart exactly
	if got != want {
		t.Errorf("differences:\n%s\nwant\n%s", got, want)
	}
}

// TestDifferencesOfPaths: differences takes --data as the file it names
// where both files are recorded and there, and as the text typed where
// one is not (a checkpoint from before files were recorded, a folder
// moved since, a built-in set).
func TestDifferencesOfPaths(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	for _, p := range []string{a, b} {
		if err := os.WriteFile(p, []byte("x,label\n1,0\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gone := filepath.Join(dir, "moved", "a.csv")
	for _, c := range []struct {
		name       string
		here, ckpt runFlags
		want       string // "" for none
	}{
		{"the same file, typed otherwise", runFlags{Data: "a.csv", DataFile: a}, runFlags{Data: "../x/a.csv", DataFile: a}, ""},
		{"another file, typed alike", runFlags{Data: "a.csv", DataFile: a}, runFlags{Data: "a.csv", DataFile: b}, "--data " + a + " here, " + b + " in the checkpoint"},
		{"a checkpoint without files, typed alike", runFlags{Data: "a.csv", DataFile: a}, runFlags{Data: "a.csv"}, ""},
		{"a checkpoint without files, typed otherwise", runFlags{Data: "a.csv", DataFile: a}, runFlags{Data: "b.csv"}, "--data a.csv here, b.csv in the checkpoint"},
		{"a folder moved since, typed alike", runFlags{Data: "a.csv", DataFile: a}, runFlags{Data: "a.csv", DataFile: gone}, ""},
		{"a built-in set", runFlags{Data: "spiral"}, runFlags{Data: "circle"}, "--data spiral here, circle in the checkpoint"},
		{"another built-in set, rows told", runFlags{Data: "moons", DataPrint: "2 rows, CRC-32C 1"}, runFlags{Data: "spiral", DataPrint: "2 rows, CRC-32C 2"}, "--data moons here, spiral in the checkpoint"},
		{"a built-in set's other rows", runFlags{Data: "spiral", DataPrint: "2 rows, CRC-32C 1"}, runFlags{Data: "spiral", DataPrint: "2 rows, CRC-32C 2"}, "--data spiral makes other rows than it made for the checkpoint's run: another version of wiggle wrote the checkpoint"},
		{"a file for a built-in set of other rows", runFlags{Data: "s.csv", DataFile: a, DataPrint: "2 rows, CRC-32C 1"}, runFlags{Data: "spiral", DataPrint: "2 rows, CRC-32C 2"}, "--data holds other rows than the checkpoint's run made with --data spiral: give --data spiral"},
		{"a built-in set for a file of other rows", runFlags{Data: "moons", DataPrint: "2 rows, CRC-32C 1"}, runFlags{Data: "moons2.csv", DataFile: a, DataPrint: "2 rows, CRC-32C 2"}, "--data moons makes other rows than the checkpoint's run read from moons2.csv: give that file"},
		{"--init's file, typed otherwise", runFlags{Init: "a.csv", InitFile: a}, runFlags{Init: "x/a.csv", InitFile: a}, ""},
		{"the same rows elsewhere", runFlags{Data: "b.csv", DataFile: b, DataPrint: "2 rows, CRC-32C 1"}, runFlags{Data: "a.csv", DataFile: a, DataPrint: "2 rows, CRC-32C 1"}, ""},
		{"other rows", runFlags{Data: "a.csv", DataFile: a, DataPrint: "2 rows, CRC-32C 1"}, runFlags{Data: "a.csv", DataFile: a, DataPrint: "2 rows, CRC-32C 2"}, "--data holds other rows than the checkpoint's run read: the file has changed since, or is another; give the file it trained on"},
		{"other rows of another --target", runFlags{Data: "a.csv", Target: "x", DataPrint: "2 rows, CRC-32C 1"}, runFlags{Data: "a.csv", Target: "label", DataPrint: "2 rows, CRC-32C 2"}, "--target x here, label in the checkpoint"},
		{"other columns left out", runFlags{Data: "a.csv", Ignore: []string{"b"}, DataPrint: "2 rows, CRC-32C 1"}, runFlags{Data: "a.csv", Ignore: []string{"a"}, DataPrint: "2 rows, CRC-32C 2"}, "--ignore b here, a in the checkpoint"},
		{"none left out here", runFlags{Data: "a.csv", DataPrint: "2 rows, CRC-32C 1"}, runFlags{Data: "a.csv", Ignore: []string{"a"}, DataPrint: "2 rows, CRC-32C 2"}, `--ignore "" here, a in the checkpoint`},
	} {
		got := strings.Join(differences(c.here, c.ckpt), "; ")
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
