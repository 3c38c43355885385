package panictest

import (
	"testing"
)

// recorder is a testing.TB that keeps whether it failed.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.failed = true }

// TestSaying: a panic holding the words passes; no panic, other words and
// a runtime error fail.
func TestSaying(t *testing.T) {
	var nilMap map[string]int
	for _, c := range []struct {
		name  string
		call  func()
		fails bool
	}{
		{"the words", func() { panic("nn: a nil layer") }, false},
		{"no panic", func() {}, true},
		{"other words", func() { panic("something else") }, true},
		{"a runtime error", func() { nilMap["nil layer"]++ }, true},
	} {
		r := &recorder{TB: t}
		Saying(r, c.call, "nil layer")
		if r.failed != c.fails {
			t.Errorf("%s: failed %v, want %v", c.name, r.failed, c.fails)
		}
	}
}
