package float32le

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"testing"
)

// TestWriterWritesLittleEndianWords: across the buffer's edge (more than
// 64 KiB of words), the bytes are binary.LittleEndian's, in order.
func TestWriterWritesLittleEndianWords(t *testing.T) {
	v := make([]float32, 40_000)
	for i := range v {
		v[i] = float32(i) * -0.37
	}
	v[3] = float32(math.Inf(1))
	var got, want bytes.Buffer
	w := NewWriter(&got)
	w.Floats(v)
	w.Uint32(7)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	for _, x := range v {
		binary.Write(&want, binary.LittleEndian, x)
	}
	binary.Write(&want, binary.LittleEndian, uint32(7))
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Errorf("wrote %d bytes unlike binary.LittleEndian's %d", got.Len(), want.Len())
	}
}

type failing struct{ calls int }

func (f *failing) Write(p []byte) (int, error) { f.calls++; return 0, errors.New("disk full") }

// TestWriterKeepsTheFirstError: a write that fails stops the Writer, and
// Flush returns its error.
func TestWriterKeepsTheFirstError(t *testing.T) {
	f := &failing{}
	w := NewWriter(f)
	w.Floats(make([]float32, 50_000)) // past one buffer: a write, which fails
	if err := w.Flush(); err == nil || err.Error() != "disk full" || f.calls != 1 {
		t.Errorf("Flush: %v after %d writes; want the first error, and no write after it", err, f.calls)
	}
}
