package atomicfile

import (
	"os"

	"golang.org/x/sys/windows"
)

// rename moves from over to, and returns once the move is on the disk
// (MOVEFILE_WRITE_THROUGH). Windows refuses to sync a folder (its
// FlushFileBuffers is denied on a folder's handle), so the move itself is
// written through instead.
func rename(from, to string) error {
	fromW, err := windows.UTF16PtrFromString(from)
	if err != nil {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
	}
	toW, err := windows.UTF16PtrFromString(to)
	if err != nil {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
	}
	if err := windows.MoveFileEx(fromW, toW, windows.MOVEFILE_REPLACE_EXISTING|windows.MOVEFILE_WRITE_THROUGH); err != nil {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
	}
	return nil
}

// syncDir does nothing: rename wrote the move through.
func syncDir(*os.File) error {
	return nil
}
