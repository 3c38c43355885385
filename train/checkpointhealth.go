package train

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/wigglenn/wiggle/probe"
)

// The probe's series in a checkpoint file. Every checkpoint of a probed
// run carries the health of every epoch before it, so a long run
// checkpointed often writes its series again and again: as JSON of names
// and numbers, about 1 KB an epoch, formatting it was most of such a run's
// time (3,000 spiral epochs checkpointed every 5 took 16.7 s, 1.1 s
// without the probe). healthColumns writes each layer's fixed facts once
// and each epoch's numbers as their float64 bits, a fifth of the bytes
// and no number formatted. Files of the earlier form ("health", JSON) are
// read as before, and a series whose fixed facts change from epoch to
// epoch (no run of Fit's makes one) is still written so.

// healthColumns is a probe series of epochs whose layers keep their fixed
// facts (healthFacts) from epoch to epoch.
type healthColumns struct {
	Epochs []int              `json:"epochs"`
	Layers []probe.LayerStats `json:"layers"` // each layer's fixed facts, its numbers 0
	// Numbers holds each epoch's numbers (healthNumbers' fields of each
	// layer in turn) as float64 bits, little-endian; base64 in JSON.
	Numbers []byte `json:"numbers"`
}

// healthNumbers are the fields of a probe.LayerStats that change from
// epoch to epoch, in the order healthColumns.Numbers holds them. The
// others are its fixed facts (healthFacts).
var healthNumbers = []func(*probe.LayerStats) *float64{
	func(s *probe.LayerStats) *float64 { return &s.PreMean },
	func(s *probe.LayerStats) *float64 { return &s.PreStd },
	func(s *probe.LayerStats) *float64 { return &s.ActMean },
	func(s *probe.LayerStats) *float64 { return &s.ActStd },
	func(s *probe.LayerStats) *float64 { return &s.Dead },
	func(s *probe.LayerStats) *float64 { return &s.Saturated },
	func(s *probe.LayerStats) *float64 { return &s.WeightGradNorm },
	func(s *probe.LayerStats) *float64 { return &s.InputGradNorm },
	func(s *probe.LayerStats) *float64 { return &s.UpdateRatio },
	func(s *probe.LayerStats) *float64 { return &s.IdlePieces },
}

// healthFacts is s with its numbers (healthNumbers) 0: the layer's name,
// size and figures at the start, the same in every epoch of a run.
func healthFacts(s probe.LayerStats) probe.LayerStats {
	for _, field := range healthNumbers {
		*field(&s) = 0
	}
	return s
}

// columnsOf is series as healthColumns, or nil where its epochs differ in
// their layers or in a layer's fixed facts.
//
//	Numbers: [len(series)·layers·len(healthNumbers)] float64s
func columnsOf(series []probe.EpochHealth) *healthColumns {
	if len(series) == 0 {
		return nil
	}
	c := &healthColumns{Epochs: make([]int, len(series)), Layers: make([]probe.LayerStats, len(series[0].Layers))}
	for i, s := range series[0].Layers {
		c.Layers[i] = healthFacts(s)
	}
	c.Numbers = make([]byte, 0, 8*len(series)*len(c.Layers)*len(healthNumbers))
	for e, h := range series {
		if len(h.Layers) != len(c.Layers) {
			return nil
		}
		c.Epochs[e] = h.Epoch
		for i := range h.Layers {
			s := h.Layers[i]
			if !sameFacts(healthFacts(s), c.Layers[i]) {
				return nil
			}
			for _, field := range healthNumbers {
				c.Numbers = binary.LittleEndian.AppendUint64(c.Numbers, math.Float64bits(*field(&s)))
			}
		}
	}
	return c
}

// series is the probe series c holds: each epoch's layers, their fixed
// facts each epoch's own copies (the figures at the start too).
func (c *healthColumns) series() ([]probe.EpochHealth, error) {
	per := len(c.Layers) * len(healthNumbers) * 8
	if len(c.Numbers) != per*len(c.Epochs) {
		return nil, fmt.Errorf("the probe's series holds %d bytes of numbers for %d epochs of %d layers (%d bytes)", len(c.Numbers), len(c.Epochs), len(c.Layers), per*len(c.Epochs))
	}
	series := make([]probe.EpochHealth, len(c.Epochs))
	rest := c.Numbers
	for e, epoch := range c.Epochs {
		layers := make([]probe.LayerStats, len(c.Layers))
		for i, facts := range c.Layers {
			s := facts
			s.DeadAtStart, s.SaturatedAtStart, s.PreStdAtStart = ownCopy(facts.DeadAtStart), ownCopy(facts.SaturatedAtStart), ownCopy(facts.PreStdAtStart)
			for _, field := range healthNumbers {
				*field(&s) = math.Float64frombits(binary.LittleEndian.Uint64(rest))
				rest = rest[8:]
			}
			layers[i] = s
		}
		series[e] = probe.EpochHealth{Epoch: epoch, Layers: layers}
	}
	return series, nil
}

// sameFacts is whether a and b, of no numbers (healthFacts), are equal,
// their figures at the start compared by value.
func sameFacts(a, b probe.LayerStats) bool {
	same := func(x, y *float64) bool {
		return (x == nil) == (y == nil) && (x == nil || math.Float64bits(*x) == math.Float64bits(*y))
	}
	if !same(a.DeadAtStart, b.DeadAtStart) || !same(a.SaturatedAtStart, b.SaturatedAtStart) || !same(a.PreStdAtStart, b.PreStdAtStart) {
		return false
	}
	a.DeadAtStart, a.SaturatedAtStart, a.PreStdAtStart = nil, nil, nil
	b.DeadAtStart, b.SaturatedAtStart, b.PreStdAtStart = nil, nil, nil
	return a == b
}

// ownCopy is a pointer to a copy of *v, or nil for nil.
func ownCopy(v *float64) *float64 {
	if v == nil {
		return nil
	}
	x := *v
	return &x
}
