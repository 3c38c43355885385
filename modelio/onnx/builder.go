package onnx

import (
	"fmt"
	"slices"
	"strings"

	"google.golang.org/protobuf/proto"

	"github.com/wigglenn/wiggle/internal/onnxpb"
)

// builder adds nodes and initializers to a graph, naming each value.
type builder struct {
	g      *onnxpb.GraphProto
	n      int
	consts map[float32]string
}

// node adds an op on inputs (and attributes) and returns its output's name.
func (b *builder) node(op string, inputsAndAttrs ...any) string {
	b.n++
	out := fmt.Sprintf("%s_%d", strings.ToLower(op), b.n)
	n := &onnxpb.NodeProto{OpType: proto.String(op), Name: proto.String(out), Output: []string{out}}
	for _, v := range inputsAndAttrs {
		switch v := v.(type) {
		case string:
			n.Input = append(n.Input, v)
		case *onnxpb.AttributeProto:
			n.Attribute = append(n.Attribute, v)
		}
	}
	b.g.Node = append(b.g.Node, n)
	return out
}

// rename makes the value old, the output of the last node that writes it,
// be called name (for the graph's outputs).
func (b *builder) rename(old, name string) {
	for _, n := range b.g.Node {
		for i, o := range n.Output {
			if o == old {
				n.Output[i] = name
			}
		}
		for i, in := range n.Input {
			if in == old {
				n.Input[i] = name
			}
		}
	}
}

// initializer adds a float32 tensor of the given shape.
func (b *builder) initializer(name string, shape []int64, data []float32) string {
	b.g.Initializer = append(b.g.Initializer, &onnxpb.TensorProto{Name: proto.String(name), Dims: shape,
		DataType: proto.Int32(int32(onnxpb.TensorProto_FLOAT)), FloatData: slices.Clone(data)})
	return name
}

// int64s adds an int64 tensor (a shape).
func (b *builder) int64s(name string, data []int64) string {
	b.n++
	name = fmt.Sprintf("%s_%d", name, b.n)
	b.g.Initializer = append(b.g.Initializer, &onnxpb.TensorProto{Name: proto.String(name), Dims: []int64{int64(len(data))},
		DataType: proto.Int32(int32(onnxpb.TensorProto_INT64)), Int64Data: data})
	return name
}

// scalar adds (once per value) a float32 scalar constant.
func (b *builder) scalar(v float32) string {
	if b.consts == nil {
		b.consts = map[float32]string{}
	}
	if name, ok := b.consts[v]; ok {
		return name
	}
	name := fmt.Sprintf("const_%d", len(b.consts))
	b.g.Initializer = append(b.g.Initializer, &onnxpb.TensorProto{Name: proto.String(name),
		DataType: proto.Int32(int32(onnxpb.TensorProto_FLOAT)), FloatData: []float32{v}})
	b.consts[v] = name
	return name
}

func attrInt(name string, v int64) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: proto.String(name), Type: onnxpb.AttributeProto_INT.Enum(), I: proto.Int64(v)}
}

func attrInts(name string, v ...int64) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: proto.String(name), Type: onnxpb.AttributeProto_INTS.Enum(), Ints: v}
}

func attrFloat(name string, v float32) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: proto.String(name), Type: onnxpb.AttributeProto_FLOAT.Enum(), F: proto.Float32(v)}
}

// tensorInfo describes a float32 [rows, cols] value whose rows are dynamic.
func tensorInfo(name, rows string, cols int64) *onnxpb.ValueInfoProto {
	return &onnxpb.ValueInfoProto{Name: proto.String(name), Type: &onnxpb.TypeProto{
		Value: &onnxpb.TypeProto_TensorType{TensorType: &onnxpb.TypeProto_Tensor{
			ElemType: proto.Int32(int32(onnxpb.TensorProto_FLOAT)),
			Shape: &onnxpb.TensorShapeProto{Dim: []*onnxpb.TensorShapeProto_Dimension{
				{Value: &onnxpb.TensorShapeProto_Dimension_DimParam{DimParam: rows}},
				{Value: &onnxpb.TensorShapeProto_Dimension_DimValue{DimValue: cols}},
			}},
		}},
	}}
}

func sortProps(props []*onnxpb.StringStringEntryProto) {
	slices.SortFunc(props, func(a, b *onnxpb.StringStringEntryProto) int { return strings.Compare(a.GetKey(), b.GetKey()) })
}
