package model

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/engine"
	"github.com/wigglenn/wiggle/tensor"
)

// doneAfter is a context whose Err turns to Canceled after its first n
// calls: it says when a call looks at its context.
type doneAfter struct {
	context.Context
	n, calls atomic.Int64
}

func newDoneAfter(n int64) *doneAfter {
	c := &doneAfter{Context: context.Background()}
	c.n.Store(n)
	return c
}

func (c *doneAfter) Err() error {
	if c.calls.Add(1) > c.n.Load() {
		return context.Canceled
	}
	return nil
}

// callResult is what a call returned: its error, and whether it returned
// results.
type callResult struct {
	err     error
	results bool
}

// contextCalls runs each call that takes a context, each with a context of
// its own from ctx, on rows (and Evaluate on ds, the same rows), and
// returns what each gave back.
func contextCalls(m *Model, ctx func() context.Context, rows [][]float32, ds *data.Dataset) map[string]callResult {
	out := map[string]callResult{}
	v, err := m.PredictContext(ctx(), rows)
	out["PredictContext"] = callResult{err, v != nil}
	l, err := m.ClassifyContext(ctx(), rows)
	out["ClassifyContext"] = callResult{err, l != nil}
	v, l, err = m.PredictClassifyContext(ctx(), rows)
	out["PredictClassifyContext"] = callResult{err, v != nil || l != nil}
	ev, err := m.EvaluateContext(ctx(), ds)
	out["EvaluateContext"] = callResult{err, ev.Rows != 0}
	return out
}

// TestCallsStopWithTheirContext: each call that takes a context returns its
// error and no results when it is done before the call, when it is done
// after two looks (the first chunk of each half, where the call goes in
// two; the first two chunks on one goroutine: so a look only once a half
// fails), and on a deadline; a nil context is an error; a context that is
// never done changes no result. The halves need the engine's helper (a
// second thread): on one core the second pass takes the one path again.
func TestCallsStopWithTheirContext(t *testing.T) {
	f, raw := trained(t, "softmax")
	m := serveOrFail(t, f)
	rows := slices.Repeat(raw, 1000/len(raw)+1)[:1000] // four chunks of 256 rows, two in each half
	x := tensor.New(len(rows), len(rows[0]))
	for i, r := range rows {
		copy(x.Row(i), r)
	}
	ds := &data.Dataset{X: x, Labels: make([]int, len(rows))}

	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	late, stop := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer stop()
	for _, awake := range []bool{false, true} {
		if awake {
			defer engine.KeepHelperAwake()()
		}
		for _, c := range []struct {
			name string
			ctx  func() context.Context
			want error
		}{
			{"cancelled before", func() context.Context { return cancelled }, context.Canceled},
			{"past its deadline", func() context.Context { return late }, context.DeadlineExceeded},
			{"done after two looks", func() context.Context { return newDoneAfter(2) }, context.Canceled},
		} {
			for call, got := range contextCalls(m, c.ctx, rows, ds) {
				if !errors.Is(got.err, c.want) || got.results {
					t.Errorf("helper awake %v, %s: %s returned %v (results: %v); want %v and none", awake, c.name, call, got.err, got.results, c.want)
				}
			}
		}
		for call, got := range contextCalls(m, func() context.Context { return nil }, rows, ds) {
			if !errors.Is(got.err, errNoContext) || got.results {
				t.Errorf("helper awake %v: %s of a nil context returned %v (results: %v); want %v", awake, call, got.err, got.results, errNoContext)
			}
		}
		never := newDoneAfter(1 << 40)
		values, err := m.PredictContext(never, rows)
		plain, _ := m.Predict(rows)
		if err != nil || !slices.EqualFunc(values, plain, slices.Equal) {
			t.Errorf("helper awake %v: PredictContext of a context never done: %v, or other values than Predict's", awake, err)
		}
		if n := never.calls.Load(); n < 4 {
			t.Errorf("helper awake %v: PredictContext of 1,000 rows looked at its context %d times; want once a chunk of 256 (4)", awake, n)
		}
		ev, err := m.EvaluateContext(never, ds)
		plainEv, _ := m.Evaluate(ds)
		if err != nil || ev.Loss != plainEv.Loss || *ev.Accuracy != *plainEv.Accuracy {
			t.Errorf("helper awake %v: EvaluateContext of a context never done: %v, %+v; Evaluate %+v", awake, err, ev, plainEv)
		}
	}
}
