package lab

import (
	"math"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/act"
)

// TestShiftedSigmoid holds σ(x) − 1/2 to float64's sigmoid and its slope to
// finite differences: the control differs from sigmoid by its centring only.
func TestShiftedSigmoid(t *testing.T) {
	f := shiftedSigmoid{act.MustNew("sigmoid")}
	x := []float32{-30, -4, -1, -0.1, 0, 0.1, 1, 4, 30}
	y := make([]float32, len(x))
	f.Forward(y, x)
	dOut := make([]float32, len(x))
	for i := range dOut {
		dOut[i] = 1
	}
	dX := make([]float32, len(x))
	f.Backward(dX, dOut, x, y)
	for i, v := range x {
		s := 1 / (1 + math.Exp(-float64(v)))
		if got := float64(y[i]); math.Abs(got-(s-0.5)) > 1e-6 {
			t.Errorf("f(%g) = %g, want σ − 1/2 = %g", v, got, s-0.5)
		}
		const h = 1e-3
		fd := (1/(1+math.Exp(-(float64(v)+h))) - 1/(1+math.Exp(-(float64(v)-h)))) / (2 * h)
		if math.Abs(float64(dX[i])-fd) > 1e-5 {
			t.Errorf("f′(%g) = %g, want %g", v, dX[i], fd)
		}
	}
}

// TestGapText: the gap in epochs to 90% said in words, within a limit of
// 100 epochs (101: never); two runs that never reach it tell nothing, where
// they had read as "centring alone changes nothing".
func TestGapText(t *testing.T) {
	for _, c := range []struct {
		centred, sigmoid float64
		want             string
	}{{20, 80, "4 times as fast"}, {80, 20, "slower"}, {30, 30, "changes nothing"}, {101, 101, "neither reaches it"}, {40, 101, "2.5 times as fast"}} {
		if got := gapText(c.centred, c.sigmoid, 100); !strings.Contains(got, c.want) {
			t.Errorf("gapText(%g, %g) = %q; want %q", c.centred, c.sigmoid, got, c.want)
		}
	}
}

// TestMedianIndex: the run whose value is the median, the lower middle
// of an even count, the first of equal values; its value is median's
// for an odd count.
func TestMedianIndex(t *testing.T) {
	for _, c := range []struct {
		values []float64
		want   int
	}{
		{[]float64{38, 17, 24, 16, 20}, 4},
		{[]float64{5}, 0},
		{[]float64{3, 1, 2, 4}, 2},
		{[]float64{41, 41, 12}, 0},
	} {
		got := medianIndex(c.values)
		if got != c.want {
			t.Errorf("medianIndex(%v) = %d; want %d", c.values, got, c.want)
		}
		if len(c.values)%2 == 1 && c.values[got] != median(c.values) {
			t.Errorf("medianIndex(%v): value %g; median %g", c.values, c.values[got], median(c.values))
		}
	}
}

// TestMedianRunSaidAsDrawn: the chart's title names the run it draws, the
// lower middle one of an even count of seeds, whose epoch is not the
// text's median.
func TestMedianRunSaidAsDrawn(t *testing.T) {
	for count, want := range map[int]string{5: "median run of 5", 1: "median run of 1", 4: "lower-middle run of 4"} {
		if got := medianRunOf(count); !strings.Contains(got, want) {
			t.Errorf("medianRunOf(%d) = %q; want it to say %q", count, got, want)
		}
	}
}

// TestZeroCentredCurvesCrossAtTheMedian: the chart's curve of each
// activation first reaches 90% at the median of the seeds' epochs to 90%,
// the number the text gives.
func TestZeroCentredCurvesCrossAtTheMedian(t *testing.T) {
	const epochs = 50
	firsts := map[string][]int{"sigmoid": {38, 0, 41, 30, 44}, centredSigmoid: {17, 24, 16, 20, 19}, "tanh": {11, 9, 14, 0, 12}}
	runs := make([]zeroCentredRun, 5)
	for k := range runs {
		runs[k] = zeroCentredRun{reached: map[string]int{}, accuracy: map[string][]float64{}}
		for name, f := range firsts {
			runs[k].reached[name] = f[k]
			acc := make([]float64, epochs)
			for e := range acc { // 90% first at f[k], then a dip under it for three epochs, as noisy runs do
				switch epoch := e + 1; {
				case f[k] == 0 || epoch < f[k]:
					acc[e] = 0.5
				case epoch > f[k] && epoch <= f[k]+3:
					acc[e] = 0.85
				default:
					acc[e] = 0.95
				}
			}
			runs[k].accuracy[name] = acc
		}
	}
	reached := func(name string) []float64 {
		return collect(runs, func(r zeroCentredRun) float64 { return epochsOrNever(r.reached[name], epochs) })
	}
	for _, s := range zeroCentredCurves(runs, reached) {
		first := 0.0
		for e, a := range s.Y {
			if a >= 0.9 {
				first = s.X[e]
				break
			}
		}
		if want := median(reached(s.Name)); first != want {
			t.Errorf("%s's curve reaches 90%% at epoch %g; the text's median is %g", s.Name, first, want)
		}
	}
}
