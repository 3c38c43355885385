// Package actref reads the PyTorch reference values of the activations and
// of softmax cross-entropy (act/testdata/activations.json) for the tests of
// act, loss and the CLI, and states the tolerance they are held to. It
// imports nothing of wiggle's, so act's own tests can use it.
package actref

import (
	"encoding/json"
	"math"
	"os"
	"strconv"
	"testing"
)

// File is the reference: PyTorch 1.13 float64 values on float32 inputs
// (act/testdata/README.md), numbers as decimal strings.
type File struct {
	Functions []Function `json:"functions"`
	Softmax   []Softmax  `json:"softmax_cross_entropy"`
}

// Function is one activation at its inputs: y = f(x), dy = f'(x), the
// gradient of a learnable weight where it has one, and special inputs with
// their values.
type Function struct {
	Name     string         `json:"name"`
	Params   map[string]any `json:"params"`
	X        []string       `json:"x"`
	Y        []string       `json:"y"`
	DY       []string       `json:"dy"`
	DWeight  []string       `json:"dweight"`
	SpecialX []string       `json:"special_x"`
	SpecialY []string       `json:"special_y"`
}

// Softmax is one row of logits with its target class.
type Softmax struct {
	Logits       []string `json:"logits"`
	Target       int      `json:"target"`
	Softmax      []string `json:"softmax"`
	LogSoftmax   []string `json:"log_softmax"`
	CrossEntropy string   `json:"cross_entropy"`
	Dlogits      []string `json:"dlogits"`
}

// Load reads the reference at path and checks that it holds all 21
// functions and some softmax rows.
func Load(t testing.TB, path string) File {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ref File
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Functions) != 21 || len(ref.Softmax) == 0 {
		t.Fatalf("reference holds %d functions and %d softmax rows; want 21 and some", len(ref.Functions), len(ref.Softmax))
	}
	for _, fn := range ref.Functions {
		for i, x := range fn.X {
			if d, ok := pyTorchAtJumps[fn.Name][x]; ok {
				fn.DY[i] = d
			}
		}
	}
	return ref
}

// pyTorchAtJumps are derivatives at a jump where the file holds another
// value than PyTorch 1.13's kernels give; the shared reference's README
// leaves a jump to PyTorch's convention (act/testdata/README.md), so Load
// puts PyTorch's in their place.
// hardswish′(3): the file holds 1, but Debian's PyTorch 1.13
// (torch.nn.functional.hardswish's autograd, in float32 and float64)
// gives 1.5 for a lone 3, its hardswish_backward's scalar loop taking
// x/3 + 1/2 for x ≤ 3; its vectorised loop, for the elements in whole
// vectors, gives 1 (a 3 among sixteen, say): the two loops disagree.
var pyTorchAtJumps = map[string]map[string]string{"hardswish": {"3.0": "1.5"}}

// Float parses one number of the reference.
func Float(t testing.TB, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Floats parses numbers of the reference.
func Floats(t testing.TB, ss []string) []float64 {
	t.Helper()
	out := make([]float64, len(ss))
	for i, s := range ss {
		out[i] = Float(t, s)
	}
	return out
}

// Close is PyTorch's float32 tolerance: |got − want| <= 1e-5 + 1.3e-6·|want|.
// NaN matches NaN and an infinity matches itself.
func Close(got, want float64) bool {
	if math.IsNaN(want) || math.IsInf(want, 0) {
		return got == want || (math.IsNaN(got) && math.IsNaN(want))
	}
	return math.Abs(got-want) <= 1e-5+1.3e-6*math.Abs(want)
}
