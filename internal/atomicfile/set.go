package atomicfile

// A set of files written whole or not at all.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Entry is one file of a set WriteAll writes: its name in the folder,
// slash-separated (a name may lie in a subfolder), and what writes it.
type Entry struct {
	Name  string
	Write func(w io.Writer) error
}

// StagingPrefix begins the name of the hidden folder in which WriteAll
// writes a set before it moves the files into place.
const StagingPrefix = ".wiggle-staging-"

// WriteAll writes entries into dir (made if missing) as one set: each file
// is written and synced in a hidden folder in dir first, and only once all
// are whole are they renamed into place, replacing files of their names,
// and dir synced. A write that fails, or ctx done before the renames,
// leaves dir as it was: the earlier files whole, not mixed with new ones,
// and dir and the folders above it that WriteAll made removed again. A
// rename that fails part of the way (which takes no room, unlike a write)
// leaves the set part new. Files in dir that are not entries stay; the
// hidden folders of a WriteAll killed part-way, left for StaleStaging,
// are removed first.
//
// WriteAll is safe to call from many goroutines and processes. Two into
// one folder at once each put their whole set in, the later's renames
// replacing the earlier's files as they go: the folder may then hold some
// files of each.
//
// An error once dir is made is a *SetError, which says how many files were
// put in place (none, but where a rename failed); errors name the files by
// their place in dir, not in the hidden folder.
func WriteAll(ctx context.Context, dir string, entries []Entry) error {
	for _, e := range entries {
		if !filepath.IsLocal(filepath.FromSlash(e.Name)) || e.Write == nil {
			return fmt.Errorf("entry %q: want a name inside the folder, and a writer", e.Name)
		}
	}
	made := MissingFolders(dir)
	unmake := func() {
		for _, d := range made { // the deepest first; empty again
			os.Remove(d)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	RemoveStaging(dir, StagingPrefix, StaleStaging)
	staging, err := os.MkdirTemp(dir, StagingPrefix)
	if err != nil {
		unmake()
		return &SetError{Dir: dir, Total: len(entries), Err: err}
	}
	defer os.RemoveAll(staging)
	if err := stage(ctx, staging, entries); err != nil {
		os.RemoveAll(staging)
		unmake()
		return &SetError{Dir: dir, Total: len(entries), Err: StagedAs(err, staging, dir)}
	}
	for i, e := range entries {
		target := filepath.Join(dir, filepath.FromSlash(e.Name))
		err := os.MkdirAll(filepath.Dir(target), 0o755)
		if err == nil {
			err = Rename(filepath.Join(staging, filepath.FromSlash(e.Name)), target)
		}
		if err != nil {
			return &SetError{Dir: dir, Placed: i, Total: len(entries), Err: fmt.Errorf("%s: %w", target, bare(err))}
		}
	}
	if err := SyncDir(dir); err != nil {
		return &SetError{Dir: dir, Placed: len(entries), Total: len(entries), Err: err}
	}
	return nil
}

// SetError is WriteAll's error: Placed of the Total files were in place
// when Err stopped it; with none, dir is as it was.
type SetError struct {
	Dir           string
	Placed, Total int
	Err           error
}

func (e *SetError) Error() string {
	switch e.Placed {
	case 0:
		return fmt.Sprintf("%v; nothing was put in %s, which is as it was", e.Err, e.Dir)
	case e.Total:
		return fmt.Sprintf("%v (all %d files are in place in %s)", e.Err, e.Total, e.Dir)
	}
	return fmt.Sprintf("%v; %d of the %d files are in place in %s, the rest as they were", e.Err, e.Placed, e.Total, e.Dir)
}

func (e *SetError) Unwrap() error { return e.Err }

// stage writes each entry under staging, synced, stopping at the first
// failure or once ctx is done.
func stage(ctx context.Context, staging string, entries []Entry) error {
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return err
		}
		path := filepath.Join(staging, filepath.FromSlash(e.Name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := Write(path, 0o644, e.Write); err != nil {
			return err
		}
	}
	return nil
}

// StagedAs is err, an error of a file in a hidden staging folder, told as
// of the file's place in dir, where it was to go: the hidden folder is
// gone by the time anyone reads the message. errors.Is and As see err.
func StagedAs(err error, staging, dir string) error {
	if err == nil {
		return nil
	}
	return staged{err, staging, dir}
}

type staged struct {
	err          error
	staging, dir string
}

func (e staged) Error() string { return strings.ReplaceAll(e.err.Error(), e.staging, e.dir) }
func (e staged) Unwrap() error { return e.err }

// MissingFolders lists dir and those of its parents that do not exist,
// the deepest first: what os.MkdirAll(dir) makes, for a caller to remove
// again should what it then writes there fail.
func MissingFolders(dir string) []string {
	var out []string
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); !errors.Is(err, fs.ErrNotExist) {
			return out
		}
		out = append(out, d)
		if filepath.Dir(d) == d {
			return out
		}
	}
}

// StaleStaging is how long a hidden folder of WriteAll's, or a temporary
// file of Write's, must have lain untouched before another write takes it
// for a killed one's and removes it: one that young may be another
// writer's, at work.
const StaleStaging = 10 * time.Minute

// RemoveStaging removes the folders in dir whose names begin with prefix,
// unchanged for at least age: the hidden folders that writers of sets
// killed part-way left.
func RemoveStaging(dir, prefix string, age time.Duration) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) >= age {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}
