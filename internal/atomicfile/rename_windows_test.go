package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRenameWaitsForAHolder: Windows does not replace a file another
// handle holds open (os.Open shares no deletion): Rename waits for the
// holder to let go, and past its two seconds says what stops it.
func TestRenameWaitsForAHolder(t *testing.T) {
	dir := tempDir(t)
	target := filepath.Join(dir, "model.safetensors")
	put := func(name, text string) string {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	put("model.safetensors", "old")

	held, err := os.Open(target)
	if err != nil {
		t.Fatal(err)
	}
	go func() { time.Sleep(300 * time.Millisecond); held.Close() }()
	start := time.Now()
	if err := Rename(put("new", "new"), target); err != nil {
		t.Fatalf("Rename over a file held for 300 ms: %v", err)
	}
	if got, _ := os.ReadFile(target); string(got) != "new" || time.Since(start) < 250*time.Millisecond {
		t.Errorf("after %v the file holds %q; want the new bytes, once the holder let go", time.Since(start), got)
	}

	held, err = os.Open(target)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	const why = "tried for 2s: another program holds the file open; close it, or name another file"
	if err = Rename(put("newer", "newer"), target); err == nil || !strings.Contains(err.Error(), why) {
		t.Errorf("Rename over a file held throughout: %v; want the reason said", err)
	}
	// Write's message keeps it, from the rename's inner error.
	err = Write(target, 0o644, func(w io.Writer) error { _, err := io.WriteString(w, "newest"); return err })
	if err == nil || !strings.Contains(err.Error(), "model.safetensors: not written: ") || !strings.Contains(err.Error(), why) {
		t.Errorf("Write over a file held throughout: %v; want the reason said", err)
	}
	if got, _ := os.ReadFile(target); string(got) != "new" {
		t.Errorf("after refused renames the file holds %q; want it as it was", got)
	}

	// A folder is refused for good: told at once, not after two seconds.
	folder := filepath.Join(dir, "folder")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	if err = Rename(put("other", "other"), folder); err == nil || !strings.Contains(err.Error(), "it is a folder; name a file") || time.Since(start) > time.Second {
		t.Errorf("Rename onto a folder: %v after %v; want it told at once", err, time.Since(start))
	}
}

// TestCheckReplaceRefusesReadOnly: CheckReplace tells a read-only target,
// which Windows will not replace, before the work that would write it.
func TestCheckReplaceRefusesReadOnly(t *testing.T) {
	path := filepath.Join(tempDir(t), "model.safetensors")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Check(path); err != nil {
		t.Fatalf("Check of a writable file: %v", err)
	}
	if err := CheckReplace(path); err != nil {
		t.Fatalf("CheckReplace of a writable file: %v", err)
	}
	if err := os.Chmod(path, 0o444); err != nil { // the read-only attribute
		t.Fatal(err)
	}
	defer os.Chmod(path, 0o644)
	if err := CheckReplace(path); !errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), "model.safetensors: read-only, which Windows will not replace") {
		t.Errorf("CheckReplace of a read-only file: %v; want it told", err)
	}
	if err := Check(path); err != nil {
		t.Errorf("Check of a read-only file in a folder one may write to: %v; want nil (its folder is Check's)", err)
	}
	if err := CheckReplace(path + ".missing"); err != nil {
		t.Errorf("CheckReplace of a file not there: %v; want nil", err)
	}
}

// TestCheckReplaceRefusesAHeldFile: a file another handle holds open
// without sharing its deletion (os.Open's, as Excel's) for two seconds is
// told before the work, and passes once the holder lets go, or if it lets
// go within them.
func TestCheckReplaceRefusesAHeldFile(t *testing.T) {
	path := filepath.Join(tempDir(t), "predictions.csv")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	held, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckReplace(path); !errors.Is(err, ErrHeldOpen) || !strings.Contains(err.Error(), "predictions.csv: open in another program") {
		t.Errorf("CheckReplace of a file held open: %v; want it told", err)
	}
	held.Close()
	if err := CheckReplace(path); err != nil {
		t.Errorf("CheckReplace once the holder let go: %v; want nil", err)
	}
	// A hold of a moment (an antivirus, the indexer) is waited out.
	if held, err = os.Open(path); err != nil {
		t.Fatal(err)
	}
	go func() { time.Sleep(300 * time.Millisecond); held.Close() }()
	if err := CheckReplace(path); err != nil {
		t.Errorf("CheckReplace of a file held for 300 ms: %v; want nil, the hold waited out", err)
	}
}

// tempDir is a new folder for t, removed after it as far as the system
// can: not t.TempDir, whose clean-up fails under Wine 8 (Go 1.26 removes
// files with FileDispositionInformationEx, which Wine 8 does not know).
func tempDir(t *testing.T) string {
	dir, err := os.MkdirTemp("", "wiggle-atomicfile")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}
