package data

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
)

// Fingerprint identifies a data set's rows: their number and a CRC-32C of
// the features' bits, the labels and the target values, as
// "300 rows, CRC-32C 1a2b3c4d". The same rows give the same print; rows
// gained, lost or changed give another. Checkpoints record it, so that a
// resume on other data is refused.
func Fingerprint(ds *Dataset) string {
	h := crc32.New(crc32.MakeTable(crc32.Castagnoli))
	buf := make([]byte, 0, 1<<16)
	put := func(v uint32) {
		if buf = binary.LittleEndian.AppendUint32(buf, v); len(buf) == cap(buf) {
			h.Write(buf)
			buf = buf[:0]
		}
	}
	if ds != nil && ds.X != nil {
		for _, v := range ds.X.Data {
			put(math.Float32bits(v))
		}
	}
	if ds != nil {
		for _, y := range ds.Labels {
			put(uint32(y))
		}
		if ds.Values != nil {
			for _, v := range ds.Values.Data {
				put(math.Float32bits(v))
			}
		}
	}
	h.Write(buf)
	return fmt.Sprintf("%d rows, CRC-32C %08x", ds.Len(), h.Sum32())
}
