package nn

import (
	"fmt"

	"github.com/wigglenn/wiggle/tensor"
)

// PReLU is a leaky ReLU whose negative slope is learned, as torch.nn.PReLU:
// y = x for x > 0, a·x otherwise. With one slope (torch's default) every unit
// shares it; with one per unit, column j uses a[j].
type PReLU struct {
	A *Param // "weight": [Units]

	x, y   *tensor.Matrix
	dInput *tensor.Matrix
	dA     []float64 // the slope gradient of one Backward, summed in float64
	store  storage   // where A, y and dInput live
}

// PReLUInit is torch.nn.PReLU's initial slope.
const PReLUInit = 0.25

// NewPReLU returns a PReLU with units slopes (1 to share one), each
// starting at slope (PReLUInit is PyTorch's default). It panics where
// units is below 1 or above MaxParams (Build returns an error for those).
func NewPReLU(units int, slope float32) *PReLU { return newPReLU(carved, units, slope) }

func newPReLU(store storage, units int, slope float32) *PReLU {
	p := &PReLU{A: newParam(store, "weight", false, units), store: store}
	for i := range p.A.Value {
		p.A.Value[i] = slope
	}
	return p
}

func (p *PReLU) unmade() string {
	if p.A == nil || len(p.A.Value) == 0 || !whole(p.A, len(p.A.Value)) {
		return "a PReLU layer without its slopes: make it with NewPReLU or Build"
	}
	return ""
}

// slope returns the slope of column j.
func (p *PReLU) slope(j int) float32 {
	if len(p.A.Value) == 1 {
		return p.A.Value[0]
	}
	return p.A.Value[j]
}

// Forward computes y = x for x > 0, a·x otherwise.
//
//	x: [batch, n] → y: [batch, n]; n = Units unless Units is 1
func (p *PReLU) Forward(x *tensor.Matrix, _ bool) *tensor.Matrix {
	mustBeMade(p)
	tensor.MustBeWhole("PReLU.Forward", x)
	if u := len(p.A.Value); u != 1 && u != x.Cols {
		panic(&tensor.ShapeError{Op: "PReLU.Forward", Detail: fmt.Sprintf("%d slopes for %d columns", u, x.Cols)})
	}
	p.x = x
	p.y = p.store.keep(p.y, x.Rows, x.Cols)
	for i := range x.Rows {
		xr, yr := x.Row(i), p.y.Row(i)
		for j, v := range xr {
			if v > 0 {
				yr[j] = v
			} else {
				yr[j] = p.slope(j) * v
			}
		}
	}
	return p.y
}

// Backward returns dX = dOut for x > 0, a·dOut otherwise, and accumulates
// da += Σ dOut·x over the entries with x <= 0 (of its column, for one slope
// per unit).
//
//	dOut: [batch, n] → dX: [batch, n]
func (p *PReLU) Backward(dOut *tensor.Matrix) *tensor.Matrix {
	tensor.MustMatch("PReLU.Backward", dOut, p.y)
	p.dInput = p.store.keep(p.dInput, dOut.Rows, dOut.Cols)
	if len(p.dA) != len(p.A.grad()) {
		p.dA = make([]float64, len(p.A.Grad))
	}
	dA := p.dA
	clear(dA)
	shared := len(dA) == 1
	for i := range dOut.Rows {
		xr, dr, dxr := p.x.Row(i), dOut.Row(i), p.dInput.Row(i)
		for j, v := range xr {
			if v > 0 {
				dxr[j] = dr[j]
				continue
			}
			dxr[j] = p.slope(j) * dr[j]
			k := j
			if shared {
				k = 0
			}
			dA[k] += float64(dr[j]) * float64(v)
		}
	}
	for k, g := range dA {
		p.A.Grad[k] += float32(g)
	}
	return p.dInput
}

// Params returns the slopes.
func (p *PReLU) Params() []*Param { return []*Param{p.A} }

// OutSize returns in.
func (p *PReLU) OutSize(in int) int { return in }

// Spec describes the layer.
func (p *PReLU) Spec() LayerSpec { return LayerSpec{Type: "prelu", Units: len(p.A.Value)} }

// Input returns the input of the last Forward, for probes.
func (p *PReLU) Input() *tensor.Matrix { return p.x }

// Output returns the output of the last Forward, for probes.
func (p *PReLU) Output() *tensor.Matrix { return p.y }
