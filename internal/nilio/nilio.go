// Package nilio holds the errors that wiggle's readers and writers return
// for a nil io.Reader or io.Writer, one text in every package: a caller's
// mistake, reported rather than panicked on.
package nilio

import "errors"

// The errors of a nil io.Reader or io.Writer given where one is read or
// written.
var (
	ErrNoReader = errors.New("no reader (a nil io.Reader)")
	ErrNoWriter = errors.New("no writer (a nil io.Writer)")
)
