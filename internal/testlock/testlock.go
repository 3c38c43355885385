//go:build unix || windows

// Package testlock lets tests in different packages, which go test runs at
// the same time, take turns for work that must not share the machine: the
// playground's speed measurements, and the tests that run training
// processes flat out. A test holding the lock runs alone among them.
package testlock

import (
	"os"
	"path/filepath"
	"testing"
)

// Exclusive blocks until no other test holds the lock, and holds it until
// t ends.
func Exclusive(t testing.TB) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(os.TempDir(), "wiggle-exclusive-tests.lock"), os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		t.Fatalf("test lock: %v", err)
	}
	if err := lock(f); err != nil {
		f.Close()
		t.Fatalf("test lock: %v", err)
	}
	t.Cleanup(func() {
		unlock(f)
		f.Close()
	})
}
