package atomicfile

import "os"

// syncDir does nothing: Windows refuses to sync a folder (FlushFileBuffers
// is denied on a folder's handle), and NTFS journals the rename itself.
func syncDir(*os.File) error {
	return nil
}
