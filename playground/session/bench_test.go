package session

import "testing"

// BenchmarkEpochDeepNarrow is one epoch of TF Playground's largest network
// (6 hidden layers of 8, relu, spiral with half the points held out, batch
// 10), measurements included, natively.
func BenchmarkEpochDeepNarrow(b *testing.B) {
	cfg := Default()
	cfg.Hidden, cfg.LR = []int{8, 8, 8, 8, 8, 8}, 0.03
	s, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Epoch(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDeepNarrowByActivation is an epoch and a regions view of TF
// Playground's largest network under each of its four activations, and
// under gelu, whose plain Go was the costliest of the rest: the plain Go
// activations' share of the page's work (with -tags purego, or under
// GOOS=js GOARCH=wasm, as the page runs).
func BenchmarkDeepNarrowByActivation(b *testing.B) {
	for _, name := range []string{"identity", "relu", "tanh", "sigmoid", "gelu"} {
		cfg := Default()
		cfg.Hidden, cfg.LR, cfg.Act = []int{8, 8, 8, 8, 8, 8}, 0.03, name
		s, err := New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name+"/epoch", func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Epoch(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/regions50", func(b *testing.B) {
			for b.Loop() {
				s.Regions(50)
			}
		})
	}
}

// BenchmarkWideDeep is an epoch, a regions view and a layers view of 8
// hidden layers of 64.
func BenchmarkWideDeep(b *testing.B) {
	cfg := Default()
	cfg.Hidden, cfg.LR = []int{64, 64, 64, 64, 64, 64, 64, 64}, 0.01
	s, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("epoch", func(b *testing.B) {
		for b.Loop() {
			s.Epoch()
		}
	})
	b.Run("regions50", func(b *testing.B) {
		for b.Loop() {
			s.Regions(50)
		}
	})
	b.Run("layers+neurons16", func(b *testing.B) {
		for b.Loop() {
			s.Layers()
			s.Neurons(16)
		}
	})
}

// BenchmarkViewsDeepNarrow are the views of TF Playground's largest
// network.
func BenchmarkViewsDeepNarrow(b *testing.B) {
	cfg := Default()
	cfg.Hidden = []int{8, 8, 8, 8, 8, 8}
	s, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("regions50", func(b *testing.B) {
		for b.Loop() {
			s.Regions(50)
		}
	})
	b.Run("layers", func(b *testing.B) {
		for b.Loop() {
			s.Layers()
		}
	})
	b.Run("neurons16", func(b *testing.B) {
		for b.Loop() {
			s.Neurons(16)
		}
	})
}
