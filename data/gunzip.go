package data

import (
	"bufio"
	"compress/gzip"
	"errors"
	"io"
)

// errAfterGzip is the error of a gzip file whose stream ends before the
// file does, other bytes than another gzip member following it.
var errAfterGzip = errors.New("bytes that are not gzip follow the end of its gzip stream (something appended to the file?)")

// gunzip reads the gzip file src, whose first bytes are gzip's: one
// member, or several one after another (as cat a.gz b.gz makes), their
// contents one after another. Bytes after the last member that start no
// other are errAfterGzip (gzip.Reader calls them a header cut short, or
// a damaged one). src is read no further than the members.
func gunzip(src *bufio.Reader) (*members, error) {
	z, err := gzip.NewReader(src)
	if err != nil {
		return nil, err
	}
	z.Multistream(false)
	return &members{z: z, src: src}, nil
}

// members reads a gzip file's members in turn (gunzip).
type members struct {
	z   *gzip.Reader
	src *bufio.Reader
}

func (m *members) Read(p []byte) (int, error) {
	for {
		n, err := m.z.Read(p)
		if err != io.EOF {
			return n, err
		}
		next, perr := m.src.Peek(2) // the member has ended: another, or the file's end, or something else
		switch {
		case perr != nil && perr != io.EOF:
			return n, perr // a read that failed (a Ctrl-C's context, say) is no end of the file
		case len(next) == 0:
			return n, io.EOF
		case !isGzip(next):
			return n, errAfterGzip
		}
		if err := m.z.Reset(m.src); err != nil {
			return n, err
		}
		m.z.Multistream(false)
		if n > 0 {
			return n, nil
		}
	}
}

// Close releases the decompressor.
func (m *members) Close() error { return m.z.Close() }
