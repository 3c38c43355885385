package onnx

// A bound on the entries a file asks the decoder to make.

import (
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
)

// maxEntries bounds the repeated entries of a file's model, graph, nodes
// and attributes (nodes, initializers, inputs, outputs, value infos,
// metadata, opsets, functions; a node's inputs, outputs and attributes;
// an attribute's tensors and graphs) that Read decodes: an MLP's are tens.
// Each costs the decoder a few hundred bytes however few the file spends
// on it, so a 20 MB file of empty initializers asked for 3.6 GB, and a
// node of ten million empty attributes as much.
const maxEntries = 1 << 16

// onnx.proto's field numbers of the messages checkEntries looks into:
// ModelProto's graph, GraphProto's node, NodeProto's attribute.
const (
	modelGraph    = 7
	graphNode     = 1
	nodeAttribute = 5
)

// checkEntries refuses a file whose model, graph, nodes and attributes
// hold more than maxEntries entries in all, before the decoder makes
// them. A file whose wire format does not parse is left to the decoder,
// which says so.
func checkEntries(raw []byte) error {
	n := countEntries(raw, []protowire.Number{modelGraph, graphNode, nodeAttribute})
	if n > maxEntries {
		return fmt.Errorf("not an ONNX model of an MLP: its model, graph and nodes hold over %d entries, where an MLP's hold tens", maxEntries)
	}
	return nil
}

// countEntries counts the fields of the message b, and those of the
// messages nested in it along path: path[0] is the field of b whose
// messages are counted too, each along path[1:].
func countEntries(b []byte, path []protowire.Number) int {
	n := 0
	eachField(b, func(num protowire.Number, typ protowire.Type, value []byte) {
		n++
		if len(path) > 0 && num == path[0] && typ == protowire.BytesType {
			inner, _ := protowire.ConsumeBytes(value)
			n += countEntries(inner, path[1:])
		}
	})
	return n
}

// eachField calls f with each field of a message's wire format, as far as
// it parses: its number, its type and its value's bytes.
func eachField(b []byte, f func(num protowire.Number, typ protowire.Type, value []byte)) {
	for len(b) > 0 {
		num, typ, size := protowire.ConsumeTag(b)
		if size < 0 {
			return
		}
		b = b[size:]
		m := protowire.ConsumeFieldValue(num, typ, b)
		if m < 0 {
			return
		}
		f(num, typ, b[:m])
		b = b[m:]
	}
}
