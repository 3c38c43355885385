package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/modelio/onnx"
)

func newImportCmd(e env) *cobra.Command {
	var out, lossName, classes, features, output string
	cmd := &cobra.Command{
		Use:   "import M.onnx --out W.safetensors [--loss softmax] [--classes a,b,c] [--features x0,x1] [--output NAME]",
		Short: "Read a PyTorch MLP exported to ONNX as a wiggle model",
		Long: `Read an ONNX file of a fully-connected network and write it as a wiggle
model, for eval, predict, train --init and export.

It reads what torch.onnx.export (PyTorch 1.13, opsets 7 to 17) writes for an
nn.Sequential of Linear, the activations of 'wiggle act list', PReLU, Dropout
and Flatten, and what 'wiggle export' writes, in files of ONNX opsets 7 to 25
(newer exporters' Mish and Gelu operators too); a file of another opset is
refused, saying which it uses. A Linear layer may be Gemm or
MatMul and Add. An activation may be its ONNX operator or a subgraph of
element-wise operators (PyTorch writes GELU, SiLU and Mish so): wiggle
computes the subgraph at thousands of points and takes the activation of its
catalogue that agrees at all of them. A Softmax at the very end is left to
the softmax loss, and a Sigmoid at the very end of one output (a binary
classifier's nn.Sigmoid) to the logistic loss, the default there; under
--loss mse the sigmoid stays, its value the output (a Sigmoid over several
outputs needs --loss: mse keeps it). Anything else
(convolutions, normalisation, branches within the network) is refused,
naming the node and its op; branches to the graph's other outputs are left
out. PyTorch writes Softplus without its threshold: the file computes, and
wiggle reads, the default threshold of 20.

The network ends at the graph's output called logits (as 'wiggle export'
writes it), or at its only output; a graph of several outputs, none called
logits (a forward that returns scores and probabilities), needs --output,
the name of the one to read (the error lists them).

ONNX files do not say what loss the network was trained with, nor name its
classes and columns: give them with --loss, --classes and --features (a file
of 'wiggle export' carries them, and they are taken from it). A network of
one output needs --loss, unless it ends in a Sigmoid. eval then needs
--target, the data's column the model predicts.`,
		Example: `  # in Python: torch.onnx.export(net, torch.zeros(1, 784), "mnist.onnx",
  #                               input_names=["input"], dynamic_axes={"input": {0: "N"}})
  wiggle import mnist.onnx --out mnist.safetensors
  wiggle import iris.onnx --out iris.safetensors --classes setosa,versicolor,virginica \
      --features sepal_length,sepal_width,petal_length,petal_width`,
		Args: exactArgs(1, "the ONNX file to read"),
		RunE: func(_ *cobra.Command, args []string) error {
			if out == "" {
				return usageError{errors.New("--out is needed: the wiggle model file to write")}
			}
			if err := checkOutputFile(e, "--out", out, "model.safetensors", [2]string{"ONNX", args[0]}); err != nil {
				return err
			}
			if strings.EqualFold(filepath.Ext(out), ".onnx") {
				return usageError{fmt.Errorf("--out %s: import writes a wiggle model (.safetensors); 'wiggle export' writes ONNX", out)}
			}
			if lossName != "" {
				if _, err := loss.New(lossName); err != nil {
					return usageError{fmt.Errorf("--loss: %w", err)}
				}
			}
			if err := checkFileRoom("", args[0], 4, "the file, its graph, and the network built from it: four times the file, as measured"); err != nil {
				return err
			}
			m, err := loadONNX(e.ctx, args[0], onnx.Options{Loss: lossName, Output: output}, classes, features)
			if err := outputError(err, output); err != nil {
				return err
			}
			if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
				return usageError{err}
			}
			if errors.Is(err, onnx.ErrLossUnknown) {
				return usageError{fmt.Errorf("--loss is needed: %w", err)}
			}
			if errors.Is(err, onnx.ErrOtherLoss) {
				return usageError{fmt.Errorf("--loss %s: %w; leave --loss out", lossName, err)}
			}
			if err != nil {
				return err
			}
			if err := setNames(m, classes, features); err != nil {
				return err
			}
			if err := modelio.Save(out, m); err != nil {
				return sysErr(fmt.Errorf("--out: %w", err))
			}
			features := plural(m.Net.In, "feature")
			if m.Scaler != nil {
				features += " (standardised by the file's means and deviations, as the model keeps them)"
			}
			_, err = fmt.Fprintf(reportTo(e, out), "wrote %s: %s, loss %s, %s, %s\n", out, layersSummary(m), m.Loss, features, classList(m))
			return sysErr(err)
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", "", "the wiggle model file to write (.safetensors)")
	f.StringVar(&lossName, "loss", "", "the loss the network was trained with: softmax, logistic, hinge, binary-hinge or mse (default softmax; logistic where one output ends in a Sigmoid, and none where several do; or what a file of wiggle's says)")
	f.StringVar(&classes, "classes", "", "the class labels, in the order of the outputs, comma-separated, a label holding a comma in double quotes (default 0,1,...)")
	f.StringVar(&features, "features", "", "the feature column names, in the order of the inputs, comma-separated, a name holding a comma in double quotes (default x0,x1,...)")
	f.StringVar(&output, "output", "", "the graph output the network ends at, where the graph has several (default: the one called logits, or the only one)")
	return cmd
}

// outputError is err, an *onnx.OutputError, as --output's mistake; nil
// for another error.
func outputError(err error, output string) error {
	var oe *onnx.OutputError
	switch {
	case !errors.As(err, &oe):
		return nil
	case oe.Name == "":
		return usageError{fmt.Errorf("%w; give it with --output", err)}
	case oe.Written:
		return usageError{fmt.Errorf("--output %s: %w; leave --output out", output, err)}
	}
	return usageError{fmt.Errorf("--output %s: %w", output, err)}
}

// loadONNX reads the ONNX file at path with opt's loss and output. A file
// whose metadata lists classes or features of another count than its
// network has is read where --classes or --features replaces the list
// (setNames then checks and puts it), refused otherwise, naming the flag.
func loadONNX(ctx context.Context, path string, opt onnx.Options, classes, features string) (*modelio.Model, error) {
	read := func(opt onnx.Options) (*modelio.Model, error) { return onnx.Load(path, opt) }
	if isPipe(path) { // read once, whichever options the loop below reads it with
		raw, err := readPipe(ctx, path, func(r io.Reader) ([]byte, error) { return io.ReadAll(io.LimitReader(r, onnx.MaxFile+1)) })
		if err != nil {
			return nil, err
		}
		read = func(opt onnx.Options) (*modelio.Model, error) {
			m, err := onnx.Read(bytes.NewReader(raw), opt)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			return m, nil
		}
	}
	for {
		m, err := read(opt)
		var ne *onnx.NamesError
		if !errors.As(err, &ne) {
			return m, err
		}
		flag, given := "--classes", classes
		if ne.Key == "features" {
			flag, given = "--features", features
		}
		if given == "" {
			return nil, usageError{fmt.Errorf("%w; give %s (%d names, in the network's order)", err, flag, ne.Want)}
		}
		placeholders := make([]string, ne.Want) // for the check of ne's list alone: setNames puts the flag's
		for i := range placeholders {
			placeholders[i] = "_" + strconv.Itoa(i)
		}
		if ne.Key == "features" {
			opt.Features = placeholders
		} else {
			opt.Classes = placeholders
		}
	}
}

// setNames puts the --classes and --features lists into m, checking their
// lengths against the network.
func setNames(m *modelio.Model, classes, features string) error {
	if classes != "" && m.Loss == "mse" {
		return usageError{errors.New("--classes: the loss mse predicts values, not classes; give --classes with a classifier's loss")}
	}
	if classes != "" {
		list, err := splitList(classes)
		if err != nil {
			return usageError{fmt.Errorf("--classes: %v", err)}
		}
		if err := distinctNames(list, "label"); err != nil {
			return usageError{fmt.Errorf("--classes %s: %v", classes, err)}
		}
		if len(list) != len(m.Classes) {
			return usageError{fmt.Errorf("--classes gives %d labels; the network's %d outputs under the loss %s tell %d classes apart", len(list), m.Net.OutSize(), m.Loss, len(m.Classes))}
		}
		m.Classes = list
	}
	if features != "" {
		list, err := splitList(features)
		if err != nil {
			return usageError{fmt.Errorf("--features: %v", err)}
		}
		if err := distinctNames(list, "name"); err != nil {
			return usageError{fmt.Errorf("--features %s: %v", features, err)}
		}
		if len(list) != m.Net.In {
			return usageError{fmt.Errorf("--features gives %d names; the network takes %d features", len(list), m.Net.In)}
		}
		m.Features = list
	}
	return m.Check()
}

// distinctNames finds an empty name, or one given twice: a CSV's columns
// and a prediction's headers must tell them apart.
func distinctNames(list []string, what string) error {
	for i, name := range list {
		if name == "" {
			return fmt.Errorf("%s %d is empty", what, i+1)
		}
		if j := slices.Index(list[:i], name); j >= 0 {
			return fmt.Errorf("%ss %d and %d are both %q; give each its own", what, j+1, i+1, name)
		}
	}
	return nil
}

// splitList splits a comma-separated flag value, trimming spaces; a name
// holding a comma is quoted as a CSV cell is (a,"b, c",d; a quote inside
// doubled), as export writes a model's classes into its metadata and
// flagList writes names. A quote inside a name not quoted (size") is the
// name's own; a quoted one unclosed, or followed by more than spaces
// before its comma, is refused.
func splitList(s string) ([]string, error) {
	var items []string
	for rest := s; ; {
		cell := strings.TrimLeft(rest, " \t")
		if !strings.HasPrefix(cell, `"`) {
			name, after, more := strings.Cut(cell, ",")
			items = append(items, strings.TrimSpace(name))
			if !more {
				return items, nil
			}
			rest = after
			continue
		}
		name, after, err := quotedCell(cell)
		if err != nil {
			return nil, fmt.Errorf("%q: %v; give names a comma apart, a name holding a comma in double quotes, a quote inside it doubled (a,\"b, c\",d)", s, err)
		}
		items = append(items, strings.TrimSpace(name))
		after = strings.TrimLeft(after, " \t")
		if after == "" {
			return items, nil
		}
		if after[0] != ',' {
			return nil, fmt.Errorf("%q: %q follows the quoted name %q before a comma; give names a comma apart, a name holding a comma in double quotes (a,\"b, c\",d)", s, after, name)
		}
		rest = after[1:]
	}
}

// quotedCell reads the quoted name cell starts with: its text to the
// closing quote, a doubled quote inside read as one; and what follows.
func quotedCell(cell string) (name, after string, err error) {
	var b strings.Builder
	for i := 1; ; {
		j := strings.IndexByte(cell[i:], '"')
		if j < 0 {
			return "", "", fmt.Errorf("the quote before %q is not closed", cell[1:])
		}
		b.WriteString(cell[i : i+j])
		i += j + 1
		if i < len(cell) && cell[i] == '"' { // "" inside: one quote
			b.WriteByte('"')
			i++
			continue
		}
		return b.String(), cell[i:], nil
	}
}

// classList describes a model's classes for a one-line summary.
func classList(m *modelio.Model) string {
	if len(m.Classes) == 0 {
		return "predicting values"
	}
	return fmt.Sprintf("classes %s", strings.Join(m.Classes, ","))
}

// layersSummary describes a model's layers in a line: "4 → dense 16 → gelu → dense 3".
func layersSummary(m *modelio.Model) string {
	parts := []string{fmt.Sprint(m.Net.In)}
	for _, l := range m.Net.Spec().Layers {
		switch {
		case l.Act != "":
			parts = append(parts, l.Act)
		case l.Out > 0:
			parts = append(parts, fmt.Sprintf("%s %d", l.Type, l.Out))
		default:
			parts = append(parts, l.Type)
		}
	}
	return strings.Join(parts, " → ")
}
