package data

import (
	"math"
	"math/rand/v2"

	"github.com/wigglenn/wiggle/tensor"
)

// Spiral returns CS231n's spiral: classes arms of n points each in the
// plane, arm j along radius r ∈ [0, 1] at angle 4j + 4r plus
// normal noise of standard deviation noise. Rows come arm by arm. No linear
// classifier separates it; a small network does.
func Spiral(n, classes int, noise float64, rng *rand.Rand) *Dataset {
	d := &Dataset{X: tensor.New(n*classes, 2), Labels: make([]int, n*classes), Classes: classes, Features: []string{"x0", "x1"}, Target: "label"}
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
