package atomicfile

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// openDir opens nothing on Windows, which refuses to sync a folder
// (FlushFileBuffers is denied on a folder's handle): a folder Write cannot
// sync is not refused there (a test's stand-in replaces it).
var openDir = func(string) (*os.File, error) { return nil, nil }

// syncDir does nothing on Windows: the rename is left to NTFS, which
// journals it but may not have it on the disk when Write returns.
func syncDir(*os.File) error {
	return nil
}

// inUse reports whether err is Windows refusing to replace a file another
// program holds open, or one marked read-only (both "access denied"), or
// to move one open without sharing ("sharing violation").
func inUse(err error) bool {
	return errors.Is(err, windows.ERROR_SHARING_VIOLATION) || errors.Is(err, windows.ERROR_ACCESS_DENIED)
}

// keptFromRename reports whether a rename onto the file would be refused
// for good: Windows will not replace a read-only file.
func keptFromRename(info os.FileInfo) bool { return info.Mode().Perm()&0o200 == 0 }

// heldOpen reports whether another program holds the file at path open
// without letting it be deleted (Excel does, with a workbook or a CSV it
// shows): a rename onto it opens it for deletion, which Windows refuses
// then as a sharing violation. The handle opened here to ask is closed at
// once; it shares everything, so it stops no one else.
func heldOpen(path string) bool {
	name, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return false
	}
	h, err := windows.CreateFile(name, windows.DELETE, windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE|windows.FILE_SHARE_DELETE,
		nil, windows.OPEN_EXISTING, windows.FILE_ATTRIBUTE_NORMAL, 0)
	if err != nil {
		return errors.Is(err, windows.ERROR_SHARING_VIOLATION)
	}
	windows.CloseHandle(h)
	return false
}
