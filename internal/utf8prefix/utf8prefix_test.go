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

func TestHeadIsText(t *testing.T) {
	for _, c := range []struct {
		name string
		raw  string
		n    int
		want bool
	}{
		{"empty", "", 64, true},
		{"a CSV table", "x0,x1,label\r\n1,2,a\n\t3,4,b\n", 64, true},
		{"a NUL", "x0,x1\x00", 64, false},
		{"a control character", "ab\x1bc", 64, false},
		{"gzip's magic", "\x1f\x8b\x08\x00", 64, false},
		{"a character cut at the n-th byte, more after it", "ab\xc3\xa9cd", 3, true},
		{"the file ending inside a character", "ab\xc3", 3, false},
		{"a bad byte past n, not looked at", "abc\xff", 3, true},
		{"Latin-1 within n", "caf\xe9 au lait", 64, false},
	} {
		if got := HeadIsText([]byte(c.raw), c.n); got != c.want {
			t.Errorf("%s: HeadIsText(%q, %d) = %v; want %v", c.name, c.raw, c.n, got, c.want)
		}
	}
}
