package nn

import (
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/wigglenn/wiggle/internal/hugepages/hugepagestest"
	"github.com/wigglenn/wiggle/tensor"
)

// TestKeptBuffersAreCarved: a network's own layers keep their outputs and
// input gradients in storage cut from the huge pages' slabs, so a
// training's first step faults in no 4 KiB pages for them; a Replica's
// layers, which may live for one evaluation, keep theirs out of the slabs.
// Every kind of layer Build knows is here.
func TestKeptBuffersAreCarved(t *testing.T) {
	spec := Spec{In: 3, Layers: []LayerSpec{
		{Type: "dense", In: 3, Out: 6},
		{Type: "activation", Act: "tanh"},
		{Type: "prelu", Units: 6},
		{Type: "dropout", P: 0.5},
		{Type: "maxout", In: 6, Out: 2, Pieces: 3},
	}}
	x := tensor.FromRows([][]float32{{1, -2, 3}, {0.5, 0, -1}})
	dOut := tensor.FromRows([][]float32{{1, -1}, {0.5, 2}})
	for _, replica := range []bool{false, true} {
		carved := hugepagestest.CarvedDuring(t, func() []unsafe.Pointer {
			net, err := Build(spec, rand.New(rand.NewPCG(1, 2)))
			if err != nil {
				t.Fatal(err)
			}
			if replica {
				if net, err = net.Replica(); err != nil {
					t.Fatal(err)
				}
			}
			net.Forward(x, true)
			net.Backward(dOut)
			var addrs []unsafe.Pointer
			for i, m := range keptBuffers(net) {
				if m == nil || len(m.Data) == 0 {
					t.Fatalf("replica %v: buffer %d of the layers' kept ones is empty after Forward and Backward", replica, i)
				}
				addrs = append(addrs, unsafe.Pointer(&m.Data[0]))
			}
			return addrs
		})
		if carved == nil {
			t.Skip("hugepages.Carve cuts no slabs here")
		}
		for i, c := range carved {
			if c == replica {
				t.Errorf("replica %v: kept buffer %d carved %v, want %v", replica, i, c, !replica)
			}
		}
	}
}

// keptBuffers lists the outputs and input gradients net's layers keep.
func keptBuffers(net *Sequential) []*tensor.Matrix {
	var kept []*tensor.Matrix
	for _, l := range net.Layers {
		switch l := l.(type) {
		case *Dense:
			kept = append(kept, l.out, l.dInput)
		case *Activation:
			kept = append(kept, l.y, l.dInput)
		case *PReLU:
			kept = append(kept, l.y, l.dInput)
		case *Dropout:
			kept = append(kept, l.y, l.dInput)
		case *Maxout:
			kept = append(kept, l.y, l.dZ, l.Linear.out, l.Linear.dInput)
		}
	}
	return kept
}
