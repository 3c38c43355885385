package data

import (
	"fmt"
	"io"

	"github.com/wigglenn/wiggle/tensor"
)

// ImagesDataset makes a dataset of images [n, h, w] (or [n, features]) and
// labels [n] in [0, classes), pixels scaled from 0–255 to [0, 1].
func ImagesDataset(images, labels *IDX, classes int) (*Dataset, error) {
	if images == nil || labels == nil {
		return nil, fmt.Errorf("images or labels missing (nil)")
	}
	n, features, err := imageShape(images.Dims, labels)
	if err != nil {
		return nil, err
	}
	if len(images.Data) != n*features || len(labels.Data) != n {
		return nil, fmt.Errorf("images of dimensions %v hold %d bytes and labels of %v hold %d; want %d and %d", images.Dims, len(images.Data), labels.Dims, len(labels.Data), n*features, n)
	}
	x := tensor.New(n, features)
	scalePixels(x.Data, images.Data)
	return imagesDataset(x, labels, classes)
}

// ReadImages reads a dataset from an IDX file of images [n, h, w] (or
// [n, features]) and one of labels [n] in [0, classes), plain or gzip, as
// ImagesDataset makes it. The pixels go straight from the file into the
// float32 matrix, a megabyte at a time, so no copy of the bytes is kept;
// only a header that declares more data than the file can hold (see
// ReadIDXFile) is read the slow way.
func ReadImages(imagesPath, labelsPath string, classes int) (*Dataset, error) {
	labels, err := ReadIDXFile(labelsPath)
	if err != nil {
		return nil, err
	}
	x, err := readPixels(imagesPath, labels)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", imagesPath, err)
	}
	return imagesDataset(x, labels, classes)
}

// readPixels reads an IDX file of images into a matrix [n, features] of
// pixels scaled to [0, 1].
func readPixels(path string, labels *IDX) (*tensor.Matrix, error) {
	f, size, err := openSized(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	x, err := openIDX(f)
	if err != nil {
		return nil, err
	}
	defer x.close()
	n, features, err := imageShape(x.dims, labels)
	if err != nil {
		return nil, err
	}
	if int64(x.total) > x.capacity(size) { // more than the file is taken to hold: read as it arrives, to fail cheaply
		data, err := readExactly(x.br, x.total, -1)
		if err != nil {
			return nil, x.truncated(len(data), err)
		}
		m := tensor.New(n, features)
		scalePixels(m.Data, data)
		return m, x.finish()
	}
	m := tensor.New(n, features)
	buf := make([]byte, 1<<20)
	for done := 0; done < x.total; {
		got, err := io.ReadFull(x.br, buf[:min(len(buf), x.total-done)])
		scalePixels(m.Data[done:], buf[:got])
		done += got
		if err != nil {
			return nil, x.truncated(done, err)
		}
	}
	return m, x.finish()
}

// imageShape checks images of dimensions dims against their labels and
// returns the count and the features per image.
func imageShape(dims []int, labels *IDX) (n, features int, err error) {
	if len(dims) < 2 || len(labels.Dims) != 1 {
		return 0, 0, fmt.Errorf("images of dimensions %v and labels of %v; want [n, ...] and [n]", dims, labels.Dims)
	}
	n = dims[0]
	if labels.Dims[0] != n {
		return 0, 0, fmt.Errorf("%d images but %d labels; the counts must match", n, labels.Dims[0])
	}
	features = 1
	for _, d := range dims {
		if d < 1 || d > maxIDX {
			return 0, 0, fmt.Errorf("images of dimensions %v; want each from 1 to %d", dims, maxIDX)
		}
	}
	for _, d := range dims[1:] {
		if features *= d; features > maxIDX {
			return 0, 0, fmt.Errorf("images of dimensions %v: more than %d numbers an image", dims, maxIDX)
		}
	}
	if n > maxIDX/features {
		return 0, 0, fmt.Errorf("images of dimensions %v: more than %d numbers in all", dims, maxIDX)
	}
	return n, features, nil
}

// scalePixels sets dst[i] = src[i]/255.
func scalePixels(dst []float32, src []byte) {
	for i, b := range src {
		dst[i] = float32(b) / 255
	}
}

// imagesDataset wraps pixels x and their labels.
func imagesDataset(x *tensor.Matrix, labels *IDX, classes int) (*Dataset, error) {
	if classes < 1 || classes > 256 {
		return nil, fmt.Errorf("%d classes; want 1 to 256 (an IDX file's labels are bytes)", classes)
	}
	ds := &Dataset{X: x, Labels: make([]int, x.Rows), Classes: classes, Target: "label"}
	for i, b := range labels.Data {
		if int(b) >= classes {
			return nil, fmt.Errorf("label %d of item %d; want 0 to %d", b, i, classes-1)
		}
		ds.Labels[i] = int(b)
	}
	for j := range x.Cols {
		ds.Features = append(ds.Features, fmt.Sprintf("px%d", j))
	}
	for c := range classes {
		ds.ClassNames = append(ds.ClassNames, fmt.Sprint(c))
	}
	return ds, nil
}
