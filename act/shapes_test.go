package act

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestShortSlicesPanicBeforeWriting: every Func of the catalogue, and the
// functions over rows, panic with a message on a slice shorter than its
// input, and write nothing, even where the short slice lies within a
// longer array whose rest would take the writes silently.
func TestShortSlicesPanicBeforeWriting(t *testing.T) {
	x := []float32{3, 2, 1, 0.5, 0, -0.5, -1, -2} // positive first: a write to the short half is never f′·dOut = 0
	n := len(x)
	for _, name := range Names() {
		f := MustNew(name)
		y := make([]float32, n)
		f.Forward(y, x)
		calls := map[string]func(short []float32){
			"Forward":          func(s []float32) { f.Forward(s, x) },
			"Backward dX":      func(s []float32) { f.Backward(s, slices.Clone(x), x, y) },
			"Backward dOut":    func(s []float32) { f.Backward(make([]float32, n), s, x, y) },
			"Derivative":       func(s []float32) { Derivative(s, f, x, y) },
			"SoftmaxRow":       func(s []float32) { SoftmaxRow(s, x, 1) },
			"Softmax":          func(s []float32) { Softmax(s, x, 4) },
			"SoftmaxBackward":  func(s []float32) { SoftmaxBackward(s, x, y, 4) },
			"LogSoftmaxBackwd": func(s []float32) { LogSoftmaxBackward(make([]float32, n), s, y, 4) },
		}
		if e, ok := f.(*elementwise); ok && e.backward == nil && e.backwardY != nil { // the functions whose Backward reads y
			calls["Backward y"] = func(s []float32) { f.Backward(make([]float32, n), slices.Clone(x), x, s) }
		}
		if sl, ok := f.(SlopeLearner); ok {
			calls["SlopeGrad"] = func(s []float32) { sl.SlopeGrad(s, x) }
		}
		// −0 as well as 42: step′ is 0 everywhere, and only −0 + 0 = +0
		// shows its Backward adding to dX.
		for what, call := range calls {
			for _, untouched := range []float32{42, float32(math.Copysign(0, -1))} {
				backing := slices.Repeat([]float32{untouched}, 2*n)
				short := backing[:n/2]
				r := panicOf(func() { call(short) })
				if r == nil || !strings.HasPrefix(fmt.Sprint(r), "act: ") {
					t.Errorf("%s %s of a short slice: recovered %v; want a panic from act", name, what, r)
				}
				if slices.ContainsFunc(backing, func(v float32) bool { return math.Float32bits(v) != math.Float32bits(untouched) }) {
					t.Errorf("%s %s wrote %v before it panicked", name, what, backing)
				}
			}
		}
	}
}

// TestSoftmaxBackwardOfNoColumns: a backward pass of rows of 0 columns is
// refused, not a loop that never ends.
func TestSoftmaxBackwardOfNoColumns(t *testing.T) {
	for name, f := range map[string]func(dX, dOut, y []float32, cols int){"SoftmaxBackward": SoftmaxBackward, "LogSoftmaxBackward": LogSoftmaxBackward} {
		for _, cols := range []int{0, -1, 3} {
			done := make(chan any, 1)
			go func() {
				done <- panicOf(func() { f(make([]float32, 4), make([]float32, 4), make([]float32, 4), cols) })
			}()
			select {
			case r := <-done:
				if r == nil {
					t.Errorf("%s with cols %d over 4 values: no panic", name, cols)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("%s with cols %d did not return", name, cols)
			}
		}
	}
}

// panicOf runs f and returns what it panicked with, nil where it did not.
func panicOf(f func()) (r any) {
	defer func() { r = recover() }()
	f()
	return nil
}

// TestNilFuncPanicsSayingSo: Eval and Derivative of a nil Func panic
// saying what is wrong, not with a nil dereference.
func TestNilFuncPanicsSayingSo(t *testing.T) {
	for name, call := range map[string]func(){
		"Eval":       func() { Eval(nil, []float32{1}) },
		"Derivative": func() { Derivative(make([]float32, 1), nil, []float32{1}, []float32{1}) },
	} {
		func() {
			defer func() {
				msg := fmt.Sprint(recover())
				if want := "act: " + name + ": a nil Func"; !strings.HasPrefix(msg, want) {
					t.Errorf("%s(nil): panicked with %q, want a message starting %q", name, msg, want)
				}
			}()
			call()
		}()
	}
}
