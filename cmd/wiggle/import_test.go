package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/wigglenn/wiggle/data/mnist"
	"github.com/wigglenn/wiggle/internal/onnxpb"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/nn"
)

// TestImportCommand exports a trained model and imports it back: the
// imported model's `wiggle predict` output is the original's, line for
// line, labels and columns included.
func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	csvPath := writeCSV(t, dir)
	orig := filepath.Join(dir, "m.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", csvPath, "--target", "size", "--hidden", "8,4", "--act", "mish",
		"--epochs", "3", "--standardize", "--out", orig); status != 0 {
		t.Fatal(stderr)
	}
	onnxPath := filepath.Join(dir, "m.onnx")
	if _, stderr, status := wiggle(t, "", "export", "--model", orig, "--out", onnxPath); status != 0 {
		t.Fatal(stderr)
	}
	back := filepath.Join(dir, "back.safetensors")
	stdout, stderr, status := wiggle(t, "", "import", onnxPath, "--out", back)
	if status != 0 || !strings.Contains(stdout, "mish") || !strings.Contains(stdout, "(standardised by the file's means and deviations") {
		t.Fatalf("import: exit %d, %q %q; want the layers and the standardisation said", status, stdout, stderr)
	}
	want, _, _ := wiggle(t, "", "predict", "--model", orig, "--data", csvPath)
	got, stderr, status := wiggle(t, "", "predict", "--model", back, "--data", csvPath)
	if status != 0 || got != want || len(want) < 100 {
		t.Errorf("predict after export and import: exit %d %s\n%.300s\nwant\n%.300s", status, stderr, got, want)
	}
	// its network ends at logits; output, the first, is what predict prints
	_, stderr, status = wiggle(t, "", "import", onnxPath, "--out", back, "--output", "output")
	if status != 2 || !strings.Contains(stderr, `--output output: `) || !strings.Contains(stderr, `"output" is its loss's (what predict prints), not the network's; leave --output out`) {
		t.Errorf("import --output output of an export: exit %d, %q", status, stderr)
	}
}

// TestImportCommandRefuses gives import what it cannot read: exit 2 and a
// message naming the problem, and no file written.
func TestImportCommandRefuses(t *testing.T) {
	dir := t.TempDir()
	conv := filepath.Join(dir, "conv.onnx")
	writeConvGraph(t, conv)
	text := filepath.Join(dir, "text.onnx")
	if err := os.WriteFile(text, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.safetensors")
	model := filepath.Join(dir, "m.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", writeCSV(t, dir), "--target", "size", "--hidden", "4", "--epochs", "1", "--loss", "logistic", "--out", model); status != 0 {
		t.Fatal(stderr)
	}
	oneOutput, truncated := filepath.Join(dir, "one.onnx"), filepath.Join(dir, "truncated.onnx")
	if _, stderr, status := wiggle(t, "", "export", "--model", model, "--out", oneOutput); status != 0 {
		t.Fatal(stderr)
	}
	raw, err := os.ReadFile(oneOutput)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(truncated, raw[:len(raw)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	setMetadata(t, oneOutput, "loss", "")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"import", conv, "--out", out}, `conv.onnx: node "conv" (Conv) is not a layer wiggle reads`},
		{[]string{"import", text, "--out", out}, `text.onnx: not an ONNX model`},
		{[]string{"import", filepath.Join(dir, "none.onnx"), "--out", out}, `none.onnx: no such file`},
		{[]string{"import", conv}, `--out is needed`},
		{[]string{"import", conv, "--out", out, "--loss", "cross"}, `--loss`},
		{[]string{"import", conv, "--out", filepath.Join(dir, "out.onnx")}, `import writes a wiggle model (.safetensors)`},
		{[]string{"import", model, "--out", out}, `it is a safetensors file (a wiggle model, which needs no import)`},
		{[]string{"import", truncated, "--out", out}, `not an ONNX model, or a damaged or truncated one`},
		{[]string{"import", oneOutput, "--out", out}, "--loss is needed: " + oneOutput + ": the file does not say what loss the network was trained with"},
		{[]string{"import", oneOutput, "--out", out, "--loss", "mse", "--classes", "a,b"}, `--classes: the loss mse predicts values, not classes`},
	} {
		_, stderr, status := wiggle(t, "", c.args...)
		if status != 2 || !strings.Contains(stderr, c.want) || strings.Contains(stderr, "goroutine") {
			t.Errorf("%v: exit %d, %q; want exit 2 and %q", c.args, status, stderr, c.want)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a refused import wrote its --out file")
	}
}

// TestImportCommandNames checks --classes and --features against the
// network.
func TestImportCommandNames(t *testing.T) {
	dir := t.TempDir()
	onnxPath := spiralONNX(t, dir)
	out := filepath.Join(dir, "back.safetensors")
	if _, stderr, status := wiggle(t, "", "import", onnxPath, "--out", out, "--classes", "a,b"); status != 2 || !strings.Contains(stderr, "--classes gives 2 labels; the network's 3 outputs") {
		t.Errorf("--classes a,b: exit %d, %q", status, stderr)
	}
	if _, stderr, status := wiggle(t, "", "import", onnxPath, "--out", out, "--features", "u"); status != 2 || !strings.Contains(stderr, "--features gives 1 names; the network takes 2") {
		t.Errorf("--features u: exit %d, %q", status, stderr)
	}
	for _, c := range []struct{ flag, value, want string }{
		{"--classes", "a,b,a", `--classes a,b,a: labels 1 and 3 are both "a"`},
		{"--classes", ",,", "--classes ,,: label 1 is empty"},
		{"--features", "u,u", `--features u,u: names 1 and 2 are both "u"`},
	} {
		if _, stderr, status := wiggle(t, "", "import", onnxPath, "--out", out, c.flag, c.value); status != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%s %s: exit %d, %q; want 2 and %q", c.flag, c.value, status, stderr, c.want)
		}
	}
	stdout, stderr, status := wiggle(t, "", "import", onnxPath, "--out", out, "--classes", "red, green,blue", "--features", "u,v")
	if status != 0 || !strings.Contains(stdout, "classes red,green,blue") {
		t.Errorf("--classes red,green,blue: exit %d, %q %q", status, stdout, stderr)
	}
}

// TestImportMetadataOfAnotherCount: a file whose metadata lists two
// classes for three outputs is refused, naming the list and --classes
// (it had been read as classes 0,1,2 without a word); with --classes of
// three it is read, and of two refused as --classes.
func TestImportMetadataOfAnotherCount(t *testing.T) {
	dir := t.TempDir()
	onnxPath := spiralONNX(t, dir)
	setMetadata(t, onnxPath, "classes", "a,b")
	out := filepath.Join(dir, "back.safetensors")
	if _, stderr, status := wiggle(t, "", "import", onnxPath, "--out", out); status != 2 || !strings.Contains(stderr, `metadata "classes" lists 2 names ("a", "b") for a network of 3 classes`) || !strings.Contains(stderr, "give --classes (3 names") {
		t.Errorf("metadata classes a,b for 3 outputs: exit %d, %q", status, stderr)
	}
	if _, stderr, status := wiggle(t, "", "import", onnxPath, "--out", out, "--classes", "a,b"); status != 2 || !strings.Contains(stderr, "--classes gives 2 labels; the network's 3 outputs") {
		t.Errorf("with --classes a,b: exit %d, %q", status, stderr)
	}
	if stdout, stderr, status := wiggle(t, "", "import", onnxPath, "--out", out, "--classes", "x,y,z"); status != 0 || !strings.Contains(stdout, "classes x,y,z") {
		t.Errorf("with --classes x,y,z: exit %d, %q %q", status, stdout, stderr)
	}
}

// writeConvGraph writes an ONNX file whose first node is a convolution.
func writeConvGraph(t *testing.T, path string) {
	t.Helper()
	f32 := int32(onnxpb.TensorProto_FLOAT)
	g := &onnxpb.GraphProto{
		Node:        []*onnxpb.NodeProto{{Name: proto.String("conv"), OpType: proto.String("Conv"), Input: []string{"input", "k"}, Output: []string{"y"}}},
		Initializer: []*onnxpb.TensorProto{{Name: proto.String("k"), Dims: []int64{1, 1, 1}, DataType: &f32, FloatData: []float32{1}}},
		Input:       []*onnxpb.ValueInfoProto{{Name: proto.String("input")}},
		Output:      []*onnxpb.ValueInfoProto{{Name: proto.String("y")}},
	}
	raw, err := proto.Marshal(&onnxpb.ModelProto{IrVersion: proto.Int64(8), Graph: g})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestImportedModelWithoutTarget: a model whose file names no target
// column (as PyTorch's do not) asks for --target in eval, refuses a
// feature column as the target, and under mse (a file that records no
// loss) heads its predicted values "value_N".
func TestImportedModelWithoutTarget(t *testing.T) {
	dir := t.TempDir()
	orig, _ := trainSizes(t, dir)
	csvPath := filepath.Join(dir, "sizes.csv")
	onnxPath := filepath.Join(dir, "m.onnx")
	if _, stderr, status := wiggle(t, "", "export", "--model", orig, "--out", onnxPath); status != 0 {
		t.Fatal(stderr)
	}
	setMetadata(t, onnxPath, "target", "")
	back := filepath.Join(dir, "back.safetensors")
	if _, stderr, status := wiggle(t, "", "import", onnxPath, "--out", back); status != 0 {
		t.Fatal(stderr)
	}
	for _, c := range []struct {
		args   []string
		status int
		want   string
	}{
		{[]string{"eval", "--model", back, "--data", csvPath}, 2, "--target is needed: the model does not name the column it predicts"},
		{[]string{"eval", "--model", back, "--data", csvPath, "--target", "x0"}, 2, `--target "x0" is one of the model's feature columns`},
		{[]string{"eval", "--model", back, "--data", csvPath, "--target", "size"}, 0, "accuracy"},
	} {
		stdout, stderr, status := wiggle(t, "", c.args...)
		if status != c.status || !strings.Contains(stdout+stderr, c.want) {
			t.Errorf("%v: exit %d, %q %q; want exit %d and %q", c.args[3:], status, stdout, stderr, c.status, c.want)
		}
	}
	// Under another loss than the file records, refused; without the
	// record (another writer's file), read so.
	values := filepath.Join(dir, "values.safetensors")
	if _, stderr, status := wiggle(t, "", "import", onnxPath, "--out", values, "--loss", "mse"); status != 2 || !strings.Contains(stderr, "--loss mse: ") || !strings.Contains(stderr, "the file records another loss") {
		t.Errorf("import --loss mse of a softmax model's export: exit %d, %q; want 2 naming --loss", status, stderr)
	}
	setMetadata(t, onnxPath, "loss", "")
	if _, stderr, status := wiggle(t, "", "import", onnxPath, "--out", values, "--loss", "mse"); status != 0 {
		t.Fatal(stderr)
	}
	stdout, stderr, status := wiggle(t, "", "predict", "--model", values, "--data", csvPath)
	if header, _, _ := strings.Cut(stdout, "\n"); status != 0 || header != "value_0,value_1" {
		t.Errorf("predict under mse: exit %d %s, header %q; want %q", status, stderr, header, "value_0,value_1")
	}
}

// TestImportedMNISTModelEvaluates: a PyTorch file of MNIST's 784 inputs,
// which names no columns, evaluates on --data mnist (its columns px0, ...,
// the model's x0, ... by place) without --target.
func TestImportedMNISTModelEvaluates(t *testing.T) {
	if testing.Short() {
		t.Skip("needs MNIST through the Go module proxy")
	}
	if _, err := mnist.Fetch(context.Background(), nil); errors.Is(err, mnist.ErrNotFetched) {
		t.Skipf("needs MNIST through the Go module proxy, which cannot be reached here: %v", err)
	}
	dir := t.TempDir()
	f32 := int32(onnxpb.TensorProto_FLOAT)
	g := &onnxpb.GraphProto{
		Node: []*onnxpb.NodeProto{{OpType: proto.String("Gemm"), Input: []string{"input", "w", "b"}, Output: []string{"y"},
			Attribute: []*onnxpb.AttributeProto{{Name: proto.String("transB"), Type: onnxpb.AttributeProto_INT.Enum(), I: proto.Int64(1)}}}},
		Initializer: []*onnxpb.TensorProto{
			{Name: proto.String("w"), Dims: []int64{10, 784}, DataType: &f32, FloatData: make([]float32, 7840)},
			{Name: proto.String("b"), Dims: []int64{10}, DataType: &f32, FloatData: []float32{0, 0, 0, 1, 0, 0, 0, 0, 0, 0}},
		},
		Input:  []*onnxpb.ValueInfoProto{{Name: proto.String("input")}},
		Output: []*onnxpb.ValueInfoProto{{Name: proto.String("y")}},
	}
	raw, err := proto.Marshal(&onnxpb.ModelProto{IrVersion: proto.Int64(8), Graph: g})
	if err != nil {
		t.Fatal(err)
	}
	onnxPath, m := filepath.Join(dir, "mnist.onnx"), filepath.Join(dir, "mnist.safetensors")
	if err := os.WriteFile(onnxPath, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, status := wiggle(t, "", "import", onnxPath, "--out", m); status != 0 {
		t.Fatal(stderr)
	}
	stdout, stderr, status := wiggle(t, "", "eval", "--model", m, "--data", "mnist")
	if status != 0 || !strings.Contains(stdout, "rows      10000") || !strings.Contains(stdout, "accuracy  10.10%") {
		t.Errorf("eval --data mnist: exit %d, %.200q %q", status, stdout, stderr)
	}
	// A model of other columns is refused, the 784 of MNIST's listed short.
	spiral := filepath.Join(dir, "spiral.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--epochs", "1", "--out", spiral); status != 0 {
		t.Fatal(stderr)
	}
	_, stderr, status = wiggle(t, "", "eval", "--model", spiral, "--data", "mnist")
	if status != 2 || !strings.Contains(stderr, "(784 in all), px783") || !strings.Contains(stderr, "the model takes the columns x0, x1") || len(stderr) > 600 {
		t.Errorf("a spiral model on --data mnist: exit %d, %d bytes: %.300q", status, len(stderr), stderr)
	}
}

// TestImportCommandOutputs: a graph of scores and their softmax, neither
// called logits, is read to the output --output names; without it, or
// with a name of neither, import says which there are.
func TestImportCommandOutputs(t *testing.T) {
	dir := t.TempDir()
	f32 := int32(onnxpb.TensorProto_FLOAT)
	g := &onnxpb.GraphProto{
		Node: []*onnxpb.NodeProto{{OpType: proto.String("Gemm"), Input: []string{"input", "w", "b"}, Output: []string{"scores"},
			Attribute: []*onnxpb.AttributeProto{{Name: proto.String("transB"), Type: onnxpb.AttributeProto_INT.Enum(), I: proto.Int64(1)}}},
			{OpType: proto.String("Softmax"), Input: []string{"scores"}, Output: []string{"probs"}}},
		Initializer: []*onnxpb.TensorProto{
			{Name: proto.String("w"), Dims: []int64{3, 2}, DataType: &f32, FloatData: []float32{1, 2, 3, 4, 5, 6}},
			{Name: proto.String("b"), Dims: []int64{3}, DataType: &f32, FloatData: []float32{0, 0, 1}},
		},
		Input:  []*onnxpb.ValueInfoProto{{Name: proto.String("input")}},
		Output: []*onnxpb.ValueInfoProto{{Name: proto.String("scores")}, {Name: proto.String("probs")}},
	}
	raw, err := proto.Marshal(&onnxpb.ModelProto{IrVersion: proto.Int64(8), Graph: g, OpsetImport: []*onnxpb.OperatorSetIdProto{{Version: proto.Int64(17)}}})
	if err != nil {
		t.Fatal(err)
	}
	onnxPath, m := filepath.Join(dir, "two.onnx"), filepath.Join(dir, "two.safetensors")
	if err := os.WriteFile(onnxPath, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		flags []string
		want  string
	}{
		{nil, `two.onnx: the graph has 2 outputs ("scores" (Gemm), "probs" (Softmax)), none called "logits": name the one the network ends at; give it with --output`},
		{[]string{"--output", "logits"}, `--output logits: ` + onnxPath + `: the graph has no output "logits"; its outputs are "scores" (Gemm), "probs" (Softmax)`},
	} {
		_, stderr, status := wiggle(t, "", append([]string{"import", onnxPath, "--out", m}, c.flags...)...)
		if status != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("import %v: exit %d, %q; want 2 and %q", c.flags, status, stderr, c.want)
		}
	}
	for _, output := range []string{"scores", "probs"} { // the softmax after the scores is the loss's
		if _, stderr, status := wiggle(t, "", "import", onnxPath, "--out", m, "--output", output); status != 0 {
			t.Fatalf("--output %s: exit %d, %s", output, status, stderr)
		}
		got, err := modelio.Load(m)
		if err != nil || got.Loss != "softmax" || got.Net.OutSize() != 3 || got.Net.Layers[0].(*nn.Dense).W.Value[5] != 6 {
			t.Errorf("--output %s: %v, %+v", output, err, got)
		}
	}
}

// setMetadata rewrites the ONNX file at path with its metadata entry key
// set to value, or without it where value is empty, as another writer's
// file (or an edited one) would come.
func setMetadata(t *testing.T, path, key, value string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var file onnxpb.ModelProto
	if err := proto.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	file.MetadataProps = slices.DeleteFunc(file.MetadataProps, func(p *onnxpb.StringStringEntryProto) bool { return p.GetKey() == key })
	if value != "" {
		file.MetadataProps = append(file.MetadataProps, &onnxpb.StringStringEntryProto{Key: proto.String(key), Value: proto.String(value)})
	}
	if raw, err = proto.Marshal(&file); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
}

// spiralONNX trains an 8-unit relu model on the spiral for an epoch and
// exports it as dir/m.onnx, returning its path.
func spiralONNX(t *testing.T, dir string) string {
	t.Helper()
	m := filepath.Join(dir, "m.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--hidden", "8", "--epochs", "1", "--out", m); status != 0 {
		t.Fatal(stderr)
	}
	onnxPath := filepath.Join(dir, "m.onnx")
	if _, stderr, status := wiggle(t, "", "export", "--model", m, "--out", onnxPath); status != 0 {
		t.Fatal(stderr)
	}
	return onnxPath
}

// TestONNXGivenAsAModel: an ONNX file given to predict, eval, export or
// train --init is told to go through import first, with the command (it
// had been told of a header length of 7e18 and a Go package), exit 2;
// the suggested file is not one that is there already.
func TestONNXGivenAsAModel(t *testing.T) {
	dir := t.TempDir()
	model, _ := spiralModel(t, dir, "m.safetensors")
	onnxFile := filepath.Join(dir, "m.onnx")
	if _, stderr, status := wiggle(t, "", "export", "--model", model, "--out", onnxFile); status != 0 {
		t.Fatal(stderr)
	}
	want := "is an ONNX file, not a wiggle model: import it first, wiggle import " + shellArg(onnxFile) + " --out " + shellArg(filepath.Join(dir, "m-imported.safetensors"))
	for _, args := range [][]string{
		{"predict", "--model", onnxFile, "--data", "spiral"},
		{"eval", "--model", onnxFile, "--data", "spiral"},
		{"export", "--model", onnxFile, "--out", filepath.Join(dir, "again.onnx")},
		{"train", "--data", "spiral", "--init", onnxFile, "--out", filepath.Join(dir, "t.safetensors")},
	} {
		if _, stderr, status := wiggle(t, "", args...); status != 2 || !strings.Contains(stderr, want) {
			t.Errorf("%s: exit %d, %q; want 2 and %q", args[0], status, stderr, want)
		}
	}
	_, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--resume", onnxFile, "--out", filepath.Join(dir, "r.safetensors"))
	if want := onnxFile + " is an ONNX file, not a checkpoint"; status != 2 || !strings.Contains(stderr, want) {
		t.Errorf("train --resume: exit %d, %q; want 2 and %q", status, stderr, want)
	}
}

// TestListsQuoteNamesWithCommas: --classes, --features and --ignore read
// a name that holds a comma in double quotes, as a CSV cell and export's
// metadata write it; an unclosed quote is the flag's mistake.
func TestListsQuoteNamesWithCommas(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{`a, b ,c`, []string{"a", "b", "c"}},
		{`maybe,no,"yes, sure"`, []string{"maybe", "no", "yes, sure"}},
		{`"Gewicht (kg, netto)", Größe`, []string{"Gewicht (kg, netto)", "Größe"}},
		{`size", width`, []string{`size"`, "width"}}, // a quote of the name's own (inches)
		{`"say ""hi""",b`, []string{`say "hi"`, "b"}},
		{`a, "b, c" , d`, []string{"a", "b, c", "d"}}, // spaces after a closing quote
		{`"a" ,b`, []string{"a", "b"}},
		{`a,,b`, []string{"a", "", "b"}}, // an empty name, which the flags refuse
		{`-x`, []string{"-x"}},
	} {
		if got, err := splitList(c.in); err != nil || !slices.Equal(got, c.want) {
			t.Errorf("splitList(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{`"id`, `"a,b`, `a, "b, c" d`} {
		if got, err := splitList(bad); err == nil {
			t.Errorf("splitList(%q) = %q; want an error", bad, got)
		}
	}
}

// TestFlagListReadsBack: the flag values wiggle suggests (--ignore NAME)
// read back as the names, whatever they hold, from sh and from a Windows
// program's command line: a comma ("row, no" had been suggested as two
// names), a quote, spaces, a backslash before a quote, a leading - (not
// ./-x, a path's guard).
func TestFlagListReadsBack(t *testing.T) {
	names := []string{"row, no", `size"`, `"quoted"`, "plain", "a b", `back\"slash`, "-x"}
	for goos, unquote := range map[string]func(string) string{"linux": shUnquoted, "windows": windowsUnquoted} {
		value := flagListOn(goos, names...)
		if got, err := splitList(unquote(value)); err != nil || !slices.Equal(got, names) {
			t.Errorf("%s: flagListOn(%q) = %s, read back as %q, %v; want the names", goos, names, value, got, err)
		}
	}
	if got := flagListOn("linux", "-x"); got != "-x" {
		t.Errorf("flagListOn(-x) = %s; want -x as it is", got)
	}
}

// shUnquoted is word as sh passes it on: its single quotes taken off ('\”
// a quote).
func shUnquoted(word string) string {
	if !strings.HasPrefix(word, "'") {
		return word
	}
	return strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(word, "'"), "'"), `'\''`, "'")
}

// windowsUnquoted is word as a Windows program reads one argument: quotes
// toggle, 2n backslashes before a quote are n and the quote toggles,
// 2n+1 are n and a quote.
func windowsUnquoted(word string) string {
	var b strings.Builder
	for i := 0; i < len(word); i++ {
		slashes := 0
		for i < len(word) && word[i] == '\\' {
			slashes++
			i++
		}
		switch {
		case i < len(word) && word[i] == '"':
			b.WriteString(strings.Repeat(`\`, slashes/2))
			if slashes%2 == 1 {
				b.WriteByte('"')
			}
		default:
			b.WriteString(strings.Repeat(`\`, slashes))
			if i < len(word) {
				b.WriteByte(word[i])
			}
		}
	}
	return b.String()
}
