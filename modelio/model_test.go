package modelio

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/tensor"
)

func testModel(t *testing.T) *Model {
	rng := rand.New(rand.NewPCG(1, 2))
	net, err := nn.Build(nn.NewMLPSpec(2, []int{4, 3}, 3, "prelu", nn.MLPOptions{Dropout: 0.1}), rng)
	if err != nil {
		t.Fatal(err)
	}
	nn.InitDefault(net, rng)
	return &Model{Net: net, Loss: "softmax", Target: "label", Features: []string{"x0", "x1"},
		Classes: []string{"a", "b", "c"}, Scaler: &data.Standardizer{Mean: []float32{1, 2}, Std: []float32{3, 4}}}
}

func TestSaveLoadRebuildsTheModel(t *testing.T) {
	m := testModel(t)
	path := filepath.Join(t.TempDir(), "m.safetensors")
	if err := Save(path, m); err != nil {
		t.Fatal(err)
	}
	back, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back.Classes, m.Classes) || !slices.Equal(back.Features, m.Features) || back.Loss != "softmax" ||
		back.Target != "label" || !slices.Equal(back.Scaler.Std, m.Scaler.Std) {
		t.Errorf("loaded %+v, want %+v", back, m)
	}
	x := tensor.FromRows([][]float32{{0.5, -1}, {2, 3}})
	want := m.Net.Forward(x, false).Clone()
	if got := back.Net.Forward(x, false); !slices.Equal(got.Data, want.Data) {
		t.Errorf("loaded network gives %v, the saved one %v", got.Data, want.Data)
	}
	// Saving again gives the same bytes.
	first, _ := os.ReadFile(path)
	Save(path, back)
	if second, _ := os.ReadFile(path); string(first) != string(second) {
		t.Error("saving a loaded model changed the file")
	}
}

func TestLoadStateDictSaysWhatDiffers(t *testing.T) {
	net := testModel(t).Net
	f := &File{Tensors: StateDict(net)}
	f.Tensors[0].Shape = []int{5, 2}
	f.Tensors = append(f.Tensors[:1], f.Tensors[2:]...) // drop 0.bias
	f.Tensors = append(f.Tensors, Tensor{Name: "9.weight", Shape: []int{1}, Data: []float32{1}})
	err := LoadStateDict(net, f)
	if err == nil {
		t.Fatal("mismatched tensors were loaded")
	}
	for _, want := range []string{"0.weight has shape [5 2], the network needs [4 2]", "0.bias [4] is missing", "9.weight [1] is not a parameter"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	// Many stray tensors: the first few named and the rest counted, where
	// 300,000 made an error of 16 MB.
	f = &File{Tensors: StateDict(net)}
	for i := range 1000 {
		f.Tensors = append(f.Tensors, Tensor{Name: fmt.Sprintf("x%d", i), Shape: []int{1}, Data: []float32{1}})
	}
	if err := LoadStateDict(net, f); err == nil || !strings.Contains(err.Error(), "x5 [1] is not a parameter of the network; and 994 more") || strings.Contains(err.Error(), "x6 ") {
		t.Errorf("a thousand stray tensors: %.300v; want six named and 994 counted", err)
	}
}

func TestLoadRejectsBareTensors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bare.safetensors")
	if err := WriteFile(path, &File{Tensors: StateDict(testModel(t).Net)}); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "can only initialise a network") {
		t.Errorf("Load of a bare state_dict: %v; want an error saying what such a file is for", err)
	}
}

// TestFromFileRefusesAnArchitectureLargerThanItsTensors: a small file whose
// metadata claims a huge layer is refused before the layer is built (it
// would otherwise ask for terabytes).
func TestFromFileRefusesAnArchitectureLargerThanItsTensors(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, testModel(t)); err != nil {
		t.Fatal(err)
	}
	f, err := Decode(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	f.Metadata[keyArchitecture] = `{"in":1000000000,"layers":[{"type":"dense","in":1000000000,"out":3}]}`
	if _, err := FromFile(f); err == nil || !strings.Contains(err.Error(), "the file holds") {
		t.Errorf("FromFile of a 3e9-parameter architecture with %d tensors: %v; want an error comparing the two", len(f.Tensors), err)
	}
}

// TestFromFileNamesAMissingTensor: a model file that lost a tensor holds
// fewer floats than its architecture needs; the refusal names the tensor,
// as a file whose tensor has another shape is named, not only the counts;
// past six, the rest are counted.
func TestFromFileNamesAMissingTensor(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, testModel(t)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		edit func(f *File)
		want string
	}{
		{"a tensor dropped", func(f *File) {
			f.Tensors = slices.DeleteFunc(f.Tensors, func(t Tensor) bool { return t.Name == "0.weight" })
		}, "tensor 0.weight [4 2] is missing"},
		{"a tensor cut short", func(f *File) {
			i := slices.IndexFunc(f.Tensors, func(t Tensor) bool { return t.Name == "3.weight" })
			f.Tensors[i].Shape, f.Tensors[i].Data = []int{2, 4}, f.Tensors[i].Data[:8]
		}, "tensor 3.weight has shape [2 4], the architecture needs [3 4]"},
		{"every tensor dropped", func(f *File) { f.Tensors = nil }, "tensor 0.weight [4 2] is missing; tensor 0.bias [4] is missing"},
		{"every tensor dropped, the list cut", func(f *File) { f.Tensors = nil }, "; and 2 more;"},
	} {
		f, err := Decode(buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		c.edit(f)
		for _, from := range []func(*File) (*Model, error){FromFile, FromFileShared} {
			if _, err := from(f); err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "the file holds") {
				t.Errorf("%s: %v; want the counts and %q", c.name, err, c.want)
			}
		}
	}
}

// TestCheckRefusesTwoClassesOfOneLabel: a model whose class labels name two
// classes alike cannot be saved; one class each can.
func TestCheckRefusesTwoClassesOfOneLabel(t *testing.T) {
	m := testModel(t)
	if err := m.Check(); err != nil {
		t.Fatal(err)
	}
	m.Classes = slices.Clone(m.Classes)
	m.Classes[len(m.Classes)-1] = m.Classes[0]
	want := fmt.Sprintf("classes 0 and %d have one label, %q", len(m.Classes)-1, m.Classes[0])
	if err := m.Check(); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Check: %v, want %q", err, want)
	}
	if err := Save(filepath.Join(t.TempDir(), "m.safetensors"), m); err == nil {
		t.Error("Save wrote a model of two classes alike")
	}
	m = testModel(t) // and two feature names alike, which a file's columns cannot be matched to
	if len(m.Features) < 2 {
		t.Fatalf("the test model has %d features; want 2 or more", len(m.Features))
	}
	m.Features = slices.Clone(m.Features)
	m.Features[1] = m.Features[0]
	if err := m.Check(); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("features 0 and 1 have one name, %q", m.Features[0])) {
		t.Errorf("Check of two feature names alike: %v", err)
	}
}

// TestCheckRefusesFeaturesAndScalesThatCannotServe: a feature named as
// the target (import --features took the target's name, and eval then
// failed on an option's Go name), a deviation of 0, names that are not
// UTF-8 (written, they read back as U+FFFD: two labels became one, or
// another string) and layers that do not chain (Save wrote them, Load
// refused them): Check refuses each, and Save writes no file.
func TestCheckRefusesFeaturesAndScalesThatCannotServe(t *testing.T) {
	for _, c := range []struct {
		change func(m *Model)
		want   string
	}{
		{func(m *Model) { m.Features = []string{m.Target, "x1"} }, `feature 0 is named "label", as the target is`},
		{func(m *Model) { m.Scaler = &data.Standardizer{Mean: []float32{0, 0}, Std: []float32{0, 1}} }, "feature 0 is standardised with mean 0 and deviation 0; want finite numbers and a deviation other than 0"},
		{func(m *Model) { m.Classes = []string{"caf\xe9", "caf\xe8", "bar"} }, `class 0's label "caf\xe9" is not UTF-8 text`},
		{func(m *Model) { m.Features = []string{"x0", "\xff"} }, `feature 1's name "\xff" is not UTF-8 text`},
		{func(m *Model) { m.Target = "\xc3" }, `the target's name "\xc3" is not UTF-8 text`},
		{func(m *Model) {
			m.Net = nn.NewSequential(2, nn.NewDense(2, 4), nn.NewDense(5, 3))
			m.Scaler = nil
		}, "architecture: layer 1 (dense): takes 5 inputs but receives 4"},
	} {
		m := testModel(t)
		c.change(m)
		if err := m.Check(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Check: %v; want an error saying %q", err, c.want)
		}
		path := filepath.Join(t.TempDir(), "m.safetensors")
		if err := Save(path, m); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Save: %v; want an error saying %q", err, c.want)
		}
		if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Save refused the model but left %s (%v)", path, err)
		}
	}
}

// TestNilFilesAndNetworksAreErrors: the functions that take a *File or a
// network say so of nil, rather than panic.
func TestNilFilesAndNetworksAreErrors(t *testing.T) {
	var f *File
	if err := Encode(io.Discard, f); err == nil {
		t.Error("Encode(nil): no error")
	}
	if _, err := FromFile(f); err == nil {
		t.Error("FromFile(nil): no error")
	}
	if got := ModelTensors(f); got == nil || len(got.Tensors) != 0 {
		t.Errorf("ModelTensors(nil) = %+v", got)
	}
	if f.Tensor("weight") != nil {
		t.Error("a nil File holds a tensor")
	}
	m := testModel(t)
	if err := LoadStateDict(m.Net, f); err == nil {
		t.Error("LoadStateDict from a nil File: no error")
	}
	if err := LoadStateDict(nil, &File{}); err == nil {
		t.Error("LoadStateDict into a nil network: no error")
	}
}

// TestDecodeSaysWhatAFileLooksLike: a file that is not safetensors is
// told apart as text (a CSV file given as a model) or gzip.
func TestDecodeSaysWhatAFileLooksLike(t *testing.T) {
	for _, c := range []struct {
		raw  string
		want string
	}{
		{"x0,x1,label\n0.5,1,cat\n", "it looks like text: a CSV file?"},
		{strings.Repeat("x", 62) + "고양이,label\n1,0\n", "it looks like text: a CSV file?"}, // a character cut at 64 bytes
		{"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", "it looks gzipped"},
		{"\x08\x07\x12\x07pytorch\x1a\x041.13", "an ONNX file, not a safetensors file (package modelio/onnx reads it)"},
	} {
		if _, err := Decode([]byte(c.raw)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Decode(%q): %v, want %q", c.raw, err, c.want)
		}
	}
	if _, err := Decode([]byte("\x08\x07\x12\x07pytorch\x1a\x041.13")); !errors.Is(err, ErrONNX) {
		t.Errorf("Decode of an ONNX file: %v; want it to match ErrONNX", err)
	}
}

// TestFromFileSharedSharesTheTensors: FromFileShared builds the network
// FromFile builds, on f's tensors themselves rather than copies, without
// gradients until a Backward, and refuses a file that does not fit its
// architecture with FromFile's own error.
func TestFromFileSharedSharesTheTensors(t *testing.T) {
	m := testModel(t)
	var buf bytes.Buffer
	if err := Write(&buf, m); err != nil {
		t.Fatal(err)
	}
	decoded := func() *File {
		f, err := Decode(slices.Clone(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	f := decoded()
	shared, err := FromFileShared(f)
	if err != nil {
		t.Fatal(err)
	}
	copied, err := FromFile(decoded())
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range shared.Net.Params() {
		if p.Grad != nil {
			t.Errorf("%s has %d gradients before any Backward, want none", p.Name, len(p.Grad))
		}
		if &p.Value[0] != &f.Tensor(p.Name).Data[0] {
			t.Errorf("%s is a copy of the file's tensor, not the tensor", p.Name)
		}
		if &copied.Net.Params()[i].Value[0] == &p.Value[0] {
			t.Errorf("FromFile's %s is the file's tensor, not a copy", p.Name)
		}
	}
	x := tensor.FromRows([][]float32{{0.5, -1}, {2, 3}})
	want := copied.Net.Forward(x, false).Clone()
	if got := shared.Net.Forward(x, false); !slices.Equal(got.Data, want.Data) {
		t.Errorf("the shared network gives %v, FromFile's %v", got.Data, want.Data)
	}
	dOut := tensor.FromRows([][]float32{{1, -1, 0.5}, {0, 2, -3}})
	shared.Net.Forward(x, true)
	copied.Net.Forward(x, true)
	shared.Net.Backward(dOut)
	copied.Net.Backward(dOut)
	for i, p := range shared.Net.Params() {
		if want := copied.Net.Params()[i].Grad; !slices.Equal(p.Grad, want) {
			t.Errorf("%s's gradient after a Backward: %v, FromFile's network %v", p.Name, p.Grad, want)
		}
	}

	bad := decoded()
	bad.Tensors[0].Shape = []int{len(bad.Tensors[0].Data), 1}
	_, sharedErr := FromFileShared(bad)
	_, copiedErr := FromFile(bad)
	if sharedErr == nil || copiedErr == nil || sharedErr.Error() != copiedErr.Error() {
		t.Errorf("a tensor of the wrong shape: FromFileShared says %v, FromFile %v; want the same error", sharedErr, copiedErr)
	}
}

// TestArchitectureReadsTheSpecAlone: a model file's architecture is its
// network's spec, read without building it; bare tensors and a nil file
// have none; a damaged one is an error.
func TestArchitectureReadsTheSpecAlone(t *testing.T) {
	m := testModel(t)
	f, err := m.File()
	if err != nil {
		t.Fatal(err)
	}
	if spec, ok, err := Architecture(f); err != nil || !ok || spec.String() != m.Net.Spec().String() {
		t.Errorf("Architecture of a model file: %v, %v, %v; want %v", spec, ok, err, m.Net.Spec())
	}
	for name, f := range map[string]*File{"bare tensors": {Tensors: f.Tensors}, "nil": nil} {
		if _, ok, err := Architecture(f); ok || err != nil {
			t.Errorf("%s: %v, %v; want none and no error", name, ok, err)
		}
	}
	f.Metadata[keyArchitecture] = "{"
	if _, ok, err := Architecture(f); ok || err == nil {
		t.Errorf("a damaged architecture: %v, %v; want an error", ok, err)
	}
}

// TestNilReadersAndWriters: a nil io.Reader or io.Writer, or an empty
// path, is an error that says so, not a nil dereference.
func TestNilReadersAndWriters(t *testing.T) {
	m := testModel(t)
	f, err := m.File()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"Read", second(Read(nil)), "no reader (a nil io.Reader)"},
		{"ReadShared", second(ReadShared(nil)), "no reader (a nil io.Reader)"},
		{"Write", Write(nil, m), "no writer (a nil io.Writer)"},
		{"Encode", Encode(nil, f), "no writer (a nil io.Writer)"},
		{"Save to no path", Save("", m), "no file name (the path is empty)"},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: %v; want an error saying %q", c.name, c.err, c.want)
		}
	}
}

func second[T any](_ T, err error) error { return err }

// TestFormatsOfOtherVersions: a file a newer wiggle wrote is said to be
// one (it had been called "not a wiggle model file", and taken as bare
// tensors by --init); another program's, and bare tensors, pass
// CheckFormat for LoadStateDict, and FromFile refuses them as before.
func TestFormatsOfOtherVersions(t *testing.T) {
	f, err := testModel(t).File()
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckFormat(f); err != nil {
		t.Errorf("CheckFormat of wiggle's own file: %v", err)
	}
	const newer = `a wiggle model file of format "wiggle/2", which this wiggle does not read (it reads "wiggle/1"): a newer wiggle wrote it; read it with that one`
	f.Metadata[keyFormat] = "wiggle/2"
	if err := CheckFormat(f); err == nil || err.Error() != newer {
		t.Errorf("CheckFormat of wiggle/2: %v; want %q", err, newer)
	}
	if _, err := FromFile(f); err == nil || err.Error() != newer {
		t.Errorf("FromFile of wiggle/2: %v; want %q", err, newer)
	}
	// bare tensors, and another program's (Hugging Face writes "pt"), pass: --init reads them by name
	f.Metadata[keyFormat] = "pt"
	if err := CheckFormat(f); err != nil {
		t.Errorf("CheckFormat of a pt file: %v; want none", err)
	}
	if _, err := FromFile(f); err == nil || !strings.Contains(err.Error(), "not a wiggle model file") {
		t.Errorf("FromFile of a pt file: %v; want it refused as no wiggle model", err)
	}
	if err := CheckFormat(&File{Tensors: f.Tensors}); err != nil {
		t.Errorf("CheckFormat of bare tensors: %v; want none", err)
	}
}
