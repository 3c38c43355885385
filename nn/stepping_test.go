package nn

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/engine"
	"github.com/wigglenn/wiggle/internal/kernels"
	"github.com/wigglenn/wiggle/tensor"
)

// TestGradientsSteppingMatchesGradientsThenSteps holds GradientsStepping
// to Gradients and then a momentum (or Nesterov) step of every parameter,
// bit for bit in the weights and buffers over three steps, on one thread
// and on two: an MLP whose weight gradients go in bands, every layer type
// (PReLU, Maxout, Dropout: stepped after their Backward), and a network
// with a layer twice (Gradients, then the steps). The parameters other
// than Dense weights keep their gradients, as Gradients leaves them; the
// first layer's W.Grad stays empty where its bands were stepped.
func TestGradientsSteppingMatchesGradientsThenSteps(t *testing.T) {
	for _, c := range []struct {
		name  string
		build func() *Sequential
		in    int
	}{
		{"mlp", func() *Sequential {
			return NewMLP(300, []int{256, 200}, 10, act.MustNew("relu"), rand.New(rand.NewPCG(1, 2)))
		}, 300},
		{"every layer", func() *Sequential {
			net, err := Build(Spec{In: 30, Layers: []LayerSpec{
				{Type: "dense", In: 30, Out: 40}, {Type: "activation", Act: "tanh"},
				{Type: "dense", In: 40, Out: 36}, {Type: "prelu", Units: 1}, {Type: "dropout", P: 0.3},
				{Type: "maxout", In: 36, Out: 20, Pieces: 3}, {Type: "dense", In: 20, Out: 20},
				{Type: "prelu", Units: 20}, {Type: "dense", In: 20, Out: 7},
			}}, rand.New(rand.NewPCG(3, 4)))
			if err != nil {
				t.Fatal(err)
			}
			InitDefault(net, rand.New(rand.NewPCG(5, 6)))
			return net
		}, 30},
		{"a layer twice", func() *Sequential { return twiceOver(24, 5, 9) }, 24},
	} {
		for _, nesterov := range []bool{false, true} {
			for _, threads := range []int{1, 2} {
				name := fmt.Sprintf("%s, nesterov %v, %d threads", c.name, nesterov, threads)
				previous := engine.SetThreads(threads)
				release := engine.KeepHelperAwake()
				then, stepping := c.build(), c.build()
				bufsThen, bufsStepping := buffers(then), buffers(stepping)
				rng := rand.New(rand.NewPCG(10, 11))
				for step := range 3 {
					x := tensor.New(64, c.in)
					for i := range x.Data {
						x.Data[i] = float32(rng.NormFloat64())
					}
					dOut := gradientOf(then, x, step)
					then.Gradients(dOut)
					for j, p := range then.Params() {
						stepParam(p, bufsThen[j], nesterov)
					}
					stepping.GradientsStepping(gradientOf(stepping, x, step), Momentum{Bufs: bufsStepping, LR: 0.05, Mu: 0.9, Nesterov: nesterov})
				}
				for j, p := range stepping.Params() {
					q := then.Params()[j]
					if !sameBits(p.Value, q.Value) || !sameBits(bufsStepping[j], bufsThen[j]) {
						t.Errorf("%s: parameter %s differs from Gradients and then the steps", name, p.Name)
					}
					if _, isW := weightOfDense(stepping, p); !isW && !sameBits(p.Grad, q.Grad) {
						t.Errorf("%s: %s's gradient differs", name, p.Name)
					}
				}
				first := stepping.Layers[0].(*Dense) // its weight gradient goes in bands: stepped from them, never written
				if fast := !slices.ContainsFunc(first.W.Grad, func(g float32) bool { return g != 0 }); fast != (c.name != "a layer twice") {
					t.Errorf("%s: the first layer's weights stepped from bands %v", name, fast)
				}
				release()
				engine.SetThreads(previous)
			}
		}
	}
}

// twiceOver is in → relu → (the same Dense in → in) twice → out.
func twiceOver(in, out int, seed uint64) *Sequential {
	d := NewDense(in, in)
	net := NewSequential(in, NewDense(in, in), NewActivation(act.MustNew("relu")), d, NewActivation(act.MustNew("tanh")), d, NewDense(in, out))
	InitDefault(net, rand.New(rand.NewPCG(seed, seed)))
	return net
}

// gradientOf runs net forward on x in training mode and returns a loss
// gradient of its output's shape that depends on the step.
func gradientOf(net *Sequential, x *tensor.Matrix, step int) *tensor.Matrix {
	return lossGradient(net.Forward(x, true), step)
}

// lossGradient returns a loss gradient of y's shape that depends on the
// step.
func lossGradient(y *tensor.Matrix, step int) *tensor.Matrix {
	d := tensor.New(y.Rows, y.Cols)
	for i := range d.Data {
		d.Data[i] = float32((i*7+step*3)%11-5) / 64
	}
	return d
}

func buffers(net *Sequential) [][]float32 {
	var b [][]float32
	for _, p := range net.Params() {
		b = append(b, make([]float32, len(p.Value)))
	}
	return b
}

func stepParam(p *Param, buf []float32, nesterov bool) {
	if nesterov {
		kernels.NesterovStep(p.Value, buf, p.Grad, 0.05, 0.9)
		return
	}
	kernels.MomentumStep(p.Value, buf, p.Grad, 0.05, 0.9)
}

// weightOfDense reports whether p is the weight of one of net's Dense
// layers (not inside a Maxout).
func weightOfDense(net *Sequential, p *Param) (*Dense, bool) {
	for _, l := range net.Layers {
		if d, ok := l.(*Dense); ok && d.W == p {
			return d, true
		}
	}
	return nil, false
}

// TestGradientsSteppingRefusesWrongBuffers checks the panics on buffers
// that do not fit the parameters.
func TestGradientsSteppingRefusesWrongBuffers(t *testing.T) {
	net := NewMLP(4, []int{3}, 2, act.MustNew("relu"), rand.New(rand.NewPCG(1, 1)))
	dOut := net.Forward(tensor.New(2, 4), true)
	bufs := buffers(net)
	for name, m := range map[string]Momentum{
		"one buffer short": {Bufs: bufs[:len(bufs)-1]},
		"a short buffer":   {Bufs: append(slices.Clone(bufs[:1]), append([][]float32{bufs[1][:1]}, bufs[2:]...)...)},
	} {
		func() {
			defer func() {
				if _, ok := recover().(*tensor.ShapeError); !ok {
					t.Errorf("%s: no ShapeError", name)
				}
			}()
			net.GradientsStepping(dOut, m)
		}()
	}
}

// TestInputGradIsOfTheLastPass: a Dense layer's InputGrad is the dX its
// last backward pass computed, and nil after a pass that left it out
// (Gradients, for the first layer; BackwardParams), never an older
// pass's: a probe read a stale gradient as the step's.
func TestInputGradIsOfTheLastPass(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	net := NewMLP(3, []int{4}, 2, act.MustNew("tanh"), rng)
	first, second := net.Layers[0].(*Dense), net.Layers[2].(*Dense)
	x := tensor.New(5, 3)
	for i := range x.Data {
		x.Data[i] = float32(rng.NormFloat64())
	}
	dOut := tensor.New(5, 2)
	for i := range dOut.Data {
		dOut.Data[i] = float32(rng.NormFloat64())
	}
	passes := []struct {
		name        string
		run         func()
		firstHasDX  bool
		secondHasDX bool
	}{
		{"Backward", func() { net.ZeroGrad(); net.Backward(dOut) }, true, true},
		{"Gradients", func() { net.Gradients(dOut) }, false, true},
		{"Backward again", func() { net.ZeroGrad(); net.Backward(dOut) }, true, true},
		{"BackwardParams", func() { net.ZeroGrad(); net.BackwardParams(dOut) }, false, true},
	}
	for _, p := range passes {
		net.Forward(x, true)
		p.run()
		if got := first.InputGrad() != nil; got != p.firstHasDX {
			t.Errorf("after %s: the first layer's InputGrad present %v, want %v", p.name, got, p.firstHasDX)
		}
		if got := second.InputGrad() != nil; got != p.secondHasDX {
			t.Errorf("after %s: the second layer's InputGrad present %v, want %v", p.name, got, p.secondHasDX)
		}
	}
}
