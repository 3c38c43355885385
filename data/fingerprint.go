package data

import (
	"fmt"
	"hash/crc32"

	"github.com/wigglenn/wiggle/internal/float32le"
)

// Fingerprint identifies a data set's rows: their number and a CRC-32C of
// the features' bits, the labels and the target values, as
// "300 rows, CRC-32C 1a2b3c4d". The same rows give the same print; rows
// gained, lost or changed give another. Checkpoints record it, so that a
// resume on other data is refused.
func Fingerprint(ds *Dataset) string {
	h := crc32.New(crc32.MakeTable(crc32.Castagnoli))
	w := float32le.NewWriter(h)
	if ds != nil && ds.X != nil {
		w.Floats(ds.X.Data)
	}
	if ds != nil {
		for _, y := range ds.Labels {
			w.Uint32(uint32(y))
		}
		if ds.Values != nil {
			w.Floats(ds.Values.Data)
		}
	}
	w.Flush() // a hash takes every write
	return fmt.Sprintf("%d rows, CRC-32C %08x", ds.Len(), h.Sum32())
}
