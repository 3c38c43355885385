package data

import (
	"fmt"

	"github.com/wigglenn/wiggle/tensor"
)

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
