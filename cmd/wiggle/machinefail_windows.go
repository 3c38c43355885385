package main

import (
	"errors"
	"syscall"

	"golang.org/x/sys/windows"
)

// machineErrors are Windows's words for the machine's failures: "There
// is not enough space on the disk", "Reached the end of the file" of a
// full disk's handle, "The request could not be performed because of an
// I/O device error", "Disk quota was exceeded".
var machineErrors = []syscall.Errno{windows.ERROR_DISK_FULL, windows.ERROR_HANDLE_DISK_FULL, windows.ERROR_IO_DEVICE, windows.ERROR_DISK_QUOTA_EXCEEDED}

// heldByAnother reports whether err is Windows refusing to open a file
// another program holds open and shares with none (a sharing or lock
// violation).
func heldByAnother(err error) bool {
	return errors.Is(err, windows.ERROR_SHARING_VIOLATION) || errors.Is(err, windows.ERROR_LOCK_VIOLATION)
}
