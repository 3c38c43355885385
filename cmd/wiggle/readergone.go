package main

import (
	"errors"
	"io/fs"
	"os"
)

// exitReaderGone is the status of a command whose standard output's
// reader went away (wiggle predict | head): what a Unix shell reports of
// a process SIGPIPE ended, which is how such a command ends on Unix.
const exitReaderGone = 141

// readerGone reports whether err is a write to standard output failed
// because the pipe's reader has closed it. On Unix SIGPIPE ends the
// process first; on Windows, which has no SIGPIPE, the write fails.
// Another file's closed pipe (an --out that is a named pipe) is a failure
// to tell: what was to be written there is lost.
func readerGone(err error) bool {
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Op != "write" || pe.Path != os.Stdout.Name() {
		return false
	}
	for _, code := range closedPipeErrors {
		if errors.Is(pe.Err, code) {
			return true
		}
	}
	return false
}
