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
type closedPipe struct {
	path string
	err  error
}

func (p closedPipe) Write([]byte) (int, error) {
	return 0, &os.PathError{Op: "write", Path: p.path, Err: p.err}
}

// TestReaderGoneIsQuiet: a command whose output's reader went away (wiggle
// predict | head) ends quietly with 141, as SIGPIPE ends it on Unix; on
// Windows, which has no SIGPIPE, it had printed "write /dev/stdout: The
// pipe is being closed." and exited 1. Other write errors are still told,
// and so is a closed pipe that is not standard output (an --out that is a
// named pipe: what was to be written there is lost).
func TestReaderGoneIsQuiet(t *testing.T) {
	for _, err := range closedPipeErrors {
		var stderr bytes.Buffer
		status := run(context.Background(), []string{"data", "gen", "spiral", "--n", "3000"}, strings.NewReader(""), closedPipe{os.Stdout.Name(), err}, &stderr)
		if status != exitReaderGone || stderr.Len() != 0 {
			t.Errorf("data gen into a closed pipe (%v): exit %d, %q; want %d and nothing said", err, status, stderr.String(), exitReaderGone)
		}
	}
	for _, out := range []closedPipe{{os.Stdout.Name(), syscall.ENOSPC}, {"model.fifo", syscall.EPIPE}} {
		var stderr bytes.Buffer
		status := run(context.Background(), []string{"data", "gen", "spiral", "--n", "3000"}, strings.NewReader(""), out, &stderr)
		if status == exitReaderGone || !strings.Contains(stderr.String(), out.path) {
			t.Errorf("data gen into %s failing with %v: exit %d, %q; want the failure told", out.path, out.err, status, stderr.String())
		}
	}
}
