package onnx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/internal/nilio"
	"github.com/wigglenn/wiggle/internal/onnxpb"
	"github.com/wigglenn/wiggle/internal/quote"
	"github.com/wigglenn/wiggle/internal/utf8prefix"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/nn"
)

// MaxFile bounds the ONNX files Read takes: far above any MLP wiggle
// trains. Read allocates no more than a few times the file's size.
const MaxFile = 512 << 20

// Options describes an imported network as wiggle needs it: PyTorch's ONNX
// files say nothing of the loss, the classes or the columns. Empty fields
// take what a file of wiggle's own records in its metadata, else the
// defaults; a Loss other than such a file's is an error.
type Options struct {
	Loss     string   // "softmax" by default ("logistic" for a network of one output ending in a sigmoid)
	Classes  []string // "0", "1", ... by default
	Features []string // "x0", "x1", ... by default
	// Output is the graph output the network ends at: "" for the one
	// called "logits" (as Write writes it), or else the graph's only one;
	// a graph of several, none called "logits", needs it (*OutputError).
	Output string
}

// ErrLossUnknown is Read's error, wrapped, for a file that does not say
// what loss its network was trained with where the default cannot be it.
var ErrLossUnknown = errors.New("the file does not say what loss the network was trained with")

// ErrOtherLoss is Read's error, wrapped, for Options.Loss other than the
// loss a file of wiggle's export records.
var ErrOtherLoss = errors.New("the file records another loss")

// notONNX says what a file that does not parse as ONNX seems to be, from
// its first bytes, and what to do; "" where it cannot tell.
func notONNX(raw []byte) string {
	const mark = "\xef\xbb\xbf" // UTF-8's byte-order mark
	text := bytes.TrimPrefix(raw, []byte(mark))
	switch {
	case bytes.HasPrefix(text, []byte{0x1f, 0x8b}):
		return "it is gzipped; decompress it first (gunzip)"
	case len(text) > 0 && utf8prefix.HeadIsText(text, 64-(len(raw)-len(text))): // the first 64 bytes, less the mark
		return "it is text (a CSV table?); give the .onnx file an exporter wrote"
	case bytes.HasPrefix(raw, []byte(mark)):
		return "it begins with a text file's byte-order mark (EF BB BF), as an editor or a shell saving it as text writes; use the .onnx file as its exporter wrote it"
	}
	return ""
}

// ErrCutShort is Read's error for a file of wiggle's export (its producer
// "wiggle") without the wiggle_version metadata its export writes last:
// a file cut short between two of its last fields, which ONNX's encoding
// cannot tell from a whole one (it records no length), and which would
// read back without the rest of its metadata (its classes, its target).
var ErrCutShort = errors.New("damaged file: wiggle's export ends in its wiggle_version metadata, which this file lacks: it is cut short, or another program wrote it again without wiggle's metadata (copy it again, or export it again)")

// Read reads the ONNX model of a fully-connected network, as torch.onnx.export
// writes one for an nn.Sequential of Linear, activation, PReLU, Dropout and
// Flatten modules, or as Write writes one, and returns it as a wiggle model.
// The file's standard operator set must lie from MinReadOpset to
// MaxReadOpset.
//
// A Linear layer may be Gemm, or MatMul and Add, with constant weights (or
// an Identity of them, as PyTorch gives a tensor equal to another). An
// activation may be its ONNX operator or any subgraph of element-wise
// operators on the layer's values and scalar constants: Read computes it at
// thousands of points in [-12, 12] and hundreds out to ±64 and beyond (where
// finite), and takes the catalogue activation (with
// parameters drawn from the subgraph's constants) that agrees within
// 1e-5 + 1e-5·|value| at all of them. A file of wiggle's own lists its
// activations in its metadata, each by the value it ends in: where every
// piece of a stretch of element-wise nodes, cut at those values, computes
// what the list says, the list is taken, so that each activation reads
// back as itself rather than as another that agrees (or as one where the
// file held two in a row). Write's Identity to "logits" after the last is
// no layer, and where a listed function jumps (softplus at its threshold)
// it may agree a float32 step beside the point, which float32 and float64
// round to either side. A list over maxList bytes is left unread.
// The network ends at Options.Output, or "logits", or the graph's only
// output (several, none "logits", are an *OutputError): the nodes that read
// it, the loss's, are not read. A Softmax or LogSoftmax at the very end is
// left to the softmax loss; a sigmoid at the very end of another writer's
// file (nn.Sigmoid) to the logistic loss, which is then the loss where
// opt and the file name none and the network has one output (under
// another loss, mse, it stays a layer); over several outputs it needs a
// loss (ErrLossUnknown), since softmax's would be taken over the
// sigmoids. Anything else is an error naming the node and its op.
//
// A file's metadata lists of classes or features of another count than
// its network has are a *NamesError, unless Options gives those lists.
// A file of wiggle's export without the metadata its export writes last
// is ErrCutShort.
//
// The model returned standardises its rows where the file does ((x −
// mean)/std at the input is its Scaler): its Net takes standardised rows,
// so a caller that trains Net itself applies Scaler first (train.FitModel
// does).
//
// Read never panics on a malformed file and allocates no more than a few
// times the file's size.
func Read(r io.Reader, opt Options) (*modelio.Model, error) {
	if r == nil {
		return nil, nilio.ErrNoReader
	}
	if opt.Loss != "" {
		if _, err := loss.New(opt.Loss); err != nil {
			return nil, fmt.Errorf("Options.Loss: %w", err)
		}
	}
	raw, err := io.ReadAll(io.LimitReader(r, MaxFile+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > MaxFile {
		return nil, fmt.Errorf("the file is over %d bytes, more than an MLP's ONNX file", MaxFile)
	}
	if len(raw) == 0 {
		return nil, errors.New("not an ONNX model: the file is empty")
	}
	if err := checkEntries(raw); err != nil {
		return nil, err
	}
	var m onnxpb.ModelProto
	if err := proto.Unmarshal(raw, &m); err != nil {
		if len(raw) > 8 && raw[8] == '{' {
			return nil, errors.New("not an ONNX model: it is a safetensors file (a wiggle model, which needs no import)")
		}
		if hint := notONNX(raw); hint != "" {
			return nil, errors.New("not an ONNX model: " + hint)
		}
		return nil, fmt.Errorf("not an ONNX model, or a damaged or truncated one: %v", err)
	}
	if m.GetGraph() == nil {
		if hint := notONNX(raw); hint != "" {
			return nil, errors.New("not an ONNX model: " + hint)
		}
		return nil, errors.New("not an ONNX model: it has no graph")
	}
	if err := checkOpset(&m); err != nil {
		return nil, err
	}
	meta := map[string]string{}
	for _, p := range m.GetMetadataProps() {
		meta[p.GetKey()] = p.GetValue()
	}
	if m.GetProducerName() == "wiggle" && meta["wiggle_version"] == "" {
		return nil, ErrCutShort
	}
	if err := checkText(meta, opt); err != nil {
		return nil, err
	}
	net, err := readGraph(m.GetGraph(), opt.Output, meta["activations"], m.GetProducerName() == "wiggle")
	if err != nil {
		return nil, err
	}
	if recorded := meta["loss"]; opt.Loss != "" && recorded != "" && opt.Loss != recorded {
		return nil, fmt.Errorf("%w: it is wiggle's export of a %s model; read as %s, its outputs would mean something else", ErrOtherLoss, recorded, opt.Loss)
	}
	out := &modelio.Model{Net: net.seq, Scaler: net.scaler, Target: meta["target"],
		Loss: firstOf(opt.Loss, meta["loss"]), Classes: slices.Clone(opt.Classes), Features: slices.Clone(opt.Features)}
	if out.Loss == "" && net.sigmoidAtEnd && net.seq.OutSize() == 1 {
		out.Loss = "logistic" // a binary classifier's probability, as nn.Sigmoid ends one
	}
	if out.Loss == "" && net.sigmoidAtEnd {
		return nil, fmt.Errorf("%w; the network ends in a Sigmoid over %d outputs (a score each, not one probability over classes), where the default, softmax, would take a softmax of the sigmoids: give the loss (mse reads the sigmoids as the outputs)", ErrLossUnknown, net.seq.OutSize())
	}
	if out.Loss == "" && net.seq.OutSize() == 1 {
		return nil, fmt.Errorf("%w; the default, softmax, needs an output per class, and the network has one (a binary classifier's score: logistic; a value: mse)", ErrLossUnknown)
	}
	if out.Loss == "" {
		out.Loss = "softmax"
	}
	if net.sigmoidAtEnd && out.Loss == "logistic" { // the loss computes it from the scores (as softmax's does)
		out.Net = nn.NewSequential(net.seq.In, net.seq.Layers[:len(net.seq.Layers)-1]...)
	}
	if net.sigmoidAtEnd && out.Loss == "binary-hinge" { // its probabilities are all above 0: class 1 on every row
		return nil, fmt.Errorf("the graph ends in a Sigmoid, a probability between 0 and 1, which binary-hinge would read as a score, above 0 and so class 1 on every row; import it as logistic (which computes the sigmoid itself) or mse (the probability as the output)")
	}
	if net.softmaxAtEnd && out.Loss != "softmax" {
		return nil, fmt.Errorf("the graph ends in %s, which only the softmax loss computes; it cannot be imported under the loss %s", net.softmaxOp, out.Loss)
	}
	l, err := loss.New(out.Loss)
	if err != nil {
		return nil, err
	}
	if out.Features == nil {
		if out.Features, err = listOr(meta, "features", "x", net.seq.In); err != nil {
			return nil, err
		}
	}
	if out.Classes == nil {
		if out.Classes, err = listOr(meta, "classes", "", loss.Classes(l, net.seq.OutSize())); err != nil {
			return nil, err
		}
	}
	if err := out.Check(); err != nil {
		return nil, err
	}
	return out, nil
}

// MinReadOpset and MaxReadOpset bound the standard operator sets Read
// takes. Over them, the operators it reads kept their meaning on float
// tensors (later versions added types, and Clip's bounds moved from
// attributes to inputs at 11, which Read takes either way); before 7
// Gemm and Add broadcast only where an attribute said so, and a newer
// set may change what an operator means.
const (
	MinReadOpset = 7
	MaxReadOpset = 25 // ONNX 1.20
)

// firstOpset is the first standard operator set of each operator Read
// computes that came after MinReadOpset: a file of an older set holding
// one is not what its exporter meant (ONNX Runtime refuses it).
var firstOpset = map[string]int64{"Erf": 9, "Where": 9, "Sign": 9, "ThresholdedRelu": 10, "Celu": 12, "HardSwish": 14, "Mish": 18, "Gelu": 20}

// checkOpset refuses a model whose standard operator set lies outside
// MinReadOpset to MaxReadOpset, or is older than an operator it holds
// (firstOpset), or is imported twice. A model that imports none is read (the
// format requires one, but nothing in it would be read otherwise).
func checkOpset(m *onnxpb.ModelProto) error {
	var versions []int64
	for _, o := range m.GetOpsetImport() {
		if d := o.GetDomain(); d != "" && d != "ai.onnx" {
			continue // another set's nodes are refused by name where they occur
		}
		versions = append(versions, o.GetVersion())
	}
	if len(versions) > 1 {
		return fmt.Errorf("the file imports the standard ONNX operator set %d times (versions %v); a model imports it once", len(versions), versions)
	}
	for _, v := range versions {
		for _, n := range m.GetGraph().GetNode() {
			if first, ok := firstOpset[n.GetOpType()]; ok && v < first && (n.GetDomain() == "" || n.GetDomain() == "ai.onnx") {
				return fmt.Errorf("%s is an operator of opset %d on, and the file imports opset %d: export it again at opset %d or later", describe(n), first, v, first)
			}
		}
		switch {
		case v < MinReadOpset:
			return fmt.Errorf("the file uses the ONNX operator set %d, older than wiggle reads (%d to %d); export it again at opset 13 to 17 (torch.onnx.export's opset_version)", v, MinReadOpset, MaxReadOpset)
		case v > MaxReadOpset:
			return fmt.Errorf("the file uses the ONNX operator set %d, newer than wiggle knows (it reads %d to %d); export it again at opset 13 to 17 (torch.onnx.export's opset_version)", v, MinReadOpset, MaxReadOpset)
		}
	}
	return nil
}

// importedNet is what a graph holds: the network, the standardisation in
// front of it, and whether a softmax closes it.
type importedNet struct {
	seq          *nn.Sequential
	scaler       *data.Standardizer
	softmaxAtEnd bool
	softmaxOp    string
	sigmoidAtEnd bool // the network ends in a sigmoid (not one before Write's "logits", where the loss's nodes follow)
}

// graphReader walks a graph's chain of nodes from its input.
type graphReader struct {
	g      *onnxpb.GraphProto
	floats map[string][]float32 // float initializers and Constant nodes
	ints   map[string][]int64   // int64 ones (shapes, axes)
	consts map[string]bool      // every initializer and Constant, of any type
	shapes map[string][]int64
	users  map[string][]*onnxpb.NodeProto // the nodes that read each value, once each
	output string                         // the value the network ends in
	own    bool                           // a file of Write's, whose "logits" the loss's nodes read
	index  map[*onnxpb.NodeProto]int      // each node's place in the graph

	recognitions int // subgraphs matched to the catalogue so far (see maxRecognition)

	writer    map[string]*onnxpb.NodeProto           // the node that writes each value (its first output)
	unread    map[string]onnxpb.TensorProto_DataType // constants of types addTensor does not read, for the errors
	inputRank int                                    // the graph input's declared rank (0 where not declared)
	hints     map[string]act.Func                    // the activations a file of wiggle's own lists, by the values they end in
}

// readGraph reads the network a graph computes from its one input to the
// output graphOutput chooses (output is Options.Output). activations is
// the list of them a file of wiggle's own holds (see readHints), or "";
// own tells a file Write wrote (its producer wiggle).
func readGraph(g *onnxpb.GraphProto, output, activations string, own bool) (*importedNet, error) {
	r := &graphReader{g: g, own: own, writer: map[string]*onnxpb.NodeProto{}, floats: map[string][]float32{}, ints: map[string][]int64{}, consts: map[string]bool{},
		shapes: map[string][]int64{}, users: map[string][]*onnxpb.NodeProto{}, index: map[*onnxpb.NodeProto]int{}, unread: map[string]onnxpb.TensorProto_DataType{}}
	for _, t := range g.GetInitializer() {
		if r.consts[t.GetName()] {
			return nil, fmt.Errorf("the graph holds two initializers named %s; a name is one value (onnx.checker refuses the file too)", quote.Short(t.GetName()))
		}
		if err := r.addTensor(t.GetName(), t); err != nil {
			return nil, err
		}
	}
	if err := r.checkOrder(); err != nil {
		return nil, err
	}
	for i, n := range g.GetNode() {
		r.index[n] = i
		if len(n.GetOutput()) == 0 || n.GetOutput()[0] == "" {
			return nil, fmt.Errorf("%s has no output", describe(n))
		}
		r.writer[n.GetOutput()[0]] = n
		if d := n.GetDomain(); d != "" && d != "ai.onnx" {
			return nil, fmt.Errorf("%s is from the operator set %q; wiggle reads the standard one", describe(n), d)
		}
		if n.GetOpType() == "Constant" {
			if err := r.addConstant(n); err != nil {
				return nil, err
			}
			continue
		}
		if in := n.GetInput(); n.GetOpType() == "Dropout" && len(in) > 2 && in[2] != "" && !slices.Equal(r.ints[in[2]], []int64{0}) {
			return nil, fmt.Errorf("%s is in training mode (its training_mode is not a constant false); export the network in eval mode (net.eval(), torch.onnx.export's training=TrainingMode.EVAL)", describe(n))
		}
		if in := n.GetInput(); n.GetOpType() == "Identity" && len(in) == 1 && r.consts[in[0]] {
			r.alias(n.GetOutput()[0], in[0]) // PyTorch keeps equal weights once, the others as Identity of it
			continue
		}
		if in := n.GetInput(); n.GetOpType() == "Reciprocal" && len(in) == 1 && len(r.floats[in[0]]) > 0 {
			r.reciprocal(n.GetOutput()[0], in[0]) // 1/sd of a constant sd, as (x - mu) * (1 / sd) writes it
			continue
		}
		if in := n.GetInput(); n.GetOpType() == "Transpose" && len(in) == 1 && r.transposed(n.GetOutput()[0], in[0], intsAttr(n, "perm")) {
			continue // a Linear(bias=False)'s weight as PyTorch writes it without constant folding: Transpose, then MatMul
		}
		for _, in := range uniq(n.GetInput()) {
			r.users[in] = append(r.users[in], n)
		}
	}
	var input string
	var declared *onnxpb.ValueInfoProto
	for _, in := range g.GetInput() {
		if !r.consts[in.GetName()] {
			if input != "" {
				return nil, fmt.Errorf("the graph takes more than one input (%s, %s); wiggle reads networks of one, their weights inside the file (torch.onnx.export's export_params=True)", input, in.GetName())
			}
			input, declared = in.GetName(), in
			r.inputRank = len(in.GetType().GetTensorType().GetShape().GetDim())
		}
	}
	if input == "" || len(g.GetOutput()) == 0 {
		return nil, errors.New("the graph has no input or no output")
	}
	var err error
	writer := r.writers()
	if r.output, err = r.graphOutput(output, writer); err != nil {
		return nil, err
	}
	r.dropBranchesBeside(r.output, writer)
	if len(r.users[input]) == 0 && input != r.output {
		return nil, fmt.Errorf("the graph's output %q is not computed from its input %q", r.output, input)
	}
	if users := r.users[input]; r.inputRank == 1 && len(users) == 1 && users[0].GetOpType() == "Gemm" {
		return nil, fmt.Errorf("the graph's input %q is declared of rank 1 (one vector), but %s takes a matrix, a row an example: the file contradicts itself (ONNX Runtime would refuse it too)", input, describe(users[0]))
	}
	r.readHints(activations)
	net, err := r.chain(input, r.output)
	if err != nil {
		return nil, err
	}
	if features, ok := declaredFeatures(declared); ok && features < 0 {
		return nil, fmt.Errorf("the graph's input %q is declared with more than %d numbers a row, but its first layer takes %d: the file contradicts itself (ONNX Runtime would refuse it too)", input, maxDeclared, net.seq.In)
	} else if ok && features != net.seq.In {
		if rank := len(declared.GetType().GetTensorType().GetShape().GetDim()); rank > 2 {
			return nil, fmt.Errorf("the graph's input %q has %d dimensions, %d numbers an example, but its first layer takes %d: it works on parts of an example, and wiggle reads networks of one row of features an example (flattened whole)", input, rank, features, net.seq.In)
		}
		return nil, fmt.Errorf("the graph's input %q is declared with %d features a row, but its first layer takes %d: the file contradicts itself (ONNX Runtime would refuse it too)", input, features, net.seq.In)
	}
	return net, nil
}

// declaredFeatures is the features a row of an input declares: the
// product of its shape's dimensions past the first (the batch), where
// each is a number; false where the shape, or one of them, is not given
// (a symbolic "N", as torch.onnx.export's dynamic axes write), and −1
// where the product passes maxDeclared.
func declaredFeatures(in *onnxpb.ValueInfoProto) (int, bool) {
	dims := in.GetType().GetTensorType().GetShape().GetDim()
	if len(dims) < 2 {
		return 0, false
	}
	n := 1
	for _, d := range dims[1:] {
		if _, symbolic := d.GetValue().(*onnxpb.TensorShapeProto_Dimension_DimParam); symbolic || d.GetValue() == nil {
			return 0, false
		}
		v := d.GetDimValue()
		if v <= 0 {
			return 0, false
		}
		if v > maxDeclared || n > maxDeclared/int(v) {
			return -1, true
		}
		n *= int(v)
	}
	return n, true
}

// maxDeclared bounds the numbers a row that declaredFeatures multiplies
// out: far past any layer wiggle holds (nn.MaxParams).
const maxDeclared = 1 << 30

// checkOrder refuses a graph whose nodes do not come each after what it
// reads (ONNX's rule: a loop, or a node reading a value nothing writes,
// is not a network), or whose values two writers write.
func (r *graphReader) checkOrder() error {
	written := map[string]*onnxpb.NodeProto{}
	for _, in := range r.g.GetInput() {
		written[in.GetName()] = nil
	}
	for name := range r.consts {
		written[name] = nil
	}
	for _, n := range r.g.GetNode() {
		for _, v := range n.GetInput() {
			if _, ok := written[v]; !ok && v != "" {
				return fmt.Errorf("%s reads %s before any node writes it: a graph's nodes come each after what it reads, and this one loops or reads nothing there is (onnx.checker refuses the file too)", describe(n), quote.Short(v))
			}
		}
		for _, v := range n.GetOutput() {
			if v == "" {
				continue
			}
			if first, twice := written[v]; twice {
				by := "an initializer or the graph's input"
				if first != nil {
					by = describe(first)
				}
				return fmt.Errorf("%s writes %s, which %s writes too; a name is one value (onnx.checker refuses the file too)", describe(n), quote.Short(v), by)
			}
			written[v] = n
		}
	}
	return nil
}

// uniq returns names without repeats, in order.
func uniq(names []string) []string {
	seen := make(map[string]bool, len(names))
	var out []string
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// opType is n's op for an error: as it is where it is a name of letters
// and digits (every op of ONNX's), else quoted.
func opType(n *onnxpb.NodeProto) string {
	t := n.GetOpType()
	notName := func(r rune) bool { return r >= utf8.RuneSelf || !(unicode.IsLetter(r) || unicode.IsDigit(r)) }
	if t == "" || strings.IndexFunc(t, notName) >= 0 {
		return quote.Short(t)
	}
	return t
}

// describe names a node for an error: its name, or else its output, and
// its op.
func describe(n *onnxpb.NodeProto) string {
	if name := n.GetName(); name != "" {
		return fmt.Sprintf("node %s (%s)", quote.Short(name), opType(n))
	}
	if len(n.GetOutput()) > 0 {
		return fmt.Sprintf("the %s node that makes %s", opType(n), quote.Short(n.GetOutput()[0]))
	}
	return fmt.Sprintf("a %s node", opType(n))
}

// checkText refuses metadata Read takes that is not UTF-8 text: a model's
// names are text, and saved they would change. Entries it does not read
// (an author's, classes that opt gives) may hold anything.
func checkText(meta map[string]string, opt Options) error {
	keys := []string{"activations", "loss", "target"}
	if opt.Features == nil {
		keys = append(keys, "features")
	}
	if opt.Classes == nil {
		keys = append(keys, "classes")
	}
	for _, key := range keys {
		if v := meta[key]; !utf8.ValidString(v) {
			return fmt.Errorf("metadata %q: %s is not UTF-8 text", key, quote.Short(v))
		}
	}
	return nil
}

// Load reads the ONNX model in the file at path (see Read).
func Load(path string, opt Options) (*modelio.Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := Read(f, opt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}
