package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/engine"
	"github.com/wigglenn/wiggle/tensor"
)

// TestForwardFusedMatchesForward holds a training step through
// ForwardFused to one through Forward(x, true), bit for bit in the output,
// every layer's input gradient and every parameter after three momentum
// steps (GradientsStepping), on one thread and on two: an MLP whose relus
// go into their Dense layers' products (MNIST's widths, and odd ones with
// edge tiles), a relu after layers that are not Dense and after a Dense
// layer of ten units (whose product goes transposed, with the relu after
// it), other activations, a layer twice (all through Forward), and an
// input with NaN in the last step. It checks that each relu after a Dense
// layer did fuse (its input is its output, the Dense layer's), and that
// a Forward after ForwardFused leaves the Dense layer's output as it was
// and gives the relu layers their inputs back.
func TestForwardFusedMatchesForward(t *testing.T) {
	for _, c := range []struct {
		name  string
		build func() *Sequential
		in    int
		fused int // relu layers that take their Dense layer's output
	}{
		{"mnist", func() *Sequential {
			return NewMLP(784, []int{256, 256}, 10, act.MustNew("relu"), rand.New(rand.NewPCG(1, 2)))
		}, 784, 2},
		{"odd widths", func() *Sequential {
			return NewMLP(37, []int{50, 10, 33}, 3, act.MustNew("relu"), rand.New(rand.NewPCG(3, 4)))
		}, 37, 3},
		{"mixed", func() *Sequential {
			net, err := Build(Spec{In: 30, Layers: []LayerSpec{
				{Type: "dense", In: 30, Out: 40}, {Type: "activation", Act: "relu"}, {Type: "dropout", P: 0.3},
				{Type: "activation", Act: "relu"}, {Type: "dense", In: 40, Out: 36}, {Type: "activation", Act: "leaky_relu"},
				{Type: "maxout", In: 36, Out: 20, Pieces: 3}, {Type: "activation", Act: "relu"},
				{Type: "dense", In: 20, Out: 7}, {Type: "activation", Act: "relu"},
			}}, rand.New(rand.NewPCG(5, 6)))
			if err != nil {
				t.Fatal(err)
			}
			InitDefault(net, rand.New(rand.NewPCG(7, 8)))
			return net
		}, 30, 2},
		{"a layer twice", func() *Sequential { return twiceOver(24, 5, 9) }, 24, 0},
	} {
		for _, threads := range []int{1, 2} {
			name := fmt.Sprintf("%s, %d threads", c.name, threads)
			previous := engine.SetThreads(threads)
			release := engine.KeepHelperAwake()
			plain, fused := c.build(), c.build()
			bufsPlain, bufsFused := buffers(plain), buffers(fused)
			rng := rand.New(rand.NewPCG(10, 11))
			for step := range 3 {
				x := tensor.New(64, c.in)
				for i := range x.Data {
					x.Data[i] = float32(rng.NormFloat64())
				}
				if step == 2 { // last: a NaN reaches every later weight
					x.Data[c.in+1] = float32(math.NaN())
				}
				want := plain.Forward(x, true)
				got := fused.ForwardFused(x)
				if !sameBits(got.Data, want.Data) {
					t.Fatalf("%s, step %d: the fused forward pass's output differs", name, step)
				}
				if n := fusedReLUs(fused); n != c.fused {
					t.Errorf("%s: %d relu layers fused, want %d", name, n, c.fused)
				}
				dOut := lossGradient(want, step)
				plain.GradientsStepping(dOut, Momentum{Bufs: bufsPlain, LR: 0.05, Mu: 0.9})
				fused.GradientsStepping(dOut, Momentum{Bufs: bufsFused, LR: 0.05, Mu: 0.9})
				for i, l := range fused.Layers {
					if g, ok := l.(interface{ InputGrad() *tensor.Matrix }); ok && g.InputGrad() != nil && !sameBits(g.InputGrad().Data, plain.Layers[i].(interface{ InputGrad() *tensor.Matrix }).InputGrad().Data) {
						t.Errorf("%s, step %d: layer %d's input gradient differs", name, step, i)
					}
				}
			}
			for j, p := range fused.Params() {
				if !sameBits(p.Value, plain.Params()[j].Value) || !sameBits(bufsFused[j], bufsPlain[j]) {
					t.Errorf("%s: parameter %s differs after three steps", name, p.Name)
				}
			}
			x := tensor.New(5, c.in)
			for i := range x.Data {
				x.Data[i] = float32(rng.NormFloat64())
			}
			fused.Forward(x, false)
			for i, l := range fused.Layers[1:] {
				d, isDense := fused.Layers[i].(*Dense)
				if a, ok := l.(*Activation); ok && isDense && (a.y == d.out || !sameBits(a.x.Data, d.out.Data) || slices.Min(d.out.Data) >= 0) {
					t.Errorf("%s: after ForwardFused and then Forward, the activation after layer %d still shares its Dense layer's output", name, i)
				}
			}
			release()
			engine.SetThreads(previous)
		}
	}
}

// fusedReLUs counts the relu layers of net whose input is their output
// and the output of the Dense layer before them.
func fusedReLUs(net *Sequential) int {
	n := 0
	for i, l := range net.Layers[1:] {
		d, isDense := net.Layers[i].(*Dense)
		if a, ok := l.(*Activation); ok && isDense && a.F.Name() == "relu" && a.x == a.y && a.y == d.out {
			n++
		}
	}
	return n
}
