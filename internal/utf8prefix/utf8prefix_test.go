package utf8prefix

import "testing"

func TestCut(t *testing.T) {
	for _, c := range []struct {
		name string
		head string
		want bool
		text string // what Cut leaves, where want
	}{
		{"empty", "", true, ""},
		{"ASCII", "x0,x1,label\n", true, "x0,x1,label\n"},
		{"whole characters", "é€😀", true, "é€😀"},
		{"a character cut after its first byte", "ab\xc3", true, "ab"},
		{"a four-byte character cut after three", "ab\xf0\x9f\x98", true, "ab"},
		{"a bad byte before the last three", "a\xffbcd", false, ""},
		{"four bad bytes at the end", "a\xff\xff\xff\xff", false, ""},
		{"one bad byte alone", "\xff", false, ""},
		{"Latin-1 text", "caf\xe9 au lait", false, ""},
		{"anything in the last three bytes", "abc\xff\xfe", true, "abc"},
	} {
		text, ok := Cut([]byte(c.head))
		if ok != c.want || ok && string(text) != c.text || !ok && string(text) != c.head {
			t.Errorf("%s: Cut(%q) = %q, %v; want %v, leaving %q", c.name, c.head, text, ok, c.want, c.text)
		}
	}
}
