package nn_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/tensor"
)

// lossOf runs net on x and returns the softmax cross-entropy, filling dOut.
func lossOf(net *nn.Sequential, x *tensor.Matrix, labels []int, dOut *tensor.Matrix) float64 {
	scores := net.Forward(x, true)
	return loss.SoftmaxCrossEntropy(dOut.Reshape(scores.Rows, scores.Cols), scores, labels)
}

// TestGradientsMatchFiniteDifferences compares every parameter's gradient
// and the input gradient with central differences of the loss, for networks
// of smooth activations (finite differences are meaningless at kinks).
func TestGradientsMatchFiniteDifferences(t *testing.T) {
	for _, name := range []string{"tanh", "sigmoid", "gelu", "softplus", "elu"} {
		rng := rand.New(rand.NewPCG(7, 7))
		net := nn.NewMLP(3, []int{5, 4}, 3, act.MustNew(name), rng)
		x := tensor.New(6, 3)
		for i := range x.Data {
			x.Data[i] = float32(rng.NormFloat64())
		}
		labels := []int{0, 2, 1, 1, 0, 2}
		dOut := tensor.New(0, 0)

		net.ZeroGrad()
		lossOf(net, x, labels, dOut)
		dX := net.Backward(dOut).Clone()

		check := func(what string, v []float32, analytic []float32) {
			const h = 1e-2
			for i := range v {
				old := v[i]
				v[i] = old + h
				up := lossOf(net, x, labels, dOut)
				v[i] = old - h
				down := lossOf(net, x, labels, dOut)
				v[i] = old
				numeric := (up - down) / (2 * h)
				if math.Abs(float64(analytic[i])-numeric) > 2e-3*math.Max(1, math.Abs(numeric))+2e-4 {
					t.Errorf("%s net, %s[%d]: backprop %v, finite difference %v", name, what, i, analytic[i], numeric)
				}
			}
		}
		for _, p := range net.Params() {
			check(p.Name, p.Value, append([]float32(nil), p.Grad...))
		}
		check("input", x.Data, dX.Data)
	}
}

// everyLayer is a network with one of each layer type: Dense, Activation,
// PReLU (shared and per unit), Maxout and Dropout.
func everyLayer(in, out int) nn.Spec {
	return nn.Spec{In: in, Layers: []nn.LayerSpec{
		{Type: "dense", In: in, Out: 5},
		{Type: "activation", Act: "tanh"},
		{Type: "dense", In: 5, Out: 4},
		{Type: "prelu", Units: 1},
		{Type: "dropout", P: 0.3},
		{Type: "maxout", In: 4, Out: 4, Pieces: 3},
		{Type: "dense", In: 4, Out: 4},
		{Type: "prelu", Units: 4},
		{Type: "dense", In: 4, Out: out},
	}}
}

// TestEveryLayerAndLossMatchFiniteDifferences checks backpropagation
// through every layer type under every loss. Dropout's mask is held fixed by
// reseeding its source before each forward pass.
func TestEveryLayerAndLossMatchFiniteDifferences(t *testing.T) {
	for _, name := range loss.Names {
		l, _ := loss.New(name)
		rng := rand.New(rand.NewPCG(11, 11))
		net, err := nn.Build(everyLayer(3, l.Outputs(3)), rng)
		if err != nil {
			t.Fatal(err)
		}
		nn.InitDefault(net, rng)
		for _, p := range net.Params() {
			if p.Name == "3.weight" || p.Name == "7.weight" { // PReLU slopes: vary them
				for i := range p.Value {
					p.Value[i] = float32(0.1 + 0.3*rng.Float64())
				}
			}
		}
		dropout := net.Layers[4].(*nn.Dropout)
		x := tensor.New(6, 3)
		for i := range x.Data {
			x.Data[i] = float32(2 * rng.NormFloat64())
		}
		y := loss.Target{Labels: []int{0, 2, 1, 1, 0, 2}, Values: tensor.New(6, l.Outputs(3))}
		if l.Outputs(3) == 1 {
			y.Labels = []int{0, 1, 1, 0, 1, 0}
		}
		for i := range y.Values.Data {
			y.Values.Data[i] = float32(rng.NormFloat64())
		}
		dOut := tensor.New(6, l.Outputs(3))
		lossAt := func() float64 {
			dropout.Rng = rand.New(rand.NewPCG(5, 5))
			scores := net.Forward(x, true)
			return l.Forward(dOut, scores, y)
		}
		net.ZeroGrad()
		lossAt()
		dX := net.Backward(dOut).Clone()
		check := func(what string, v, analytic []float32) {
			const h = 1e-3
			for i := range v {
				old := v[i]
				v[i] = old + h
				up := lossAt()
				v[i] = old - h
				down := lossAt()
				v[i] = old
				numeric := (up - down) / (2 * h)
				if math.Abs(float64(analytic[i])-numeric) > 1e-2*math.Abs(numeric)+2e-3 {
					t.Errorf("%s loss, %s[%d]: backprop %v, finite difference %v", name, what, i, analytic[i], numeric)
				}
			}
		}
		for _, p := range net.Params() {
			check(p.Name, p.Value, append([]float32(nil), p.Grad...))
		}
		check("input", x.Data, dX.Data)
	}
}

func TestBackwardAccumulates(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	net := nn.NewMLP(2, []int{3}, 2, act.MustNew("tanh"), rng)
	x := tensor.FromRows([][]float32{{0.5, -1}, {2, 0.25}})
	dOut := tensor.New(0, 0)
	net.ZeroGrad()
	lossOf(net, x, []int{0, 1}, dOut)
	net.Backward(dOut)
	once := append([]float32(nil), net.Params()[0].Grad...)
	lossOf(net, x, []int{0, 1}, dOut)
	net.Backward(dOut)
	for i, g := range net.Params()[0].Grad {
		if math.Abs(float64(g-2*once[i])) > 1e-6 {
			t.Fatalf("after two backward passes dW[%d] = %v, want twice %v", i, g, once[i])
		}
	}
}

func TestSizeCountsLikeCS231n(t *testing.T) {
	// CS231n's example: 3 inputs, two hidden layers of 4, 1 output.
	net := nn.NewMLP(3, []int{4, 4}, 1, act.MustNew("relu"), rand.New(rand.NewPCG(1, 1)))
	if got, want := net.Size().String(), "3-4-4-1: 9 neurons, 41 parameters"; got != want {
		t.Errorf("Size = %q, want %q", got, want)
	}
	if got, want := (nn.Size{Widths: []int{2, 1}, Neurons: 1, Parameters: 3}).String(), "2-1: 1 neuron, 3 parameters"; got != want { // a logistic regression
		t.Errorf("Size = %q, want %q", got, want)
	}
	maxout, err := nn.Build(nn.NewMLPSpec(2, []int{3}, 3, "maxout", nn.MLPOptions{Pieces: 2}), rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	// a maxout layer's units are neurons: 3 units of 2 pieces, each piece 2 weights and a bias
	if got, want := maxout.Size().String(), "2-3-3: 6 neurons, 30 parameters"; got != want {
		t.Errorf("maxout: Size = %q, want %q", got, want)
	}
	names := []string{"0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"}
	for i, p := range net.Params() {
		if p.Name != names[i] {
			t.Errorf("parameter %d is %q, want %q (torch.nn.Sequential naming)", i, p.Name, names[i])
		}
	}
}

func TestInitDefaultBounds(t *testing.T) {
	net := nn.NewMLP(16, []int{64}, 4, act.MustNew("relu"), rand.New(rand.NewPCG(3, 3)))
	for _, p := range net.Params() {
		fanIn := 16.0 // layer 0 takes the 16 inputs, layer 2 the 64 hidden units
		if p.Name[0] == '2' {
			fanIn = 64
		}
		bound := 1 / math.Sqrt(fanIn)
		lo, hi := 0.0, 0.0
		for _, v := range p.Value {
			lo, hi = math.Min(lo, float64(v)), math.Max(hi, float64(v))
		}
		if lo < -bound || hi > bound || hi-lo < bound {
			t.Errorf("%s spans [%v, %v]; want most of U(-%v, %v)", p.Name, lo, hi, bound, bound)
		}
	}
}

// TestBackwardParamsMatchesBackward checks that skipping the first layer's
// input gradient leaves every parameter's gradient as Backward gives it, for
// a first layer that can skip it (Dense) and one that cannot (Maxout); and
// that Gradients sets them to the same values over gradients of NaN, which
// it must neither read nor leave.
func TestBackwardParamsMatchesBackward(t *testing.T) {
	for _, spec := range []nn.Spec{
		{In: 4, Layers: []nn.LayerSpec{{Type: "dense", In: 4, Out: 5}, {Type: "activation", Act: "tanh"}, {Type: "dense", In: 5, Out: 3}}},
		{In: 4, Layers: []nn.LayerSpec{{Type: "maxout", In: 4, Out: 5, Pieces: 2}, {Type: "prelu", Units: 5}, {Type: "dense", In: 5, Out: 3}}},
		{In: 40, Layers: []nn.LayerSpec{{Type: "dense", In: 40, Out: 37}, {Type: "activation", Act: "relu"}, {Type: "dense", In: 37, Out: 3}}}, // tiles and edge tiles
	} {
		rng := rand.New(rand.NewPCG(3, 4))
		net, err := nn.Build(spec, rng)
		if err != nil {
			t.Fatal(err)
		}
		const rows = 33
		x := tensor.New(rows, spec.In)
		for i := range x.Data {
			x.Data[i] = float32(rng.NormFloat64())
		}
		labels := make([]int, rows)
		for i := range labels {
			labels[i] = i % 3
		}
		dOut := tensor.New(0, 0)
		net.ZeroGrad()
		lossOf(net, x, labels, dOut)
		net.Backward(dOut)
		var want [][]float32
		for _, p := range net.Params() {
			want = append(want, append([]float32(nil), p.Grad...))
		}
		check := func(what string) {
			t.Helper()
			for i, p := range net.Params() {
				for j, g := range p.Grad {
					if g != want[i][j] {
						t.Fatalf("%s[%d]: %s gives %v, Backward %v", p.Name, j, what, g, want[i][j])
					}
				}
			}
		}
		net.ZeroGrad()
		lossOf(net, x, labels, dOut)
		net.BackwardParams(dOut)
		check("BackwardParams")
		for _, p := range net.Params() { // what Gradients must not read
			for j := range p.Grad {
				p.Grad[j] = float32(math.NaN())
			}
		}
		lossOf(net, x, labels, dOut)
		net.Gradients(dOut)
		check("Gradients")
	}
}
