//go:build !windows

package main

import "syscall"

// machineErrors are the machine's failures outside Windows: no space, a
// quota reached, an input/output error.
var machineErrors = []syscall.Errno{syscall.ENOSPC, syscall.EDQUOT, syscall.EIO}
