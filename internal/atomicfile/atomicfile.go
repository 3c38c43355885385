// Package atomicfile writes files so that a reader sees either the old file
// or the whole new one, never a part: the bytes go to a temporary file in
// the same directory, which is synced and then renamed over the target,
// and the directory is synced for the rename to last. Windows cannot sync
// a directory: there a crash soon after Write returns may lose the
// rename (the old file, or none, is found whole).
// A symbolic link is followed, so that the file it names is replaced and
// the link stays. A target that is not a regular file (/dev/null, a named
// pipe), or that is reached through a descriptor's link (/dev/stdout,
// /proc/self/fd/N), is written in place instead, appended to: a rename
// would replace the device or pipe itself, or the file behind a shell's
// redirection. Such a write is not all or nothing.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Write creates or replaces path with what write produces. If write or any
// step before the rename fails, the target is left as it was and the
// temporary file removed (but for a target written in place: see the
// package comment). The folder is opened before write runs, to sync it
// after the rename: a folder that cannot be read (mode 333, say) is
// refused then, not found out once the new file is in place. Should that
// sync itself fail, the new file is in place and the error says so.
//
// A new file gets perm less the process's umask, as os.WriteFile gives
// it; a file replaced keeps its permissions (a model kept private, 0600,
// stays so).
//
// The temporary files a write of path killed before its rename left
// beside it are removed once they have lain StaleStaging.
//
// Errors name path (never the temporary file) and what failed.
func Write(path string, perm os.FileMode, write func(w io.Writer) error) error {
	return WriteBeforeRename(path, perm, write, nil)
}

// WriteBeforeRename is Write with ready, if not nil, run once the new file
// is whole and synced, just before it is renamed onto path: a caller that
// moves the file at path aside first (a checkpoint's earlier ones, each a
// place down) does so only once the new one is certain, so that a disk
// that fills leaves the old file where it was. Should ready fail, nothing
// is renamed, the new file is removed, and the error, ready's, says path
// was not written. For a target written in place, ready runs before the
// write.
func WriteBeforeRename(path string, perm os.FileMode, write func(w io.Writer) error, ready func() error) (err error) {
	if path == "" {
		return errors.New("no file name (the path is empty): nothing written")
	}
	target, inPlace := resolve(path)
	if inPlace {
		if ready != nil {
			if err := ready(); err != nil {
				return err
			}
		}
		return writeInPlace(path, write)
	}
	if endlessLink(target) {
		return notWritten(path, ErrLinkLoop)
	}
	dir := Dir(target)
	replaced, err := os.Stat(target)
	if replaced != nil {
		perm = replaced.Mode().Perm() // from the first byte: a private file's new bytes are never readable by others
	}
	prefix := "." + filepath.Base(target) + ".tmp"
	removeStale(dir, prefix)
	tmp, err := createTemp(dir, prefix, perm) // less the umask
	if err != nil {
		return named(path, "cannot create a file in "+dir, err)
	}
	renamed := false
	defer func() {
		if err != nil && !renamed {
			tmp.Close()
			os.Remove(tmp.Name())
			err = notWritten(path, err)
		}
	}()
	defer func() {
		if p := recover(); p != nil { // write panicked: no temporary file is left, and the panic goes on
			tmp.Close()
			os.Remove(tmp.Name())
			panic(p)
		}
	}()
	folder, err := openDir(dir)
	if err != nil {
		return fmt.Errorf("cannot read its folder %s, which is synced after the write: %w", dir, bare(err))
	}
	defer folder.Close() // nil on Windows, whose Close says so and is not read
	if err = write(tmp); err != nil {
		return err
	}
	if replaced != nil {
		if err = tmp.Chmod(perm); err != nil { // the bits the umask took
			return err
		}
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if ready != nil {
		if err = ready(); err != nil {
			return err
		}
	}
	if err = Rename(tmp.Name(), target); err != nil {
		return err
	}
	renamed = true
	if err = syncDir(folder); err != nil {
		return named(path, "written, but its folder "+dir+" could not be synced, so a crash may lose it", err)
	}
	return nil
}

// renameWait is how long Rename tries again while Windows says the file
// is in use: Go's own tools wait as long for the same reason
// (cmd/go's robustio).
const renameWait = 2 * time.Second

// Rename renames from to to, replacing to, as os.Rename does. On Windows,
// where a file another program holds open cannot be replaced (antivirus,
// the search indexer and sync clients open new files for a moment), it
// tries again for up to two seconds, then says what stops it; a target
// that is read-only or a folder, which Windows refuses alike, is told at
// once. The reason goes inside the *os.LinkError, whose inner error
// Write's message keeps.
func Rename(from, to string) error {
	deadline := time.Now().Add(renameWait)
	for pause := time.Millisecond; ; pause = min(2*pause, 100*time.Millisecond) {
		err := os.Rename(from, to)
		if err == nil || !inUse(err) {
			return err
		}
		if why := lasting(to); why != "" {
			return because(err, why)
		}
		if time.Now().After(deadline) {
			return because(err, fmt.Sprintf("tried for %v: another program holds the file open; close it, or name another file", renameWait))
		}
		time.Sleep(pause)
	}
}

// lasting says why a rename onto path is refused for good: a folder, or a
// read-only file; "" otherwise.
func lasting(path string) string {
	info, err := os.Stat(path)
	switch {
	case err != nil:
		return ""
	case info.IsDir():
		return "it is a folder; name a file"
	case keptFromRename(info):
		return "it is read-only; clear that (attrib -r), or name another file"
	}
	return ""
}

// because adds why to err's innermost words, in brackets.
func because(err error, why string) error {
	var le *os.LinkError
	if errors.As(err, &le) {
		le.Err = fmt.Errorf("%w (%s)", le.Err, why)
		return le
	}
	return fmt.Errorf("%w (%s)", err, why)
}

// CheckDir reports what would stop Write in dir before anything is
// written: a folder where no file can be made, or one that cannot be
// read, to sync it (not on Windows, where Write syncs no folder). It
// makes a file there and removes it, which changes the folder's
// modification time. A caller checks its output folders so, to refuse
// one before hours of work rather than after.
func CheckDir(dir string) error {
	probe, err := createTemp(dir, ".write-check-", 0o600)
	if err != nil {
		return fmt.Errorf("nothing can be written in %s: %w", dir, bare(err))
	}
	probe.Close()
	os.Remove(probe.Name())
	folder, err := openDir(dir)
	if err != nil {
		return fmt.Errorf("%s cannot be read, and a file written there is made to last by syncing the folder: %w", dir, bare(err))
	}
	if folder == nil { // Windows
		return nil
	}
	return folder.Close()
}

// SyncDir makes the renames into dir last, as Write does after its own: a
// caller that renames files in itself (a site or a set of plots moved into
// place whole) calls it after the last. It does nothing on Windows (see the
// package comment).
func SyncDir(dir string) error {
	folder, err := openDir(dir)
	if err != nil {
		return fmt.Errorf("cannot read %s, which is synced for the files renamed into it to last: %w", dir, bare(err))
	}
	if folder == nil { // Windows
		return nil
	}
	err = syncDir(folder)
	if closeErr := folder.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return fmt.Errorf("sync %s, for the files renamed into it to last: %w", dir, bare(err))
	}
	return nil
}

// Check is CheckDir of the folder Write(path) writes in: the target's,
// after its links. A target written in place (see the package comment) is
// only checked to be there: where it is not, as in /proc, no file can be
// made. Whether the file there may be replaced is CheckReplace's.
func Check(path string) error {
	target, inPlace := resolve(path)
	if !inPlace && endlessLink(target) {
		return fmt.Errorf("%s: %w", path, ErrLinkLoop)
	}
	if !inPlace {
		return CheckDir(Dir(target))
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("no new file can be made in %s: %w", Dir(path), bare(err))
	}
	return nil
}

// CheckReplace refuses a file at path, after its links, that Write could
// not replace: on Windows, one that is read-only (its error then matches
// ErrReadOnly) or that another program holds open (ErrHeldOpen), so that
// a command can refuse it before its work rather than lose the work's
// result at the end. The error names the file, the link's target where
// path is a link (Rename replaces a link itself, not its target). A path
// with nothing there, or written in place, and every file elsewhere, pass.
func CheckReplace(path string) error {
	target, inPlace := resolve(path)
	if inPlace {
		return nil
	}
	info, err := os.Stat(target)
	switch {
	case err != nil || !info.Mode().IsRegular():
		return nil
	case keptFromRename(info):
		return fmt.Errorf("%s: %w", target, ErrReadOnly)
	case heldThroughout(target):
		return fmt.Errorf("%s: %w", target, ErrHeldOpen)
	}
	return nil
}

// heldThroughout reports whether the file stays held open (heldOpen) for
// renameWait: an antivirus or the search indexer lets go of it within
// that, as Rename waits for them; a program that shows the file does not.
func heldThroughout(path string) bool {
	deadline := time.Now().Add(renameWait)
	for heldOpen(path) {
		if time.Now().After(deadline) {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// ErrReadOnly is what CheckReplace's error matches (errors.Is)
// where the file is read-only and the system will not replace it
// (Windows; elsewhere a read-only file in a folder one may write to is
// replaced).
var ErrReadOnly = errors.New("read-only, which Windows will not replace")

// ErrHeldOpen is what CheckReplace's error matches where another program
// holds the file open and Windows will not replace it while it does.
var ErrHeldOpen = errors.New("open in another program, and Windows will not replace it while it is")

// createTemp creates a new file in dir whose name starts with prefix, with
// perm less the umask, as os.OpenFile gives it (os.CreateTemp's 0600
// would need a Chmod, which takes no umask).
// removeStale removes the files in dir whose names begin with prefix and
// that were left unchanged for StaleStaging: the temporary files of
// writes killed before their rename (a younger one may be another
// writer's, at work).
func removeStale(dir, prefix string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		rest, ours := strings.CutPrefix(e.Name(), prefix)
		if !e.Type().IsRegular() || !ours || !base36(rest) { // createTemp's names alone: not a user's ".m.tmp.bak"
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) >= StaleStaging {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// base36 reports whether s is createTemp's random part: base-36 digits.
func base36(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}

func createTemp(dir, prefix string, perm os.FileMode) (*os.File, error) {
	for range 10000 { // as os.CreateTemp tries
		name := filepath.Join(dir, prefix+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, errors.New("no free temporary name after 10000 tries")
}

// InPlace reports whether Write would write path in place (see the
// package comment): a device, a pipe, or a file reached through a
// descriptor's link such as /dev/stdout. What else goes to that
// descriptor would land among the file's bytes.
func InPlace(path string) bool {
	_, inPlace := resolve(path)
	return inPlace
}

// resolve returns the file a write to path replaces: path itself, or the
// file its links lead to (which may not exist yet); inPlace if path is not
// a regular file, or if its links pass through a descriptor's.
func resolve(path string) (target string, inPlace bool) {
	if info, err := os.Stat(path); err == nil && !info.Mode().IsRegular() {
		return path, true // a device, a pipe (or a folder, whose open fails)
	}
	target = path
	for range maxLinks {
		if strings.HasPrefix(target, "/proc/") || strings.HasPrefix(target, "/dev/fd/") {
			return path, true
		}
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
	if real, err := filepath.EvalSymlinks(path); err == nil {
		target = real // the filesystem's own reading of a ".." after a folder's link
	}
	return target, false
}

// Dir is the folder a file at path lies in as the system finds it. On
// Windows that is filepath.Dir(path): Windows takes a ".." off the text,
// so nosuch\..\m lies in the current folder. Elsewhere it is path
// up to its last separator, not cleaned: "nosuch/../m" lies in
// "nosuch/..", which is there only if nosuch is (filepath.Dir gives ".",
// which is always there); "." where path has no separator.
func Dir(path string) string {
	if runtime.GOOS == "windows" {
		return filepath.Dir(path)
	}
	dir, _ := filepath.Split(path)
	if dir == "" {
		return "."
	}
	if trimmed := strings.TrimRight(dir, "/"); trimmed != "" {
		return trimmed
	}
	return "/"
}

// Target is the file Write(path) replaces: path, or where its links lead
// (a link to a file that is not there yet included). A caller that moves
// the file aside before a write (a checkpoint's earlier ones, a place down)
// moves that file, not the link.
func Target(path string) string {
	target, _ := resolve(path)
	return target
}

// maxLinks bounds the links resolve follows, as Linux's 40 does a path's.
const maxLinks = 40

// ErrLinkLoop is Write's and Check's error, wrapped, for a target that is
// still a link after resolve: its links lead round in a loop, or further
// than maxLinks. Renamed onto, the link itself would be replaced.
var ErrLinkLoop = fmt.Errorf("a link whose links lead round in a loop, or through more than %d; name the file itself", maxLinks)

// endlessLink reports whether target, as resolve left it, is a link.
func endlessLink(target string) bool {
	info, err := os.Lstat(target)
	return err == nil && info.Mode()&fs.ModeSymlink != 0
}

// writeInPlace writes to a device, a pipe or a descriptor's file as it is:
// no temporary file and no truncation (which a device refuses), appended
// (after what a shell's redirection has written already).
func writeInPlace(path string, write func(w io.Writer) error) error {
	f, err := openInPlace(path)
	if errors.Is(err, ErrNoReader) {
		return err
	}
	if err != nil {
		return named(path, "cannot open it to write", err)
	}
	if err := write(f); err != nil {
		f.Close()
		return notWritten(path, err)
	}
	if err := f.Close(); err != nil {
		return notWritten(path, err)
	}
	return nil
}

// ErrNoReader is Write's error, wrapped, for a named pipe that no program
// reads: written in place, it would wait for a reader that may never come.
var ErrNoReader = errors.New("a named pipe that no program reads")

// ErrNotWritten is what Write's error matches (errors.Is) where its write
// or the file's completion failed, and nothing of path changed: "PATH: not
// written: " and the failure's own words.
var ErrNotWritten = errors.New("not written")

// notWritten is err about path, matching ErrNotWritten.
func notWritten(path string, err error) error {
	return fmt.Errorf("%s: %w: %w", path, ErrNotWritten, bare(err))
}

// named is err about path: the failure's own words, without the temporary
// file's name.
func named(path, what string, err error) error {
	return fmt.Errorf("%s: %s: %w", path, what, bare(err))
}

// bare is err without the path an *fs.PathError or *os.LinkError adds.
func bare(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
