package nn

import (
	"fmt"

	"github.com/wigglenn/wiggle/tensor"
)

// Maxout computes Pieces linear functions of its input per output unit and
// outputs their maximum (Goodfellow et al., 2013): a learned, piecewise-linear
// activation that cannot die. Its weight is [Out·Pieces, In], unit j's pieces
// in rows j·Pieces to j·Pieces+Pieces−1.
type Maxout struct {
	Out, Pieces int
	Linear      *Dense // the Out·Pieces linear pieces: [Out·Pieces, In]

	y      *tensor.Matrix
	argmax []int // for each output entry, the piece that won
	dZ     *tensor.Matrix
	store  storage // where y and dZ live (Linear's own is set alike)
}

// NewMaxout returns an in→out Maxout layer of pieces linear pieces with zero
// weights. It panics where a size is below 1 or the layer would hold more
// than MaxParams weights (Build returns an error for those).
func NewMaxout(in, out, pieces int) *Maxout { return newMaxout(carved, in, out, pieces) }

func newMaxout(store storage, in, out, pieces int) *Maxout {
	if out < 1 || pieces < 1 || out > MaxParams/pieces {
		panic(fmt.Sprintf("nn: a maxout layer of %d units of %d pieces: each must be from 1 and the two hold at most MaxParams (%d) units; nn.Build returns such sizes as errors", out, pieces, MaxParams))
	}
	return &Maxout{Out: out, Pieces: pieces, Linear: newDense(store, in, out*pieces), store: store}
}

// Forward computes y[i, j] = max_p (x·Wᵀ + b)[i, j·Pieces + p].
//
//	x: [batch, In] → y: [batch, Out]
func (m *Maxout) Forward(x *tensor.Matrix, training bool) *tensor.Matrix {
	mustBeMade(m)
	z := m.Linear.Forward(x, training)
	m.y = m.store.keep(m.y, x.Rows, m.Out)
	if cap(m.argmax) < len(m.y.Data) {
		m.argmax = make([]int, len(m.y.Data))
	}
	m.argmax = m.argmax[:len(m.y.Data)]
	for i := range x.Rows {
		zr, yr := z.Row(i), m.y.Row(i)
		for j := range m.Out {
			best := j * m.Pieces
			for p := best + 1; p < (j+1)*m.Pieces; p++ {
				if zr[p] > zr[best] {
					best = p
				}
			}
			yr[j] = zr[best]
			m.argmax[i*m.Out+j] = best
		}
	}
	return m.y
}

// Backward routes each dOut entry to the piece that won, then back through
// the pieces' linear map.
//
//	dOut: [batch, Out] → dX: [batch, In]
func (m *Maxout) Backward(dOut *tensor.Matrix) *tensor.Matrix {
	tensor.MustMatch("Maxout.Backward", dOut, m.y)
	m.dZ = m.store.keep(m.dZ, dOut.Rows, m.Out*m.Pieces)
	m.dZ.Zero()
	for i := range dOut.Rows {
		dzr := m.dZ.Row(i)
		for j, g := range dOut.Row(i) {
			dzr[m.argmax[i*m.Out+j]] = g
		}
	}
	return m.Linear.Backward(m.dZ)
}

func (m *Maxout) unmade() string {
	switch {
	case m.Linear == nil:
		return "a Maxout layer without its pieces: make it with NewMaxout or Build"
	case m.Linear.unmade() != "":
		return "a Maxout layer whose pieces are " + m.Linear.unmade()
	case m.Out < 1 || m.Pieces < 1 || m.Linear.Out != m.Out*m.Pieces:
		return "a Maxout layer whose pieces are not Out×Pieces outputs: make it with NewMaxout or Build"
	}
	return ""
}

// Params returns the pieces' weight and bias.
func (m *Maxout) Params() []*Param { return m.Linear.Params() }

// OutSize returns Out.
func (m *Maxout) OutSize(int) int { return m.Out }

// Spec describes the layer.
func (m *Maxout) Spec() LayerSpec {
	return LayerSpec{Type: "maxout", In: m.Linear.In, Out: m.Out, Pieces: m.Pieces}
}

// Output returns the output of the last Forward, for probes.
func (m *Maxout) Output() *tensor.Matrix { return m.y }

// Winners returns the piece that won each output entry of the last
// Forward, [batch·Out] row-major, each a column of PieceValues (unit j's
// pieces are j·Pieces to j·Pieces+Pieces−1), for probes: a piece that wins
// on no example gets no gradient. Nil before a Forward.
func (m *Maxout) Winners() []int { return m.argmax }

// PieceValues returns the pieces' values of the last Forward, [batch,
// Out·Pieces], for probes: the maxout's pre-activations, as an
// Activation's Input is its own. Nil before a Forward.
func (m *Maxout) PieceValues() *tensor.Matrix {
	if m.Linear == nil {
		return nil
	}
	return m.Linear.out
}
