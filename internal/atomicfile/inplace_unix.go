//go:build unix

package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// openInPlace opens a target written in place. A named pipe opens without
// waiting for its reader: with none, open would wait until one came, a
// command that never ends and that Ctrl-C cannot stop; it is refused at
// once instead (ErrNoReader).
func openInPlace(path string) (*os.File, error) {
	const flags = os.O_WRONLY | os.O_APPEND
	info, err := os.Stat(path)
	if err != nil || info.Mode()&os.ModeNamedPipe == 0 {
		return os.OpenFile(path, flags, 0)
	}
	f, err := os.OpenFile(path, flags|syscall.O_NONBLOCK, 0) // Go's poller then waits on a full pipe, as a blocking write would
	if errors.Is(err, syscall.ENXIO) {
		return nil, fmt.Errorf("%s: %w: start the program that reads it first, or name a file", path, ErrNoReader)
	}
	return f, err
}
