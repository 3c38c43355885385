package probe

// A Recorder's epoch in progress, kept in a checkpoint and taken up
// again by the run that resumes it.

import (
	"fmt"
	"math"
	"slices"
)

// Partial is a Recorder's sums of the epoch in progress: what a
// checkpoint taken in the middle of an epoch keeps, so that the resumed
// run reports that epoch as a run straight through would. Its zero value
// is an epoch not begun.
type Partial struct {
	Step   int            `json:"step"`  // steps done in the epoch
	Every  int            `json:"every"` // the Recorder's sampling (Every, 10 for 0)
	Layers []PartialLayer `json:"layers,omitempty"`
}

// PartialLayer is one watched layer's sums so far in the epoch, which
// EndEpoch turns into its LayerStats.
type PartialLayer struct {
	Pre             [3]float64 `json:"pre"`               // the pre-activations' count, sum and sum of squares
	Post            [3]float64 `json:"post"`              // the activations'
	Saturated       float64    `json:"saturated"`         // saturated entries of the sampled steps
	Entries         float64    `json:"entries"`           // all their entries
	WeightGradNorms float64    `json:"weight_grad_norms"` // sums over the sampled steps
	InputGradNorms  float64    `json:"input_grad_norms"`
	UpdateRatios    float64    `json:"update_ratios"`
	Sampled         int        `json:"sampled"`       // steps sampled
	RatioSampled    int        `json:"ratio_sampled"` // of them, those whose weights were not all 0
	// The layer at the initial weights (LayerStats.DeadAtStart), kept for
	// a run resumed before its first epoch ended.
	DeadAtStart      *float64 `json:"dead_at_start,omitempty"`
	SaturatedAtStart *float64 `json:"saturated_at_start,omitempty"`
	PreStdAtStart    *float64 `json:"pre_activation_std_at_start,omitempty"`
}

// CheckPartial reports why r cannot take up partial: sums of another
// number of layers than r watches, or sampled otherwise (Every); a
// negative Step; counts, sums of squares or norms below 0 or not finite,
// or sums that are not finite; more saturated entries than entries, or
// more steps with an update ratio than steps sampled.
func (r *Recorder) CheckPartial(partial Partial) error {
	switch {
	case partial.Layers != nil && len(partial.Layers) != len(r.layers) && r.watchesMaxout():
		return fmt.Errorf("the probe's sums are of %d layers; the Recorder watches %d, its maxout layers among them, which the probe of an earlier wiggle did not watch: continue that run without a Recorder", len(partial.Layers), len(r.layers))
	case partial.Layers != nil && len(partial.Layers) != len(r.layers):
		return fmt.Errorf("the probe's sums are of %d layers; the Recorder watches %d", len(partial.Layers), len(r.layers))
	case partial.Every != 0 && partial.Every != r.every():
		return fmt.Errorf("the probe sampled every %d steps; this Recorder samples every %d (Every): set it as the run's was", partial.Every, r.every())
	case partial.Step < 0:
		return fmt.Errorf("the probe's sums are of %d steps; want 0 or more", partial.Step)
	}
	for i, l := range partial.Layers {
		counts := []float64{l.Pre[0], l.Pre[2], l.Post[0], l.Post[2], l.Saturated, l.Entries, l.WeightGradNorms, l.InputGradNorms, l.UpdateRatios, float64(l.Sampled), float64(l.RatioSampled)}
		if slices.ContainsFunc(counts, func(v float64) bool { return !(v >= 0) || math.IsInf(v, 0) }) || !finite(l.Pre[1]) || !finite(l.Post[1]) || !share(l.DeadAtStart) || !share(l.SaturatedAtStart) || !size(l.PreStdAtStart) {
			return fmt.Errorf("the probe's sums of layer %d: counts, squares and norms below 0 or not finite; want what a Recorder sums", i+1)
		}
		if l.Saturated > l.Entries || l.RatioSampled > l.Sampled {
			return fmt.Errorf("the probe's sums of layer %d: %g saturated entries of %g, %d steps with an update ratio of %d sampled; want a part no greater than its whole", i+1, l.Saturated, l.Entries, l.RatioSampled, l.Sampled)
		}
	}
	return nil
}

// watchesMaxout reports whether r watches a Maxout layer.
func (r *Recorder) watchesMaxout() bool {
	return slices.ContainsFunc(r.layers, func(w *watch) bool { return w.maxout != nil })
}

// Partial returns the sums of the epoch in progress.
func (r *Recorder) Partial() Partial {
	p := Partial{Step: r.step, Every: r.every()}
	for _, w := range r.layers {
		p.Layers = append(p.Layers, PartialLayer{Pre: [3]float64{w.pre.n, w.pre.sum, w.pre.sq}, Post: [3]float64{w.post.n, w.post.sum, w.post.sq},
			Saturated: w.satCount, Entries: w.satTotal, WeightGradNorms: w.dW, InputGradNorms: w.dX, UpdateRatios: w.ratio,
			Sampled: w.sampled, RatioSampled: w.ratioSample,
			DeadAtStart: copied(r.start[w.index].dead), SaturatedAtStart: copied(r.start[w.index].saturated), PreStdAtStart: copied(r.start[w.index].preStd)})
	}
	return p
}

// Continue sets r where a checkpoint left the run it resumes: earlier is
// the health of the epochs done, in front of the series (replacing what r
// recorded), and partial the sums of the epoch in progress (the zero
// Partial for none), which must be of as many layers as r watches and
// sampled as r samples.
func (r *Recorder) Continue(earlier []EpochHealth, partial Partial) error {
	if err := checkEarlier(earlier); err != nil {
		return err
	}
	if err := r.CheckPartial(partial); err != nil {
		return err
	}
	r.series = make([]EpochHealth, len(earlier))
	for i, h := range earlier {
		r.series[i] = cloneHealth(h) // the caller's slices and figures stay the caller's
	}
	r.step = partial.Step
	r.start = map[int]startHealth{} // the run's start, as its first epoch kept it, or the epoch in progress
	if len(earlier) > 0 {
		for _, s := range earlier[0].Layers {
			r.start[s.Layer] = startHealth{copied(s.DeadAtStart), copied(s.SaturatedAtStart), copied(s.PreStdAtStart)}
		}
	} else {
		for i, l := range partial.Layers {
			r.start[r.layers[i].index] = startHealth{copied(l.DeadAtStart), copied(l.SaturatedAtStart), copied(l.PreStdAtStart)}
		}
	}
	for i, w := range r.layers {
		w.reset()
		if partial.Layers == nil {
			continue
		}
		l := partial.Layers[i]
		w.pre, w.post = moments{l.Pre[0], l.Pre[1], l.Pre[2]}, moments{l.Post[0], l.Post[1], l.Post[2]}
		w.satCount, w.satTotal, w.dW, w.dX, w.ratio = l.Saturated, l.Entries, l.WeightGradNorms, l.InputGradNorms, l.UpdateRatios
		w.sampled, w.ratioSample = l.Sampled, l.RatioSampled
	}
	return nil
}

// checkEarlier reports why earlier cannot be the epochs a resumed run
// reports before its own: epochs that do not count up from 1; a share
// (dead, saturated, idle pieces, at the start) outside [0, 1]; a count of
// units or pieces, a std, norm or ratio below 0; a figure not finite
// (but Dead, NaN where an output was).
func checkEarlier(earlier []EpochHealth) error {
	for i, h := range earlier {
		if h.Epoch != i+1 {
			return fmt.Errorf("the earlier epochs' health: epoch %d in place %d; want them counted from 1", h.Epoch, i+1)
		}
		for _, s := range h.Layers {
			sizes := []float64{float64(s.Units), float64(s.Pieces), s.PreStd, s.ActStd, s.WeightGradNorm, s.InputGradNorm, s.UpdateRatio}
			fractions := []float64{s.Saturated, s.IdlePieces}
			if !math.IsNaN(s.Dead) {
				fractions = append(fractions, s.Dead)
			}
			if slices.ContainsFunc(sizes, func(v float64) bool { return !(v >= 0) || math.IsInf(v, 0) }) ||
				slices.ContainsFunc(fractions, func(v float64) bool { return !(v >= 0 && v <= 1) }) ||
				!finite(s.PreMean) || !finite(s.ActMean) || !share(s.DeadAtStart) || !share(s.SaturatedAtStart) || !size(s.PreStdAtStart) {
				return fmt.Errorf("the earlier epochs' health: epoch %d, layer %d: a share outside [0, 1], or a count, std, norm or ratio below 0 or not finite; want what a Recorder reports", h.Epoch, s.Layer)
			}
		}
	}
	return nil
}

// copied is a new pointer to *p's value (nil for nil): figures handed out
// share no storage with the Recorder's or with one another.
func copied(p *float64) *float64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// share reports whether p is nil or a fraction from 0 to 1.
func share(p *float64) bool { return p == nil || *p >= 0 && *p <= 1 }

// size reports whether p is nil or a finite value of 0 or more.
func size(p *float64) bool { return p == nil || *p >= 0 && !math.IsInf(*p, 0) }
