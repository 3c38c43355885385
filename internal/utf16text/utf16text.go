// Package utf16text reads text saved as UTF-16 with its byte-order mark,
// as Windows PowerShell 5's > and Out-File write it, as UTF-8: the CSV
// tables of package data and the numbers `wiggle act eval` reads.
//
// Concurrency: the reader NewReader returns is for one goroutine at a
// time; Encode is safe for concurrent use.
package utf16text

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// NewReader reads r as UTF-8: text saved as UTF-16 with its byte-order
// mark (FF FE little-endian, FE FF big-endian; wiggle data gen spiral >
// spiral.csv in Windows PowerShell 5) decoded, the mark dropped; other
// text, or bytes, as they are. Half a character (a file cut short) or a
// lone surrogate is ErrBroken, as bytes that are not UTF-8 are an error
// in UTF-8 text; but a lone surrogate or a NUL in the first line is
// ErrNotText: a file that is not text and begins with the mark's two
// bytes by chance (random bytes give a lone surrogate within a few dozen
// characters, a line feed within tens of thousands). Text that begins
// with UTF-32's little-endian mark (FF FE 00 00) is ErrUTF32. Lines and
// columns a caller counts in errors count the UTF-8 text.
//
// NewReader reads r's first two bytes (waiting for them, or for r's end,
// on a terminal or a pipe) to look for the mark. An end or error of r's
// is read once: a terminal's end of input (Ctrl-D) is not asked for again.
func NewReader(r io.Reader) io.Reader {
	b := bufio.NewReaderSize(r, 64<<10) // r itself where it is such a reader already
	head, err := b.Peek(2)
	switch {
	case err != nil: // fewer than two bytes; Peek hands its error over once, and b would ask r again
		return io.MultiReader(bytes.NewReader(head), failed{err})
	case head[0] == 0xff && head[1] == 0xfe:
		if four, _ := b.Peek(4); len(four) == 4 && four[2] == 0 && four[3] == 0 {
			return failed{ErrUTF32} // FF FE 00 00: UTF-32's mark, little-endian
		}
		b.Discard(2)
		return &utf16Reader{r: b, little: true}
	case head[0] == 0xfe && head[1] == 0xff:
		b.Discard(2)
		return &utf16Reader{r: b}
	}
	return b
}

// failed is a reader whose every read returns err (io.MultiReader goes
// past an io.EOF, and then returns io.EOF itself).
type failed struct{ err error }

func (f failed) Read([]byte) (int, error) { return 0, f.err }

// Encode returns text as UTF-16 with its byte-order mark, little-endian
// as Windows PowerShell 5 saves it, or big-endian: what NewReader
// decodes, for tests and examples.
func Encode(text string, bigEndian bool) []byte {
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

// ErrBroken is what NewReader's reader returns for half a character or a
// surrogate without its pair.
var ErrBroken = errors.New("the UTF-16 text is broken (half a character at its end, or a surrogate without its pair); save it again whole, or as UTF-8")

// ErrNotText is what NewReader's reader returns where the first line
// holds a surrogate without its pair or a NUL: bytes that begin as
// UTF-16 text does, not text.
var ErrNotText = errors.New("not a text file: its first two bytes are UTF-16's byte-order mark, but what follows is not UTF-16 text")

// ErrUTF32 is what NewReader's reader returns for text that begins with
// UTF-32's little-endian mark (FF FE 00 00), whose first two bytes are
// UTF-16's.
var ErrUTF32 = errors.New("UTF-32 text (its first bytes FF FE 00 00), which wiggle does not read; save it as UTF-8 or UTF-16")

// utf16Reader decodes UTF-16 code units from r into UTF-8.
type utf16Reader struct {
	r       *bufio.Reader
	little  bool
	high    rune   // a high surrogate waiting for its pair; 0 if none
	lineFed bool   // a line's end decoded: past the first line
	out     []byte // decoded bytes not yet read
	err     error  // where decoding stopped, told once out is read
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.out) == 0 {
		if u.err != nil {
			return 0, u.err
		}
		u.err = u.decode()
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	return n, nil
}

// decode turns up to 2048 code units into u.out, and says why it stopped
// short of them: io.EOF, a broken character, r's error.
func (u *utf16Reader) decode() error {
	u.out = u.out[:0]
	for range 2048 {
		a, err := u.r.ReadByte()
		if err == io.EOF && u.high == 0 {
			return io.EOF
		}
		if err != nil {
			return brokenAtEOF(err)
		}
		b, err := u.r.ReadByte()
		if err != nil {
			return brokenAtEOF(err)
		}
		unit := rune(a)<<8 | rune(b)
		if u.little {
			unit = rune(b)<<8 | rune(a)
		}
		switch {
		case u.high != 0:
			r := utf16.DecodeRune(u.high, unit)
			if r == utf8.RuneError {
				return u.broken()
			}
			u.out, u.high = utf8.AppendRune(u.out, r), 0
		case utf16.IsSurrogate(unit) && unit < 0xdc00:
			u.high = unit
		case utf16.IsSurrogate(unit):
			return u.broken() // a low surrogate first
		case unit == 0 && !u.lineFed:
			return ErrNotText
		default:
			u.out = utf8.AppendRune(u.out, unit)
			u.lineFed = u.lineFed || unit == '\n' || unit == '\r' // an old Mac's lines end in \r alone
		}
		if u.r.Buffered() == 0 && len(u.out) > 0 {
			return nil // what is decoded, before waiting on a stream
		}
	}
	return nil
}

// broken is the error for a surrogate without its pair: ErrNotText in
// the first line, ErrBroken after it.
func (u *utf16Reader) broken() error {
	if u.lineFed {
		return ErrBroken
	}
	return ErrNotText
}

// brokenAtEOF is ErrBroken where the text ends inside a character.
func brokenAtEOF(err error) error {
	if err == io.EOF {
		return ErrBroken
	}
	return err
}
