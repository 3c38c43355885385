package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/lab"
)

func TestCompareTable(t *testing.T) {
	stdout, stderr, status := wiggle(t, "", "compare", "--acts", "identity,relu,softplus(beta=2, threshold=10)", "--epochs", "40")
	if status != 0 {
		t.Fatalf("exit %d: %s", status, stderr)
	}
	for _, want := range []string{"2-32-32-3 MLP", "activation", "to 90%", "dead", "saturated", "|dW1| init",
		"identity", "relu", "softplus(beta=2, threshold=10)", "never"} {
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
	if rows[0].Accuracy > 0.6 || rows[1].Accuracy < 0.9 {
		t.Errorf("identity accuracy %.2f, relu %.2f; want identity ≤ 0.6 and relu ≥ 0.9", rows[0].Accuracy, rows[1].Accuracy)
	}
}
