package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/internal/reftest"
	"github.com/wigglenn/wiggle/modelio"
)

// TestTrainMatchesPyTorch replays each PyTorch reference run through
// `wiggle train` with its own flags, from its --init file and CSV, and
// compares the saved tensors with PyTorch's final ones.
func TestTrainMatchesPyTorch(t *testing.T) {
	for _, run := range reftest.LoadAll(t, "../../train/testdata") {
		t.Run(run.Name, func(t *testing.T) {
			dir := t.TempDir()
			csvPath, initPath := reftest.WriteRunFiles(t, run, dir)
			out := filepath.Join(dir, "model.safetensors")
			args := append([]string{"train", "--data", csvPath, "--target", "label", "--init", initPath, "--out", out}, run.Flags...)
			_, stderr, status := wiggle(t, "", args...)
			if status != 0 {
				t.Fatalf("wiggle %v: exit %d: %s", args, status, stderr)
			}
			f, err := modelio.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			for name, want := range run.Final {
				got := f.Tensor(name)
				if got == nil {
					t.Fatalf("the model has no tensor %s", name)
				}
				e := reftest.RelErr(got.Data, want.Values)
				t.Logf("%s: relative error %.2g", name, e)
				if e > 1e-4 {
					t.Errorf("%s: ‖wiggle − PyTorch‖/‖PyTorch‖ = %.2g, want ≤ 1e-4", name, e)
				}
			}
		})
	}
}

// TestTrainIsRepeatable trains twice with shuffling and dropout from one seed
// and compares the files byte for byte.
func TestTrainIsRepeatable(t *testing.T) {
	run := reftest.LoadRuns(t, "../../train/testdata")[0]
	dir := t.TempDir()
	csvPath, _ := reftest.WriteRunFiles(t, run, dir)
	var files [2][]byte
	for i := range files {
		out := filepath.Join(dir, "m.safetensors")
		_, stderr, status := wiggle(t, "", "train", "--data", csvPath, "--target", "label", "--hidden", "8,8",
			"--dropout", "0.2", "--shuffle=true", "--seed", "7", "--epochs", "3", "--batch", "8", "--out", out)
		if status != 0 {
			t.Fatalf("exit %d: %s", status, stderr)
		}
		var err error
		if files[i], err = os.ReadFile(out); err != nil {
			t.Fatal(err)
		}
	}
	if string(files[0]) != string(files[1]) {
		t.Error("two runs with --seed 7 wrote different files")
	}
}

// TestFlagsWithoutHiddenLayersWarn: --act, --dropout and --probe do
// nothing where --hidden "" leaves no hidden layer (a linear classifier):
// each given is warned of, and the run trains; none given, none is.
func TestFlagsWithoutHiddenLayersWarn(t *testing.T) {
	out := filepath.Join(t.TempDir(), "m.safetensors")
	_, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--hidden", "", "--act", "tanh", "--dropout", "0.5", "--epochs", "1", "--out", out)
	for _, flag := range []string{"--act", "--dropout"} {
		if want := "warning: " + flag + ` does nothing with --hidden ""`; status != 0 || !strings.Contains(stderr, want) {
			t.Errorf("exit %d, %q; want 0 and %q", status, stderr, want)
		}
	}
	if strings.Contains(stderr, "--probe does nothing") {
		t.Errorf("a warning of --probe, not given: %q", stderr)
	}
	if _, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--hidden", "", "--dropout", "0", "--probe=false", "--epochs", "1", "--out", out); status != 0 || strings.Contains(stderr, "does nothing") {
		t.Errorf("no hidden layers, no such flag: exit %d, %q; want no warning", status, stderr)
	}
	// --probe warned of, and no empty table printed
	stdout, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--hidden", "", "--probe", "--epochs", "1", "--out", out)
	if status != 0 || !strings.Contains(stderr, `warning: --probe does nothing with --hidden ""`) || strings.Contains(stdout, "layer health") {
		t.Errorf("--probe without hidden layers: exit %d, %q %q", status, stdout, stderr)
	}
}

// spiralModel trains a 6-unit relu model on the spiral for an epoch into
// dir/name, and returns its path and the model.
func spiralModel(t *testing.T, dir, name string) (string, *modelio.Model) {
	t.Helper()
	path := filepath.Join(dir, name)
	if _, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--hidden", "6", "--epochs", "1", "--out", path); status != 0 {
		t.Fatal(stderr)
	}
	m, err := modelio.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, m
}

// TestInitWarnsOfOtherActivations: --init from a model trained with relu
// into a tanh network fits by shape and trains, with a warning naming the
// two functions and the flag that keeps the first; into a relu network,
// or from bare tensors (no architecture), it says nothing.
func TestInitWarnsOfOtherActivations(t *testing.T) {
	dir := t.TempDir()
	relu, m := spiralModel(t, dir, "relu.safetensors")
	bare := filepath.Join(dir, "bare.safetensors")
	if err := modelio.WriteFile(bare, &modelio.File{Tensors: modelio.StateDict(m.Net)}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		from, act string
		want      string // "" for no warning
	}{
		{relu, "tanh", "warning: --init " + relu + ": its weights were trained with relu; this run's network uses tanh, so they start under another function (give --act relu"},
		{relu, "relu", ""},
		{bare, "tanh", ""},
	} {
		_, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--hidden", "6", "--act", c.act, "--epochs", "1", "--init", c.from, "--out", filepath.Join(dir, "out.safetensors"))
		if warned := strings.Contains(stderr, "warning: --init"); status != 0 || warned != (c.want != "") || !strings.Contains(stderr, c.want) {
			t.Errorf("--init %s --act %s: exit %d, %q; want 0 and %q", filepath.Base(c.from), c.act, status, stderr, c.want)
		}
	}
	// Weights that are not finite are the file's mistake, named (training had called it a divergence, exit 3, and blamed the learning rate).
	m.Net.Params()[0].Value[1] = float32(math.NaN())
	nan := filepath.Join(dir, "nan.safetensors")
	if err := modelio.WriteFile(nan, &modelio.File{Tensors: modelio.StateDict(m.Net)}); err != nil {
		t.Fatal(err)
	}
	_, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--hidden", "6", "--epochs", "1", "--init", nan, "--out", filepath.Join(dir, "out2.safetensors"))
	if want := "--init " + nan + ": parameter 0.weight[1] is NaN; training starts from finite weights"; status != 2 || !strings.Contains(stderr, want) {
		t.Errorf("--init of a NaN weight: exit %d, %q; want 2 and %q", status, stderr, want)
	}
}

// TestInitTakesItsStandardisation: --init from a model that standardises
// its features (an imported PyTorch network's (x − mean)/std) trains on
// rows standardised with its means and deviations, with or without
// --standardize, says so, and saves them with the model; one of another
// width is refused.
func TestInitTakesItsStandardisation(t *testing.T) {
	dir := t.TempDir()
	scaled, m := spiralModel(t, dir, "scaled.safetensors")
	m.Scaler = &data.Standardizer{Mean: []float32{0.25, -0.5}, Std: []float32{2, 3}} // none the spiral's own rows would give
	if err := modelio.Save(scaled, m); err != nil {
		t.Fatal(err)
	}
	for _, flags := range [][]string{nil, {"--standardize"}} {
		out := filepath.Join(dir, "out.safetensors")
		args := append([]string{"train", "--data", "spiral", "--hidden", "6", "--epochs", "1", "--init", scaled, "--out", out}, flags...)
		_, stderr, status := wiggle(t, "", args...)
		if want := "note: --init " + scaled + " standardises its features; this run does too"; status != 0 || !strings.Contains(stderr, want) {
			t.Errorf("%v: exit %d, %q; want 0 and %q", flags, status, stderr, want)
			continue
		}
		got, err := modelio.Load(out)
		if err != nil || got.Scaler == nil || !slices.Equal(got.Scaler.Mean, m.Scaler.Mean) || !slices.Equal(got.Scaler.Std, m.Scaler.Std) {
			t.Errorf("%v: the model trained saves %+v (%v); want --init's standardisation", flags, got.Scaler, err)
		}
	}
	wide := filepath.Join(dir, "wide.safetensors")
	f, err := modelio.ReadFile(scaled)
	if err != nil {
		t.Fatal(err)
	}
	f.Metadata["standardize"] = `{"mean":[0,0,0],"std":[1,1,1]}`
	if err := modelio.WriteFile(wide, f); err != nil {
		t.Fatal(err)
	}
	_, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--hidden", "6", "--epochs", "1", "--init", wide, "--out", filepath.Join(dir, "w.safetensors"))
	if want := "--init " + wide + ": a standardisation of 3 means and 3 deviations for a network of 2 inputs"; status != 2 || !strings.Contains(stderr, want) {
		t.Errorf("--init of another width's standardisation: exit %d, %q; want 2 and %q", status, stderr, want)
	}
	// A model of three features whose scales differ by 10^3: from it,
	// spiral's two features are refused, and its own table trains without
	// the warning to add --standardize (the run standardises).
	var table strings.Builder
	table.WriteString("a,b,c,label\n")
	for i := range 30 {
		fmt.Fprintf(&table, "%g,%g,%g,%d\n", float64(i%7)/7, float64(i%5)*300, float64(i%3), i%2)
	}
	csv := filepath.Join(dir, "three.csv")
	if err := os.WriteFile(csv, []byte(table.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	three := filepath.Join(dir, "three.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", csv, "--standardize", "--hidden", "4", "--epochs", "1", "--out", three); status != 0 {
		t.Fatal(stderr)
	}
	_, stderr, status = wiggle(t, "", "train", "--data", "spiral", "--hidden", "4", "--epochs", "1", "--init", three, "--out", filepath.Join(dir, "s.safetensors"))
	if want := "--init " + three + ` takes 3 features ("a", "b", "c"); the data gives 2 ("x0", "x1")`; status != 2 || !strings.Contains(stderr, want) {
		t.Errorf("--init of three features on spiral: exit %d, %q; want 2 and %q", status, stderr, want)
	}
	_, stderr, status = wiggle(t, "", "train", "--data", csv, "--hidden", "4", "--epochs", "1", "--init", three, "--out", filepath.Join(dir, "t.safetensors"))
	if status != 0 || strings.Contains(stderr, "add --standardize") || !strings.Contains(stderr, "standardises its features") {
		t.Errorf("--init of a standardising model on rows of scales 10^3 apart: exit %d, %q; want its note and no warning to add --standardize", status, stderr)
	}
	// A resume whose --init file standardises otherwise than it did when
	// the run began says so (the data check had blamed --data).
	flags := []string{"train", "--data", "spiral", "--hidden", "6", "--init", scaled}
	half := filepath.Join(dir, "half.safetensors")
	if _, stderr, status := wiggle(t, "", append(flags, "--epochs", "1", "--checkpoint-every", "1", "--out", half)...); status != 0 {
		t.Fatal(stderr)
	}
	m.Scaler = &data.Standardizer{Mean: []float32{0, 0}, Std: []float32{1, 1}}
	if err := modelio.Save(scaled, m); err != nil {
		t.Fatal(err)
	}
	_, stderr, status = wiggle(t, "", append(flags, "--epochs", "2", "--resume", half+".ckpt", "--out", filepath.Join(dir, "r.safetensors"))...)
	if want := "--init " + scaled + " standardises otherwise than when the run that wrote it began"; status != 2 || !strings.Contains(stderr, want) {
		t.Errorf("a resume after its --init file changed: exit %d, %q; want 2 and %q", status, stderr, want)
	}
	// Its columns in another order would be read by position: refused.
	lines := strings.Split(strings.TrimSpace(table.String()), "\n")
	for i, line := range lines {
		f := strings.Split(line, ",")
		lines[i] = strings.Join([]string{f[1], f[0], f[2], f[3]}, ",")
	}
	swapped := filepath.Join(dir, "swapped.csv")
	if err := os.WriteFile(swapped, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, status = wiggle(t, "", "train", "--data", swapped, "--hidden", "4", "--epochs", "1", "--init", three, "--out", filepath.Join(dir, "u.safetensors"))
	if want := `takes its features in another order than the data's columns: its feature 1 is "a", the data's column 1 "b"; put the columns in the model's order (a, b, c)`; status != 2 || !strings.Contains(stderr, want) {
		t.Errorf("--init on its columns swapped: exit %d, %q; want 2 and %q", status, stderr, want)
	}
	// A model of raw features under --standardize gets other inputs: said.
	raw, _ := spiralModel(t, dir, "raw.safetensors")
	_, stderr, status = wiggle(t, "", "train", "--data", "spiral", "--hidden", "6", "--epochs", "1", "--standardize", "--init", raw, "--out", filepath.Join(dir, "v.safetensors"))
	if want := "warning: --init " + raw + " records no standardisation"; status != 0 || !strings.Contains(stderr, want) {
		t.Errorf("--standardize with --init of a raw model: exit %d, %q; want 0 and %q", status, stderr, want)
	}
	// Nor does a raw model's run advise --standardize for the three
	// features' scales, which that warning would then meet.
	rawThree := filepath.Join(dir, "raw3.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", csv, "--hidden", "4", "--epochs", "1", "--out", rawThree); status != 0 || !strings.Contains(stderr, "add --standardize") {
		t.Fatalf("a run of three features of scales 10^3 apart: exit %d, %q; want the warning to add --standardize", status, stderr)
	}
	_, stderr, status = wiggle(t, "", "train", "--data", csv, "--hidden", "4", "--epochs", "1", "--init", rawThree, "--out", filepath.Join(dir, "w3.safetensors"))
	if status != 0 || strings.Contains(stderr, "add --standardize") {
		t.Errorf("--init of a raw model on its own rows: exit %d, %q; want no advice to add --standardize", status, stderr)
	}
	// A resume whose --init file gained a standardisation since says so.
	half3 := filepath.Join(dir, "half3.safetensors")
	flags3 := []string{"train", "--data", csv, "--hidden", "4", "--init", rawThree}
	if _, stderr, status := wiggle(t, "", append(flags3, "--epochs", "1", "--checkpoint-every", "1", "--out", half3)...); status != 0 {
		t.Fatal(stderr)
	}
	gained, err := modelio.Load(three)
	if err != nil {
		t.Fatal(err)
	}
	if err := modelio.Save(rawThree, gained); err != nil {
		t.Fatal(err)
	}
	_, stderr, status = wiggle(t, "", append(flags3, "--epochs", "2", "--resume", half3+".ckpt", "--out", filepath.Join(dir, "r3.safetensors"))...)
	if want := "--init " + rawThree + " standardises otherwise than when the run that wrote it began"; status != 2 || !strings.Contains(stderr, want) {
		t.Errorf("a resume after its --init file gained a standardisation: exit %d, %q; want 2 and %q", status, stderr, want)
	}
}

// TestCheckpointMustBeAFile: a --checkpoint that is a device (or
// /dev/stdout) is refused before training: a checkpoint's rotation renames
// its path, which would move the device's name away.
func TestCheckpointMustBeAFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "m.safetensors")
	_, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--epochs", "1", "--checkpoint", os.DevNull, "--out", out)
	if status != 2 || !strings.Contains(stderr, "--checkpoint "+os.DevNull+" is not a regular file") {
		t.Errorf("exit %d, %q; want 2 and the checkpoint refused", status, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("the model was written")
	}
	// An --out that is a device has no default checkpoint beside it
	// (/dev/null.ckpt would be a file made in /dev): --checkpoint-every
	// then needs --checkpoint.
	_, stderr, status = wiggle(t, "", "train", "--data", "spiral", "--epochs", "1", "--checkpoint-every", "1", "--out", os.DevNull)
	if status != 2 || !strings.Contains(stderr, "--checkpoint-every 1: --out "+os.DevNull+" is no file to put a checkpoint beside; name one with --checkpoint") {
		t.Errorf("--checkpoint-every beside --out %s: exit %d, %q; want 2 asking for --checkpoint", os.DevNull, status, stderr)
	}
	if _, err := os.Stat(os.DevNull + ".ckpt"); err == nil {
		t.Errorf("%s.ckpt exists", os.DevNull)
	}
	for _, c := range []struct{ given, out, want string }{
		{"", "m.safetensors", "m.safetensors.ckpt"}, {"", os.DevNull, ""}, {"c.ckpt", os.DevNull, "c.ckpt"},
	} {
		if got := checkpointPath(c.given, c.out); got != c.want {
			t.Errorf("checkpointPath(%q, %q) = %q; want %q", c.given, c.out, got, c.want)
		}
	}
	// A folder for --out is that, not a want of a checkpoint's place.
	_, stderr, status = wiggle(t, "", "train", "--data", "spiral", "--epochs", "1", "--checkpoint-every", "1", "--out", t.TempDir())
	if status != 2 || !strings.Contains(stderr, "is a folder") {
		t.Errorf("--out a folder with --checkpoint-every: exit %d, %q; want 2 saying it is a folder", status, stderr)
	}
}

// TestOutputIntoStandardError: train prints its progress to standard
// error, so an --out that is standard error itself is refused before
// training (the model's bytes and the progress lines would mix).
func TestOutputIntoStandardError(t *testing.T) {
	stderrFile, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer stderrFile.Close()
	out := fmt.Sprintf("/proc/self/fd/%d", stderrFile.Fd())
	if _, err := os.Stat(out); err != nil {
		t.Skipf("no %s: %v", out, err)
	}
	var stdout bytes.Buffer
	status := run(context.Background(), []string{"train", "--data", "spiral", "--epochs", "1", "--out", out}, strings.NewReader(""), &stdout, stderrFile)
	got, _ := os.ReadFile(stderrFile.Name())
	if status != 2 || !strings.Contains(string(got), "is standard error, where train prints its progress") {
		t.Errorf("--out standard error: exit %d, standard error %q; want 2 and a refusal", status, got)
	}
}

// TestLookAlikeLabels: labels that are one text in two Unicode forms
// (é as one character, or e and a combining accent) are warned of, by
// their escapes, since they print alike, and labels that differ in case
// alone; labels that differ otherwise are not.
func TestLookAlikeLabels(t *testing.T) {
	var log strings.Builder
	warnLookAlikeLabels(&log, "t.csv", &data.Dataset{ClassNames: []string{"caf\u00e9", "tea", "cafe\u0301"}})
	if want := `warning: t.csv: the labels "caf\u00e9" and "cafe\u0301" are one text in two Unicode forms`; !strings.Contains(log.String(), want) {
		t.Errorf("NFC and NFD café: %q; want %q", log.String(), want)
	}
	log.Reset()
	warnLookAlikeLabels(&log, "t.csv", &data.Dataset{ClassNames: []string{"café", "cafe", "tea"}})
	if log.Len() != 0 {
		t.Errorf("labels that differ: %q; want no warning", log.String())
	}
	log.Reset()
	warnLookAlikeLabels(&log, "t.csv", &data.Dataset{ClassNames: []string{"0", "0.0", "01", "1", "1.0", "2"}})
	for _, want := range []string{`the labels "0" and "0.0" are one number written two ways`, `the labels "01" and "1" are one number`, `the labels "01" and "1.0" are one number`} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("labels of one number: %q; want %q", log.String(), want)
		}
	}
	if strings.Contains(log.String(), `"2"`) {
		t.Errorf("labels of one number: %q; want no word of 2", log.String())
	}
	log.Reset()
	warnLookAlikeLabels(&log, "t.csv", &data.Dataset{ClassNames: []string{"No", "Yes", "yes", "CAFÉ", "café"}})
	for _, want := range []string{`the labels "Yes" and "yes" differ in case alone`, `the labels "CAFÉ" and "café" differ in case alone`} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("labels that differ in case: %q; want %q", log.String(), want)
		}
	}
}

// TestIgnoreColumns: a spreadsheet's id and date columns stop train with
// a message offering --ignore (quoted for a shell where the name has a
// space); with --ignore they are left out of the model, whose predict
// then reads the same file by its features' names; data show offers
// --target too where none was given; --ignore of no column, of the
// target, or with a built-in set is the flag's mistake.
func TestIgnoreColumns(t *testing.T) {
	var b strings.Builder
	b.WriteString("customer id,a,when,tier\n")
	for i := range 40 {
		fmt.Fprintf(&b, "C%02d,%d,2024-01-%02d,%s\n", i, i%7, 1+i%28, []string{"gold", "silver"}[i%2])
	}
	table := newcomerFile(t, "shop.csv", b.String())
	m := filepath.Join(t.TempDir(), "m.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", table, "--target", "tier", "--out", m); status != 2 || !strings.Contains(stderr, `column 1 ("customer id"): "C00" is not a number`) || !strings.Contains(stderr, "the first row holds text in when too: leave them all out with --ignore 'customer id,when'") {
		t.Errorf("train on an id column: exit %d, %q; want --ignore offered", status, stderr)
	}
	if _, stderr, status := wiggle(t, "", "data", "show", table); status != 2 || !strings.Contains(stderr, "give --target tier; columns of text, ids or dates? the first row holds text in when too: leave them all out with --ignore 'customer id,when'") {
		t.Errorf("data show without --target: exit %d, %q; want --target and --ignore offered", status, stderr)
	}
	if _, stderr, status := wiggle(t, "", "train", "--data", table, "--target", "tier", "--ignore", "customer id", "--ignore", " when", "--epochs", "1", "--out", m); status != 0 { // repeated, the lists add up
		t.Fatalf("train --ignore: exit %d, %q", status, stderr)
	}
	if model, err := modelio.Load(m); err != nil || !slices.Equal(model.Features, []string{"a"}) {
		t.Errorf("the model's features: %v; want a alone", err)
	}
	if stdout, stderr, status := wiggle(t, "", "predict", "--model", m, "--data", table); status != 0 || strings.Count(stdout, "\n") != 41 {
		t.Errorf("predict on the file with its id and date: exit %d, %d lines, %q", status, strings.Count(stdout, "\n"), stderr)
	}
	if stdout, stderr, status := wiggle(t, "", "data", "show", table, "--target", "tier", "--ignore", "customer id,when"); status != 0 || !strings.Contains(stdout, `1 feature and the target "tier"`) {
		t.Errorf("data show --ignore: exit %d, %q %q", status, stdout, stderr)
	}
	// The next text column is offered with those left out already; a name
	// holding a comma, which --ignore would split, by its index.
	if _, stderr, status := wiggle(t, "", "train", "--data", table, "--target", "tier", "--ignore", "customer id", "--out", m); status != 2 || !strings.Contains(stderr, "leave it out with --ignore 'customer id,when'") {
		t.Errorf("train --ignore 'customer id' on a date column: exit %d, %q; want both offered", status, stderr)
	}
	clash := newcomerFile(t, "clash.csv", "x,\"a,b\",1,tier\n1,foo,5,gold\n")
	if _, stderr, status := wiggle(t, "", "train", "--data", clash, "--target", "tier", "--ignore", "1", "--out", m); status != 2 || !strings.Contains(stderr, `"1" is both the column named so (column 3 of the header) and, by 0-based index, the column "a,b"`) {
		t.Errorf("--ignore 1 naming one column and indexing another: exit %d, %q", status, stderr)
	}
	if _, stderr, status := wiggle(t, "", "train", "--data", clash, "--target", "tier", "--out", m); status != 2 || !strings.Contains(stderr, "neither its name nor its index names it alone to --ignore: rename it") {
		t.Errorf("a text column --ignore can name neither way: exit %d, %q", status, stderr)
	}
	numberName := newcomerFile(t, "numbername.csv", "x,2,tier\n1,foo,gold\n2,bar,silver\n") // "2" names column 2 and indexes tier
	if _, stderr, status := wiggle(t, "", "train", "--data", numberName, "--target", "tier", "--out", m); status != 2 || !strings.Contains(stderr, "leave it out with --ignore 1)") {
		t.Errorf("a text column named 2, index 1: exit %d, %q; want --ignore 1 offered, not 2", status, stderr)
	}
	comma := newcomerFile(t, "comma.csv", "\"Price, USD\",a,tier\nten,1,gold\n")
	if _, stderr, status := wiggle(t, "", "train", "--data", comma, "--target", "tier", "--out", m); status != 2 || !strings.Contains(stderr, "leave it out with --ignore 0)") {
		t.Errorf("a text column whose name holds a comma: exit %d, %q; want --ignore 0", status, stderr)
	}
	textual := newcomerFile(t, "textual.csv", "customer id,a,when,tier\nC1,x,2024-01-01,gold\n")
	if _, stderr, status := wiggle(t, "", "eval", "--model", m, "--data", textual); status != 2 || !strings.Contains(stderr, `"x" is not a number`) || strings.Contains(stderr, "--ignore") {
		t.Errorf("eval on a file whose model's feature column holds text: exit %d, %q; want no --ignore offered (eval has none)", status, stderr)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"train", "--data", table, "--target", "tier", "--ignore", "nope", "--out", m}, `--ignore: ` + table + `, line 1: no column "nope" to leave out`},
		{[]string{"train", "--data", table, "--target", "tier", "--ignore", "tier", "--out", m}, `column "tier" is the target; it cannot be left out`},
		{[]string{"train", "--data", "spiral", "--ignore", "x0", "--out", m}, "--ignore: the built-in set spiral has no columns to leave out"},
		{[]string{"train", "--data", table, "--target", "tier", "--ignore", "when", "--ignore", "when", "--out", m}, `--ignore names "when" twice`},
		{[]string{"train", "--data", table, "--target", "tier", "--ignore", "when,0,customer id", "--out", m}, `column 1 ("customer id") is listed twice to leave out`},
		{[]string{"train", "--data", table, "--target", "tier", "--ignore", "when,", "--out", m}, `--ignore "when,": an empty column name`},
		{[]string{"data", "show", table, "--target", "nope"}, `--target nope: ` + table + `, line 1: no target column "nope"`},
	} {
		if _, stderr, status := wiggle(t, "", c.args...); status != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, status, stderr, c.want)
		}
	}
}

// TestInitClassesByName: --init takes the data's labels as its model's
// classes by name: a file lacking one of them fine-tunes all three
// outputs, said in a note (its weights had been refused as of another
// shape), a file of a few numbered rows is not taken for values, and a
// file with a label the model lacks is refused naming it (gold, silver,
// zinc had trained the bronze output as gold, by position, at 12.5%).
func TestInitClassesByName(t *testing.T) {
	dir := t.TempDir()
	var all, noBronze, zinc strings.Builder
	for _, b := range []*strings.Builder{&all, &noBronze, &zinc} {
		b.WriteString("a,tier\n")
	}
	for i := range 60 {
		tier := []string{"bronze", "gold", "silver"}[i%3]
		row := fmt.Sprintf("%d.%d,", i%3, i%7)
		all.WriteString(row + tier + "\n")
		if tier != "bronze" {
			noBronze.WriteString(row + tier + "\n")
		}
		zinc.WriteString(row + strings.Replace(tier, "bronze", "zinc", 1) + "\n")
	}
	m := filepath.Join(dir, "m.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", newcomerFile(t, "all.csv", all.String()), "--target", "tier", "--epochs", "2", "--out", m); status != 0 {
		t.Fatal(stderr)
	}
	tuned := filepath.Join(dir, "tuned.safetensors")
	_, stderr, status := wiggle(t, "", "train", "--data", newcomerFile(t, "nobronze.csv", noBronze.String()), "--target", "tier", "--init", m, "--epochs", "1", "--out", tuned)
	if status != 0 || !strings.Contains(stderr, `note: the data's labels are read as --init `+m+`'s classes, by name, and it has no row of "bronze"`) {
		t.Fatalf("--init on a file without bronze: exit %d, %q", status, stderr)
	}
	if back, err := modelio.Load(tuned); err != nil || !slices.Equal(back.Classes, []string{"bronze", "gold", "silver"}) || back.Net.OutSize() != 3 {
		t.Errorf("the fine-tuned model: %v; want the three classes of --init", err)
	}
	var numbered, few strings.Builder // 30 numbered classes; a file of 25 rows, one of each of 25
	numbered.WriteString("a,y\n")
	few.WriteString("a,y\n")
	for i := range 300 {
		fmt.Fprintf(&numbered, "%g,%d\n", float64(i%30)/10, i%30)
		if i < 25 {
			fmt.Fprintf(&few, "%g,%d\n", float64(i)/10, i)
		}
	}
	thirty := filepath.Join(dir, "thirty.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", newcomerFile(t, "numbered.csv", numbered.String()), "--target", "y", "--epochs", "1", "--out", thirty); status != 0 {
		t.Fatal(stderr)
	}
	if _, stderr, status := wiggle(t, "", "train", "--data", newcomerFile(t, "few.csv", few.String()), "--target", "y", "--init", thirty, "--epochs", "1", "--out", tuned); status != 0 {
		t.Errorf("--init on 25 rows of 25 of its 30 classes: exit %d, %q; want them read as its classes", status, stderr)
	}
	zincFile := newcomerFile(t, "zinc.csv", zinc.String())
	if _, stderr, status := wiggle(t, "", "train", "--data", zincFile, "--target", "tier", "--init", m, "--epochs", "1", "--out", tuned); status != 2 ||
		!strings.Contains(stderr, `--data: `+zincFile+`, line 2, column 2 ("tier"): label "zinc" is not one of the model's classes bronze, gold, silver`) {
		t.Errorf("--init on a file with zinc: exit %d, %q; want it refused naming zinc", status, stderr)
	}
}

// TestEvalNamesLookAlikeClasses: eval on labels that match a model's
// class in all but their Unicode form, their case or the way a number is
// written names the class, where the refusal had shown two labels that
// look the same.
func TestEvalNamesLookAlikeClasses(t *testing.T) {
	var table strings.Builder
	table.WriteString("a,drink,size\n")
	for i := range 40 {
		fmt.Fprintf(&table, "%d,%s,%d\n", i%2, []string{"caf\u00e9", "Tea"}[i%2], i%2)
	}
	m := filepath.Join(t.TempDir(), "m.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", newcomerFile(t, "drinks.csv", table.String()), "--target", "drink", "--ignore", "size", "--epochs", "1", "--out", m); status != 0 {
		t.Fatal(stderr)
	}
	sized := filepath.Join(t.TempDir(), "sized.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", newcomerFile(t, "sizes.csv", table.String()), "--target", "size", "--ignore", "drink", "--epochs", "1", "--out", sized); status != 0 {
		t.Fatal(stderr)
	}
	for _, c := range []struct{ model, file, target, want string }{
		{m, "a,drink\n0,cafe\u0301\n", "drink", `(the class "caf\u00e9" is that text in another Unicode form, the label "cafe\u0301"`},
		{m, "a,drink\n1,tea\n", "drink", `(did you mean "Tea"? labels match exactly, case too)`},
		{sized, "a,size\n1,1.0\n", "size", `(the class "1" is that number written another way`},
	} {
		_, stderr, status := wiggle(t, "", "eval", "--model", c.model, "--data", newcomerFile(t, "other.csv", c.file), "--target", c.target)
		if status != 2 || !strings.Contains(stderr, "is not one of the model's classes") || !strings.Contains(stderr, c.want) {
			t.Errorf("eval of %q: exit %d, %q; want 2 and %q", c.file, status, stderr, c.want)
		}
	}
	// train --init on a label 1.0 for the class 1: the look-alike said, not
	// the advice to import the model again with --classes beside it.
	_, stderr, status := wiggle(t, "", "train", "--data", newcomerFile(t, "more.csv", "a,size\n1,1.0\n0,0\n"), "--target", "size", "--init", sized, "--epochs", "1", "--out", filepath.Join(t.TempDir(), "tuned.safetensors"))
	if status != 2 || !strings.Contains(stderr, `(the class "1" is that number written another way`) || strings.Contains(stderr, "import it again") {
		t.Errorf("train --init on a label 1.0: exit %d, %q; want the look-alike alone", status, stderr)
	}
}

// TestDivergedUnscaledSaysStandardize: a run that diverges on features of
// scales 10^5 apart, unstandardised, names --standardize before the flags
// that tame the steps (it had named --lr and the rest alone).
func TestDivergedUnscaledSaysStandardize(t *testing.T) {
	var b strings.Builder
	b.WriteString("a,b,y\n")
	for i := range 200 {
		fmt.Fprintf(&b, "%d,%g,%d\n", 10000*(i%7+i%2), float64(i%5)/4, i%2)
	}
	_, stderr, status := wiggle(t, "", "train", "--data", newcomerFile(t, "big.csv", b.String()), "--target", "y", "--out", filepath.Join(t.TempDir(), "m.safetensors"))
	if status != exitDiverged || !strings.Contains(stderr, "(--standardize first: the features' scales differ by 10^5; then --lr, --clip-norm, --act, --weight-init); the model was not saved") {
		t.Errorf("exit %d, %q; want a divergence naming --standardize first", status, stderr)
	}
	// Features alike in scale but large say so too (they had been named
	// nowhere: the flags that tame the steps alone).
	b.Reset()
	b.WriteString("a,b,y\n")
	for i := range 200 {
		fmt.Fprintf(&b, "%de30,%de30,%d\n", i%7+i%2, i%5, i%2)
	}
	_, stderr, status = wiggle(t, "", "train", "--data", newcomerFile(t, "large.csv", b.String()), "--target", "y", "--out", filepath.Join(t.TempDir(), "m.safetensors"))
	if status != exitDiverged || !strings.Contains(stderr, "warning: the features are large (the root mean square of a is ") || !strings.Contains(stderr, "(--standardize first: the root mean square of a is ") {
		t.Errorf("features of about 1e30: exit %d, %q; want a warning and a divergence naming --standardize first", status, stderr)
	}
}

// TestInitOfAnotherKind: --init's mismatches say what to do: a regression
// model under a classifier's loss and the reverse name the loss; a model's
// column left out by --ignore is named; a model of numbered classes (an
// import's) offered text labels points to import --classes; a binary loss
// over --init's three classes says they are --init's (the data's numbers
// had been blamed).
func TestInitOfAnotherKind(t *testing.T) {
	dir := t.TempDir()
	reg := filepath.Join(dir, "reg.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", "sine", "--loss", "mse", "--epochs", "1", "--out", reg); status != 0 {
		t.Fatal(stderr)
	}
	var rows strings.Builder
	rows.WriteString("a,b,tier\n")
	for i := range 30 {
		fmt.Fprintf(&rows, "%d,%d,%s\n", i%5, i%3, []string{"cat", "dog", "fish"}[i%3])
	}
	table := newcomerFile(t, "pets.csv", rows.String())
	cls := filepath.Join(dir, "cls.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", table, "--target", "tier", "--epochs", "1", "--out", cls); status != 0 {
		t.Fatal(stderr)
	}
	numbered := filepath.Join(dir, "numbered.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--epochs", "1", "--out", numbered); status != 0 {
		t.Fatal(stderr)
	}
	out := filepath.Join(dir, "out.safetensors")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--data", table, "--target", "tier", "--init", reg}, "--init " + reg + " is a regression model (loss mse): its outputs are values; give --loss mse"},
		{[]string{"--data", "sine", "--loss", "mse", "--init", cls}, "--init " + cls + " is a classifier (loss softmax): its outputs are classes, not --loss mse's values"},
		{[]string{"--data", table, "--target", "tier", "--ignore", "b", "--init", cls}, `takes 2 features ("a", "b"); the data gives 1 ("a"): --ignore leaves out its "b": give data with the model's columns`},
		{[]string{"--data", table, "--target", "tier", "--init", numbered}, "names its classes 0 to 2: if it is an import made without --classes, import it again with --classes naming them"},
		{[]string{"--data", table, "--target", "tier", "--init", cls, "--loss", "logistic"}, `--loss logistic needs two classes; --init ` + cls + ` has 3 ("cat", "dog", "fish"), which the data's labels are read as: give --loss softmax`},
	} {
		if _, stderr, status := wiggle(t, "", append([]string{"train", "--epochs", "1", "--out", out}, c.args...)...); status != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, status, stderr, c.want)
		}
	}
	three := newcomerFile(t, "three.csv", "x0,x1,label\n0,0,0\n1,1,3\n") // a whole-number label past the model's: no import in it
	if _, stderr, status := wiggle(t, "", "train", "--data", three, "--init", numbered, "--epochs", "1", "--out", out); status != 2 || !strings.Contains(stderr, `label "3" is not one of the model's classes 0, 1, 2`) || strings.Contains(stderr, "import") {
		t.Errorf("label 3 for a model of classes 0 to 2: exit %d, %q; want it refused, no import offered", status, stderr)
	}
}

// TestValLeavesOneClass: a --val that leaves training rows of one class
// is refused before training (it had trained a model of one row, and
// warned of the learning rate).
func TestValLeavesOneClass(t *testing.T) {
	path := filepath.Join(t.TempDir(), "two.csv")
	if err := os.WriteFile(path, []byte("x,label\n1,a\n2,b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "m.safetensors")
	_, stderr, status := wiggle(t, "", "train", "--data", path, "--target", "label", "--val", "0.5", "--epochs", "1", "--out", out)
	if _, err := os.Stat(out); status != 2 || !strings.Contains(stderr, "--val 0.5 leaves 1 training row, of only 1 of the 2 classes") || err == nil {
		t.Errorf("--val leaving one class: exit %d, %q, model written %v; want 2, saying so, no model", status, stderr, err == nil)
	}
}

// TestRegressionOfLargeTargets: a target of values far from 0 (prices
// near 400,000) is named as the cause when the run diverges, where the
// message had offered the learning rate alone, and a run that trains to
// no better than the mean value is warned of, as a classifier no better
// than its commonest class is; it had saved a model of R² −6 without a
// word.
func TestRegressionOfLargeTargets(t *testing.T) {
	var b strings.Builder
	b.WriteString("sqm,price\n")
	for i := range 40 {
		sqm := 40 + (i*37)%160
		fmt.Fprintf(&b, "%d,%d\n", sqm, 3000*sqm+(i*7919)%40000-20000)
	}
	path := filepath.Join(t.TempDir(), "price.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "p.safetensors")
	_, stderr, status := wiggle(t, "", "train", "--data", path, "--target", "price", "--loss", "mse", "--standardize", "--epochs", "10", "--out", out)
	if status != 3 || !strings.Contains(stderr, `first, divide the target column "price" by about`) {
		t.Errorf("a target of prices diverging: exit %d, %q; want 3 and its scale named", status, stderr)
	}
	_, stderr, status = wiggle(t, "", "train", "--data", path, "--target", "price", "--loss", "mse", "--standardize", "--epochs", "10", "--optimizer", "adam", "--lr", "0.01", "--out", out)
	if status != 0 || !strings.Contains(stderr, "than always answering their mean value") || !strings.Contains(stderr, "values of the target far from 0") {
		t.Errorf("a target of prices trained to nothing: exit %d, %q; want 0 and a warning", status, stderr)
	}
}

// TestSummaryCountsTheRows: the summary says how many rows each figure is
// of, --val's split as it fell (the spiral's 300: 240 and 60), in the
// text and in the JSON.
func TestSummaryCountsTheRows(t *testing.T) {
	out := filepath.Join(t.TempDir(), "m.safetensors")
	stdout, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--val", "0.2", "--epochs", "1", "--out", out)
	if status != 0 || !strings.Contains(stdout, "%, 240 rows\n") || !strings.Contains(stdout, "%, 60 rows\n") {
		t.Errorf("exit %d, %q, %q; want 240 training rows and 60 validation rows said", status, stdout, stderr)
	}
	stdout, _, _ = wiggle(t, "", "train", "--data", "spiral", "--val", "0.2", "--epochs", "1", "--out", out, "--json")
	var sum map[string]any
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil || sum["train_rows"] != 240.0 || sum["val_rows"] != 60.0 || sum["test_rows"] != 0.0 {
		t.Errorf("--json %s (%v); want train_rows 240, val_rows 60, test_rows 0", stdout, err)
	}
}

// TestLearntNothingNamesItsLikelyCauses: features far from the
// initialisations' scale are named first, with --standardize, then a
// class of nine rows in ten, and regularisation only where the run had
// some (it had been listed first for a run of none), for classes and for
// values.
func TestLearntNothingNamesItsLikelyCauses(t *testing.T) {
	share := func(v float64) *float64 { return &v }
	var log strings.Builder
	warnLearntNothing(&log, trainSummary{TrainAccuracy: share(0.5), GuessAccuracy: share(0.5), unscaled: "the root mean square of age is 58"}, false)
	if !strings.Contains(log.String(), "The usual causes: features far from the scale the first weights suit (the root mean square of age is 58: --standardize), a learning rate") {
		t.Errorf("unscaled features: %q; want them named first, with --standardize", log.String())
	}
	log.Reset()
	warnLearntNothing(&log, trainSummary{TrainLoss: 2, GuessLoss: share(1)}, false)
	if want := "The usual causes: values of the target far from 0 or spread wide (scale its column to about -1 to 1: the network's first weights suit such values), a learning rate far from the usual, or too few epochs\n"; !strings.HasSuffix(log.String(), want) {
		t.Errorf("regression, no regularisation: %q; want it to end %q", log.String(), want)
	}
	for _, c := range []struct {
		guess       float64
		regularised bool
		want, not   []string
	}{
		{0.998, false, []string{"one class far commoner than the others (99.8% of the rows", "a learning rate far from the usual"}, []string{"--l2"}},
		{0.5, true, []string{"The usual causes: an --l2, --l1 or --weight-decay far above the usual"}, []string{"commoner"}},
		{0.5, false, []string{"The usual causes: a learning rate far from the usual, too few epochs, or dead units (--probe)"}, []string{"--l2", "commoner"}},
	} {
		log.Reset()
		warnLearntNothing(&log, trainSummary{TrainAccuracy: share(c.guess), GuessAccuracy: share(c.guess)}, c.regularised)
		for _, w := range c.want {
			if !strings.Contains(log.String(), w) {
				t.Errorf("commonest %g, regularised %v: %q; want %q", c.guess, c.regularised, log.String(), w)
			}
		}
		for _, n := range c.not {
			if strings.Contains(log.String(), n) {
				t.Errorf("commonest %g, regularised %v: %q; want no %q", c.guess, c.regularised, log.String(), n)
			}
		}
	}
}
