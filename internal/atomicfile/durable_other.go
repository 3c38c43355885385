//go:build !windows

package atomicfile

import "os"

// rename moves from over to.
func rename(from, to string) error {
	return os.Rename(from, to)
}

// syncDir makes a rename in folder durable.
func syncDir(folder *os.File) error {
	return folder.Sync()
}
