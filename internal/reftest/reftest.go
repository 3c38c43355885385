// Package reftest reads the PyTorch reference training runs
// (train/testdata/training.json, and training_l1.json with L1 and clipping) for the
// tests of train and of the CLI.
package reftest

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/modelio"
)

// RefRun is one PyTorch training run of testdata/training.json.
type RefRun struct {
	Name   string               `json:"name"`
	Flags  []string             `json:"flags"`
	X      [][]string           `json:"x"`
	Y      []any                `json:"y"`
	Init   map[string]RefTensor `json:"init"`
	Losses []string             `json:"losses"`
	Final  map[string]RefTensor `json:"final"`
}

// RefTensor is a tensor of the reference, values as decimal strings.
type RefTensor struct {
	Shape  []int    `json:"shape"`
	Values []string `json:"values"`
}

// files are the reference files in train/testdata and the runs each holds.
var files = []struct {
	name string
	runs int
}{{"training.json", 13}, {"training_l1.json", 5}}

// LoadAll reads the runs of every reference file in dir (train/testdata).
func LoadAll(t testing.TB, dir string) []RefRun {
	var all []RefRun
	for _, f := range files {
		all = append(all, loadRuns(t, filepath.Join(dir, f.name), f.runs)...)
	}
	return all
}

// LoadRuns reads the runs of training.json in dir (train/testdata).
func LoadRuns(t testing.TB, dir string) []RefRun {
	return loadRuns(t, filepath.Join(dir, files[0].name), files[0].runs)
}

// loadRuns reads the runs of path, which must hold want of them.
func loadRuns(t testing.TB, path string, want int) []RefRun {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Runs []RefRun `json:"runs"`
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Runs) != want {
		t.Fatalf("%s: %d runs, want %d", path, len(ref.Runs), want)
	}
	return ref.Runs
}

// WriteRunFiles writes a run's data as CSV (x0, x1, ..., label) and its
// initial tensors as safetensors, in state_dict order.
func WriteRunFiles(t testing.TB, run RefRun, dir string) (csvPath, initPath string) {
	var b strings.Builder
	for j := range run.X[0] {
		b.WriteString("x" + strconv.Itoa(j) + ",")
	}
	b.WriteString("label\n")
	for i, row := range run.X {
		b.WriteString(strings.Join(row, ",") + "," + labelText(run.Y[i]) + "\n")
	}
	csvPath = filepath.Join(dir, run.Name+".csv")
	if err := os.WriteFile(csvPath, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var f modelio.File
	for _, name := range SortedNames(run.Init) {
		rt := run.Init[name]
		f.Tensors = append(f.Tensors, modelio.Tensor{Name: name, Shape: rt.Shape, Data: Values32(t, rt.Values)})
	}
	initPath = filepath.Join(dir, run.Name+".init.safetensors")
	if err := modelio.WriteFile(initPath, &f); err != nil {
		t.Fatal(err)
	}
	return csvPath, initPath
}

// labelText is a label as the CSV holds it.
func labelText(y any) string {
	switch v := y.(type) {
	case string:
		return v
	case float64:
		return strconv.Itoa(int(v))
	}
	panic("label of unknown type")
}

// SortedNames orders "0.weight", "0.bias", "1.weight", "2.weight" as
// PyTorch's state_dict: by module index, weight before bias.
func SortedNames(m map[string]RefTensor) []string {
	var names []string
	for n := range m {
		names = append(names, n)
	}
	key := func(n string) int {
		idx, kind, _ := strings.Cut(n, ".")
		i, _ := strconv.Atoi(idx)
		k := 0
		if kind == "bias" {
			k = 1
		}
		return 2*i + k
	}
	slices.SortFunc(names, func(a, b string) int { return key(a) - key(b) })
	return names
}

// Values32 parses decimal strings into float32.
func Values32(t testing.TB, ss []string) []float32 {
	out := make([]float32, len(ss))
	for i, s := range ss {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = float32(v)
	}
	return out
}

// RelErr is ‖got − want‖/‖want‖ in float64.
func RelErr(got []float32, want []string) float64 {
	var diff, norm float64
	for i, s := range want {
		w, _ := strconv.ParseFloat(s, 64)
		d := float64(got[i]) - w
		diff += d * d
		norm += w * w
	}
	return math.Sqrt(diff / norm)
}
