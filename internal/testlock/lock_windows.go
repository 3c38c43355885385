package testlock

import (
	"os"

	"golang.org/x/sys/windows"
)

// lock takes the file's first byte for this process alone, waiting for
// it; the lock lasts until unlock or the file's close.
func lock(f *os.File) error {
	return windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK, 0, 1, 0, new(windows.Overlapped))
}

func unlock(f *os.File) error {
	return windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, new(windows.Overlapped))
}
