package modelio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

func sample() *File {
	return &File{
		Metadata: map[string]string{"format": Format, "b": "x"},
		Tensors: []Tensor{
			{Name: "0.weight", Shape: []int{2, 3}, Data: []float32{1, -2, 3.5, float32(math.Inf(1)), 0, -0.125}},
			{Name: "0.bias", Shape: []int{2}, Data: []float32{0.25, -1e-30}},
			{Name: "1.weight", Shape: []int{1}, Data: []float32{0.25}},
		},
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := Encode(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	if n := binary.LittleEndian.Uint64(raw); (8+n)%8 != 0 || raw[8] != '{' {
		t.Errorf("header length %d is not padded to 8 bytes or does not start with {", n)
	}
	got, err := Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	want := sample()
	if got.Metadata["format"] != Format || got.Metadata["b"] != "x" || len(got.Metadata) != 2 {
		t.Errorf("metadata %v", got.Metadata)
	}
	if len(got.Tensors) != len(want.Tensors) {
		t.Fatalf("%d tensors back, want %d", len(got.Tensors), len(want.Tensors))
	}
	for i, w := range want.Tensors {
		g := got.Tensors[i]
		if g.Name != w.Name || !slices.Equal(g.Shape, w.Shape) || !slices.Equal(g.Data, w.Data) {
			t.Errorf("tensor %d: %+v, want %+v (in file order)", i, g, w)
		}
	}
	var again bytes.Buffer
	Encode(&again, got)
	if !bytes.Equal(raw, again.Bytes()) {
		t.Error("encoding the decoded file gave other bytes")
	}
}

// TestChecksumFindsChanges: a wiggle file carries the CRC-32C of its
// content; a byte changed in any tensor, a tensor renamed or reshaped, or
// a metadata value changed is refused as damage (ErrDamaged), where the
// file would otherwise load other weights or another model. The same
// content written otherwise (tensors in another order, the checksum in
// capitals) passes. Files without the key (a PyTorch state_dict, wiggle's
// from before it) and files of other formats are read as they were.
func TestChecksumFindsChanges(t *testing.T) {
	var buf bytes.Buffer
	if err := Encode(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	n := int(binary.LittleEndian.Uint64(raw))
	header := string(raw[8 : 8+n])
	if !strings.Contains(header, `"crc32c":"`) {
		t.Fatalf("header %s has no checksum", header)
	}
	damaged := func(what string, raw []byte) {
		t.Helper()
		if _, err := Decode(raw); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "crc32c") {
			t.Errorf("%s: %v; want the checksum's refusal", what, err)
		}
	}
	for at := 8 + n; at < len(raw); at++ {
		changed := slices.Clone(raw)
		changed[at] ^= 0x10
		damaged(fmt.Sprintf("byte %d of %d flipped", at, len(raw)), changed)
	}
	withHeader := func(h string) []byte { return rawFile(h, raw[8+n:]) }
	damaged("a metadata value changed", withHeader(strings.Replace(header, `"b":"x"`, `"b":"y"`, 1)))
	damaged("two tensors' names swapped", withHeader(strings.NewReplacer(`"0.bias"`, `"1.weight"`, `"1.weight"`, `"0.bias"`).Replace(header)))
	damaged("a tensor reshaped", withHeader(strings.Replace(header, `"shape":[2,3]`, `"shape":[3,2]`, 1)))
	damaged("the checksum not hex", withHeader(regexp.MustCompile(`"crc32c":"[0-9a-f]{8}"`).ReplaceAllString(header, `"crc32c":"zz"`)))

	// Where the metadata end and the tensors begin is part of the content.
	withKey := &File{Metadata: map[string]string{"format": Format, "zz": "\x00"}}
	withTensor := &File{Metadata: map[string]string{"format": Format}, Tensors: []Tensor{{Name: "zz", Shape: []int{0}}}}
	if checksumOf(withKey) == checksumOf(withTensor) {
		t.Error("a metadata key and an empty tensor of the same name give one checksum")
	}

	f, _ := Decode(raw)
	sum := checksumOf(f)
	capitals := regexp.MustCompile(`"crc32c":"[0-9a-f]{8}"`).ReplaceAllString(header, fmt.Sprintf(`"crc32c":"%08X"`, sum))
	if _, err := Decode(withHeader(capitals)); err != nil {
		t.Errorf("the checksum in capitals: %v", err)
	}
	f.Metadata["crc32c"] = fmt.Sprintf("%08x", sum)
	f.Metadata["format"] = strings.ToUpper(Format) // as long as Format: Encode writes this key as given; the content of a wiggle file, its tensors reversed
	slices.Reverse(f.Tensors)
	buf.Reset()
	Encode(&buf, f)
	reordered := strings.Replace(buf.String(), strings.ToUpper(Format), Format, 1)
	if g, err := Decode([]byte(reordered)); err != nil || g.Metadata["crc32c"] != "" || g.Tensors[0].Name != "1.weight" {
		t.Errorf("the same content, its tensors in another order: %v (metadata %v); want it read, the key left out", err, g)
	}

	bare := sample()
	delete(bare.Metadata, "format") // not a wiggle file: no checksum written or read
	buf.Reset()
	Encode(&buf, bare)
	if strings.Contains(buf.String(), "crc32c") {
		t.Error("a file of another format got a checksum")
	}
	old := rawFile(`{"__metadata__":{"format":"`+Format+`"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, []byte{0, 0, 128, 63})
	if f, err := Decode(old); err != nil || f.Tensors[0].Data[0] != 1 {
		t.Errorf("a wiggle file without a checksum: %v, %v; want it read", f, err)
	}
	foreign := rawFile(`{"__metadata__":{"crc32c":"00000000"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, []byte{0, 0, 128, 63})
	if f, err := Decode(foreign); err != nil || f.Metadata["crc32c"] != "00000000" {
		t.Errorf("another format's crc32c key: %v, %v; want it read and kept, not checked", f, err)
	}
}

// rawFile builds a safetensors file from a header and data bytes.
func rawFile(header string, data []byte) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	return append(append(b, header...), data...)
}

func TestDecodeOtherDtypes(t *testing.T) {
	le := binary.LittleEndian
	var data []byte
	data = le.AppendUint64(data, math.Float64bits(-2.5))
	data = le.AppendUint16(data, 0x3c00) // F16 1.0
	data = le.AppendUint16(data, 0xc000) // F16 −2.0
	data = le.AppendUint16(data, 0x0001) // F16 smallest subnormal 2^-24
	data = le.AppendUint16(data, 0x3fc0) // BF16 1.5
	header := `{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},` +
		`"b":{"dtype":"F16","shape":[3],"data_offsets":[8,14]},` +
		`"c":{"dtype":"BF16","shape":[],"data_offsets":[14,16]}}`
	f, err := Decode(rawFile(header, data))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]float32{"a": {-2.5}, "b": {1, -2, float32(math.Ldexp(1, -24))}, "c": {1.5}}
	for name, w := range want {
		if got := f.Tensor(name); got == nil || !slices.Equal(got.Data, w) {
			t.Errorf("%s = %+v, want %v", name, got, w)
		}
	}
}

func TestDecodeRejectsDamage(t *testing.T) {
	good := `{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`
	eight := make([]byte, 8)
	cases := map[string]struct {
		raw  []byte
		want string
	}{
		"short":          {[]byte{1, 2, 3}, "shorter than"},
		"huge header":    {binary.LittleEndian.AppendUint64(nil, 1<<40), "does not fit"},
		"not JSON":       {rawFile("{oops", eight), "not a JSON object"},
		"bad dtype":      {rawFile(strings.Replace(good, "F32", "I64", 1), eight), `dtype "I64"`},
		"past the end":   {rawFile(strings.Replace(good, "[0,8]", "[0,16]", 1), eight), "cut short"},
		"bytes appended": {rawFile(good, make([]byte, 12)), "4 bytes follow the tensors' 8"},
		"a gap":          {rawFile(strings.Replace(strings.Replace(good, "[0,8]", "[4,12]", 1), "[2]", "[2]", 1), make([]byte, 12)), "no tensor holds the bytes between"},
		"no dtype":       {rawFile(`{"__mdtadata__":{"format":"x"}}`, nil), "no dtype"},
		"wrong size":     {rawFile(strings.Replace(good, "[2]", "[3]", 1), eight), "needs 12 bytes"},
		"negative shape": {rawFile(strings.Replace(good, "[2]", "[-2]", 1), eight), "does not fit"},
		"overflow shape": {rawFile(strings.Replace(good, "[2]", "[2147483647,2147483647,4]", 1), eight), "does not fit"},
		"overlap": {rawFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, eight),
			"overlap"},
		"metadata":          {rawFile(`{"__metadata__":{"a":1}}`, nil), "map of strings"},
		"cut in its header": {rawFile(good, eight)[:30], "cut short: its header of 54 bytes runs past the file's end at byte 30"},
		"a text file":       {[]byte("x,y,label\n1,2,a\n3,4,b\n"), "does not fit"},
	}
	for name, c := range cases {
		_, err := Decode(c.raw)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", name, err, c.want)
		}
		if damage := name == "past the end" || name == "bytes appended" || name == "a gap" || name == "cut in its header"; errors.Is(err, ErrDamaged) != damage {
			t.Errorf("%s: %v is ErrDamaged %v, want %v", name, err, errors.Is(err, ErrDamaged), damage)
		}
	}
	// An empty tensor where another's bytes start is no overlap, whichever
	// name comes first.
	empty := rawFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}`, eight)
	if f, err := Decode(empty); err != nil || len(f.Tensors) != 2 || f.Tensors[0].Name != "b" {
		t.Errorf("an empty tensor at the first byte: %v, %v; want both read, the empty one first", f, err)
	}
}

// TestDecodeCutShort: a file cut anywhere after its header is damage,
// said the same way on every reading (Go's maps have no order), naming
// the tensor where the cut falls, never a shape that no longer fits.
func TestDecodeCutShort(t *testing.T) {
	f := &File{Metadata: map[string]string{"format": Format}}
	for i := range 12 { // enough tensors that a map's order shows
		f.Tensors = append(f.Tensors, Tensor{Name: fmt.Sprintf("%d.weight", i), Shape: []int{4, 64}, Data: make([]float32, 256)})
	}
	var buf bytes.Buffer
	if err := Encode(&buf, f); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	data := 8 + int(binary.LittleEndian.Uint64(raw))
	for cut := data; cut < len(raw); cut += 97 {
		first, err := Decode(raw[:cut])
		want := fmt.Sprintf("tensor %d.weight: data_offsets", (cut-data)/1024)
		if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "cut short") || !strings.Contains(err.Error(), want) {
			t.Fatalf("cut at byte %d of %d: %v, %v; want ErrDamaged naming %q and saying cut short", cut, len(raw), first, err, want)
		}
		for range 20 {
			if _, again := Decode(raw[:cut]); again == nil || again.Error() != err.Error() {
				t.Fatalf("cut at byte %d: %v, then %v; want the same error each time", cut, err, again)
			}
		}
	}
}

// TestEncodeRefusesWhatDecodeCannotRead: Encode writes no file that
// Decode refuses or reads otherwise, and writes nothing where it refuses.
func TestEncodeRefusesWhatDecodeCannotRead(t *testing.T) {
	w := Tensor{Name: "w", Shape: []int{1}, Data: []float32{1}}
	for _, c := range []struct {
		name    string
		tensors []Tensor
		want    string
	}{
		{"one name twice", []Tensor{w, w}, `two tensors named "w"`},
		{"the metadata's name", []Tensor{{Name: "__metadata__", Shape: []int{1}, Data: []float32{1}}}, "named __metadata__"},
		{"a name not UTF-8", []Tensor{{Name: "w\xff", Shape: []int{1}, Data: []float32{1}}}, "not UTF-8"},
		{"negative sizes", []Tensor{{Name: "n", Shape: []int{-1, -2}, Data: []float32{1, 2}}}, "want sizes of 0 or more"},
		{"sizes past int", []Tensor{{Name: "big", Shape: []int{math.MaxInt/2 + 1, 3}}}, "more values than an int counts"},
	} {
		var b bytes.Buffer
		if err := Encode(&b, &File{Tensors: c.tensors}); err == nil || !strings.Contains(err.Error(), c.want) || b.Len() != 0 {
			t.Errorf("%s: %v, %d bytes written; want an error saying %q and nothing written", c.name, err, b.Len(), c.want)
		}
	}
	for _, meta := range []map[string]string{{"target": "Gr\xf6\xdfe"}, {"\xff": "x"}} { // JSON would write U+FFFD: the file would read otherwise
		var b bytes.Buffer
		if err := Encode(&b, &File{Metadata: meta, Tensors: []Tensor{w}}); err == nil || !strings.Contains(err.Error(), "not UTF-8") || b.Len() != 0 {
			t.Errorf("metadata %q: %v, %d bytes written; want it refused, nothing written", meta, err, b.Len())
		}
	}
	var b bytes.Buffer // metadata past what Decode reads (a checkpoint's health of countless epochs)
	huge := &File{Metadata: map[string]string{"note": strings.Repeat("x", maxHeader)}, Tensors: []Tensor{w}}
	if err := Encode(&b, huge); err == nil || !strings.Contains(err.Error(), "readers take at most") || b.Len() != 0 {
		t.Errorf("a header of %d bytes: %v, %d bytes written; want it refused", maxHeader, err, b.Len())
	}
}

// TestEncodeKeepsNoSecondCopy: the tensors go out in pieces, so saving a
// large model does not hold its bytes twice (a model of a gigabyte ran
// out of memory in its save after training).
func TestEncodeKeepsNoSecondCopy(t *testing.T) {
	const n = 10 << 20 // 40 MiB of floats
	f := &File{Tensors: []Tensor{{Name: "w", Shape: []int{n}, Data: make([]float32, n)}}}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if err := Encode(io.Discard, f); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 4<<20 {
		t.Errorf("Encode of %d MiB allocated %d MiB; want its pieces only", 4*n>>20, grew>>20)
	}
}

// TestDecodeSharesAlignedFloats: Decode copies; decode sharing (as
// LoadShared and ReadShared read) gives an F32 tensor whose bytes lie on a
// float32's boundary as raw's bytes, and copies one whose bytes do not,
// with the same values.
func TestDecodeSharesAlignedFloats(t *testing.T) {
	var buf bytes.Buffer
	if err := Encode(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	aligned := buf.Bytes()
	shifted := make([]byte, len(aligned)+1)[1:] // one byte past an allocation's start: off every float32's boundary
	copy(shifted, aligned)
	for _, c := range []struct {
		name       string
		raw        []byte
		share, got bool
	}{
		{"Decode", aligned, false, false},
		{"shared, aligned", aligned, true, littleEndian},
		{"shared, shifted", shifted, true, false},
	} {
		f, err := decode(c.raw, c.share)
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range sample().Tensors {
			got := f.Tensors[i]
			if !slices.Equal(got.Data, want.Data) {
				t.Errorf("%s: tensor %s is %v, want %v", c.name, got.Name, got.Data, want.Data)
			}
			if inside := within(c.raw, unsafe.Pointer(&got.Data[0])); inside != c.got {
				t.Errorf("%s: tensor %s lies in the file's bytes: %v, want %v", c.name, got.Name, inside, c.got)
			}
			if cap(got.Data) != len(got.Data) {
				t.Errorf("%s: tensor %s has capacity %d beyond its %d values: an append would write over the next", c.name, got.Name, cap(got.Data), len(got.Data))
			}
		}
	}
}

// within reports whether p points into b.
func within(b []byte, p unsafe.Pointer) bool {
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return uintptr(p) >= start && uintptr(p) < start+uintptr(len(b))
}
