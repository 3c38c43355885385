package modelio

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/nn"
)

// FuzzDecode feeds Decode, and FromFile after it, arbitrary bytes: they
// return a file or an error, never panic, and allocate in proportion to
// the input (Decode checks every size against the file before it
// allocates). Seeds: whole model files, with their checksums and without,
// a checkpoint-like file, and the damaged files of TestDecodeRejectsDamage.
// Crashers found by `go test -fuzz FuzzDecode ./modelio` go to
// testdata/fuzz/FuzzDecode, which every `go test` runs.
func FuzzDecode(f *testing.F) {
	for _, act := range []string{"relu", "prelu", "maxout"} {
		net, err := nn.Build(nn.NewMLPSpec(2, []int{3}, 2, act, nn.MLPOptions{Dropout: 0.1}), rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			f.Fatal(err)
		}
		var b bytes.Buffer
		if err := Write(&b, &Model{Net: net, Loss: "softmax"}); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
		// And without the checksum (its key renamed), so that changed
		// tensors reach FromFile's checks rather than the checksum's.
		f.Add(bytes.Replace(b.Bytes(), []byte(`"crc32c"`), []byte(`"crc32x"`), 1))
	}
	good := `{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`
	eight := make([]byte, 8)
	for _, raw := range [][]byte{
		rawFile(good, eight),
		rawFile(`{"__metadata__":{"format":"wiggle/1","architecture":"{\"in\":1,\"layers\":[]}"},"a":{"dtype":"F16","shape":[4],"data_offsets":[0,8]}}`, eight),
		rawFile(strings.Replace(good, "[0,8]", "[0,16]", 1), eight),
		rawFile(strings.Replace(good, "[2]", "[4611686018427387904,4]", 1), eight),
		{1, 2, 3},
	} {
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		file, err := Decode(raw)
		if err != nil {
			return
		}
		size := 0
		for _, tensor := range file.Tensors {
			size += len(tensor.Data)
		}
		if size > len(raw) { // float32s from at least two bytes each (F16, BF16)
			t.Fatalf("%d bytes decoded into %d floats", len(raw), size)
		}
		FromFile(file) // a model or an error, never a panic
	})
}
