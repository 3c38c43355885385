package main

// The summary of a training: the figures of its rows, and the guesses a
// model that learnt nothing would match.

import (
	"math"
	"slices"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/train"
)

func summarize(net *nn.Sequential, l loss.Loss, trainSet, valSet, testSet *data.Dataset, res train.Result) trainSummary {
	s := trainSummary{
		TrainSeconds: res.TrainSeconds, SamplesPerSecond: res.SamplesPerSecond, Epochs: res.Epochs,
		BestEpoch: res.BestEpoch, StoppedEarly: res.StoppedEarly, Network: net.Size().String(),
		TrainRows: trainSet.Len(), ValRows: valSet.Len(), TestRows: testSet.Len(), // Len is 0 for a nil set
	}
	var trainLoss *float64
	trainLoss, s.TrainAccuracy = measure(net, l, trainSet)
	s.TrainLoss = *trainLoss
	if s.TrainAccuracy != nil {
		s.GuessAccuracy = commonestShare(trainSet)
	} else {
		s.GuessLoss = meanGuessLoss(trainSet)
	}
	s.ValLoss, s.ValAccuracy = measure(net, l, valSet)
	s.TestLoss, s.TestAccuracy = measure(net, l, testSet)
	return s
}

// commonestShare is the share of ds's rows in its most common class; nil
// for no rows or no classes.
func commonestShare(ds *data.Dataset) *float64 {
	counts := ds.ClassCounts()
	if ds.Len() == 0 || len(counts) == 0 {
		return nil
	}
	share := float64(slices.Max(counts)) / float64(ds.Len())
	return &share
}

// measure evaluates net on ds; nil for a missing or empty set, and nil
// accuracy for regression.
func measure(net *nn.Sequential, l loss.Loss, ds *data.Dataset) (lossValue, accuracy *float64) {
	if ds == nil || ds.Len() == 0 {
		return nil, nil
	}
	lv, acc, err := train.Evaluate(net, l, ds)
	if err != nil {
		return nil, nil // Fit checked every set but the test split, which is MNIST's own
	}
	if ds.Regression() {
		return &lv, nil
	}
	return &lv, &acc
}

// meanGuessLoss is the mse of answering every row its column's mean value:
// the values' variance, summed over the target columns and divided by
// their count, as mse averages; nil without values.
func meanGuessLoss(ds *data.Dataset) *float64 {
	if ds == nil || ds.Values == nil || ds.Len() == 0 {
		return nil
	}
	v := ds.Values
	var total float64
	for j := range v.Cols {
		var sum, sq float64
		for i := range v.Rows {
			x := float64(v.At(i, j))
			sum += x
			sq += x * x
		}
		mean := sum / float64(v.Rows)
		total += max(sq/float64(v.Rows)-mean*mean, 0)
	}
	loss := total / float64(v.Cols)
	return &loss
}

// targetSize is the root mean square of ds's target values, their size
// however they lie (1e6 ± 100 as much as ±1e6); 0 without values.
func targetSize(ds *data.Dataset) float64 {
	if ds == nil || ds.Values == nil || len(ds.Values.Data) == 0 {
		return 0
	}
	var sq float64
	for _, v := range ds.Values.Data {
		sq += float64(v) * float64(v)
	}
	return math.Sqrt(sq / float64(len(ds.Values.Data)))
}
