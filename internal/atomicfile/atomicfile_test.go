package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestWriteReplacesWhole(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.txt")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, 0o644, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Errorf("file holds %q, want %q", got, "new")
	}
}

func TestFailedWriteLeavesOldFileAndNoLitter(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Write(path, 0o644, func(w io.Writer) error {
		io.WriteString(w, "half")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Write returned %v, want %v", err, boom)
	}
	if !errors.Is(err, ErrNotWritten) || err.Error() != path+": not written: boom" {
		t.Errorf("Write returned %q; want %q, matching ErrNotWritten", err, path+": not written: boom")
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("file holds %q after a failed write, want %q", got, "old")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries after a failed write, want 1", len(entries))
	}
}

// TestWriteBeforeRename: ready runs once the new file is whole, the old
// one still in place; a write that fails never calls it, and a ready that
// fails leaves the old file, says the path was not written and leaves no
// temporary file.
func TestWriteBeforeRename(t *testing.T) {
	dir := t.TempDir()
	path, aside := filepath.Join(dir, "out.txt"), filepath.Join(dir, "out.txt.1")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	write := func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }
	var seen string
	moveAside := func() error {
		b, _ := os.ReadFile(path)
		seen = string(b)
		return os.Rename(path, aside)
	}
	if err := WriteBeforeRename(path, 0o644, write, moveAside); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	old, _ := os.ReadFile(aside)
	if seen != "old" || string(got) != "new" || string(old) != "old" {
		t.Errorf("ready saw %q at the path; then the path holds %q and the file moved aside %q; want old, new, old", seen, got, old)
	}
	called := false
	boom := errors.New("boom")
	err := WriteBeforeRename(path, 0o644, func(io.Writer) error { return boom }, func() error { called = true; return nil })
	if !errors.Is(err, boom) || called {
		t.Errorf("a failed write: %v, ready called %v; want the write's error and ready not called", err, called)
	}
	err = WriteBeforeRename(path, 0o644, write, func() error { return boom })
	if !errors.Is(err, boom) || err.Error() != path+": not written: boom" {
		t.Errorf("a failed ready: %v; want %q", err, path+": not written: boom")
	}
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Errorf("after a failed ready the path holds %q; want it as it was", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("the folder holds %d entries; want the two files, no temporary one", len(entries))
	}
}

// TestKilledWritesLitterGoes: the temporary file of a write killed before
// its rename goes with a later write of the same file once it has lain
// StaleStaging; a younger one (another writer's, maybe) and other files
// stay.
func TestKilledWritesLitterGoes(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.safetensors")
	old, young, other := filepath.Join(dir, ".m.safetensors.tmpkilled"), filepath.Join(dir, ".m.safetensors.tmpatwork"), filepath.Join(dir, ".n.safetensors.tmpkilled")
	users := filepath.Join(dir, ".m.safetensors.tmp.bak") // a user's, not createTemp's
	long := time.Now().Add(-StaleStaging - time.Minute)
	for _, f := range []string{old, young, other, users} {
		if err := os.WriteFile(f, []byte("half"), 0o644); err != nil {
			t.Fatal(err)
		}
		if f != young {
			if err := os.Chtimes(f, long, long); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := writeString(path, "whole"); err != nil {
		t.Fatal(err)
	}
	for f, want := range map[string]bool{old: false, young: true, other: true, users: true, path: true} {
		if _, err := os.Stat(f); (err == nil) != want {
			t.Errorf("%s there %v after the write; want %v", filepath.Base(f), err == nil, want)
		}
	}
}

// TestPanickingWriteLeavesNoLitter: a write that panics (a plotting bug)
// leaves the old file and no temporary one, and the panic goes on to the
// caller, which reports it.
func TestPanickingWriteLeavesNoLitter(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.png")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	func() {
		defer func() {
			if p := recover(); p != "illegal range" {
				t.Errorf("the panic reached the caller as %v", p)
			}
		}()
		Write(path, 0o644, func(w io.Writer) error {
			io.WriteString(w, "half")
			panic("illegal range")
		})
	}()
	entries, _ := os.ReadDir(dir)
	if got, _ := os.ReadFile(path); string(got) != "old" || len(entries) != 1 {
		t.Errorf("after a panicking write: %q and %d entries; want the old file alone", got, len(entries))
	}
}

func writeString(path, text string) error {
	return Write(path, 0o644, func(w io.Writer) error { _, err := io.WriteString(w, text); return err })
}

// TestWriteFollowsLinks: a link stays a link, and the file it names (which
// may not exist yet) gets the bytes.
func TestWriteFollowsLinks(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	real := filepath.Join(sub, "real.txt")
	if err := os.WriteFile(real, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ link, dest, file string }{
		{filepath.Join(dir, "link.txt"), "sub/real.txt", real},                             // relative to the link's folder
		{filepath.Join(dir, "chain.txt"), "link.txt", real},                                // a link to a link
		{filepath.Join(dir, "dangling.txt"), "sub/new.txt", filepath.Join(sub, "new.txt")}, // names a file not made yet
	} {
		if err := os.Symlink(c.dest, c.link); err != nil {
			t.Skipf("no links here: %v", err) // Windows without the privilege
		}
		if err := writeString(c.link, "new "+c.link); err != nil {
			t.Fatal(err)
		}
		if info, err := os.Lstat(c.link); err != nil || info.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a link: %v, %v", c.link, info, err)
		}
		if got, _ := os.ReadFile(c.file); string(got) != "new "+c.link {
			t.Errorf("%s holds %q after a write through %s", c.file, got, c.link)
		}
	}
	// Links that lead round in a loop: refused, the links left, where the
	// rename had replaced the first with a file.
	loop1, loop2 := filepath.Join(dir, "loop1"), filepath.Join(dir, "loop2")
	if err := os.Symlink("loop2", loop1); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("loop1", loop2); err != nil {
		t.Fatal(err)
	}
	if err := writeString(loop1, "x"); !errors.Is(err, ErrNotWritten) || !strings.Contains(err.Error(), "lead round in a loop") {
		t.Errorf("a write through a loop of links: %v; want it refused, saying so", err)
	}
	if err := Check(loop1); err == nil || !strings.Contains(err.Error(), "lead round in a loop") {
		t.Errorf("Check of a loop of links: %v; want it refused", err)
	}
	if info, err := os.Lstat(loop1); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("loop1 is no longer a link: %v, %v", info, err)
	}
}

// failOpening makes openDir fail for dir, however it is spelt (a
// temporary folder may be reached through a link, as /var is on macOS),
// as os.Open fails on a folder one may write but not read (mode 333),
// until the test ends.
func failOpening(t *testing.T, dir string) {
	t.Helper()
	want, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	open := openDir
	openDir = func(name string) (*os.File, error) {
		if got, err := os.Stat(name); err == nil && os.SameFile(got, want) {
			return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
		}
		return open(name)
	}
	t.Cleanup(func() { openDir = open })
}

// TestWriteRefusesAFolderItCannotSync: where the folder cannot be opened
// to sync it after the rename, Write fails before writing anything, and
// the old file stays.
func TestWriteRefusesAFolderItCannotSync(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	failOpening(t, dir)
	called := false
	err := Write(path, 0o644, func(w io.Writer) error { called = true; return nil })
	if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), "not written: cannot read its folder ") {
		t.Errorf("Write returned %v, want the folder named as not opened", err)
	}
	if called {
		t.Errorf("Write called write before it had opened the folder")
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("file holds %q, want %q", got, "old")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("folder holds %d entries, want 1", len(entries))
	}
}

// TestCheckDir: a folder Write can use passes and is left as it was; one
// where no file can be made, or that cannot be opened, fails with the
// folder named. Check follows a link to the folder of the file it names.
func TestCheckDir(t *testing.T) {
	dir := t.TempDir()
	if err := CheckDir(dir); err != nil {
		t.Errorf("CheckDir of a new temporary folder: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("CheckDir left %d entries in the folder, want 0", len(entries))
	}
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ dir, want string }{
		{file, "nothing can be written in " + file},
		{filepath.Join(dir, "missing"), "nothing can be written in " + filepath.Join(dir, "missing")},
	} {
		if err := CheckDir(c.dir); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("CheckDir(%s) = %v, want an error starting %q", c.dir, err, c.want)
		}
	}

	other := filepath.Join(dir, "other")
	if err := os.Mkdir(other, 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.txt")
	if err := os.Symlink(filepath.Join(other, "real.txt"), link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	failOpening(t, other)
	if err := Check(filepath.Join(dir, "plain.txt")); err != nil {
		t.Errorf("Check of a file in a folder that opens: %v", err)
	}
	if err := Check(link); !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), "other cannot be read") {
		t.Errorf("Check through a link into a folder that cannot be read = %v, want that folder named as not read", err)
	}
}

// TestSyncDir: a folder syncs; one that cannot be read (on Windows, where no
// folder is synced, none is refused) or is missing fails with its name.
func TestSyncDir(t *testing.T) {
	dir := t.TempDir()
	if err := SyncDir(dir); err != nil {
		t.Errorf("SyncDir of a new temporary folder: %v", err)
	}
	missing := filepath.Join(dir, "missing")
	if err := SyncDir(missing); runtime.GOOS != "windows" && (err == nil || !strings.Contains(err.Error(), "cannot read "+missing)) {
		t.Errorf("SyncDir of a missing folder = %v, want it named as not read", err)
	}
	failOpening(t, dir)
	if err := SyncDir(dir); !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), dir) {
		t.Errorf("SyncDir of a folder that cannot be read = %v, want a permission error naming it", err)
	}
}

// TestEmptyPath: a path of "" is an error that says there is no name, not
// the rename's "file exists" for the folder it resolved to.
func TestEmptyPath(t *testing.T) {
	called := false
	err := Write("", 0o644, func(io.Writer) error { called = true; return nil })
	if err == nil || !strings.Contains(err.Error(), "no file name (the path is empty)") || called {
		t.Errorf("Write(\"\"): %v, writer called %v; want an error saying there is no name, and nothing written", err, called)
	}
}
