//go:build !unix

package atomicfile

import "os"

// openInPlace opens a target written in place, as it is: the named pipes
// of Windows and of the WebAssembly hosts are no files in a folder.
func openInPlace(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
}
