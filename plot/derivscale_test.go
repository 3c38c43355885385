package plot

import (
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
