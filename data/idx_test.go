package data

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// idxBytes builds an IDX file of unsigned bytes.
func idxBytes(dims []int, data []byte) []byte {
	b := []byte{0, 0, 8, byte(len(dims))}
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, uint32(d))
	}
	return append(b, data...)
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func TestDecodeIDXPlainAndGzip(t *testing.T) {
	raw := idxBytes([]int{2, 2, 3}, []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	for name, b := range map[string][]byte{"plain": raw, "gzip": gzipped(raw)} {
		idx, err := DecodeIDX(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !slices.Equal(idx.Dims, []int{2, 2, 3}) || len(idx.Data) != 12 || idx.Data[11] != 12 {
			t.Errorf("%s: %+v", name, idx)
		}
	}
}

// malformedIDX is the corpus of broken IDX files, with what each error says.
var malformedIDX = []struct {
	name string
	raw  []byte
	want string
}{
	{"empty", nil, "shorter than its 4-byte magic"},
	{"text", []byte("label,x\n1,2\n"), "does not start with 00 00"},
	{"float type", []byte{0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0}, "IDX type 0x0d"},
	{"no dims", []byte{0, 0, 8, 0}, "0 dimensions"},
	{"short header", []byte{0, 0, 8, 3, 0, 0, 0, 5}, "dimension 2 of 3 is missing"},
	{"truncated", idxBytes([]int{10, 28, 28}, make([]byte, 100)), "need 7840 bytes, the file has 100"},
	{"oversized", idxBytes([]int{2}, []byte{1, 2, 3}), "oversized"},
	{"huge dims", idxBytes([]int{1 << 30, 1 << 30, 28}, nil), "declare more than"},
	{"4.3 GB of images", idxBytes([]int{5470000, 28, 28}, nil), "declare more than 1073741824 bytes, the most wiggle reads"},
	{"huge truncated gzip", gzipped(idxBytes([]int{1000000, 28, 28}, make([]byte, 1000))), "the file has 1000"},
	{"damaged gzip", []byte{0x1f, 0x8b, 1, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3}, "a damaged gzip file"}, // compression method 1: none gzip defines
	{"gzip cut in its header", []byte{0x1f, 0x8b, 8, 0, 0}, "a gzip file cut short"},
	{"gzip twice", gzipped(gzipped(idxBytes([]int{2}, []byte{1, 2}))), "compressed twice: gunzip it once"},
}

func TestDecodeIDXRejectsDamage(t *testing.T) {
	for _, c := range malformedIDX {
		_, err := DecodeIDX(bytes.NewReader(c.raw))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error saying %q", c.name, err, c.want)
		}
	}
}

func TestImagesDataset(t *testing.T) {
	images := &IDX{Dims: []int{2, 1, 2}, Data: []byte{0, 255, 51, 102}}
	ds, err := ImagesDataset(images, &IDX{Dims: []int{2}, Data: []byte{7, 3}}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ds.X.Data, []float32{0, 1, 0.2, 0.4}) || !slices.Equal(ds.Labels, []int{7, 3}) || ds.X.Cols != 2 {
		t.Errorf("dataset %v labels %v", ds.X.Data, ds.Labels)
	}
	if _, err := ImagesDataset(images, &IDX{Dims: []int{3}, Data: []byte{1, 2, 3}}, 10); err == nil || !strings.Contains(err.Error(), "2 images but 3 labels") {
		t.Errorf("count mismatch: %v", err)
	}
	if _, err := ImagesDataset(images, &IDX{Dims: []int{2}, Data: []byte{1, 12}}, 10); err == nil || !strings.Contains(err.Error(), "label 12 of item 1") {
		t.Errorf("bad label: %v", err)
	}
}

// TestReadImages reads image and label files, plain and gzip, straight
// into a dataset: the same as ImagesDataset of the decoded arrays, and the
// same errors for files that lie about their size.
func TestReadImages(t *testing.T) {
	dir := t.TempDir()
	const n, h, w = 7, 3, 5
	pixels := make([]byte, n*h*w)
	for i := range pixels {
		pixels[i] = byte(i * 37)
	}
	labelBytes := []byte{0, 1, 2, 3, 4, 5, 6}
	write := func(name string, b []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	labels := write("labels", idxBytes([]int{n}, labelBytes))
	want, err := ImagesDataset(&IDX{Dims: []int{n, h, w}, Data: pixels}, &IDX{Dims: []int{n}, Data: labelBytes}, 10)
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"plain": idxBytes([]int{n, h, w}, pixels), "gzip": gzipped(idxBytes([]int{n, h, w}, pixels))} {
		got, err := ReadImages(write(name, b), labels, 10)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !slices.Equal(got.X.Data, want.X.Data) || !slices.Equal(got.Labels, want.Labels) || got.X.Cols != h*w || len(got.Features) != h*w {
			t.Errorf("%s: %+v, want %+v", name, got, want)
		}
	}
	for name, c := range map[string]struct {
		b    []byte
		want string
	}{
		"short":                   {idxBytes([]int{n, h, w}, pixels[:50]), "the file has 50"},
		"header beyond the file":  {idxBytes([]int{n, 1000, 1000}, pixels), "the file has 105"},
		"longer":                  {idxBytes([]int{n, h, w}, append(slices.Clone(pixels), 9)), "oversized IDX file"},
		"labels of another count": {idxBytes([]int{n + 1, h, w}, make([]byte, (n+1)*h*w)), "8 images but 7 labels"},
	} {
		if _, err := ReadImages(write(name, c.b), labels, 10); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", name, err, c.want)
		}
	}
}

// TestGzipHeaderOfMillionsOverJunk: a gzip file whose header declares a
// million 32×32 images over a megabyte of incompressible junk (a damaged
// or made cache file), its trailer giving the junk's length or made to
// give the header's, fails as truncated having allocated about what it
// read, where the header's 4 GB of float32 pixels had been allocated
// first.
func TestGzipHeaderOfMillionsOverJunk(t *testing.T) {
	dir := t.TempDir()
	junk := make([]byte, 1<<20)
	state := uint32(1)
	for i := range junk { // xorshift: deflate cannot shrink it
		state ^= state << 13
		state ^= state >> 17
		state ^= state << 5
		junk[i] = byte(state)
	}
	const n = 1 << 20
	images, labels := filepath.Join(dir, "images.gz"), filepath.Join(dir, "labels.gz")
	made := gzipped(idxBytes([]int{n, 32, 32}, junk))
	binary.LittleEndian.PutUint32(made[len(made)-4:], 4+12+n*32*32) // the trailer agrees with the header
	for path, b := range map[string][]byte{images: gzipped(idxBytes([]int{n, 32, 32}, junk)), labels: gzipped(idxBytes([]int{n}, junk)), filepath.Join(dir, "made.gz"): made} {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, read := range map[string]func() error{
		"ReadIDXFile, a made trailer": func() error { _, err := ReadIDXFile(filepath.Join(dir, "made.gz")); return err },
		"ReadImages, a made trailer":  func() error { _, err := ReadImages(filepath.Join(dir, "made.gz"), labels, 10); return err },
		"ReadIDXFile":                 func() error { _, err := ReadIDXFile(images); return err },
		"ReadImages":                  func() error { _, err := ReadImages(images, labels, 10); return err },
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		err := read()
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Error(), "truncated") {
			t.Errorf("%s: %v; want the data truncated", name, err)
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > 200<<20 {
			t.Errorf("%s: allocated %d MB for a file of 1 MB; want about what it read", name, got>>20)
		}
	}
}
