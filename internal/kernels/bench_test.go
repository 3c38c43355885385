package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkGemm reports GFLOP/s of C = A·Bᵀ at 1024³, at the shapes of
// the 784-256-256-10 MLP with batch 128 (the eight products of a step of
// `wiggle train`, whose weight gradients go into their momentum steps:
// Op.Step, their GFLOP/s counting the product's flops alone; the first
// layer's weight gradient without its step, to compare; and its input
// gradient, which training skips), at those of 256 rows through it
// with B as it lies (an input gradient's layout), and at a 1024-unit
// layer's input gradient at batch 32, on 1 and 2 threads. C's rows lie
// one after another, as a layer's (until 2026-12-01's eighth session they
// were n+3 floats apart: figures from before then do not compare).
// (Inference of a frozen network reads packed weights: BenchmarkPredict
// in model.)
func BenchmarkGemm(b *testing.B) {
	shapes := []struct {
		name    string
		m, n, k int
		transA  bool
		transB  bool
		step    bool
	}{
		{"1024", 1024, 1024, 1024, false, true, false},
		{"fwd128x256x784", 128, 256, 784, false, true, false},
		{"fwd128x256x256", 128, 256, 256, false, true, false},
		{"fwd128x10x256", 128, 10, 256, false, true, false},
		{"dX128x256x10", 128, 256, 10, false, false, false},
		{"dW10x256x128step", 10, 256, 128, true, false, true},
		{"dX128x256x256", 128, 256, 256, false, false, false},
		{"dW256x256x128step", 256, 256, 128, true, false, true},
		{"dW256x784x128step", 256, 784, 128, true, false, true},
		{"dW256x784x128", 256, 784, 128, true, false, false},
		{"dX128x784x256", 128, 784, 256, false, false, false},
		{"dX32x1024x1024", 32, 1024, 1024, false, false, false}, // a 1024-unit layer's at batch 32: B packed (minPackedSpan)
		{"infer256x256x784", 256, 256, 784, false, false, false},
		{"infer256x256x256", 256, 256, 256, false, false, false},
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for _, threads := range []int{1, 2} {
		for _, s := range shapes {
			o := randomOp(rng, s.m, s.n, s.k, s.transA, s.transB, false)
			o.LDC, o.C = s.n, o.C[:s.m*s.n] // rows one after another, as a layer's
			if s.step {                     // a tiny rate: the weights barely move
				o.Step = &MomentumUpdate{W: randSlice(rng, s.m*s.n), Buf: randSlice(rng, s.m*s.n), LR: 1e-9, Mu: 0.9}
			}
			b.Run(fmt.Sprintf("%s/threads=%d", s.name, threads), func(b *testing.B) {
				defer SetThreads(SetThreads(threads))
				defer KeepHelperAwake()()
				b.ReportAllocs()
				for b.Loop() {
					Gemm(o)
				}
				b.ReportMetric(2*float64(s.m*s.n*s.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// BenchmarkVectorMath reports ns per element of the AVX2 routines over 1M
// inputs in [−8, 8].
func BenchmarkVectorMath(b *testing.B) {
	const n = 1 << 20
	rng := rand.New(rand.NewPCG(1, 1))
	x, y, dX, dOut := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range x {
		x[i], dOut[i] = float32(16*rng.Float64()-8), 1
	}
	for _, c := range []struct {
		name string
		f    func()
	}{
		{"exp", func() { Exp(y, x) }},
		{"sigmoid", func() { Sigmoid(y, x) }},
		{"tanh", func() { Tanh(y, x) }},
		{"sigmoid_backward", func() { SigmoidBackward(dX, dOut, y) }},
		{"tanh_backward", func() { TanhBackward(dX, dOut, y) }},
		{"relu", func() { ReLU(y, x) }},
		{"relu_backward", func() { ReLUBackward(dX, dOut, x) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.f()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/elem")
		})
	}
}

// BenchmarkMicroKernel reports GFLOP/s of the micro-kernel alone (its pair
// form, over two B panels, where it has one), its A and B panels (kc
// steps) and its tile in cache: the ceiling of every product.
func BenchmarkMicroKernel(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	mk := kernel
	a := randSlice(rng, mk.rows*kc)
	b0, b1 := randSlice(rng, kc*nr), randSlice(rng, kc*nr)
	c := make([]float32, mk.rows*2*nr)
	cols := nr
	if mk.pair != nil {
		cols = 2 * nr
	}
	for b.Loop() {
		if mk.pair != nil {
			mk.pair(mk.rows, kc, a, b0, b1, nr, c, cols, false, false, nil)
		} else {
			mk.run(kc, a, b0, nr, c, cols, false, nil)
		}
	}
	b.ReportMetric(2*float64(mk.rows*cols*kc)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}
