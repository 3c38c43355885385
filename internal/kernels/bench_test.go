package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkGemm reports GFLOP/s of C = A·Bᵀ at 1024³ and at the shapes of
// the 784-256-256-10 MLP with batch 128, on 1 and 2 threads.
func BenchmarkGemm(b *testing.B) {
	shapes := []struct {
		name    string
		m, n, k int
		transA  bool
		transB  bool
	}{
		{"1024", 1024, 1024, 1024, false, true},
		{"fwd128x256x784", 128, 256, 784, false, true},
		{"dW256x784x128", 256, 784, 128, true, false},
		{"dX128x784x256", 128, 784, 256, false, false},
		{"fwd128x10x256", 128, 10, 256, false, true},
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for _, threads := range []int{1, 2} {
		for _, s := range shapes {
			o := randomOp(rng, s.m, s.n, s.k, s.transA, s.transB, false)
			b.Run(fmt.Sprintf("%s/threads=%d", s.name, threads), func(b *testing.B) {
				defer SetThreads(SetThreads(threads))
				b.ReportAllocs()
				for b.Loop() {
					Gemm(o)
				}
				b.ReportMetric(2*float64(s.m*s.n*s.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}
