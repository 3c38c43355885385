package onnx

import (
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"google.golang.org/protobuf/proto"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/internal/onnxpb"
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
// defaults.
type Options struct {
	Loss     string   // "softmax" by default ("logistic" for a network of one output ending in a sigmoid)
	Classes  []string // "0", "1", ... by default
	Features []string // "x0", "x1", ... by default
}

// ErrLossUnknown is Read's error, wrapped, for a file that does not say
// what loss its network was trained with where the default cannot be it.
var ErrLossUnknown = errors.New("the file does not say what loss the network was trained with")

// Read reads the ONNX model of a fully-connected network, as torch.onnx.export
// writes one for an nn.Sequential of Linear, activation, PReLU, Dropout and
// Flatten modules, or as Export writes one, and returns it as a wiggle model.
//
// A Linear layer may be Gemm, or MatMul and Add, with constant weights (or
// an Identity of them, as PyTorch gives a tensor equal to another). An
// activation may be its ONNX operator or any subgraph of element-wise
// operators on the layer's values and scalar constants: Read computes it at
// thousands of points in [-12, 12] and takes the catalogue activation (with
// parameters drawn from the subgraph's constants) that agrees within
// 1e-5 + 1e-5·|value| at all of them. A file of wiggle's own lists its
// activations in its metadata, each by the value it ends in: where every
// piece of a stretch of element-wise nodes, cut at those values, computes
// what the list says, the list is taken, so that each activation reads
// back as itself rather than as another that agrees (or as one where the
// file held two in a row). Export's Identity to "logits" after the last is
// no layer, and where a listed function jumps (softplus at its threshold)
// it may agree a float32 step beside the point, which float32 and float64
// round to either side. A list over maxList bytes is left unread.
// The network ends at "logits" (or the first output): the nodes that read
// it, the loss's, are not read. A Softmax or LogSoftmax at the very end is
// left to the softmax loss; a sigmoid at the very end of another writer's
// file (nn.Sigmoid) to the logistic loss, which is then the loss where
// opt and the file name none and the network has one output (under
// another loss, mse, it stays a layer). Anything else is an error naming
// the node and its op.
//
// Read never panics on a malformed file and allocates no more than a few
// times the file's size.
func Read(r io.Reader, opt Options) (*modelio.Model, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxFile+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > MaxFile {
		return nil, fmt.Errorf("the file is over %d bytes, more than an MLP's ONNX file", MaxFile)
	}
	var m onnxpb.ModelProto
	if err := proto.Unmarshal(raw, &m); err != nil {
		if len(raw) > 8 && raw[8] == '{' {
			return nil, errors.New("not an ONNX model: it is a safetensors file (a wiggle model, which needs no import)")
		}
		return nil, fmt.Errorf("not an ONNX model, or a damaged or truncated one: %v", err)
	}
	if m.GetGraph() == nil {
		return nil, errors.New("not an ONNX model: it has no graph")
	}
	meta := map[string]string{}
	for _, p := range m.GetMetadataProps() {
		meta[p.GetKey()] = p.GetValue()
	}
	net, err := readGraph(m.GetGraph(), meta["activations"], m.GetProducerName() == "wiggle")
	if err != nil {
		return nil, err
	}
	out := &modelio.Model{Net: net.seq, Scaler: net.scaler, Target: meta["target"],
		Loss: firstOf(opt.Loss, meta["loss"]), Classes: opt.Classes, Features: opt.Features}
	if out.Loss == "" && net.sigmoidAtEnd && net.seq.OutSize() == 1 {
		out.Loss = "logistic" // a binary classifier's probability, as nn.Sigmoid ends one
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
	if net.softmaxAtEnd && out.Loss != "softmax" {
		return nil, fmt.Errorf("the graph ends in %s, which only the softmax loss computes; it cannot be imported under the loss %s", net.softmaxOp, out.Loss)
	}
	l, err := loss.New(out.Loss)
	if err != nil {
		return nil, err
	}
	if out.Features == nil {
		out.Features = listOr(meta["features"], "x", net.seq.In)
	}
	if out.Classes == nil {
		out.Classes = listOr(meta["classes"], "", loss.Classes(l, net.seq.OutSize()))
	}
	if err := out.Check(); err != nil {
		return nil, err
	}
	return out, nil
}

// firstOf returns the first of its arguments that is not empty.
func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// listOr splits a comma-separated list (joinList's) when it has n items,
// else returns prefix0, prefix1, ... (nil when n is 0).
func listOr(list, prefix string, n int) []string {
	if n == 0 {
		return nil
	}
	if list != "" {
		for _, items := range [][]string{splitList(list), strings.Split(list, ",")} { // the second: an older writer's names holding quotes
			if len(items) == n {
				return items
			}
		}
	}
	names := make([]string, n)
	for i := range names {
		names[i] = prefix + strconv.Itoa(i)
	}
	return names
}

// splitList reads a list joinList wrote. A list of another writer that is
// no CSV record is split at every comma.
func splitList(list string) []string {
	r := csv.NewReader(strings.NewReader(list))
	r.FieldsPerRecord = -1
	items, err := r.Read()
	if err != nil {
		return strings.Split(list, ",")
	}
	if _, err := r.Read(); err != io.EOF { // more than one record: not a list of joinList's
		return strings.Split(list, ",")
	}
	return items
}

// maxList bounds the list of activations Read takes (a few hundred bytes
// in a file of wiggle's own), so that a file cannot make it parse millions
// of specs. The names' lists are as long as a layer is wide.
const maxList = 1 << 20

// importedNet is what a graph holds: the network, the standardisation in
// front of it, and whether a softmax closes it.
type importedNet struct {
	seq          *nn.Sequential
	scaler       *data.Standardizer
	softmaxAtEnd bool
	softmaxOp    string
	sigmoidAtEnd bool // the network ends in a sigmoid (not one before Export's "logits", where the loss's nodes follow)
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
	own    bool                           // a file of Export's, whose "logits" the loss's nodes read
	index  map[*onnxpb.NodeProto]int      // each node's place in the graph

	recognitions int // subgraphs matched to the catalogue so far (see maxRecognition)

	writer map[string]*onnxpb.NodeProto // the node that writes each value (its first output)
	hints  map[string]act.Func          // the activations a file of wiggle's own lists, by the values they end in
}

// readHints parses the activations a file of wiggle's own lists in its
// metadata (Export's "activations", a joinList record): "value=spec", each
// by the value it ends in. Only values that a node of the graph writes are
// kept, each once, so that a list cannot cost more than the graph; one
// that does not parse is left out.
func (r *graphReader) readHints(list string) {
	r.hints = map[string]act.Func{}
	if len(list) > maxList {
		return
	}
	for _, entry := range splitList(list) {
		value, spec, _ := strings.Cut(entry, "=")
		_, written := r.writer[value]
		if _, seen := r.hints[value]; !written || seen {
			continue
		}
		if f, err := act.Parse(spec); err == nil {
			r.hints[value] = f
		}
	}
}

// readGraph reads the network a graph computes from its one input to its
// output called "logits" (as Export writes it), or else its first output.
// activations is the list of them a file of wiggle's own holds (see
// readHints), or ""; own tells a file Export wrote (its producer wiggle).
func readGraph(g *onnxpb.GraphProto, activations string, own bool) (*importedNet, error) {
	r := &graphReader{g: g, own: own, writer: map[string]*onnxpb.NodeProto{}, floats: map[string][]float32{}, ints: map[string][]int64{}, consts: map[string]bool{},
		shapes: map[string][]int64{}, users: map[string][]*onnxpb.NodeProto{}, index: map[*onnxpb.NodeProto]int{}}
	for _, t := range g.GetInitializer() {
		if err := r.addTensor(t.GetName(), t); err != nil {
			return nil, err
		}
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
		for _, in := range uniq(n.GetInput()) {
			r.users[in] = append(r.users[in], n)
		}
	}
	var input string
	for _, in := range g.GetInput() {
		if !r.consts[in.GetName()] {
			if input != "" {
				return nil, fmt.Errorf("the graph takes more than one input (%s, %s); wiggle reads networks of one, their weights inside the file (torch.onnx.export's export_params=True)", input, in.GetName())
			}
			input = in.GetName()
		}
	}
	if input == "" || len(g.GetOutput()) == 0 {
		return nil, errors.New("the graph has no input or no output")
	}
	r.output = g.GetOutput()[0].GetName()
	for _, o := range g.GetOutput() {
		if o.GetName() == "logits" {
			r.output = "logits"
		}
	}
	r.readHints(activations)
	return r.chain(input, r.output)
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

// describe names a node for an error: its name, or else its output, and
// its op.
func describe(n *onnxpb.NodeProto) string {
	if name := n.GetName(); name != "" {
		return fmt.Sprintf("node %q (%s)", name, n.GetOpType())
	}
	if len(n.GetOutput()) > 0 {
		return fmt.Sprintf("the %s node that makes %q", n.GetOpType(), n.GetOutput()[0])
	}
	return fmt.Sprintf("a %s node", n.GetOpType())
}

// addConstant keeps the value of a Constant node.
func (r *graphReader) addConstant(n *onnxpb.NodeProto) error {
	name := n.GetOutput()[0]
	for _, a := range n.GetAttribute() {
		switch a.GetName() {
		case "value":
			if a.GetT() != nil {
				return r.addTensor(name, a.GetT())
			}
		case "value_float":
			r.floats[name], r.shapes[name] = []float32{a.GetF()}, nil
		case "value_floats":
			r.floats[name], r.shapes[name] = a.GetFloats(), []int64{int64(len(a.GetFloats()))}
		case "value_int":
			r.ints[name], r.shapes[name] = []int64{a.GetI()}, nil
		case "value_ints":
			r.ints[name], r.shapes[name] = a.GetInts(), []int64{int64(len(a.GetInts()))}
		}
	}
	r.consts[name] = true
	return nil
}

// alias makes the constant name another name of the constant of.
func (r *graphReader) alias(name, of string) {
	r.consts[name], r.shapes[name] = true, r.shapes[of]
	if v, ok := r.floats[of]; ok {
		r.floats[name] = v
	}
	if v, ok := r.ints[of]; ok {
		r.ints[name] = v
	}
}

// addTensor keeps a float32 or int64 tensor by name; others are only
// marked constant.
func (r *graphReader) addTensor(name string, t *onnxpb.TensorProto) error {
	r.consts[name] = true
	n := int64(1)
	for _, d := range t.GetDims() {
		if d < 0 || d > MaxFile {
			return fmt.Errorf("tensor %q has dimension %d", name, d)
		}
		n *= d
		if n > MaxFile {
			return fmt.Errorf("tensor %q of shape %v is larger than any file wiggle reads", name, t.GetDims())
		}
	}
	if t.GetDataLocation() == onnxpb.TensorProto_EXTERNAL {
		return fmt.Errorf("tensor %q is stored in another file; wiggle reads models whose weights are inside the .onnx file", name)
	}
	var err error
	switch onnxpb.TensorProto_DataType(t.GetDataType()) {
	case onnxpb.TensorProto_FLOAT:
		r.floats[name], err = decode(name, "floats", t.GetFloatData(), t.GetRawData(), n, t.GetDims(), 4, float32frombytes)
	case onnxpb.TensorProto_DOUBLE:
		var v []float64
		v, err = decode(name, "numbers", t.GetDoubleData(), t.GetRawData(), n, t.GetDims(), 8, float64frombytes)
		r.floats[name] = float32s(v)
	case onnxpb.TensorProto_INT64:
		r.ints[name], err = decode(name, "integers", t.GetInt64Data(), t.GetRawData(), n, t.GetDims(), 8, int64frombytes)
	case onnxpb.TensorProto_BOOL: // 0 or 1 (a Dropout's training_mode), a byte each or in int32_data
		bools := make([]int64, len(t.GetInt32Data()))
		for i, v := range t.GetInt32Data() {
			bools[i] = int64(boolf(v != 0))
		}
		r.ints[name], err = decode(name, "truth values", bools, t.GetRawData(), n, t.GetDims(), 1, func(b []byte) int64 { return int64(boolf(b[0] != 0)) })
	}
	if err != nil {
		return err
	}
	r.shapes[name] = t.GetDims()
	return nil
}

// decode returns a tensor's n values: its typed field, or else its raw
// little-endian bytes, size bytes a value, each read by read.
func decode[T float32 | float64 | int64](name, what string, typed []T, raw []byte, n int64, dims []int64, size int64, read func([]byte) T) ([]T, error) {
	if len(raw) > 0 {
		if int64(len(raw)) != size*n {
			return nil, fmt.Errorf("tensor %q holds %d bytes for %d %s", name, len(raw), n, what)
		}
		typed = make([]T, n)
		for i := range typed {
			typed[i] = read(raw[size*int64(i):])
		}
	}
	if int64(len(typed)) != n {
		return nil, fmt.Errorf("tensor %q holds %d %s for the shape %v", name, len(typed), what, dims)
	}
	return typed, nil
}

// chain reads layers from the value x to the output.
func (r *graphReader) chain(x, output string) (*importedNet, error) {
	c := &chainState{net: &importedNet{}}
	for steps := 0; x != output; steps++ {
		if steps > len(r.g.GetNode()) {
			return nil, errors.New("the graph loops")
		}
		users := r.users[x]
		if len(users) == 0 {
			return nil, fmt.Errorf("nothing reads the value %q, and it is not the graph's output %q", x, output)
		}
		if len(users) == 1 {
			next, ok, err := r.layer(c, x, users[0], output)
			if err != nil {
				return nil, err
			}
			if ok {
				x = next
				continue
			}
		}
		fs, next, err := r.activations(x)
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
			c.layers = append(c.layers, nn.NewActivation(f))
		}
		x = next
	}
	if c.in == 0 {
		return nil, errors.New("the graph has no linear layer (Gemm, or MatMul with constant weights)")
	}
	if a, ok := c.layers[len(c.layers)-1].(*nn.Activation); ok && a.F.Name() == "sigmoid" {
		c.net.sigmoidAtEnd = !c.net.softmaxAtEnd && !(r.own && output == "logits") // past it only Flatten, Dropout or Identity, which are no layers
	}
	c.net.seq = nn.NewSequential(c.in, c.layers...)
	if s := c.net.scaler; s != nil {
		s.Mean, s.Std = broadcast(s.Mean, c.in), broadcast(s.Std, c.in)
	}
	return c.net, nil
}

// chainState is what chain has read so far.
type chainState struct {
	net    *importedNet
	layers []nn.Layer
	in     int // the network's inputs, once a linear layer is read
	width  int // the last layer's outputs
}

// broadcast repeats a one-value slice n times; any other it returns as is.
func broadcast(v []float32, n int) []float32 {
	if len(v) != 1 || n == 1 {
		return v
	}
	return slices.Repeat(v, n)
}

// layer reads the layer that node n, the only reader of x, begins, when it
// is not an activation: it returns the layer's output value, and false
// when n begins an activation.
func (r *graphReader) layer(c *chainState, x string, n *onnxpb.NodeProto, output string) (string, bool, error) {
	in := n.GetInput()
	switch n.GetOpType() {
	case "Gemm", "MatMul":
		d, next, err := r.linear(x, n)
		if err != nil {
			return "", false, err
		}
		var l nn.Layer = d
		if m, after, ok := r.maxout(d, next); ok {
			l, next = m, after
		}
		if c.in == 0 {
			c.in = d.In
		} else if d.In != c.width {
			return "", false, fmt.Errorf("%s takes %d inputs; the layer before gives %d", describe(n), d.In, c.width)
		}
		c.layers, c.width = append(c.layers, l), l.OutSize(d.In)
		return next, true, nil
	case "Identity", "Dropout", "Flatten", "Softmax", "LogSoftmax":
		if len(in) == 0 || in[0] != x {
			return "", false, fmt.Errorf("%s does not take the layer's values as its first input", describe(n))
		}
	}
	switch n.GetOpType() {
	case "Identity":
		if n.GetOutput()[0] != output { // wiggle's identity activation; PyTorch writes none
			c.layers = append(c.layers, nn.NewActivation(act.MustNew("identity")))
		}
		return n.GetOutput()[0], true, nil
	case "Dropout", "Flatten":
		return n.GetOutput()[0], true, nil
	case "PRelu":
		if len(in) != 2 || in[0] != x || r.floats[in[1]] == nil {
			return "", false, fmt.Errorf("%s does not take the layer's values and constant slopes", describe(n))
		}
		slope := r.floats[in[1]]
		if c.in == 0 {
			return "", false, fmt.Errorf("%s comes before any linear layer; wiggle reads PReLU after one", describe(n))
		}
		if len(slope) != 1 && len(slope) != c.width {
			return "", false, fmt.Errorf("%s has %d slopes after a layer of %d units", describe(n), len(slope), c.width)
		}
		p := nn.NewPReLU(len(slope), 0)
		copy(p.A.Value, slope)
		c.layers = append(c.layers, p)
		return n.GetOutput()[0], true, nil
	case "Softmax", "LogSoftmax":
		if n.GetOutput()[0] != output {
			return "", false, fmt.Errorf("%s is not the last node; wiggle reads a softmax only as the network's end", describe(n))
		}
		if axis := intAttr(n, "axis", -1); axis != 1 && axis != -1 {
			return "", false, fmt.Errorf("%s takes its softmax over axis %d; wiggle reads one over the classes, axis 1 (dim=1 in PyTorch)", describe(n), axis)
		}
		c.net.softmaxAtEnd, c.net.softmaxOp = true, n.GetOpType()
		return output, true, nil
	case "Sub":
		if s, next, ok := r.scaler(x, n); ok && c.in == 0 && c.net.scaler == nil {
			c.net.scaler = s
			return next, true, nil
		}
	}
	return "", false, nil
}

// scaler reads a standardisation (x − mean)/std at the network's input,
// Sub then Div by constants of one value or one per feature (chain repeats
// a single value for every feature).
func (r *graphReader) scaler(x string, sub *onnxpb.NodeProto) (*data.Standardizer, string, bool) {
	in := sub.GetInput()
	if len(in) != 2 || in[0] != x || len(r.floats[in[1]]) == 0 || len(r.shapes[in[1]]) > 1 {
		return nil, "", false
	}
	users := r.users[sub.GetOutput()[0]]
	if len(users) != 1 || users[0].GetOpType() != "Div" {
		return nil, "", false
	}
	div := users[0].GetInput()
	if len(div) != 2 || div[0] != sub.GetOutput()[0] || len(r.floats[div[1]]) == 0 || len(r.shapes[div[1]]) > 1 {
		return nil, "", false
	}
	mean, std := r.floats[in[1]], r.floats[div[1]]
	if len(mean) != len(std) && len(mean) != 1 && len(std) != 1 {
		return nil, "", false
	}
	return &data.Standardizer{Mean: append([]float32(nil), mean...), Std: append([]float32(nil), std...)}, users[0].GetOutput()[0], true
}

// maxout reads Reshape to [-1, out, pieces] and ReduceMax over the pieces
// after the linear layer d (as Export writes a Maxout layer).
func (r *graphReader) maxout(d *nn.Dense, z string) (*nn.Maxout, string, bool) {
	users := r.users[z]
	if len(users) != 1 || users[0].GetOpType() != "Reshape" || len(users[0].GetInput()) != 2 {
		return nil, "", false
	}
	shape := r.ints[users[0].GetInput()[1]]
	if len(shape) != 3 || shape[0] != -1 || shape[2] < 1 || int64(d.Out)%shape[2] != 0 || shape[1] != int64(d.Out)/shape[2] {
		return nil, "", false
	}
	reduce := r.users[users[0].GetOutput()[0]]
	if len(reduce) != 1 || reduce[0].GetOpType() != "ReduceMax" || intAttr(reduce[0], "keepdims", 1) != 0 {
		return nil, "", false
	}
	axes := intsAttr(reduce[0], "axes")
	if in := reduce[0].GetInput(); len(in) == 2 {
		axes = r.ints[in[1]]
	}
	if len(axes) != 1 || (axes[0] != 2 && axes[0] != -1) {
		return nil, "", false
	}
	m := nn.NewMaxout(d.In, int(shape[1]), int(shape[2]))
	copy(m.Linear.W.Value, d.W.Value)
	copy(m.Linear.B.Value, d.B.Value)
	return m, reduce[0].GetOutput()[0], true
}

// intAttr returns node n's integer attribute, or def.
func intAttr(n *onnxpb.NodeProto, name string, def int64) int64 {
	for _, a := range n.GetAttribute() {
		if a.GetName() == name {
			return a.GetI()
		}
	}
	return def
}

// floatAttr returns node n's float attribute, or def.
func floatAttr(n *onnxpb.NodeProto, name string, def float32) float32 {
	for _, a := range n.GetAttribute() {
		if a.GetName() == name {
			return a.GetF()
		}
	}
	return def
}

// intsAttr returns node n's list-of-integers attribute.
func intsAttr(n *onnxpb.NodeProto, name string) []int64 {
	for _, a := range n.GetAttribute() {
		if a.GetName() == name {
			return a.GetInts()
		}
	}
	return nil
}

// linear reads a Linear layer at node n on x: Gemm with constant weights,
// or MatMul followed by an Add of a constant bias. It returns the layer
// and its output value.
func (r *graphReader) linear(x string, n *onnxpb.NodeProto) (*nn.Dense, string, error) {
	in := n.GetInput()
	if len(in) < 2 || in[0] != x || r.floats[in[1]] == nil || len(r.shapes[in[1]]) != 2 {
		return nil, "", fmt.Errorf("%s does not multiply the layer's values by a constant matrix", describe(n))
	}
	w, shape := r.floats[in[1]], r.shapes[in[1]]
	out, bias := n.GetOutput()[0], []float32(nil)
	transposed := true // MatMul's weights are [in, out]
	if n.GetOpType() == "Gemm" {
		transA, transB := intAttr(n, "transA", 0), intAttr(n, "transB", 0)
		alpha, beta := floatAttr(n, "alpha", 1), floatAttr(n, "beta", 1)
		if transA != 0 || alpha != 1 || beta != 1 {
			return nil, "", fmt.Errorf("%s is not a Linear layer (transA %d, alpha %g, beta %g)", describe(n), transA, alpha, beta)
		}
		transposed = transB == 0
		if len(in) > 2 && in[2] != "" {
			if bias = r.floats[in[2]]; bias == nil {
				return nil, "", fmt.Errorf("%s adds a bias that is not a constant", describe(n))
			}
		}
	} else if users := r.users[out]; len(users) == 1 && users[0].GetOpType() == "Add" {
		add := users[0].GetInput()
		for i, v := range add {
			if b := r.floats[v]; b != nil && len(add) == 2 && add[1-i] == out {
				bias, out = b, users[0].GetOutput()[0]
			}
		}
	}
	d, err := dense(w, shape, transposed, bias)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", describe(n), err)
	}
	return d, out, nil
}

// dense makes a Dense layer of weights of shape [out, in] (or [in, out]
// when transposed) and a bias (zeros when nil).
func dense(w []float32, shape []int64, transposed bool, bias []float32) (*nn.Dense, error) {
	out, in := int(shape[0]), int(shape[1])
	if transposed {
		out, in = in, out
	}
	if in >= 1 && out >= 1 && in > nn.MaxParams/out {
		return nil, fmt.Errorf("weights of shape %v: more than %d, the most a wiggle layer holds", shape, nn.MaxParams)
	}
	if in < 1 || out < 1 || len(w) != in*out {
		return nil, fmt.Errorf("weights of shape %v", shape)
	}
	if bias != nil && len(bias) != out && len(bias) != 1 {
		return nil, fmt.Errorf("a bias of %d values for %d outputs", len(bias), out)
	}
	bias = broadcast(bias, out)
	d := nn.NewDense(in, out)
	for i := range out {
		for j := range in {
			if transposed {
				d.W.Value[i*in+j] = w[j*out+i]
			} else {
				d.W.Value[i*in+j] = w[i*in+j]
			}
		}
	}
	copy(d.B.Value, bias)
	return d, nil
}

// float32frombytes reads a little-endian float32.
func float32frombytes(b []byte) float32 {
	return math.Float32frombits(binary.LittleEndian.Uint32(b))
}

// float64frombytes reads a little-endian float64.
func float64frombytes(b []byte) float64 {
	return math.Float64frombits(binary.LittleEndian.Uint64(b))
}

// float32s rounds float64s to float32.
func float32s(v []float64) []float32 {
	if v == nil {
		return nil
	}
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

// int64frombytes reads a little-endian int64.
func int64frombytes(b []byte) int64 {
	return int64(binary.LittleEndian.Uint64(b))
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
