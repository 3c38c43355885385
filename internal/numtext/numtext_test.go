package numtext

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

func TestHint(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"0x10", "hexadecimal: write 16"},
		{" 0X1p3 ", "hexadecimal: write 8"},
		{"-0x1p3", "hexadecimal: write -8"},
		{"+0x1.8p1", "hexadecimal: write 3"},
		{"0x1_0", "hexadecimal: write 16"},
		{"0xFFFFFFFFFFFFFFFFFFFF", "hexadecimal: write 1.2089258196146292e+24"},
		{"0xZZ", "hexadecimal: write numbers in decimal"},
		{"0x", "hexadecimal: write numbers in decimal"},
		{"1_000", "digits separated by '_': write 1000"},
		{"-1_000.5_5e1_0", "digits separated by '_': write -1000.55e10"},
		{"_1", ""},
		{"1__0", ""},
		{"a_b", ""},
		{"1e5", ""},
		{"-0.5", ""},
		{"NaN", ""},
		{"+Inf", ""},
		{"0", ""},
		{"00x1", ""},
		{"", ""},
		{"text", ""},
	} {
		if got := Hint(c.in); got != c.want {
			t.Errorf("Hint(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestHintLeavesPlainDecimals holds Hint to ParseFloat on random texts made
// of a number's characters: where ParseFloat reads one with no underscore
// and no hexadecimal prefix, Hint is empty; where it reads one with either,
// Hint names a value, and that value is ParseFloat's.
func TestHintLeavesPlainDecimals(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	const alphabet = "0123456789.eE+-_xXpPaAfF"
	read, hinted := 0, 0
	for range 200_000 {
		b := make([]byte, 1+rng.IntN(8))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		s := string(b)
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			continue
		}
		read++
		lower := strings.ToLower(strings.TrimLeft(s, "+-"))
		special := strings.Contains(s, "_") || strings.HasPrefix(lower, "0x")
		h := Hint(s)
		if !special {
			if h != "" {
				t.Fatalf("Hint(%q) = %q for a plain decimal", s, h)
			}
			continue
		}
		hinted++
		written, ok := strings.CutPrefix(h, "hexadecimal: write ")
		if !ok {
			written, ok = strings.CutPrefix(h, "digits separated by '_': write ")
		}
		if !ok {
			t.Fatalf("Hint(%q) = %q names no value, though ParseFloat reads %g", s, h, v)
		}
		if w, err := strconv.ParseFloat(written, 64); err != nil || w != v {
			t.Fatalf("Hint(%q) writes %q, ParseFloat reads %g", s, written, v)
		}
	}
	if read < 1000 || hinted < 100 {
		t.Fatalf("only %d texts read and %d hinted: the generator misses the cases", read, hinted)
	}
}
