package act

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkActivations reports ns per element of Forward and Backward over
// 1M float32 inputs spread over [-8, 8], for every catalogue entry.
func BenchmarkActivations(b *testing.B) {
	const n = 1 << 20
	rng := rand.New(rand.NewPCG(5, 6))
	x, y, dX, dOut := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range x {
		x[i] = float32(rng.Float64()*16 - 8)
		dOut[i] = 1
	}
	for _, name := range Names() {
		f := MustNew(name)
		f.Forward(y, x)
		b.Run(name+"/forward", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				f.Forward(y, x)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/elem")
		})
		b.Run(name+"/backward", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				f.Backward(dX, dOut, x, y)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/elem")
		})
	}
}
