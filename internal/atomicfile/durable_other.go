//go:build !windows

package atomicfile

import "os"

// syncDir makes a rename in folder durable.
func syncDir(folder *os.File) error {
	return folder.Sync()
}
