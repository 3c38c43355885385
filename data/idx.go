package data

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/wigglenn/wiggle/internal/nilio"
)

// IDX is an array in the IDX format of MNIST: unsigned bytes with their
// dimensions, the first dimension counting the items.
type IDX struct {
	Dims []int
	Data []byte // row-major, len = product of Dims
}

// maxIDX bounds the size an IDX header may declare: 2³⁰ bytes, 4 GiB as
// float32 (MNIST's training images are 47 MB), or int's range where it is
// smaller (32-bit platforms). A small gzip stream can hold gigabytes of
// zeros; past the bound it is refused at its header, before it fills the
// memory.
const maxIDX = min(1<<30, math.MaxInt)

// ReadIDXFile reads an IDX file, plain or gzip-compressed: which one is told
// by its first bytes, not its name. Errors name the file and what is wrong.
func ReadIDXFile(path string) (*IDX, error) {
	f, size, err := openSized(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	idx, err := decodeIDX(f, size)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return idx, nil
}

// openSized opens a file and returns its size (-1 if it cannot tell: not
// a regular file).
func openSized(path string) (*os.File, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	var size int64 = -1
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() {
		size = info.Size()
	}
	return f, size, nil
}

// capacity is the most data bytes a file of the given size is taken to
// hold before they are read (-1 for an unknown size): its size, or
// likelyRatio times it compressed. Data beyond it is read as it arrives,
// so that a header of a million images over a megabyte of junk allocates
// about that megabyte, not the 4 GB the header declares.
func (x *idxStream) capacity(size int64) int64 {
	if size < 0 || x.zr == nil {
		return size
	}
	return size * likelyRatio
}

// likelyRatio is how much larger than its gzip file an IDX file's data is
// taken to be, unread: MNIST's images are 4.7 times theirs. A file of data
// compressed more (blank pictures) is read as it arrives, which costs a
// copy of its bytes; deflate's own bound, 1,032 times, would let a made
// header allocate gigabytes.
const likelyRatio = 64

// IsIDX reports whether head, the first bytes of a file, starts an IDX
// file or a gzip stream (which may hold one): two zero bytes, which no
// text begins with, so that DecodeIDX names any type or dimension count
// it cannot read.
func IsIDX(head []byte) bool {
	return isGzip(head) || len(head) >= 2 && head[0] == 0 && head[1] == 0
}

func isGzip(head []byte) bool { return len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b }

// peekGzip reports whether the text in src is gzipped: gzip's two magic
// bytes, or a file of one byte, gzip's first, which no table is (a gzip
// file cut short; gunzip says so).
func peekGzip(src *bufio.Reader) bool {
	head, _ := src.Peek(2)
	return isGzip(head) || len(head) == 1 && head[0] == 0x1f
}

// DecodeIDX reads an IDX array from r, decompressing it first if it is
// gzip. The magic number, the type (unsigned bytes) and the dimensions are
// checked before any large allocation; the data must be exactly as long as
// the dimensions say. A truncated stream is read only as far as it goes.
func DecodeIDX(r io.Reader) (*IDX, error) {
	if r == nil {
		return nil, nilio.ErrNoReader
	}
	return decodeIDX(r, -1)
}

// decodeIDX is DecodeIDX for a stream of the given size (-1: unknown).
// Data within what that size is taken to hold is read into one buffer allocated at
// once; beyond it, or for an unknown size, as it arrives.
func decodeIDX(r io.Reader, size int64) (*IDX, error) {
	x, err := openIDX(r)
	if err != nil {
		return nil, err
	}
	defer x.close()
	data, err := readExactly(x.br, x.total, x.capacity(size))
	if err != nil {
		return nil, x.truncated(len(data), err)
	}
	if err := x.finish(); err != nil {
		return nil, err
	}
	return &IDX{Dims: x.dims, Data: data}, nil
}

// idxStream is an IDX stream whose header has been read.
type idxStream struct {
	br    *bufio.Reader
	zr    *members // nil unless compressed
	dims  []int
	total int // bytes of data the dimensions declare
}

// openIDX reads the header of the IDX array in r, decompressing it first
// if it is gzip, and checks it.
func openIDX(r io.Reader) (*idxStream, error) {
	x := &idxStream{br: bufio.NewReader(r)}
	if head, _ := x.br.Peek(2); isGzip(head) {
		zr, err := gunzip(x.br)
		if err != nil {
			return nil, errors.New(gzipProblem(err))
		}
		x.zr, x.br = zr, bufio.NewReader(zr)
		if head, _ := x.br.Peek(2); isGzip(head) {
			return nil, errors.New("a gzip stream inside a gzip file, compressed twice: gunzip it once")
		}
	}
	var magic [4]byte
	if _, err := io.ReadFull(x.br, magic[:]); err != nil {
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
	x.dims, x.total = make([]int, magic[3]), 1
	for i := range x.dims {
		var d [4]byte
		if _, err := io.ReadFull(x.br, d[:]); err != nil {
			return nil, fmt.Errorf("truncated IDX header: dimension %d of %d is missing (%v)", i+1, len(x.dims), readErr(err))
		}
		dim := binary.BigEndian.Uint32(d[:])
		if uint64(dim) > maxIDX {
			return nil, fmt.Errorf("IDX dimension %d is %d; wiggle reads dimensions up to %d on this platform", i+1, dim, maxIDX)
		}
		x.dims[i] = int(dim)
		if x.dims[i] > 0 && x.total > maxIDX/x.dims[i] {
			return nil, fmt.Errorf("IDX dimensions %v declare more than %d bytes, the most wiggle reads (4 GiB as float32)", x.dims[:i+1], maxIDX)
		}
		x.total *= x.dims[i]
	}
	return x, nil
}

func (x *idxStream) close() {
	if x.zr != nil {
		x.zr.Close()
	}
}

// truncated is the error for data that ended after got bytes.
func (x *idxStream) truncated(got int, err error) error {
	return fmt.Errorf("truncated IDX data: dimensions %v need %d bytes, the file has %d (%v)", x.dims, x.total, got, readErr(err))
}

// finish checks that nothing follows the data, and the gzip checksum.
func (x *idxStream) finish() error {
	extra, err := x.br.Read(make([]byte, 1))
	if extra > 0 {
		return fmt.Errorf("oversized IDX file: bytes follow the %d that dimensions %v need", x.total, x.dims)
	}
	if errors.Is(err, errAfterGzip) {
		return errors.New(gzipProblem(err))
	}
	if err != nil && err != io.EOF {
		return fmt.Errorf("damaged file after the IDX data: %v", err) // a gzip checksum, say
	}
	return nil
}

// readExactly reads n bytes. Within limit (what the stream can hold, -1 if
// unknown) they are read into one buffer; beyond, it allocates as the data
// arrives, in chunks of at most 16 MiB, so a header that promises more than
// the stream holds costs only what the stream holds, and the chunks are
// joined once at the end.
func readExactly(r io.Reader, n int, limit int64) ([]byte, error) {
	const chunk = 16 << 20
	if n <= chunk || int64(n) <= limit {
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
