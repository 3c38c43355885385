package tensor

import (
	"errors"
	"testing"
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
