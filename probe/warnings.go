package probe

// The warnings of an epoch's health: what passes a threshold, and what
// usually helps.

import (
	"fmt"
	"math"
	"strings"

	"github.com/wigglenn/wiggle/act"
)

// Thresholds of the warnings, and the advice each gives.
const (
	DeadLimit      = 0.10
	SaturatedLimit = 0.50
	RatioLow       = 1e-4
	RatioHigh      = 1e-2
)

// Warning is one condition met by one layer.
type Warning struct {
	Layer     int
	Condition string // "dead", "saturated", "update-high", "update-low", "large-inputs", "weights-grown"
	Message   string // a sentence for standard error, starting "warning:"
}

// LargePreStd is the std of the first layer's pre-activations above which
// the inputs are taken to be unstandardised: standardised inputs through
// PyTorch's initialisation give a std near 1.
const LargePreStd = 50

// Warnings lists the conditions h meets: a first layer whose
// pre-activations' std passes LargePreStd (its inputs' scales, or, where
// it did not at the initial weights, its weights grown), a layer past 10%
// dead units, 50% saturation, or an update ratio outside [1e-4, 1e-2] (0
// too, where a gradient came: weights it was too small to move), each with what usually helps (in a layer
// past 10% dead, a low ratio is given over the live units too, and a
// higher learning rate, which may kill more, is not offered: the dead
// units' remedies come first). Saturation is warned of for every
// activation with a tail that flattens (sigmoid and tanh on both sides,
// elu, softplus and their kin on one); relu's flat side outputs 0, where
// dead units come from, and their warning covers it; step's f′ is 0
// everywhere, which its own warning says.
// Where the layer's shares at the initial weights are known
// (LayerStats.DeadAtStart), dead units the initialisation left are not
// blamed on the learning rate, saturation that training brought is, and a
// saturated layer's low update ratio is not answered with a higher rate.
func Warnings(h EpochHealth) []Warning {
	var out []Warning
	for k, s := range h.Layers {
		name := fmt.Sprintf("layer %d (%s)", s.Layer, s.Activation)
		switch start := s.PreStdAtStart; {
		case k > 0 || !(s.PreStd > LargePreStd):
		case start != nil && *start <= LargePreStd:
			out = append(out, Warning{s.Layer, "weights-grown", fmt.Sprintf(
				"warning: %s: its pre-activations have a std of %.2g in epoch %d, against %.2g at the initial weights: its weights grew, as too high a learning rate makes them; a lower learning rate usually helps",
				name, s.PreStd, h.Epoch, *start)})
		default:
			out = append(out, Warning{s.Layer, "large-inputs", fmt.Sprintf(
				"warning: %s: its pre-activations have a std of %.2g in epoch %d: the inputs are on large scales; standardising them usually helps",
				name, s.PreStd, h.Epoch)})
		}
		info, _ := act.Lookup(strings.SplitN(s.Activation, "(", 2)[0])
		maxout := strings.HasPrefix(s.Activation, "maxout")
		stuck := s.Dead > DeadLimit && !maxout // a maxout unit at 0 still passes its gradient to its winning piece
		if s.Dead > DeadLimit && maxout {
			out = append(out, Warning{s.Layer, "dead", fmt.Sprintf(
				"warning: %s: %.0f%% of its %d units output 0 on every training example in epoch %d; a maxout unit still passes its gradient to its winning piece, so this comes of its weights (all 0, as zeros initialisation leaves them), not of dying: another initialisation usually helps",
				name, 100*s.Dead, s.Units, h.Epoch)})
		}
		switch {
		case stuck && info.Name != "" && info.MaxSlope == 0: // step: no gradient passes, dead or not
			out = append(out, Warning{s.Layer, "dead", fmt.Sprintf(
				"warning: %s: %.0f%% of its %d units are dead (0 on every training example in epoch %d); its f' is 0 everywhere, so no gradient reaches its weights or the layers below, and no learning rate or initialisation helps: backpropagation cannot train it (wiggle lab step); choose another activation",
				name, 100*s.Dead, s.Units, h.Epoch)})
		case stuck:
			out = append(out, Warning{s.Layer, "dead", deadWarning(name, s, h.Epoch)})
		}
		saturated := s.Saturated > SaturatedLimit && info.Name != "" && info.MaxSlope > 0 && !strings.HasPrefix(info.Saturation(), "no") // relu's "no (x -> -inf: off)"
		if saturated {
			out = append(out, Warning{s.Layer, "saturated", saturatedWarning(name, s, h.Epoch)})
		}
		switch {
		case s.UpdateRatio > RatioHigh:
			out = append(out, Warning{s.Layer, "update-high", fmt.Sprintf(
				"warning: %s: update/weight ratio %.3g, above %.0e, in epoch %d; a lower learning rate usually helps",
				name, s.UpdateRatio, RatioHigh, h.Epoch)})
		case s.UpdateRatio == 0 && s.WeightGradNorm > 0: // a gradient came, too small to move a weight (none at all: a batch the loss has no gradient on, or units the dead warning covers)
			out = append(out, Warning{s.Layer, "update-low", fmt.Sprintf(
				"warning: %s: its weights did not move in the steps sampled in epoch %d (update/weight ratio 0, ‖dW‖ %.2g): too little gradient reaches them to change a float32 weight; %s",
				name, h.Epoch, s.WeightGradNorm, stillAdvice(s, stuck, saturated))})
		case s.UpdateRatio > 0 && s.UpdateRatio < RatioLow && stuck:
			// The dead units' rows stand still: over the live rows alone (of
			// like norms) the ratio is about UpdateRatio/√(1 − Dead). A
			// higher rate, which may be what killed them, would kill more.
			out = append(out, Warning{s.Layer, "update-low", fmt.Sprintf(
				"warning: %s: update/weight ratio %.3g, below %.0e, in epoch %d, with %.0f%% of its units dead, whose weights no gradient moves (over the live ones alone, about %.2g); a higher learning rate may kill more of them: the dead units' remedies (a lower learning rate, leaky_relu, another initialisation) come first",
				name, s.UpdateRatio, RatioLow, h.Epoch, 100*s.Dead, s.UpdateRatio/math.Sqrt(1-s.Dead))})
		case s.UpdateRatio > 0 && s.UpdateRatio < RatioLow && saturated:
			// f′ near 0 on most examples lets little gradient through: the
			// update is small because of it, and a higher rate is what can
			// drive units onto the tails.
			out = append(out, Warning{s.Layer, "update-low", fmt.Sprintf(
				"warning: %s: update/weight ratio %.3g, below %.0e, in epoch %d, with %.0f%% of unit-examples saturated, where f' lets little gradient through; a higher learning rate may drive more onto the tails: the saturation's remedies come first",
				name, s.UpdateRatio, RatioLow, h.Epoch, 100*s.Saturated)})
		case s.UpdateRatio > 0 && s.UpdateRatio < RatioLow:
			out = append(out, Warning{s.Layer, "update-low", fmt.Sprintf(
				"warning: %s: update/weight ratio %.3g, below %.0e, in epoch %d; a higher learning rate or another initialisation usually helps",
				name, s.UpdateRatio, RatioLow, h.Epoch)})
		}
	}
	return out
}

// stillAdvice is what usually helps a layer whose weights stood still:
// the dead units' or the saturation's remedies where it has either,
// else a higher learning rate or another initialisation.
func stillAdvice(s LayerStats, stuck, saturated bool) string {
	switch {
	case stuck:
		return fmt.Sprintf("%.0f%% of its units are dead, and their remedies (leaky_relu, another initialisation) come first", 100*s.Dead)
	case saturated:
		return fmt.Sprintf("%.0f%% of unit-examples are saturated, and their remedies (smaller initial weights, standardised inputs, %s) come first", 100*s.Saturated, unflattening(s.Activation))
	}
	return "a higher learning rate or another initialisation usually helps"
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// deadWarning is the warning of a layer past DeadLimit dead. Where training
// killed more than DeadLimit of the layer beyond those dead at the weights
// it started from, a lower learning rate is offered; else the
// initialisation left them so, and a lower rate would not bring them back.
func deadWarning(name string, s LayerStats, epoch int) string {
	head := fmt.Sprintf("warning: %s: %.0f%% of its %d units are dead (0 on every training example in epoch %d)", name, 100*s.Dead, s.Units, epoch)
	switch {
	case s.DeadAtStart == nil:
		return head + "; a lower learning rate, leaky_relu, or another initialisation usually helps"
	case s.Dead-*s.DeadAtStart > DeadLimit:
		return head + fmt.Sprintf(", %.0f%% of them at the initial weights: training killed %.0f%% more, and a lower learning rate, leaky_relu, or another initialisation usually helps",
			100**s.DeadAtStart, 100*(s.Dead-*s.DeadAtStart))
	}
	return head + fmt.Sprintf("; %.0f%% were dead at the initial weights, so training killed few if any: another initialisation or leaky_relu usually helps, not a lower learning rate", 100**s.DeadAtStart)
}

// saturatedWarning is the warning of a layer past SaturatedLimit
// saturated. Where it was not so at the weights training started from,
// and a quarter of its unit-examples or more went onto the tails since
// (the start is measured on the sample's rows, the epoch on its batches:
// a small rise may be the measures'), training drove them there, as too
// high a learning rate does.
func saturatedWarning(name string, s LayerStats, epoch int) string {
	head := fmt.Sprintf("warning: %s: %.0f%% of unit-examples are saturated (f' below 1%% of its maximum) in epoch %d", name, 100*s.Saturated, epoch)
	if start := s.SaturatedAtStart; start != nil && *start <= SaturatedLimit && s.Saturated-*start >= 0.25 {
		return head + fmt.Sprintf(", against %.0f%% at the initial weights: training drove them onto the tails, and a lower learning rate usually helps (or %s)", 100**s.SaturatedAtStart, unflattening(s.Activation))
	}
	return head + "; smaller initial weights (xavier-uniform), standardised inputs or " + unflattening(s.Activation) + " usually help"
}

// unflattening is an activation that does not flatten where this one
// does: relu, where it flattens on both sides (sigmoid, tanh); where on
// its lower side alone (elu, softplus, silu), relu would be off there,
// dead: leaky_relu, whose slope there stays.
func unflattening(activation string) string {
	info, _ := act.Lookup(strings.SplitN(activation, "(", 2)[0])
	if info.Saturates == "both sides" {
		return "relu, which does not saturate"
	}
	return "leaky_relu, whose slope below 0 does not fade"
}
