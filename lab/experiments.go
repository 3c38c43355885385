package lab

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/probe"
	"github.com/wigglenn/wiggle/tensor"
	"github.com/wigglenn/wiggle/train"
)

// experiments is the lab, in the order `wiggle lab` runs it. The claims are
// those of the seed (CS231n's note on activation functions).
var experiments = []Experiment{
	tanhIdentity,
	linearCollapse,
	stepExperiment,
	saturationExperiment,
	zeroCentred,
	reluSpeed,
	computeCost,
	dyingReLU,
	capacity,
	variance,
	universal,
}

// spiral is the CS231n spiral from the env's first seed.
func (env *Env) spiral() *data.Dataset { return spiralFor(env, env.Seed) }

// spiralFor is the CS231n spiral from a seed: 100 points per arm, or 50 in
// quick mode.
func spiralFor(env *Env, seed uint64) *data.Dataset {
	n := 100
	if env.Quick {
		n = 50
	}
	return data.Spiral(n, 3, 0.2, rand.New(rand.NewPCG(seed, 1)))
}

// epochs picks the quick or the full count.
func (env *Env) epochs(quick, full int) int {
	if env.Quick {
		return quick
	}
	return full
}

// epoch trains one epoch on data the lab made to fit the network and
// tells whether to stop: training diverged (the guard refused a loss), or
// ctx is done (Run then reports the stop, not the experiment's figures);
// any other error is a bug in the lab.
func epoch(ctx context.Context, tr *train.Trainer, ds *data.Dataset) (stop bool) {
	_, _, err := tr.Epoch(ctx, ds)
	if isDiverged(err) || ctx.Err() != nil {
		return true
	}
	if err != nil {
		panic(fmt.Sprintf("lab: training on its own data: %v", err))
	}
	return false
}

// isDiverged tells whether err is training's divergence.
func isDiverged(err error) bool {
	var d *train.DivergedError
	return errors.As(err, &d)
}

// measure returns net's softmax loss and accuracy on data the lab made to
// fit it: an error is a bug in the lab.
func measure(net *nn.Sequential, ds *data.Dataset) (meanLoss, accuracy float64) {
	meanLoss, accuracy, err := train.Evaluate(net, loss.Softmax{}, ds)
	if err != nil {
		panic(fmt.Sprintf("lab: measuring on its own data: %v", err))
	}
	return meanLoss, accuracy
}

// fit trains net with softmax and SGD momentum and returns its training
// accuracy: NaN when training diverged, which the checks count as failing.
func (env *Env) fit(net *nn.Sequential, ds *data.Dataset, epochs int, lr float64, seed uint64) (float64, error) {
	_, err := train.Fit(env.ctx(), net, loss.Softmax{}, ds, nil, train.Config{Epochs: epochs, Batch: 32, Shuffle: true, Seed: seed,
		Optimizer: optim.Config{Name: "momentum", LR: lr, Momentum: 0.9}})
	if isDiverged(err) {
		return math.NaN(), nil
	}
	if err != nil {
		return 0, err
	}
	_, acc := measure(net, ds)
	return acc, nil
}

// build makes the network a spec describes with PyTorch's default weights.
func build(spec nn.Spec, seed uint64) *nn.Sequential {
	rng := rand.New(rand.NewPCG(seed, 7))
	net, err := nn.Build(spec, rng)
	if err != nil {
		panic(err) // the lab's own specs
	}
	nn.InitDefault(net, rng)
	return net
}

// datasetOf wraps features and labels of a classification set.
func datasetOf(x *tensor.Matrix, labels []int) *data.Dataset {
	classes := 0
	for _, y := range labels {
		classes = max(classes, y+1)
	}
	return &data.Dataset{X: x, Labels: labels, Classes: classes}
}

// hiddenOutputs runs x through net and returns the output of every hidden
// activation module (Activation, PReLU, Maxout), first layer first.
func hiddenOutputs(net *nn.Sequential, x *tensor.Matrix) []*tensor.Matrix {
	net.Forward(x, false)
	var outs []*tensor.Matrix
	for _, l := range net.Layers {
		switch l := l.(type) {
		case *nn.Activation:
			outs = append(outs, l.Output())
		case *nn.PReLU:
			outs = append(outs, l.Output())
		case *nn.Maxout:
			outs = append(outs, l.Output())
		}
	}
	return outs
}

// deadShare is the share of hidden units, over all hidden layers, whose
// output is 0 on every row.
func deadShare(outs []*tensor.Matrix) float64 {
	var dead, units float64
	for _, y := range outs {
		dead += probe.DeadFraction(y) * float64(y.Cols)
		units += float64(y.Cols)
	}
	if units == 0 {
		return 0
	}
	return dead / units
}
