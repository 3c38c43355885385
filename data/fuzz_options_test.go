package data

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "|")
}

// FuzzParseCSVOptions: ParseCSV with every option fuzzed (target by name or
// index, Features, Ignore, Keep, Classes lists, DecimalComma, TargetLast,
// Regression, TargetOptional), then what callers do with a dataset
// (Check, Describe, Fingerprint, WriteCSV, FitStandardizer): errors, never
// a panic.
func FuzzParseCSVOptions(f *testing.F) {
	f.Add([]byte("x0,x1,label\n0.5,-1,0\n1,2,1\n"), "label", "", "", "", "", uint8(0))
	f.Add([]byte("id;a;b;y\n1;0,5;2;cat\n2;1,5;3;dog\n"), "y", "", "id", "id", "", uint8(1))
	f.Add([]byte("id,a,b,y\n1,0.5,2,cat\n2,1.5,3,dog\n"), "3", "b|a", "", "0", "dog|cat|emu", uint8(0))
	f.Add([]byte("a,b,c\n1,2,3\n4,5,6\n"), "", "", "", "", "", uint8(2))
	f.Add([]byte("a,b,c\n1,2,3.5\n4,5,6.25\n"), "c", "", "", "", "", uint8(4))
	f.Add([]byte("\ufeffa\tb\ty\r\n1\t2\tx\r\n"), "y", "", "b", "a|y", "", uint8(8))
	f.Add([]byte("a,y,\n1,0,\n2,1,\n"), "", "", "", "", "", uint8(2))
	f.Fuzz(func(t *testing.T, raw []byte, target, features, ignore, keep, classes string, flags uint8) {
		opt := CSVOptions{Target: target, Features: splitList(features), Ignore: splitList(ignore), Keep: splitList(keep),
			Classes: splitList(classes), DecimalComma: flags&1 != 0, TargetLast: flags&2 != 0, Regression: flags&4 != 0,
			TargetOptional: flags&8 != 0, MaxBytes: 1 << 20}
		ds, err := ParseCSV("f.csv", bytes.NewReader(raw), opt)
		if err != nil {
			return
		}
		if err := ds.Check(); err != nil {
			t.Fatalf("ParseCSV returned a set that Check refuses: %v", err)
		}
		for i, y := range ds.Labels {
			if y < 0 || y >= ds.Classes {
				t.Fatalf("row %d has class %d of %d", i, y, ds.Classes)
			}
		}
		Describe(ds)
		Fingerprint(ds)
		WriteCSV(io.Discard, ds)
		if ds.Len() > 0 && ds.X.Cols > 0 {
			s := FitStandardizer(ds.X)
			s.Apply(ds.X)
		}
		if ds.Len() > 1 {
			ds.Slice(0, 1)
			ds.Rows([]int{ds.Len() - 1, 0})
		}
	})
}

// FuzzImagesDataset: two IDX blobs (images, labels) and a class count
// through DecodeIDX and ImagesDataset.
func FuzzImagesDataset(f *testing.F) {
	f.Add(idxBytes([]int{2, 2, 2}, []byte{1, 2, 3, 4, 5, 6, 7, 8}), idxBytes([]int{2}, []byte{0, 9}), 10)
	f.Add(gzipped(idxBytes([]int{1, 1}, []byte{255})), gzipped(idxBytes([]int{1}, []byte{3})), 2)
	f.Fuzz(func(t *testing.T, img, lab []byte, classes int) {
		a, err := DecodeIDX(bytes.NewReader(img))
		if err != nil {
			return
		}
		b, err := DecodeIDX(bytes.NewReader(lab))
		if err != nil {
			return
		}
		ds, err := ImagesDataset(a, b, classes)
		if err != nil {
			return
		}
		if err := ds.Check(); err != nil {
			t.Fatalf("ImagesDataset returned a set Check refuses: %v", err)
		}
	})
}
