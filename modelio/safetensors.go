// Package modelio reads and writes model files in the safetensors format: an
// 8-byte little-endian header length, a JSON header naming each tensor's
// dtype, shape and byte range, then the tensors' bytes.
//
// Tensor names follow torch.nn.Sequential's state_dict ("0.weight",
// "0.bias", "1.weight" for a PReLU), so PyTorch's files load into wiggle and
// wiggle's into PyTorch. wiggle's own files also carry the architecture and
// the data's description in the header's "__metadata__" map, so a file alone
// rebuilds its model (see Save and Load).
//
// Concurrency: the functions share nothing and may run on many goroutines
// at once; a Model is a plain value (its network is not safe for
// concurrent use: serve it with package model).
package modelio

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"maps"
	"math"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/wigglenn/wiggle/internal/atomicfile"
	"github.com/wigglenn/wiggle/internal/float32le"
	"github.com/wigglenn/wiggle/internal/nilio"
	"github.com/wigglenn/wiggle/internal/utf8prefix"
)

// Tensor is one named float32 tensor, row-major.
type Tensor struct {
	Name  string
	Shape []int
	Data  []float32
}

// File is the content of a safetensors file: string metadata and tensors in
// the order of their bytes.
type File struct {
	Metadata map[string]string
	Tensors  []Tensor
}

// errNoFile is the error of a nil *File.
var errNoFile = errors.New("no file (a nil *File)")

// Tensor returns the tensor called name, or nil (for a nil f too).
func (f *File) Tensor(name string) *Tensor {
	if f == nil {
		return nil
	}
	for i := range f.Tensors {
		if f.Tensors[i].Name == name {
			return &f.Tensors[i]
		}
	}
	return nil
}

// maxHeader bounds the JSON header, as the reference implementation does.
const maxHeader = 100 << 20

// Encode writes f as safetensors: float32 tensors ("F32") in the order of
// f.Tensors, metadata keys sorted, the header padded with spaces to a
// multiple of 8 bytes. The same File always gives the same bytes. It
// refuses, before it writes, what Decode would refuse or read otherwise:
// two tensors of one name, a name that is not UTF-8 (JSON would change
// it), a tensor named __metadata__, a negative size, sizes whose product
// no int holds, metadata that is not UTF-8, a header past the 100 MB
// readers take. A wiggle file (metadata "format" is Format) also gets the
// checksum of its content (keyChecksum), which Decode checks.
func Encode(w io.Writer, f *File) error {
	switch {
	case f == nil:
		return errNoFile
	case w == nil:
		return nilio.ErrNoWriter
	}
	if err := f.checkNames(); err != nil {
		return err
	}
	for _, t := range f.Tensors {
		if n := numel(t.Shape); n != len(t.Data) {
			return fmt.Errorf("tensor %s: shape %v holds %d values, data has %d", t.Name, t.Shape, n, len(t.Data))
		}
	}
	metadata := f.Metadata
	if metadata[keyFormat] == Format {
		metadata = maps.Clone(metadata)
		metadata[keyChecksum] = fmt.Sprintf("%08x", checksumOf(f))
	}
	var hdr bytes.Buffer
	hdr.WriteByte('{')
	if len(metadata) > 0 {
		meta, err := json.Marshal(metadata) // sorts the keys
		if err != nil {
			return err
		}
		hdr.WriteString(`"__metadata__":`)
		hdr.Write(meta)
	}
	offset := 0
	for i, t := range f.Tensors {
		if i > 0 || len(metadata) > 0 {
			hdr.WriteByte(',')
		}
		name, _ := json.Marshal(t.Name)
		shape, _ := json.Marshal(nonNil(t.Shape))
		end := offset + 4*len(t.Data)
		fmt.Fprintf(&hdr, `%s:{"dtype":"F32","shape":%s,"data_offsets":[%d,%d]}`, name, shape, offset, end)
		offset = end
	}
	hdr.WriteByte('}')
	for hdr.Len()%8 != 0 {
		hdr.WriteByte(' ')
	}
	if hdr.Len() > maxHeader {
		return fmt.Errorf("the header (names, shapes and metadata) would take %d bytes; readers take at most %d", hdr.Len(), maxHeader)
	}
	var size [8]byte
	binary.LittleEndian.PutUint64(size[:], uint64(hdr.Len()))
	if _, err := w.Write(append(size[:], hdr.Bytes()...)); err != nil {
		return err
	}
	// The tensors in pieces of 64 KiB, not a second copy of them all: a
	// model of a gigabyte is saved beside the one in memory.
	words := float32le.NewWriter(w)
	for _, t := range f.Tensors {
		words.Floats(t.Data)
	}
	return words.Flush()
}

// WriteFile writes f to path whole or not at all (temporary file, sync,
// rename).
func WriteFile(path string, f *File) error {
	return atomicfile.Write(path, 0o644, func(w io.Writer) error { return Encode(w, f) })
}

// ReadFile reads a safetensors file; errors name the path.
func ReadFile(path string) (*File, error) { return readFile(path, false) }

// readFile is ReadFile, its F32 tensors sharing the bytes read where
// share (see decode).
func readFile(path string, share bool) (*File, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := decode(raw, share)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// headerEntry is one tensor's entry in the JSON header.
type headerEntry struct {
	Dtype       string `json:"dtype"`
	Shape       []int  `json:"shape"`
	DataOffsets []int  `json:"data_offsets"`
}

// dtypeSize is the width of each dtype Decode converts to float32.
var dtypeSize = map[string]int{"F32": 4, "F64": 8, "F16": 2, "BF16": 2}

// looksLike says what a file that is not safetensors seems to be, from its
// first bytes: text (a CSV file, say) or gzip; "" where it cannot tell
// (ONNX's protocol buffers are ErrONNX).
func looksLike(raw []byte) string {
	switch {
	case len(raw) >= 2 && raw[0] == 0x1f && raw[1] == 0x8b:
		return " (it looks gzipped)"
	case utf8prefix.HeadIsText(raw, 64):
		return " (it looks like text: a CSV file?)"
	}
	return ""
}

// isONNX tells an ONNX ModelProto by its first bytes: ir_version (field 1,
// a small varint), then a producer, domain, graph or opset field.
func isONNX(raw []byte) bool {
	return len(raw) >= 3 && raw[0] == 0x08 && raw[1] < 0x20 && slices.Contains([]byte{0x12, 0x1a, 0x22, 0x2a, 0x3a, 0x42}, raw[2])
}

// ErrONNX is what reading an ONNX file as a model file matches
// (errors.Is): a model to import first (package modelio/onnx).
var ErrONNX = errors.New("an ONNX file")

// Decode parses a whole safetensors file. F64, F16 and BF16 tensors are
// converted to float32. Every size and offset is checked against the file
// before anything is allocated by it, and tensors' bytes may not overlap.
// The tensors' bytes must follow one another from the data's start to its
// end, as the safetensors reference requires, and a wiggle file's
// checksum, where it has one, must match its content (keyChecksum): else
// the error wraps ErrDamaged. The tensors are copies: raw may change after.
func Decode(raw []byte) (*File, error) { return decode(raw, false) }

// decode is Decode; where share, an F32 tensor whose bytes lie on a 4-byte
// boundary (as the files Encode writes, whose header it pads to 8 bytes,
// do in a buffer Go allocated) is not copied on a little-endian machine:
// its Data is raw's bytes, so that a model served (LoadShared, ReadShared)
// is held in memory once, not twice. raw must then never change.
func decode(raw []byte, share bool) (*File, error) {
	if len(raw) < 8 {
		return nil, fmt.Errorf("%w: %d bytes, shorter than the 8-byte header length", ErrNotSafetensors, len(raw))
	}
	n := binary.LittleEndian.Uint64(raw[:8])
	if n <= maxHeader && n > uint64(len(raw)-8) && bytes.HasPrefix(raw[8:], []byte(`{"`)) {
		return nil, fmt.Errorf("%w: cut short: its header of %d bytes runs past the file's end at byte %d (the file is not whole: copy it again, or write it again from its source)", ErrDamaged, n, len(raw))
	}
	if n > maxHeader || n > uint64(len(raw)-8) {
		if isONNX(raw) {
			return nil, fmt.Errorf("%w, not a safetensors file (package modelio/onnx reads it)", ErrONNX)
		}
		return nil, fmt.Errorf("%w: header length %d does not fit the %d-byte file%s", ErrNotSafetensors, n, len(raw), looksLike(raw))
	}
	header, body := raw[8:8+n], raw[8+n:]
	var entries map[string]json.RawMessage
	if err := json.Unmarshal(header, &entries); err != nil {
		return nil, fmt.Errorf("%w: header is not a JSON object: %v", ErrNotSafetensors, err)
	}
	f := &File{}
	if meta, ok := entries["__metadata__"]; ok {
		if err := json.Unmarshal(meta, &f.Metadata); err != nil {
			return nil, fmt.Errorf("__metadata__ is not a map of strings: %v", err)
		}
		delete(entries, "__metadata__")
	}
	var list []located
	for _, name := range slices.Sorted(maps.Keys(entries)) { // the same error, whichever, every time
		var e headerEntry
		if err := json.Unmarshal(entries[name], &e); err != nil {
			return nil, fmt.Errorf("tensor %s: bad header entry: %v", name, err)
		}
		list = append(list, located{name, e})
	}
	if l, cut := firstPastEnd(list, len(body)); cut { // said before the shapes that outgrow what is left
		return nil, fmt.Errorf("%w: tensor %s: %v", ErrDamaged, l.name, cutShort{l.entry.DataOffsets[0], l.entry.DataOffsets[1], len(body)})
	}
	for _, l := range list {
		if err := l.entry.check(len(body)); err != nil {
			return nil, fmt.Errorf("tensor %s: %w", l.name, err)
		}
	}
	sort.Slice(list, func(i, j int) bool { // by the byte range, an empty tensor before one that starts where it does
		oi, oj := list[i].entry.DataOffsets, list[j].entry.DataOffsets
		return oi[0] < oj[0] || oi[0] == oj[0] && (oi[1] < oj[1] || oi[1] == oj[1] && list[i].name < list[j].name)
	})
	end := 0
	for _, l := range list {
		switch begin := l.entry.DataOffsets[0]; {
		case begin < end:
			return nil, fmt.Errorf("tensor %s: its bytes overlap the previous tensor's", l.name)
		case begin > end:
			return nil, fmt.Errorf("%w: tensor %s: its bytes start at %d, where the tensors before it end at %d: no tensor holds the bytes between (the header was changed, or the file is not whole)", ErrDamaged, l.name, begin, end)
		}
		end = l.entry.DataOffsets[1]
		data := toFloat32(l.entry.Dtype, body[l.entry.DataOffsets[0]:end], numel(l.entry.Shape), share)
		f.Tensors = append(f.Tensors, Tensor{Name: l.name, Shape: nonNil(l.entry.Shape), Data: data})
	}
	if end != len(body) {
		return nil, fmt.Errorf("%w: %d bytes follow the tensors' %d: no tensor holds them (bytes were appended, or the header was changed)", ErrDamaged, len(body)-end, end)
	}
	if err := f.verify(); err != nil {
		return nil, err
	}
	return f, nil
}

// keyChecksum is the metadata key of the checksum Encode gives wiggle's
// own files (model files and checkpoints, whose "format" is Format), as
// eight hex digits: the CRC-32C (Castagnoli) of the file's content taken
// apart (checksumOf), so that a change to a weight, a tensor's name or
// shape, or the metadata (the architecture, the classes) is found, while a
// file another program writes again whole, its tensors in another order
// or its header formatted otherwise, keeps it. Decode checks it and leaves
// it out of the File it returns: a file decoded and encoded again gets
// the checksum of its content then. Files of other writers (a PyTorch
// state_dict) carry none and are checked for none; wiggle's files from
// before the checksum load as they did.
const keyChecksum = "crc32c"

// ErrDamaged is Decode's error, wrapped, for a wiggle file whose content
// no longer gives the checksum written with it, and for any file cut
// short or holding bytes no tensor does.
var ErrDamaged = errors.New("damaged file")

// ErrNotSafetensors is Decode's error, wrapped, for bytes whose header no
// safetensors file has: another kind of file, or a file of wiggle's whose
// header was damaged, which its checksum cannot tell.
var ErrNotSafetensors = errors.New("not a safetensors file")

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// checksumOf is keyChecksum's value for f: the CRC-32C of f's metadata
// but keyChecksum, key and value in key order, then of each tensor in name
// order, its name, its shape and its values' little-endian bytes; each
// string and list after its length (uvarints), the two lists too.
func checksumOf(f *File) uint32 {
	sum := crc32.New(castagnoli)
	uvarint := func(n int) { sum.Write(binary.AppendUvarint(nil, uint64(n))) }
	text := func(s string) { uvarint(len(s)); io.WriteString(sum, s) }
	keys := slices.DeleteFunc(slices.Sorted(maps.Keys(f.Metadata)), func(k string) bool { return k == keyChecksum })
	uvarint(len(keys))
	for _, key := range keys {
		text(key)
		text(f.Metadata[key])
	}
	uvarint(len(f.Tensors))
	order := make([]int, len(f.Tensors))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int { return strings.Compare(f.Tensors[i].Name, f.Tensors[j].Name) })
	for _, i := range order {
		t := &f.Tensors[i]
		text(t.Name)
		uvarint(len(t.Shape))
		for _, d := range t.Shape {
			uvarint(d)
		}
		writeFloats(sum, t.Data)
	}
	return sum.Sum32()
}

// writeFloats writes v's little-endian bytes to h: in place where this
// machine stores them so, else through a buffer.
func writeFloats(h hash.Hash32, v []float32) {
	if len(v) == 0 {
		return
	}
	if littleEndian {
		h.Write(unsafe.Slice((*byte)(unsafe.Pointer(&v[0])), 4*len(v)))
		return
	}
	words := float32le.NewWriter(h)
	words.Floats(v)
	words.Flush() // a hash's Write returns no error
}

// verify checks a wiggle file's checksum, if it has one, and takes it out
// of the metadata.
func (f *File) verify() error {
	stored, ok := f.Metadata[keyChecksum]
	if !ok || f.Metadata[keyFormat] != Format {
		return nil
	}
	want, err := strconv.ParseUint(stored, 16, 32)
	if err != nil || len(stored) != 8 {
		return fmt.Errorf("%w: its metadata %q is %q, not a checksum (eight hex digits): the header was changed; write the file again from its source, or use a copy", ErrDamaged, keyChecksum, stored)
	}
	if got := checksumOf(f); got != uint32(want) {
		return fmt.Errorf("%w: its tensors and metadata give the checksum %08x, the file says %s (metadata %q): it changed after it was written; write it again from its source, or use a copy (if another program changed it on purpose, delete the %q key)", ErrDamaged, got, stored, keyChecksum, keyChecksum)
	}
	delete(f.Metadata, keyChecksum)
	return nil
}

// located is a tensor's header entry and its name.
type located struct {
	name  string
	entry headerEntry
}

// firstPastEnd finds, of entries sorted by name, the one whose bytes run
// past the n data bytes and begin first: where a file cut short is cut.
func firstPastEnd(list []located, n int) (first located, cut bool) {
	for _, l := range list {
		o := l.entry.DataOffsets
		if len(o) == 2 && 0 <= o[0] && o[0] <= o[1] && o[1] > n && (!cut || o[0] < first.entry.DataOffsets[0]) {
			first, cut = l, true
		}
	}
	return first, cut
}

// cutShort is the error for a tensor whose bytes run past the data.
type cutShort struct{ begin, end, n int }

func (c cutShort) Error() string {
	return fmt.Sprintf("data_offsets [%d, %d] run past the %d data bytes the file holds: the file is cut short, or its header was changed (copy it again, or write it again from its source)", c.begin, c.end, c.n)
}

// check validates an entry against a data section of n bytes.
func (e headerEntry) check(n int) error {
	size, ok := dtypeSize[e.Dtype]
	if e.Dtype == "" {
		return errors.New("no dtype: not a tensor's entry (the header was changed?)")
	}
	if !ok {
		return fmt.Errorf("dtype %q; wiggle reads F32, F64, F16 and BF16", e.Dtype)
	}
	count := 1
	for _, d := range e.Shape {
		if d < 0 || (d > 0 && count > n/d) {
			return fmt.Errorf("shape %v does not fit the file", e.Shape)
		}
		count *= d
	}
	if len(e.DataOffsets) != 2 {
		return fmt.Errorf("data_offsets %v; want [begin, end]", e.DataOffsets)
	}
	begin, end := e.DataOffsets[0], e.DataOffsets[1]
	if begin < 0 || end < begin {
		return fmt.Errorf("data_offsets [%d, %d] are not a range of bytes", begin, end)
	}
	if end > n {
		return cutShort{begin, end, n}
	}
	if end-begin != count*size {
		return fmt.Errorf("shape %v of %s needs %d bytes, data_offsets give %d", e.Shape, e.Dtype, count*size, end-begin)
	}
	return nil
}

// toFloat32 converts count values of dtype from b, or, where share, shares
// b's F32 values where this machine can read them in place.
func toFloat32(dtype string, b []byte, count int, share bool) []float32 {
	if dtype == "F32" && share {
		if view, ok := float32View(b[:4*count]); ok {
			return view
		}
	}
	out := make([]float32, count)
	le := binary.LittleEndian
	for i := range out {
		switch dtype {
		case "F32":
			out[i] = math.Float32frombits(le.Uint32(b[4*i:]))
		case "F64":
			out[i] = float32(math.Float64frombits(le.Uint64(b[8*i:])))
		case "BF16":
			out[i] = math.Float32frombits(uint32(le.Uint16(b[2*i:])) << 16)
		case "F16":
			out[i] = halfToFloat32(le.Uint16(b[2*i:]))
		}
	}
	return out
}

// float32View returns b's bytes as the float32s they encode, little-endian,
// without a copy where this machine reads them so (its own byte order is
// little-endian, and b starts on a float32's boundary).
func float32View(b []byte) ([]float32, bool) {
	if len(b) == 0 || !littleEndian || uintptr(unsafe.Pointer(&b[0]))%4 != 0 {
		return nil, false
	}
	return unsafe.Slice((*float32)(unsafe.Pointer(&b[0])), len(b)/4), true
}

// littleEndian is whether this machine stores numbers little-endian, as
// safetensors files do.
var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// halfToFloat32 converts an IEEE 754 binary16 value.
func halfToFloat32(h uint16) float32 {
	sign := float32(1)
	if h&0x8000 != 0 {
		sign = -1
	}
	exp, frac := int(h>>10&0x1f), float64(h&0x3ff)
	switch exp {
	case 0:
		return sign * float32(math.Ldexp(frac, -24))
	case 0x1f:
		if frac != 0 {
			return float32(math.NaN())
		}
		return sign * float32(math.Inf(1))
	}
	return sign * float32(math.Ldexp(1+frac/1024, exp-15))
}

// checkNames reports a tensor name Decode cannot read back as it stands,
// and a negative size.
func (f *File) checkNames() error {
	for key, v := range f.Metadata {
		if !utf8.ValidString(key) || !utf8.ValidString(v) {
			return fmt.Errorf("metadata %q: %q is not UTF-8 text (JSON would change it)", key, v)
		}
	}
	seen := make(map[string]bool, len(f.Tensors))
	for _, t := range f.Tensors {
		switch {
		case !utf8.ValidString(t.Name):
			return fmt.Errorf("a tensor named %q, which is not UTF-8 text", t.Name)
		case t.Name == "__metadata__":
			return errors.New("a tensor named __metadata__, the name of the file's metadata")
		case seen[t.Name]:
			return fmt.Errorf("two tensors named %q", t.Name)
		case slices.ContainsFunc(t.Shape, func(d int) bool { return d < 0 }):
			return fmt.Errorf("tensor %s: shape %v; want sizes of 0 or more", t.Name, t.Shape)
		case !countable(t.Shape):
			return fmt.Errorf("tensor %s: shape %v holds more values than an int counts", t.Name, t.Shape)
		}
		seen[t.Name] = true
	}
	return nil
}

// countable reports whether the product of shape's sizes (each 0 or
// more) fits an int, as numel takes it.
func countable(shape []int) bool {
	if slices.Contains(shape, 0) {
		return true
	}
	n := 1
	for _, d := range shape {
		if n > math.MaxInt/d {
			return false
		}
		n *= d
	}
	return true
}

func numel(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

func nonNil(shape []int) []int {
	if shape == nil {
		return []int{}
	}
	return shape
}

// ShapeString formats a shape as [8 3].
func ShapeString(shape []int) string {
	s := make([]string, len(shape))
	for i, d := range shape {
		s[i] = strconv.Itoa(d)
	}
	return "[" + strings.Join(s, " ") + "]"
}
