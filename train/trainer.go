// Package train runs the training loop: mini-batches, loss, backpropagation,
// regularisation, clipping and the optimizer's step, epoch after epoch (Fit),
// with a validation split, learning-rate schedules and early stopping.
//
// Fit takes a context and stops between two steps when it is done. It
// checks everything before it starts: an option that cannot work is an
// *OptionError that names it as Go spells it ("Batch", "Optimizer.LR"), so
// a program can map it back to where the value came from; data that does
// not fit the network (width, labels, values that are not finite) is an
// error naming the row. Nothing here panics on a caller's options or data,
// or changes a process-wide setting.
//
// Concurrency: a Trainer, and the network it trains, belong to one
// goroutine; Fits on different networks may run at once. While a training
// loop runs, the engine's helper thread takes part in its steps (see
// package engine).
package train

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/engine"
	"github.com/wigglenn/wiggle/internal/hugepages"
	"github.com/wigglenn/wiggle/internal/kernels"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/probe"
	"github.com/wigglenn/wiggle/tensor"
)

// Trainer makes the steps of training Net. It is not safe for concurrent
// use, and nothing else may use Net while it trains.
type Trainer struct {
	Net      *nn.Sequential
	Loss     loss.Loss // softmax cross-entropy if nil
	Opt      optim.Optimizer
	L2       float64    // L2 strength on weight matrices (see loss.L2); 0 for none
	L1       float64    // L1 strength on weight matrices (see loss.L1); 0 for none
	ClipNorm float64    // clip the global gradient norm, L2's and L1's gradients included, to this; 0 for no clipping
	Batch    int        // rows per step; the last batch of an epoch may be smaller
	Shuffle  bool       // reorder the rows every epoch, from Rng
	Rng      *rand.Rand // a math/rand/v2 source, required when Shuffle is set
	// Probe, if set, watches every step: dead units, saturation, gradient
	// norms and update ratios per layer (see probe.Recorder).
	Probe *probe.Recorder
	// StepInBackward, with Opt an *optim.SGD and no L2, L1 or ClipNorm
	// (and not in a step the Probe samples), steps each parameter as soon as the backward pass has its
	// gradient, a Dense layer's weights straight from the product that
	// computes their gradient (optim.SGD.GradientsAndStep): the same
	// weights, bit for bit, sooner (Intel Xeon, batch 128, two threads:
	// level for MNIST's 256 units, `go test -bench MLPStep ./train`; 1.04×
	// for layers of 1024 units and 1.13× for 2048, the same step at those
	// widths), but a Dense layer's W.Grad then need not hold its gradient
	// after a step. Without it, or without the conditions, every Grad
	// does.
	StepInBackward bool
	// AfterStep, if set, is called after each step Epoch makes that
	// updated the weights, with the rows of its batch: each parameter's
	// Grad then holds the gradient the step took (L2 and L1 added,
	// clipped to ClipNorm; not kept with StepInBackward), which is how a
	// caller follows the gradients through an epoch rather than read the
	// last step's. It runs on Epoch's goroutine.
	AfterStep func(rows int)

	params     []*nn.Param
	paramsOf   *nn.Sequential // the Net params are of: the one the optimizer's state is for
	reportRows func(rows int) // progress reporting, set by Fit
	firstLoss  float64        // the loss of the Trainer's first batch: the guard's yardstick
	order      []int
	batch      *data.Dataset
	rowCopy    rowCopy   // gathers the batch's features, on two threads when it can
	ahead      *prefetch // the next step's batch, gathered during this one (Prefetch); nil until asked
	dOut       *tensor.Matrix
}

// Epoch makes one pass over ds, a step per batch, in row order or shuffled,
// and returns the mean of the batches' losses weighted by their sizes and the
// fraction of rows classified right, each measured before its step's update
// (0 for regression). It first checks the Trainer and ds (see Check), and
// stops between two steps when ctx is done, returning ctx's error; the
// network then holds the weights of the last step made.
//
// While it runs, the engine's helper thread takes part in the steps (see
// package engine).
func (t *Trainer) Epoch(ctx context.Context, ds *data.Dataset) (meanLoss, accuracy float64, err error) {
	if ctx == nil {
		return 0, 0, errNoContext
	}
	if err := t.Check(ds); err != nil {
		return 0, 0, err
	}
	meanLoss, accuracy, err = t.epoch(ctx, ds)
	var div *DivergedError
	if err != nil && !errors.As(err, &div) {
		return 0, 0, fmt.Errorf("the epoch stopped %w", err)
	}
	if err != nil {
		return 0, 0, err
	}
	return meanLoss, accuracy, nil
}

// Check reports what stops t from training on ds: a missing Net, Opt or
// Rng (with Shuffle), a frozen Net (nn.Sequential.Freeze) or one whose
// layers do not chain (nn.Sequential.Check), a Batch below 1,
// a negative L2, L1 or ClipNorm, or data that does not fit the network (width,
// labels, target values, a feature or target value that is not finite).
func (t *Trainer) Check(ds *data.Dataset) error {
	if err := t.checkFields(); err != nil {
		return err
	}
	if err := checkData("data", t.Net, t.loss(), ds); err != nil {
		return err
	}
	if ds.Len() == 0 {
		return errors.New("data: no rows to train on")
	}
	return nil
}

func (t *Trainer) checkFields() error {
	switch {
	case t == nil:
		return errors.New("no Trainer (nil)")
	case t.Net == nil:
		return optionError("Net", "nil", "a network")
	case t.Net.Frozen():
		return optionError("Net", "frozen", unfrozen)
	case t.paramsOf != nil && t.paramsOf != t.Net:
		return optionError("Net", "another network than the one this Trainer stepped", "the network of its first step, whose state its optimizer holds (a new Trainer, and optimizer, for another)")
	case t.Opt == nil:
		return optionError("Opt", "nil", "an optimizer (optim.New)")
	case t.Batch < 1:
		return optionError("Batch", t.Batch, "at least 1")
	case t.Shuffle && t.Rng == nil:
		return optionError("Rng", "nil", "a random source when Shuffle is set")
	case !penaltyOK(t.L2):
		return optionError("L2", t.L2, penaltyRange)
	case !penaltyOK(t.L1):
		return optionError("L1", t.L1, penaltyRange)
	case !finiteAtLeast0(t.ClipNorm):
		return optionError("ClipNorm", t.ClipNorm, "a finite number, 0 or more (0: no clipping)")
	}
	if err := t.Net.Check(); err != nil {
		return fmt.Errorf("Trainer.Net: %w", err)
	}
	if t.Probe != nil {
		if err := t.Probe.Check(t.Net); err != nil {
			return fmt.Errorf("the probe (Trainer.Probe): %w", err)
		}
	}
	return nil
}

// epoch is Epoch once the Trainer and ds are checked.
func (t *Trainer) epoch(ctx context.Context, ds *data.Dataset) (meanLoss, accuracy float64, err error) {
	var p progress
	if err := t.runEpoch(ctx, ds, &p); err != nil {
		return 0, 0, err
	}
	return p.total / float64(ds.Len()), float64(p.right) / float64(ds.Len()), nil
}

// progress is an epoch under way: the rows done, the sum of their batches'
// losses weighted by size, and the rows classified right.
type progress struct {
	row   int
	total float64
	right int
}

// runEpoch shuffles the rows (from Rng, as at the epoch's start) and makes
// the epoch's steps from p.row on, adding to p. It stops between two steps
// when ctx is done, and at once, with a *DivergedError, when the guard
// trips (see guard) or, at the end, when the weights are not finite.
func (t *Trainer) runEpoch(ctx context.Context, ds *data.Dataset, p *progress) error {
	defer engine.KeepHelperAwake()()
	n := ds.Len()
	t.order = rowOrder(t.order, n)
	for i := range t.order {
		t.order[i] = i
	}
	if t.Shuffle {
		t.Rng.Shuffle(n, func(i, j int) { t.order[i], t.order[j] = t.order[j], t.order[i] })
	}
	done := ctx.Done()
	defer t.forgetAhead()
	for ; p.row < n; p.row = min(p.row+t.Batch, n) {
		select {
		case <-done:
			return fmt.Errorf("after %d of the epoch's %d rows: %w", p.row, n, cancelled(ctx))
		default:
		}
		rows := t.order[p.row:min(p.row+t.Batch, n)]
		if next := p.row + len(rows); next < n {
			t.askAhead(ds, t.order[next:min(next+t.Batch, n)])
		}
		l, r := t.step(ds, rows)
		if t.diverging(l) {
			return &DivergedError{Batch: p.row/t.Batch + 1, Batches: (n + t.Batch - 1) / t.Batch, Loss: l, FirstLoss: t.firstLoss, Param: firstNonFinite(t.Net)}
		}
		p.total += l * float64(len(rows))
		p.right += r
		if t.AfterStep != nil {
			t.AfterStep(len(rows))
		}
		if t.reportRows != nil {
			t.reportRows(len(rows))
		}
	}
	if name := firstNonFinite(t.Net); name != "" {
		return &DivergedError{Batches: (n + t.Batch - 1) / t.Batch, Loss: p.total / float64(n), FirstLoss: t.firstLoss, Param: name}
	}
	return nil
}

// rowOrder returns order with length n: its first storage carved, so that
// an epoch's clock sees no 4 KiB page faults for it (hugepages.CarveInts),
// then grown as slices grow (a data set that gains rows, as the
// playground's do, would strand each carved order).
func rowOrder(order []int, n int) []int {
	switch {
	case cap(order) >= n:
		return order[:n]
	case order == nil:
		return hugepages.CarveInts(n)
	}
	return make([]int, n)
}

// cancelled is ctx's error, with its cause when it has another.
func cancelled(ctx context.Context) error {
	err, cause := ctx.Err(), context.Cause(ctx)
	if cause == nil || cause == err {
		return err
	}
	return fmt.Errorf("%w: %w", err, cause)
}

// Step trains on the given rows of ds once and returns the batch's loss and
// the number of rows classified right, both before the update. The L2
// and L1 penalties are not part of the loss (as in PyTorch, where weight
// decay never enters it); their gradients are part of the step. It checks the Trainer's
// fields, the rows and their targets (not every row of ds, as Epoch does),
// and allocates nothing once its buffers are sized. A loss the divergence
// guard refuses (see DivergedError) makes no update and returns a
// *DivergedError. Rows named by Prefetch since the last Step are gathered
// during this one, for the next.
func (t *Trainer) Step(ds *data.Dataset, rows []int) (batchLoss float64, right int, err error) {
	if err := t.checkFields(); err != nil {
		return 0, 0, err
	}
	if err := t.checkRows(ds, rows); err != nil {
		return 0, 0, err
	}
	batchLoss, right = t.step(ds, rows)
	if t.diverging(batchLoss) {
		return batchLoss, right, &DivergedError{Batch: 1, Batches: 1, Loss: batchLoss, FirstLoss: t.firstLoss, Param: firstNonFinite(t.Net)}
	}
	return batchLoss, right, nil
}

// checkRows checks one batch: row numbers within ds, and targets that fit
// the network.
func (t *Trainer) checkRows(ds *data.Dataset, rows []int) error {
	regression := t.loss().Name() == "mse"
	if ds == nil || ds.X == nil || ds.X.Cols != t.Net.In || tensor.CheckWhole("X", ds.X) != nil || regression != (ds.Values != nil) || ds.Labels != nil && ds.Values != nil {
		return checkData("data", t.Net, t.loss(), ds) // says which
	}
	outputs := t.Net.OutSize()
	if err := loss.CheckOutputs(t.loss(), outputs); err != nil {
		return fmt.Errorf("data: %w", err)
	}
	classes := loss.Classes(t.loss(), outputs)
	for _, r := range rows {
		switch {
		case r < 0 || r >= ds.Len():
			return fmt.Errorf("data: row %d is out of range: the data has rows 0 to %d", r, ds.Len()-1)
		case ds.Values != nil:
			if ds.Values.Cols != outputs || ds.Values.Rows != ds.Len() {
				return checkData("data", t.Net, t.loss(), ds)
			}
		case r >= len(ds.Labels) || ds.Labels[r] < 0 || ds.Labels[r] >= classes:
			return checkData("data", t.Net, t.loss(), ds)
		}
	}
	if len(rows) == 0 {
		return errors.New("data: an empty batch")
	}
	return nil
}

// step is Step once the Trainer and the batch are checked.
func (t *Trainer) step(ds *data.Dataset, rows []int) (batchLoss float64, right int) {
	if t.params == nil {
		t.params, t.paramsOf = t.Net.Params(), t.Net
	}
	if batch, ok := t.ahead.take(ds, rows, t.batch); ok {
		t.batch = batch
	} else {
		t.batch = gather(t.batch, ds, rows, &t.rowCopy)
	}
	probing := t.Probe != nil && t.Probe.SamplesNextStep() // a step the probe reads: every layer's values kept apart
	scores := t.forward(t.batch.X, probing)
	if t.ahead.start(t) { // the helper gathers the next batch while the loss and the last layers' gradients run here
		defer t.ahead.bg.Wait()
	}
	t.dOut = t.dOut.ReshapeKept(scores.Rows, scores.Cols)
	l := t.loss().Forward(t.dOut, scores, target(t.batch))
	for i, label := range t.batch.Labels {
		if t.loss().Classify(scores.Row(i)) == label {
			right++
		}
	}
	if t.diverging(l) {
		t.Net.ZeroGrad()
		return l, right // no update from a loss the guard refuses: the weights stay as they led to it
	}
	if sgd, ok := t.Opt.(*optim.SGD); ok && t.StepInBackward && !probing && t.L2 == 0 && t.L1 == 0 && t.ClipNorm <= 0 {
		sgd.GradientsAndStep(t.Net, t.dOut) // the same, each gradient stepped as it completes
		if t.Probe != nil {
			t.Probe.AfterUpdate() // counts the step
		}
		return l, right
	}
	if probing {
		t.Net.ZeroGrad()
		t.Net.Backward(t.dOut) // the probe reads dX at every layer's input
	} else {
		t.Net.Gradients(t.dOut) // as ZeroGrad and BackwardParams, in fewer passes
	}
	loss.L2(t.params, t.L2)
	loss.L1(t.params, t.L1)
	if t.ClipNorm > 0 {
		optim.ClipGlobalNorm(t.params, t.ClipNorm)
	}
	if probing {
		t.Probe.AfterBackward()
		t.Probe.BeforeUpdate()
	}
	t.Opt.Step(t.params)
	if t.Probe != nil {
		t.Probe.AfterUpdate()
	}
	return l, right
}

// forward runs a step's forward pass: each relu in its Dense layer's
// product (nn.Sequential.ForwardFused), unless a probe reads the relu
// layers' inputs in this step.
func (t *Trainer) forward(x *tensor.Matrix, probing bool) *tensor.Matrix {
	if probing {
		return t.Net.Forward(x, true)
	}
	return t.Net.ForwardFused(x)
}

func (t *Trainer) loss() loss.Loss {
	if t.Loss == nil {
		return loss.Softmax{}
	}
	return t.Loss
}

// Evaluate returns the mean loss of net on all of ds in evaluation mode,
// and its accuracy (0 for a regression loss). Data that does not fit the
// network is an error, as in Fit.
func Evaluate(net *nn.Sequential, l loss.Loss, ds *data.Dataset) (meanLoss, accuracy float64, err error) {
	switch {
	case net == nil:
		return 0, 0, errors.New("no network")
	case l == nil:
		return 0, 0, errors.New("no loss")
	}
	if err := net.Check(); err != nil {
		return 0, 0, err
	}
	if err := checkData("data", net, l, ds); err != nil {
		return 0, 0, err
	}
	if ds.Len() == 0 {
		return 0, 0, errors.New("data: no rows to evaluate on")
	}
	meanLoss, accuracy = evaluate(net, l, ds)
	return meanLoss, accuracy, nil
}

// evalChunk is how many rows evaluate runs through the network at once:
// the layers' buffers grow to a chunk, not to the whole set (MNIST's
// 60,000 rows at once would keep 220 MB of activations alive).
const evalChunk = 1024

// evaluate is Evaluate on checked data, a chunk of rows at a time. A last
// chunk of fewer than three rows joins the one before, so every row goes
// through the products that batches of three rows or more use.
func evaluate(net *nn.Sequential, l loss.Loss, ds *data.Dataset) (meanLoss, accuracy float64) {
	n := ds.Len()
	if n == 0 {
		return 0, 0
	}
	var sumLoss, right float64
	var d *tensor.Matrix
	for from := 0; from < n; {
		to := min(from+evalChunk, n)
		if n-to < 3 {
			to = n
		}
		chunk := ds.Slice(from, to)
		scores := net.Forward(chunk.X, false)
		d = d.Reshape(scores.Rows, scores.Cols)
		sumLoss += l.Forward(d, scores, target(chunk)) * float64(to-from)
		if !ds.Regression() {
			right += loss.Accuracy(l, scores, chunk.Labels) * float64(to-from)
		}
		from = to
	}
	return sumLoss / float64(n), right / float64(n)
}

func target(ds *data.Dataset) loss.Target { return loss.Target{Labels: ds.Labels, Values: ds.Values} }

// gather copies the given rows of src into the reusable batch dst.
func gather(dst, src *data.Dataset, rows []int, features *rowCopy) *data.Dataset {
	dst = sizeBatch(dst, src, len(rows))
	features.dst, features.src, features.rows, features.stream = dst, src, rows, kernels.StreamStores()
	kernels.Halves(features, len(rows) >= minSplitCopy)
	*features = rowCopy{} // keep no data set alive
	return dst
}

// sizeBatch shapes dst, or a new batch if it is nil, for n rows of src: a
// batch the Trainer keeps from step to step (tensor's ReshapeKept).
func sizeBatch(dst, src *data.Dataset, n int) *data.Dataset {
	if dst == nil {
		dst = &data.Dataset{}
	}
	dst.X = dst.X.ReshapeKept(n, src.X.Cols)
	dst.Labels = dst.Labels[:0]
	if classLabels(src) {
		dst.Labels = slices.Grow(dst.Labels, n)[:n]
	}
	if src.Values == nil {
		dst.Values = nil
	} else {
		dst.Values = dst.Values.ReshapeKept(n, src.Values.Cols)
	}
	return dst
}

// classLabels tells whether a batch of ds takes its labels: those of a
// classification set, which checkRows checks (it refuses labels beside
// values, as Dataset.Check does).
func classLabels(ds *data.Dataset) bool { return ds.Labels != nil && ds.Values == nil }

// copyRows copies rows[lo:hi] of src into the same rows of dst, a batch
// sized by sizeBatch; from a large set (fetchesRows) it fetches each row's
// features rowsAhead rows before it copies them. With stream, the
// features' stores go around the caches (kernels.CopyStreaming): while
// the engine splits a step's loops between two cores far apart
// (kernels.StreamStores), both read the batch buffer the copy rewrites,
// in the step that used it last.
func copyRows(dst, src *data.Dataset, rows []int, lo, hi int, stream bool) {
	labels := classLabels(src)
	fetch := fetchesRows(src)
	for i := lo; fetch && i < min(lo+rowsAhead, hi); i++ {
		fetchRow(src, rows[i])
	}
	for i := lo; i < hi; i++ {
		if fetch && i+rowsAhead < hi {
			fetchRow(src, rows[i+rowsAhead])
		}
		r := rows[i]
		if stream {
			kernels.CopyStreaming(dst.X.Row(i), src.X.Row(r))
		} else {
			copy(dst.X.Row(i), src.X.Row(r))
		}
		if labels {
			dst.Labels[i] = src.Labels[r]
		}
		if src.Values != nil {
			copy(dst.Values.Row(i), src.Values.Row(r))
		}
	}
}

// rowsAhead is how many rows ahead of its copy copyRows fetches a row: a
// shuffled batch's rows each come from main memory, and copied one by one
// each waits for its own. A batch of 128 random MNIST rows in 2 MiB pages,
// one thread, Zen 5 EPYC, medians of 400: 41–43 µs copied one by one;
// fetching 1, 2, 4 and 8 rows ahead 30, 28, 28.5 and 29–31 µs. Training
// over 60,000 shuffled rows (MNIST's MLP, batch 128, alternated pairs):
// two threads 1.021× with the vCPUs about 200 ns apart, 1.016× about 1 µs
// apart, one thread 1.006×. Fetching across a chunk's end, into rows the
// other thread may copy, measured level (0.996×).
const rowsAhead = 2

// fetchesRows reports whether copyRows fetches src's rows ahead: where its
// features take minFetchedBytes or more. A smaller set stays in the L3
// cache from epoch to epoch, and there the fetches only add their own
// cost. The copy's speed fetching, against not (scratch benchmarks of 128
// random rows, medians of eight runs each way): rows of 16 floats from
// 6.4 MB 0.69×, of 64 from 25.6 MB 0.96×, of 128 from 51 MB 1.13×, of 784
// from 188 MB (MNIST's size) 1.43×.
func fetchesRows(src *data.Dataset) bool { return 4*len(src.X.Data) >= minFetchedBytes }

// minFetchedBytes is the smallest set of features whose rows copyRows
// fetches ahead, 32 MiB: the L3 of a Zen 5 core complex.
const minFetchedBytes = 32 << 20

// fetchRow asks the caches for the first maxFetchedFloats of row r's
// features (kernels.FetchLines).
func fetchRow(src *data.Dataset, r int) {
	row := src.X.Row(r)
	kernels.FetchLines(row[:min(len(row), maxFetchedFloats)])
}

// maxFetchedFloats caps what fetchRow asks for, 4 KiB, a row of MNIST
// whole. Only rows up to MNIST's were timed; the cap is reasoned: a longer
// row's lines follow one another, which the core's own prefetcher can
// stream once the copy starts, and two whole wide rows fetched ahead would
// not fit in L1 (48 KiB on the Zen 5).
const maxFetchedFloats = 1024

// rowCopy is a batch's gather in two halves, one of them on the engine's
// helper thread when it is awake (kernels.Parallel): a shuffled batch's
// rows lie all over the data, each fetched from main memory, and two cores
// fetch them side by side. Only the owning Trainer uses it.
type rowCopy struct {
	dst, src *data.Dataset
	rows     []int
	stream   bool // see copyRows
}

// minSplitCopy is the fewest rows a batch must have for its copy to be
// split.
const minSplitCopy = 32

// Run copies half i of the rows.
func (c *rowCopy) Run(i int) {
	lo, hi := kernels.Half(i, len(c.rows), 1)
	copyRows(c.dst, c.src, c.rows, lo, hi, c.stream)
}
