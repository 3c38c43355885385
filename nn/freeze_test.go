package nn

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/tensor"
)

// TestFrozenForwardRunsActivationsInPlace holds a frozen network's
// inference, whose activations run over the layer before's output (a relu
// after a Dense layer in its product), to the same network's unfrozen
// one, bit for bit; checks that the activations after a Dense did run in
// place, and that those over the network's input (first, or after a
// Dropout that passes its input on) left it alone.
func TestFrozenForwardRunsActivationsInPlace(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	for c, layers := range [][]func() Layer{
		{tanhLayer, denseLayer(5, 40), reluLayer, denseLayer(40, 3)},
		{dropoutLayer, tanhLayer, denseLayer(5, 40), reluLayer, dropoutLayer, tanhLayer, denseLayer(40, 3)},
		{denseLayer(5, 40), tanhLayer, denseLayer(40, 3), reluLayer},
	} {
		build := func() *Sequential {
			var ls []Layer
			for _, l := range layers {
				ls = append(ls, l())
			}
			s := NewSequential(5, ls...)
			InitDefault(s, rand.New(rand.NewPCG(12, 12)))
			return s
		}
		x := tensor.New(70, 5)
		for i := range x.Data {
			x.Data[i] = float32(rng.NormFloat64())
		}
		before := slices.Clone(x.Data)
		want := build().Forward(x, false)
		frozen := build()
		frozen.Freeze()
		got := frozen.Forward(x, false)
		if !slices.Equal(got.Data, want.Data) {
			t.Errorf("network %d: the frozen network's outputs differ from the unfrozen one's", c)
		}
		if !slices.Equal(x.Data, before) {
			t.Errorf("network %d: the frozen network wrote to its input", c)
		}
		for i, l := range frozen.Layers[1:] {
			d, ok := frozen.Layers[i].(*Dense)
			if a, isAct := l.(*Activation); ok && isAct && a.y != d.out {
				t.Errorf("network %d: the activation after layer %d ran into a buffer of its own", c, i)
			}
		}
	}
}

func tanhLayer() Layer    { return NewActivation(act.MustNew("tanh")) }
func reluLayer() Layer    { return NewActivation(act.MustNew("relu")) }
func dropoutLayer() Layer { return NewDropout(0.5, rand.New(rand.NewPCG(13, 13))) }
func denseLayer(in, out int) func() Layer {
	return func() Layer { return NewDense(in, out) }
}
