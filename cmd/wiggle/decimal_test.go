package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestNumberFlagsReadDecimal: a number flag reads decimal alone, as data
// cells do. pflag had read --epochs 010 as 8 (octal) and --lr 1_000 or
// 0x1p10 as Go literals, silently.
func TestNumberFlagsReadDecimal(t *testing.T) {
	stdout, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--epochs", "010", "--out", t.TempDir()+"/m.safetensors", "--json")
	var got struct{ Epochs int }
	if status != 0 || json.Unmarshal([]byte(stdout), &got) != nil || got.Epochs != 10 {
		t.Errorf("--epochs 010: exit %d, %s, %q; want 10 epochs", status, stderr, stdout)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"train", "--data", "spiral", "--epochs", "0x10"}, `--epochs "0x10": hexadecimal: write 16`},
		{[]string{"train", "--data", "spiral", "--batch", "0b101"}, `--batch "0b101": not a decimal number: write 5`},
		{[]string{"train", "--data", "spiral", "--batch", "0o17"}, `--batch "0o17": not a decimal number: write 15`},
		{[]string{"train", "--data", "spiral", "--lr", "1_000"}, `--lr "1_000": digits separated by '_': write 1000`},
		{[]string{"train", "--data", "spiral", "--lr", "0x1p-2"}, `--lr "0x1p-2": hexadecimal: write 0.25`},
		{[]string{"compare", "--threads", "0x2"}, `--threads "0x2": hexadecimal: write 2`},
		{[]string{"train", "--data", "spiral", "--epochs", "ten"}, `--epochs "ten": want a whole number`},
		{[]string{"train", "--data", "spiral", "--lr", "0,5"}, `--lr "0,5": want a number, written with a decimal point (0.5)`},
		{[]string{"train", "--data", "spiral", "--lr", "1,2,3"}, "--lr \"1,2,3\": want a number\n"},
		{[]string{"train", "--data", "spiral", "--lr", "1,000"}, "--lr \"1,000\": want a number\n"},
	} {
		_, stderr, status := wiggle(t, "", c.args...)
		if status != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, %q; want 2 and %q", strings.Join(c.args, " "), status, stderr, c.want)
		}
	}
}
