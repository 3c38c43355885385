package nn

// What Check refuses: layers that do not chain, and layers that are not
// the network's own as NewSequential gathered them.

import (
	"errors"
	"fmt"
	"strings"
)

// Check reports a network whose layers do not chain: an input width
// under 1, or a layer that takes another width than the one before it
// gives (than In, for the first), as Build would refuse its Spec. It says
// which layer, in Build's words. It reports too a network NewSequential
// did not make as it stands (a literal, Layers changed since), a layer
// that appears twice, and a layer another network's NewSequential has
// taken since: each trains or saves wrongly. A layer of another package
// is taken to fit any width. Forward, which would panic on such a
// network, does not check; train, modelio and model do before they use
// one. Check allocates nothing on a network of nn's own layers that
// chains (another package's are asked for their Params).
func (s *Sequential) Check() error {
	if s == nil {
		return errors.New("no network (nil)")
	}
	if s.In < 1 {
		return fmt.Errorf("architecture: input width %d; want at least 1", s.In)
	}
	if err := s.checkOwned(); err != nil {
		return err
	}
	width := s.In
	for i, l := range s.Layers {
		if err := fits(l, width); err != nil {
			return fmt.Errorf("architecture: layer %d (%s): %w", i, l.Spec().Type, err)
		}
		width = l.OutSize(width)
	}
	return nil
}

// checkOwned reports a network whose layers are not those whose
// parameters NewSequential gathered and named: a Sequential written as a
// literal, or one whose Layers changed since (a layer added would not
// train, and a file written would not read back); a layer that appears
// twice (it keeps one input and one output, so its second use computes
// and differentiates with the first's); or a layer that NewSequential of
// another network has named since, at another place or the same (its
// parameters carry that network's places, so a file written would swap
// them, and its input is the other network's last). Allocation-free for nn's
// own layers: a Trainer checks every step.
func (s *Sequential) checkOwned() error {
	if !s.distinct {
		if first, again, ok := s.repeated(); ok {
			return fmt.Errorf("architecture: layer %d is layer %d again; a layer keeps one input and one output, so it serves once: give each place its own layer", again, first)
		}
	}
	if len(s.counts) != len(s.Layers) {
		return errNotAsMade
	}
	k := 0
	for i, l := range s.Layers {
		n, other, taken := 0, false, ""
		eachParam(l, func(p *Param) {
			switch {
			case k >= len(s.params) || s.params[k] != p:
				other = true // not the parameter NewSequential gathered here
			case p.owner != s && taken == "":
				taken = p.Name
			}
			k++
			n++
		})
		switch {
		case other || n != s.counts[i]:
			return errNotAsMade
		case taken != "":
			return fmt.Errorf("architecture: layer %d's parameter is named %s, for another network's layer %s: NewSequential of another network took the layer, and a layer keeps one input, so it serves one network; give each network its own layers (heads over a shared trunk: a trunk network whose output each head network takes, the heads' input gradients summed into the trunk's Backward)", i, taken, strings.Split(taken, ".")[0])
		}
	}
	if k != len(s.params) {
		return errNotAsMade
	}
	return nil
}

// errNotAsMade is Check's error for a network whose layers are not those
// NewSequential was given.
var errNotAsMade = errors.New("architecture: the network's layers are not those NewSequential gathered the parameters of (a Sequential written as a literal, or Layers changed since): build it with NewSequential or Build")

// eachParam calls f with each of l's parameters, in Params' order,
// without allocating for nn's own layers.
func eachParam(l Layer, f func(*Param)) {
	switch l := l.(type) {
	case *Dense:
		f(l.W)
		f(l.B)
	case *Maxout:
		if l.Linear != nil {
			f(l.Linear.W)
			f(l.Linear.B)
		}
	case *PReLU:
		f(l.A)
	case *Activation, *Dropout:
	default:
		for _, p := range l.Params() {
			f(p)
		}
	}
}

// repeated finds a layer of nn's kinds that appears twice in s (a Dense
// inside a Maxout counted): its first index and the other's.
func (s *Sequential) repeated() (first, again int, ok bool) {
	own := func(l Layer) []Layer { // nn's pointers alone: another package's layer may be a value no == compares
		switch l := l.(type) {
		case *Maxout:
			if l.Linear != nil {
				return []Layer{l, l.Linear}
			}
			return []Layer{l}
		case *Dense, *Activation, *PReLU, *Dropout:
			return []Layer{l}
		}
		return nil
	}
	for j, b := range s.Layers {
		for i := range j {
			for _, x := range own(s.Layers[i]) {
				for _, y := range own(b) {
					if x == y {
						return i, j, true
					}
				}
			}
		}
	}
	return 0, 0, false
}

// fits is LayerSpec.takes for a layer made, read from its fields: a
// layer's Spec allocates, and a Trainer checks its network every step.
func fits(l Layer, width int) error {
	switch l := l.(type) {
	case *Dense:
		return LayerSpec{Type: "dense", In: l.In}.takes(width)
	case *Maxout:
		if l.Linear != nil { // one written as a literal: Forward says so
			return LayerSpec{Type: "maxout", In: l.Linear.In}.takes(width)
		}
	case *PReLU:
		if l.A != nil {
			return LayerSpec{Type: "prelu", Units: len(l.A.Value)}.takes(width)
		}
	}
	return nil
}
