package hugepages

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkGather copies a batch of 128 rows, picked at random, out of
// MNIST-sized data (60,000 rows of 784 floats), as a training step gathers
// its batch; between batches it reads 16 MiB of other memory, as a step's
// products do, so that the data's lines and page-table entries are not
// left cached. The data come from make (4 KiB pages) and from Floats (2
// MiB pages), both made first, so that neither reuses memory the other
// touched. It runs where the kernel gives 2 MiB pages on request alone.
func BenchmarkGather(b *testing.B) {
	if !onRequest() {
		b.Skip("transparent huge pages are not set to madvise here: make and Floats get the same pages")
	}
	const rows, cols, batch = 60000, 784, 128
	for _, c := range []struct {
		name string
		data []float32
	}{{"make", make([]float32, rows*cols)}, {"Floats", Floats(rows * cols)}} {
		b.Run(c.name, func(b *testing.B) {
			data := c.data
			for i := range data {
				data[i] = float32(i % 255)
			}
			other := make([]float32, 4<<20)
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
