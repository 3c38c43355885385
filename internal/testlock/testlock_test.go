//go:build unix || windows

package testlock

import (
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// TestExclusive: while one test holds the lock, another file's lock on it
// waits (as another test process's would), and takes it once the holder's
// test ends.
func TestExclusive(t *testing.T) {
	var taken atomic.Bool
	done := make(chan error, 1)
	t.Run("holder", func(t *testing.T) {
		Exclusive(t)
		f, err := os.OpenFile(filepath.Join(os.TempDir(), "wiggle-exclusive-tests.lock"), os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			err := lock(f)
			taken.Store(true)
			if err == nil {
				err = unlock(f)
			}
			f.Close()
			done <- err
		}()
		time.Sleep(100 * time.Millisecond)
		if taken.Load() {
			t.Error("a second lock was taken while the first was held")
		}
	})
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("the second lock, once the first was let go: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("the second lock was not taken within 10 s of the first's release")
	}
}
