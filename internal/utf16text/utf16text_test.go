package utf16text

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf16"
)

// encode is text as UTF-16 with its byte-order mark.
func encode(text string, bigEndian bool) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune("\ufeff" + text)) {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return b
}

func TestNewReaderDecodes(t *testing.T) {
	text := strings.Repeat("x,label\r\n-0.5,é\n2,😀 €\n", 300) // past one decode's 2048 units, a surrogate pair among them
	for _, tc := range []struct {
		name string
		in   []byte
		want string
	}{
		{"little-endian", encode(text, false), text},
		{"big-endian", encode(text, true), text},
		{"UTF-8 with its mark, as it is", []byte("\ufeff" + text), "\ufeff" + text},
		{"bytes, as they are", []byte{0xff, 0x00, 0x01}, "\xff\x00\x01"},
		{"one byte", []byte{0xff}, "\xff"},
		{"empty", nil, ""},
		{"only the mark", []byte{0xff, 0xfe}, ""},
	} {
		for _, reader := range []struct {
			name string
			wrap func(io.Reader) io.Reader
		}{{"whole", func(r io.Reader) io.Reader { return r }}, {"a byte at a time", iotest.OneByteReader}, {"half reads", iotest.HalfReader}} {
			got, err := io.ReadAll(NewReader(reader.wrap(bytes.NewReader(tc.in))))
			if err != nil || string(got) != tc.want {
				t.Errorf("%s, %s: %d bytes, %v; want the %d bytes of the text", tc.name, reader.name, len(got), err, len(tc.want))
			}
		}
	}
}

func TestNewReaderRefusesBrokenText(t *testing.T) {
	good := encode("1\n2\n", false)
	for name, in := range map[string][]byte{
		"half a character at the end":       append(append([]byte{}, good...), '3'),
		"a high surrogate at the end":       append(append([]byte{}, good...), 0x3d, 0xd8),
		"a high surrogate before a letter":  append(append([]byte{}, good...), 0x3d, 0xd8, 'a', 0),
		"a low surrogate first":             append(append([]byte{}, good...), 0x00, 0xde),
		"big-endian, half a character":      append(encode("1\n", true), 0x00),
		"big-endian, a low surrogate first": append(encode("1\n", true), 0xde, 0x00),
	} {
		got, err := io.ReadAll(NewReader(bytes.NewReader(in)))
		if !errors.Is(err, ErrBroken) {
			t.Errorf("%s: %v; want ErrBroken", name, err)
		}
		if !strings.HasPrefix("1\n2\n", string(got)) {
			t.Errorf("%s: read %q before the error; want the text before it", name, got)
		}
	}
}

// A stream's decoded text comes as it arrives, not after 2048 units: a
// line typed at a terminal or sent down a pipe is read at once.
func TestNewReaderGivesWhatHasArrived(t *testing.T) {
	pr, pw := io.Pipe()
	go pw.Write(encode("1\n", false))
	r := NewReader(pr)
	buf := make([]byte, 16)
	n, err := r.Read(buf)
	if err != nil || string(buf[:n]) != "1\n" {
		t.Fatalf("first read: %q, %v; want the line that arrived", buf[:n], err)
	}
	pw.CloseWithError(errors.New("the writer's error"))
	if _, err := r.Read(buf); err == nil || err.Error() != "the writer's error" {
		t.Errorf("after the writer's error: %v; want it", err)
	}
}
