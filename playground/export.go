package playground

import (
	"context"
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

func export(site fs.FS, dir string) error {
	if err := checkNothingToOverwrite(site, dir); err != nil {
		return err
	}
	// The mark first: an export whose renames stopped part-way is an export, for the next.
	entries := []atomicfile.Entry{{Name: ExportMark, Write: func(w io.Writer) error {
		_, err := io.WriteString(w, "The wiggle playground, written by 'wiggle serve --export'; a later export may replace its files here.\n")
		return err
	}}}
	err := fs.WalkDir(site, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		entries = append(entries, atomicfile.Entry{Name: path, Write: func(w io.Writer) error {
			in, err := site.Open(path)
			if err != nil {
				return err
			}
			defer in.Close()
			_, err = io.Copy(w, in)
			return err
		}})
		return nil
	})
	if err != nil {
		return err
	}
	return atomicfile.WriteAll(context.Background(), dir, entries)
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
