package utf16text

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"
)

func TestNewReaderDecodes(t *testing.T) {
	text := strings.Repeat("x,label\r\n-0.5,é\n2,😀 €\n", 300) // past one decode's 2048 units, a surrogate pair among them
	for _, tc := range []struct {
		name string
		in   []byte
		want string
	}{
		{"little-endian", Encode(text, false), text},
		{"big-endian", Encode(text, true), text},
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
	good := Encode("1\n2\n", false)
	for _, tc := range []struct {
		name   string
		in     []byte
		before string // the text read before the error
		want   error
	}{
		{"half a character at the end", append(append([]byte{}, good...), '3'), "1\n2\n", ErrBroken},
		{"half a character within a line", append(Encode("1\n2", false), '3'), "1\n2", ErrBroken},
		{"half a character in the first line", append(Encode("12", false), '3'), "12", ErrBroken},
		{"a high surrogate at the end", append(append([]byte{}, good...), 0x3d, 0xd8), "1\n2\n", ErrBroken},
		{"a high surrogate before a letter", append(append([]byte{}, good...), 0x3d, 0xd8, 'a', 0), "1\n2\n", ErrBroken},
		{"a low surrogate first", append(append([]byte{}, good...), 0x00, 0xde), "1\n2\n", ErrBroken},
		{"big-endian, half a character", append(Encode("1\n", true), 0x00), "1\n", ErrBroken},
		{"big-endian, a low surrogate first", append(Encode("1\n", true), 0xde, 0x00), "1\n", ErrBroken},
		{"a low surrogate in the first line", append(Encode("1,", false), 0x00, 0xde, '\n', 0), "1,", ErrNotText},
		{"a high surrogate before a letter in the first line", append(Encode("1", false), 0x3d, 0xd8, 'a', 0), "1", ErrNotText},
		{"a NUL in the first line", append(Encode("1", false), 0, 0, '\n', 0), "1", ErrNotText},
		{"big-endian, a NUL in the first line", append(Encode("1", true), 0, 0), "1", ErrNotText},
		{"UTF-32, little-endian", []byte{0xff, 0xfe, 0, 0, '1', 0, 0, 0, '\n', 0, 0, 0}, "", ErrUTF32},
		{"an old Mac's lines, broken on the second", append(Encode("1\r", false), 0x00, 0xde), "1\r", ErrBroken},
	} {
		got, err := io.ReadAll(NewReader(bytes.NewReader(tc.in)))
		if !errors.Is(err, tc.want) || string(got) != tc.before {
			t.Errorf("%s: read %q, %v; want %q and %v", tc.name, got, err, tc.before, tc.want)
		}
	}
}

// A NUL past the first line is handed on: the text's reader judges it.
func TestNewReaderPassesLaterNUL(t *testing.T) {
	in := append(Encode("1\n", false), 0, 0, '2', 0)
	got, err := io.ReadAll(NewReader(bytes.NewReader(in)))
	if err != nil || string(got) != "1\n\x002" {
		t.Errorf("read %q, %v; want \"1\\n\\x002\" and no error", got, err)
	}
}

// Bytes that only begin as UTF-16 text does are not text, whatever
// follows the mark.
func TestNewReaderRefusesBinary(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 200 {
		in := []byte{0xff, 0xfe}
		if i%2 == 1 {
			in = []byte{0xfe, 0xff}
		}
		for range 1 + rng.IntN(5000) {
			in = append(in, byte(rng.Uint32()))
		}
		_, err := io.ReadAll(NewReader(bytes.NewReader(in)))
		if len(in) > 200 && !errors.Is(err, ErrNotText) { // shorter ones may end first, or cut a character
			t.Errorf("%d random bytes after % x: %v; want ErrNotText", len(in)-2, in[:2], err)
		}
		if err == nil && len(in)%2 == 1 {
			t.Errorf("%d random bytes, an odd count: no error", len(in)-2)
		}
	}
}

// onceEnded is a terminal's input: after its end (Ctrl-D) it would wait
// for more, so reading it again is the test's failure.
type onceEnded struct {
	t    *testing.T
	text []byte
	done bool
}

func (o *onceEnded) Read(p []byte) (int, error) {
	if o.done {
		o.t.Error("read again after the end of input: a terminal would wait")
		return 0, io.EOF
	}
	if len(o.text) == 0 {
		o.done = true
		return 0, io.EOF
	}
	n := copy(p, o.text)
	o.text = o.text[n:]
	return n, nil
}

// TestNewReaderReadsTheEndOnce: Ctrl-D at a terminal, alone or after a
// number without its newline, ends the input: a reader that stops at the
// first io.EOF (bufio.Scanner, io.ReadAll) does not ask for more.
func TestNewReaderReadsTheEndOnce(t *testing.T) {
	for text, want := range map[string]string{"": "", "5": "5", "5\n": "5\n", "55": "55", "\xff\xfe5\x00": "5"} {
		r := NewReader(&onceEnded{t: t, text: []byte(text)})
		if got, err := io.ReadAll(r); err != nil || string(got) != want { // ReadAll stops at the first io.EOF
			t.Errorf("%q: read %q, %v; want %q", text, got, err, want)
		}
	}
}

// A stream's decoded text comes as it arrives, not after 2048 units: a
// line typed at a terminal or sent down a pipe is read at once.
func TestNewReaderGivesWhatHasArrived(t *testing.T) {
	pr, pw := io.Pipe()
	go pw.Write(Encode("1\n", false))
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
