package optim

import (
	"math"
	"testing"

	"github.com/wigglenn/wiggle/nn"
)

// TestSGDMomentumByHand follows torch.optim.SGD's rule for three steps with
// gradients worked out on paper.
func TestSGDMomentumByHand(t *testing.T) {
	p := &nn.Param{Name: "w", Value: []float32{1}, Grad: []float32{0}}
	o := &SGD{LR: 0.1, Momentum: 0.9}
	// step 1: buf = 0.5, w = 1 − 0.05 = 0.95
	// step 2: buf = 0.9·0.5 + 0.5 = 0.95, w = 0.95 − 0.095 = 0.855
	// step 3: buf = 0.9·0.95 − 1 = −0.145, w = 0.855 + 0.0145 = 0.8695
	for i, c := range []struct{ grad, want float32 }{{0.5, 0.95}, {0.5, 0.855}, {-1, 0.8695}} {
		p.Grad[0] = c.grad
		o.Step([]*nn.Param{p})
		if math.Abs(float64(p.Value[0]-c.want)) > 1e-6 {
			t.Fatalf("step %d: w = %v, want %v", i+1, p.Value[0], c.want)
		}
	}
}

func TestPlainSGD(t *testing.T) {
	p := &nn.Param{Name: "w", Value: []float32{1, -2}, Grad: []float32{0.5, -1}}
	(&SGD{LR: 0.2}).Step([]*nn.Param{p})
	if p.Value[0] != 0.9 || p.Value[1] != -1.8 {
		t.Errorf("w = %v, want [0.9 -1.8]", p.Value)
	}
}
