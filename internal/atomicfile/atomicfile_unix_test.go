//go:build unix

package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestWriteToAPipeWritesThrough: a named pipe (as /dev/stdout often is) is
// written in place, not replaced by a regular file.
func TestWriteToAPipeWritesThrough(t *testing.T) {
	pipe := filepath.Join(t.TempDir(), "pipe")
	if err := unix.Mkfifo(pipe, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	// The read end, opened first without blocking: the write's open does
	// not wait for it, and a write that missed the pipe leaves it empty.
	r, err := os.OpenFile(pipe, os.O_RDONLY|unix.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := writeString(pipe, "through"); err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(r); string(got) != "through" {
		t.Errorf("the pipe's reader got %q, want %q", got, "through")
	}
	if info, err := os.Lstat(pipe); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("%s is no longer a pipe: %v, %v", pipe, info, err)
	}
}

// TestWriteToAPipeNoOneReads: a named pipe with no reader is refused at
// once, saying so; its open had waited for a reader, a command that never
// ended and that Ctrl-C could not stop.
func TestWriteToAPipeNoOneReads(t *testing.T) {
	pipe := filepath.Join(t.TempDir(), "pipe")
	if err := unix.Mkfifo(pipe, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- writeString(pipe, "lost") }()
	select {
	case err := <-done:
		if !errors.Is(err, ErrNoReader) || !strings.HasPrefix(err.Error(), pipe+": a named pipe that no program reads: start the program that reads it first") {
			t.Errorf("a write to a pipe no one reads: %v; want ErrNoReader, naming it", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a write to a pipe no one reads still waits after 5 s")
	}
}

// TestWriteThroughADescriptorAppends: a regular file reached through
// /proc/self/fd (as /dev/stdout is, redirected to a file) keeps what it
// holds and gets the bytes after it, where a rename would replace it.
func TestWriteThroughADescriptorAppends(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.txt")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString("before "); err != nil {
		t.Fatal(err)
	}
	fd := fmt.Sprintf("/proc/self/fd/%d", f.Fd())
	if _, err := os.Stat(fd); err != nil {
		t.Skipf("no %s: %v", fd, err)
	}
	if err := writeString(fd, "after"); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "before after" {
		t.Errorf("the file holds %q, want %q", got, "before after")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("the folder holds %d entries, want 1", len(entries))
	}
}

// TestInPlace: InPlace tells the targets Write writes in place (a pipe, a
// device, a file through a descriptor's link) from those it replaces.
func TestInPlace(t *testing.T) {
	dir := t.TempDir()
	file, pipe, link := filepath.Join(dir, "file"), filepath.Join(dir, "pipe"), filepath.Join(dir, "link")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(file, link); err != nil {
		t.Fatal(err)
	}
	if err := unix.Mkfifo(pipe, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, c := range []struct {
		path string
		want bool
	}{
		{file, false}, {link, false}, {filepath.Join(dir, "new"), false},
		{pipe, true}, {os.DevNull, true}, {fmt.Sprintf("/proc/self/fd/%d", f.Fd()), true},
	} {
		if got := InPlace(c.path); got != c.want {
			t.Errorf("InPlace(%s) = %v, want %v", c.path, got, c.want)
		}
	}
}

// TestWriteKeepsPermissions: a new file takes perm less the umask, as
// os.WriteFile gives it, and a file replaced keeps its own permissions.
func TestWriteKeepsPermissions(t *testing.T) {
	dir := t.TempDir()
	write := func(path string) {
		t.Helper()
		if err := Write(path, 0o644, func(w io.Writer) error { _, err := io.WriteString(w, "x"); return err }); err != nil {
			t.Fatal(err)
		}
	}
	mode := func(path string) os.FileMode {
		t.Helper()
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return info.Mode().Perm()
	}
	private := filepath.Join(dir, "private")
	if err := os.WriteFile(private, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	write(private)
	if m := mode(private); m != 0o600 {
		t.Errorf("a 0600 file replaced became %v", m)
	}
	// Its new bytes are never readable by others, even while written.
	err := Write(private, 0o644, func(w io.Writer) error {
		info, err := w.(*os.File).Stat()
		if err == nil && info.Mode().Perm() != 0o600 {
			t.Errorf("the temporary file of a 0600 file is %v while written", info.Mode().Perm())
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	old := unix.Umask(0o077) // the test's process only; put back below
	defer unix.Umask(old)
	fresh := filepath.Join(dir, "fresh")
	write(fresh)
	if m := mode(fresh); m != 0o600 {
		t.Errorf("a new file under umask 077 is %v; want 0600", m)
	}
}

// TestWriteReportsAFolderNotSynced: where the folder's sync fails after
// the rename, the new file is in place, and Write's error says so rather
// than "not written". A pipe stands in for the folder: its sync fails.
func TestWriteReportsAFolderNotSynced(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	open := openDir
	openDir = func(string) (*os.File, error) {
		r, w, err := os.Pipe()
		if err == nil {
			w.Close()
		}
		return r, err
	}
	t.Cleanup(func() { openDir = open })
	err := writeString(path, "new")
	if err == nil || !strings.Contains(err.Error(), ": written, but its folder ") || !strings.Contains(err.Error(), " could not be synced") || strings.Contains(err.Error(), "not written") {
		t.Errorf("Write returned %v, want the folder's sync reported as failed after the write", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Errorf("file holds %q, want %q", got, "new")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("folder holds %d entries, want 1 (no temporary file left)", len(entries))
	}
}

// TestCheckInPlace: a target written in place passes Check if it is
// there (a device), and fails, naming it, if it is not.
func TestCheckInPlace(t *testing.T) {
	if err := Check("/dev/null"); err != nil {
		t.Errorf("Check(/dev/null) = %v, want nil", err)
	}
	missing := "/dev/fd/999999"
	if err := Check(missing); err == nil || !strings.HasPrefix(err.Error(), "no new file can be made in /dev/fd") {
		t.Errorf("Check(%s) = %v, want it named as not opened", missing, err)
	}
}

// TestDirAsTheSystemFindsIt: Dir keeps a ".." after a folder, which the
// system opens only where that folder is; filepath.Dir cleans it away.
func TestDirAsTheSystemFindsIt(t *testing.T) {
	for _, c := range []struct{ path, want string }{
		{"m.safetensors", "."},
		{"./m", "."},
		{"nosuch/../m", "nosuch/.."},
		{"a//b/m", "a//b"},
		{"/m", "/"},
		{"//m", "/"},
		{"/tmp/x/../m", "/tmp/x/.."},
	} {
		if got := Dir(c.path); got != c.want {
			t.Errorf("Dir(%q) = %q; want %q", c.path, got, c.want)
		}
	}
	dir := t.TempDir()
	through := dir + "/nosuch/../m"
	if err := Write(through, 0o644, func(w io.Writer) error { _, err := io.WriteString(w, "x"); return err }); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Write(%s): %v; want a folder not there", through, err)
	}
	if err := Check(through); err == nil {
		t.Errorf("Check(%s) passed; the system finds no folder nosuch", through)
	}
	if _, err := os.Stat(filepath.Join(dir, "m")); err == nil {
		t.Errorf("%s written through a folder that is not there", filepath.Join(dir, "m"))
	}
}
