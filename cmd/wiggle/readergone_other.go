//go:build !windows

package main

import "syscall"

// closedPipeErrors is a pipe's error for a reader gone: EPIPE, outside
// Windows.
var closedPipeErrors = []syscall.Errno{syscall.EPIPE}
