package data

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzReadCSV feeds arbitrary bytes to the CSV reader: it must return a
// dataset or an error that says where, never panic.
func FuzzReadCSV(f *testing.F) {
	for _, seed := range []string{
		"x0,x1,label\n0.5,-1,0\n1,2,1\n",
		"a,b,y\n1,2,cat\n3,4,dog\n5,6,cat\n",
		"\"a, b\",y\n\"1\",0\n2,1\n",
		"a,y\n1e-3,0\n-4E2,1\n",
		"a,y\n1,0\n2\n",
		"a,y\nNaN,0\n",
		"a,a\n1,2\n",
		"",
		"\ufeffa,y\n1,0\n2,1\n",
		"\xff\xfea\x00,\x00y\x00\n\x001\x00,\x000\x00\n\x002\x00,\x001\x00\n\x00", // UTF-16, little-endian
		"\xfe\xff\x00a\x00,\x00y\x00\n\x001\x00,\x000\x00\n\xd8",                  // big-endian, cut inside a surrogate
	} {
		f.Add([]byte(seed), false)
		f.Add([]byte(seed), true)
	}
	f.Fuzz(func(t *testing.T, raw []byte, regression bool) {
		ds, err := readCSV(bytes.NewReader(raw), bytes.Count(raw, []byte{'\n'})+1, CSVOptions{Target: "y", Regression: regression, TargetOptional: true})
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, ": ") && !strings.HasPrefix(msg, ", line ") && !strings.HasPrefix(msg, ", column ") {
				t.Fatalf("error %q does not start with a place", msg)
			}
			return
		}
		if ds.Len() == 0 || len(ds.X.Data) != ds.Len()*ds.X.Cols {
			t.Fatalf("dataset of %d rows holds %d numbers for %d columns", ds.Len(), len(ds.X.Data), ds.X.Cols)
		}
		for i, y := range ds.Labels {
			if y < 0 || y >= ds.Classes {
				t.Fatalf("row %d has class %d of %d", i, y, ds.Classes)
			}
		}
	})
}

// FuzzDecodeIDX feeds arbitrary bytes to the IDX reader.
func FuzzDecodeIDX(f *testing.F) {
	f.Add(idxBytes([]int{2, 2}, []byte{1, 2, 3, 4}))
	f.Add(gzipped(idxBytes([]int{3}, []byte{7, 8, 9})))
	for _, c := range malformedIDX {
		f.Add(c.raw)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		idx, err := DecodeIDX(bytes.NewReader(raw))
		if err != nil {
			return
		}
		n := 1
		for _, d := range idx.Dims {
			n *= d
		}
		if n != len(idx.Data) {
			t.Fatalf("dimensions %v but %d bytes", idx.Dims, len(idx.Data))
		}
	})
}
