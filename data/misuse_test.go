package data

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/wigglenn/wiggle/internal/panictest"
)

// TestMisusePanicsSayingWhat: a caller's mistake with the functions that
// return no error panics with a message that says what is wrong, not a
// runtime error from inside; a nil set splits into nil parts.
func TestMisusePanicsSayingWhat(t *testing.T) {
	ds := Spiral(4, 2, 0.1, rand.New(rand.NewPCG(1, 1))) // 8 rows
	panictest.Saying(t, func() { ds.Rows([]int{0, 9}) }, "data: Rows: row 9 of a set of 8 rows")
	panictest.Saying(t, func() { ds.Rows([]int{-1}) }, "data: Rows: row -1 of a set of 8 rows")
	panictest.Saying(t, func() { ds.Slice(0, 9) }, "data: Slice(0, 9) of a set of 8 rows")
	panictest.Saying(t, func() { GatherRows(nil, ds.X, []int{2, 8}) }, "data: GatherRows: row 8 of a matrix of 8 rows")
	panictest.Saying(t, func() { GatherRows(nil, ds.X, []int{-1}) }, "data: GatherRows: row -1 of a matrix of 8 rows")
	panictest.Saying(t, func() { GatherRows(nil, nil, nil) }, "data: GatherRows from a nil matrix")
	panictest.Saying(t, func() { GatherRows(ds.X, ds.X, []int{1, 0}) }, "data: GatherRows into a matrix that shares src's storage") // row 0 would be row 1's by the time it is read
	panictest.Saying(t, func() { GatherRows(ds.X.RowsView(2, 4), ds.X, []int{0}) }, "shares src's storage")
	panictest.Saying(t, func() { ds.Slice(5, 3) }, "data: Slice(5, 3) of a set of 8 rows")
	panictest.Saying(t, func() { FitStandardizer(nil) }, "FitStandardizer: a nil matrix")
	panictest.Saying(t, func() { (*Dataset)(nil).Rows(nil) }, "data: Rows of a nil set")
	panictest.Saying(t, func() { (*Dataset)(nil).Slice(0, 0) }, "data: Slice of a nil set")
	panictest.Saying(t, func() { Spiral(-1, 3, 0, rand.New(rand.NewPCG(1, 1))) }, "data: Spiral: spiral: -1 points")
	func() {
		defer func() {
			var spec *SpecError
			if err, ok := recover().(error); !ok || !errors.As(err, &spec) {
				t.Errorf("Spiral(-1, ...) panicked with %v; want Generate's *SpecError, wrapped, as its doc says", err)
			}
		}()
		Spiral(-1, 3, 0, rand.New(rand.NewPCG(1, 1)))
	}()
	if tr, va := (*Dataset)(nil).SplitTail(0.2); tr != nil || va != nil {
		t.Errorf("a nil set split into %v and %v, want two nils", tr, va)
	}
	if got := ds.Slice(8, 8).Len(); got != 0 {
		t.Errorf("Slice(8, 8) has %d rows, want 0", got)
	}
}
