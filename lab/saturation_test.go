package lab

import (
	"strings"
	"testing"
)

func TestSaturatedVanishes(t *testing.T) {
	run := func(saturated, ratio []float64) saturationRun {
		return saturationRun{saturated: map[string][]float64{"sigmoid": saturated}, ratio: map[string][]float64{"sigmoid": ratio}}
	}
	for _, c := range []struct {
		name        string
		sat, ratio  []float64
		want, tests bool // whether the criterion holds, and whether the run can test it
	}{
		{"vanishes where saturated", []float64{0, 0.6, 0.9}, []float64{1e-5, 0.05, 0.01}, true, true},
		{"not where saturated", []float64{0, 0.6, 0.9}, []float64{1e-5, 0.05, 0.5}, false, true},
		{"small only where not saturated; grows where saturated", []float64{0, 0.2, 0.9}, []float64{1e-5, 0.01, 2}, true, false},
		{"never saturated: nothing shows it", []float64{0, 0.2, 0.4}, []float64{1e-5, 0.01, 0.01}, true, false},
		{"vanishes, then grows with the weights", []float64{0, 0.6, 0.9}, []float64{1e-5, 0.05, 3}, true, true},
	} {
		r := run(c.sat, c.ratio)
		if got, tests := saturatedVanishes(r), anyTestsVanishing(r); (tests && got != c.want) || tests != c.tests {
			t.Errorf("%s: saturatedVanishes = %v, tests %v; want %v, %v", c.name, got, tests, c.want, c.tests)
		}
	}
	saturated := make([]float64, len(saturationScales))
	ratio := make([]float64, len(saturationScales))
	tanhRatio := make([]float64, len(saturationScales))
	for i := range saturated {
		tanhRatio[i] = float64(10 * i)
		if saturationScales[i] >= 16 {
			saturated[i], ratio[i] = 0.9, 0.2+float64(i)
		}
	}
	f := saturatedFinding(saturated, ratio, tanhRatio)
	if !strings.Contains(f, "(s from 16), its first layer gets 6.2 to 8.2 of its last layer's gradient (medians over seeds): there it does not shrink tenfold") {
		t.Errorf("saturatedFinding = %q", f)
	}
	// where it grows on its way down, the finding says why: the weights' growth, tanh's ratio at the largest s
	if want := "From s = 16 the first layer gets more than the last"; !strings.Contains(f, want) || !strings.Contains(f, "(tanh's first layer gets 80 times its last's at s = 64)") || !strings.Contains(f, "explodes rather than vanishes") {
		t.Errorf("saturatedFinding = %q; want it to name the weights' growth, %q", f, want)
	}
	for _, c := range []struct {
		ratio []float64
		want  string
	}{
		{[]float64{1, 0.01, 0.02}, "0.01 to 0.02 of its last layer's gradient (medians over seeds): there it shrinks tenfold or more"},
		{[]float64{1, 0.01, 0.5}, "0.01 to 0.5 of its last layer's gradient (medians over seeds): at some of those scales it shrinks tenfold on its way down, at others not"},
		{[]float64{1, 0.2, 0.9}, "0.2 to 0.9 of its last layer's gradient (medians over seeds): there it does not shrink tenfold"}, // less, not more: no explosion
	} {
		if f := saturatedFinding([]float64{0, 0.9, 0.9}, c.ratio, tanhRatio); !strings.Contains(f, c.want) || strings.Contains(f, "explodes") {
			t.Errorf("saturatedFinding(…, %v) = %q; want it to say %q", c.ratio, f, c.want)
		}
	}
	if f := shrinkingText("3e-05", "0.3", 0.02); !strings.Contains(f, "not saturation") {
		t.Errorf("shrinkingText with 2%% saturated = %q; want the slope named", f)
	}
	if f := shrinkingText("3e-05", "0.3", 0.6); strings.Contains(f, "not saturation") {
		t.Errorf("shrinkingText with 60%% saturated = %q; the slope alone is not the cause there", f)
	}
}
