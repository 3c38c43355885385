package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/modelio/onnx"
)

func newExportCmd(e env) *cobra.Command {
	var modelPath, out string
	var opset int
	cmd := &cobra.Command{
		Use:   "export --model M.safetensors --out M.onnx [--opset 17]",
		Short: "Write a model as ONNX, for ONNX Runtime and the rest of the world",
		Long: `Write a wiggle model as one ONNX graph. It takes the raw features (input
"input", float32 [N, features]), standardises them if the model does, and
gives as its first output "output" exactly the numbers 'wiggle predict'
prints after its label column (probabilities for softmax and logistic, scores
for hinge and binary-hinge, the value for mse), and as "logits" the network's
raw outputs. Each activation becomes its ONNX operator, or an exact subgraph
where the opset has none; dropout is left out. The class labels, feature
names and wiggle's version go into the model's metadata.`,
		Example: `  wiggle export --model moons.safetensors --out moons.onnx`,
		Args:    noArgs,
		RunE: func(*cobra.Command, []string) error {
			if modelPath == "" || out == "" {
				return usageError{fmt.Errorf("--model and --out are both needed")}
			}
			if opset < onnx.MinOpset || opset > onnx.MaxOpset {
				return usageError{fmt.Errorf("--opset %d: wiggle writes opsets %d to %d", opset, onnx.MinOpset, onnx.MaxOpset)}
			}
			if err := checkOutputFile(e, "--out", out, "model.onnx", [2]string{"--model", modelPath}); err != nil {
				return err
			}
			if strings.EqualFold(filepath.Ext(out), ".safetensors") {
				return usageError{fmt.Errorf("--out %s: export writes ONNX (.onnx); a .safetensors file is a wiggle model, which 'wiggle train' and 'wiggle import' write", out)}
			}
			if err := checkFileRoom("--model", modelPath, 3.5, "the file, whose bytes the network holds as its weights, and the ONNX graph written from it: about three and a half times the file, as measured"); err != nil {
				return err
			}
			m, err := readInput(e.ctx, modelPath, modelio.LoadShared, modelio.ReadShared)
			if err != nil {
				return modelFileError("--model", modelPath, err)
			}
			if err := onnx.Save(out, m, opset); err != nil {
				return sysErr(fmt.Errorf("--out: %w", err))
			}
			_, err = fmt.Fprintf(reportTo(e, out), "wrote %s (opset %d): input %q [N, %d], outputs %q and %q\n", out, opset, "input", m.Net.In, "output", "logits")
			return sysErr(err)
		},
	}
	f := cmd.Flags()
	f.StringVar(&modelPath, "model", "", "the model file (wiggle train --out)")
	f.StringVar(&out, "out", "", "the ONNX file to write")
	f.IntVar(&opset, "opset", onnx.DefaultOpset, fmt.Sprintf("the ONNX opset (%d to %d)", onnx.MinOpset, onnx.MaxOpset))
	return cmd
}
