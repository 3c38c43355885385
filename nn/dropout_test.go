package nn

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/wigglenn/wiggle/tensor"
)

func TestDropoutIsInvertedAndOffAtEvaluation(t *testing.T) {
	d := NewDropout(0.25, rand.New(rand.NewPCG(1, 1)))
	x := tensor.New(100, 100)
	for i := range x.Data {
		x.Data[i] = 1
	}
	if y := d.Forward(x, false); !slices.Equal(y.Data, x.Data) {
		t.Fatal("dropout changed its input at evaluation")
	}
	y := d.Forward(x, true)
	zeros, sum := 0, 0.0
	for _, v := range y.Data {
		switch v {
		case 0:
			zeros++
		case 1 / 0.75:
		default:
			t.Fatalf("dropout output %v; want 0 or 1/(1−p)", v)
		}
		sum += float64(v)
	}
	if frac := float64(zeros) / 1e4; math.Abs(frac-0.25) > 0.02 {
		t.Errorf("dropped %.3f of the inputs, want about 0.25", frac)
	}
	if mean := sum / 1e4; math.Abs(mean-1) > 0.03 {
		t.Errorf("mean output %.3f, want about 1 (inverted scaling)", mean)
	}
	dOut := tensor.New(100, 100)
	for i := range dOut.Data {
		dOut.Data[i] = 2
	}
	dX := d.Backward(dOut)
	for i, g := range dX.Data {
		if g != 2*y.Data[i] {
			t.Fatalf("dX[%d] = %v, want dOut·mask = %v", i, g, 2*y.Data[i])
		}
	}
}
