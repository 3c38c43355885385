package nn

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/wigglenn/wiggle/tensor"
)

// Dropout zeroes each input with probability P during training and scales
// the rest by 1/(1−P) ("inverted" dropout), so evaluation needs no change: at
// evaluation it passes its input through.
type Dropout struct {
	P   float64
	Rng *rand.Rand // draws the masks; seeded, so runs repeat

	src      *rand.PCG // Rng's source, when NewDropoutPCG made it: its state goes into checkpoints
	mask     []float32 // 0 or 1/(1−P) per entry of the last training Forward
	training bool
	y        *tensor.Matrix
	dInput   *tensor.Matrix
	store    storage // where y and dInput live
}

// NewDropout returns a Dropout layer of rate p drawing from rng. It panics
// where p is not in [0, 1) or rng is nil (Build returns an error for
// those).
func NewDropout(p float64, rng *rand.Rand) *Dropout {
	mustDropout(p, rng == nil)
	return &Dropout{P: p, Rng: rng}
}

// NewDropoutPCG returns a Dropout layer of rate p drawing from src, whose
// state RandState and SetRandState save and restore (Build makes these).
// It panics as NewDropout does.
func NewDropoutPCG(p float64, src *rand.PCG) *Dropout {
	mustDropout(p, src == nil)
	return &Dropout{P: p, Rng: rand.New(src), src: src}
}

// mustDropout panics on a rate outside [0, 1), whose masks would scale by
// 1/(1−p) = +Inf or flip signs, or on no random source.
func mustDropout(p float64, noSource bool) {
	switch {
	case !(p >= 0 && p < 1):
		panic(fmt.Sprintf("nn: dropout of rate %v; want 0 <= p < 1", p))
	case noSource:
		panic("nn: dropout without a random source (nil)")
	}
}

// RandState returns the state of the masks' source, for a checkpoint.
func (d *Dropout) RandState() ([]byte, error) {
	if d.src == nil {
		return nil, errNoSource
	}
	return d.src.MarshalBinary()
}

// SetRandState restores the masks' source from RandState's bytes.
func (d *Dropout) SetRandState(b []byte) error {
	if d.src == nil {
		return errNoSource
	}
	return d.src.UnmarshalBinary(b)
}

var errNoSource = errors.New("this dropout layer draws from a source whose state cannot be saved (make it with NewDropoutPCG)")

// Forward computes y = x·mask when training, y = x otherwise.
//
//	x: [batch, n] → y: [batch, n]
func (d *Dropout) Forward(x *tensor.Matrix, training bool) *tensor.Matrix {
	training = training && d.P > 0
	if training {
		mustBeMade(d)
		tensor.MustBeWhole("Dropout.Forward", x)
	}
	if d.training = training; !training {
		return x
	}
	d.y = d.store.keep(d.y, x.Rows, x.Cols)
	if cap(d.mask) < len(x.Data) {
		d.mask = make([]float32, len(x.Data))
	}
	d.mask = d.mask[:len(x.Data)]
	keep := float32(1 / (1 - d.P))
	for i, v := range x.Data {
		d.mask[i] = 0
		if d.Rng.Float64() >= d.P {
			d.mask[i] = keep
		}
		d.y.Data[i] = v * d.mask[i]
	}
	return d.y
}

func (d *Dropout) unmade() string {
	switch {
	case !(d.P >= 0 && d.P < 1):
		return fmt.Sprintf("a Dropout layer of rate %v, outside [0, 1): make it with NewDropout or Build", d.P)
	case d.P > 0 && d.Rng == nil:
		return "a Dropout layer without a source for its masks: make it with NewDropout or Build"
	}
	return ""
}

// Backward returns dX = dOut·mask (dOut itself after an evaluation Forward).
//
//	dOut: [batch, n] → dX: [batch, n]
func (d *Dropout) Backward(dOut *tensor.Matrix) *tensor.Matrix {
	if !d.training {
		return dOut
	}
	tensor.MustMatch("Dropout.Backward", dOut, d.y)
	d.dInput = d.store.keep(d.dInput, dOut.Rows, dOut.Cols)
	for i, g := range dOut.Data {
		d.dInput.Data[i] = g * d.mask[i]
	}
	return d.dInput
}

// Params returns nothing.
func (d *Dropout) Params() []*Param { return nil }

// OutSize returns in.
func (d *Dropout) OutSize(in int) int { return in }

// Spec describes the layer.
func (d *Dropout) Spec() LayerSpec { return LayerSpec{Type: "dropout", P: d.P} }
