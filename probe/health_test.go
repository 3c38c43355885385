package probe

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/internal/panictest"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/tensor"
)

// net1 is 2 inputs → 3 units of f, with weights chosen by hand.
func net1(f string) *nn.Sequential {
	d := nn.NewDense(2, 3)
	// unit 0 follows x0, unit 1 follows −x0 − 10 (negative on all data below),
	// unit 2 follows 10·x1 (large inputs: saturates sigmoid and tanh).
	copy(d.W.Value, []float32{1, 0, -1, 0, 0, 10})
	copy(d.B.Value, []float32{0, -10, 0})
	return nn.NewSequential(2, d, nn.NewActivation(act.MustNew(f)))
}

func TestDeadUnits(t *testing.T) {
	x := tensor.FromRows([][]float32{{1, 1}, {2, -1}, {-0.5, 2}, {3, -2}})
	h := Health(net1("relu"), x)
	if len(h) != 1 || h[0].Layer != 1 || h[0].Units != 3 {
		t.Fatalf("Health = %+v, want one layer of 3 units at index 1", h)
	}
	if want := 1.0 / 3; math.Abs(h[0].Dead-want) > 1e-12 {
		t.Errorf("relu dead fraction %v, want %v (unit 1 only)", h[0].Dead, want)
	}
	if h := Health(net1("sigmoid"), x); h[0].Dead != 0 {
		t.Errorf("sigmoid dead fraction %v, want 0", h[0].Dead)
	}
}

// TestSaturation holds Health to the rule wiggle's measures of saturation
// share (flatness): an entry on a tail where the curve flattens, its
// output not 0; relu's off side (and relu6's lower one, output 0) is off,
// not saturated.
func TestSaturation(t *testing.T) {
	x := tensor.FromRows([][]float32{{0.1, 1}, {0.2, -1}})
	// pre-activations: unit 0 at 0.1 and 0.2, unit 1 at −10.1 and −10.2,
	// unit 2 at 10 and −10.
	for _, c := range []struct {
		f    string
		want float64
		why  string
	}{
		{"tanh", 4.0 / 6, "units 1 and 2 far out"},
		{"sigmoid", 4.0 / 6, "units 1 and 2 far out"},
		{"identity", 0, "no flat part"},
		{"step", 3.0 / 6, "f′ is 0 everywhere: saturated where its output is 1 (unit 0, unit 2 at 10), off where it is 0"},
		{"leaky_relu", 0, "its slope is 1%, not below"},
		{"leaky_relu(negative_slope=0)", 0, "relu by another name: off below 0"},
		{"relu", 0, "unit 1 and unit 2 at −10 are off (output 0), not saturated"},
		{"relu6", 1.0 / 6, "unit 2 at 10, capped at 6; below 0 it is off"},
		{"hardswish", 0, "below −3 its output is 0: off; at 10 its slope is 1"},
		{"elu", 3.0 / 6, "e^−10 at −10 on units 1 and 2; 1 at 10"},
	} {
		f, err := act.Parse(c.f)
		if err != nil {
			t.Fatal(err)
		}
		d := nn.NewDense(2, 3)
		copy(d.W.Value, []float32{1, 0, -1, 0, 0, 10})
		copy(d.B.Value, []float32{0, -10, 0})
		if h := Health(nn.NewSequential(2, d, nn.NewActivation(f)), x); math.Abs(h[0].Saturated-c.want) > 1e-12 {
			t.Errorf("%s saturated %v, want %v (%s)", c.f, h[0].Saturated, c.want, c.why)
		}
	}
}

// TestTails: where each kind of curve's saturated tails begin, and what
// is not one: an output of 0, a dip where f′ passes 0 (gelu, hardswish).
func TestTails(t *testing.T) {
	for _, c := range []struct {
		f    string
		x    float32
		want bool
	}{
		{"sigmoid", -6.1, true}, {"sigmoid", -5.8, false}, {"sigmoid", 6.1, true}, // σ′ < 0.0025 beyond |x| ≈ 5.99
		{"tanh", 3.1, true}, {"tanh", -2.9, false}, // 1 − tanh² < 0.01 beyond |x| ≈ 2.99
		{"relu", -5, false}, {"relu", 5, false},
		{"relu6", -1, false}, {"relu6", 7, true},
		{"hardsigmoid", -4, false}, {"hardsigmoid", 4, true},
		{"hardtanh", -2, true}, {"hardtanh", 0.5, false},
		{"hardswish", -4, false}, {"hardswish", -1.5, false},
		{"gelu", -0.75, false}, {"gelu", -10, true},
		{"silu", -1.28, false}, {"mish", -1.19, false},
		{"elu", -5, true}, {"elu", 5, false},
		{"logsigmoid", 6, true}, {"logsigmoid", -6, false},
		{"celu(alpha=100)", -50, false}, {"celu(alpha=100)", -500, true},
		{"leaky_relu(negative_slope=0)", -5, false},
		{"step", 0.5, true},
	} {
		f, err := act.Parse(c.f)
		if err != nil {
			t.Fatal(err)
		}
		y := make([]float32, 1)
		f.Forward(y, []float32{c.x})
		if got := flatnessOf(f).saturated(c.x, y[0]); got != c.want {
			t.Errorf("%s at %v (output %v): saturated %v, want %v", c.f, c.x, y[0], got, c.want)
		}
	}
}

// TestWeightGradNorms: ‖dW‖ of each Dense layer, a Maxout layer's own
// Dense among them (maxout's had been left out, and the playground's
// health chart had shown its layers' gradients as 0).
func TestWeightGradNorms(t *testing.T) {
	net := net1("relu")
	copy(net.Params()[0].Grad, []float32{3, 0, 0, 4, 0, 0})
	if got := WeightGradNorms(net); len(got) != 1 || got[0] != 5 {
		t.Errorf("WeightGradNorms = %v, want [5]", got)
	}
	m := nn.NewMaxout(2, 3, 2)
	out := nn.NewDense(3, 2)
	mixed := nn.NewSequential(2, m, out)
	m.Linear.W.Grad[0], out.W.Grad[1] = 12, 5
	if got := WeightGradNorms(mixed); len(got) != 2 || got[0] != 12 || got[1] != 5 {
		t.Errorf("WeightGradNorms of maxout, then dense = %v, want [12 5]", got)
	}
	kept := []float64{7}
	if got := AppendWeightGradNorms(kept, mixed); len(got) != 3 || got[0] != 7 || got[1] != 12 || got[2] != 5 {
		t.Errorf("AppendWeightGradNorms to [7] = %v, want [7 12 5]", got)
	}
}

// TestMisuse: a nil network or matrix panics with a message naming the
// function, not a nil dereference; WeightGradNorms of no network and a
// Recorder that watches nothing return nothing.
func TestMisuse(t *testing.T) {
	x := tensor.New(2, 2)
	for _, c := range []struct {
		name string
		call func()
		want string
	}{
		{"Health nil net", func() { Health(nil, x) }, "probe: Health: a nil network"},
		{"Units nil net", func() { Units(nil, x) }, "probe: Units: a nil network"},
		{"Health nil x", func() { Health(net1("relu"), nil) }, "a nil matrix"},
		{"DeadFraction nil", func() { DeadFraction(nil) }, "DeadFraction: a nil matrix"},
		{"DeadFraction broken", func() { DeadFraction(&tensor.Matrix{Rows: 3, Cols: 2}) }, "DeadFraction: a 3×2 matrix holds 0 values"},
	} {
		t.Run(c.name, func(t *testing.T) { panictest.Saying(t, c.call, c.want) })
	}
	if n := WeightGradNorms(nil); n != nil {
		t.Errorf("WeightGradNorms(nil) = %v, want nil", n)
	}
	var zero Recorder
	zero.AfterBackward()
	zero.BeforeUpdate()
	zero.AfterUpdate()
	if h := zero.EndEpoch(3); h.Epoch != 3 || len(h.Layers) != 0 {
		t.Errorf("a zero Recorder's EndEpoch = %+v, want epoch 3 and no layers", h)
	}
	if h := NewRecorder(nil, x).EndEpoch(1); len(h.Layers) != 0 {
		t.Errorf("a Recorder of no network measured %+v", h)
	}
	// No examples: nothing seen, so no fraction, and a Recorder of none
	// is refused.
	empty := tensor.New(0, 2)
	if d := DeadFraction(tensor.New(0, 4)); !math.IsNaN(d) {
		t.Errorf("DeadFraction of no rows = %v, want NaN", d)
	}
	healths := Health(net1("relu"), empty)
	if len(healths) != 1 {
		t.Fatalf("Health of no rows measured %d layers, want 1", len(healths))
	}
	for _, h := range healths {
		if !math.IsNaN(h.Dead) || !math.IsNaN(h.Saturated) {
			t.Errorf("Health of no rows: dead %v, saturated %v; want NaN and NaN", h.Dead, h.Saturated)
		}
	}
	net := net1("relu")
	if err := NewRecorder(net, empty).Check(net); err == nil || !strings.Contains(err.Error(), "sample has no rows") {
		t.Errorf("Check of a Recorder of no rows: %v; want it refused", err)
	}
}

// TestHiddenLayersNumberedAsTheRecorder: Health and Units give each
// activation the hidden layer's number the Recorder's stats and warnings
// use (a PReLU counts as one, an activation after no Dense does not),
// beside its index in the Sequential.
func TestHiddenLayersNumberedAsTheRecorder(t *testing.T) {
	net := nn.NewSequential(2,
		nn.NewActivation(act.MustNew("tanh")),                    // 0: on the inputs, no hidden layer
		nn.NewDense(2, 3), nn.NewActivation(act.MustNew("relu")), // 1, 2: hidden layer 1
		nn.NewDense(3, 3), nn.NewPReLU(3, 0.25), // 3, 4: hidden layer 2
		nn.NewDense(3, 4), nn.NewActivation(act.MustNew("sigmoid")), // 5, 6: hidden layer 3
		nn.NewDense(4, 2))
	x := tensor.FromRows([][]float32{{1, -1}, {0.5, 2}})
	type numbered struct{ layer, hidden int }
	var health, units []numbered
	for _, h := range Health(net, x) {
		health = append(health, numbered{h.Layer, h.Hidden})
	}
	for _, u := range Units(net, x) {
		units = append(units, numbered{u.Layer, u.Hidden})
	}
	want := []numbered{{0, 0}, {2, 1}, {6, 3}}
	if !slices.Equal(health, want) || !slices.Equal(units, want) {
		t.Errorf("Health numbers (index, hidden) %v, Units %v; want %v", health, units, want)
	}
	var recorded []int
	for _, w := range NewRecorder(net, x).layers {
		recorded = append(recorded, w.index)
	}
	if !slices.Equal(recorded, []int{1, 2, 3}) {
		t.Errorf("the Recorder numbers its layers %v; want 1, 2, 3", recorded)
	}
}

// TestDivergedUnitIsNeitherDeadNorAlive: a unit whose weights went NaN
// outputs NaN; counted as "not 0" it read as alive, and a network that had
// diverged reported no dead units. Health and the Recorder say NaN for its
// layer; Units marks that unit neither dead nor saturated-measured and
// still reads the others.
func TestDivergedUnitIsNeitherDeadNorAlive(t *testing.T) {
	x := tensor.FromRows([][]float32{{1, 1}, {2, -1}, {-0.5, 2}, {3, -2}})
	net := net1("relu")
	d := net.Layers[0].(*nn.Dense)
	d.W.Value[0] = float32(math.NaN()) // unit 0
	if h := Health(net, x); len(h) != 1 || !math.IsNaN(h[0].Dead) || !math.IsNaN(h[0].Saturated) {
		t.Errorf("Health of a NaN unit = %+v, want dead and saturated NaN", h)
	}
	if got := DeadFraction(tensor.FromRows([][]float32{{0, float32(math.NaN())}})); !math.IsNaN(got) {
		t.Errorf("DeadFraction of a NaN output = %v, want NaN", got)
	}
	u := Units(net, x)
	if len(u) != 1 {
		t.Fatalf("Units measured %d layers, want 1", len(u))
	}
	if wantDead := []bool{false, true, false}; !slices.Equal(u[0].Dead, wantDead) {
		t.Errorf("Units' Dead = %v, want %v (unit 0 NaN, unit 1 off everywhere)", u[0].Dead, wantDead)
	}
	if s := u[0].Saturated; !math.IsNaN(s[0]) || s[1] != 0 || s[2] != 0 {
		t.Errorf("Units' Saturated = %v, want [NaN 0 0]", s)
	}

	rnet := twoLayer(t, "relu")
	r := NewRecorder(rnet, data(16))
	if s := r.EndEpoch(1).Layers[0]; s.Dead != 0.25 {
		t.Fatalf("a healthy epoch's dead fraction %v, want 0.25", s.Dead)
	}
	rnet.Layers[0].(*nn.Dense).B.Value[1] = float32(math.NaN())
	if s := r.EndEpoch(2).Layers[0]; !math.IsNaN(s.Dead) {
		t.Errorf("an epoch ending with a NaN unit: dead fraction %v, want NaN", s.Dead)
	}
	rnet.Layers[0].(*nn.Dense).B.Value[1] = 0
	if s := r.EndEpoch(3).Layers[0]; s.Dead != 0.25 {
		t.Errorf("the epoch after the NaN was mended: dead fraction %v, want 0.25 (reset)", s.Dead)
	}
}

// TestLayerStatsJSONOfANaNDeadFraction: a layer whose dead fraction is NaN
// (a unit's outputs NaN) is written with null, which reads back as NaN;
// JSON has no NaN, and encoding it had failed the checkpoint that carries
// the series, and --probe-out.
func TestLayerStatsJSONOfANaNDeadFraction(t *testing.T) {
	series := []EpochHealth{{Epoch: 1, Layers: []LayerStats{{Layer: 1, Activation: "relu", Units: 4, Dead: math.NaN(), Saturated: 0.5}, {Layer: 2, Units: 2, Dead: 0.5}}}}
	b, err := json.Marshal(series)
	if err != nil || !strings.Contains(string(b), `"dead_fraction":null`) || !strings.Contains(string(b), `"dead_fraction":0.5`) || !strings.Contains(string(b), `"saturated_fraction":0.5`) {
		t.Fatalf("Marshal = %s, %v; want null for the NaN and the other fields as they were", b, err)
	}
	var back []EpochHealth
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if l := back[0].Layers; !math.IsNaN(l[0].Dead) || l[1].Dead != 0.5 || l[0].Saturated != 0.5 || l[0].Activation != "relu" || l[1].Units != 2 {
		t.Errorf("read back: %+v; want the NaN and the rest as written", l)
	}
}
