package onnx

import (
	"bytes"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/model"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/nn"
)

// FuzzReadOptions: Read with the import flags (--loss, --classes,
// --features, --output) fuzzed beside the bytes, seeded with wiggle's own
// exports; a model Read returns is saved (as wiggle import does) and
// predicts; errors, never a panic.
func FuzzReadOptions(f *testing.F) {
	for _, c := range []struct {
		act, loss string
		out       int
	}{{"relu", "softmax", 3}, {"prelu", "logistic", 1}, {"maxout", "mse", 2}, {"tanh", "hinge", 2}} {
		net, err := nn.Build(nn.NewMLPSpec(2, []int{3}, c.out, c.act, nn.MLPOptions{}), rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			f.Fatal(err)
		}
		var b bytes.Buffer
		if err := Write(&b, &modelio.Model{Net: net, Loss: c.loss}, 17); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes(), c.loss, "a,b,c", "f1,f2", "")
		f.Add(b.Bytes(), "", "", "", "logits")
		f.Add(b.Bytes(), "mse", "x", "f1,f1", "nope")
	}
	list := func(s string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(s, ",")
	}
	f.Fuzz(func(t *testing.T, raw []byte, lossName, classes, features, output string) {
		m, err := Read(bytes.NewReader(raw), Options{Loss: lossName, Classes: list(classes), Features: list(features), Output: output})
		if err != nil {
			return
		}
		if err := modelio.Write(io.Discard, m); err != nil {
			t.Fatalf("Read returned a model that modelio.Write refuses: %v", err)
		}
		served, err := model.New(m)
		if err != nil {
			t.Fatalf("Read returned a model that model.New refuses: %v", err)
		}
		served.Predict([][]float32{make([]float32, m.Net.In)})
	})
}
