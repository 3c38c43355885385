// Package train runs the training loop: mini-batches, loss, backpropagation,
// regularisation, clipping and the optimizer's step, epoch after epoch (Fit),
// with a validation split, learning-rate schedules and early stopping.
package train

import (
	"math/rand/v2"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/probe"
	"github.com/wigglenn/wiggle/tensor"
)

// Trainer makes the steps of training Net.
type Trainer struct {
	Net      *nn.Sequential
	Loss     loss.Loss // softmax cross-entropy if nil
	Opt      optim.Optimizer
	L2       float64    // L2 strength on weight matrices (see loss.L2); 0 for none
	ClipNorm float64    // clip the global gradient norm to this; 0 for no clipping
	Batch    int        // rows per step; the last batch of an epoch may be smaller
	Shuffle  bool       // reorder the rows every epoch, from Rng
	Rng      *rand.Rand // required when Shuffle is set
	// Probe, if set, watches every step: dead units, saturation, gradient
	// norms and update ratios per layer (see probe.Recorder).
	Probe *probe.Recorder

	params    []*nn.Param
	afterStep func(rows int) // progress reporting, set by Fit
	order     []int
	batch     *data.Dataset
	dOut      *tensor.Matrix
}

// Epoch makes one pass over ds, a step per batch, in row order or shuffled,
// and returns the mean of the batches' losses weighted by their sizes and the
// fraction of rows classified right, each measured before its step's update
// (0 for regression).
func (t *Trainer) Epoch(ds *data.Dataset) (meanLoss, accuracy float64) {
	n := ds.Len()
	if len(t.order) != n {
		t.order = make([]int, n)
	}
	for i := range t.order {
		t.order[i] = i
	}
	if t.Shuffle {
		t.Rng.Shuffle(n, func(i, j int) { t.order[i], t.order[j] = t.order[j], t.order[i] })
	}
	var total float64
	right := 0
	for start := 0; start < n; start += t.Batch {
		rows := t.order[start:min(start+t.Batch, n)]
		l, r := t.Step(ds, rows)
		total += l * float64(len(rows))
		right += r
		if t.afterStep != nil {
			t.afterStep(len(rows))
		}
	}
	return total / float64(n), float64(right) / float64(n)
}

// Step trains on the given rows of ds once and returns the batch's loss and
// the number of rows classified right, both before the update. The L2
// penalty is not part of the loss (as in PyTorch, where weight decay never
// enters it); its gradient is part of the step.
func (t *Trainer) Step(ds *data.Dataset, rows []int) (batchLoss float64, right int) {
	if t.params == nil {
		t.params = t.Net.Params()
	}
	t.batch = gather(t.batch, ds, rows)
	t.Net.ZeroGrad()
	scores := t.Net.Forward(t.batch.X, true)
	t.dOut = t.dOut.Reshape(scores.Rows, scores.Cols)
	l := t.loss().Forward(t.dOut, scores, target(t.batch))
	for i, label := range t.batch.Labels {
		if t.loss().Classify(scores.Row(i)) == label {
			right++
		}
	}
	if t.Probe != nil {
		t.Net.Backward(t.dOut) // the probe reads dX at every layer's input
	} else {
		t.Net.BackwardParams(t.dOut)
	}
	loss.L2(t.params, t.L2)
	if t.ClipNorm > 0 {
		optim.ClipGlobalNorm(t.params, t.ClipNorm)
	}
	if t.Probe != nil {
		t.Probe.AfterBackward()
		t.Probe.BeforeUpdate()
	}
	t.Opt.Step(t.params)
	if t.Probe != nil {
		t.Probe.AfterUpdate()
	}
	return l, right
}

func (t *Trainer) loss() loss.Loss {
	if t.Loss == nil {
		return loss.Softmax{}
	}
	return t.Loss
}

// Evaluate returns the mean loss of net on all of ds in evaluation mode,
// and its accuracy (0 for a regression loss).
func Evaluate(net *nn.Sequential, l loss.Loss, ds *data.Dataset) (meanLoss, accuracy float64) {
	if ds.Len() == 0 {
		return 0, 0
	}
	scores := net.Forward(ds.X, false)
	d := tensor.New(scores.Rows, scores.Cols)
	meanLoss = l.Forward(d, scores, target(ds))
	if !ds.Regression() {
		accuracy = loss.Accuracy(l, scores, ds.Labels)
	}
	return meanLoss, accuracy
}

func target(ds *data.Dataset) loss.Target { return loss.Target{Labels: ds.Labels, Values: ds.Values} }

// gather copies the given rows of src into the reusable batch dst.
func gather(dst, src *data.Dataset, rows []int) *data.Dataset {
	if dst == nil {
		dst = &data.Dataset{}
	}
	dst.X = data.GatherRows(dst.X, src.X, rows)
	dst.Labels, dst.Values = dst.Labels[:0], nil
	if src.Values != nil {
		dst.Values = data.GatherRows(dst.Values, src.Values, rows)
	}
	for _, r := range rows {
		if src.Labels != nil {
			dst.Labels = append(dst.Labels, src.Labels[r])
		}
	}
	return dst
}
