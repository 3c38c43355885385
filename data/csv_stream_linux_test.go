//go:build linux

package data

import (
	"fmt"
	"os"
	"testing"
)

// TestReadCSVOfAPipe: a path that is not a regular file (here a pipe,
// named as /proc/self/fd/N, as a shell's <(cmd) names one) is read once,
// as a stream, where ReadCSV had counted its lines, read it to its end,
// and then failed to seek back.
func TestReadCSVOfAPipe(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	go func() {
		fmt.Fprint(w, "a,b,y\n1,2,x\n3,4,z\n5,6,x\n")
		w.Close()
	}()
	ds, err := ReadCSV(fmt.Sprintf("/proc/self/fd/%d", r.Fd()), CSVOptions{Target: "y"})
	if err != nil {
		t.Fatal(err)
	}
	if ds.Len() != 3 || ds.X.At(2, 1) != 6 || ds.ClassName(ds.Labels[1]) != "z" {
		t.Errorf("read %d rows, X %v, labels %v; want the pipe's 3 rows", ds.Len(), ds.X.Data, ds.Labels)
	}
}
