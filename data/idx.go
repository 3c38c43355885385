package data

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// IDX is an array in the IDX format of MNIST: unsigned bytes with their
// dimensions, the first dimension counting the items.
type IDX struct {
	Dims []int
	Data []byte // row-major, len = product of Dims
}

// maxIDX bounds the size an IDX header may declare.
const maxIDX = 1 << 32

// ReadIDXFile reads an IDX file, plain or gzip-compressed: which one is told
// by its first bytes, not its name. Errors name the file and what is wrong.
func ReadIDXFile(path string) (*IDX, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	idx, err := DecodeIDX(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return idx, nil
}

// IsIDX reports whether head, the first bytes of a file, starts an IDX
// file or a gzip stream (which may hold one).
func IsIDX(head []byte) bool {
	return isGzip(head) || len(head) >= 4 && head[0] == 0 && head[1] == 0 && head[3] >= 1 && head[3] <= 4
}

func isGzip(head []byte) bool { return len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b }

// DecodeIDX reads an IDX array from r, decompressing it first if it is
// gzip. The magic number, the type (unsigned bytes) and the dimensions are
// checked before any large allocation; the data must be exactly as long as
// the dimensions say. A truncated stream is read only as far as it goes.
func DecodeIDX(r io.Reader) (*IDX, error) {
	br := bufio.NewReader(r)
	if head, _ := br.Peek(2); isGzip(head) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("damaged gzip stream: %v", err)
		}
		defer zr.Close()
		br = bufio.NewReader(zr)
	}
	var magic [4]byte
	if _, err := io.ReadFull(br, magic[:]); err != nil {
		return nil, fmt.Errorf("not an IDX file: shorter than its 4-byte magic number (%v)", readErr(err))
	}
	if magic[0] != 0 || magic[1] != 0 {
		return nil, fmt.Errorf("not an IDX file: magic number % x does not start with 00 00", magic)
	}
	if magic[2] != 0x08 {
		return nil, fmt.Errorf("IDX type 0x%02x; wiggle reads unsigned bytes (0x08), as MNIST's files hold", magic[2])
	}
	if magic[3] < 1 || magic[3] > 4 {
		return nil, fmt.Errorf("IDX with %d dimensions; want 1 to 4", magic[3])
	}
	dims := make([]int, magic[3])
	total := 1
	for i := range dims {
		var d [4]byte
		if _, err := io.ReadFull(br, d[:]); err != nil {
			return nil, fmt.Errorf("truncated IDX header: dimension %d of %d is missing (%v)", i+1, len(dims), readErr(err))
		}
		dims[i] = int(binary.BigEndian.Uint32(d[:]))
		if dims[i] > 0 && total > maxIDX/dims[i] {
			return nil, fmt.Errorf("IDX dimensions %v declare more than %d bytes", dims[:i+1], maxIDX)
		}
		total *= dims[i]
	}
	data, err := readExactly(br, total)
	if err != nil {
		return nil, fmt.Errorf("truncated IDX data: dimensions %v need %d bytes, the file has %d (%v)", dims, total, len(data), readErr(err))
	}
	extra, err := br.Read(make([]byte, 1))
	if extra > 0 {
		return nil, fmt.Errorf("oversized IDX file: bytes follow the %d that dimensions %v need", total, dims)
	}
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("damaged file after the IDX data: %v", err) // a gzip checksum, say
	}
	return &IDX{Dims: dims, Data: data}, nil
}

// readExactly reads n bytes. It allocates as the data arrives, in chunks of
// at most 16 MiB, so a header that promises more than the stream holds costs
// only what the stream holds; the chunks are joined once at the end.
func readExactly(r io.Reader, n int) ([]byte, error) {
	const chunk = 16 << 20
	if n <= chunk {
		buf := make([]byte, n)
		got, err := io.ReadFull(r, buf)
		return buf[:got], err
	}
	var parts [][]byte
	read := 0
	for read < n {
		part := make([]byte, min(chunk, n-read))
		got, err := io.ReadFull(r, part)
		parts = append(parts, part[:got])
		read += got
		if err != nil {
			return bytes.Join(parts, nil), err
		}
	}
	return bytes.Join(parts, nil), nil
}

func readErr(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("end of file")
	}
	return err
}
