package main

import (
	"context"
	"io/fs"
	"strings"
	"testing"
)

// fullDisk is standard output on a disk that has filled (ENOSPC, or
// Windows's ERROR_DISK_FULL).
type fullDisk struct{}

func (fullDisk) Write([]byte) (int, error) {
	return 0, &fs.PathError{Op: "write", Path: "/dev/stdout", Err: machineErrors[0]}
}

// TestFullDiskExitsOne: a disk that fills is the machine's failure, exit 1
// with no hint at usage, wherever the command meets it: completion's
// script exited 2, as a bad flag does, as did a lab whose plots filled it.
func TestFullDiskExitsOne(t *testing.T) {
	for _, args := range [][]string{{"completion", "bash"}, {"act", "list"}} {
		var stderr strings.Builder
		status := run(context.Background(), args, strings.NewReader(""), fullDisk{}, &stderr)
		if status != 1 || strings.Contains(stderr.String(), "--help") {
			t.Errorf("%s onto a full disk: exit %d, %q; want 1 without a usage hint", strings.Join(args, " "), status, stderr.String())
		}
	}
}
