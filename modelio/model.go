package modelio

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/internal/nilio"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
)

// Format is the value of the "format" metadata key of wiggle's model files.
const Format = "wiggle/1"

// Model is the content of a wiggle model file: a trained network with what
// it needs to be used again (the loss it was trained with, the data's column
// names, the labels of its classes and the feature standardisation). For
// predictions, package model serves one safely to many goroutines.
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
// all (temporary file, sync, rename). The same model gives the same bytes.
// See Write for what is checked and filled in.
func Save(path string, m *Model) error {
	f, err := m.File()
	if err != nil {
		return err
	}
	return WriteFile(path, f)
}

// Write writes m to w as safetensors with its metadata. It first checks m
// (see Check); Classes left nil for a classification loss are stored as
// "0", "1", ..., and Features left nil as "x0", "x1", ..., the names
// wiggle's generated data sets use.
func Write(w io.Writer, m *Model) error {
	if w == nil {
		return nilio.ErrNoWriter
	}
	f, err := m.File()
	if err != nil {
		return err
	}
	return Encode(w, f)
}

// File is m as a safetensors File, as Write writes it: its parameters and
// its metadata. A checkpoint adds tensors (see CheckpointPrefixes) and
// metadata keys to it.
func (m *Model) File() (*File, error) {
	if err := m.Check(); err != nil {
		return nil, err
	}
	m = m.withDefaults()
	meta := map[string]string{keyFormat: Format, keyLoss: m.Loss, keyTarget: m.Target}
	for key, v := range map[string]any{keyArchitecture: m.Net.Spec(), keyFeatures: m.Features, keyClasses: m.Classes, keyStandardize: m.Scaler} {
		if b, err := json.Marshal(v); err == nil && string(b) != "null" {
			meta[key] = string(b)
		}
	}
	return &File{Metadata: meta, Tensors: StateDict(m.Net)}, nil
}

// Load reads a model that Save wrote and rebuilds its network; errors name
// the path.
func Load(path string) (*Model, error) { return load(path, false) }

// LoadShared is Load for a model that will only infer: its network holds
// the bytes read from the file as its weights, without a copy (see
// FromFileShared), so the model is in memory once.
func LoadShared(path string) (*Model, error) { return load(path, true) }

// load is Load, or LoadShared where shared.
func load(path string, shared bool) (*Model, error) {
	f, err := readFile(path, shared)
	if err != nil {
		return nil, err
	}
	m, err := fromFile(f, shared)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// Read reads a model that Write wrote from r, to its end.
func Read(r io.Reader) (*Model, error) { return read(r, false) }

// ReadShared is Read for a model that will only infer, as LoadShared is
// Load.
func ReadShared(r io.Reader) (*Model, error) { return read(r, true) }

// read is Read, or ReadShared where shared.
func read(r io.Reader, shared bool) (*Model, error) {
	if r == nil {
		return nil, nilio.ErrNoReader
	}
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	f, err := decode(raw, shared)
	if err != nil {
		return nil, err
	}
	return fromFile(f, shared)
}

// Architecture returns the network a wiggle model file describes (its
// metadata's architecture), without building it; ok is false for a file
// that describes none (bare tensors, a PyTorch state_dict).
func Architecture(f *File) (spec nn.Spec, ok bool, err error) {
	if f == nil || f.Metadata[keyFormat] != Format {
		return nn.Spec{}, false, nil
	}
	v, there := f.Metadata[keyArchitecture]
	if !there {
		return nn.Spec{}, false, nil
	}
	if err := json.Unmarshal([]byte(v), &spec); err != nil {
		return nn.Spec{}, false, fmt.Errorf("metadata %q is not valid: %v", keyArchitecture, err)
	}
	return spec, true, nil
}

// FromFile rebuilds the model a decoded wiggle model file holds, and checks
// it (see Check). Classes and Features that the file leaves out get the
// names Write would give them. The network owns its weights, copied from
// f's tensors, in memory backed for training (nn.Build).
func FromFile(f *File) (*Model, error) { return fromFile(f, false) }

// FromFileShared is FromFile for a model that will only infer, as package
// model serves one: the network's weights are f's tensors themselves, not
// copies (a change to one is a change to the other), and it has no
// gradients until a Backward needs them (nn.BuildSharing). With tensors
// that share the bytes read (LoadShared, ReadShared), a model is held in
// memory once until it is frozen (nn.Sequential.Freeze), and twice after.
func FromFileShared(f *File) (*Model, error) { return fromFile(f, true) }

// CheckFormat reports a file that another version of wiggle wrote (its
// "format" metadata "wiggle/2", say, not Format), which this one cannot
// be sure to read as it was meant. Other files pass: wiggle's own, and
// bare tensors with no format or another program's ("pt", as Hugging
// Face's safetensors writes), which LoadStateDict takes by their names.
func CheckFormat(f *File) error {
	if f == nil {
		return nil
	}
	if format := f.Metadata[keyFormat]; strings.HasPrefix(format, "wiggle/") && format != Format {
		return fmt.Errorf("a wiggle model file of format %q, which this wiggle does not read (it reads %q): a newer wiggle wrote it; read it with that one", format, Format)
	}
	return nil
}

// fromFile is FromFile, or FromFileShared where shared.
func fromFile(f *File, shared bool) (*Model, error) {
	if f == nil {
		return nil, errNoFile
	}
	if err := CheckFormat(f); err != nil {
		return nil, err
	}
	if f.Metadata[keyFormat] != Format {
		return nil, fmt.Errorf("not a wiggle model file (its metadata has no %q: %q); a file of bare tensors (a PyTorch state_dict) can only initialise a network", keyFormat, Format)
	}
	m := &Model{Loss: f.Metadata[keyLoss], Target: f.Metadata[keyTarget]}
	spec, _, err := Architecture(f)
	if err != nil {
		return nil, err
	}
	for key, dst := range map[string]any{keyFeatures: &m.Features, keyClasses: &m.Classes, keyStandardize: &m.Scaler} {
		if v, ok := f.Metadata[key]; ok {
			if err := json.Unmarshal([]byte(v), dst); err != nil {
				return nil, fmt.Errorf("metadata %q is not valid: %v", key, err)
			}
		}
	}
	tensors := ModelTensors(f)
	if need, have := spec.Params(), floatsIn(tensors); need > float64(have) { // before Build allocates them
		return nil, fmt.Errorf("the architecture has %.4g parameters but the file holds %d floats%s; it is not the file this architecture was saved with", need, have, lacking(spec, tensors))
	}
	if shared {
		m.Net, err = nn.BuildSharing(spec, func(name string, shape []int) []float32 {
			if t := tensors.Tensor(name); t != nil && slices.Equal(t.Shape, shape) {
				return t.Data[:len(t.Data):len(t.Data)]
			}
			return make([]float32, numel(shape)) // a stand-in: fitStateDict names what is wrong
		})
	} else {
		m.Net, err = nn.Build(spec, rand.New(rand.NewPCG(0, 0)))
	}
	if err != nil {
		return nil, err
	}
	load := LoadStateDict
	if shared {
		load = fitStateDict // the values are the tensors already: check their names
	}
	if err := load(m.Net, tensors); err != nil {
		return nil, err
	}
	if err := m.Check(); err != nil {
		return nil, err
	}
	return m.withDefaults(), nil
}

// Check reports what makes m unusable: no network, or one whose layers do
// not chain (nn.Sequential.Check), an unknown loss, class labels that do
// not match the network's outputs or name two classes alike, feature names
// that name two columns alike or name the target column, a label, feature
// name or target that is not UTF-8 text (a file keeps them as UTF-8, and
// would read back another string), feature names or a standardisation of
// another width than its input, a standardisation that is not finite or
// divides by zero, or a parameter that is not finite. Write and Save
// refuse what Check refuses, so a file written is one Read takes.
func (m *Model) Check() error {
	if m == nil || m.Net == nil {
		return errors.New("the model has no network")
	}
	if err := m.Net.Check(); err != nil {
		return err
	}
	if err := m.checkText(); err != nil {
		return err
	}
	l, err := loss.New(m.Loss)
	if err != nil {
		return err
	}
	in, outputs := m.Net.In, m.Net.OutSize()
	classes := loss.Classes(l, outputs)
	if err := loss.CheckOutputs(l, outputs); err != nil {
		return err
	}
	switch {
	case classes == 0 && len(m.Classes) > 0:
		return fmt.Errorf("the loss %s predicts values, but the model has %d class labels", m.Loss, len(m.Classes))
	case m.Classes != nil && len(m.Classes) != classes:
		return fmt.Errorf("%d class labels for a network whose %d outputs under the loss %s tell %d classes apart", len(m.Classes), outputs, m.Loss, classes)
	case m.Features != nil && len(m.Features) != in:
		return fmt.Errorf("%d feature names for a network of %d inputs", len(m.Features), in)
	}
	first := make(map[string]int, len(m.Classes))
	for i, c := range m.Classes {
		if j, seen := first[c]; seen {
			return fmt.Errorf("classes %d and %d have one label, %q; a model's labels tell its classes apart", j, i, c)
		}
		first[c] = i
	}
	column := make(map[string]int, len(m.Features))
	for i, f := range m.Features {
		if f == m.Target && f != "" {
			return fmt.Errorf("feature %d is named %q, as the target is; a table's target column cannot also be a feature", i, f)
		}
		if j, seen := column[f]; seen {
			return fmt.Errorf("features %d and %d have one name, %q; a model's feature names tell its data's columns apart", j, i, f)
		}
		column[f] = i
	}
	if s := m.Scaler; s != nil {
		if len(s.Mean) != in || len(s.Std) != in {
			return fmt.Errorf("a standardisation of %d means and %d deviations for a network of %d inputs", len(s.Mean), len(s.Std), in)
		}
		for j := range in {
			if !finite(s.Mean[j]) || !finite(s.Std[j]) || s.Std[j] == 0 {
				return fmt.Errorf("feature %d is standardised with mean %v and deviation %v; want finite numbers and a deviation other than 0", j, s.Mean[j], s.Std[j])
			}
		}
	}
	if p, i := m.Net.NonFinite(); p != nil {
		return fmt.Errorf("parameter %s[%d] is %v; a model's parameters are finite", p.Name, i, p.Value[i])
	}
	return nil
}

// checkText refuses a class label, feature name or target that is not
// UTF-8: the metadata is JSON, which would write U+FFFD in its place.
func (m *Model) checkText() error {
	const why = "; a model file keeps its names as UTF-8 text"
	for i, c := range m.Classes {
		if !utf8.ValidString(c) {
			return fmt.Errorf("class %d's label %q is not UTF-8 text%s", i, c, why)
		}
	}
	for i, f := range m.Features {
		if !utf8.ValidString(f) {
			return fmt.Errorf("feature %d's name %q is not UTF-8 text%s", i, f, why)
		}
	}
	if !utf8.ValidString(m.Target) {
		return fmt.Errorf("the target's name %q is not UTF-8 text%s", m.Target, why)
	}
	return nil
}

func finite(v float32) bool { return !math.IsNaN(float64(v)) && !math.IsInf(float64(v), 0) }

// withDefaults returns m, or a copy of it with the class and feature names
// that m leaves out.
func (m *Model) withDefaults() *Model {
	l, _ := loss.New(m.Loss) // Check has run
	classes := loss.Classes(l, m.Net.OutSize())
	if (m.Classes != nil || classes == 0) && m.Features != nil {
		return m
	}
	c := *m
	if c.Classes == nil && classes > 0 {
		c.Classes = numbered("", classes)
	}
	if c.Features == nil {
		c.Features = numbered("x", m.Net.In)
	}
	return &c
}

// numbered returns prefix0, prefix1, ... up to n.
func numbered(prefix string, n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = prefix + strconv.Itoa(i)
	}
	return names
}

// CheckpointPrefixes begin the names of a checkpoint's tensors that are
// not the model's: the optimizer's state and early stopping's best
// weights. FromFile (and so Load and `wiggle eval`) leaves them out, as
// `wiggle train --init` does from a checkpoint.
var CheckpointPrefixes = []string{"optimizer.", "best."}

// ModelTensors returns f with the tensors of CheckpointPrefixes left out.
func ModelTensors(f *File) *File {
	if f == nil {
		return &File{}
	}
	out := &File{Metadata: f.Metadata}
	for _, t := range f.Tensors {
		if !slices.ContainsFunc(CheckpointPrefixes, func(p string) bool { return strings.HasPrefix(t.Name, p) }) {
			out.Tensors = append(out.Tensors, t)
		}
	}
	return out
}

// floatsIn counts the floats of f's tensors.
func floatsIn(f *File) int {
	n := 0
	for _, t := range f.Tensors {
		n += len(t.Data)
	}
	return n
}

// StateDict returns the network's parameters as tensors, sharing their
// storage, named and ordered as PyTorch's state_dict; none for a nil net.
func StateDict(net *nn.Sequential) []Tensor {
	var ts []Tensor
	for _, p := range net.Params() {
		ts = append(ts, Tensor{Name: p.Name, Shape: p.Shape, Data: p.Value})
	}
	return ts
}

// LoadStateDict copies f's tensors into net. The names and shapes must be
// exactly those of net's parameters; the error names the tensors that
// differ and how (the first six, and how many more).
func LoadStateDict(net *nn.Sequential, f *File) error {
	if err := fitStateDict(net, f); err != nil {
		return err
	}
	tensors := tensorsByName(f)
	for _, p := range net.Params() {
		copy(p.Value, tensors[p.Name].Data)
	}
	return nil
}

// tensorsByName is f's tensors by name (the first of a name): a search a
// parameter was quadratic in a file of many layers (64,000 took 15 s).
func tensorsByName(f *File) map[string]*Tensor {
	tensors := make(map[string]*Tensor, len(f.Tensors))
	for i := range f.Tensors {
		if _, seen := tensors[f.Tensors[i].Name]; !seen {
			tensors[f.Tensors[i].Name] = &f.Tensors[i]
		}
	}
	return tensors
}

// fitStateDict is LoadStateDict's check: f's tensors are net's parameters,
// by name and shape, every one.
func fitStateDict(net *nn.Sequential, f *File) error {
	switch {
	case net == nil:
		return errors.New("no network (nil) to load the tensors into")
	case f == nil:
		return errNoFile
	}
	var problems []string
	params := net.Params()
	tensors := tensorsByName(f)
	names := make(map[string]bool, len(params))
	for _, p := range params {
		names[p.Name] = true
		t := tensors[p.Name]
		switch {
		case t == nil:
			problems = append(problems, fmt.Sprintf("tensor %s %s is missing", p.Name, ShapeString(p.Shape)))
		case !slices.Equal(t.Shape, p.Shape):
			problems = append(problems, fmt.Sprintf("tensor %s has shape %s, the network needs %s", p.Name, ShapeString(t.Shape), ShapeString(p.Shape)))
		}
	}
	for _, t := range f.Tensors {
		if !names[t.Name] {
			problems = append(problems, fmt.Sprintf("tensor %s %s is not a parameter of the network", t.Name, ShapeString(t.Shape)))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("the tensors do not fit the network (%s): %s", describe(net), strings.Join(firstFew(problems), "; "))
	}
	return nil
}

// firstFew is problems, or its first six and how many more: a file of
// 300,000 stray tensors made an error of 16 MB.
func firstFew(problems []string) []string {
	const few = 6
	if len(problems) <= few {
		return problems
	}
	return append(slices.Clip(problems[:few]), fmt.Sprintf("and %d more", len(problems)-few))
}

// lacking names the tensors spec needs that f does not hold, or holds in
// another shape, after a colon, or says nothing where every one is there
// (the file's are then too small for what the spec says of their layers).
func lacking(spec nn.Spec, f *File) string {
	var problems []string
	for _, p := range spec.ParamShapes() {
		switch t := f.Tensor(p.Name); {
		case t == nil:
			problems = append(problems, fmt.Sprintf("tensor %s %s is missing", p.Name, ShapeString(p.Shape)))
		case !slices.Equal(t.Shape, p.Shape):
			problems = append(problems, fmt.Sprintf("tensor %s has shape %s, the architecture needs %s", p.Name, ShapeString(t.Shape), ShapeString(p.Shape)))
		}
	}
	switch {
	case len(problems) == 0:
		return ""
	case len(problems) > maxNamed:
		problems = append(problems[:maxNamed], fmt.Sprintf("and %d more", len(problems)-maxNamed))
	}
	return ": " + strings.Join(problems, "; ")
}

// maxNamed is the most tensors an error names one by one.
const maxNamed = 6

// describe names a network's parameters and shapes, for error messages.
func describe(net *nn.Sequential) string {
	var parts []string
	for _, p := range net.Params() {
		parts = append(parts, p.Name+" "+ShapeString(p.Shape))
	}
	return strings.Join(parts, ", ")
}
