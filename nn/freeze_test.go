package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/tensor"
)

// TestFrozenForwardRunsActivationsInPlace holds a frozen network's
// inference, whose activations run over the layer before's output (a relu
// after a Dense layer in its product), to the same network's unfrozen
// one, bit for bit; checks that the activations after a Dense did run in
// place, and that nothing ran over a buffer read again: the network's
// input (an activation first, or after a Dropout that passes its input
// on), the output of a layer of another package, or that of a layer that
// appears twice.
func TestFrozenForwardRunsActivationsInPlace(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	shared := NewDense(40, 40) // appears twice in its network
	for c, layers := range [][]func() Layer{
		{tanhLayer, denseLayer(5, 40), reluLayer, denseLayer(40, 3)},
		{dropoutLayer, tanhLayer, denseLayer(5, 40), reluLayer, dropoutLayer, tanhLayer, denseLayer(40, 3)},
		{denseLayer(5, 40), tanhLayer, denseLayer(40, 3), reluLayer},
		{denseLayer(5, 40), func() Layer { return shared }, tanhLayer, func() Layer { return shared }, reluLayer, denseLayer(40, 3)},
		{denseLayer(5, 40), newKeeper, tanhLayer, denseLayer(40, 3)},
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
		want := slices.Clone(build().Forward(x, false).Data)
		frozen := build()
		frozen.Freeze()
		got := frozen.Forward(x, false)
		if !sameBits(got.Data, want) {
			t.Errorf("network %d: the frozen network's outputs differ from the unfrozen one's", c)
		}
		if !slices.Equal(x.Data, before) {
			t.Errorf("network %d: the frozen network wrote to its input", c)
		}
		for i, l := range frozen.Layers[1:] {
			d, ok := frozen.Layers[i].(*Dense)
			if a, isAct := l.(*Activation); ok && isAct && frozen.distinct && a.y != d.out {
				t.Errorf("network %d: the activation after layer %d ran into a buffer of its own", c, i)
			}
		}
		if k, ok := frozen.Layers[1].(*keeper); ok && !sameBits(k.returned, k.out.Data) {
			t.Errorf("network %d: an activation ran over the output of a layer of another package", c)
		}
	}
}

// keeper is a layer of another package's kind: a Dense layer that keeps a
// copy of the output it returns, to tell whether anything overwrote it.
type keeper struct {
	*Dense
	returned []float32
}

// newKeeper returns a keeper of 40 units, its weights filled (InitDefault
// knows nn's layers only).
func newKeeper() Layer {
	d := NewDense(40, 40)
	rng := rand.New(rand.NewPCG(16, 16))
	for _, p := range d.Params() {
		for i := range p.Value {
			p.Value[i] = float32(rng.NormFloat64() / 8)
		}
	}
	return &keeper{Dense: d}
}

func (k *keeper) Forward(x *tensor.Matrix, training bool) *tensor.Matrix {
	y := k.Dense.Forward(x, training)
	k.returned = slices.Clone(y.Data)
	return y
}

func sameBits(a, b []float32) bool {
	return slices.EqualFunc(a, b, func(x, y float32) bool { return math.Float32bits(x) == math.Float32bits(y) })
}

func tanhLayer() Layer    { return NewActivation(act.MustNew("tanh")) }
func reluLayer() Layer    { return NewActivation(act.MustNew("relu")) }
func dropoutLayer() Layer { return NewDropout(0.5, rand.New(rand.NewPCG(13, 13))) }
func denseLayer(in, out int) func() Layer {
	return func() Layer { return NewDense(in, out) }
}

// TestFrozenNetworkRefusesBackward: every backward pass of a frozen
// network panics saying what Freeze is, before it touches a gradient; a
// hand loop had trained a frozen network whose Forward read the weights
// of the moment it froze.
func TestFrozenNetworkRefusesBackward(t *testing.T) {
	net := NewMLP(3, []int{4}, 2, act.MustNew("relu"), rand.New(rand.NewPCG(5, 6)))
	net.Freeze()
	x, dOut := tensor.New(2, 3), tensor.New(2, 2)
	dOut.Data[0] = 1
	net.Forward(x, true)
	for name, pass := range map[string]func(){
		"Backward":          func() { net.Backward(dOut) },
		"BackwardParams":    func() { net.BackwardParams(dOut) },
		"Gradients":         func() { net.Gradients(dOut) },
		"GradientsStepping": func() { net.GradientsStepping(dOut, Momentum{Bufs: bufsOf(net), LR: 0.1, Mu: 0.9}) },
	} {
		func() {
			defer func() {
				want := "nn: Sequential." + name + " of a frozen network: Freeze readies a network for inference alone"
				if r := recover(); r == nil || !strings.HasPrefix(fmt.Sprint(r), want) {
					t.Errorf("%s: recovered %v; want %q", name, r, want)
				}
			}()
			pass()
		}()
		for _, p := range net.Params() {
			if slices.ContainsFunc(p.Grad, func(g float32) bool { return g != 0 }) {
				t.Errorf("%s: %s's gradient changed", name, p.Name)
			}
		}
	}
}
