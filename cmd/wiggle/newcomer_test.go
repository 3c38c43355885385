package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// newcomerFile writes a file for the cases of a newcomer's first tries.
func newcomerFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// irisLike is a table as scikit-learn ships iris.csv: a first line of
// counts and class names, then rows of four measurements and a class index.
func irisLike(rows int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d,4,setosa,versicolor,virginica\n", rows)
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range rows {
		c := i % 3
		fmt.Fprintf(&b, "%.1f,%.1f,%.1f,%.1f,%d\n", 5+float64(c)+rng.Float64(), 3+rng.Float64(), 1+2*float64(c)+rng.Float64(), 0.2+float64(c)*0.8, c)
	}
	return b.String()
}

func TestNewcomerMistakes(t *testing.T) {
	out := filepath.Join(t.TempDir(), "m.safetensors")
	iris := newcomerFile(t, "iris.csv", irisLike(30))
	var continuous strings.Builder
	continuous.WriteString("a,b,price\n")
	for i := range 40 {
		fmt.Fprintf(&continuous, "%d,%d,%.2f\n", i, 2*i, 1.5*float64(i)+0.25)
	}
	ambiguous := newcomerFile(t, "ambiguous.csv", "a,4,b,c,d\n1,2,3,4,x\n5,6,7,8,y\n")
	prices := newcomerFile(t, "prices.csv", continuous.String())
	spiral, _, _ := wiggle(t, "", "data", "gen", "spiral", "--n", "30")
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"a first line of data (show)", []string{"data", "show", iris}, "line 1: looks like data, not a header (it holds the numbers 30, 4): give the file a header row"},
		{"a first line of data (train)", []string{"train", "--data", iris, "--target", "4", "--out", out}, "looks like data, not a header"},
		{"a target both name and index", []string{"train", "--data", ambiguous, "--target", "4", "--out", out}, `target "4" is both the column named "4" (number 1) and, by 0-based index, the column "d"`},
		{"real values as classes", []string{"train", "--data", prices, "--target", "price", "--out", out}, `40 distinct real values in 40 rows; a classifier wants a few labels: use --loss mse`},
		{"no output folder", []string{"train", "--data", "spiral", "--out", filepath.Join(t.TempDir(), "models", "m.safetensors")}, "the folder"},
		{"momentum with adam", []string{"train", "--data", "spiral", "--optimizer", "adam", "--momentum", "0.5", "--out", out}, "--momentum does nothing with --optimizer adam"},
		{"weight decay with sgd", []string{"train", "--data", "spiral", "--weight-decay", "0.1", "--out", out}, "--weight-decay does nothing with --optimizer sgd (the default)"},
		{"momentum with the default optimizer", []string{"train", "--data", "spiral", "--momentum", "0.9", "--out", out}, "--momentum does nothing with --optimizer sgd (the default): it is for --optimizer momentum"},
		{"dropout out of range", []string{"train", "--data", "spiral", "--dropout", "1.5", "--out", out}, "--dropout 1.5: want a rate"},
		{"a parameter it lacks", []string{"train", "--data", "spiral", "--act", "leaky_relu(slope=0.2)", "--out", out}, `leaky_relu has no parameter "slope"; valid parameters: negative_slope`},
		{"a target that is not there", []string{"data", "show", newcomerFile(t, "s.csv", spiral), "--target", "nope"}, `--target nope`},
		// sizes that would end in the runtime's fatal "out of memory"
		{"a width of 1e8 (train)", []string{"train", "--data", "spiral", "--hidden", "100000000", "--out", out}, "--hidden 100000000: with 2 inputs and 3 outputs the network would have 6e+08 parameters"},
		{"a width of 1e8 (compare)", []string{"compare", "--epochs", "1", "--seeds", "1", "--acts", "relu", "--hidden", "100000000"}, "--hidden 100000000: the network would have"},
		{"no plot folder", []string{"compare", "--epochs", "1", "--seeds", "1", "--plot", ""}, "--plot is empty; name a folder"},
		{"a learning rate float32 rounds to 0", []string{"train", "--data", "spiral", "--lr", "1e-50", "--out", out}, "--lr 1e-50: want a number float32 holds above 0"},
		{"a typo's epochs", []string{"compare", "--epochs", "99999999999", "--acts", "relu", "--seeds", "1"}, "--epochs 99999999999: want 1 to 100000"},
		{"a billion seeds", []string{"compare", "--epochs", "1", "--acts", "relu", "--seeds", "1000000000"}, "--seeds 1000000000: want 1 to 1000"},
		{"a billion maxout pieces", []string{"train", "--data", "spiral", "--act", "maxout", "--maxout-pieces", "1000000000", "--out", out}, "--maxout-pieces 1000000000: with 2 inputs"},
		{"ten billion points", []string{"data", "gen", "spiral", "--n", "10000000", "--classes", "1000"}, "10,000,000 points in all"},
		{"a generated set's other target", []string{"data", "show", "spiral", "--target", "nosuch"}, `--target nosuch: the built-in set spiral has its own target column, "label"; --target is for a CSV file's columns`},
		{"a generated set's other target (train)", []string{"train", "--data", "spiral", "--target", "nosuch", "--out", out}, `--target nosuch: the built-in set spiral has its own target column, "label"`},
		{"a stray word", []string{"compare", "relu"}, `wiggle compare takes no arguments, only flags; got "relu"`},
		{"two files to import", []string{"import", "a.onnx", "b.onnx", "--out", out}, "want 1 argument, the ONNX file to read; got 2"},
		{"no report folder", []string{"lab", "--quick", "--out", " "}, "--out is empty"},
		{"seeds that wrap", []string{"lab", "--quick", "--seed", "18446744073709551615", "--out", out}, "--seed 18446744073709551615: the run takes 3 seeds from it, which would pass 18446744073709551615; start from 18446744073709551613 or lower"},
		// values the library would replace by its defaults
		{"one maxout piece", []string{"train", "--data", "spiral", "--act", "maxout", "--maxout-pieces", "1", "--out", out}, "--maxout-pieces 1: want 2 or more"},
		{"an unknown shell", []string{"completion", "bogus"}, `unknown command "bogus" for "wiggle completion"`},
		{"seeds past the last", []string{"compare", "--seed", "18446744073709551615", "--seeds", "2"}, "--seed 18446744073709551615 with --seeds 2: the seeds would pass 18446744073709551615; start from 18446744073709551614 or lower"},
		{"maxout's pieces in --act", []string{"train", "--data", "spiral", "--act", "maxout(pieces=3)", "--out", out}, "--act maxout(pieces=3): maxout is a layer, not a function with parameters: give --act maxout and its pieces with --maxout-pieces"},
		{"an unknown loss", []string{"train", "--data", "spiral", "--loss", "bogus", "--out", out}, `--loss: unknown loss "bogus"`},
		{"an unknown initialisation", []string{"train", "--data", "spiral", "--weight-init", "bogus", "--out", out}, `--weight-init: unknown initialisation "bogus"`},
		{"a target index past the columns", []string{"train", "--data", prices, "--target", "9", "--out", out}, `no target column "9": by 0-based index the columns run 0 to 2`},
		{"more earlier checkpoints than the bound", []string{"train", "--data", "spiral", "--checkpoint-every", "1", "--keep", "1001", "--out", out}, "--keep 1001: want 0 to 1000"},
		{"momentum 0", []string{"train", "--data", "spiral", "--optimizer", "momentum", "--momentum", "0", "--out", out}, "--momentum 0 is plain SGD: use --optimizer sgd"},
		{"no epochs, and checkpoints", []string{"train", "--data", "spiral", "--epochs", "0", "--checkpoint-every", "1", "--out", out}, "--epochs 0: want 1 to 1000000"},
		{"a typo's trillion epochs", []string{"train", "--data", "spiral", "--epochs", "1000000000000", "--out", out}, "--epochs 1000000000000: want 1 to 1000000"},
		{"checkpoints past the last epoch", []string{"train", "--data", "spiral", "--epochs", "2", "--checkpoint-every", "5", "--out", out}, "--checkpoint-every 5 is more than --epochs 2: no checkpoint would be written"},
		{"no weight decay", []string{"train", "--data", "spiral", "--optimizer", "adamw", "--lr", "0.01", "--weight-decay", "0", "--out", out}, "--weight-decay 0: adamw without weight decay is adam; use --optimizer adam"},
		{"a negative weight decay", []string{"train", "--data", "spiral", "--optimizer", "adamw", "--lr", "0.01", "--weight-decay", "-1", "--out", out}, "--weight-decay -1: adamw without weight decay is adam"},
		{"no points", []string{"data", "gen", "spiral", "--n", "0"}, "--n 0: want 1 or more points a class (10,000,000 in all at most), or leave it out for spiral's 100"},
		{"no classes", []string{"data", "gen", "spiral", "--classes", "0"}, "--classes 0: want 2 or more, or leave it out for spiral's 3"},
		{"moons of 3 classes", []string{"data", "gen", "moons", "--classes", "3"}, "--classes: moons has 2 classes, not 3; leave the flag out for the set's own"},
		{"noise for linear", []string{"data", "gen", "linear", "--noise", "0.5"}, "--noise: linear: noise 0.5; it takes none"},
		{"negative points", []string{"data", "gen", "spiral", "--n", "-5"}, "--n: spiral: -5 points for each of 3 classes; want 1 to 3,333,333 a class"},
		{"a word for a number", []string{"train", "--data", "spiral", "--epochs", "abc"}, `--epochs "abc": want a whole number`},
		{"a negative seed", []string{"train", "--data", "spiral", "--seed", "-1"}, `--seed "-1": want a whole number, 0 or more`},
	} {
		_, stderr, status := wiggle(t, "", c.args...)
		if status != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, %q; want 2 and %q", c.name, status, stderr, c.want)
		}
		if strings.Contains(stderr, "epoch 1/") {
			t.Errorf("%s: it trained before refusing: %q", c.name, stderr)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a refused run wrote its model")
	}
	// a table of real values is shown with them as its target
	if stdout, stderr, status := wiggle(t, "", "data", "show", prices, "--target", "price"); status != 0 || !strings.Contains(stdout, `columns   2 features and the target "price"`) ||
		!regexp.MustCompile(`\n\s+price\s+0\.25\s+29\.5\s+58\.75\s+17\.32\s*\n`).MatchString(stdout) {
		t.Errorf("data show of a regression table --target price: exit %d, %q %q", status, stdout, stderr)
	}
	// a file's target given by its 0-based index is that column, whatever its name
	if stdout, stderr, status := wiggle(t, "", "data", "show", newcomerFile(t, "s.csv", spiral), "--target", "2"); status != 0 || !strings.Contains(stdout, `the target "label"`) {
		t.Errorf("data show --target 2: exit %d, %q %q", status, stdout, stderr)
	}
}

// TestOtherFormsOfCSV: a gzipped table is read as the table it holds (by
// show and by train), and a ;-separated one by its columns.
func TestOtherFormsOfCSV(t *testing.T) {
	spiral, _, _ := wiggle(t, "", "data", "gen", "spiral", "--n", "30")
	var gz bytes.Buffer
	z := gzip.NewWriter(&gz)
	z.Write([]byte(spiral))
	z.Close()
	gzPath := newcomerFile(t, "spiral.csv.gz", gz.String())
	stdout, stderr, status := wiggle(t, "", "data", "show", gzPath)
	if status != 0 || !strings.Contains(stdout, "rows      90") {
		t.Errorf("show of a gzipped CSV: exit %d, %q %q", status, stdout, stderr)
	}
	if _, stderr, status := wiggle(t, "", "train", "--data", gzPath, "--epochs", "1", "--out", filepath.Join(t.TempDir(), "m.safetensors")); status != 0 {
		t.Errorf("train on a gzipped CSV: %s", stderr)
	}
	semi := newcomerFile(t, "semi.csv", strings.ReplaceAll(spiral, ",", ";"))
	stdout, _, status = wiggle(t, "", "data", "show", semi)
	if status != 0 || !strings.Contains(stdout, "2 features and the target \"label\"") {
		t.Errorf("show of a ;-separated CSV: exit %d, %q", status, stdout)
	}
}

// TestScalesWarning: features on scales 10^7 apart draw a warning to add
// --standardize, and the probe's advice says the same.
func TestScalesWarning(t *testing.T) {
	var b strings.Builder
	b.WriteString("area,smoothness,label\n")
	rng := rand.New(rand.NewPCG(2, 2))
	for i := range 60 {
		c := i % 2
		fmt.Fprintf(&b, "%.1f,%.5f,%d\n", 1e5*(1+float64(c)+rng.Float64()), 0.01*(1+rng.Float64()), c)
	}
	path := newcomerFile(t, "cancer.csv", b.String())
	out := filepath.Join(t.TempDir(), "m.safetensors")
	_, stderr, status := wiggle(t, "", "train", "--data", path, "--epochs", "2", "--lr", "1e-9", "--probe", "--out", out)
	if status != 0 {
		t.Fatal(stderr)
	}
	for _, want := range []string{"the features' scales differ by 10^7 (area spans 1", "add --standardize", "pre-activations have a std of", "standardising them usually helps"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	_, stderr, _ = wiggle(t, "", "train", "--data", path, "--epochs", "1", "--standardize", "--out", out)
	if strings.Contains(stderr, "scales differ") {
		t.Errorf("warned with --standardize: %s", stderr)
	}

	// Pixels in [0, 1], one of them 0 but in one row of 2,000 (MNIST's
	// border): its tiny std is no scale of its own, and no warning comes.
	b.Reset()
	b.WriteString("p1,p2,border,label\n")
	for i := range 2000 {
		border := 0.0
		if i == 7 {
			border = 0.1 // a std of 0.0022, a 129th of the others', and a tenth of their range
		}
		fmt.Fprintf(&b, "%.3f,%.3f,%.1f,%d\n", rng.Float64(), rng.Float64(), border, i%2)
	}
	path = newcomerFile(t, "pixels.csv", b.String())
	if _, stderr, status = wiggle(t, "", "train", "--data", path, "--epochs", "1", "--out", out); status != 0 || strings.Contains(stderr, "scales differ") {
		t.Errorf("pixels in [0, 1] with a mostly-0 one: exit %d, %q; want no advice to standardise", status, stderr)
	}
}

// TestOutputsThatWouldDestroyInputs: a flag's output that is a folder,
// in a folder that does not exist, or the file of an input flag is
// refused with exit 2 before any work, and the input is left as it was
// (a second newcomer's trial: --checkpoint naming a folder renamed it,
// --out naming the --data file replaced the data).
func TestOutputsThatWouldDestroyInputs(t *testing.T) {
	dir := t.TempDir()
	csvPath, model := filepath.Join(dir, "d.csv"), filepath.Join(dir, "m.safetensors")
	folder := filepath.Join(dir, "precious")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	table, _, _ := wiggle(t, "", "data", "gen", "spiral", "--n", "20")
	if err := os.WriteFile(csvPath, []byte(table), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, status := wiggle(t, "", "train", "--data", csvPath, "--epochs", "1", "--hidden", "4", "--out", model); status != 0 {
		t.Fatalf("train: %s", stderr)
	}
	modelBytes, _ := os.ReadFile(model)
	missing := filepath.Join(dir, "nope", "x")
	train := []string{"train", "--data", csvPath, "--epochs", "1", "--hidden", "4"}
	type refusal struct {
		args []string
		want string
	}
	var unwritable []refusal
	if _, err := os.Stat("/sys/kernel"); runtime.GOOS == "linux" && err == nil { // sysfs takes no new files, even from root
		unwritable = []refusal{
			{append(train, "--out", "/sys/wiggle-test.safetensors"), "--out /sys/wiggle-test.safetensors: nothing can be written in /sys"},
			{[]string{"predict", "--model", model, "--data", csvPath, "--out", "/sys/wiggle-test.csv"}, "--out /sys/wiggle-test.csv: nothing can be written in /sys"},
			{[]string{"export", "--model", model, "--out", "/proc/wiggle-test.onnx"}, "--out /proc/wiggle-test.onnx: no new file can be made in /proc"},
		}
	}
	if runtime.GOOS != "windows" { // where nope/.. needs nope (Windows takes the ".." off the text): the check had cleaned it away, trained, then failed to save
		throughMissing := dir + "/nope/../n.safetensors"
		unwritable = append(unwritable,
			refusal{append(train, "--out", throughMissing), "--out " + throughMissing + ": the folder " + dir + "/nope/.. does not exist"},
			refusal{[]string{"predict", "--model", model, "--data", csvPath, "--out", dir + "/nope/../p.csv"}, "the folder " + dir + "/nope/.. does not exist"})
	}
	for _, c := range append([]refusal{
		{append(train, "--out", filepath.Join(dir, "n.safetensors"), "--checkpoint", folder, "--checkpoint-every", "1"), "--checkpoint " + folder + " is a folder"},
		{append(train, "--out", filepath.Join(dir, "n.safetensors"), "--checkpoint", missing), "--checkpoint " + missing + ": the folder"},
		{append(train, "--out", filepath.Join(dir, "n.safetensors"), "--probe-out", missing), "--probe-out " + missing + ": the folder"},
		{append(train, "--out", csvPath), "--out " + csvPath + " is the --data file"},
		{append(train, "--out", filepath.Join(dir, "n.safetensors"), "--checkpoint", csvPath), "--checkpoint " + csvPath + " is the --data file"},
		{[]string{"predict", "--model", model, "--data", csvPath, "--out", model}, "--out " + model + " is the --model file"},
		{[]string{"predict", "--model", model, "--data", csvPath, "--out", csvPath}, "--out " + csvPath + " is the --data file"},
		{[]string{"export", "--model", model, "--out", model}, "--out " + model + " is the --model file"},
		{[]string{"export", "--model", model, "--out", filepath.Join(dir, "x.safetensors")}, "export writes ONNX (.onnx); a .safetensors file is a wiggle model"},
		{[]string{"data", "show", csvPath, "--plot", missing}, "--plot " + missing + ": the folder"},
		{[]string{"act", "plot", "relu", "--out", model}, "--out " + model + " is a file"},
		{[]string{"lab", "--quick", "--out", model}, "--out " + model + " is a file"},
		{[]string{"data", "show", csvPath, "--plot", csvPath}, "--plot " + csvPath + " is the data file"},
		{append(train, "--out", filepath.Join(dir, "n.safetensors"), "--probe-out", filepath.Join(dir, "n.safetensors")), "--probe-out " + filepath.Join(dir, "n.safetensors") + " is also --out"},
		{append(train, "--out", filepath.Join(dir, "n.safetensors"), "--checkpoint", filepath.Join(dir, "n.safetensors")), "--checkpoint " + filepath.Join(dir, "n.safetensors") + " is also --out"},
		{append(train, "--out", ""), "--out is empty"},
	}, unwritable...) {
		stdout, stderr, status := wiggle(t, "", c.args...)
		if status != 2 || !strings.Contains(stderr, c.want) || strings.Contains(stderr, "epoch 1/") || stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2, nothing done, and %q", c.args, status, stdout, stderr, c.want)
		}
	}
	if got, _ := os.ReadFile(csvPath); string(got) != table {
		t.Error("the --data file changed")
	}
	if got, _ := os.ReadFile(model); string(got) != string(modelBytes) {
		t.Error("the --model file changed")
	}
	if info, err := os.Stat(folder); err != nil || !info.IsDir() {
		t.Errorf("the folder given to --checkpoint: %v", err)
	}
	// what may be written over an input: the model --init started from
	if _, stderr, status := wiggle(t, "", append(train, "--init", model, "--out", model)...); status != 0 {
		t.Errorf("train --init M --out M: exit %d: %s", status, stderr)
	}
}

// TestValidationRowsWarning: --val holding out the last classes of a file
// written class by class, or no rows at all, is warned of, with a command
// that shuffles the file; a generated set's rows are held out from all of
// it (they had been its last class's: validation accuracy 0).
func TestValidationRowsWarning(t *testing.T) {
	dir := t.TempDir()
	out, file := filepath.Join(dir, "m.safetensors"), filepath.Join(dir, "spiral.csv")
	table, stderr, status := wiggle(t, "", "data", "gen", "spiral")
	if status != 0 {
		t.Fatalf("data gen: exit %d, %s", status, stderr)
	}
	if err := os.WriteFile(file, []byte(table), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		data, val, want string
	}{
		{file, "0.2", "warning: --val 0.2 holds out the last rows of " + file + ", which have 1 of its 3 classes: its rows are in class order (as data gen writes them); shuffle them first, the header kept on top ((head -n 1 "},
		{"spiral", "0.001", "warning: --val 0.001 of 300 rows holds out none"},
	} {
		if _, stderr, status := wiggle(t, "", "train", "--data", c.data, "--val", c.val, "--epochs", "1", "--out", out); status != 0 || !strings.Contains(stderr, c.want) {
			t.Errorf("--data %s --val %s: exit %d, %q; want %q", c.data, c.val, status, stderr, c.want)
		}
	}
	stdout, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--val", "0.2", "--epochs", "20", "--json", "--out", out)
	if status != 0 || strings.Contains(stderr, "warning: --val") || strings.Contains(stdout, `"val_accuracy": 0,`) {
		t.Errorf("--data spiral --val 0.2: exit %d, %q, %s; want no warning and rows of every class held out", status, stderr, stdout)
	}
}

// TestAFileNamedLikeABuiltInSet: --data spiral is the generated set even
// where a file of that name is in the folder; a warning says how to name
// the file instead.
func TestAFileNamedLikeABuiltInSet(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.WriteFile("spiral", []byte("x,label\n1,0\n2,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, status := wiggle(t, "", "data", "show", "spiral"); status != 0 || !strings.Contains(stderr, "warning: spiral is the built-in set; for the file of that name here, give ./spiral") {
		t.Errorf("exit %d, %q", status, stderr)
	}
}

// TestBuiltInSetsKeepTheirTarget: --target naming another column than a
// built-in set's own is refused by eval as by train and data show (it
// was ignored), as the flag's own error (not under "--data:"); and naming
// the set's own is taken.
func TestBuiltInSetsKeepTheirTarget(t *testing.T) {
	for _, args := range [][]string{
		{"train", "--data", "mnist", "--target", "digit", "--out", filepath.Join(t.TempDir(), "m.safetensors")},
		{"data", "show", "mnist", "--target", "digit"},
	} {
		want := `wiggle: --target digit: the built-in set mnist has its own target column, "label"`
		if _, stderr, status := wiggle(t, "", args...); status != 2 || !strings.HasPrefix(stderr, want) {
			t.Errorf("%v: exit %d, %q; want 2 starting %q", args, status, stderr, want)
		}
	}
	model := filepath.Join(t.TempDir(), "m.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--target", "label", "--epochs", "1", "--hidden", "4", "--out", model); status != 0 {
		t.Fatalf("train --data spiral --target label: exit %d: %s", status, stderr)
	}
	if _, stderr, status := wiggle(t, "", "eval", "--model", model, "--data", "spiral", "--target", "label"); status != 0 {
		t.Errorf("eval --data spiral --target label: exit %d: %s", status, stderr)
	}
	want := `--target nope: the built-in set spiral has its own target column, "label"`
	if stdout, stderr, status := wiggle(t, "", "eval", "--model", model, "--data", "spiral", "--target", "nope"); status != 2 || stdout != "" || !strings.Contains(stderr, want) {
		t.Errorf("eval --data spiral --target nope: exit %d, %q, %q; want 2 saying %q", status, stdout, stderr, want)
	}
}

// TestLoneClassWarning: a stray label among 60 rows (one "nan", then two
// more words) draws a warning naming the class, or the classes; a set
// without one, and a table of fewer than loneClassRows rows, draw none.
func TestLoneClassWarning(t *testing.T) {
	spiral, _, _ := wiggle(t, "", "data", "gen", "spiral", "--n", "20")
	lines := strings.Split(strings.TrimSpace(spiral), "\n")
	withLabel := func(row int, label string) {
		cells := strings.Split(lines[row], ",")
		cells[len(cells)-1] = label
		lines[row] = strings.Join(cells, ",")
	}
	train := func(table string) string {
		path := newcomerFile(t, "t.csv", table)
		_, stderr, status := wiggle(t, "", "train", "--data", path, "--epochs", "1", "--hidden", "4", "--out", filepath.Join(t.TempDir(), "m.safetensors"))
		if status != 0 {
			t.Fatalf("train: exit %d: %s", status, stderr)
		}
		return stderr
	}
	if stderr := train(spiral); strings.Contains(stderr, "one row") {
		t.Errorf("a set of three full classes: %q", stderr)
	}
	if stderr := train(strings.Join(lines[:12], "\n") + "\n1,1,odd\n"); strings.Contains(stderr, "one row") {
		t.Errorf("a table of 12 rows with a class of one: %q", stderr)
	}
	withLabel(7, "nan")
	if stderr := train(strings.Join(lines, "\n") + "\n"); !strings.Contains(stderr, `the class "nan" has one row of 60 (a stray label makes a class of its own)`) {
		t.Errorf("one stray label: %q", stderr)
	}
	withLabel(9, "cat")
	withLabel(11, "1.5")
	if stderr := train(strings.Join(lines, "\n") + "\n"); !strings.Contains(stderr, `the classes "1.5", "cat", "nan" have one row each, of 60`) {
		t.Errorf("three stray labels: %q", stderr)
	}
	withLabel(13, strings.Repeat("a", 60)) // quoted once, cut once
	if stderr := train(strings.Join(lines, "\n") + "\n"); !strings.Contains(stderr, `"1.5", "`+strings.Repeat("a", 40)+`"… (60 bytes), "cat", "nan" have one row each`) {
		t.Errorf("a long stray label: %q", stderr)
	}
}
