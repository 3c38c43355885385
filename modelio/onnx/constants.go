// The graph's constants: initializers and Constant nodes by name (an
// Identity of one is the same constant), decoded from their typed fields or
// raw bytes, and the nodes' attributes.

package onnx

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/wigglenn/wiggle/internal/onnxpb"
	"github.com/wigglenn/wiggle/internal/quote"
)

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

// unreadType is, where one of names is a constant of a type addTensor does
// not read (float16, int32, ...), or the Cast of one (weights kept narrow
// and cast up in the graph), a clause that says so and what to do; ""
// otherwise.
func (r *graphReader) unreadType(names []string) string {
	for _, name := range names {
		if w := r.writer[name]; w != nil && w.GetOpType() == "Cast" && len(w.GetInput()) == 1 {
			if kind, ok := r.unread[w.GetInput()[0]]; ok { // weights kept narrow, cast up in the graph (keep_io_types)
				return fmt.Sprintf(" (%s casts the constant %s, of %s, to another type; wiggle reads float32 weights stored as such: export the network after model.float())", describe(w), quote.Short(w.GetInput()[0]), strings.ToLower(kind.String()))
			}
		}
		if kind, ok := r.unread[name]; ok {
			what := strings.ToLower(kind.String())
			if _, numbered := onnxpb.TensorProto_DataType_name[int32(kind)]; !numbered { // a type newer than the onnx.proto wiggle was built with
				what = fmt.Sprintf("of ONNX data type %d", kind)
			}
			return fmt.Sprintf(" (the constant %s is %s; wiggle reads float32 weights: export the network after model.float())", quote.Short(name), what)
		}
	}
	return ""
}

// transposed makes out the constant transpose of the float matrix in
// (Transpose with no perm, or perm [1, 0]), and reports whether it could.
func (r *graphReader) transposed(out, in string, perm []int64) bool {
	shape, v := r.shapes[in], r.floats[in]
	if len(shape) != 2 || v == nil || perm != nil && !slices.Equal(perm, []int64{1, 0}) || int64(len(v)) != shape[0]*shape[1] {
		return false
	}
	rows, cols := int(shape[0]), int(shape[1])
	t := make([]float32, len(v))
	for i := range rows {
		for j := range cols {
			t[j*rows+i] = v[i*cols+j]
		}
	}
	r.floats[out], r.consts[out], r.shapes[out] = t, true, []int64{shape[1], shape[0]}
	return true
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

// addTensor keeps a float32, float64, int64 or bool tensor by name;
// others are only marked constant, their type kept for the errors
// (unreadType).
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
	switch kind := onnxpb.TensorProto_DataType(t.GetDataType()); kind {
	default:
		r.unread[name] = kind
	case onnxpb.TensorProto_FLOAT:
		r.floats[name], err = decode(name, "floats", t.GetFloatData(), t.GetRawData(), n, t.GetDims(), 4, float32frombytes)
	case onnxpb.TensorProto_DOUBLE:
		var v []float64
		v, err = decode(name, "numbers", t.GetDoubleData(), t.GetRawData(), n, t.GetDims(), 8, float64frombytes)
		r.floats[name] = float32s(v)
	case onnxpb.TensorProto_INT64:
		r.ints[name], err = decode(name, "integers", t.GetInt64Data(), t.GetRawData(), n, t.GetDims(), 8, int64frombytes)
	case onnxpb.TensorProto_BOOL: // 0 or 1 (a Dropout's training_mode), a byte each or in int32_data
		if n > maxTruths {
			return fmt.Errorf("tensor %q holds %d truth values; wiggle reads those of a Dropout's training mode, a few (each would take 8 bytes here)", name, n)
		}
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

// maxTruths bounds a BOOL tensor's values: a Dropout's training_mode is
// one, and each would cost 8 bytes as the int64 Read keeps it.
const maxTruths = 1 << 16

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

// stringAttr returns node n's string attribute, or def.
func stringAttr(n *onnxpb.NodeProto, name string, def string) string {
	for _, a := range n.GetAttribute() {
		if a.GetName() == name {
			return string(a.GetS())
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
