// Package tensor holds wiggle's float32 matrices: a batch is a row-major
// [rows, cols] matrix, one example a row, one feature a column.
//
// Shape mistakes inside the engine are a programmer's error: functions here
// panic with a *ShapeError rather than return an error, or, for an index
// outside a matrix (Row, At, RowsView), with an *IndexError.
//
// Concurrency: a Matrix is a plain value: safe to read from many
// goroutines while nobody writes it.
package tensor

import (
	"fmt"
	"math"
	"math/bits"
	"unsafe"

	"github.com/wigglenn/wiggle/internal/hugepages"
)

// Matrix is a row-major float32 matrix: element (i, j) is Data[i*Cols+j].
type Matrix struct {
	Rows, Cols int
	Data       []float32
}

// New returns a zeroed rows×cols matrix. On Linux, the storage of a matrix
// of 4 MiB or more is asked for 2 MiB pages (see internal/hugepages), so
// that reading rows all over it misses the TLB less.
func New(rows, cols int) *Matrix {
	mustBeSize("New", rows, cols)
	return &Matrix{Rows: rows, Cols: cols, Data: hugepages.Floats(rows * cols)}
}

// mustBeSize panics with a *ShapeError, naming op, on a size that is
// negative or whose count of values no int holds (rows·cols would wrap,
// to a matrix of fewer values than it says).
func mustBeSize(op string, rows, cols int) {
	switch {
	case rows < 0 || cols < 0:
		panic(&ShapeError{Op: op, Detail: fmt.Sprintf("negative size %d×%d", rows, cols)})
	case cols > 0 && rows > math.MaxInt/cols:
		panic(&ShapeError{Op: op, Detail: fmt.Sprintf("size %d×%d: more values than an int counts", rows, cols)})
	}
}

// FromRows copies equal-length rows into a new matrix.
func FromRows(rows [][]float32) *Matrix {
	if len(rows) == 0 {
		return New(0, 0)
	}
	m := New(len(rows), len(rows[0]))
	for i, r := range rows {
		if len(r) != m.Cols {
			panic(&ShapeError{Op: "FromRows", Detail: fmt.Sprintf("row %d has %d values, row 0 has %d", i, len(r), m.Cols)})
		}
		copy(m.Row(i), r)
	}
	return m
}

// Row returns row i, sharing storage with m. It panics with an *IndexError
// where i is outside [0, Rows).
func (m *Matrix) Row(i int) []float32 {
	if uint(i) >= uint(m.Rows) {
		panic(&IndexError{Op: "Row", I: i, J: -1, Rows: m.Rows, Cols: m.Cols})
	}
	start := i * m.Cols
	return m.Data[start : start+m.Cols]
}

// At returns element (i, j). It panics with an *IndexError where (i, j)
// lies outside the matrix (a column past Cols would read the next row's).
func (m *Matrix) At(i, j int) float32 {
	if uint(i) >= uint(m.Rows) || uint(j) >= uint(m.Cols) {
		panic(&IndexError{Op: "At", I: i, J: j, Rows: m.Rows, Cols: m.Cols})
	}
	return m.Data[i*m.Cols+j]
}

// IndexError reports an index outside a matrix: row I of Row, element
// (I, J) of At, rows [I, J) of RowsView. Its text is made only when read,
// so that Row and At stay small enough to inline (the narrow layers call
// Row for each row).
type IndexError struct {
	Op         string
	I, J       int // J is -1 for Row
	Rows, Cols int // the matrix's shape
}

func (e *IndexError) Error() string {
	var at string
	switch e.Op {
	case "Row":
		at = fmt.Sprintf("row %d", e.I)
	case "At":
		at = fmt.Sprintf("element (%d, %d)", e.I, e.J)
	default:
		at = fmt.Sprintf("rows [%d, %d)", e.I, e.J)
	}
	return fmt.Sprintf("tensor: %s: %s of %d×%d", e.Op, at, e.Rows, e.Cols)
}

// Reshape makes m rows×cols, reusing its storage when it is large enough, and
// returns m. The contents are unspecified afterwards; a nil m gets a new
// matrix. It keeps one buffer across batches (a Replica's layers' outputs;
// a network's own use ReshapeKept).
func (m *Matrix) Reshape(rows, cols int) *Matrix {
	mustBeSize("Reshape", rows, cols)
	if m == nil {
		return New(rows, cols)
	}
	n := rows * cols
	if cap(m.Data) < n {
		m.Data = hugepages.Floats(n)
	}
	m.Rows, m.Cols, m.Data = rows, cols, m.Data[:n]
	return m
}

// ReshapeKept is Reshape for a buffer kept as long as its owner lives: a
// network's outputs and gradients, a trainer's batch. A nil m, or one
// without storage, gets storage cut from the slabs of 2 MiB pages that a
// network's parameters share (on Linux, where internal/hugepages.Carve
// cuts slabs), already backed, so that a training's first step does not
// fault its buffers in a 4 KiB page at a time. That storage stays in
// memory while anything else cut from its slab does, so a buffer made
// afresh for each call belongs in Reshape. Storage grown later is
// Reshape's.
func (m *Matrix) ReshapeKept(rows, cols int) *Matrix {
	if m != nil && cap(m.Data) > 0 {
		return m.Reshape(rows, cols)
	}
	mustBeSize("ReshapeKept", rows, cols)
	if m == nil {
		m = &Matrix{}
	}
	m.Rows, m.Cols, m.Data = rows, cols, hugepages.Carve(rows*cols)
	return m
}

// RowsView returns rows [from, to) of m as a matrix that shares m's
// storage: writing it writes m. Its capacity ends at row to, so reshaping
// it larger never reaches the rows after. A nil m gives nil. It panics
// with an *IndexError unless 0 <= from <= to <= Rows.
func (m *Matrix) RowsView(from, to int) *Matrix {
	if m == nil {
		return nil
	}
	if from < 0 || from > to || to > m.Rows {
		panic(&IndexError{Op: "RowsView", I: from, J: to, Rows: m.Rows, Cols: m.Cols})
	}
	return &Matrix{Rows: to - from, Cols: m.Cols, Data: m.Data[from*m.Cols : to*m.Cols : to*m.Cols]}
}

// Zero sets every element to 0.
func (m *Matrix) Zero() {
	if m != nil {
		clear(m.Data)
	}
}

// Clone returns a deep copy; of a nil m, nil.
func (m *Matrix) Clone() *Matrix {
	if m == nil {
		return nil
	}
	return &Matrix{Rows: m.Rows, Cols: m.Cols, Data: append([]float32(nil), m.Data...)}
}

// ShapeError reports matrices whose shapes do not fit an operation.
type ShapeError struct {
	Op     string
	Detail string
}

func (e *ShapeError) Error() string { return "tensor: " + e.Op + ": " + e.Detail }

// Share reports whether a and b hold storage in common, the capacity that
// a Reshape of a would reuse counted: one a view of the other, or the same
// matrix. A kernel that writes one while reading the other would read what
// it had written. A nil matrix, or one without storage, shares none.
func Share(a, b *Matrix) bool {
	if a == nil || b == nil || cap(a.Data) == 0 || cap(b.Data) == 0 {
		return false
	}
	const size = unsafe.Sizeof(float32(0))
	a0, b0 := uintptr(unsafe.Pointer(unsafe.SliceData(a.Data))), uintptr(unsafe.Pointer(unsafe.SliceData(b.Data)))
	return a0 < b0+uintptr(cap(b.Data))*size && b0 < a0+uintptr(cap(a.Data))*size
}

// MustMatch panics with a *ShapeError unless a and b are whole (see
// MustBeWhole) and have the same shape.
func MustMatch(op string, a, b *Matrix) {
	MustBeWhole(op, a)
	MustBeWhole(op, b)
	if a.Rows != b.Rows || a.Cols != b.Cols {
		panic(&ShapeError{Op: op, Detail: fmt.Sprintf("%d×%d against %d×%d", a.Rows, a.Cols, b.Rows, b.Cols)})
	}
}

// MustBeWhole panics with a *ShapeError unless m is a matrix (not nil)
// whose Data holds exactly its Rows×Cols values, as New, Reshape and
// RowsView make them: a Matrix written as a literal may claim more than it
// holds, and the kernels would read past its end.
func MustBeWhole(op string, m *Matrix) {
	if err := CheckWhole(op, m); err != nil {
		panic(err)
	}
}

// CheckWhole is MustBeWhole for a caller that returns errors: the
// *ShapeError MustBeWhole would panic with, or nil.
func CheckWhole(op string, m *Matrix) error {
	switch {
	case m == nil:
		return &ShapeError{Op: op, Detail: "a nil matrix"}
	case m.Rows < 0 || m.Cols < 0:
		return &ShapeError{Op: op, Detail: fmt.Sprintf("negative size %d×%d", m.Rows, m.Cols)}
	case !holds(m.Data, m.Rows, m.Cols):
		return &ShapeError{Op: op, Detail: fmt.Sprintf("a %d×%d matrix holds %d values", m.Rows, m.Cols, len(m.Data))}
	}
	return nil
}

// holds reports whether data is rows×cols values long, sizes not negative,
// where the product of the sizes may lie past int.
func holds(data []float32, rows, cols int) bool {
	hi, lo := bits.Mul64(uint64(rows), uint64(cols))
	return hi == 0 && lo == uint64(len(data))
}
