package modelio

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/wigglenn/wiggle/nn"
)

// FuzzLoadStateDict: arbitrary bytes decoded and loaded into networks of
// every layer kind (LoadStateDict, what `train --init` does): an error or
// the weights, never a panic.
func FuzzLoadStateDict(f *testing.F) {
	var nets []*nn.Sequential
	for _, c := range []struct {
		act  string
		opts nn.MLPOptions
	}{{"relu", nn.MLPOptions{Dropout: 0.1}}, {"prelu", nn.MLPOptions{PReLUPerUnit: true}}, {"maxout", nn.MLPOptions{Pieces: 3}}} {
		net, err := nn.Build(nn.NewMLPSpec(2, []int{3, 2}, 2, c.act, c.opts), rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			f.Fatal(err)
		}
		nets = append(nets, net)
		var b bytes.Buffer
		if err := Write(&b, &Model{Net: net, Loss: "softmax"}); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes(), uint8(len(nets)-1))
		f.Add(bytes.Replace(b.Bytes(), []byte(`"crc32c"`), []byte(`"crc32x"`), 1), uint8(len(nets)-1))
		f.Add(b.Bytes(), uint8(len(nets)))
	}
	f.Fuzz(func(t *testing.T, raw []byte, which uint8) {
		file, err := Decode(raw)
		if err != nil {
			return
		}
		net := nets[int(which)%len(nets)]
		LoadStateDict(net, file)
		LoadStateDict(net, ModelTensors(file))
		Architecture(file)
		CheckFormat(file)
		if m, err := FromFile(file); err == nil {
			m.Check()
			m.File()
		}
	})
}
