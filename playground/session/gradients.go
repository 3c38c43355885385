package session

import "github.com/wigglenn/wiggle/probe"

// epochGradients follows the weight gradients' norms through an epoch:
// the health chart shows each layer's mean ‖dW‖ over the last epoch's
// steps, not the last step's alone, which jumps from one mini-batch to
// the next.
type epochGradients struct {
	sums  []float64 // ‖dW‖ added up over the steps of the epoch under way, as probe.WeightGradNorms lists them
	steps int
	mean  []float64 // the last finished epoch's; nil before one
	step  []float64 // one step's, its storage kept from step to step
}

// start begins an epoch.
func (g *epochGradients) start() {
	clear(g.sums)
	g.steps = 0
}

// add takes one step's gradients (a train.Trainer's AfterStep).
func (g *epochGradients) add(norms []float64) {
	if len(g.sums) != len(norms) {
		g.sums = make([]float64, len(norms))
	}
	for k, v := range norms {
		g.sums[k] += v
	}
	g.steps++
}

// finish ends an epoch that trained: its means become what is shown.
func (g *epochGradients) finish() {
	if g.steps == 0 {
		return
	}
	g.mean = g.mean[:0]
	for _, v := range g.sums {
		g.mean = append(g.mean, v/float64(g.steps))
	}
}

// addStepGradients is the session's train.Trainer.AfterStep.
func (s *Session) addStepGradients(int) {
	s.grads.step = probe.AppendWeightGradNorms(s.grads.step[:0], s.net)
	s.grads.add(s.grads.step)
}
