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
// copy. Before, Load allocated seven: the file's bytes, their float32s,
// the network's weights and gradients, the packed copy and a replica's
// weights and gradients.
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
	m, allocated := allocatedBy(t, func() (*Model, error) { return Load(path) })
	t.Logf("Load allocated %.1f MB for %.1f MB of weights", allocated/1e6, float64(weights)/1e6)
	if allocated > 2.3*float64(weights) {
		t.Errorf("Load allocated %.1f MB for %.1f MB of weights: %.1f copies, want 2", allocated/1e6, float64(weights)/1e6, allocated/float64(weights))
	}
	x := tensor.New(64, 784)
	first := m.workers.Get().(*worker)
	first.net.Forward(x, false) // the engine's own scratch, once a process, is not the replica's
	_, replica := allocatedBy(t, func() (*Model, error) {
		second := m.workers.Get().(*worker) // a replica made now
		second.net.Forward(x, false)        // its buffers: 64 rows of each layer
		m.workers.Put(second)
		return m, nil
	})
	m.workers.Put(first)
	t.Logf("a second worker's first evaluation of %d rows allocated %.2f MB", x.Rows, replica/1e6)
	if replica > 0.1*float64(weights) {
		t.Errorf("a second worker's first evaluation allocated %.1f MB beside %.1f MB of weights; want its buffers alone", replica/1e6, float64(weights)/1e6)
	}
}

// allocatedBy runs load and returns its model and the bytes it allocated.
func allocatedBy(t *testing.T, load func() (*Model, error)) (*Model, float64) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m, err := load()
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	return m, float64(after.TotalAlloc - before.TotalAlloc)
}
