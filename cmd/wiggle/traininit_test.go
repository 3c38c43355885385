package main

import (
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/nn"
)

// TestInitThatDoesNotFitSaysWhatWould: --init from a model its flags do
// not rebuild names the flags that do (the hidden widths, the activation,
// and the loss the file trained under); from a network no flags build
// (two activations in a row, as an imported Tanh then ReLU), says so, and
// that eval, predict and export take it as it is.
func TestInitThatDoesNotFitSaysWhatWould(t *testing.T) {
	dir := t.TempDir()
	six, m := spiralModel(t, dir, "six.safetensors")
	_, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--init", six, "--epochs", "1", "--out", filepath.Join(dir, "a.safetensors"))
	if status == 0 || !strings.Contains(stderr, "the file's network is in 2, dense 2→6, relu, dense 6→3: give --hidden 6 --act relu to build it") {
		t.Errorf("--init of a 2-6-3 network under the default --hidden: exit %d, %q; want the flags that build it", status, stderr)
	}
	spec := nn.Spec{In: 2, Layers: []nn.LayerSpec{{Type: "dense", In: 2, Out: 6}, {Type: "activation", Act: "tanh"}, {Type: "activation", Act: "relu"}, {Type: "dense", In: 6, Out: 3}}}
	stacked, err := nn.Build(spec, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	m.Net = stacked
	path := filepath.Join(dir, "stacked.safetensors")
	if err := modelio.Save(path, m); err != nil {
		t.Fatal(err)
	}
	_, stderr, status = wiggle(t, "", "train", "--data", "spiral", "--init", path, "--hidden", "6", "--epochs", "1", "--out", filepath.Join(dir, "b.safetensors"))
	if status == 0 || !strings.Contains(stderr, "the file's network (in 2, dense 2→6, tanh, relu, dense 6→3) is not one train's flags build") {
		t.Errorf("--init of tanh then relu: exit %d, %q; want it said that no flags build it", status, stderr)
	}
}
