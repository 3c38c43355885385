package quote

import (
	"fmt"
	"strings"
	"testing"
)

func TestShort(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", `""`},
		{"abc", `"abc"`},
		{"a\"b\n", `"a\"b\n"`},
		{strings.Repeat("x", 50), `"` + strings.Repeat("x", 50) + `"`},                      // 50 bytes: whole
		{strings.Repeat("x", 51), `"` + strings.Repeat("x", 40) + `"… (51 bytes)`},          // the count outside the quotes
		{strings.Repeat("é", 100000), `"` + strings.Repeat("é", 20) + `"… (200000 bytes)`},  // é is 2 bytes: 40 exactly
		{"x" + strings.Repeat("é", 100), `"x` + strings.Repeat("é", 19) + `"… (201 bytes)`}, // byte 40 is inside an é: cut before it
	} {
		if got := Short(c.in); got != c.want {
			t.Errorf("Short(%.20q…) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestCutAndList(t *testing.T) {
	long := strings.Repeat("n", 60)
	if got, want := Cut(long), strings.Repeat("n", 40)+"… (60 bytes)"; got != want {
		t.Errorf("Cut = %q, want %q", got, want)
	}
	if got := List([]string{"a", long, "c"}); got != "a, "+strings.Repeat("n", 40)+"… (60 bytes), c" {
		t.Errorf("List of 3 = %q", got)
	}
	names := make([]string, 784)
	for i := range names {
		names[i] = fmt.Sprintf("x%d", i)
	}
	if got, want := List(names), "x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15, x16, x17, … (784 in all), x783"; got != want {
		t.Errorf("List of 784 =\n%s\nwant\n%s", got, want)
	}
	if got := List(names[:20]); strings.Contains(got, "…") || !strings.HasSuffix(got, "x19") {
		t.Errorf("List of 20 = %q; want all 20", got)
	}
	if got, want := ShortList([]string{"", "a b ", long}), `"", "a b ", "`+strings.Repeat("n", 40)+`"… (60 bytes)`; got != want {
		t.Errorf("ShortList = %q, want %q", got, want)
	}
	if got := ShortList(names); !strings.HasSuffix(got, `"x17", … (784 in all), "x783"`) {
		t.Errorf("ShortList of 784 = %q", got)
	}
}

// TestCutEscapesWhatATerminalActsOn: a name with an escape sequence, a
// tab, a newline or bytes that are not UTF-8 comes out quoted with Go's
// escapes, so a file's cells cannot colour, clear or misalign the
// terminal; printable names, spaces and other scripts stay as they are.
func TestCutEscapesWhatATerminalActsOn(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"\x1b[31mred", `"\x1b[31mred"`},
		{"\x1b[2J", `"\x1b[2J"`},
		{"x\t1", `"x\t1"`},
		{"a\nb", `"a\nb"`},
		{"\x9b31m", `"\x9b31m"`},     // not UTF-8 (a lone C1 byte)
		{"\u009b31m", `"\u009b31m"`}, // the C1 control CSI, encoded
		{"caf\xe9", `"caf\xe9"`},
		{"café au lait", "café au lait"},
		{"한국어", "한국어"},
		{"no\u00a0break", "no\u00a0break"},
		{"می\u200cخواهم", "می\u200cخواهم"},
		{"👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"},
		{"\u202eevil", `"\u202eevil"`}, // a bidi override turns the text after it round
		{"x1", "x1"},
	} {
		if got := Cut(c.in); got != c.want {
			t.Errorf("Cut(%q) = %s, want %s", c.in, got, c.want)
		}
	}
	if got := List([]string{"x0", "\x1b[2J"}); got != `x0, "\x1b[2J"` {
		t.Errorf("List = %s, want the escape sequence quoted", got)
	}
}
