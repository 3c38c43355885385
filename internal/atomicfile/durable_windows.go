package atomicfile

import "os"

// openDir opens nothing on Windows, which refuses to sync a folder
// (FlushFileBuffers is denied on a folder's handle): a folder Write cannot
// sync is not refused there (a test's stand-in replaces it).
var openDir = func(string) (*os.File, error) { return nil, nil }

// syncDir does nothing on Windows: the rename is left to NTFS, which
// journals it but may not have it on the disk when Write returns.
func syncDir(*os.File) error {
	return nil
}
