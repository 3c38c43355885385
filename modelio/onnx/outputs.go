package onnx

import (
	"fmt"
	"slices"

	"github.com/wigglenn/wiggle/internal/onnxpb"
	"github.com/wigglenn/wiggle/internal/quote"
)

// An OutputError is Read's error where the graph's output to read the
// network to is not known: Options.Output names none of the graph's
// outputs, or another than "logits" of a file of Write's, or the graph
// has several, none called "logits", and Options.Output is empty.
type OutputError struct {
	Name    string   // Options.Output; "" where it was not given
	Outputs []string // the graph's outputs, in order
	Ops     []string // the operator that writes each output ("" for the input or an initializer)
	Written bool     // the file is Write's, whose network ends at "logits"
}

func (e *OutputError) Error() string {
	switch {
	case e.Written:
		return fmt.Sprintf("the file is wiggle's export, whose network ends at its output \"logits\"; %s is its loss's (what predict prints), not the network's", quote.Short(e.Name))
	case e.Name == "":
		return fmt.Sprintf("the graph has %d outputs (%s), none called \"logits\": name the one the network ends at", len(e.Outputs), e.list())
	}
	return fmt.Sprintf("the graph has no output %s; its outputs are %s", quote.Short(e.Name), e.list())
}

// list names the outputs, each with its operator: an exporter's names
// ("8", "onnx::Softmax_7") say little of what an output is.
func (e *OutputError) list() string {
	named := make([]string, len(e.Outputs))
	for i, name := range e.Outputs {
		named[i] = quote.Short(name)
		if i < len(e.Ops) && e.Ops[i] != "" {
			named[i] += " (" + e.Ops[i] + ")"
		}
	}
	return quote.List(named)
}

// graphOutput is the output of the graph that the network ends at: want
// where it is one (see Options.Output), else the one called "logits",
// else the only one. A file of Write's ends at "logits". writer is
// r.writers(), for the error's operators.
func (r *graphReader) graphOutput(want string, writer map[string]*onnxpb.NodeProto) (string, error) {
	var names, ops []string
	for _, o := range r.g.GetOutput() {
		names = append(names, o.GetName())
		op := ""
		if n := writer[o.GetName()]; n != nil {
			op = opType(n)
		}
		ops = append(ops, op)
	}
	switch {
	case r.own && want != "" && want != "logits" && slices.Contains(names, "logits") && slices.Contains(names, want):
		return "", &OutputError{Name: want, Outputs: names, Ops: ops, Written: true}
	case want != "" && !slices.Contains(names, want):
		return "", &OutputError{Name: want, Outputs: names, Ops: ops}
	case want != "":
		return want, nil
	case slices.Contains(names, "logits"):
		return "logits", nil
	case len(names) > 1:
		return "", &OutputError{Outputs: names, Ops: ops}
	}
	return names[0], nil // readGraph has refused a graph of none
}

// dropBranchesBeside leaves out of r.users the nodes whose values do not
// lead to output: the branches to a graph's other outputs (probabilities
// beside the logits, normalised features beside the scores) are not the
// network's, and a value they read would seem to branch. writer is
// r.writers().
func (r *graphReader) dropBranchesBeside(output string, writer map[string]*onnxpb.NodeProto) {
	leads := map[*onnxpb.NodeProto]bool{}
	for todo := []string{output}; len(todo) > 0; {
		v := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if n := writer[v]; n != nil && !leads[n] {
			leads[n] = true
			todo = append(todo, n.GetInput()...)
		}
	}
	for v, users := range r.users {
		r.users[v] = slices.DeleteFunc(users, func(n *onnxpb.NodeProto) bool { return !leads[n] })
	}
}

// writers maps every value a node writes to the node: r.writer has each
// node's first output alone.
func (r *graphReader) writers() map[string]*onnxpb.NodeProto {
	writer := map[string]*onnxpb.NodeProto{}
	for _, n := range r.g.GetNode() {
		for _, v := range n.GetOutput() {
			writer[v] = n
		}
	}
	return writer
}
