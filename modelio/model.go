package modelio

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/nn"
)

// Format is the value of the "format" metadata key of wiggle's model files.
const Format = "wiggle/1"

// Model is a trained network with what it needs to be used again: the loss
// it was trained with, the data's column names, the labels of its classes and
// the feature standardisation.
type Model struct {
	Net      *nn.Sequential
	Loss     string   // the loss's name, e.g. "softmax"
	Target   string   // the target column
	Features []string // the feature columns, in the order the network takes them
	Classes  []string // the original label of each class index; nil for regression
	Scaler   *data.Standardizer
}

// The metadata keys of a wiggle model file. Values are JSON where not plain
// strings.
const (
	keyFormat       = "format"
	keyArchitecture = "architecture" // nn.Spec
	keyLoss         = "loss"
	keyTarget       = "target"
	keyFeatures     = "features"    // []string
	keyClasses      = "classes"     // []string
	keyStandardize  = "standardize" // data.Standardizer
)

// Save writes m to path as safetensors with its metadata, whole or not at
// all. The same model gives the same bytes.
func Save(path string, m *Model) error {
	meta := map[string]string{keyFormat: Format, keyLoss: m.Loss, keyTarget: m.Target}
	for key, v := range map[string]any{keyArchitecture: m.Net.Spec(), keyFeatures: m.Features, keyClasses: m.Classes, keyStandardize: m.Scaler} {
		if b, err := json.Marshal(v); err == nil && string(b) != "null" {
			meta[key] = string(b)
		}
	}
	return WriteFile(path, &File{Metadata: meta, Tensors: StateDict(m.Net)})
}

// Load reads a model that Save wrote and rebuilds its network.
func Load(path string) (*Model, error) {
	f, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	if f.Metadata[keyFormat] != Format {
		return nil, fmt.Errorf("%s: not a wiggle model file (its metadata has no %q: %q); a file of bare tensors can start training with --init", path, keyFormat, Format)
	}
	m := &Model{Loss: f.Metadata[keyLoss], Target: f.Metadata[keyTarget]}
	var spec nn.Spec
	for key, dst := range map[string]any{keyArchitecture: &spec, keyFeatures: &m.Features, keyClasses: &m.Classes, keyStandardize: &m.Scaler} {
		if v, ok := f.Metadata[key]; ok {
			if err := json.Unmarshal([]byte(v), dst); err != nil {
				return nil, fmt.Errorf("%s: metadata %q is not valid: %v", path, key, err)
			}
		}
	}
	if m.Net, err = nn.Build(spec, rand.New(rand.NewPCG(0, 0))); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := LoadStateDict(m.Net, f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// StateDict returns the network's parameters as tensors, sharing their
// storage, named and ordered as PyTorch's state_dict.
func StateDict(net *nn.Sequential) []Tensor {
	var ts []Tensor
	for _, p := range net.Params() {
		ts = append(ts, Tensor{Name: p.Name, Shape: p.Shape, Data: p.Value})
	}
	return ts
}

// LoadStateDict copies f's tensors into net. The names and shapes must be
// exactly those of net's parameters; the error names every tensor that
// differs and how.
func LoadStateDict(net *nn.Sequential, f *File) error {
	var problems []string
	params := net.Params()
	for _, p := range params {
		t := f.Tensor(p.Name)
		switch {
		case t == nil:
			problems = append(problems, fmt.Sprintf("tensor %s %s is missing", p.Name, ShapeString(p.Shape)))
		case !slices.Equal(t.Shape, p.Shape):
			problems = append(problems, fmt.Sprintf("tensor %s has shape %s, the network needs %s", p.Name, ShapeString(t.Shape), ShapeString(p.Shape)))
		}
	}
	for _, t := range f.Tensors {
		if !slices.ContainsFunc(params, func(p *nn.Param) bool { return p.Name == t.Name }) {
			problems = append(problems, fmt.Sprintf("tensor %s %s is not a parameter of the network", t.Name, ShapeString(t.Shape)))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("the tensors do not fit the network (%s): %s", describe(net), strings.Join(problems, "; "))
	}
	for _, p := range params {
		copy(p.Value, f.Tensor(p.Name).Data)
	}
	return nil
}

// describe names a network's parameters and shapes, for error messages.
func describe(net *nn.Sequential) string {
	var parts []string
	for _, p := range net.Params() {
		parts = append(parts, p.Name+" "+ShapeString(p.Shape))
	}
	return strings.Join(parts, ", ")
}
