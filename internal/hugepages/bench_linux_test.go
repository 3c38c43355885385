package hugepages

import (
	"math/rand/v2"
	"testing"
	"unsafe"
)

// BenchmarkGather copies a batch of 128 rows, picked at random, out of
// MNIST-sized data (60,000 rows of 784 floats), as a training step gathers
// its batch; between batches it reads 16 MiB of other memory, as a step's
// products do, so that the data's lines and page-table entries are not
// left cached. The data come from make (base pages) and from Floats (huge
// pages), both made first, so that neither reuses memory the other
// touched; it runs only where that holds.
func BenchmarkGather(b *testing.B) {
	const rows, cols, batch = 60000, 784, 128
	for _, c := range []struct {
		name string
		data []float32
		huge bool
	}{{"make", make([]float32, rows*cols), false}, {"Floats", Floats(rows * cols), true}} {
		b.Run(c.name, func(b *testing.B) {
			data := c.data
			for i := range data {
				data[i] = float32(i % 255)
			}
			if huge := mappingOf(b, uintptr(unsafe.Pointer(&data[len(data)/2]))).hugeBytes > 0; huge != c.huge {
				b.Skipf("the data from %s are in huge pages: %v, want %v", c.name, huge, c.huge)
			}
			other := make([]float32, 4<<20)
			for i := range other {
				other[i] = 1
			}
			dst := make([]float32, batch*cols)
			rng := rand.New(rand.NewPCG(1, 2))
			picked := make([]int, batch)
			var sink float32
			for b.Loop() {
				b.StopTimer()
				for i := range picked {
					picked[i] = rng.IntN(rows)
				}
				for i := 0; i < len(other); i += 16 {
					sink += other[i]
				}
				b.StartTimer()
				for i, r := range picked {
					copy(dst[i*cols:(i+1)*cols], data[r*cols:(r+1)*cols])
				}
			}
			b.ReportMetric(float64(batch*cols*4)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GB/s")
			_ = sink
		})
	}
}
