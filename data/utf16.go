package data

import (
	"bufio"
	"bytes"
	"io"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// fromUTF16 reads text saved as UTF-16 with its byte-order mark, as
// Windows PowerShell 5's > and Out-File write it (wiggle data gen spiral >
// spiral.csv there), as UTF-8, the mark dropped; other text as it is.
// Lines and columns in errors then count the UTF-8 text.
func fromUTF16(r io.Reader) io.Reader {
	b := bufio.NewReaderSize(r, 64<<10)
	if head, _ := b.Peek(2); bytes.Equal(head, []byte{0xff, 0xfe}) || bytes.Equal(head, []byte{0xfe, 0xff}) {
		return transform.NewReader(b, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()) // the mark picks the byte order
	}
	return b
}
