package optim

import (
	"fmt"
	"slices"

	"github.com/wigglenn/wiggle/nn"
)

// table holds an optimizer's state for each parameter it has stepped,
// found by the parameter itself (its *nn.Param), not by its place in the
// list Step is given, as PyTorch's optimizers keep theirs: a Step given
// some of the parameters (a frozen layer left out) leaves the others'
// state as it was, for when they come back, and two lists of the same
// sizes in another order do not trade buffers. It keeps every parameter
// it has seen (and so its network) for as long as the optimizer lives.
type table struct {
	by map[*nn.Param]*entry

	// The list of the last lookup (a copy) and its entries in that order,
	// so that a training loop, which passes the same list every step, finds
	// them without a map lookup or an allocation. (A loop that alternates
	// lists, a Step a layer, pays a lookup and a few allocations a Step.)
	last []*nn.Param
	rows []*entry
	cols [][][]float32 // cols[k][i]: rows[i].bufs[k]
}

// entry is one parameter's state.
type entry struct {
	bufs [][]float32 // the optimizer's parts, each as long as the parameter's values
	step int         // the Steps that have updated the parameter (Adam's t)
}

// of returns the state of params, parts slices each (cols[k][i]: the k-th
// of params[i], zeros for a parameter not stepped before, placed by
// placed), and each parameter's entry. It panics, naming it, on a nil
// parameter, one listed twice, or one whose values have changed length
// since it was last stepped; the table is then as it was.
func (t *table) of(params []*nn.Param, parts int) (cols [][][]float32, rows []*entry) {
	mustNotBeNil(params)
	if len(t.cols) != parts || !slices.Equal(params, t.last) { // cols: a first lookup of no parameters too
		if err := t.index(params, parts); err != nil {
			panic("optim: " + err.Error())
		}
	}
	for i, p := range params {
		if len(t.rows[i].bufs[0]) != len(p.Value) {
			panic(fmt.Sprintf("optim: parameter %q has %d values, its state from the Steps before %d; its values changed length since (a parameter keeps its size)", p.Name, len(p.Value), len(t.rows[i].bufs[0])))
		}
	}
	return t.cols, t.rows
}

// index makes params the list of the last lookup, with an entry for each
// (new ones zeroed). A parameter listed twice is an error, and leaves the
// table as it was.
func (t *table) index(params []*nn.Param, parts int) error {
	if err := listedOnce(params); err != nil {
		return err
	}
	if t.by == nil {
		t.by = make(map[*nn.Param]*entry)
	}
	rows, cols := make([]*entry, len(params)), make([][][]float32, parts)
	for k := range cols {
		cols[k] = make([][]float32, len(params))
	}
	for i, p := range params {
		e := t.by[p]
		if e == nil {
			e = &entry{bufs: make([][]float32, parts)}
			for k := range e.bufs {
				e.bufs[k] = placed(p, k+1, parts)
			}
			t.by[p] = e
		}
		rows[i] = e
		for k := range cols {
			cols[k][i] = e.bufs[k]
		}
	}
	t.last, t.rows, t.cols = slices.Clone(params), rows, cols
	return nil
}

// listedOnce returns an error naming a parameter params holds twice.
func listedOnce(params []*nn.Param) error {
	seen := make(map[*nn.Param]bool, len(params))
	for _, p := range params {
		if p == nil {
			continue // said where nil is refused
		}
		if seen[p] {
			return fmt.Errorf("parameter %q is listed twice; an optimizer steps each parameter once a Step", p.Name)
		}
		seen[p] = true
	}
	return nil
}

// set replaces the state with the one given for params (Restore): cols as
// of returns them, each parameter at steps[i] steps. params must be
// listed once each (listedOnce).
func (t *table) set(params []*nn.Param, cols [][][]float32, steps []int) {
	*t = table{by: make(map[*nn.Param]*entry, len(params))}
	for i, p := range params {
		e := &entry{bufs: make([][]float32, len(cols)), step: steps[i]}
		for k := range cols {
			e.bufs[k] = cols[k][i]
		}
		t.by[p] = e
	}
	_ = t.index(params, len(cols)) // listed once: checked by the caller
}
