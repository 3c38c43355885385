package session

import (
	"fmt"
	"math"
	"slices"

	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/train"
)

// Graph is the network as the page draws it, a column of nodes a layer:
// the inputs, each hidden layer's units, the outputs; and between two
// columns a line for each weight.
type Graph struct {
	Inputs []string `json:"inputs"` // the input nodes' features: "x", "y", "x2", …
	// Edges[c] holds the weights into column c+1 from column c, row-major
	// [units of column c+1, units of column c]: a Dense layer's W as it
	// stands. A maxout unit's edge from an input is its piece's weight of
	// the largest magnitude there, the piece that input can move most.
	Edges []GraphLayer `json:"edges"`
}

// GraphLayer is the weights between two columns.
type GraphLayer struct {
	To, From int       // units in the column after and before
	W        []float32 `json:"-"` // [To, From]; sent to the page as a Float32Array
}

// Graph describes the network for drawing; its weights are copies.
func (s *Session) Graph() Graph {
	g := Graph{Inputs: slices.Clone(s.inputNames(s.rawTrain.X.Cols))}
	for _, l := range s.net.Layers {
		switch l := l.(type) {
		case *nn.Dense:
			g.Edges = append(g.Edges, GraphLayer{To: l.Out, From: l.In, W: append([]float32(nil), l.W.Value...)})
		case *nn.Maxout:
			g.Edges = append(g.Edges, maxoutEdges(l))
		}
	}
	return g
}

// maxoutEdges gives each maxout unit's edge from each input: the weight of
// largest magnitude among the unit's pieces.
func maxoutEdges(m *nn.Maxout) GraphLayer {
	d := m.Linear
	e := GraphLayer{To: m.Out, From: d.In, W: make([]float32, m.Out*d.In)}
	for j := range m.Out {
		for i := range d.In {
			best := float32(0)
			for p := range m.Pieces {
				if w := d.W.Value[(j*m.Pieces+p)*d.In+i]; math.Abs(float64(w)) > math.Abs(float64(best)) {
					best = w
				}
			}
			e.W[j*d.In+i] = best
		}
	}
	return e
}

// MaxSetWeight bounds a weight set by hand: far past what training makes
// on the page's data, near enough that the loss stays a number.
const MaxSetWeight = 100

// SetWeight sets the weight that Graph draws as Edges[c]'s line from
// column c's node from to column c+1's node to, as a learner editing a
// line on the page does; training goes on from it (the optimizer's state
// as it was, the divergence rules measured from the loss the weight
// makes, not the run's first). A maxout unit's line stands for the
// largest of its pieces' weights and is not set; nor is a weight that is
// not finite, or beyond ±MaxSetWeight; nor any weight of a run that
// diverged, which has stopped for good.
func (s *Session) SetWeight(c, to, from int, w float64) error {
	if s.diverged != nil {
		return fmt.Errorf("the run has stopped (%v): start it again to set its weights", s.diverged)
	}
	if !(math.Abs(w) <= MaxSetWeight) {
		return fmt.Errorf("weight %v: want a number from %d to %d", w, -MaxSetWeight, MaxSetWeight)
	}
	columns := 0
	for _, l := range s.net.Layers {
		switch l := l.(type) {
		case *nn.Dense:
			if columns == c {
				if to < 0 || to >= l.Out || from < 0 || from >= l.In {
					return fmt.Errorf("no line from node %d to node %d: the columns have %d and %d nodes", from, to, l.In, l.Out)
				}
				l.W.Value[to*l.In+from] = float32(w)
				return s.rebase()
			}
			columns++
		case *nn.Maxout:
			if columns == c {
				return fmt.Errorf("the lines into a maxout layer stand for the largest of each unit's %d pieces' weights: they cannot be set one by one", l.Pieces)
			}
			columns++
		}
	}
	return fmt.Errorf("no column of lines %d: the network has %d", c, columns)
}

// rebase measures the divergence rules from the loss of the weights as
// they now stand, where they are worse than the run's start: a weight set
// by hand may raise the loss far past the start without training going
// wrong.
func (s *Session) rebase() error {
	l, _, err := train.Evaluate(s.net, s.loss, s.TrainSet)
	if err != nil {
		return err
	}
	s.initialLoss = max(s.initialLoss, l)
	s.trainer.ResetGuard()
	return nil
}
