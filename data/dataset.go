// Package data holds datasets: a feature matrix with a class label per row,
// and the synthetic sets that learners use.
package data

import (
	"math"
	"math/rand/v2"

	"github.com/wigglenn/wiggle/tensor"
)

// Dataset is a table of examples: X has one row per example, Labels the
// class index of each row, in [0, Classes).
type Dataset struct {
	X       *tensor.Matrix
	Labels  []int
	Classes int
}

// Len is the number of examples.
func (d *Dataset) Len() int { return d.X.Rows }

// Spiral returns CS231n's spiral: classes arms of n points each in the
// plane, arm j along radius r ∈ [0, 1] at angle 4j + 4r plus
// normal noise of standard deviation noise. Rows come arm by arm. No linear
// classifier separates it; a small network does.
func Spiral(n, classes int, noise float64, rng *rand.Rand) *Dataset {
	d := &Dataset{X: tensor.New(n*classes, 2), Labels: make([]int, n*classes), Classes: classes}
	for j := range classes {
		for i := range n {
			r := linspace(0, 1, n, i)
			t := linspace(float64(4*j), float64(4*(j+1)), n, i) + rng.NormFloat64()*noise
			row := d.X.Row(j*n + i)
			row[0], row[1] = float32(r*math.Sin(t)), float32(r*math.Cos(t))
			d.Labels[j*n+i] = j
		}
	}
	return d
}

// linspace returns the i-th of n evenly spaced points from a to b.
func linspace(a, b float64, n, i int) float64 {
	if n == 1 {
		return a
	}
	return a + (b-a)*float64(i)/float64(n-1)
}
