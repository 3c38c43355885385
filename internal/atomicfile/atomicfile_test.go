package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
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
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("file holds %q after a failed write, want %q", got, "old")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries after a failed write, want 1", len(entries))
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
}
