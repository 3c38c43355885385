// Package float32le writes float32s, and uint32s, as little-endian bytes
// through a buffer of 64 KiB: what safetensors files and the CRCs of data
// and weights are made of, without a second copy of the numbers in memory.
//
// A Writer belongs to one goroutine.
package float32le

import (
	"encoding/binary"
	"io"
	"math"
)

// Writer buffers words for w. Its first write error stops it and is
// Flush's.
type Writer struct {
	w   io.Writer
	buf []byte
	err error
}

// NewWriter returns a Writer to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w, buf: make([]byte, 0, 64<<10)} }

// Floats writes the bits of each value of v.
func (b *Writer) Floats(v []float32) {
	for _, x := range v {
		b.Uint32(math.Float32bits(x))
	}
}

// Uint32 writes v.
func (b *Writer) Uint32(v uint32) {
	if b.buf = binary.LittleEndian.AppendUint32(b.buf, v); len(b.buf) == cap(b.buf) {
		b.Flush()
	}
}

// Flush writes what is buffered and returns the first write error.
func (b *Writer) Flush() error {
	if b.err == nil && len(b.buf) > 0 {
		_, b.err = b.w.Write(b.buf)
	}
	b.buf = b.buf[:0]
	return b.err
}
