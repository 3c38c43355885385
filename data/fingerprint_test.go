package data

import (
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
