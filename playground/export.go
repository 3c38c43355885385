package playground

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/wigglenn/wiggle/internal/atomicfile"
)

// ExportMark is the file Export leaves beside the site, so that a later
// Export into the same folder knows the site's files there are its own.
const ExportMark = ".wiggle-playground"

// OverwriteError is Export's refusal of a folder holding a file the site
// would replace, where no earlier Export left its ExportMark: a page of
// the user's own, say, that Export would overwrite.
type OverwriteError struct {
	Dir  string
	File string // the first such file, relative to Dir
}

func (e *OverwriteError) Error() string {
	return fmt.Sprintf("%s already holds %s, which is not from an earlier export of the playground (it has no %s); choose a new or empty folder, or remove the file",
		e.Dir, e.File, ExportMark)
}

// Export writes the site into dir (made if missing), each file whole or
// not at all, for any static web host, and ExportMark beside it. It
// refuses, with an *OverwriteError and before it writes anything, a dir
// holding a file the site would replace unless an earlier Export wrote
// there; other files in dir are left alone.
func Export(dir string) error {
	site := Files()
	if err := checkNothingToOverwrite(site, dir); err != nil {
		return err
	}
	err := fs.WalkDir(site, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(path))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		in, err := site.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		if err := atomicfile.Write(target, 0o644, func(w io.Writer) error {
			_, err := io.Copy(w, in)
			return err
		}); err != nil {
			return fmt.Errorf("export %s: %w", path, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, ExportMark), 0o644, func(w io.Writer) error {
		_, err := io.WriteString(w, "The wiggle playground, written by 'wiggle serve --export'; a later export may replace its files here.\n")
		return err
	})
}

// checkNothingToOverwrite returns an *OverwriteError where dir, without an
// ExportMark, holds a file at one of site's paths.
func checkNothingToOverwrite(site fs.FS, dir string) error {
	if _, err := os.Lstat(filepath.Join(dir, ExportMark)); err == nil {
		return nil
	}
	return fs.WalkDir(site, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := filepath.FromSlash(path)
		switch _, err := os.Lstat(filepath.Join(dir, name)); {
		case err == nil:
			return &OverwriteError{Dir: dir, File: name}
		case errors.Is(err, fs.ErrNotExist):
			return nil
		default:
			return err
		}
	})
}
