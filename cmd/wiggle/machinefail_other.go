//go:build !windows

package main

import "syscall"

// machineErrors are the machine's failures outside Windows: no space, a
// quota reached, an input/output error.
var machineErrors = []syscall.Errno{syscall.ENOSPC, syscall.EDQUOT, syscall.EIO}

// heldByAnother reports false: outside Windows a file another program has
// open can still be opened.
func heldByAnother(error) bool { return false }
