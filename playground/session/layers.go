package session

import (
	"math"
	"slices"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/probe"
	"github.com/wigglenn/wiggle/tensor"
)

// Layer is one hidden activation layer as the page shows it: its units'
// health, their incoming weights, and the activation lens (the
// activation's f and f′ over the range its pre-activations take, with
// their histogram over the training points).
type Layer struct {
	Index             int         `json:"index"` // from 1
	Act               string      `json:"act"`
	Units             int         `json:"units"`
	Dead              []bool      `json:"dead"`      // the unit outputs 0 on every training point
	Saturated         []float32   `json:"saturated"` // the fraction of training points where the unit's |f′| < 1% of its largest
	DeadFraction      float64     `json:"deadFraction"`
	SaturatedFraction float64     `json:"saturatedFraction"`
	GradNorm          float64     `json:"gradNorm"` // ‖dW‖ of the layer's incoming weights at the last step
	In                [][]float32 `json:"-"`        // each unit's incoming weights (the page asks for one unit's: see Unit)
	Bias              []float32   `json:"-"`

	Lo   float64   `json:"lo"` // the lens's range of pre-activations
	Hi   float64   `json:"hi"`
	Hist []int     `json:"hist"` // the pre-activations of every unit and point, in bins over [Lo, Hi] (beyond it: the end bins)
	F    []float32 `json:"f"`    // f at lensPoints points from Lo to Hi
	DF   []float32 `json:"df"`   // f′ there
}

// The lens's resolution.
const (
	lensBins   = 48
	lensPoints = 121
)

// Layers measures every hidden activation layer on the training points.
// (PReLU and maxout layers have no fixed curve to show, and are left out.)
func (s *Session) Layers() []Layer {
	units := probe.Units(s.net, s.TrainSet.X)
	gradNorms := probe.WeightGradNorms(s.net)
	var out []Layer
	for k, u := range units {
		l := Layer{Index: k + 1, Act: u.F.String(), Units: len(u.Dead), Dead: u.Dead, Saturated: make([]float32, len(u.Dead))}
		for j := range u.Dead {
			if u.Dead[j] {
				l.DeadFraction++
			}
			l.Saturated[j] = float32(u.Saturated[j])
			l.SaturatedFraction += u.Saturated[j]
		}
		l.DeadFraction /= float64(l.Units)
		l.SaturatedFraction /= float64(l.Units)
		if d, ok := s.net.Layers[u.Layer-1].(*nn.Dense); ok {
			for j := range d.Out {
				l.In = append(l.In, slices.Clone(d.W.Value[j*d.In:(j+1)*d.In]))
			}
			l.Bias = slices.Clone(d.B.Value)
			if dense := denseIndex(s.net, d); dense < len(gradNorms) {
				l.GradNorm = gradNorms[dense]
			}
		}
		l.lens(u.F, u.Pre)
		out = append(out, l)
	}
	return out
}

// Unit returns the incoming weights and the bias of unit j of hidden layer
// k (from 1), for the page's tooltip; ok is false for no such unit.
func (s *Session) Unit(k, j int) (in []float32, bias float32, ok bool) {
	seen := 0
	for i, l := range s.net.Layers {
		if _, isAct := l.(*nn.Activation); !isAct {
			continue
		}
		if seen++; seen != k {
			continue
		}
		d, isDense := s.net.Layers[i-1].(*nn.Dense)
		if !isDense || j < 0 || j >= d.Out {
			return nil, 0, false
		}
		return slices.Clone(d.W.Value[j*d.In : (j+1)*d.In]), d.B.Value[j], true
	}
	return nil, 0, false
}

// denseIndex is d's place among the network's Dense layers.
func denseIndex(net *nn.Sequential, d *nn.Dense) int {
	k := 0
	for _, l := range net.Layers {
		if l == nn.Layer(d) {
			return k
		}
		if _, ok := l.(*nn.Dense); ok {
			k++
		}
	}
	return k
}

// lens fills the lens: a symmetric range that holds nearly every
// pre-activation (at least [-4, 4], at most [-30, 30]), their histogram,
// and f and f′ over it.
func (l *Layer) lens(f act.Func, pre *tensor.Matrix) {
	abs := make([]float64, len(pre.Data))
	for i, v := range pre.Data {
		abs[i] = math.Abs(float64(v))
	}
	slices.Sort(abs)
	r := 4.0
	if len(abs) > 0 {
		r = min(max(r, math.Ceil(abs[len(abs)*99/100])), 30)
	}
	l.Lo, l.Hi = -r, r
	l.Hist = make([]int, lensBins)
	for _, v := range pre.Data {
		b := int((float64(v) - l.Lo) / (l.Hi - l.Lo) * lensBins)
		l.Hist[min(max(b, 0), lensBins-1)]++
	}
	x := make([]float32, lensPoints)
	for i := range x {
		x[i] = float32(l.Lo + (l.Hi-l.Lo)*float64(i)/(lensPoints-1))
	}
	l.F, l.DF = act.Eval(f, x)
}

// Neurons returns each hidden activation layer's outputs over an n×n grid
// of the plane (as Regions lays it out): for layer k, unit j's value at
// cell c is out[k][j·n·n + c].
func (s *Session) Neurons(n int) [][]float32 {
	b := s.Bounds()
	if s.rawTrain.X.Cols != 2 {
		return nil // the 1-D regression set has no plane
	}
	x := tensor.New(n*n, 2)
	for i := range n {
		for j := range n {
			row := x.Row(i*n + j)
			row[0] = float32(b.XMin + (b.XMax-b.XMin)*(float64(j)+0.5)/float64(n))
			row[1] = float32(b.YMax - (b.YMax-b.YMin)*(float64(i)+0.5)/float64(n))
		}
	}
	s.net.Forward(s.inputMatrix(x), false)
	var out [][]float32
	for _, l := range s.net.Layers {
		a, ok := l.(*nn.Activation)
		if !ok {
			continue
		}
		y := a.Output()
		maps := make([]float32, y.Cols*n*n)
		for c := range n * n {
			for j, v := range y.Row(c) {
				maps[j*n*n+c] = v
			}
		}
		out = append(out, maps)
	}
	return out
}
