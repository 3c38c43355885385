package memlimit

import (
	"os"
	"path/filepath"
	"testing"
)

// TestLeastUpFrom: a cgroup's room is the least of its own and its
// ancestors'; a path missing under the root (a container shown the host's
// path) reads the root's.
func TestLeastUpFrom(t *testing.T) {
	root := t.TempDir()
	write := func(dir, max, anon string) {
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "memory.max"), []byte(max), 0o644)
		os.WriteFile(filepath.Join(dir, "memory.stat"), []byte("anon "+anon+"\n"), 0o644)
	}
	write(root, "max", "0")
	write(filepath.Join(root, "a"), "3000000000", "1000000000") // a parent's limit: 2 GB left
	write(filepath.Join(root, "a", "b"), "max", "500000000")
	v2 := func(files func(string) string) (Room, bool) { return cgroupV2Room(files, 0) }
	if r, ok := leastUpFrom(root, "/a/b", v2); !ok || r.Bytes != 2e9 {
		t.Errorf("a/b under a's limit: %+v %v; want 2 GB", r, ok)
	}
	write(root, "1500000000", "500000000")
	if r, ok := leastUpFrom(root, "/docker/elsewhere", v2); !ok || r.Bytes != 1e9 {
		t.Errorf("a path missing here: %+v %v; want the root's 1 GB", r, ok)
	}
	if _, ok := leastUpFrom(filepath.Join(root, "none"), "/x", v2); ok {
		t.Error("no cgroup files gave a room")
	}
}
