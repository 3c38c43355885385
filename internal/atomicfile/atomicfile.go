// Package atomicfile writes files so that a reader sees either the old file
// or the whole new one, never a part: the bytes go to a temporary file in
// the same directory, which is synced and then renamed over the target.
// A symbolic link is followed, so that the file it names is replaced and
// the link stays; a target that is not a regular file (/dev/null, a
// named pipe) is written in place, since a rename would replace the
// device or pipe itself.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Write creates or replaces path with what write produces. If write or any
// step fails, the target is left as it was and the temporary file removed.
//
// Errors name path (never the temporary file) and what failed.
func Write(path string, perm os.FileMode, write func(w io.Writer) error) (err error) {
	target, inPlace := resolve(path)
	if inPlace {
		return writeInPlace(path, write)
	}
	dir := filepath.Dir(target)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return named(path, "cannot create a file in "+dir, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			err = named(path, "not written", err)
		}
	}()
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Chmod(perm); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), target); err != nil {
		return err
	}
	return syncDir(dir)
}

// resolve returns the file a write to path replaces: path itself, or the
// file its links lead to (which may not exist yet); inPlace if that exists
// and is not a regular file.
func resolve(path string) (target string, inPlace bool) {
	target = path
	for range maxLinks {
		info, err := os.Lstat(target)
		if err != nil || info.Mode()&fs.ModeSymlink == 0 {
			break
		}
		dest, err := os.Readlink(target)
		if err != nil {
			break
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(target), dest)
		}
		target = dest
	}
	info, err := os.Stat(target)
	return target, err == nil && !info.Mode().IsRegular()
}

// maxLinks bounds the links resolve follows, as Linux's 40 does a path's.
const maxLinks = 40

// writeInPlace writes to a device or pipe as it is: no temporary file, no
// truncation (which a device refuses).
func writeInPlace(path string, write func(w io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return named(path, "cannot open it to write", err)
	}
	if err := write(f); err != nil {
		f.Close()
		return named(path, "not written", err)
	}
	if err := f.Close(); err != nil {
		return named(path, "not written", err)
	}
	return nil
}

// named is err about path: the failure's own words, without the temporary
// file's name.
func named(path, what string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		err = le.Err
	}
	return fmt.Errorf("%s: %s: %w", path, what, err)
}

// syncDir makes the rename durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
