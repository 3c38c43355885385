package playground

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/wigglenn/wiggle/internal/atomicfile"
)

// ExportMark is the file Export leaves beside the site, so that a later
// Export into the same folder knows the site's files there are its own.
const ExportMark = ".wiggle-playground"

// OverwriteError is Export's refusal of a folder holding files the site
// would replace, where no earlier Export left its ExportMark: a page of
// the user's own, say, that Export would overwrite.
type OverwriteError struct {
	Dir   string
	Files []string // those files, relative to Dir
}

func (e *OverwriteError) Error() string {
	them := "those files"
	if len(e.Files) == 1 {
		them = "it"
	}
	return fmt.Sprintf("%s already holds %s, which no export of the playground marked as its own (it leaves a %s file); choose a new or empty folder, or remove %s",
		e.Dir, strings.Join(e.Files, ", "), ExportMark, them)
}

// Export writes the site into dir (made if missing), for any static web
// host, with ExportMark beside it. It refuses, with an *OverwriteError and
// before it writes anything, a dir holding files the site would replace,
// unless an earlier Export wrote there (its mark, or the site's wiggle.wasm
// beside its index.html, as exports wrote before the mark); other files in
// dir are left alone.
//
// The site is written whole into a hidden folder in dir first, each file
// synced, and only then moved into place, a rename a file: a disk that
// fills, or any failure while writing, leaves dir as it was (an earlier
// export whole, not mixed with the new one's files), and a dir Export made
// is removed again.
func Export(dir string) error {
	return export(Files(), dir)
}

// stagingPrefix names the hidden folder in which export writes the site
// before it moves the files into place.
const stagingPrefix = ".wiggle-playground-staging-"

func export(site fs.FS, dir string) (err error) {
	if err := checkNothingToOverwrite(site, dir); err != nil {
		return err
	}
	_, statErr := os.Stat(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	removeStaging(dir) // a killed export's
	staging, err := os.MkdirTemp(dir, stagingPrefix)
	if err != nil {
		return err
	}
	defer os.RemoveAll(staging)
	files, err := stage(site, staging)
	if err != nil {
		os.RemoveAll(staging)
		if errors.Is(statErr, fs.ErrNotExist) {
			os.Remove(dir) // the folder Export made, empty again
		}
		return fmt.Errorf("%w; nothing of the site was put in %s", err, dir)
	}
	// The mark first: an export stopped part-way is an export, for the next.
	err = atomicfile.Write(filepath.Join(dir, ExportMark), 0o644, func(w io.Writer) error {
		_, err := io.WriteString(w, "The wiggle playground, written by 'wiggle serve --export'; a later export may replace its files here.\n")
		return err
	})
	if err != nil {
		return err
	}
	return moveIn(files, staging, dir)
}

// removeStaging removes the staging folders exports killed part-way left
// in dir.
func removeStaging(dir string) {
	left, _ := filepath.Glob(filepath.Join(dir, stagingPrefix+"*"))
	for _, d := range left {
		os.RemoveAll(d)
	}
}

// stage writes every file of site under staging, each synced, and returns
// their paths (slash-separated, folders before their files).
func stage(site fs.FS, staging string) ([]string, error) {
	var files []string
	err := fs.WalkDir(site, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == "." {
			return err
		}
		target := filepath.Join(staging, filepath.FromSlash(path))
		if d.IsDir() {
			return os.Mkdir(target, 0o755)
		}
		if err := copyFile(site, path, target); err != nil {
			var inStaging *fs.PathError // names the hidden folder, which is gone by the time anyone reads it
			if errors.As(err, &inStaging) {
				err = inStaging.Err
			}
			return fmt.Errorf("export %s: %w", path, err)
		}
		files = append(files, path)
		return nil
	})
	return files, err
}

// copyFile copies site's file path to target, a new file, and syncs it.
func copyFile(site fs.FS, path, target string) error {
	in, err := site.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if closeErr := out.Close(); err == nil {
		err = closeErr
	}
	return err
}

// moveIn renames each staged file into dir, replacing an earlier export's,
// and syncs the folders for the renames to last. A rename that fails part
// of the way leaves the site part new, part old: the error says so.
func moveIn(files []string, staging, dir string) error {
	for i, path := range files {
		target := filepath.Join(dir, filepath.FromSlash(path))
		err := os.MkdirAll(filepath.Dir(target), 0o755)
		if err == nil {
			err = atomicfile.Rename(filepath.Join(staging, filepath.FromSlash(path)), target)
		}
		if err != nil {
			return fmt.Errorf("export %s: %w; %d of the site's %d files are in place, the rest as they were: export again", path, err, i, len(files))
		}
	}
	return atomicfile.SyncDir(dir)
}

// checkNothingToOverwrite returns an *OverwriteError where dir, not an
// earlier export's (exportedBefore), holds files at site's paths.
func checkNothingToOverwrite(site fs.FS, dir string) error {
	if exportedBefore(dir) {
		return nil
	}
	var taken []string
	err := fs.WalkDir(site, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := filepath.FromSlash(path)
		switch _, err := os.Lstat(filepath.Join(dir, name)); {
		case err == nil:
			taken = append(taken, name)
		case !errors.Is(err, fs.ErrNotExist):
			return err
		}
		return nil
	})
	if err == nil && len(taken) > 0 {
		err = &OverwriteError{Dir: dir, Files: taken}
	}
	return err
}

// exportedBefore reports whether dir holds an earlier export: its
// ExportMark, or, from before the mark, an index.html beside a wiggle.wasm
// that is WebAssembly.
func exportedBefore(dir string) bool {
	if _, err := os.Lstat(filepath.Join(dir, ExportMark)); err == nil {
		return true
	}
	if _, err := os.Lstat(filepath.Join(dir, "index.html")); err != nil {
		return false
	}
	f, err := os.Open(filepath.Join(dir, "wiggle.wasm"))
	if err != nil {
		return false
	}
	defer f.Close()
	magic := make([]byte, 4)
	_, err = io.ReadFull(f, magic)
	return err == nil && string(magic) == "\x00asm"
}
