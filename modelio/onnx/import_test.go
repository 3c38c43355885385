package onnx

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/wigglenn/wiggle/internal/onnxpb"
	"github.com/wigglenn/wiggle/model"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/nn"
)

// testActivations is every activation of the catalogue, several with
// parameters other than the defaults, and the PReLU and maxout layers.
var testActivations = []string{"identity", "step", "step(at_zero=0.5)", "sigmoid", "tanh", "relu", "leaky_relu", "leaky_relu(negative_slope=0.2)",
	"elu", "elu(alpha=0.5)", "selu", "celu(alpha=2)", "gelu", "gelu(approximate=tanh)", "gelu_tanh", "silu",
	"softplus", "softplus(beta=2, threshold=5)", "mish", "hardtanh(min_val=-0.5, max_val=2)", "relu6", "hardsigmoid",
	"hardswish", "softsign", "logsigmoid", "prelu", "maxout"}

// TestExportImportRoundTrip exports a model of every activation under each
// loss, with and without standardisation, and reads it back: the same
// parameters bit for bit, the same standardisation, loss and layers
// (each activation by its own name: the file lists them), and the same
// predictions.
func TestExportImportRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	dir := t.TempDir()
	for i, a := range testActivations {
		lossName := []string{"softmax", "logistic", "hinge", "mse"}[i%4]
		c := exportCase(t, dir, a, lossName, i%3 == 0, DefaultOpset, rng)
		orig, err := modelio.Load(c.file + ".safetensors")
		if err != nil {
			t.Fatal(err)
		}
		back, err := Load(c.file, Options{})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if back.Loss != orig.Loss {
			t.Errorf("%s: loss %s, want %s", c.name, back.Loss, orig.Loss)
		}
		if !sameScaler(back, orig) {
			t.Errorf("%s: standardisation %v, want %v", c.name, back.Scaler, orig.Scaler)
		}
		if got, want := layerNames(back.Net), layerNames(withoutDropout(orig.Net)); got != want {
			t.Errorf("%s: layers\n%s, want\n%s", c.name, got, want)
		}
		gp, wp := back.Net.Params(), orig.Net.Params()
		if len(gp) != len(wp) {
			t.Errorf("%s: %d parameters, want %d", c.name, len(gp), len(wp))
			continue
		}
		for k := range gp {
			if !equalBits(gp[k].Value, wp[k].Value) {
				t.Errorf("%s: parameter %d (%s) differs from %s", c.name, k, gp[k].Name, wp[k].Name)
			}
		}
		served, err := model.New(back)
		if err != nil {
			t.Fatal(err)
		}
		got, err := served.Predict(c.rows)
		if err != nil {
			t.Fatal(err)
		}
		for r := range got {
			for j := range got[r] {
				if g, w := got[r][j], c.want[r][j]; math.Abs(float64(g-w)) > 1e-6+1e-6*math.Abs(float64(w)) {
					t.Errorf("%s: row %d output %d: %v after the round trip, %v before", c.name, r, j, g, w)
				}
			}
		}
	}
}

// TestOwnFilesReadBackExactly: a file of wiggle's own lists its
// activations, and each reads back as itself, though others agree with
// it within the reading's tolerance: softplus of another threshold, far
// out; logsigmoid for softplus(beta=-1); leaky_relu for the fixed-slope
// prelu, whose ONNX form is LeakyRelu; gelu_tanh for gelu(approximate=tanh);
// one relu for two in a row; and after an identity activation, which is
// read as a layer of its own. Without the list (another writer's file),
// the reading finds the first that agrees, and it predicts the same.
func TestOwnFilesReadBackExactly(t *testing.T) {
	for _, c := range []struct {
		groups  [][]string // activations in a row, a Dense layer before each group
		without string     // the one activation read back without the list, where there is one
		loss    string     // softmax where empty
		endsAct bool       // no Dense layer after the last group: the network ends in its activations
	}{
		{groups: [][]string{{"prelu(weight=0.1)"}}, without: "leaky_relu(negative_slope=0.1)"},
		{groups: [][]string{{"softplus(beta=2, threshold=10)"}}},
		{groups: [][]string{{"softplus(beta=-1)"}}, without: "logsigmoid"},
		{groups: [][]string{{"gelu(approximate=tanh)"}}, without: "gelu_tanh"},
		{groups: [][]string{{"identity"}, {"gelu(approximate=tanh)"}}},
		{groups: [][]string{{"relu", "relu"}, {"gelu(approximate=tanh)"}}},
		{groups: [][]string{{"tanh", "prelu(weight=0.1)"}}},
		{groups: [][]string{{"prelu(weight=0.1)"}}, endsAct: true},
		{groups: [][]string{{"relu", "relu"}}, endsAct: true, loss: "mse"},
		{groups: [][]string{{"tanh", "identity"}}, endsAct: true, loss: "hinge"},
		{groups: [][]string{{"softplus(beta=2, threshold=10)"}}, endsAct: true, loss: "logistic"},
		// softplus jumps at x = threshold/beta, where float32's beta·x and
		// the reading's float64 may fall on either side: a function is
		// taken a float32 step beside such a point.
		{groups: [][]string{{"softplus(beta=0.5717, threshold=2.26)"}}, without: "softplus(beta=0.5717, threshold=2.26)"},
		{groups: [][]string{{"softplus(beta=-0.5717, threshold=2.26)"}}, without: "softplus(beta=-0.5717, threshold=2.26)"},
		{groups: [][]string{{"softplus(beta=0.1273, threshold=7.76)"}}, without: "softplus(beta=0.1273, threshold=7.76)"}, // no point between 60.96 and 61.7, threshold=7.8554597's jump, but threshold/beta ± 1/128
		{groups: [][]string{{"softplus(beta=0.1, threshold=1)"}}, without: "softplus(beta=0.1, threshold=1)"},             // jumps at a sample point, 10
		{groups: [][]string{{"softplus(beta=0.1175, threshold=2.82)"}}, without: "softplus(beta=0.1175, threshold=2.82)"}, // at a far point, 24
		{groups: [][]string{{"softplus(beta=0.128, threshold=1)"}}, without: "softplus(beta=0.128, threshold=1)"},         // a float32 step from a sample point, 7.8125
		{groups: [][]string{{"softplus(beta=0.128, threshold=2.04)"}}, without: "softplus(beta=0.128, threshold=2.04)"},   // read back neither way before
	} {
		loss := cmp.Or(c.loss, "softmax")
		out := 2
		if loss == "logistic" {
			out = 1
		}
		spec := nn.Spec{In: 3}
		for g, group := range c.groups {
			width := 3
			if c.endsAct && g == len(c.groups)-1 {
				width = out
			}
			spec.Layers = append(spec.Layers, nn.LayerSpec{Type: "dense", In: 3, Out: width})
			for _, a := range group {
				spec.Layers = append(spec.Layers, nn.LayerSpec{Type: "activation", Act: a})
			}
		}
		if !c.endsAct {
			spec.Layers = append(spec.Layers, nn.LayerSpec{Type: "dense", In: 3, Out: out})
		}
		rng := rand.New(rand.NewPCG(3, 3))
		net, err := nn.Build(spec, rng)
		if err != nil {
			t.Fatal(err)
		}
		nn.InitDefault(net, rng)
		m := &modelio.Model{Net: net, Loss: loss}
		exported, err := export(m, DefaultOpset)
		if err != nil {
			t.Fatal(err)
		}
		rows := [][]float32{{-3, 2, 1}, {0.5, -4, 2}, {5, 5, -5}, {40, -30, 20}}
		want, _ := mustServe(t, m).Predict(rows)
		for _, withList := range []bool{true, false} {
			back, err := readBack(t, exported, withList)
			if err != nil {
				t.Fatalf("%v (list %v): %v", c.groups, withList, err)
			}
			got, orig := layerNames(back.Net), layerNames(net)
			if withList && got != orig || !withList && c.without != "" && back.Net.Spec().Layers[1].Act != c.without {
				t.Errorf("%v (list %v): read back as\n%s, from\n%s", c.groups, withList, got, orig)
			}
			gotRows, _ := mustServe(t, back).Predict(rows)
			for i := range want {
				for j := range want[i] {
					if d := math.Abs(float64(gotRows[i][j] - want[i][j])); withList && d != 0 || d > 1e-4 {
						t.Errorf("%v (list %v): row %d output %d: %v after the round trip, %v before", c.groups, withList, i, j, gotRows[i][j], want[i][j])
					}
				}
			}
		}
	}
}

// TestNamesRoundTrip: class and feature names holding commas, quotes,
// spaces and line breaks read back as they were; a list as an older
// writer joined it, at every comma, still reads.
func TestNamesRoundTrip(t *testing.T) {
	spec := nn.Spec{In: 3, Layers: []nn.LayerSpec{{Type: "dense", In: 3, Out: 3}}}
	net, err := nn.Build(spec, rand.New(rand.NewPCG(4, 4)))
	if err != nil {
		t.Fatal(err)
	}
	m := &modelio.Model{Net: net, Loss: "softmax", Features: []string{"height, cm", ` "quoted" `, "two\nlines"}, Classes: []string{"a,b", "c", ""}}
	var file bytes.Buffer
	if err := Write(&file, m, DefaultOpset); err != nil {
		t.Fatal(err)
	}
	back, err := Read(&file, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back.Features, m.Features) || !slices.Equal(back.Classes, m.Classes) {
		t.Errorf("read back features %q and classes %q; want %q and %q", back.Features, back.Classes, m.Features, m.Classes)
	}
	if got := splitList(`x,y"z,w`); !slices.Equal(got, []string{"x", `y"z`, "w"}) {
		t.Errorf("an older writer's list read as %q", got)
	}
	if got, err := listOr(map[string]string{"f": `"a,b"`}, "f", "x", 2); err != nil || !slices.Equal(got, []string{`"a`, `b"`}) {
		t.Errorf("an older writer's two names read as %q, %v", got, err) // one CSV field, two names at its commas
	}
}

// TestCutShortRefused: wiggle's export cut at any byte is refused, never
// read back without its last fields (ONNX's encoding records no length,
// so a cut between two metadata entries parses as a whole file).
func TestCutShortRefused(t *testing.T) {
	spec := nn.Spec{In: 2, Layers: []nn.LayerSpec{{Type: "dense", In: 2, Out: 3}, {Type: "activation", Act: "tanh"}, {Type: "dense", In: 3, Out: 3}}}
	net, err := nn.Build(spec, rand.New(rand.NewPCG(5, 5)))
	if err != nil {
		t.Fatal(err)
	}
	m := &modelio.Model{Net: net, Loss: "softmax", Target: "label", Features: []string{"x", "y"}, Classes: []string{"cat", "dog", "emu"}}
	var file bytes.Buffer
	if err := Write(&file, m, DefaultOpset); err != nil {
		t.Fatal(err)
	}
	raw := file.Bytes()
	if _, err := Read(bytes.NewReader(raw), Options{}); err != nil {
		t.Fatalf("the whole file: %v", err)
	}
	cutShort := 0
	for cut := 1; cut < len(raw); cut++ {
		back, err := Read(bytes.NewReader(raw[:cut]), Options{Loss: "softmax"})
		if err == nil {
			t.Fatalf("cut at byte %d of %d: read, classes %q, target %q; want an error", cut, len(raw), back.Classes, back.Target)
		}
		if errors.Is(err, ErrCutShort) {
			cutShort++
		}
	}
	if cutShort == 0 {
		t.Error("no cut gave ErrCutShort: the cuts between the metadata's entries are not told apart from other damage")
	}
}

// TestMetadataNamesOfAnotherCount: a file whose metadata lists other
// counts of classes or features than its network has is refused with a
// *NamesError naming the list (it had been read as 0,1,2 or x0,x1 without
// a word); Options' lists of the right count read it.
func TestMetadataNamesOfAnotherCount(t *testing.T) {
	spec := nn.Spec{In: 2, Layers: []nn.LayerSpec{{Type: "dense", In: 2, Out: 3}}}
	net, err := nn.Build(spec, rand.New(rand.NewPCG(4, 4)))
	if err != nil {
		t.Fatal(err)
	}
	m := &modelio.Model{Net: net, Loss: "softmax"}
	for _, c := range []struct {
		key, list string
		want      int
	}{{"classes", "a,b", 3}, {"features", "p,q,r", 2}} {
		var buf bytes.Buffer
		if err := Write(&buf, m, DefaultOpset); err != nil {
			t.Fatal(err)
		}
		var pb onnxpb.ModelProto
		if err := proto.Unmarshal(buf.Bytes(), &pb); err != nil {
			t.Fatal(err)
		}
		pb.MetadataProps = append(pb.MetadataProps, &onnxpb.StringStringEntryProto{Key: proto.String(c.key), Value: proto.String(c.list)}) // as an editor of the file might
		raw, err := proto.Marshal(&pb)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Read(bytes.NewReader(raw), Options{})
		var ne *NamesError
		if !errors.As(err, &ne) || ne.Key != c.key || ne.Want != c.want || strings.Join(ne.Names, ",") != c.list {
			t.Errorf("metadata %s %q for %d: %v; want a *NamesError naming them", c.key, c.list, c.want, err)
		}
		opt := Options{Classes: []string{"u", "v", "w"}, Features: []string{"s", "t"}}
		if back, err := Read(bytes.NewReader(raw), opt); err != nil || !slices.Equal(back.Classes, opt.Classes) || !slices.Equal(back.Features, opt.Features) {
			t.Errorf("metadata %s %q with Options' lists: %v", c.key, c.list, err)
		}
	}
}

// TestOwnFileKeepsItsLoss: a file of wiggle's export read with its own
// loss, or none, is read; with another, refused, naming both (mse would
// have read a softmax model's network as a regression of its logits).
func TestOwnFileKeepsItsLoss(t *testing.T) {
	net, err := nn.Build(nn.NewMLPSpec(2, []int{4}, 3, "tanh", nn.MLPOptions{}), rand.New(rand.NewPCG(5, 5)))
	if err != nil {
		t.Fatal(err)
	}
	var file bytes.Buffer
	if err := Write(&file, &modelio.Model{Net: net, Loss: "softmax"}, DefaultOpset); err != nil {
		t.Fatal(err)
	}
	for _, given := range []string{"", "softmax"} {
		if m, err := Read(bytes.NewReader(file.Bytes()), Options{Loss: given}); err != nil || m.Loss != "softmax" {
			t.Errorf("Options.Loss %q: loss %v, %v; want softmax", given, m, err)
		}
	}
	want := "it is wiggle's export of a softmax model; read as mse, its outputs would mean something else"
	if _, err := Read(bytes.NewReader(file.Bytes()), Options{Loss: "mse"}); !errors.Is(err, ErrOtherLoss) || !strings.Contains(err.Error(), want) {
		t.Errorf("Options.Loss mse: %v; want an error saying %q", err, want)
	}
	if _, err := Read(bytes.NewReader(file.Bytes()), Options{Loss: "foo"}); err == nil || errors.Is(err, ErrOtherLoss) || !strings.Contains(err.Error(), "Options.Loss: ") {
		t.Errorf("Options.Loss foo: %v; want it named as no loss", err)
	}
	// Its network ends at "logits"; "output" is the loss's (it had read
	// as an identity layer more, or failed on the logistic loss's Concat).
	var oe *OutputError
	if _, err := Read(bytes.NewReader(file.Bytes()), Options{Output: "output"}); !errors.As(err, &oe) || !oe.Written ||
		!strings.Contains(err.Error(), `the file is wiggle's export, whose network ends at its output "logits"; "output" is its loss's (what predict prints), not the network's`) {
		t.Errorf("Options.Output output: %v", err)
	}
	if m, err := Read(bytes.NewReader(file.Bytes()), Options{Output: "logits"}); err != nil || layerNames(m.Net) != "dense: activation:tanh dense:" {
		t.Errorf("Options.Output logits: %v, %v", err, m)
	}
	if _, err := Read(bytes.NewReader(file.Bytes()), Options{Output: "logit"}); !errors.As(err, &oe) || oe.Written ||
		!strings.Contains(err.Error(), `the graph has no output "logit"; its outputs are "output" (`) {
		t.Errorf("Options.Output logit, a typo: %v", err)
	}
}

// TestNegativeAlphaCELURoundTrip: celu with a negative alpha grows
// without bound as x falls. Past float32's range the importer's float64
// takes float32's infinity as agreeing; with a small alpha, e^(x/α)
// overflows float32 where α·e^(x/α) would not, and the importer computes
// Celu as a float32 runtime does.
func TestNegativeAlphaCELURoundTrip(t *testing.T) {
	for _, alpha := range []string{"-2", "-0.05", "-1.912"} {
		f := "celu(alpha=" + alpha + ")"
		spec := nn.Spec{In: 2, Layers: []nn.LayerSpec{{Type: "dense", In: 2, Out: 3}, {Type: "activation", Act: f}, {Type: "dense", In: 3, Out: 2}}}
		net, err := nn.Build(spec, rand.New(rand.NewPCG(4, 4)))
		if err != nil {
			t.Fatal(err)
		}
		nn.InitDefault(net, rand.New(rand.NewPCG(4, 4)))
		exported, err := export(&modelio.Model{Net: net, Loss: "softmax"}, DefaultOpset)
		if err != nil {
			t.Fatal(err)
		}
		for _, withList := range []bool{true, false} {
			back, err := readBack(t, exported, withList)
			if err != nil {
				t.Errorf("%s (list %v): %v", f, withList, err)
				continue
			}
			if got := back.Net.Spec().Layers[1].Act; got != f {
				t.Errorf("%s (list %v): read back as %s", f, withList, got)
			}
		}
	}
}

// readBack reads an exported model, its list of activations dropped
// (for good) unless withList: as another writer's file would come.
func readBack(t *testing.T, exported *onnxpb.ModelProto, withList bool) (*modelio.Model, error) {
	t.Helper()
	if !withList {
		exported.MetadataProps = slices.DeleteFunc(exported.MetadataProps, func(p *onnxpb.StringStringEntryProto) bool { return p.GetKey() == "activations" })
	}
	raw, err := proto.Marshal(exported)
	if err != nil {
		t.Fatal(err)
	}
	return Read(bytes.NewReader(raw), Options{})
}

func mustServe(t *testing.T, m *modelio.Model) *model.Model {
	t.Helper()
	served, err := model.New(m)
	if err != nil {
		t.Fatal(err)
	}
	return served
}

// layerNames describes a network's layers, activations by their full
// spec.
func layerNames(net *nn.Sequential) string {
	var parts []string
	for _, l := range net.Spec().Layers {
		parts = append(parts, l.Type+":"+l.Act)
	}
	return strings.Join(parts, " ")
}

func withoutDropout(net *nn.Sequential) *nn.Sequential {
	var layers []nn.Layer
	for _, l := range net.Layers {
		if _, ok := l.(*nn.Dropout); !ok {
			layers = append(layers, l)
		}
	}
	return nn.NewSequential(net.In, layers...)
}

func sameScaler(a, b *modelio.Model) bool {
	if (a.Scaler == nil) != (b.Scaler == nil) {
		return false
	}
	return a.Scaler == nil || equalBits(a.Scaler.Mean, b.Scaler.Mean) && equalBits(a.Scaler.Std, b.Scaler.Std)
}

func equalBits(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return false
		}
	}
	return true
}

// torchCase is one network testdata/torch_mlps.py exported.
type torchCase struct {
	Name         string      `json:"name"`
	File         string      `json:"file"`
	X            [][]float32 `json:"x"`
	Logits       [][]float64 `json:"logits"`
	SoftmaxAtEnd bool        `json:"softmax_at_end"`
	SigmoidAtEnd bool        `json:"sigmoid_at_end"`
}

// TestImportPyTorch imports the networks PyTorch 1.13 exports with
// torch.onnx.export (testdata/torch_mlps.py: every activation module of the
// catalogue, PReLU, Dropout, Flatten, MatMul and Add, a final Softmax; opsets
// 7 to 17, each network from the first that has its operators): wiggle's predictions equal the softmax of PyTorch's logits
// within 1e-5, and its raw outputs PyTorch's logits.
func TestImportPyTorch(t *testing.T) {
	if exec.Command("/usr/bin/python3", "-c", "import torch, onnx").Run() != nil {
		t.Skip("Debian's python3-torch and python3-onnx are not installed (apt-get install python3-torch python3-onnx); the PyTorch import test needs them")
	}
	dir := t.TempDir()
	cmd := exec.Command("/usr/bin/python3", filepath.Join("testdata", "torch_mlps.py"), dir)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("torch_mlps.py: %v", err)
	}
	var cases []torchCase
	if err := json.Unmarshal(out, &cases); err != nil {
		t.Fatalf("torch_mlps.py printed %q: %v", out, err)
	}
	if len(cases) != 86 { // 10 networks at opsets 12 to 17, 9 at 9 and 11, 8 at 7
		t.Fatalf("torch_mlps.py exported %d networks, want 86", len(cases))
	}
	for _, c := range cases {
		checkTorchCase(t, c)
	}
}

// checkTorchCase compares wiggle's predictions for one PyTorch network
// with PyTorch's: under softmax, the probabilities within 1e-5; and, unless
// the graph ends in a softmax itself, the raw outputs (read under mse,
// whose predictions they are) within 1e-5·(1 + |value|), which a saturated
// softmax could not show.
func checkTorchCase(t *testing.T, c torchCase) {
	t.Helper()
	losses := []string{"softmax", "mse"}
	switch {
	case c.SoftmaxAtEnd:
		losses = losses[:1]
	case c.SigmoidAtEnd:
		losses = []string{"", "logistic", "mse"} // "": the file's own, the logistic loss's sigmoid
	}
	for _, lossName := range losses {
		m, err := Load(c.File, Options{Loss: lossName})
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
			return
		}
		if lossName == "" && m.Loss != "logistic" {
			t.Errorf("%s: read under the loss %s, want logistic for its final sigmoid", c.Name, m.Loss)
		}
		served, err := model.New(m)
		if err != nil {
			t.Fatal(err)
		}
		got, err := served.Predict(c.X)
		if err != nil {
			t.Fatal(err)
		}
		for i, logits := range c.Logits {
			want, tol := softmax64(logits), func(float64) float64 { return 1e-5 }
			switch {
			case lossName != "mse" && c.SigmoidAtEnd: // the two classes' probabilities, 1 − σ and σ
				p := 1 / (1 + math.Exp(-logits[0]))
				want = []float64{1 - p, p}
			case lossName == "mse" && c.SigmoidAtEnd: // the sigmoid a layer, its values the outputs
				want, tol = []float64{1 / (1 + math.Exp(-logits[0]))}, func(w float64) float64 { return 1e-5 * (1 + math.Abs(w)) }
			case lossName == "mse":
				want, tol = logits, func(w float64) float64 { return 1e-5 * (1 + math.Abs(w)) }
			}
			if len(got[i]) != len(want) {
				t.Fatalf("%s under %q: %d outputs, want %d", c.Name, lossName, len(got[i]), len(want))
			}
			for j := range want {
				if math.Abs(float64(got[i][j])-want[j]) > tol(want[j]) {
					t.Errorf("%s under %q: row %d output %d: wiggle %v, PyTorch %v", c.Name, lossName, i, j, got[i][j], want[j])
				}
			}
		}
	}
}

func softmax64(z []float64) []float64 {
	top := z[0]
	for _, v := range z {
		top = math.Max(top, v)
	}
	out := make([]float64, len(z))
	sum := 0.0
	for i, v := range z {
		out[i] = math.Exp(v - top)
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}

// graphFile builds a model of one graph at opset 17, input "input" of 3
// columns, whose nodes build adds, and returns its encoding.
func graphFile(t testing.TB, build func(b *builder) string) []byte {
	t.Helper()
	return graphFileAt(t, 17, build)
}

// graphFileAt is graphFile at the given opset.
func graphFileAt(t testing.TB, opset int64, build func(b *builder) string) []byte {
	t.Helper()
	b := &builder{g: &onnxpb.GraphProto{Name: proto.String("test")}}
	b.g.Input = append(b.g.Input, tensorInfo("input", "N", 3))
	out := build(b)
	b.g.Output = append(b.g.Output, tensorInfo(out, "N", 2))
	raw, err := proto.Marshal(&onnxpb.ModelProto{IrVersion: proto.Int64(8), Graph: b.g,
		OpsetImport: []*onnxpb.OperatorSetIdProto{{Version: proto.Int64(opset)}}})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// boolConstant adds a one-value BOOL initializer, as a Dropout's
// training_mode is.
func boolConstant(b *builder, name string, v bool) string {
	raw := []byte{0}
	if v {
		raw[0] = 1
	}
	b.g.Initializer = append(b.g.Initializer, &onnxpb.TensorProto{Name: proto.String(name), DataType: proto.Int32(int32(onnxpb.TensorProto_BOOL)), RawData: raw})
	return name
}

// gemm adds a Linear layer of in inputs and out outputs.
func gemm(b *builder, x string, in, out int) string {
	w := make([]float32, in*out)
	for i := range w {
		w[i] = float32(i%5) - 2
	}
	return b.node("Gemm", x, b.initializer("w"+x, []int64{int64(out), int64(in)}, w), b.initializer("b"+x, []int64{int64(out)}, make([]float32, out)), attrInt("transB", 1))
}

// TestReadRefuses reads graphs that are not chains of layers wiggle has:
// each error names what is wrong, the node and its op.
func TestReadRefuses(t *testing.T) {
	cases := []struct {
		name  string
		build func(b *builder) string
		want  string
	}{
		{"convolution", func(b *builder) string {
			return gemm(b, b.node("Conv", "input", b.initializer("k", []int64{1, 1, 1}, []float32{1})), 3, 2)
		}, `(Conv) is not a layer wiggle reads`},
		{"a BatchNorm1d after a Linear", func(b *builder) string {
			one := func(name string) string { return b.initializer(name, []int64{3}, []float32{1, 1, 1}) }
			return gemm(b, b.node("BatchNormalization", gemm(b, "input", 3, 3), one("gamma"), one("beta"), one("mean"), one("var")), 3, 2)
		}, `(BatchNormalization) is not a layer wiggle reads: it reads Gemm, MatMul and Add, PRelu, Flatten, Dropout, a final Softmax, and element-wise activations; a BatchNorm1d in eval mode is an affine map of each unit, which folds into the Linear before it`},
		{"a LayerNorm", func(b *builder) string {
			return gemm(b, b.node("LayerNormalization", gemm(b, "input", 3, 3), b.initializer("g", []int64{3}, []float32{1, 1, 1})), 3, 2)
		}, `(LayerNormalization) is not a layer wiggle reads: it reads Gemm, MatMul and Add, PRelu, Flatten, Dropout, a final Softmax, and element-wise activations; a LayerNorm divides each row by its own spread`},
		{"operator outside the catalogue", func(b *builder) string {
			return gemm(b, b.node("Sin", gemm(b, "input", 3, 3)), 3, 2)
		}, `(Sin) is not a layer wiggle reads`},
		{"skip connection", func(b *builder) string {
			h := gemm(b, "input", 3, 2)
			return b.node("Add", gemm(b, h, 2, 2), h)
		}, `(Add) mixes the layer's values with "gemm_`},
		{"function outside the catalogue", func(b *builder) string {
			return gemm(b, b.node("Mul", gemm(b, "input", 3, 3), b.scalar(3)), 3, 2)
		}, `(Mul) computes no activation of wiggle's catalogue (tried each with the parameters the node holds)`},
		{"relu, but +Inf past 5 (an infinity agrees only with an infinity)", func(b *builder) string {
			h := gemm(b, "input", 3, 3)
			big := b.node("Mul", b.node("Mul", b.node("Relu", b.node("Sub", h, b.scalar(5))), b.scalar(1e30)), b.scalar(1e30))
			return gemm(b, b.node("Add", b.node("Relu", h), big), 3, 2)
		}, `compute no activation of wiggle's catalogue`},
		{"a step at 0.001 (0 on (0, 0.001), where step(at_zero=0) is 1)", func(b *builder) string {
			step := b.node("Cast", b.node("GreaterOrEqual", gemm(b, "input", 3, 3), b.scalar(0.001)), attrInt("to", int64(onnxpb.TensorProto_FLOAT)))
			return gemm(b, step, 3, 2)
		}, `compute no activation of wiggle's catalogue`},
		{"constant per unit", func(b *builder) string {
			return gemm(b, b.node("Mul", gemm(b, "input", 3, 3), b.initializer("scale", []int64{3}, []float32{1, 2, 3})), 3, 2)
		}, `reads the constant "scale", which is not a single number`},
		{"softmax in the middle", func(b *builder) string {
			return gemm(b, b.node("Softmax", gemm(b, "input", 3, 3), attrInt("axis", 1)), 3, 2)
		}, `(Softmax) is not the last node`},
		{"dropout in training mode", func(b *builder) string {
			return gemm(b, b.node("Dropout", gemm(b, "input", 3, 3), b.scalar(0.3), boolConstant(b, "training", true)), 3, 2)
		}, `(Dropout) is in training mode`},
		{"softmax over the rows", func(b *builder) string {
			return b.node("Softmax", gemm(b, "input", 3, 3), attrInt("axis", 0))
		}, `(Softmax) takes its softmax over axis 0; wiggle reads one over the classes, axis 1`},
		{"transposed input", func(b *builder) string {
			return b.node("Gemm", "input", b.initializer("w", []int64{3, 2}, make([]float32, 6)), attrInt("transA", 1))
		}, `(Gemm) multiplies the transpose of the layer's values (transA 1): it is not a Linear layer`},
		{"an input declared wider than its first layer", func(b *builder) string {
			b.g.Input[0] = tensorInfo("input", "N", 5)
			return gemm(b, "input", 3, 2)
		}, `the graph's input "input" is declared with 5 features a row, but its first layer takes 3`},
		{"an input of rank 1 into a Gemm", func(b *builder) string {
			in := tensorInfo("input", "N", 3)
			dims := &in.GetType().GetTensorType().Shape.Dim
			*dims = (*dims)[:1]
			b.g.Input[0] = in
			return gemm(b, "input", 3, 2)
		}, `the graph's input "input" is declared of rank 1 (one vector), but node "gemm_`},
		{"an input of parts (rank 3), a layer over each", func(b *builder) string {
			in := tensorInfo("input", "N", 4)
			dims := &in.GetType().GetTensorType().Shape.Dim
			*dims = append(*dims, &onnxpb.TensorShapeProto_Dimension{Value: &onnxpb.TensorShapeProto_Dimension_DimValue{DimValue: 3}})
			b.g.Input[0] = in
			return gemm(b, "input", 3, 2)
		}, `the graph's input "input" has 3 dimensions, 12 numbers an example, but its first layer takes 3: it works on parts of an example`},
		{"weights from another input", func(b *builder) string {
			b.g.Input = append(b.g.Input, tensorInfo("w", "N", 3))
			return b.node("MatMul", "input", "w")
		}, `more than one input (input, w)`},
		{"no linear layer", func(b *builder) string {
			return b.node("Relu", "input")
		}, `no linear layer`},
		{"weights elsewhere", func(b *builder) string {
			out := gemm(b, "input", 3, 2)
			b.g.Initializer[0].DataLocation = onnxpb.TensorProto_EXTERNAL.Enum()
			return out
		}, `is stored in another file`},
		{"short weights", func(b *builder) string {
			out := gemm(b, "input", 3, 2)
			b.g.Initializer[0].FloatData = b.g.Initializer[0].FloatData[:5]
			return out
		}, `holds 5 floats for the shape [2 3]`},
		{"a function that parts from identity only beyond 12", func(b *builder) string {
			return gemm(b, b.node("Min", gemm(b, "input", 3, 3), b.scalar(15)), 3, 2)
		}, `(Min) computes no activation of wiggle's catalogue`},
		{"a second output read by the next layer", func(b *builder) string {
			b.node("Mul", gemm(b, "input", 3, 3), b.scalar(3))
			b.g.Node[len(b.g.Node)-1].Output = append(b.g.Node[len(b.g.Node)-1].Output, "mask")
			return gemm(b, "mask", 3, 2)
		}, `lead to 0 values read elsewhere`},
		{"dropout of a constant", func(b *builder) string {
			h := gemm(b, "input", 3, 3)
			return gemm(b, b.node("Dropout", b.scalar(2), h), 3, 2)
		}, `(Dropout) does not take the layer's values as its first input`},
		{"a reshape too large to be a maxout", func(b *builder) string {
			z := b.node("Reshape", gemm(b, "input", 3, 4), b.int64s("shape", []int64{-1, 1<<62 + 1, 4}))
			return b.node("ReduceMax", z, attrInts("axes", 2), attrInt("keepdims", 0))
		}, `(Reshape) is not a layer wiggle reads`},
		{"an operator of many inputs", func(b *builder) string {
			h := gemm(b, "input", 3, 3)
			args := []any{h}
			for range 20 {
				args = append(args, b.scalar(2))
			}
			return gemm(b, b.node("Sum", args...), 3, 2)
		}, `(Sum) has 21 inputs; wiggle reads activations whose operators have at most 8`},
		{"a long run of element-wise nodes", func(b *builder) string {
			h := gemm(b, "input", 3, 3)
			for range 60 {
				h = b.node("Neg", h)
			}
			return gemm(b, h, 3, 2)
		}, `more than 48 element-wise nodes follow "gemm_1"`},
		{"PReLU first", func(b *builder) string {
			return gemm(b, b.node("PRelu", "input", b.scalar(0.1)), 3, 2)
		}, `(PRelu) comes before any linear layer`},
		// A trial's files (each had been read as another function, or
		// refused for another reason than its own):
		{"a bias of shape [out, 1], a value per example", func(b *builder) string {
			w := b.initializer("w", []int64{3, 2}, []float32{1, 2, 3, 4, 5, 6})
			return b.node("Add", b.node("MatMul", "input", w), b.initializer("column", []int64{2, 1}, []float32{1, 2}))
		}, `adds a bias of shape [2 1], which broadcasts over the batch`},
		{"a Gemm's bias of shape [out, 1]", func(b *builder) string {
			return b.node("Gemm", "input", b.initializer("w", []int64{2, 3}, make([]float32, 6)), b.initializer("c", []int64{2, 1}, []float32{1, 2}), attrInt("transB", 1))
		}, `adds a bias of shape [2 1]`},
		{"PReLU slopes of shape [units, 1]", func(b *builder) string {
			return gemm(b, b.node("PRelu", gemm(b, "input", 3, 3), b.initializer("slopes", []int64{3, 1}, []float32{0.1, 0.2, 0.3})), 3, 2)
		}, `has slopes of shape [3 1], which broadcast over the batch`},
		{"Flatten from axis 2", func(b *builder) string {
			return gemm(b, b.node("Flatten", "input", attrInt("axis", 2)), 3, 2)
		}, `flattens from axis 2; wiggle reads Flatten(axis=1)`},
		{"Flatten from axis −1 of an input of rank 3", func(b *builder) string {
			in := tensorInfo("input", "N", 1)
			dims := &in.GetType().GetTensorType().Shape.Dim
			*dims = append(*dims, &onnxpb.TensorShapeProto_Dimension{Value: &onnxpb.TensorShapeProto_Dimension_DimValue{DimValue: 3}})
			b.g.Input[0] = in
			return gemm(b, b.node("Flatten", "input", attrInt("axis", -1)), 3, 2)
		}, `flattens from axis -1`},
		{"relu through float16", func(b *builder) string {
			half := b.node("Cast", gemm(b, "input", 3, 3), attrInt("to", int64(onnxpb.TensorProto_FLOAT16)))
			return gemm(b, b.node("Relu", b.node("Cast", half, attrInt("to", int64(onnxpb.TensorProto_FLOAT)))), 3, 2)
		}, `rounds the layer's values to a float narrower than float32`},
		{"a cast to an 8-bit float (opset 19's FLOAT8E4M3FN, 17)", func(b *builder) string {
			return gemm(b, b.node("Relu", b.node("Cast", b.node("Cast", gemm(b, "input", 3, 3), attrInt("to", 17)), attrInt("to", int64(onnxpb.TensorProto_FLOAT)))), 3, 2)
		}, `rounds the layer's values to a float narrower than float32`},
		{"an identity rounded to 1/1024 (x at every multiple of 1/128)", func(b *builder) string {
			h := gemm(b, "input", 3, 3)
			return gemm(b, b.node("Div", b.node("Floor", b.node("Mul", h, b.scalar(1024))), b.scalar(1024)), 3, 2)
		}, `compute no activation of wiggle's catalogue`},
		{"relu but 0 between 13 and 15", func(b *builder) string {
			h := gemm(b, "input", 3, 3)
			s := b.node("Add", h, b.scalar(3))
			hole := b.node("And", b.node("Greater", s, b.scalar(16)), b.node("Less", s, b.scalar(18)))
			return gemm(b, b.node("Where", hole, b.scalar(0), b.node("Relu", h)), 3, 2)
		}, `compute no activation of wiggle's catalogue`},
		{"float16 weights", func(b *builder) string {
			b.g.Initializer = append(b.g.Initializer, &onnxpb.TensorProto{Name: proto.String("w16"), Dims: []int64{2, 3},
				DataType: proto.Int32(int32(onnxpb.TensorProto_FLOAT16)), RawData: make([]byte, 12)})
			return b.node("Gemm", "input", "w16", attrInt("transB", 1))
		}, `(the constant "w16" is float16; wiggle reads float32 weights: export the network after model.float())`},
		{"float16 weights cast up in the graph (keep_io_types)", func(b *builder) string {
			b.g.Initializer = append(b.g.Initializer, &onnxpb.TensorProto{Name: proto.String("w16"), Dims: []int64{2, 3},
				DataType: proto.Int32(int32(onnxpb.TensorProto_FLOAT16)), RawData: make([]byte, 12)})
			return b.node("Gemm", "input", b.node("Cast", "w16", attrInt("to", int64(onnxpb.TensorProto_FLOAT))), attrInt("transB", 1))
		}, `(Cast) casts the constant "w16", of float16, to another type; wiggle reads float32 weights stored as such`},
		{"two initializers of one name", func(b *builder) string {
			out := gemm(b, "input", 3, 2)
			b.initializer("winput", []int64{2, 3}, make([]float32, 6))
			return out
		}, `two initializers named "winput"`},
		{"two nodes writing one value", func(b *builder) string {
			h := gemm(b, "input", 3, 3)
			r := b.node("Relu", h)
			b.node("Tanh", h)
			b.g.Node[len(b.g.Node)-1].Output[0] = r
			return gemm(b, r, 3, 2)
		}, `(Tanh) writes "relu_2", which node "relu_2" (Relu) writes too`},
		{"a node that reads itself", func(b *builder) string {
			out := gemm(b, "input", 3, 2)
			loop := b.node("Relu", "input")
			b.g.Node[len(b.g.Node)-1].Input[0] = loop
			return out
		}, `reads "relu_2" before any node writes it`},
		{"a Shape beside the first layer (x.view(x.size(0), -1))", func(b *builder) string {
			return gemm(b, b.node("Reshape", "input", b.node("Shape", "input")), 3, 2)
		}, `(Shape) is not a layer wiggle reads: it reads Gemm, MatMul and Add, PRelu, Flatten, Dropout, a final Softmax, and element-wise activations; x.view(x.size(0), -1)`},
		{"an input declared with 2^62 features", func(b *builder) string {
			b.g.Input[0] = tensorInfo("input", "N", 1<<62)
			return gemm(b, "input", 3, 2)
		}, `is declared with more than 1073741824 numbers a row, but its first layer takes 3`},
	}
	for _, c := range cases {
		_, err := Read(bytes.NewReader(graphFile(t, c.build)), Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	// What a file that is not ONNX seems to be, and what to do, where its
	// first bytes tell (proto's own error had been all there was).
	var model, zipped bytes.Buffer
	net, err := nn.Build(nn.Spec{In: 2, Layers: []nn.LayerSpec{{Type: "dense", In: 2, Out: 2}}}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(&model, &modelio.Model{Net: net, Loss: "softmax"}, DefaultOpset); err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(&zipped)
	zw.Write(model.Bytes())
	zw.Close()
	for _, c := range []struct{ name, raw, want string }{
		{"text", "not a model at all", "not an ONNX model: it is text (a CSV table?)"},
		{"a CSV table", "x0,x1,label\n0.5,1,a\n", "not an ONNX model: it is text (a CSV table?)"},
		{"a CSV table with a mark", "\xef\xbb\xbfx0,x1,label\n0.5,1,a\n", "not an ONNX model: it is text (a CSV table?)"},
		{"a header of long names, cut within a character", "\xef\xbb\xbf" + strings.Repeat("é", 40) + ",label\n0.5,a\n", "not an ONNX model: it is text (a CSV table?)"},
		{"gzipped", zipped.String(), "not an ONNX model: it is gzipped; decompress it first"},
		{"a mark before the model", "\xef\xbb\xbf" + model.String(), "not an ONNX model: it begins with a text file's byte-order mark (EF BB BF)"},
	} {
		if _, err := Read(strings.NewReader(c.raw), Options{}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
	if _, err := Read(strings.NewReader(""), Options{}); err == nil || err.Error() != "not an ONNX model: the file is empty" {
		t.Errorf("an empty file: error %v, want it said empty", err)
	}
}

// TestTransposedWeightsWithoutFolding: nn.Linear(bias=False) exported
// without constant folding (or at opsets 7 and 8) writes its weight as
// Transpose(W) before MatMul; it reads as the Gemm of W it is (it had
// been refused as no constant matrix).
func TestTransposedWeightsWithoutFolding(t *testing.T) {
	w := []float32{1, 2, 3, 4, 5, 6}
	for _, perm := range [][]int64{nil, {1, 0}} {
		raw := graphFile(t, func(b *builder) string {
			var attrs []any
			if perm != nil {
				attrs = append(attrs, attrInts("perm", perm...))
			}
			return b.node("MatMul", "input", b.node("Transpose", append([]any{b.initializer("w", []int64{2, 3}, w)}, attrs...)...))
		})
		m, err := Read(bytes.NewReader(raw), Options{})
		if err != nil {
			t.Fatalf("perm %v: %v", perm, err)
		}
		if d, ok := m.Net.Layers[0].(*nn.Dense); !ok || !slices.Equal(d.W.Value, w) {
			t.Errorf("perm %v: read %s with weights %v; want one dense layer of %v ([out, in], as Gemm's transB)", perm, layerNames(m.Net), m.Net.Layers[0], w)
		}
	}
	raw := graphFile(t, func(b *builder) string {
		return b.node("MatMul", "input", b.node("Transpose", b.initializer("w", []int64{2, 3}, w), attrInts("perm", 0, 1)))
	})
	if _, err := Read(bytes.NewReader(raw), Options{}); err == nil {
		t.Error("a Transpose of perm [0 1] (none) read as a transpose")
	}
}

// TestLinearLayersInOtherForms: a Gemm of alpha 0.5 and beta 2 is the
// layer of 0.5·W and 2·b, one of beta 0 has no bias, and MatMul then a
// Sub of a constant row is the layer of W and −b (each had been refused,
// the Sub as "no activation").
func TestLinearLayersInOtherForms(t *testing.T) {
	w, bias := []float32{1, 2, 3, 4, 5, 6}, []float32{0.5, -1}
	cases := []struct {
		name         string
		build        func(b *builder) string
		wantW, wantB []float32
	}{
		{"Gemm, alpha 0.5, beta 2", func(b *builder) string {
			return b.node("Gemm", "input", b.initializer("w", []int64{2, 3}, w), b.initializer("b", []int64{2}, bias), attrInt("transB", 1), attrFloat("alpha", 0.5), attrFloat("beta", 2))
		}, []float32{0.5, 1, 1.5, 2, 2.5, 3}, []float32{1, -2}},
		{"Gemm, beta 0", func(b *builder) string {
			return b.node("Gemm", "input", b.initializer("w", []int64{2, 3}, w), b.initializer("b", []int64{2}, bias), attrInt("transB", 1), attrFloat("beta", 0))
		}, w, []float32{0, 0}},
		{"MatMul, then Sub of a row", func(b *builder) string {
			return b.node("Sub", b.node("MatMul", "input", b.node("Transpose", b.initializer("w", []int64{2, 3}, w))), b.initializer("b", []int64{2}, bias))
		}, w, []float32{-0.5, 1}},
	}
	for _, c := range cases {
		m, err := Read(bytes.NewReader(graphFile(t, c.build)), Options{})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		d, ok := m.Net.Layers[0].(*nn.Dense)
		if !ok || len(m.Net.Layers) != 1 || !slices.Equal(d.W.Value, c.wantW) || !slices.Equal(d.B.Value, c.wantB) {
			t.Errorf("%s: read %s, %v; want one dense layer of %v and %v", c.name, layerNames(m.Net), m.Net.Layers[0], c.wantW, c.wantB)
		}
	}
	// A constant subtracted from, not from the layer's values, is no bias.
	raw := graphFile(t, func(b *builder) string {
		return b.node("Sub", b.initializer("b", []int64{2}, bias), b.node("MatMul", "input", b.node("Transpose", b.initializer("w", []int64{2, 3}, w))))
	})
	if m, err := Read(bytes.NewReader(raw), Options{}); err == nil && len(m.Net.Layers) == 1 {
		t.Errorf("b − x·W read as one layer, %v", m.Net.Layers[0])
	}
}

// TestFlattenOfAMatrix: Flatten(axis=-1) of a layer's values, or of an
// input of rank 2, is Flatten(axis=1), and reads (a trial's review found
// it refused with the axes that are not).
func TestFlattenOfAMatrix(t *testing.T) {
	for _, first := range []bool{true, false} {
		raw := graphFile(t, func(b *builder) string {
			if first {
				return gemm(b, b.node("Flatten", "input", attrInt("axis", -1)), 3, 2)
			}
			return gemm(b, b.node("Flatten", gemm(b, "input", 3, 3), attrInt("axis", -1)), 3, 2)
		})
		if _, err := Read(bytes.NewReader(raw), Options{}); err != nil {
			t.Errorf("Flatten(axis=-1) of a matrix (at the input: %v): %v", first, err)
		}
	}
}

// TestReadRecognises reads activations written in other ways than wiggle
// and PyTorch write them: several in a row, parameters far out, constants
// of float64.
func TestReadRecognises(t *testing.T) {
	cases := []struct {
		name  string
		build func(b *builder, h string) string
		want  string
	}{
		{"Tanh then Relu", func(b *builder, h string) string { return b.node("Relu", b.node("Tanh", h)) }, "tanh relu"},
		{"LeakyRelu(0.5) twice", func(b *builder, h string) string {
			return b.node("LeakyRelu", b.node("LeakyRelu", h, attrFloat("alpha", 0.5)), attrFloat("alpha", 0.5))
		}, "leaky_relu(negative_slope=0.5) leaky_relu(negative_slope=0.5)"},
		{"Relu then Clip(-20, 20), which is one hardtanh(0, 20)", func(b *builder, h string) string {
			return b.node("Clip", b.node("Relu", h), b.scalar(-20), b.scalar(20))
		}, "hardtanh(min_val=0, max_val=20)"},
		{"SiLU then Clip(0, 6)", func(b *builder, h string) string {
			return b.node("Clip", b.node("Mul", h, b.node("Sigmoid", h)), b.scalar(0), b.scalar(6))
		}, "silu relu6"},
		{"celu(alpha=-0.05) as Max(x, 0) + α·(Exp(Min(x, 0)/α) − 1), whose Exp overflows float32", func(b *builder, h string) string {
			e := b.node("Exp", b.node("Div", b.node("Min", h, b.scalar(0)), b.scalar(-0.05)))
			return b.node("Add", b.node("Max", h, b.scalar(0)), b.node("Mul", b.node("Sub", e, b.scalar(1)), b.scalar(-0.05)))
		}, "celu(alpha=-0.05)"},
		{"softplus(beta=100) with its linear branch in a Where, the branch not taken +Inf", func(b *builder, h string) string {
			bx := b.node("Mul", h, b.scalar(100))
			soft := b.node("Div", b.node("Log", b.node("Add", b.node("Exp", bx), b.scalar(1))), b.scalar(100))
			return b.node("Where", b.node("Greater", bx, b.scalar(20)), h, soft)
		}, "softplus(beta=100, threshold=20)"},
		{"softplus(beta=10, threshold=20) in double, its branches blended by a mask: e^(10x) past float32's range is no Inf", func(b *builder, h string) string {
			x := b.node("Cast", h, attrInt("to", int64(onnxpb.TensorProto_DOUBLE)))
			bx := b.node("Mul", x, b.scalar(10))
			mask := b.node("Cast", b.node("Greater", bx, b.scalar(20)), attrInt("to", int64(onnxpb.TensorProto_DOUBLE)))
			soft := b.node("Div", b.node("Log", b.node("Add", b.node("Exp", bx), b.scalar(1))), b.scalar(10))
			y := b.node("Add", b.node("Mul", mask, x), b.node("Mul", b.node("Sub", b.scalar(1), mask), soft))
			return b.node("Cast", y, attrInt("to", int64(onnxpb.TensorProto_FLOAT)))
		}, "softplus(beta=10, threshold=20)"},
		{"step as Cast(Greater(x, 0)), 0 at 0", func(b *builder, h string) string {
			return b.node("Cast", b.node("Greater", h, b.scalar(0)), attrInt("to", int64(onnxpb.TensorProto_FLOAT)))
		}, "step(at_zero=0)"},
		{"Relu then a Dropout whose training_mode is false", func(b *builder, h string) string {
			return b.node("Dropout", b.node("Relu", h), b.scalar(0.3), boolConstant(b, "inference", false))
		}, "relu"},
		{"leaky_relu as Max(x, 0.2x) in float64", func(b *builder, h string) string {
			slope := "slope64"
			b.g.Initializer = append(b.g.Initializer, &onnxpb.TensorProto{Name: proto.String(slope),
				DataType: proto.Int32(int32(onnxpb.TensorProto_DOUBLE)), DoubleData: []float64{0.2}})
			return b.node("Max", h, b.node("Mul", h, slope))
		}, "leaky_relu(negative_slope=0.2)"},
	}
	for _, c := range cases {
		m, err := Read(bytes.NewReader(graphFile(t, func(b *builder) string {
			return gemm(b, c.build(b, gemm(b, "input", 3, 3)), 3, 2)
		})), Options{})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		var acts []string
		for _, l := range m.Net.Spec().Layers {
			if l.Act != "" {
				acts = append(acts, l.Act)
			}
		}
		if got := strings.Join(acts, " "); got != c.want {
			t.Errorf("%s: read as %q, want %q", c.name, got, c.want)
		}
	}
}

// TestReadStandardisationOfARow: (x − mean)/std at the input, its
// statistics of shape [F] or [1, F] (PyTorch's mean(0, keepdim=True)),
// is the model's Scaler, and so is (x − mean) * (1/std), the reciprocal
// a node of its own.
func TestReadStandardisationOfARow(t *testing.T) {
	for _, c := range []struct {
		shape []int64
		mul   bool
	}{{[]int64{3}, false}, {[]int64{1, 3}, false}, {[]int64{1, 3}, true}} {
		m, err := Read(bytes.NewReader(graphFile(t, func(b *builder) string {
			centred := b.node("Sub", "input", b.initializer("mu", c.shape, []float32{1, 2, 3}))
			sd := b.initializer("sd", c.shape, []float32{2, 4, 8})
			if c.mul {
				return gemm(b, b.node("Relu", gemm(b, b.node("Mul", centred, b.node("Reciprocal", sd)), 3, 3)), 3, 2)
			}
			x := b.node("Div", centred, sd)
			return gemm(b, b.node("Relu", gemm(b, x, 3, 3)), 3, 2)
		})), Options{})
		if err != nil || m.Scaler == nil || !slices.Equal(m.Scaler.Mean, []float32{1, 2, 3}) || !slices.Equal(m.Scaler.Std, []float32{2, 4, 8}) {
			t.Errorf("statistics of shape %v (by a reciprocal: %v): %v, scaler %+v; want the means and deviations", c.shape, c.mul, err, m)
		}
	}
}

// TestReadNewerOperators reads Mish (opset 18) and Gelu (opset 20, both
// its forms), which newer exporters write for nn.Mish and nn.GELU, at
// opset 20: each is its activation.
func TestReadNewerOperators(t *testing.T) {
	tanh := &onnxpb.AttributeProto{Name: proto.String("approximate"), Type: onnxpb.AttributeProto_STRING.Enum(), S: []byte("tanh")}
	m, err := Read(bytes.NewReader(graphFileAt(t, 20, func(b *builder) string {
		h := gemm(b, "input", 3, 3)
		return gemm(b, b.node("Gelu", b.node("Gelu", b.node("Mish", h)), tanh), 3, 2)
	})), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var acts []string
	for _, l := range m.Net.Spec().Layers {
		if l.Act != "" {
			acts = append(acts, l.Act)
		}
	}
	if got, want := strings.Join(acts, " "), "mish gelu(approximate=none) gelu(approximate=tanh)"; got != want {
		t.Errorf("read as %q, want %q", got, want)
	}
	// in a file of an opset before them, they are refused
	_, err = Read(bytes.NewReader(graphFileAt(t, 13, func(b *builder) string {
		return gemm(b, b.node("Mish", gemm(b, "input", 3, 3)), 3, 2)
	})), Options{})
	if err == nil || !strings.Contains(err.Error(), "(Mish) is an operator of opset 18 on, and the file imports opset 13") {
		t.Errorf("Mish in an opset-13 file: %v; want it refused", err)
	}
	bogus := &onnxpb.AttributeProto{Name: proto.String("approximate"), Type: onnxpb.AttributeProto_STRING.Enum(), S: []byte("fast")}
	_, err = Read(bytes.NewReader(graphFileAt(t, 20, func(b *builder) string {
		return gemm(b, b.node("Gelu", gemm(b, "input", 3, 3), bogus), 3, 2)
	})), Options{})
	if err == nil || !strings.Contains(err.Error(), `has approximate="fast"; ONNX's Gelu takes "none" or "tanh"`) {
		t.Errorf("a Gelu of approximate=fast: %v; want it refused, naming the attribute", err)
	}
}

// TestReadOpsets: a file of a standard operator set outside MinReadOpset
// to MaxReadOpset is refused, saying which it uses and what to do; the
// bounds themselves are read, and another domain's set is not checked.
func TestReadOpsets(t *testing.T) {
	relu := func(b *builder) string { return gemm(b, b.node("Relu", gemm(b, "input", 3, 3)), 3, 2) }
	for _, c := range []struct {
		opset int64
		want  string // "" where the file is read
	}{
		{MinReadOpset - 1, "the ONNX operator set 6, older than wiggle reads (7 to 25); export it again at opset 13 to 17"},
		{MaxReadOpset + 1, "the ONNX operator set 26, newer than wiggle knows (it reads 7 to 25)"},
		{MinReadOpset, ""}, {13, ""}, {MaxReadOpset, ""},
	} {
		_, err := Read(bytes.NewReader(graphFileAt(t, c.opset, relu)), Options{})
		switch {
		case c.want == "" && err != nil:
			t.Errorf("opset %d: %v", c.opset, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("opset %d: error %v, want one saying %q", c.opset, err, c.want)
		}
	}
	var m onnxpb.ModelProto
	if err := proto.Unmarshal(graphFile(t, relu), &m); err != nil {
		t.Fatal(err)
	}
	m.OpsetImport = append(m.OpsetImport, &onnxpb.OperatorSetIdProto{Domain: proto.String("ai.onnx.ml"), Version: proto.Int64(99)})
	raw, err := proto.Marshal(&m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Read(bytes.NewReader(raw), Options{}); err != nil {
		t.Errorf("a file importing ai.onnx.ml 99 beside opset 17: %v", err)
	}
	m.OpsetImport = append(m.OpsetImport, &onnxpb.OperatorSetIdProto{Version: proto.Int64(9)})
	if raw, err = proto.Marshal(&m); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(bytes.NewReader(raw), Options{}); err == nil || !strings.Contains(err.Error(), "imports the standard ONNX operator set 2 times (versions [17 9])") {
		t.Errorf("a file importing the standard set twice: %v; want it refused", err)
	}
}

// FuzzRead reads mutated ONNX files: Read never panics, and a model it
// returns predicts without error.
func FuzzRead(f *testing.F) {
	f.Add(graphFile(f, func(b *builder) string {
		h := gemm(b, "input", 3, 4)
		return gemm(b, b.node("Mul", h, b.node("Sigmoid", h)), 4, 2)
	}))
	f.Add(graphFile(f, func(b *builder) string {
		z := b.node("Reshape", gemm(b, "input", 3, 4), b.int64s("shape", []int64{-1, 2, 2}))
		return b.node("Softmax", b.node("ReduceMax", z, attrInts("axes", 2), attrInt("keepdims", 0)), attrInt("axis", 1))
	}))
	f.Add(graphFile(f, func(b *builder) string {
		z := b.node("Reshape", gemm(b, "input", 3, 4), b.int64s("shape", []int64{-1, 1 << 40, 1 << 30}))
		return b.node("ReduceMax", z, attrInts("axes", 2), attrInt("keepdims", 0))
	}))
	f.Add(graphFile(f, func(b *builder) string {
		x := b.node("Div", b.node("Sub", "input", b.scalar(1)), b.scalar(2))
		h := b.node("PRelu", gemm(b, x, 3, 4), b.initializer("slope", []int64{1}, []float32{0.1}))
		return b.node("Add", b.node("MatMul", h, b.initializer("w2", []int64{4, 2}, make([]float32, 8))), b.scalar(0.5))
	}))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Read(bytes.NewReader(raw), Options{})
		if err != nil {
			return
		}
		served, err := model.New(m)
		if err != nil {
			t.Fatalf("Read returned a model that model.New refuses: %v", err)
		}
		if _, err := served.Predict([][]float32{make([]float32, m.Net.In)}); err != nil && !strings.Contains(err.Error(), "overflow") {
			t.Fatalf("Predict: %v", err)
		}
	})
}

// TestEveryElementwiseOperatorComputes checks that apply computes each
// operator a region may hold: none of them is "cannot compute".
func TestEveryElementwiseOperatorComputes(t *testing.T) {
	x := []float64{-1, 0, 2}
	for op := range elementwise {
		n := &onnxpb.NodeProto{OpType: proto.String(op), Output: []string{"y"}}
		in := [][]float64{x, {0.5}, {1}}
		if _, err := apply(n, in); err != nil {
			t.Errorf("%s: %v", op, err)
		}
	}
}

// TestDenseRefusesMoreThanALayerHolds: a file's weights of more than
// nn.MaxParams are an error, found before their length is compared or a
// layer allocated (nn.NewDense would panic on them).
func TestDenseRefusesMoreThanALayerHolds(t *testing.T) {
	for _, transposed := range []bool{false, true} {
		if _, err := dense(nil, []int64{1 << 15, 1 << 14}, transposed, nil); err == nil || !strings.Contains(err.Error(), "the most a wiggle layer holds") {
			t.Errorf("transposed %v: %v", transposed, err)
		}
	}
}

// TestActivationListsThatDoNotFit: a list naming a function the graph does
// not compute, values it does not hold, or millions of entries, is no
// list: the file reads as another writer's would.
func TestActivationListsThatDoNotFit(t *testing.T) {
	spec := nn.Spec{In: 3, Layers: []nn.LayerSpec{{Type: "dense", In: 3, Out: 3}, {Type: "activation", Act: "prelu(weight=0.1)"}, {Type: "dense", In: 3, Out: 2}}}
	rng := rand.New(rand.NewPCG(5, 5))
	net, err := nn.Build(spec, rng)
	if err != nil {
		t.Fatal(err)
	}
	nn.InitDefault(net, rng)
	exported, err := export(&modelio.Model{Net: net, Loss: "softmax"}, DefaultOpset)
	if err != nil {
		t.Fatal(err)
	}
	var listed *onnxpb.StringStringEntryProto
	for _, p := range exported.MetadataProps {
		if p.GetKey() == "activations" {
			listed = p
		}
	}
	value, _, _ := strings.Cut(listed.GetValue(), "=")
	for name, list := range map[string]string{
		"another function":      value + "=softplus",
		"no value of the graph": "nowhere=prelu(weight=0.1)",
		"no spec":               value + "=",
	} {
		listed.Value = proto.String(list)
		raw, err := proto.Marshal(exported)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Read(bytes.NewReader(raw), Options{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := back.Net.Spec().Layers[1].Act; got != "leaky_relu(negative_slope=0.1)" {
			t.Errorf("%s: read back as %s, not as without a list", name, got)
		}
	}
}

// TestReadHintsKeepsWhatTheGraphWrites: the list of activations keeps only
// entries for values a node writes, each once, and none from a list over
// maxList bytes, however many of its entries name such values.
func TestReadHintsKeepsWhatTheGraphWrites(t *testing.T) {
	r := &graphReader{writer: map[string]*onnxpb.NodeProto{"relu_2": {}, "tanh_4": {}}}
	r.readHints(joinList([]string{"relu_2=relu", "nowhere=relu", "tanh_4=tanh", "relu_2=sigmoid", "tanh_4=not a spec"}))
	if len(r.hints) != 2 || r.hints["relu_2"].String() != "relu" || r.hints["tanh_4"].String() != "tanh" {
		t.Errorf("hints %v; want relu_2's relu and tanh_4's tanh", r.hints)
	}
	r.readHints(strings.Repeat("relu_2=relu,", maxList/12+1))
	if len(r.hints) != 0 {
		t.Errorf("a list over %d bytes gave %d hints; want none", maxList, len(r.hints))
	}
}

// TestLongNameListsRoundTrip: a layer of 100,000 inputs, one name holding a
// comma, keeps its names (a list of 1.5 MB, longer than any list of
// activations may be).
func TestLongNameListsRoundTrip(t *testing.T) {
	const in = 100_000
	net, err := nn.Build(nn.Spec{In: in, Layers: []nn.LayerSpec{{Type: "dense", In: in, Out: 2}}}, rand.New(rand.NewPCG(6, 6)))
	if err != nil {
		t.Fatal(err)
	}
	features := make([]string, in)
	for i := range features {
		features[i] = "feature" + strconv.Itoa(i)
	}
	features[7] = "height, cm"
	var file bytes.Buffer
	if err := Write(&file, &modelio.Model{Net: net, Loss: "softmax", Features: features}, DefaultOpset); err != nil {
		t.Fatal(err)
	}
	back, err := Read(&file, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back.Features, features) {
		t.Errorf("read back %d names, the eighth %q", len(back.Features), back.Features[7])
	}
}

// TestFinalSigmoidIsTheLogisticLoss: another writer's network of one
// output ending in a Sigmoid, its output named "logits" or not, or
// flattened after it, reads as
// the logistic loss's scores, without the sigmoid (the loss computes it);
// under mse the sigmoid stays a layer.
func TestFinalSigmoidIsTheLogisticLoss(t *testing.T) {
	for _, name := range []string{"", "logits", "flattened"} {
		raw := graphFile(t, func(b *builder) string {
			out := b.node("Sigmoid", gemm(b, gemm(b, "input", 3, 4), 4, 1))
			if name == "flattened" {
				return b.node("Flatten", out)
			}
			if name != "" {
				b.g.Node[len(b.g.Node)-1].Output[0], out = name, name
			}
			return out
		})
		for _, c := range []struct{ loss, want, layers string }{
			{"", "logistic", "dense: dense:"},
			{"logistic", "logistic", "dense: dense:"},
			{"mse", "mse", "dense: dense: activation:sigmoid"},
		} {
			m, err := Read(bytes.NewReader(raw), Options{Loss: c.loss})
			if err != nil {
				t.Errorf("output %q, loss %q: %v", name, c.loss, err)
				continue
			}
			if got := layerNames(m.Net); m.Loss != c.want || got != c.layers {
				t.Errorf("output %q, loss %q: read as %s under %s; want %s under %s", name, c.loss, got, m.Loss, c.layers, c.want)
			}
		}
		// binary-hinge would read the probability, above 0 on every row, as
		// a score: class 1 whatever the input (it had been imported so).
		if _, err := Read(bytes.NewReader(raw), Options{Loss: "binary-hinge"}); err == nil || !strings.Contains(err.Error(), "class 1 on every row; import it as logistic") {
			t.Errorf("output %q under binary-hinge: %v; want it refused", name, err)
		}
	}
}

// TestFinalSigmoidOverSeveralOutputs: a network ending in a Sigmoid over
// several outputs (scores that are not one probability over classes) is
// refused without a loss, which softmax would have taken over the
// sigmoids; under mse the sigmoid is its last layer.
func TestFinalSigmoidOverSeveralOutputs(t *testing.T) {
	raw := graphFile(t, func(b *builder) string { return b.node("Sigmoid", gemm(b, gemm(b, "input", 3, 4), 4, 3)) })
	if _, err := Read(bytes.NewReader(raw), Options{}); !errors.Is(err, ErrLossUnknown) || !strings.Contains(err.Error(), "a Sigmoid over 3 outputs") {
		t.Errorf("no loss given: %v; want ErrLossUnknown naming the sigmoid over 3 outputs", err)
	}
	m, err := Read(bytes.NewReader(raw), Options{Loss: "mse"})
	if err != nil || layerNames(m.Net) != "dense: dense: activation:sigmoid" {
		t.Errorf("under mse: %v, %v; want the sigmoid a layer", err, m)
	}
}

// TestReadChoosesItsOutput: a graph of two outputs, neither "logits",
// needs Options.Output (an *OutputError listing them, where the first
// had been read without a word); each is read where it is named, and a
// name of none of them is an *OutputError too.
func TestReadChoosesItsOutput(t *testing.T) {
	var scores, probs string
	raw := graphFile(t, func(b *builder) string {
		scores = gemm(b, b.node("Relu", gemm(b, "input", 3, 4)), 4, 2)
		b.g.Output = append(b.g.Output, tensorInfo(scores, "N", 2))
		probs = b.node("Sigmoid", scores)
		return probs
	})
	var oe *OutputError
	if _, err := Read(bytes.NewReader(raw), Options{}); !errors.As(err, &oe) || oe.Name != "" || !slices.Equal(oe.Outputs, []string{scores, probs}) ||
		!strings.Contains(err.Error(), `the graph has 2 outputs ("`+scores+`" (Gemm), "`+probs+`" (Sigmoid)), none called "logits": name the one the network ends at`) {
		t.Errorf("two outputs, none named: %v (%+v)", err, oe)
	}
	for _, c := range []struct{ output, layers string }{
		{scores, "dense: activation:relu dense:"},
		{probs, "dense: activation:relu dense: activation:sigmoid"},
	} {
		m, err := Read(bytes.NewReader(raw), Options{Output: c.output, Loss: "mse"})
		if err != nil || layerNames(m.Net) != c.layers {
			t.Errorf("Output %q: %v; want %s", c.output, err, c.layers)
		} else if m.Net.Layers[0].(*nn.Dense).W.Value[1] != -1 { // gemm's weights, read to either output
			t.Errorf("Output %q: first weights %v", c.output, m.Net.Layers[0].(*nn.Dense).W.Value[:3])
		}
	}
	if _, err := Read(bytes.NewReader(raw), Options{Output: "nope"}); !errors.As(err, &oe) || oe.Name != "nope" ||
		!strings.Contains(err.Error(), `the graph has no output "nope"; its outputs are "`+scores+`" (Gemm), "`+probs+`" (Sigmoid)`) {
		t.Errorf("Output nope: %v", err)
	}
	// Branches to the other outputs are not read: the hidden values go on
	// to a normalisation too, the scores to a Softmax and a LogSoftmax
	// (each the softmax loss's where it ends the network).
	var logp string
	raw = graphFile(t, func(b *builder) string {
		h := b.node("Relu", gemm(b, "input", 3, 4))
		scores = gemm(b, h, 4, 2)
		normed := b.node("Div", h, b.node("Sqrt", b.node("ReduceSum", b.node("Mul", h, h))))
		probs = b.node("Softmax", scores)
		for _, o := range []string{normed, probs} {
			b.g.Output = append(b.g.Output, tensorInfo(o, "N", 2))
		}
		logp = b.node("LogSoftmax", scores)
		return logp
	})
	for _, output := range []string{probs, logp} {
		m, err := Read(bytes.NewReader(raw), Options{Output: output})
		if err != nil || layerNames(m.Net) != "dense: activation:relu dense:" || m.Loss != "softmax" {
			t.Errorf("a graph that branches, read to %q: %v, %v", output, err, m)
		}
	}
	// an output that the input does not lead to
	raw = graphFile(t, func(b *builder) string {
		b.g.Output = append(b.g.Output, tensorInfo(b.node("Relu", b.initializer("c", []int64{2}, []float32{1, 2})), "N", 2))
		return gemm(b, "input", 3, 2)
	})
	if _, err := Read(bytes.NewReader(raw), Options{Output: "relu_1"}); err == nil || !strings.Contains(err.Error(), `the graph's output "relu_1" is not computed from its input "input"`) {
		t.Errorf("an output of constants alone: %v", err)
	}
}

// TestReadCopiesItsOptions: the model Read returns holds its own lists of
// classes and features, not the caller's slices.
func TestReadCopiesItsOptions(t *testing.T) {
	raw := graphFile(t, func(b *builder) string { return gemm(b, b.node("Relu", gemm(b, "input", 3, 3)), 3, 2) })
	opt := Options{Classes: []string{"a", "b"}, Features: []string{"x", "y", "z"}}
	m, err := Read(bytes.NewReader(raw), opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.Classes[0], opt.Features[0] = "changed", "changed"
	if m.Classes[0] != "a" || m.Features[0] != "x" {
		t.Errorf("the model's lists followed the caller's: classes %q, features %q", m.Classes, m.Features)
	}
}

// TestTextThatIsNotUTF8: metadata that is not UTF-8 text (a target or a
// class label, which a saved model would change) is an error of the file
// (and of Write, which writes none),
// and a node's op that is not a name is quoted in the errors that name it.
func TestTextThatIsNotUTF8(t *testing.T) {
	spec := nn.Spec{In: 2, Layers: []nn.LayerSpec{{Type: "dense", In: 2, Out: 3}, {Type: "activation", Act: "tanh"}, {Type: "dense", In: 3, Out: 2}}}
	rng := rand.New(rand.NewPCG(6, 6))
	net, err := nn.Build(spec, rng)
	if err != nil {
		t.Fatal(err)
	}
	nn.InitDefault(net, rng)
	exported, err := export(&modelio.Model{Net: net, Loss: "softmax", Target: "colour", Classes: []string{"blue", "red"}}, DefaultOpset)
	if err != nil {
		t.Fatal(err)
	}
	// Nor does Write write what Read would refuse: labels not UTF-8, layers that do not chain.
	if _, err := export(&modelio.Model{Net: net, Loss: "softmax", Classes: []string{"caf\xe9", "caf\xe8"}}, DefaultOpset); err == nil || !strings.Contains(err.Error(), "not UTF-8 text") {
		t.Errorf("Export of labels that are not UTF-8: %v; want an error", err)
	}
	unchained := nn.NewSequential(2, nn.NewDense(2, 4), nn.NewDense(5, 2))
	if _, err := export(&modelio.Model{Net: unchained, Loss: "softmax"}, DefaultOpset); err == nil || !strings.Contains(err.Error(), "layer 1 (dense): takes 5 inputs but receives 4") {
		t.Errorf("Export of layers that do not chain: %v; want an error", err)
	}
	for _, p := range exported.MetadataProps {
		if p.GetKey() == "target" {
			p.Value = proto.String("\x9colour")
		}
	}
	if _, err := readBack(t, exported, true); err == nil || !strings.Contains(err.Error(), `metadata "target": "\x9colour" is not UTF-8 text`) {
		t.Errorf("a target of bytes that are not UTF-8: %v", err)
	}
	for _, p := range exported.MetadataProps {
		if p.GetKey() == "target" {
			p.Value = proto.String("colour")
		}
	}
	exported.MetadataProps = append(exported.MetadataProps, &onnxpb.StringStringEntryProto{Key: proto.String("author"), Value: proto.String("\xff")})
	if _, err := readBack(t, exported, true); err != nil {
		t.Errorf("an entry wiggle does not read, not UTF-8: %v; want it left alone", err)
	}
	if got := opType(&onnxpb.NodeProto{OpType: proto.String("Su\x9d")}); got != `"Su\x9d"` {
		t.Errorf("opType of Su\\x9d = %s; want it quoted", got)
	}
	for _, n := range []*onnxpb.NodeProto{{Name: proto.String("sub_1"), OpType: proto.String("Su\x9d")}, {Output: []string{"y"}, OpType: proto.String("Su\x9d")}, {OpType: proto.String("Su\x9d")}} {
		if got := describe(n); !strings.Contains(got, `"Su\x9d"`) {
			t.Errorf("describe %v = %s; want its op quoted", n, got)
		}
	}
	// Classes the caller gives are not read from the file: theirs may hold anything.
	for _, p := range exported.MetadataProps {
		if p.GetKey() == "classes" {
			p.Value = proto.String("bl\xffue,red")
		}
	}
	raw, err := proto.Marshal(exported)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Read(bytes.NewReader(raw), Options{Classes: []string{"blue", "red"}}); err != nil {
		t.Errorf("classes not UTF-8 in the file, given by the caller: %v; want them left alone", err)
	}
	if _, err := Read(bytes.NewReader(raw), Options{}); err == nil || !strings.Contains(err.Error(), `metadata "classes"`) {
		t.Errorf("classes not UTF-8, read from the file: %v; want an error", err)
	}
	if got := opType(&onnxpb.NodeProto{OpType: proto.String("Tanh")}); got != "Tanh" {
		t.Errorf("opType of Tanh = %s; want it as it is", got)
	}
}

// TestNilReaderAndWriter: a nil io.Reader or io.Writer is an error that
// says so, not a nil dereference.
func TestNilReaderAndWriter(t *testing.T) {
	if _, err := Read(nil, Options{}); err == nil || !strings.Contains(err.Error(), "no reader (a nil io.Reader)") {
		t.Errorf("Read(nil): %v; want an error saying there is no reader", err)
	}
	net := nn.NewMLP(2, nil, 3, nil, rand.New(rand.NewPCG(1, 1)))
	if err := Write(nil, &modelio.Model{Net: net, Loss: "softmax"}, 17); err == nil || !strings.Contains(err.Error(), "no writer (a nil io.Writer)") {
		t.Errorf("Write(nil, ...): %v; want an error saying there is no writer", err)
	}
}

// TestReadRefusesMillionsOfEntries: a file whose graph holds far more
// entries than an MLP's (here 100,000 empty initializers in 200 KB) is
// refused before the decoder makes them: 20 MB of them had asked for 3.6
// GB.
func TestReadRefusesMillionsOfEntries(t *testing.T) {
	var graph []byte
	for range 100_000 {
		graph = protowire.AppendTag(graph, 5, protowire.BytesType) // an initializer
		graph = protowire.AppendBytes(graph, nil)
	}
	file := protowire.AppendTag(nil, 7, protowire.BytesType) // the model's graph
	file = protowire.AppendBytes(file, graph)
	_, err := Read(bytes.NewReader(file), Options{})
	if err == nil || !strings.Contains(err.Error(), "its model, graph and nodes hold over 65536 entries") {
		t.Errorf("Read of 100,000 empty initializers: %v; want it refused", err)
	}
	// A node of 100,000 empty attributes (a level below the graph: it had
	// been decoded without the bound).
	var node []byte
	for range 100_000 {
		node = protowire.AppendTag(node, 5, protowire.BytesType) // an attribute
		node = protowire.AppendBytes(node, nil)
	}
	graph = protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType), node) // the graph's one node
	file = protowire.AppendBytes(protowire.AppendTag(nil, 7, protowire.BytesType), graph)
	if _, err := Read(bytes.NewReader(file), Options{}); err == nil || !strings.Contains(err.Error(), "hold over 65536 entries") {
		t.Errorf("Read of a node of 100,000 empty attributes: %v; want it refused", err)
	}
	// A BOOL tensor of a million values (8 bytes each as Read keeps them).
	b := &builder{g: &onnxpb.GraphProto{}}
	b.g.Input = append(b.g.Input, tensorInfo("input", "N", 3))
	out := gemm(b, "input", 3, 2)
	b.g.Output = append(b.g.Output, tensorInfo(out, "N", 2))
	b.g.Initializer = append(b.g.Initializer, &onnxpb.TensorProto{Name: proto.String("many"), Dims: []int64{1 << 20}, DataType: proto.Int32(int32(onnxpb.TensorProto_BOOL)), RawData: make([]byte, 1<<20)})
	raw, err := proto.Marshal(&onnxpb.ModelProto{IrVersion: proto.Int64(8), Graph: b.g, OpsetImport: []*onnxpb.OperatorSetIdProto{{Version: proto.Int64(17)}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Read(bytes.NewReader(raw), Options{}); err == nil || !strings.Contains(err.Error(), `tensor "many" holds 1048576 truth values`) {
		t.Errorf("Read of a BOOL tensor of 2^20 values: %v; want it refused", err)
	}
}
