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
