package model

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/nn"
)

// FuzzServe: a model file's bytes through Read, then rows of any lengths
// and values (NaN, ±Inf, huge) through Predict, Logits, Classify and
// PredictClassify: results or errors, never a panic.
func FuzzServe(f *testing.F) {
	for _, c := range []struct {
		act, loss string
		out       int
	}{{"relu", "softmax", 3}, {"maxout", "mse", 2}, {"prelu", "logistic", 1}} {
		net, err := nn.Build(nn.NewMLPSpec(2, []int{3}, c.out, c.act, nn.MLPOptions{}), rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			f.Fatal(err)
		}
		var b bytes.Buffer
		if err := modelio.Write(&b, &modelio.Model{Net: net, Loss: c.loss}); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes(), []byte{2, 2, 0, 1}, []byte{0, 0, 128, 63, 0, 0, 192, 127, 0, 0, 128, 127, 255, 255, 127, 127})
	}
	f.Fuzz(func(t *testing.T, raw, lens, vals []byte) {
		m, err := Read(bytes.NewReader(raw))
		if err != nil {
			return
		}
		var x [][]float32
		k := 0
		for _, n := range lens {
			row := make([]float32, int(n)%8)
			for j := range row {
				if k+4 <= len(vals) {
					row[j] = math.Float32frombits(binary.LittleEndian.Uint32(vals[k:]))
					k += 4
				}
			}
			x = append(x, row)
		}
		m.Predict(x)
		m.Logits(x)
		m.Classify(x)
		m.PredictClassify(x)
		m.Columns()
		m.Network()
	})
}
