package main

import (
	"errors"
	"syscall"
)

// exitReaderGone is the status of a command whose output's reader went
// away (wiggle predict | head): what a Unix shell reports of a process
// SIGPIPE ended, which is how such a command ends on Unix.
const exitReaderGone = 141

// readerGone reports whether err is a write to a pipe whose reader has
// closed it: on Unix EPIPE (where the process writes it to a descriptor
// other than standard output; there SIGPIPE ends the process first), on
// Windows, which has no SIGPIPE, the errors of a closed pipe.
func readerGone(err error) bool {
	if errors.Is(err, syscall.EPIPE) {
		return true
	}
	for _, code := range closedPipeErrors {
		if errors.Is(err, code) {
			return true
		}
	}
	return false
}
