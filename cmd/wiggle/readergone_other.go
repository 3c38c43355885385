//go:build !windows

package main

import "syscall"

// closedPipeErrors: EPIPE alone, outside Windows.
var closedPipeErrors []syscall.Errno
