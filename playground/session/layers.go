package session

import (
	"fmt"
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
	Index             int       `json:"index"` // from 1
	Act               string    `json:"act"`
	Units             int       `json:"units"`
	Dead              []bool    `json:"dead"`      // the unit outputs 0 on every training point
	Saturated         []float32 `json:"saturated"` // the fraction of training points where the unit is saturated, as probe counts it (relu's off side is not)
	DeadFraction      float64   `json:"deadFraction"`
	SaturatedFraction float64   `json:"saturatedFraction"` // over the units that are not dead: a dead unit is flat everywhere, and counted once, as dead
	IdlePieces        float64   `json:"idlePieces"`        // a maxout layer's share of pieces that win on no training point (probe.IdlePieces); 0 for others
	GradNorm          float64   `json:"gradNorm"`          // ‖dW‖ of the layer's incoming weights, the mean over the last epoch's steps (0 before one)

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

// Layers measures every hidden layer on the training points, in order. A
// PReLU layer's lens shows leaky_relu with its learned slope (the first,
// if each unit has its own); a maxout layer has no fixed curve to show, and
// no lens.
func (s *Session) Layers() []Layer {
	units := map[int]probe.UnitHealth{}
	for _, u := range probe.Units(s.net, s.TrainSet.X) { // runs the network on the training points
		units[u.Layer] = u
	}
	gradNorms := s.grads.mean
	var out []Layer
	for i, layer := range s.net.Layers {
		var l Layer
		switch layer := layer.(type) {
		case *nn.Activation:
			u := units[i]
			l = Layer{Act: u.F.String(), Units: len(u.Dead), Dead: u.Dead, Saturated: toFloat32(u.Saturated)}
			l.lens(u.F, u.Pre)
		case *nn.PReLU:
			l = preluLayer(layer)
		case *nn.Maxout:
			l = Layer{Act: "maxout", Units: layer.Out, Dead: deadUnits(layer.Output()), Saturated: make([]float32, layer.Out), // none saturated: its winning piece passes the gradient whole, as probe counts it
				IdlePieces: probe.IdlePieces(layer)}
		default:
			continue
		}
		l.Index = len(out) + 1
		l.summarise()
		if d := inputLayer(s.net, i); d != nil {
			if k := denseIndex(s.net, d); k < len(gradNorms) {
				l.GradNorm = gradNorms[k]
			}
		}
		out = append(out, l)
	}
	return out
}

// Health is a hidden layer's health without its units' detail or its
// lens: what compare mode's twin shows beside the run's, layer by layer.
type Health struct {
	Act               string  `json:"act"`
	DeadFraction      float64 `json:"deadFraction"`
	SaturatedFraction float64 `json:"saturatedFraction"`
	IdlePieces        float64 `json:"idlePieces"` // a maxout layer's
	GradNorm          float64 `json:"gradNorm"`
}

// Health measures every hidden layer's health on the training points, in
// order: Layers' figures of the same names.
func (s *Session) Health() []Health {
	layers := s.Layers()
	out := make([]Health, len(layers))
	for k, l := range layers {
		out[k] = Health{Act: l.Act, DeadFraction: l.DeadFraction, SaturatedFraction: l.SaturatedFraction, IdlePieces: l.IdlePieces, GradNorm: l.GradNorm}
	}
	return out
}

// inputLayer is the Dense layer that feeds layer i: the one before it, or a
// maxout layer's own.
func inputLayer(net *nn.Sequential, i int) *nn.Dense {
	if m, ok := net.Layers[i].(*nn.Maxout); ok {
		return m.Linear
	}
	if i > 0 {
		if d, ok := net.Layers[i-1].(*nn.Dense); ok {
			return d
		}
	}
	return nil
}

// preluLayer describes a PReLU layer after a forward pass: dead units (0
// on every point), none saturated (its two lines have no tail that
// flattens: probe counts it so too; a slope learned to 0 makes its
// negative side off, and a unit off everywhere dead), and the lens of
// leaky_relu at its first slope.
func preluLayer(p *nn.PReLU) Layer {
	pre, post := p.Input(), p.Output()
	l := Layer{Act: "prelu", Units: post.Cols, Dead: deadUnits(post), Saturated: make([]float32, post.Cols)}
	f, err := act.New("leaky_relu", fmt.Sprintf("negative_slope=%g", p.A.Value[0]))
	if err == nil {
		l.lens(f, pre)
	}
	return l
}

// deadUnits marks the units (columns of a forward pass's output) that
// are 0 on every point (row).
func deadUnits(post *tensor.Matrix) []bool {
	dead := make([]bool, post.Cols)
	for j := range dead {
		dead[j] = true
	}
	for r := range post.Rows {
		for j, v := range post.Row(r) {
			dead[j] = dead[j] && v == 0
		}
	}
	return dead
}

// summarise sets the layer's dead fraction, and the saturated fraction of
// the units that are not dead.
func (l *Layer) summarise() {
	live := 0
	for j := range l.Dead {
		if l.Dead[j] {
			l.DeadFraction++
			continue
		}
		live++
		l.SaturatedFraction += float64(l.Saturated[j])
	}
	if l.Units > 0 {
		l.DeadFraction /= float64(l.Units)
	}
	if live > 0 {
		l.SaturatedFraction /= float64(live)
	}
}

// toFloat32 is v in float32 for the page, a NaN (a unit whose outputs are
// NaN: probe.Units) as 0, which JSON can carry: the unit's map, drawn from
// its outputs, shows what it is.
func toFloat32(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		if !math.IsNaN(x) {
			out[i] = float32(x)
		}
	}
	return out
}

// Unit returns the incoming weights and the bias of unit j of hidden layer
// k (from 1, as Layers counts), for the page's tooltip: one row of each,
// or a maxout unit's pieces' rows, one a piece; ok is false for no such
// unit.
func (s *Session) Unit(k, j int) (in [][]float32, bias []float32, ok bool) {
	seen := 0
	for i, l := range s.net.Layers {
		switch l.(type) {
		case *nn.Activation, *nn.PReLU, *nn.Maxout:
		default:
			continue
		}
		if seen++; seen != k {
			continue
		}
		d, rows := inputLayer(s.net, i), []int{j}
		if m, ok := l.(*nn.Maxout); ok {
			if j < 0 || j >= m.Out {
				return nil, nil, false
			}
			rows = nil
			for p := range m.Pieces {
				rows = append(rows, j*m.Pieces+p) // unit j's pieces are rows j·Pieces on
			}
		}
		if d == nil || j < 0 || rows[len(rows)-1] >= d.Out {
			return nil, nil, false
		}
		for _, r := range rows {
			in, bias = append(in, slices.Clone(d.W.Value[r*d.In:(r+1)*d.In])), append(bias, d.B.Value[r])
		}
		return in, bias, true
	}
	return nil, nil, false
}

// denseIndex is d's place among the network's Dense layers (a Maxout
// layer's own among them), as probe.WeightGradNorms lists them.
func denseIndex(net *nn.Sequential, d *nn.Dense) int {
	k := 0
	for _, l := range net.Layers {
		if m, ok := l.(*nn.Maxout); ok && m.Linear == d || l == nn.Layer(d) {
			return k
		}
		switch l.(type) {
		case *nn.Dense, *nn.Maxout: // as probe.WeightGradNorms counts them
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
// cell c is out[k][j·n·n + c]. For the 1-D regression set they are over
// n points along x, as Regions' curve: out[k][j·n + c]. n is taken into
// [0, MaxGrid], as Regions takes it.
func (s *Session) Neurons(n int) [][]float32 {
	points := s.viewPoints(n)
	cells := points.Rows
	s.net.Forward(s.inputMatrix(points), false)
	var out [][]float32
	for _, l := range s.net.Layers {
		var y *tensor.Matrix
		switch l := l.(type) {
		case *nn.Activation:
			y = l.Output()
		case *nn.PReLU:
			y = l.Output()
		case *nn.Maxout:
			y = l.Output()
		default:
			continue
		}
		maps := make([]float32, y.Cols*cells)
		for c := range cells {
			for j, v := range y.Row(c) {
				maps[j*cells+c] = v
			}
		}
		out = append(out, maps)
	}
	return out
}
