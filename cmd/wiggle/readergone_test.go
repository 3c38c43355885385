package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"syscall"
	"testing"
)

// closedPipe is an output whose reader has gone: each write fails as a
// write to a closed pipe does.
type closedPipe struct{ err error }

func (p closedPipe) Write([]byte) (int, error) {
	return 0, &os.PathError{Op: "write", Path: "/dev/stdout", Err: p.err}
}

// TestReaderGoneIsQuiet: a command whose output's reader went away (wiggle
// predict | head) ends quietly with 141, as SIGPIPE ends it on Unix; on
// Windows, which has no SIGPIPE, it had printed "write /dev/stdout: The
// pipe is being closed." and exited 1. Other write errors are still told.
func TestReaderGoneIsQuiet(t *testing.T) {
	gone := []error{syscall.EPIPE}
	for _, code := range closedPipeErrors {
		gone = append(gone, code)
	}
	for _, err := range gone {
		var stderr bytes.Buffer
		status := run(context.Background(), []string{"data", "gen", "spiral", "--n", "3000"}, strings.NewReader(""), closedPipe{err}, &stderr)
		if status != exitReaderGone || stderr.Len() != 0 {
			t.Errorf("data gen into a closed pipe (%v): exit %d, %q; want %d and nothing said", err, status, stderr.String(), exitReaderGone)
		}
	}
	var stderr bytes.Buffer
	status := run(context.Background(), []string{"data", "gen", "spiral", "--n", "3000"}, strings.NewReader(""), closedPipe{syscall.ENOSPC}, &stderr)
	if status == exitReaderGone || !strings.Contains(stderr.String(), "/dev/stdout") {
		t.Errorf("data gen onto a full disk: exit %d, %q; want the failure told", status, stderr.String())
	}
}
