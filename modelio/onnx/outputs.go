package onnx

import (
	"fmt"
	"slices"

	"github.com/wigglenn/wiggle/internal/onnxpb"
	"github.com/wigglenn/wiggle/internal/quote"
)

// An OutputError is Read's error where the graph's output to read the
// network to is not known: Options.Output names none of the graph's
// outputs, or the graph has several, none called "logits", and
// Options.Output is empty.
type OutputError struct {
	Name    string   // Options.Output; "" where it was not given
	Outputs []string // the graph's outputs, in order
}

func (e *OutputError) Error() string {
	if e.Name == "" {
		return fmt.Sprintf("the graph has %d outputs (%s), none called \"logits\", and no output was named to read the network to", len(e.Outputs), quote.ShortList(e.Outputs))
	}
	return fmt.Sprintf("the graph has no output %s; its outputs are %s", quote.Short(e.Name), quote.ShortList(e.Outputs))
}

// graphOutput is the output of g that the network ends at: want where it
// is one (see Options.Output), else the one called "logits", else the
// only one.
func graphOutput(g *onnxpb.GraphProto, want string) (string, error) {
	var names []string
	for _, o := range g.GetOutput() {
		names = append(names, o.GetName())
	}
	switch {
	case want != "" && !slices.Contains(names, want):
		return "", &OutputError{Name: want, Outputs: names}
	case want != "":
		return want, nil
	case slices.Contains(names, "logits"):
		return "logits", nil
	case len(names) > 1:
		return "", &OutputError{Outputs: names}
	}
	return names[0], nil // readGraph has refused a graph of none
}
