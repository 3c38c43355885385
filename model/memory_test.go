package model

import (
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/tensor"
)

// TestLoadHoldsTheWeightsTwice: loading a model allocates its weights
// twice, as the file holds them (read without a copy) and packed for the
// products, and serving it from a second goroutine allocates no third
// copy. At ae20d2f, Load allocated 62.6 MB for these 7.5 MB of weights
// (the file's bytes, their float32s, the network's weights and gradients,
// the packed copy, a replica's weights and gradients) and a second
// worker's first evaluation 15.4 MB.
func TestLoadHoldsTheWeightsTwice(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's bookkeeping allocates beside the program")
	}
	net := nn.NewMLP(784, []int{1024, 1024}, 10, act.MustNew("relu"), rand.New(rand.NewPCG(1, 2)))
	path := filepath.Join(t.TempDir(), "m.safetensors")
	if err := modelio.Save(path, &modelio.Model{Net: net, Loss: "softmax"}); err != nil {
		t.Fatal(err)
	}
	weights := 4 * net.Size().Parameters
	var m *Model
	allocated := allocatedBy(func() {
		var err error
		if m, err = Load(path); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("Load allocated %.1f MB for %.1f MB of weights", allocated/1e6, float64(weights)/1e6)
	if allocated > 2.3*float64(weights) {
		t.Errorf("Load allocated %.1f MB for %.1f MB of weights: %.1f copies, want 2", allocated/1e6, float64(weights)/1e6, allocated/float64(weights))
	}
	x := tensor.New(64, 784)
	first := m.workers.Get().(*worker)
	first.net.Forward(x, false) // the engine's own scratch, once a process, is not the replica's
	replica := allocatedBy(func() {
		second := m.workers.Get().(*worker) // a replica made now
		second.net.Forward(x, false)        // its buffers: 64 rows of each layer
		m.workers.Put(second)
	})
	m.workers.Put(first)
	t.Logf("a second worker's first evaluation of %d rows allocated %.2f MB", x.Rows, replica/1e6)
	if replica > 0.1*float64(weights) {
		t.Errorf("a second worker's first evaluation allocated %.1f MB beside %.1f MB of weights; want its buffers alone", replica/1e6, float64(weights)/1e6)
	}
}

// allocatedBy returns the bytes f allocates.
func allocatedBy(f func()) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return float64(after.TotalAlloc - before.TotalAlloc)
}
