package nn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/tensor"
)

// TestOnePReLU checks that prelu is one thing in a network: a learnable
// PReLU layer, whose weight parameter is only its initial slope, whether
// the network comes from NewMLPSpec or NewMLP.
func TestOnePReLU(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	build := func(activation string) *Sequential {
		net, err := Build(NewMLPSpec(2, []int{4, 3}, 2, activation, MLPOptions{}), rng)
		if err != nil {
			t.Fatal(err)
		}
		return net
	}
	plain, weighted := build("prelu"), build("prelu(weight=0.1)")
	if a, b := plain.Size().Parameters, weighted.Size().Parameters; a != b || a != 2*4+4+1+4*3+3+1+3*2+2 {
		t.Errorf("prelu has %d parameters, prelu(weight=0.1) %d; want both 37 (a learnable slope per layer)", a, b)
	}
	for _, c := range []struct {
		net  *Sequential
		want float32
	}{{plain, PReLUInit}, {weighted, 0.1}} {
		p, ok := c.net.Layers[1].(*PReLU)
		if !ok {
			t.Fatalf("layer 1 is %T, want *PReLU", c.net.Layers[1])
		}
		if p.A.Value[0] != c.want {
			t.Errorf("initial slope %v, want %v", p.A.Value[0], c.want)
		}
	}
	mlp := NewMLP(2, []int{4}, 2, act.MustNew("prelu", "weight=0.3"), rng)
	if p, ok := mlp.Layers[1].(*PReLU); !ok || p.A.Value[0] != float32(0.3) {
		t.Errorf("NewMLP with prelu(weight=0.3): layer 1 is %T %v, want a PReLU starting at 0.3", mlp.Layers[1], mlp.Params()[2].Value)
	}
}

// TestReplicaSharesWeightsNotBuffers checks that a replica computes what
// its original does, sees its weight changes, and keeps its own outputs.
func TestReplicaSharesWeightsNotBuffers(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	net, err := Build(NewMLPSpec(3, []int{5}, 2, "prelu", MLPOptions{Dropout: 0.5}), rng)
	if err != nil {
		t.Fatal(err)
	}
	InitDefault(net, rng)
	r, err := net.Replica()
	if err != nil {
		t.Fatal(err)
	}
	x := tensor.FromRows([][]float32{{1, -2, 3}, {0.5, 0, -1}, {2, 2, 2}})
	want := slices.Clone(net.Forward(x, false).Data)
	got := r.Forward(x, false)
	if !slices.Equal(got.Data, want) {
		t.Fatalf("replica %v, original %v", got.Data, want)
	}
	net.Params()[0].Value[0] += 1
	if slices.Equal(r.Forward(x, false).Data, want) {
		t.Error("a change to the original's weights did not reach the replica")
	}
	if &r.Forward(x, false).Data[0] == &net.Forward(x, false).Data[0] {
		t.Error("replica and original share an output buffer")
	}
}

func TestSpecParams(t *testing.T) {
	for _, c := range []struct {
		spec Spec
		want float64
	}{
		{NewMLPSpec(784, []int{256, 256}, 10, "relu", MLPOptions{}), 785*256 + 257*256 + 257*10},
		{NewMLPSpec(2, []int{4}, 3, "maxout", MLPOptions{Pieces: 3}), 3*4*3 + 5*3},
		{NewMLPSpec(2, []int{4, 4}, 3, "prelu", MLPOptions{PReLUPerUnit: true}), 3*4 + 4 + 5*4 + 4 + 5*3},
		{Spec{In: 1e9, Layers: []LayerSpec{{Type: "dense", In: 1e9, Out: 1e9}}}, (1e9 + 1) * 1e9}, // no int overflow
	} {
		if got := c.spec.Params(); got != c.want {
			t.Errorf("%+v: Params() = %v, want %v", c.spec, got, c.want)
		}
		if c.want < MaxParams {
			net, err := Build(c.spec, rand.New(rand.NewPCG(1, 1)))
			if err != nil {
				t.Fatal(err)
			}
			n := 0.0
			for _, p := range net.Params() {
				n += float64(len(p.Value))
			}
			if n != c.want {
				t.Errorf("%+v: the built network has %v parameters, Params() says %v", c.spec, n, c.want)
			}
		}
	}
}

// TestParamShapesNameWhatBuildMakes: ParamShapes lists the parameters a
// built network has, by name and shape, in order, for every kind of layer
// that has them (dense, maxout, one PReLU slope or one a unit) and none
// for those that do not (activations, dropout).
func TestParamShapesNameWhatBuildMakes(t *testing.T) {
	for _, spec := range []Spec{
		NewMLPSpec(784, []int{256, 256}, 10, "relu", MLPOptions{}),
		NewMLPSpec(2, []int{4}, 3, "maxout", MLPOptions{Pieces: 3}),
		NewMLPSpec(2, []int{4, 5}, 3, "prelu", MLPOptions{PReLUPerUnit: true, Dropout: 0.5}),
		NewMLPSpec(3, []int{6}, 2, "prelu", MLPOptions{}),
	} {
		net, err := Build(spec, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatal(err)
		}
		var want []ParamShape
		for _, p := range net.Params() {
			want = append(want, ParamShape{p.Name, p.Shape})
		}
		if got := spec.ParamShapes(); !reflect.DeepEqual(got, want) {
			t.Errorf("%v: ParamShapes() = %v, the built network has %v", spec, got, want)
		}
	}
}

// TestBuildRefusesMoreThanMaxParams: a huge width is an error, not the
// runtime's fatal out of memory; a negative width in a later layer cannot
// hide it.
func TestBuildRefusesMoreThanMaxParams(t *testing.T) {
	for _, spec := range []Spec{
		NewMLPSpec(2, []int{100_000_000, 100_000_000}, 3, "relu", MLPOptions{}),
		NewMLPSpec(2, []int{1000}, 3, "maxout", MLPOptions{Pieces: 1_000_000_000}),
		{In: 2, Layers: []LayerSpec{{Type: "dense", In: 2, Out: 1 << 30}, {Type: "dense", In: -(1 << 30), Out: 1 << 30}}}, // int32's range too
	} {
		_, err := Build(spec, rand.New(rand.NewPCG(1, 1)))
		var size *SizeError
		if err == nil || !strings.Contains(err.Error(), "parameters") || !errors.As(err, &size) || size.Params != spec.Params() {
			t.Errorf("Build(%+v): %v; want a *SizeError on its parameters", spec, err)
		}
	}
}

// TestConstructorsRefuseSizesBeforeAllocating: NewDense, NewMaxout and
// NewPReLU panic with a message naming the shape, before they allocate,
// on sizes below 1 or above MaxParams (a layer of 1<<30 by 1<<30 would
// otherwise end the process, out of memory, past any recover).
func TestConstructorsRefuseSizesBeforeAllocating(t *testing.T) {
	for _, c := range []struct {
		name string
		make func()
		want string
	}{
		{"NewDense(-1, 3)", func() { NewDense(-1, 3) }, "a weight of shape [3 -1]"},
		{"NewDense(0, 3)", func() { NewDense(0, 3) }, "a weight of shape [3 0]"},
		{"NewDense(1<<30, 1<<30)", func() { NewDense(1<<30, 1<<30) }, "at most MaxParams"},
		{"NewDense(1<<15, 1<<14)", func() { NewDense(1<<15, 1<<14) }, "at most MaxParams"},
		{"NewMaxout(4, 3, -2)", func() { NewMaxout(4, 3, -2) }, "a maxout layer of 3 units of -2 pieces"},
		{"NewMaxout(4, -2, -3)", func() { NewMaxout(4, -2, -3) }, "a maxout layer of -2 units of -3 pieces"},
		{"NewPReLU(-1, 0.25)", func() { NewPReLU(-1, 0.25) }, "a weight of shape [-1]"},
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), c.want) {
					t.Errorf("%s: recovered %v; want %q", c.name, r, c.want)
				}
			}()
			c.make()
		}()
	}
	if d := NewDense(3, 2); len(d.W.Value) != 6 || len(d.B.Grad) != 2 {
		t.Errorf("NewDense(3, 2): %d weights, %d bias gradients", len(d.W.Value), len(d.B.Grad))
	}
}

// TestNilSourcesAndBadRatesAreRefused: Build with dropout and Init (but
// for zeros) need a random source and say so; NewDropout panics, naming
// the rate, on one outside [0, 1).
func TestNilSourcesAndBadRatesAreRefused(t *testing.T) {
	spec := Spec{In: 2, Layers: []LayerSpec{{Type: "dense", In: 2, Out: 3}, {Type: "dropout", P: 0.5}}}
	if _, err := Build(spec, nil); err == nil || !strings.Contains(err.Error(), "rng is nil") {
		t.Errorf("Build with dropout and no source: %v", err)
	}
	net := NewMLP(2, []int{3}, 2, act.MustNew("relu"), rand.New(rand.NewPCG(1, 1)))
	if err := Init(net, "he-normal", nil); err == nil || !strings.Contains(err.Error(), "rng is nil") {
		t.Errorf("Init without a source: %v", err)
	}
	if err := Init(net, "zeros", nil); err != nil {
		t.Errorf("zeros without a source: %v", err)
	}
	func() {
		defer func() {
			if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "without a random source") {
				t.Errorf("NewDropout(0.5, nil): recovered %v", r)
			}
		}()
		NewDropout(0.5, nil)
	}()
	for _, slope := range []float64{1e39, -1e39, math.NaN(), math.Inf(1)} { // 1e39 had been float32's +Inf: f(0) NaN
		prelu := Spec{In: 3, Layers: []LayerSpec{{Type: "prelu", Units: 3, Slope: &slope}}}
		if _, err := Build(prelu, nil); err == nil || !strings.Contains(err.Error(), "want a finite number float32 holds") {
			t.Errorf("Build with a PReLU slope of %v: %v; want it refused", slope, err)
		}
	}
	for _, p := range []float64{1, -0.5, math.NaN()} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "want 0 <= p < 1") {
					t.Errorf("NewDropout(%v): recovered %v", p, r)
				}
			}()
			NewDropout(p, rand.New(rand.NewPCG(1, 1)))
		}()
	}
}

// TestSpecString writes an architecture on one line, as errors show it.
func TestSpecString(t *testing.T) {
	spec := NewMLPSpec(2, []int{16}, 3, "leaky_relu(negative_slope=0.2)", MLPOptions{Dropout: 0.1})
	if got, want := spec.String(), "in 2, dense 2→16, leaky_relu(negative_slope=0.2), dropout 0.1, dense 16→3"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	prelu := NewMLPSpec(2, []int{4}, 3, "prelu", MLPOptions{PReLUPerUnit: true}).String()
	maxout := NewMLPSpec(2, []int{4}, 3, "maxout", MLPOptions{}).String()
	if !strings.Contains(prelu, "prelu (4 slopes)") || !strings.Contains(maxout, "maxout 2→4 (2 pieces)") {
		t.Errorf("prelu %q, maxout %q", prelu, maxout)
	}
}

// TestSharedParametersMakeGradientsOnBackward: a Replica and a network of
// BuildSharing hold no gradients until a Backward, then the original's, to
// the bit; BuildSharing holds the values it is given and refuses values
// of another length.
func TestSharedParametersMakeGradientsOnBackward(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	spec := NewMLPSpec(3, []int{5}, 2, "prelu", MLPOptions{})
	net, err := Build(spec, rng)
	if err != nil {
		t.Fatal(err)
	}
	InitDefault(net, rng)
	replica, err := net.Replica()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string][]float32{}
	for _, p := range net.Params() {
		byName[p.Name] = p.Value
	}
	sharing, err := BuildSharing(spec, func(name string, _ []int) []float32 { return byName[name] })
	if err != nil {
		t.Fatal(err)
	}
	x := tensor.FromRows([][]float32{{1, -2, 3}, {0.5, 0, -1}})
	dOut := tensor.FromRows([][]float32{{1, -1}, {0.5, 2}})
	for _, c := range []struct {
		name string
		net  *Sequential
	}{{"replica", replica}, {"BuildSharing", sharing}} {
		for i, p := range c.net.Params() {
			if p.Grad != nil {
				t.Errorf("%s: %s has %d gradients before a Backward", c.name, p.Name, len(p.Grad))
			}
			if &p.Value[0] != &net.Params()[i].Value[0] {
				t.Errorf("%s: %s holds a copy of the values", c.name, p.Name)
			}
		}
	}
	net.ZeroGrad()
	for _, n := range []*Sequential{net, replica, sharing} {
		n.Forward(x, true)
		n.Backward(dOut)
	}
	for i, p := range net.Params() {
		for _, other := range []*Sequential{replica, sharing} {
			if got := other.Params()[i].Grad; !slices.Equal(got, p.Grad) {
				t.Errorf("%s's gradient %v, the original's %v", p.Name, got, p.Grad)
			}
		}
	}
	for _, value := range []func(string, []int) []float32{
		nil,
		func(string, []int) []float32 { return nil },
		func(name string, _ []int) []float32 { return byName[name][1:] },
	} {
		if _, err := BuildSharing(spec, value); err == nil {
			t.Error("BuildSharing took values of the wrong length, or none")
		}
	}
}

// TestMLPOptionsGoToBuildAsGiven: NewMLPSpec defaults Pieces 0 to 2 and
// Dropout 0 to none, and passes every other value to Build, which checks
// it: one piece builds (a plain linear unit), −1 pieces and rates below 0
// or NaN are Build's errors (NewMLPSpec had made them 2 pieces and no
// dropout without a word).
func TestMLPOptionsGoToBuildAsGiven(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	pieces := func(s Spec) int { return s.Layers[0].Pieces }
	if got := pieces(NewMLPSpec(2, []int{4}, 3, "maxout", MLPOptions{})); got != 2 {
		t.Errorf("Pieces 0: %d pieces, want the default 2", got)
	}
	if got := pieces(NewMLPSpec(2, []int{4}, 3, "maxout", MLPOptions{Pieces: 1})); got != 1 {
		t.Errorf("Pieces 1: %d pieces, want 1", got)
	}
	for _, c := range []struct {
		opt  MLPOptions
		act  string
		want string
	}{
		{MLPOptions{Pieces: -1}, "maxout", "-1 pieces"},
		{MLPOptions{Dropout: -1}, "relu", "rate -1"},
		{MLPOptions{Dropout: math.NaN()}, "relu", "rate NaN"},
	} {
		if _, err := Build(NewMLPSpec(2, []int{4}, 3, c.act, c.opt), rng); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: Build gives %v; want an error saying %q", c.opt, err, c.want)
		}
	}
}

// TestCheckFindsLayersThatDoNotChain: a network put together by hand
// whose widths do not meet is refused by Check with Build's own words for
// its Spec (Forward would panic on it), and a network that chains passes
// without an allocation (a Trainer checks its network every step).
func TestCheckFindsLayersThatDoNotChain(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct {
		name string
		net  *Sequential
		want string // "" for a network that chains
	}{
		{"chains", NewSequential(2, NewDense(2, 4), NewActivation(act.MustNew("relu")), NewPReLU(4, 0.25), NewMaxout(4, 3, 2), NewDense(3, 1)), ""},
		{"dense", NewSequential(2, NewDense(2, 4), NewDense(5, 3)), "architecture: layer 1 (dense): takes 5 inputs but receives 4"},
		{"first dense", NewSequential(3, NewDense(2, 4)), "architecture: layer 0 (dense): takes 2 inputs but receives 3"},
		{"maxout", NewSequential(2, NewDense(2, 4), NewMaxout(3, 2, 2)), "architecture: layer 1 (maxout): takes 3 inputs but receives 4"},
		{"prelu", NewSequential(2, NewDense(2, 4), NewPReLU(3, 0.25)), "architecture: layer 1 (prelu): 3 slopes for 4 units; want 1 or 4"},
		{"input width", NewSequential(0, NewActivation(act.MustNew("relu"))), "architecture: input width 0; want at least 1"},
	} {
		err := c.net.Check()
		if c.want == "" {
			if err != nil {
				t.Errorf("%s: Check: %v; want none", c.name, err)
			}
			if allocs := testing.AllocsPerRun(10, func() { _ = c.net.Check() }); allocs != 0 {
				t.Errorf("%s: Check allocates %v times", c.name, allocs)
			}
			continue
		}
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: Check: %v; want %q", c.name, err, c.want)
		}
		if _, built := Build(c.net.Spec(), rng); built == nil || built.Error() != err.Error() {
			t.Errorf("%s: Build of its Spec: %v; Check said %v", c.name, built, err)
		}
	}
	var none *Sequential
	if err := none.Check(); err == nil {
		t.Error("Check of a nil network: no error")
	}
}

// TestNonFiniteFindsTheFirst: the first NaN or infinity in state_dict
// order, by parameter and index; none in a network of finite values.
func TestNonFiniteFindsTheFirst(t *testing.T) {
	net := NewSequential(2, NewDense(2, 3), NewActivation(act.MustNew("relu")), NewDense(3, 1))
	if p, _ := net.NonFinite(); p != nil {
		t.Fatalf("a network of zeros: %s holds a value that is not finite", p.Name)
	}
	net.Params()[3].Value[0] = float32(math.Inf(-1)) // 2.bias
	net.Params()[2].Value[2] = float32(math.NaN())   // 2.weight
	if p, i := net.NonFinite(); p == nil || p.Name != "2.weight" || i != 2 {
		t.Errorf("NonFinite = %v, %d; want 2.weight, 2", p, i)
	}
}

// TestCheckRefusesLayersNotItsOwn: a layer in two places of a network, a
// layer another network's NewSequential took since (its parameters then
// carry that network's names, and a file written swapped them), a
// Sequential written as a literal and Layers changed after NewSequential
// are refused by Check, which train, modelio and model call; each had
// passed, to train wrongly or write a file that reads back otherwise.
func TestCheckRefusesLayersNotItsOwn(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	d := NewDense(2, 2)
	if err := NewSequential(2, d, NewActivation(act.MustNew("tanh")), d).Check(); err == nil || !strings.Contains(err.Error(), "layer 2 is layer 0 again") {
		t.Errorf("a Dense in two places: %v; want it refused", err)
	}
	net1 := NewMLP(2, []int{2}, 2, act.MustNew("relu"), rng)
	if err := net1.Check(); err != nil {
		t.Fatal(err)
	}
	_ = NewSequential(2, net1.Layers[2], NewActivation(act.MustNew("tanh")), net1.Layers[0])
	if err := net1.Check(); err == nil || !strings.Contains(err.Error(), "layer 0's parameter is named 2.weight, for another network's layer 2") {
		t.Errorf("a network whose layers another took: %v; want it refused", err)
	}
	literal := &Sequential{In: 2, Layers: []Layer{NewDense(2, 3)}}
	grown := NewMLP(2, []int{2}, 2, act.MustNew("relu"), rng)
	grown.Layers = append(grown.Layers, NewDense(2, 2))
	shrunk := NewMLP(2, []int{2}, 2, act.MustNew("relu"), rng)
	shrunk.Layers = shrunk.Layers[1:]
	for name, net := range map[string]*Sequential{"a literal": literal, "a layer appended": grown, "a layer taken out": shrunk} {
		if err := net.Check(); !errors.Is(err, errNotAsMade) {
			t.Errorf("%s: Check = %v; want errNotAsMade", name, err)
		}
	}
}

// TestNilNetworkReadsAsEmpty: the methods that describe a network take a
// nil one as empty, as Params and Check do, where they panicked.
func TestNilNetworkReadsAsEmpty(t *testing.T) {
	var s *Sequential
	s.ZeroGrad()
	if s.OutSize() != 0 || s.Size().String() != (Size{}).String() || len(s.Spec().Layers) != 0 || s.Spec().In != 0 {
		t.Errorf("a nil network: OutSize %d, Size %v, Spec %+v; want empty", s.OutSize(), s.Size(), s.Spec())
	}
}

// TestCheckRefusesALayerSharedAtItsPlace: a layer two networks share at
// the same place (heads over one first layer) is refused in the network
// that lost it, though the names match: its dW had come of the other
// network's input.
func TestCheckRefusesALayerSharedAtItsPlace(t *testing.T) {
	trunk := NewDense(3, 4)
	a := NewSequential(3, trunk, NewActivation(act.MustNew("tanh")), NewDense(4, 2))
	b := NewSequential(3, trunk, NewActivation(act.MustNew("tanh")), NewDense(4, 5))
	if err := b.Check(); err != nil {
		t.Errorf("the network that took the layer last: %v; want it its own", err)
	}
	if err := a.Check(); err == nil || !strings.Contains(err.Error(), "layer 0's parameter is named 0.weight, for another network's layer 0: NewSequential of another network took the layer") {
		t.Errorf("the network whose layer another took at its place: %v; want it refused", err)
	}
}
