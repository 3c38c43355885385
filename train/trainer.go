// Package train runs the training loop: mini-batches, loss, backpropagation
// and the optimizer's step, epoch after epoch.
package train

import (
	"math/rand/v2"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/tensor"
)

// Trainer trains Net on mini-batches with softmax cross-entropy.
type Trainer struct {
	Net     *nn.Sequential
	Opt     optim.Optimizer
	Batch   int        // rows per step; the last batch of an epoch may be smaller
	Shuffle bool       // reorder the rows every epoch, from Rng
	Rng     *rand.Rand // required when Shuffle is set

	order  []int
	x      *tensor.Matrix
	labels []int
	dOut   *tensor.Matrix
}

// Epoch makes one pass over ds, a step per batch, and returns the mean of
// the batches' losses weighted by their sizes.
func (t *Trainer) Epoch(ds *data.Dataset) float64 {
	n := ds.Len()
	if len(t.order) != n {
		t.order = make([]int, n)
		for i := range t.order {
			t.order[i] = i
		}
	}
	if t.Shuffle {
		t.Rng.Shuffle(n, func(i, j int) { t.order[i], t.order[j] = t.order[j], t.order[i] })
	}
	var total float64
	for start := 0; start < n; start += t.Batch {
		rows := t.order[start:min(start+t.Batch, n)]
		total += t.Step(ds, rows) * float64(len(rows))
	}
	return total / float64(n)
}

// Step trains on the given rows of ds once and returns the batch loss,
// computed before the update.
func (t *Trainer) Step(ds *data.Dataset, rows []int) float64 {
	t.x = gather(t.x, ds.X, rows)
	t.labels = t.labels[:0]
	for _, r := range rows {
		t.labels = append(t.labels, ds.Labels[r])
	}
	t.Net.ZeroGrad()
	scores := t.Net.Forward(t.x, true)
	t.dOut = t.dOut.Reshape(scores.Rows, scores.Cols)
	l := loss.SoftmaxCrossEntropy(t.dOut, scores, t.labels)
	t.Net.Backward(t.dOut)
	t.Opt.Step(t.Net.Params())
	return l
}

// Evaluate returns the mean softmax cross-entropy and the accuracy of net
// on all of ds, in evaluation mode.
func Evaluate(net *nn.Sequential, ds *data.Dataset) (meanLoss, accuracy float64) {
	scores := net.Forward(ds.X, false)
	d := tensor.New(scores.Rows, scores.Cols)
	return loss.SoftmaxCrossEntropy(d, scores, ds.Labels), loss.Accuracy(scores, ds.Labels)
}

// gather copies the given rows of src into dst, reshaped to fit.
func gather(dst, src *tensor.Matrix, rows []int) *tensor.Matrix {
	dst = dst.Reshape(len(rows), src.Cols)
	for i, r := range rows {
		copy(dst.Row(i), src.Row(r))
	}
	return dst
}
