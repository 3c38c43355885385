package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/lab"
)

func TestCompareTable(t *testing.T) {
	stdout, stderr, status := wiggle(t, "", "compare", "--acts", "identity,relu,softplus(beta=2, threshold=10)", "--epochs", "40")
	if status != 0 {
		t.Fatalf("exit %d: %s", status, stderr)
	}
	for _, want := range []string{"2-32-32-3 MLP", "activation", "val", "to 90%", "dead", "saturated", "|dW1| init",
		"identity", "relu", "softplus(beta=2, threshold=10)", "never", "medians (and ranges) over 3 seeds", "relu's off side is dead"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("compare output lacks %q:\n%s", want, stdout)
		}
	}
}

func TestCompareJSON(t *testing.T) {
	stdout, stderr, status := wiggle(t, "", "compare", "--acts", "identity,relu", "--epochs", "60", "--json")
	if status != 0 {
		t.Fatalf("exit %d: %s", status, stderr)
	}
	var rows []lab.CompareRow
	if err := json.Unmarshal([]byte(stdout), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Act != "identity" || rows[1].Act != "relu" {
		t.Fatalf("rows %+v", rows)
	}
	// The spiral is the seed's point: a linear network cannot separate it.
	if rows[0].Accuracy.Median > 0.6 || rows[1].Accuracy.Median < 0.9 {
		t.Errorf("identity accuracy %v, relu %v; want identity ≤ 0.6 and relu ≥ 0.9", rows[0].Accuracy, rows[1].Accuracy)
	}
	for _, key := range []string{`"val_accuracy"`, `"epochs_to_target"`, `"median"`, `"grad_norm"`} {
		if !strings.Contains(stdout, key) {
			t.Errorf("the JSON lacks %s (snake_case like train --json)", key)
		}
	}
	if strings.Contains(stdout, `"EpochsToTarget"`) {
		t.Error("the JSON uses Go's field names")
	}
}

// TestComparePlots: --plot writes the loss curves and the regions.
func TestComparePlots(t *testing.T) {
	dir := t.TempDir()
	if _, stderr, status := wiggle(t, "", "compare", "--acts", "tanh,relu", "--epochs", "30", "--seeds", "2", "--plot", dir); status != 0 {
		t.Fatal(stderr)
	}
	for _, name := range []string{"losses.png", "regions.png"} {
		if info, err := os.Stat(filepath.Join(dir, name)); err != nil || info.Size() < 5000 {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, stderr, status := wiggle(t, "", "compare", "--plot", filepath.Join(dir, "nope")); status != 2 || !strings.Contains(stderr, "--plot") {
		t.Errorf("--plot into a missing folder: exit %d, %q", status, stderr)
	}
}
