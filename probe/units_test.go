package probe

import (
	"math"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/tensor"
)

// TestUnitsMarkDeadAndSaturatedUnits builds a layer whose units are dead,
// saturated, half saturated and alive by construction, and checks each
// mark, and that the units agree with the layer's Health.
func TestUnitsMarkDeadAndSaturatedUnits(t *testing.T) {
	for _, name := range []string{"relu", "sigmoid"} {
		d := nn.NewDense(1, 4)
		// Units: w·x + b over x in [-1, 1]: far negative, far positive, half
		// far positive, near 0.
		copy(d.W.Value, []float32{1, 1, 20, 1})
		copy(d.B.Value, []float32{-50, 50, 0, 0})
		net := nn.NewSequential(1, d, nn.NewActivation(act.MustNew(name)))
		x := tensor.New(100, 1)
		for i := range x.Data {
			x.Data[i] = float32(-1 + 2*(float64(i)+0.5)/100)
		}
		u := Units(net, x)
		if len(u) != 1 || len(u[0].Dead) != 4 {
			t.Fatalf("%s: %d layers, want 1 of 4 units", name, len(u))
		}
		h := Health(net, x)[0]
		dead, sat := 0, 0.0
		for j := range 4 {
			if u[0].Dead[j] {
				dead++
			}
			sat += u[0].Saturated[j] / 4
		}
		if float64(dead)/4 != h.Dead || math.Abs(sat-h.Saturated) > 1e-12 {
			t.Errorf("%s: units give %v dead and %v saturated, the layer's health %v and %v", name, float64(dead)/4, sat, h.Dead, h.Saturated)
		}
		wantDead := name == "relu"
		if u[0].Dead[0] != wantDead || u[0].Dead[1] || u[0].Dead[3] {
			t.Errorf("%s: dead marks %v; want unit 0 dead only for relu", name, u[0].Dead)
		}
		if name == "sigmoid" && (u[0].Saturated[0] != 1 || u[0].Saturated[1] != 1 || u[0].Saturated[3] != 0 || math.Abs(u[0].Saturated[2]-0.70) > 0.02) {
			t.Errorf("sigmoid: saturated fractions %v; want 1, 1, 0.70 (|20x| > 6, where σ′ < 1%% of its 0.25), 0", u[0].Saturated)
		}
		if u[0].Pre.Rows != 100 || u[0].Pre.Cols != 4 {
			t.Errorf("pre-activations %d×%d, want 100×4", u[0].Pre.Rows, u[0].Pre.Cols)
		}
	}
}
