//go:build !windows

package atomicfile

import "os"

// openDir opens a folder to sync it after a rename (a test's stand-in
// replaces it).
var openDir = os.Open

// syncDir makes a rename in folder durable.
func syncDir(folder *os.File) error {
	return folder.Sync()
}

// inUse is Windows's: elsewhere a rename does not wait on other programs.
func inUse(error) bool { return false }

// keptFromRename is Windows's: elsewhere a rename replaces a read-only file.
func keptFromRename(os.FileInfo) bool { return false }

// heldOpen reports false: elsewhere than on Windows a file another program
// holds open is replaced all the same (the program keeps the old one).
func heldOpen(string) bool { return false }
