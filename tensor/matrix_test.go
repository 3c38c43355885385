package tensor

import (
	"errors"
	"fmt"
	"math/bits"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/wigglenn/wiggle/internal/hugepages/hugepagestest"
)

func TestReshapeReusesStorage(t *testing.T) {
	m := New(4, 4)
	data := &m.Data[0]
	m.Reshape(2, 3)
	if m.Rows != 2 || m.Cols != 3 || len(m.Data) != 6 || &m.Data[0] != data {
		t.Errorf("Reshape(2, 3) gave %d×%d len %d, new storage %v", m.Rows, m.Cols, len(m.Data), &m.Data[0] != data)
	}
	m.Reshape(5, 5)
	if len(m.Data) != 25 {
		t.Errorf("Reshape(5, 5) gave len %d", len(m.Data))
	}
	var nilM *Matrix
	if got := nilM.Reshape(2, 2); got.Rows != 2 || len(got.Data) != 4 {
		t.Errorf("nil Reshape gave %+v", got)
	}
}

// TestReshapeKept: a kept buffer's first storage is carved from the huge
// pages' slabs (where Carve cuts slabs); after that it reshapes as Reshape
// does, reusing storage large enough and growing it otherwise; a matrix
// without storage gets it, and a negative size panics with a *ShapeError.
func TestReshapeKept(t *testing.T) {
	for _, c := range []struct {
		name       string
		start      func() *Matrix
		rows, cols int
	}{
		{"nil", func() *Matrix { return nil }, 3, 5},
		{"no storage", func() *Matrix { return &Matrix{} }, 2, 7},
		{"a long row", func() *Matrix { return nil }, 1, 1000},
		{"zero rows", func() *Matrix { return nil }, 0, 4},
	} {
		var m *Matrix
		carved := hugepagestest.CarvedDuring(t, func() []unsafe.Pointer {
			m = c.start().ReshapeKept(c.rows, c.cols)
			return []unsafe.Pointer{unsafe.Pointer(unsafe.SliceData(m.Data))}
		})
		n := c.rows * c.cols
		if m.Rows != c.rows || m.Cols != c.cols || len(m.Data) != n || cap(m.Data) != n {
			t.Errorf("%s: ReshapeKept(%d, %d) gave %d×%d, len %d, cap %d", c.name, c.rows, c.cols, m.Rows, m.Cols, len(m.Data), cap(m.Data))
		}
		if carved != nil && n > 0 && !carved[0] {
			t.Errorf("%s: ReshapeKept(%d, %d): storage not carved", c.name, c.rows, c.cols)
		}
		for i, v := range m.Data {
			if v != 0 {
				t.Fatalf("%s: element %d is %v, want 0", c.name, i, v)
			}
		}
		if n > 0 {
			first := &m.Data[0]
			if m.ReshapeKept(1, 1); m.Rows != 1 || m.Cols != 1 || len(m.Data) != 1 || &m.Data[0] != first {
				t.Errorf("%s: ReshapeKept(1, 1) after: %d×%d len %d, the same storage %v; want 1×1 in it", c.name, m.Rows, m.Cols, len(m.Data), &m.Data[0] == first)
			}
		}
		var g Matrix
		grown := hugepagestest.CarvedDuring(t, func() []unsafe.Pointer {
			g = *m
			g.ReshapeKept(n+1, 1)
			return []unsafe.Pointer{unsafe.Pointer(&g.Data[0])}
		})
		if len(g.Data) != n+1 || grown != nil && n > 0 && grown[0] {
			t.Errorf("%s: ReshapeKept(%d, 1), growing it: len %d, carved %v; want Reshape's new storage", c.name, n+1, len(g.Data), grown)
		}
	}
	defer func() {
		if _, ok := recover().(*ShapeError); !ok {
			t.Error("ReshapeKept(-1, 3) did not panic with a *ShapeError")
		}
	}()
	(*Matrix)(nil).ReshapeKept(-1, 3)
}

func TestShapeErrors(t *testing.T) {
	defer func() {
		r := recover()
		var se *ShapeError
		if err, ok := r.(error); !ok || !errors.As(err, &se) {
			t.Errorf("FromRows of ragged rows panicked with %v, want a *ShapeError", r)
		}
	}()
	FromRows([][]float32{{1, 2}, {3}})
}

// TestRowsView checks that a view shares its rows and cannot grow into
// the rows after it.
// TestShare: matrices share storage when one is the other or a view of
// it, or their capacities meet; not when they only lie side by side.
func TestShare(t *testing.T) {
	m := New(4, 3)
	top, bottom := m.RowsView(0, 2), m.RowsView(2, 4)
	for _, c := range []struct {
		name string
		a, b *Matrix
		want bool
	}{
		{"itself", m, m, true},
		{"a view of it", m, bottom, true},
		{"two views that meet", m.RowsView(0, 3), m.RowsView(2, 4), true},
		{"two views side by side", top, bottom, false},
		{"another matrix", m, New(4, 3), false},
		{"a copy", m, m.Clone(), false},
		{"nil", m, nil, false},
		{"no storage", &Matrix{}, m, false},
	} {
		if got := Share(c.a, c.b); got != c.want || Share(c.b, c.a) != c.want {
			t.Errorf("%s: Share %v, want %v", c.name, got, c.want)
		}
	}
}

func TestRowsView(t *testing.T) {
	m := New(4, 2)
	for i := range m.Data {
		m.Data[i] = float32(i)
	}
	v := m.RowsView(1, 3)
	if v.Rows != 2 || v.At(0, 0) != 2 || v.At(1, 1) != 5 {
		t.Fatalf("rows 1 to 3 of %v: %+v", m.Data, v)
	}
	v.Data[0] = -1
	if m.At(1, 0) != -1 {
		t.Error("the view does not share the matrix's storage")
	}
	_ = append(v.Data, -7) // room past row 3 would take the -7 into m
	if m.At(3, 0) != 6 || cap(v.Data) != 4 {
		t.Errorf("the view reaches past its rows: cap %d, row 3 now %v", cap(v.Data), m.Row(3))
	}
	if (*Matrix)(nil).RowsView(0, 1) != nil {
		t.Error("a view of nil is not nil")
	}
}

// TestMustBeWhole checks that a nil matrix, a negative size and Data of
// another length than Rows×Cols panic with a *ShapeError naming them,
// and that whole matrices, views and empty ones pass.
func TestMustBeWhole(t *testing.T) {
	big := New(4, 3)
	whole := []*Matrix{New(2, 3), New(0, 5), New(5, 0), big.RowsView(1, 3), {Rows: 0, Cols: 0}}
	for _, m := range whole {
		MustBeWhole("test", m) // a panic fails the test
	}
	broken := []struct {
		name string
		m    *Matrix
		want string
	}{
		{"nil", nil, "nil matrix"},
		{"short", &Matrix{Rows: 2, Cols: 3, Data: make([]float32, 5)}, "2×3 matrix holds 5 values"},
		{"long", &Matrix{Rows: 2, Cols: 3, Data: make([]float32, 7)}, "2×3 matrix holds 7 values"},
		{"rows without data", &Matrix{Rows: 3, Cols: 2}, "3×2 matrix holds 0 values"},
		{"negative", &Matrix{Rows: -1, Cols: 3}, "negative size -1×3"},
		{"product past int", &Matrix{Rows: 1<<(strconv.IntSize-2) + 1, Cols: 4, Data: make([]float32, 4)}, "matrix holds 4 values"}, // Rows·Cols wraps to 4
	}
	for _, c := range broken {
		t.Run(c.name, func(t *testing.T) {
			err := shapePanic(func() { MustBeWhole("test", c.m) })
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "test") {
				t.Errorf("MustBeWhole panicked with %v, want a *ShapeError saying %q", err, c.want)
			}
			if err := shapePanic(func() { MustMatch("test", New(2, 3), c.m) }); err == nil || err.Op != "test" || !strings.Contains(err.Detail, c.want) {
				t.Errorf("MustMatch panicked with %v, want a *ShapeError saying %q", err, c.want)
			}
		})
	}
}

// shapePanic runs f and returns the *ShapeError it panicked with, nil
// where it did not panic; another panic fails the caller through a
// non-ShapeError value.
func shapePanic(f func()) (err *ShapeError) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		se, ok := r.(*ShapeError)
		if !ok {
			se = &ShapeError{Op: "not a ShapeError", Detail: fmt.Sprint(r)}
		}
		err = se
	}()
	f()
	return nil
}

// TestIndexOutsidePanicsWithIndexError: Row, At and RowsView outside the
// matrix panic with an *IndexError naming the index and the shape, where
// At(0, Cols) had quietly read the next row's first element.
func TestIndexOutsidePanicsWithIndexError(t *testing.T) {
	m := FromRows([][]float32{{1, 2, 3}, {4, 5, 6}})
	for _, c := range []struct {
		call func()
		want string
	}{
		{func() { m.At(0, 3) }, "tensor: At: element (0, 3) of 2×3"},
		{func() { m.At(2, 0) }, "tensor: At: element (2, 0) of 2×3"},
		{func() { m.At(-1, 0) }, "tensor: At: element (-1, 0) of 2×3"},
		{func() { m.Row(2) }, "tensor: Row: row 2 of 2×3"},
		{func() { m.Row(-1) }, "tensor: Row: row -1 of 2×3"},
		{func() { m.RowsView(1, 3) }, "tensor: RowsView: rows [1, 3) of 2×3"},
		{func() { m.RowsView(2, 1) }, "tensor: RowsView: rows [2, 1) of 2×3"},
	} {
		func() {
			defer func() {
				r := recover()
				var ie *IndexError
				if err, ok := r.(error); !ok || !errors.As(err, &ie) || err.Error() != c.want {
					t.Errorf("recovered %v; want an *IndexError saying %q", r, c.want)
				}
			}()
			c.call()
		}()
	}
	if m.At(1, 2) != 6 || m.Row(1)[0] != 4 || m.RowsView(2, 2).Rows != 0 {
		t.Errorf("inside the matrix: At(1, 2) %v, Row(1) %v, RowsView(2, 2) %v rows; want 6, [4 5 6], 0", m.At(1, 2), m.Row(1), m.RowsView(2, 2).Rows)
	}
}

// TestRowAndAtInline: the compiler inlines Row and At, which per-row loops
// call (a narrow PReLU layer's passes took twice as long when a bounds
// check's formatted panic made Row a call).
func TestRowAndAtInline(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command here to ask the compiler:", err)
	}
	out, err := exec.Command("go", "build", "-gcflags=-m", "-o", os.DevNull, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build -gcflags=-m: %v\n%s", err, out)
	}
	for _, method := range []string{"Row", "At", "RowsView"} {
		if !strings.Contains(string(out), "can inline (*Matrix)."+method+"\n") {
			t.Errorf("(*Matrix).%s is not inlined; the compiler says:\n%s", method, out)
		}
	}
}

// TestSizesNoIntCounts: a size whose count of values overflows an int
// panics with a *ShapeError in New, Reshape and ReshapeKept, where it had
// wrapped to a matrix of no values that said it held 2^64.
func TestSizesNoIntCounts(t *testing.T) {
	huge := 1 << (bits.UintSize / 2) // huge² wraps: 2^64 (2^32 on 386)
	for name, f := range map[string]func(){
		"New":         func() { New(huge, huge) },
		"Reshape":     func() { New(1, 1).Reshape(huge, huge) },
		"ReshapeKept": func() { (*Matrix)(nil).ReshapeKept(huge, huge) },
	} {
		func() {
			defer func() {
				e, ok := recover().(*ShapeError)
				if !ok || !strings.Contains(e.Error(), "more values than an int counts") {
					t.Errorf("%s(2^32, 2^32): recovered %v; want a *ShapeError saying so", name, e)
				}
			}()
			f()
		}()
	}
}

// TestNilMatrixCloneAndZero: Clone of a nil matrix is nil and Zero of one
// does nothing, where both panicked.
func TestNilMatrixCloneAndZero(t *testing.T) {
	var m *Matrix
	m.Zero()
	if m.Clone() != nil {
		t.Error("Clone of a nil matrix is not nil")
	}
}
