package data

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestFingerprintTellsRowsApart: the same rows give the same print, a copy
// too; a changed cell, label or value, or a row fewer, another.
func TestFingerprintTellsRowsApart(t *testing.T) {
	ds := Spiral(10, 3, 0.2, rand.New(rand.NewPCG(1, 1)))
	print := Fingerprint(ds)
	// The CLI's checkpoints store this print: it must not change.
	if print != "30 rows, CRC-32C e6547a9b" || Fingerprint(ds.Slice(0, 30)) != print {
		t.Fatalf("Fingerprint = %q, of a copy %q", print, Fingerprint(ds.Slice(0, 30)))
	}
	cell := ds.Slice(0, 30)
	cell.X.Data[7] += 1e-6
	label := ds.Slice(0, 30)
	label.Labels[3] = (label.Labels[3] + 1) % 3
	values := &Dataset{X: ds.X, Values: ds.X}
	for name, other := range map[string]*Dataset{"a cell": cell, "a label": label, "a row fewer": ds.Slice(0, 29), "values for labels": values} {
		if Fingerprint(other) == print {
			t.Errorf("%s changed, the print did not: %s", name, print)
		}
	}
	if Fingerprint(nil) != "0 rows, CRC-32C 00000000" {
		t.Errorf("Fingerprint(nil) = %q", Fingerprint(nil))
	}
}

// TestFingerprintSurvivesCSV: every generated set, written as CSV and read
// back, has the print it had, so that a checkpoint of a run on --data NAME
// resumes on the table `wiggle data gen NAME` wrote (the spiral's first
// point has a −0, which the table once wrote as 0).
func TestFingerprintSurvivesCSV(t *testing.T) {
	for _, name := range SyntheticNames() {
		ds, err := Generate(SyntheticSpec{Name: name, Noise: -1}, rand.New(rand.NewPCG(1, 0xda7a)))
		if err != nil {
			t.Fatal(err)
		}
		var table bytes.Buffer
		if err := WriteCSV(&table, ds); err != nil {
			t.Fatal(err)
		}
		back, err := ParseCSV(name+".csv", &table, CSVOptions{Target: ds.Target, Regression: ds.Regression()})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got, want := Fingerprint(back), Fingerprint(ds); got != want {
			t.Errorf("%s: read back from its CSV, %s; generated, %s", name, got, want)
		}
	}
}
