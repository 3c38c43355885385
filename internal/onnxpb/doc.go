// Package onnxpb holds the Go types of ONNX's protocol buffers (ModelProto,
// GraphProto, NodeProto, TensorProto, ...), generated from the official
// onnx.proto of onnx 1.12 by protoc-gen-go (see gen/). Encoding and
// decoding go through google.golang.org/protobuf.
package onnxpb

//go:generate go run ./gen
