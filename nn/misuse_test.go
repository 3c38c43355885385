package nn

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/internal/panictest"
	"github.com/wigglenn/wiggle/tensor"
)

// TestMisusePanicsNamingIt: nil layers, layers written as literals, nil
// act.Funcs and nil or broken matrices panic with a message that says
// what is wrong (as the package doc promises), not a nil dereference or
// an index out of range.
func TestMisusePanicsNamingIt(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := tensor.New(2, 2)
	shortW := NewDense(2, 3)
	shortW.W.Value = shortW.W.Value[:5]
	for _, c := range []struct {
		name string
		call func()
		want string
	}{
		{"nil layer", func() { NewSequential(2, NewDense(2, 2), nil) }, "nn: NewSequential: layer 1: nil"},
		{"literal Dense in NewSequential", func() { NewSequential(2, &Dense{In: 2, Out: 2}) }, "layer 0: a Dense layer without In×Out weights"},
		{"literal Maxout in NewSequential", func() { NewSequential(2, &Maxout{Out: 1, Pieces: 2}) }, "layer 0: a Maxout layer without its pieces"},
		{"literal Activation in NewSequential", func() { NewSequential(2, NewDense(2, 2), &Activation{}) }, "layer 1: an Activation layer without its act.Func"},
		{"literal PReLU in NewSequential", func() { NewSequential(2, &PReLU{}) }, "layer 0: a PReLU layer without its slopes"},
		{"literal Dropout in NewSequential", func() { NewSequential(2, &Dropout{P: 0.5}) }, "layer 0: a Dropout layer without a source"},
		{"Dropout of rate 1 in NewSequential", func() { NewSequential(2, &Dropout{P: 1}) }, "layer 0: a Dropout layer of rate 1, outside [0, 1)"},
		{"short weights in NewSequential", func() { NewSequential(2, shortW) }, "layer 0: a Dense layer without In×Out weights"},
		{"Maxout of other pieces", func() { NewSequential(2, &Maxout{Out: 2, Pieces: 2, Linear: NewDense(2, 3)}) }, "not Out×Pieces outputs"},
		{"literal Dense", func() { (&Dense{In: 2, Out: 3}).Forward(x, true) }, "nn: a Dense layer without In×Out weights"},
		{"short weights", func() { shortW.Forward(x, true) }, "nn: a Dense layer without In×Out weights"},
		{"literal Activation", func() { (&Activation{}).Forward(x, true) }, "nn: an Activation layer without its act.Func"},
		{"literal PReLU", func() { (&PReLU{}).Forward(x, true) }, "nn: a PReLU layer without its slopes"},
		{"literal Maxout", func() { (&Maxout{Out: 1, Pieces: 2}).Forward(x, true) }, "nn: a Maxout layer without its pieces"},
		{"literal Dropout", func() { (&Dropout{P: 0.5}).Forward(x, true) }, "nn: a Dropout layer without a source"},
		{"nil act.Func", func() { NewActivation(nil) }, "nn: NewActivation: a nil act.Func"},
		{"NewMLP nil act.Func", func() { NewMLP(2, []int{3}, 2, nil, rng) }, "nn: NewMLP: a nil act.Func"},
		{"NewMLP nil rng", func() { NewMLP(2, []int{3}, 2, act.MustNew("relu"), nil) }, "nn: NewMLP: no random source (rng is nil)"},
		{"InitDefault nil rng", func() { InitDefault(NewMLP(2, nil, 2, nil, rng), nil) }, "initialisation default: no random source (rng is nil)"},
	} {
		t.Run(c.name, func(t *testing.T) { panictest.Saying(t, c.call, c.want) })
	}
}

// TestNilAndBrokenMatrices: each layer's Forward and Backward, and the
// network's, panic with a *tensor.ShapeError on a nil matrix or one
// whose Data is not its Rows×Cols values.
func TestNilAndBrokenMatrices(t *testing.T) {
	relu := act.MustNew("relu")
	rng := rand.New(rand.NewPCG(1, 2))
	x := tensor.New(2, 2)
	layers := map[string]func() Layer{
		"Dense":      func() Layer { return NewDense(2, 2) },
		"Activation": func() Layer { return NewActivation(relu) },
		"PReLU":      func() Layer { return NewPReLU(1, 0.25) },
		"Maxout":     func() Layer { return NewMaxout(2, 2, 2) },
		"Dropout":    func() Layer { return NewDropout(0.5, rng) },
	}
	net := func() *Sequential { return NewMLP(2, []int{2}, 2, relu, rng) }
	frozen := net()
	frozen.Freeze()
	cases := map[string]func(m *tensor.Matrix){
		"Sequential.Forward":        func(m *tensor.Matrix) { net().Forward(m, true) },
		"frozen Sequential.Forward": func(m *tensor.Matrix) { frozen.Forward(m, false) },
		"Sequential.ForwardFused":   func(m *tensor.Matrix) { net().ForwardFused(m) },
		"Sequential.Backward":       func(m *tensor.Matrix) { n := net(); n.Forward(x, true); n.Backward(m) },
		"Sequential.BackwardParams": func(m *tensor.Matrix) { n := net(); n.Forward(x, true); n.BackwardParams(m) },
		"Sequential.Gradients":      func(m *tensor.Matrix) { n := net(); n.Forward(x, true); n.Gradients(m) },
	}
	for name, layer := range layers {
		cases[name+".Forward"] = func(m *tensor.Matrix) { layer().Forward(m, true) }
		cases[name+".Backward"] = func(m *tensor.Matrix) { l := layer(); l.Forward(x, true); l.Backward(m) }
	}
	for name, call := range cases {
		for _, m := range []*tensor.Matrix{nil, {Rows: 2, Cols: 2, Data: make([]float32, 3)}} {
			func() {
				defer func() {
					var shape *tensor.ShapeError
					err, _ := recover().(error)
					if !errors.As(err, &shape) || !strings.Contains(shape.Detail, "nil matrix") && !strings.Contains(shape.Detail, "holds 3 values") {
						t.Errorf("%s of %v: recovered %v; want a *tensor.ShapeError for the matrix", name, m, err)
					}
				}()
				call(m)
			}()
		}
	}
}

// TestGradientsRefuseBeforeClearing: Gradients and GradientsStepping,
// which clear gradients before the layers' passes, refuse a nil dOut
// first, with the gradients as they were.
func TestGradientsRefuseBeforeClearing(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	net := NewSequential(2, NewDense(2, 2), NewPReLU(1, 0.25), NewDense(2, 2))
	InitDefault(net, rng)
	net.Forward(tensor.New(2, 2), true)
	for name, call := range map[string]func(){
		"Gradients":         func() { net.Gradients(nil) },
		"GradientsStepping": func() { net.GradientsStepping(nil, Momentum{Bufs: bufsOf(net), LR: 0.1, Mu: 0.9}) },
	} {
		for _, p := range net.Params() {
			for i := range p.Grad {
				p.Grad[i] = 7
			}
		}
		func() {
			defer func() {
				if shape, ok := recover().(*tensor.ShapeError); !ok || shape.Op != "Sequential."+name {
					t.Errorf("%s(nil): recovered %v; want its own *tensor.ShapeError", name, shape)
				}
			}()
			call()
		}()
		for _, p := range net.Params() {
			if slices.ContainsFunc(p.Grad, func(g float32) bool { return g != 7 }) {
				t.Errorf("%s(nil) changed %s's gradient to %v", name, p.Name, p.Grad)
			}
		}
	}
}

// bufsOf returns a zeroed momentum buffer for each of net's parameters.
func bufsOf(net *Sequential) [][]float32 {
	var bufs [][]float32
	for _, p := range net.Params() {
		bufs = append(bufs, make([]float32, len(p.Value)))
	}
	return bufs
}

// TestDropoutKeepsItsModeAfterARefusedForward: a training Forward that
// panics leaves the layer as its last Forward left it.
func TestDropoutKeepsItsModeAfterARefusedForward(t *testing.T) {
	d := NewDropout(0.5, rand.New(rand.NewPCG(1, 2)))
	x := tensor.New(2, 2)
	d.Forward(x, false)
	func() {
		defer func() { _ = recover() }()
		d.Forward(nil, true)
	}()
	dOut := tensor.New(2, 2)
	if got := d.Backward(dOut); got != dOut {
		t.Error("after a refused training Forward, Backward no longer passes dOut through as after the evaluation Forward before it")
	}
}

// TestNilNetwork: a nil network's Replica is an error, as its doc says,
// and it has no parameters, rather than a nil dereference.
func TestNilNetwork(t *testing.T) {
	var s *Sequential
	if r, err := s.Replica(); r != nil || err == nil || !strings.Contains(err.Error(), "no network to replicate (nil)") {
		t.Errorf("Replica of nil: %v, %v; want an error saying there is no network", r, err)
	}
	if p := s.Params(); p != nil {
		t.Errorf("Params of nil: %v; want none", p)
	}
	if s.Frozen() {
		t.Error("a nil network is frozen; want not")
	}
}
