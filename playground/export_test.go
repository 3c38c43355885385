package playground

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wigglenn/wiggle/internal/atomicfile"
)

// fullDisk is a site whose file at fails part-way through, as a copy onto
// a disk that fills does.
type fullDisk struct {
	fs.FS
	at string
}

func (f fullDisk) Open(name string) (fs.File, error) {
	file, err := f.FS.Open(name)
	if err != nil || name != f.at {
		return file, err
	}
	return &failingRead{File: file}, nil
}

type failingRead struct {
	fs.File
	read int
}

func (f *failingRead) Read(p []byte) (int, error) {
	if f.read > 0 {
		return 0, syscall.ENOSPC
	}
	n, err := f.File.Read(p[:min(len(p), 1000)])
	f.read += n
	return n, err
}

// TestExportFailingLeavesTheFolderAsItWas: a copy that fails at the last
// large file (wiggle.wasm, after index.html and the scripts) put nothing
// in place: an earlier export stays whole, not half old and half new, a
// folder the export made is gone, and no staging folder is left; one a
// killed export left goes with the next.
func TestExportFailingLeavesTheFolderAsItWas(t *testing.T) {
	site := fullDisk{Files(), "wiggle.wasm"}
	earlier := t.TempDir()
	if err := Export(earlier); err != nil {
		t.Fatal(err)
	}
	index := filepath.Join(earlier, "index.html")
	if err := os.WriteFile(index, []byte("<html>the earlier export</html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := export(site, earlier)
	if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "nothing was put in "+earlier+", which is as it was") {
		t.Errorf("an export onto a full disk: %v; want ENOSPC and that nothing was put in place", err)
	}
	if got, _ := os.ReadFile(index); string(got) != "<html>the earlier export</html>" {
		t.Errorf("index.html of the earlier export is now %.40q: the failed export replaced it", got)
	}
	if left, _ := filepath.Glob(filepath.Join(earlier, atomicfile.StagingPrefix+"*")); len(left) != 0 {
		t.Errorf("the failed export left %v", left)
	}

	// A killed export's staging folder goes with the next export.
	killed := filepath.Join(earlier, atomicfile.StagingPrefix+"123")
	if err := os.MkdirAll(killed, 0o755); err != nil {
		t.Fatal(err)
	}
	long := time.Now().Add(-atomicfile.StaleStaging - time.Minute)
	if err := os.Chtimes(killed, long, long); err != nil {
		t.Fatal(err)
	}
	if err := Export(earlier); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(killed); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a killed export's staging folder is still there after the next (%v)", err)
	}

	fresh := filepath.Join(t.TempDir(), "site")
	if err := export(site, fresh); err == nil {
		t.Fatal("an export onto a full disk into a new folder passed")
	}
	if _, err := os.Stat(fresh); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the failed export left the folder it made (%v)", err)
	}
}
