package onnx

// A bound on the entries a file asks the decoder to make.

import (
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
)

// maxEntries bounds the repeated entries of a file's model and graph
// (nodes, initializers, inputs, outputs, value infos, metadata, opsets,
// functions) that Read decodes: an MLP's are tens. Each costs the decoder
// a few hundred bytes however few the file spends on it, so a 20 MB file
// of empty initializers asked for 3.6 GB.
const maxEntries = 1 << 16

// modelGraph is onnx.proto's field number of ModelProto's graph.
const modelGraph = 7

// checkEntries refuses a file whose model or graph holds more than
// maxEntries entries, before the decoder makes them. A file whose wire
// format does not parse is left to the decoder, which says so.
func checkEntries(raw []byte) error {
	n := 0
	eachField(raw, func(num protowire.Number, typ protowire.Type, value []byte) {
		if num != modelGraph || typ != protowire.BytesType {
			n++
			return
		}
		graph, _ := protowire.ConsumeBytes(value)
		eachField(graph, func(protowire.Number, protowire.Type, []byte) { n++ })
	})
	if n > maxEntries {
		return fmt.Errorf("not an ONNX model of an MLP: its model and graph hold over %d entries, where an MLP's hold tens", maxEntries)
	}
	return nil
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
