package atomicfile

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func text(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	return string(b)
}

// TestWriteAll: a set goes in whole, replacing the files of its names and
// leaving others; a write that fails part-way, or a context done, leaves
// the folder as it was (an earlier set whole, a folder it made gone, no
// hidden folder), and the error names the file where it goes.
func TestWriteAll(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "set")
	if err := WriteAll(context.Background(), dir, []Entry{{"a.txt", text("a1")}, {"sub/b.txt", text("b1")}}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "mine.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := WriteAll(context.Background(), dir, []Entry{{"a.txt", text("a2")}, {"sub/b.txt", func(w io.Writer) error { io.WriteString(w, "half"); return boom }}})
	var set *SetError
	if !errors.As(err, &set) || !errors.Is(err, boom) || set.Placed != 0 || !strings.Contains(err.Error(), filepath.Join(dir, "sub", "b.txt")+": not written: boom") || strings.Contains(err.Error(), StagingPrefix) {
		t.Errorf("a set whose second file fails: %v; want a *SetError of none placed, naming sub/b.txt in the folder", err)
	}
	if a, b := read(t, filepath.Join(dir, "a.txt")), read(t, filepath.Join(dir, "sub", "b.txt")); a != "a1" || b != "b1" {
		t.Errorf("after the failed set: a.txt %q, b.txt %q; want the earlier set's a1 and b1", a, b)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := WriteAll(ctx, dir, []Entry{{"a.txt", text("a3")}}); !errors.Is(err, context.Canceled) || read(t, filepath.Join(dir, "a.txt")) != "a1" {
		t.Errorf("a set whose context is done: %v, a.txt %q; want context.Canceled and a1", err, read(t, filepath.Join(dir, "a.txt")))
	}
	killed, young := filepath.Join(dir, StagingPrefix+"killed"), filepath.Join(dir, StagingPrefix+"at-work")
	for _, d := range []string{killed, young} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	long := time.Now().Add(-StaleStaging - time.Minute)
	if err := os.Chtimes(killed, long, long); err != nil {
		t.Fatal(err)
	}
	if err := WriteAll(context.Background(), dir, []Entry{{"a.txt", text("a4")}, {"sub/b.txt", text("b4")}}); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, ","); got != StagingPrefix+"at-work,a.txt,mine.txt,sub" || read(t, filepath.Join(dir, "a.txt")) != "a4" || read(t, filepath.Join(dir, "mine.txt")) != "mine" {
		t.Errorf("after a set: the folder holds %s, a.txt %q; want a young hidden folder (another writer's, maybe) left, a.txt (a4), mine.txt as it was, sub, and the old hidden folder gone", got, read(t, filepath.Join(dir, "a.txt")))
	}
	fresh := filepath.Join(t.TempDir(), "new", "deeper")
	if err := WriteAll(context.Background(), fresh, []Entry{{"a.txt", func(io.Writer) error { return boom }}}); !errors.Is(err, boom) {
		t.Errorf("a new folder's failed set: %v", err)
	}
	if _, err := os.Stat(filepath.Dir(fresh)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed set left the folders it made (%v)", err)
	}
	for _, bad := range []string{"", "../up.txt", "/abs.txt", "a/../../b"} {
		if err := WriteAll(context.Background(), dir, []Entry{{bad, text("x")}}); err == nil || read(t, filepath.Join(dir, "a.txt")) != "a4" {
			t.Errorf("an entry named %q: %v; want it refused, the folder as it was", bad, err)
		}
	}
}
