package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/wigglenn/wiggle/internal/atomicfile"
)

// A training holds a lock on its checkpoint path while it runs, so that a
// second `wiggle train` given the same path (or the same --out, whose
// checkpoint path is the default) is refused rather than overwrite the
// first's checkpoints and model in turn. The lock is the operating
// system's, on a file beside the checkpoint (.NAME.lock): it ends with
// the process, however that ends, so a run killed -9 leaves no lock for
// its resume to trip on.

// errLockHeld is what lockFile returns where another process holds the
// lock.
var errLockHeld = errors.New("held by another process")

// runLock is a held lock; release ends it.
type runLock struct {
	f *os.File
}

// lockRun takes the lock of checkpoint path path, or says that another
// run holds it and what to do; named is how the command line named the
// path ("--checkpoint PATH", or "--out OUT (its checkpoint PATH)").
func lockRun(path, named string) (*runLock, error) {
	file := atomicfile.Target(path)                                                                 // the file written, after links: two names of one file share its lock
	name := atomicfile.Dir(file) + string(filepath.Separator) + "." + filepath.Base(file) + ".lock" // not filepath.Join, which would clean link/.. to .
	f, err := os.OpenFile(name, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, nil // a folder the lock cannot go in (read-only): the checks of the outputs say what matters
	}
	if err := lockFile(f); err != nil {
		f.Close()
		if errors.Is(err, errLockHeld) {
			return nil, fmt.Errorf("%s: another wiggle train is writing its checkpoints there (it holds %s); wait for it, or give this run another --out or --checkpoint", named, name)
		}
		return nil, nil // a file system without locks: the run goes on, as it did
	}
	return &runLock{f: f}, nil
}

// release ends the lock and removes its file.
func (l *runLock) release() {
	if l == nil {
		return
	}
	name := l.f.Name()
	if runtime.GOOS != "windows" {
		os.Remove(name) // before the unlock: a run that opens it after makes a new file, free
	}
	l.f.Close() // which ends the lock
	if runtime.GOOS == "windows" {
		os.Remove(name) // Windows removes no open file; a run that took it meanwhile keeps it, open
	}
}
