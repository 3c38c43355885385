package nn

import (
	"math/rand/v2"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/engine"
)

// TestGradZeroHalves checks that the two halves of ZeroGrad's split clear
// exactly their elements, across parameters of odd sizes, and that
// ZeroGrad on two threads, the helper awake, clears every gradient.
func TestGradZeroHalves(t *testing.T) {
	sizes := []int{3, 7000, 1, 40000, 5}
	var params []*Param
	total := 0
	for _, n := range sizes {
		params = append(params, &Param{Grad: make([]float32, n)})
		total += n
	}
	fill := func() {
		for _, p := range params {
			for i := range p.Grad {
				p.Grad[i] = 1
			}
		}
	}
	z := gradZero{params: params}
	for half := range 2 {
		fill()
		z.Run(half)
		at := 0
		for _, p := range params {
			for _, v := range p.Grad {
				cleared := v == 0
				want := (at < total/2) == (half == 0)
				if cleared != want {
					t.Fatalf("half %d: element %d of %d cleared %v, want %v", half, at, total, cleared, want)
				}
				at++
			}
		}
	}

	defer engine.SetThreads(engine.SetThreads(2))
	defer engine.KeepHelperAwake()()
	net := NewMLP(300, []int{200}, 10, act.MustNew("relu"), rand.New(rand.NewPCG(1, 1)))
	if n := (&gradZero{params: net.Params()}).elements(); n < minSplitZero {
		t.Fatalf("the network has %d gradient elements, too few to split", n)
	}
	for range 3 {
		for _, p := range net.Params() {
			for i := range p.Grad {
				p.Grad[i] = 2
			}
		}
		net.ZeroGrad()
		for _, p := range net.Params() {
			for i, v := range p.Grad {
				if v != 0 {
					t.Fatalf("%s[%d] = %v after ZeroGrad on two threads", p.Name, i, v)
				}
			}
		}
	}
}
