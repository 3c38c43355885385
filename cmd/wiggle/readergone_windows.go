package main

import (
	"syscall"

	"golang.org/x/sys/windows"
)

// closedPipeErrors are Windows's words for a pipe whose reader has gone:
// "The pipe is being closed", "No process is on the other end of the
// pipe", "The pipe has been ended".
var closedPipeErrors = []syscall.Errno{windows.ERROR_NO_DATA, windows.ERROR_PIPE_NOT_CONNECTED, windows.ERROR_BROKEN_PIPE}
