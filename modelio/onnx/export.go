// Package onnx writes wiggle models as ONNX graphs, for ONNX Runtime and
// whatever else reads ONNX, and reads the ONNX files of fully-connected
// networks, PyTorch's exports among them, as wiggle models (Read).
//
// Write encodes one graph of a model: it takes the raw features (input
// "input", float32 [N, features], N dynamic), standardises them when the
// model does, runs the network, and gives as its first output "output"
// exactly the numbers `wiggle predict` prints after its label column (each
// class's probability for softmax and logistic, scores for hinge and
// binary-hinge, the value for mse), and as its second "logits" the
// network's raw outputs. Each activation becomes the ONNX operator that
// computes it where the opset has one, and otherwise the smallest exact
// subgraph (gelu through Erf, silu as x·Sigmoid(x), softplus with beta and
// threshold, step, logsigmoid, maxout as Reshape and ReduceMax); dropout is
// left out. The class labels and feature names (each list a CSV record),
// the loss, the target's name, the activations by the values they end in
// ("value=spec", for Read) and wiggle's version go into the model's
// metadata_props.
//
// Concurrency: the functions share nothing; any number may run at once.
package onnx

import (
	"fmt"
	"io"
	"math"
	"strconv"

	"google.golang.org/protobuf/proto"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/internal/atomicfile"
	"github.com/wigglenn/wiggle/internal/nilio"
	"github.com/wigglenn/wiggle/internal/onnxpb"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/nn"
)

// irVersion is the ONNX IR version of a file of the standard operator set
// opset: the lowest that defines it (onnx's own table, VERSION_TABLE in
// onnx/helper.py: 7 up to opset 14, onnx 1.9; 8 from 15), so that a
// runtime of that age reads the file.
func irVersion(opset int) int64 {
	if opset <= 14 {
		return 7
	}
	return 8
}

// Version is wiggle's version as exported models record it.
const Version = "0.1"

// DefaultOpset is the opset to give Write where nothing asks for another
// (`wiggle export`'s default): what onnx 1.12 (Debian's python3-onnx)
// checks. MinOpset and MaxOpset bound the opsets Write writes correctly
// (HardSwish needs 14; ReduceMax takes its axes as an attribute up to 17).
const (
	DefaultOpset = 17
	MinOpset     = 14
	MaxOpset     = 17
)

// export makes the ONNX model of m at the given opset (see MinOpset and
// MaxOpset).
func export(m *modelio.Model, opset int) (*onnxpb.ModelProto, error) {
	if err := m.Check(); err != nil {
		return nil, err
	}
	if opset < MinOpset || opset > MaxOpset {
		return nil, fmt.Errorf("opset %d: wiggle writes opsets %d to %d", opset, MinOpset, MaxOpset)
	}
	b := &builder{g: &onnxpb.GraphProto{Name: proto.String("wiggle")}}
	x := "input"
	b.g.Input = append(b.g.Input, tensorInfo(x, "N", int64(m.Net.In)))
	if s := m.Scaler; s != nil {
		x = b.node("Sub", x, b.initializer("mean", []int64{int64(len(s.Mean))}, s.Mean))
		x = b.node("Div", x, b.initializer("std", []int64{int64(len(s.Std))}, s.Std))
	}
	var activations []string // "value=spec" for each activation layer, as the importer's hints
	for i, l := range m.Net.Layers {
		var err error
		if x, err = b.layer(x, i, l); err != nil {
			return nil, err
		}
		if a, ok := l.(*nn.Activation); ok {
			activations = append(activations, x+"="+a.F.String())
		}
	}
	logits := b.node("Identity", x)
	out, err := b.prediction(logits, m.Loss)
	if err != nil {
		return nil, err
	}
	b.rename(out, "output")
	b.rename(logits, "logits")
	outputs := m.Net.OutSize()
	width := int64(outputs)
	if m.Loss == "logistic" {
		width = 2
	}
	b.g.Output = append(b.g.Output, tensorInfo("output", "N", width), tensorInfo("logits", "N", int64(outputs)))
	model := &onnxpb.ModelProto{
		IrVersion:       proto.Int64(irVersion(opset)),
		ProducerName:    proto.String("wiggle"),
		ProducerVersion: proto.String(Version),
		OpsetImport:     []*onnxpb.OperatorSetIdProto{{Domain: proto.String(""), Version: proto.Int64(int64(opset))}},
		Graph:           b.g,
	}
	for k, v := range map[string]string{"classes": joinList(m.Classes), "features": joinList(m.Features), "activations": joinList(activations),
		"loss": m.Loss, "target": m.Target, "wiggle_version": Version} {
		if v != "" {
			model.MetadataProps = append(model.MetadataProps, &onnxpb.StringStringEntryProto{Key: proto.String(k), Value: proto.String(v)})
		}
	}
	sortProps(model.MetadataProps)
	return model, nil
}

// Write encodes the ONNX model of m to w, at opset (MinOpset to MaxOpset;
// another is an error, and nothing is written).
func Write(w io.Writer, m *modelio.Model, opset int) error {
	if w == nil {
		return nilio.ErrNoWriter
	}
	model, err := export(m, opset)
	if err != nil {
		return err
	}
	raw, err := proto.MarshalOptions{Deterministic: true}.Marshal(model)
	if err != nil {
		return err
	}
	_, err = w.Write(raw)
	return err
}

// Save writes the ONNX model of m to path at opset, as Write does, whole
// or not at all.
func Save(path string, m *modelio.Model, opset int) error {
	return atomicfile.Write(path, 0o644, func(w io.Writer) error { return Write(w, m, opset) })
}

// layer adds the nodes of the i-th layer to x and returns its output.
func (b *builder) layer(x string, i int, l nn.Layer) (string, error) {
	prefix := strconv.Itoa(i) + "."
	switch l := l.(type) {
	case *nn.Dense:
		return b.dense(x, prefix, l), nil
	case *nn.Activation:
		return b.activation(x, l.F)
	case *nn.PReLU:
		return b.node("PRelu", x, b.initializer(prefix+"weight", []int64{int64(len(l.A.Value))}, l.A.Value)), nil
	case *nn.Maxout:
		z := b.dense(x, prefix, l.Linear)
		shape := b.int64s("shape", []int64{-1, int64(l.Out), int64(l.Pieces)})
		z = b.node("Reshape", z, shape)
		return b.node("ReduceMax", z, attrInts("axes", 2), attrInt("keepdims", 0)), nil
	case *nn.Dropout:
		return x, nil // nothing at inference
	}
	return "", fmt.Errorf("layer %d (%T) has no ONNX form", i, l)
}

// dense adds y = x·Wᵀ + b.
func (b *builder) dense(x, prefix string, d *nn.Dense) string {
	w := b.initializer(prefix+"weight", []int64{int64(d.Out), int64(d.In)}, d.W.Value)
	bias := b.initializer(prefix+"bias", []int64{int64(d.Out)}, d.B.Value)
	return b.node("Gemm", x, w, bias, attrInt("transB", 1))
}

// prediction adds what `wiggle predict` prints, of the logits.
func (b *builder) prediction(logits, lossName string) (string, error) {
	switch lossName {
	case "softmax":
		return b.node("Softmax", logits, attrInt("axis", 1)), nil
	case "logistic": // [1 − σ(s), σ(s)]
		q := b.node("Sigmoid", logits)
		return b.node("Concat", b.node("Sub", b.scalar(1), q), q, attrInt("axis", 1)), nil
	case "hinge", "binary-hinge", "mse":
		return b.node("Identity", logits), nil
	}
	return "", fmt.Errorf("loss %q has no ONNX output", lossName)
}

// activation adds f: its ONNX operator, or an exact subgraph.
func (b *builder) activation(x string, f act.Func) (string, error) {
	p := act.Params(f)
	num := func(name string) float32 {
		v, _ := strconv.ParseFloat(p[name], 64)
		return float32(v)
	}
	switch f.Name() {
	case "identity":
		return b.node("Identity", x), nil
	case "step": // 1 for x > 0, at_zero at 0, else 0
		above := b.node("Cast", b.node("Greater", x, b.scalar(0)), attrInt("to", int64(onnxpb.TensorProto_FLOAT)))
		at := b.node("Cast", b.node("Equal", x, b.scalar(0)), attrInt("to", int64(onnxpb.TensorProto_FLOAT)))
		return b.node("Add", above, b.node("Mul", at, b.scalar(num("at_zero")))), nil
	case "sigmoid":
		return b.node("Sigmoid", x), nil
	case "tanh":
		return b.node("Tanh", x), nil
	case "relu":
		return b.node("Relu", x), nil
	case "leaky_relu":
		return b.node("LeakyRelu", x, attrFloat("alpha", num("negative_slope"))), nil
	case "prelu": // the fixed-slope function; a network's PReLU layer is PRelu
		return b.node("LeakyRelu", x, attrFloat("alpha", num("weight"))), nil
	case "elu":
		return b.node("Elu", x, attrFloat("alpha", num("alpha"))), nil
	case "selu":
		return b.node("Selu", x), nil
	case "celu":
		return b.node("Celu", x, attrFloat("alpha", num("alpha"))), nil
	case "gelu":
		if p["approximate"] == "tanh" {
			return b.geluTanh(x), nil
		}
		erf := b.node("Erf", b.node("Mul", x, b.scalar(float32(1/math.Sqrt2))))
		return b.node("Mul", b.node("Mul", x, b.scalar(0.5)), b.node("Add", erf, b.scalar(1))), nil
	case "gelu_tanh":
		return b.geluTanh(x), nil
	case "silu":
		return b.node("Mul", x, b.node("Sigmoid", x)), nil
	case "softplus": // log(1 + e^(βx))/β, and x where βx > threshold
		beta, threshold := num("beta"), num("threshold")
		bx := b.node("Mul", x, b.scalar(beta))
		soft := b.node("Div", b.node("Softplus", bx), b.scalar(beta))
		return b.node("Where", b.node("Greater", bx, b.scalar(threshold)), x, soft), nil
	case "mish":
		return b.node("Mul", x, b.node("Tanh", b.node("Softplus", x))), nil
	case "hardtanh":
		return b.node("Clip", x, b.scalar(num("min_val")), b.scalar(num("max_val"))), nil
	case "relu6":
		return b.node("Clip", x, b.scalar(0), b.scalar(6)), nil
	case "hardsigmoid":
		return b.node("HardSigmoid", x, attrFloat("alpha", float32(1.0/6)), attrFloat("beta", 0.5)), nil
	case "hardswish":
		return b.node("HardSwish", x), nil
	case "softsign":
		return b.node("Softsign", x), nil
	case "logsigmoid": // −softplus(−x)
		return b.node("Neg", b.node("Softplus", b.node("Neg", x))), nil
	}
	return "", fmt.Errorf("activation %s has no ONNX form", f)
}

// geluTanh adds 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
func (b *builder) geluTanh(x string) string {
	cube := b.node("Mul", b.node("Mul", x, x), x)
	inner := b.node("Mul", b.node("Add", x, b.node("Mul", cube, b.scalar(0.044715))), b.scalar(float32(math.Sqrt(2/math.Pi))))
	return b.node("Mul", b.node("Mul", x, b.scalar(0.5)), b.node("Add", b.node("Tanh", inner), b.scalar(1)))
}
