package plot

import (
	"slices"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/act"
)

// TestDerivativeScaledWhereFDwarfsIt: every activation with its defaults
// is drawn with f′ as it is; one whose f spans more than twelve times f′
// over its range (softplus(beta=0.1) climbs to 60 as f′ goes from 0 to
// 1) is drawn with f′ times a round factor that the legend and the axis
// say, so that its change takes a third or so of f's height.
func TestDerivativeScaledWhereFDwarfsIt(t *testing.T) {
	for _, info := range act.Catalogue() {
		f := act.MustNew(info.Name)
		_, y, dy := curves(f, RangeFor(f), samples)
		if k := derivScale(y, dy); k != 1 {
			t.Errorf("%s with its defaults: f′ drawn × %d; want as it is", info.Name, k)
		}
	}
	for _, c := range []struct {
		f    act.Func
		want int
	}{
		{act.MustNew("softplus", "beta=0.1"), 20},
		{act.MustNew("hardtanh", "min_val=-10", "max_val=10"), 5},
		{act.MustNew("celu", "alpha=10"), 20},
		{act.MustNew("leaky_relu", "negative_slope=0.2"), 1},
	} {
		_, y, dy := curves(c.f, RangeFor(c.f), samples)
		if k := derivScale(y, dy); k != c.want {
			t.Errorf("%s: f′ drawn × %d; want × %d", c.f, k, c.want)
		}
		p, err := Activation(c.f, RangeFor(c.f))
		if err != nil {
			t.Fatal(err)
		}
		said := strings.Contains(p.Y.Label.Text, "·f′(x)")
		if said != (c.want > 1) {
			t.Errorf("%s: the y axis reads %q; want the factor said where there is one (× %d)", c.f, p.Y.Label.Text, c.want)
		}
	}
}

// TestJumpsAreGapsAndSteepCurvesWhole: hardswish′'s jumps at ±3 (0 to
// −0.5, 1.5 to 1: a quarter of f′'s span, which a fixed share had
// missed) break its line, and so does step(at_zero=0.5)'s at 0, where a
// halving lands on its value between; tanh over [−1000, 1000], whose rise lies
// between two even samples, is drawn whole, and f′'s peak of 1 is
// reached, not a blip of 0.05.
func TestJumpsAreGapsAndSteepCurvesWhole(t *testing.T) {
	hardswish := act.MustNew("hardswish")
	x, _, dy := curves(hardswish, Range{-6, 6}, samples)
	var y []float32
	if parts := (curve{f: hardswish, deriv: true, scale: 1}).pieces(x, dy); len(parts) != 3 {
		t.Errorf("hardswish′ over ±6 drawn in %d pieces; want 3 (gaps at ±3)", len(parts))
	}
	step := act.MustNew("step", "at_zero=0.5") // a halving lands on 0, whose value lies halfway
	x, y, _ = curves(step, Range{-1, 1}, 100)
	if parts := (curve{f: step}).pieces(x, y); len(parts) != 2 {
		t.Errorf("step(at_zero=0.5) over ±1, 100 samples, drawn in %d pieces; want 2", len(parts))
	}
	tanh := act.MustNew("tanh")
	x, y, dy = curves(tanh, Range{-1001, 1000}, samples) // no even sample at 0
	if parts := (curve{f: tanh}).pieces(x, y); len(parts) != 1 {
		t.Errorf("tanh over ±1000 drawn in %d pieces; want 1", len(parts))
	}
	if parts := (curve{f: tanh, deriv: true, scale: 1}).pieces(x, dy); len(parts) != 1 {
		t.Errorf("tanh′ over ±1000 drawn in %d pieces; want 1", len(parts))
	}
	if peak := slices.Max(dy); peak < 0.99 {
		t.Errorf("tanh′ over ±1000 sampled up to %g; want its peak, 1", peak)
	}
	for i := range x { // the samples put between are f's own values
		want, wantD := act.Eval(tanh, x[i:i+1])
		if y[i] != want[0] || dy[i] != wantD[0] {
			t.Fatalf("at x = %g: %g, %g; want tanh's %g, %g", x[i], y[i], dy[i], want[0], wantD[0])
		}
	}
}

// TestDerivativeNotScaledWhereItIsLarge: leaky_relu(0.99)'s f′ barely
// changes (0.99 to 1) but is as large as f's span allows: drawn as it
// is, not × 200 (which had flattened f to the foot of the axis).
func TestDerivativeNotScaledWhereItIsLarge(t *testing.T) {
	for _, slope := range []string{"negative_slope=0.9", "negative_slope=0.99"} {
		f := act.MustNew("leaky_relu", slope)
		_, y, dy := curves(f, RangeFor(f), samples)
		if k := derivScale(y, dy); k != 1 {
			t.Errorf("%s: f′ drawn × %d; want as it is", f, k)
		}
	}
}
