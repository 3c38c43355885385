// Package panictest holds tests to the library's rule for a caller's
// mistakes that have no error to return: a panic with a message that says
// what is wrong, never the runtime's nil dereference or index out of
// range.
package panictest

import (
	"fmt"
	"strings"
	"testing"
)

// Saying runs call and fails t unless it panics with a value whose text
// holds want and that is not a runtime error.
func Saying(t testing.TB, call func(), want string) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if _, runtime := r.(interface{ RuntimeError() }); runtime || r == nil || !strings.Contains(fmt.Sprint(r), want) {
			t.Errorf("recovered %v; want a panic saying %q", r, want)
		}
	}()
	call()
}
