package lab

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/internal/atomicfile"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/plot"
	"github.com/wigglenn/wiggle/tensor"
	"github.com/wigglenn/wiggle/train"
)

var capacity = Experiment{
	Name:  "capacity",
	Plots: []string{"capacity.png"},
	Claim: "More hidden neurons can express more complicated functions: on 2-D data, 20 neurons fit the training data better than 3 " +
		"(and can overfit); L2 regularisation smooths the 20-neuron regions again. (The figure draws 6 neurons' regions too, as CS231n's does; they are not judged.)",
	Short:  "more neurons fit more, and L2 reins them in",
	Source: "CS231n, Neural Networks Part 1 (setting the number of layers and their sizes; the ConvNetJS demo figures)",
	Quote:  Quote{English: "Not in the seed document: the CS231n note it summarises makes this claim, with the ConvNetJS figures of 3, 6 and 20 neurons."},
	run:    runCapacity,
}

// capacitySetting is one network of the experiment.
type capacitySetting struct {
	hidden int
	l2     float64
}

var capacitySettings = []capacitySetting{{3, 0}, {6, 0}, {20, 0}, {20, 0.001}, {20, 0.01}, {20, 0.1}}

func (s capacitySetting) String() string { return fmt.Sprintf("%d neurons, L2 %g", s.hidden, s.l2) }

// capacityRun is one seed's accuracies and decision boundaries, and the
// first seed's regions.
type capacityRun struct {
	train, test, boundary map[capacitySetting]float64
	regions               []*gplot.Plot
}

func runCapacity(env *Env) (Outcome, error) {
	// A few points (as the ConvNetJS figures have), trained to the end:
	// capacity is what a network can fit, which an undertrained one does
	// not show (momentum for 600 epochs on 200 points left the 20 neurons'
	// regions nearly as straight as the 3's).
	const n = 30
	epochs := env.epochs(150, 3000)
	runs, err := overSeeds(env, func(seed uint64) (capacityRun, error) {
		trainSet, err := data.Generate(data.SyntheticSpec{Name: "moons", N: n, Noise: 0.3}, rand.New(rand.NewPCG(seed, 21)))
		if err != nil {
			return capacityRun{}, err
		}
		testSet, err := data.Generate(data.SyntheticSpec{Name: "moons", N: n, Noise: 0.3}, rand.New(rand.NewPCG(seed, 22)))
		if err != nil {
			return capacityRun{}, err
		}
		r := capacityRun{train: map[capacitySetting]float64{}, test: map[capacitySetting]float64{}, boundary: map[capacitySetting]float64{}}
		for _, s := range capacitySettings {
			net := build(nn.NewMLPSpec(2, []int{s.hidden}, 2, "relu", nn.MLPOptions{}), seed)
			if _, err := train.Fit(env.ctx(), net, loss.Softmax{}, trainSet, nil, train.Config{Epochs: epochs, Batch: 16, Shuffle: true, Seed: seed,
				L2: s.l2, Optimizer: optim.Config{Name: "adam", LR: 0.02}}); err != nil {
				return r, err
			}
			_, r.train[s] = measure(net, trainSet)
			_, r.test[s] = measure(net, testSet)
			r.boundary[s] = boundaryShare(net, trainSet.X, boundaryGrid)
			if seed == env.Seed {
				p, err := plot.Regions(trainSet, Classifier(net), s.String())
				if err != nil {
					return r, err
				}
				r.regions = append(r.regions, p)
			}
		}
		return r, nil
	})
	if err != nil {
		return Outcome{}, err
	}
	trainAcc := func(s capacitySetting) []float64 {
		return collect(runs, func(r capacityRun) float64 { return r.train[s] })
	}
	testAcc := func(s capacitySetting) []float64 {
		return collect(runs, func(r capacityRun) float64 { return r.test[s] })
	}
	boundary := func(s capacitySetting) []float64 {
		return collect(runs, func(r capacityRun) float64 { return r.boundary[s] })
	}
	var measured []Measure
	for _, s := range capacitySettings {
		measured = append(measured, measureOf(s.String()+": training accuracy", trainAcc(s)), measureOf(s.String()+": test accuracy", testAcc(s)))
	}
	three, twenty, light, heavy := capacitySettings[0], capacitySettings[2], capacitySettings[3], capacitySettings[5]
	gap := func(r capacityRun, s capacitySetting) float64 { return r.train[s] - r.test[s] }
	gaps := func(s capacitySetting) []float64 {
		return collect(runs, func(r capacityRun) float64 { return gap(r, s) })
	}
	checks := []Check{
		newCheck("more neurons fit the training data better",
			fmt.Sprintf("on noisy moons (2 classes, %d points), one hidden relu layer of 20 neurons reaches a higher training accuracy than one of 3", 2*n),
			measured[:6],
			holds(runs, func(r capacityRun) bool { return r.train[twenty] > r.train[three] }),
			fmt.Sprintf("20 neurons fit %s of the training points, 3 neurons %s.", medianText(trainAcc(twenty)), medianText(trainAcc(three)))),
		newCheck("and can overfit",
			"the 20-neuron network's training accuracy exceeds its test accuracy by more than the 3-neuron network's does",
			[]Measure{measureOf("3 neurons: training − test accuracy", gaps(three)), measureOf("20 neurons: training − test accuracy", gaps(twenty))},
			holds(runs, func(r capacityRun) bool { return gap(r, twenty) > gap(r, three) }),
			fmt.Sprintf("The gap between training and test accuracy is %s with 20 neurons, %s with 3.", medianText(gaps(twenty)), medianText(gaps(three)))),
		newCheck("L2 regularisation smooths the 20-neuron regions again",
			fmt.Sprintf("with 20 neurons, L2 of 0.1 draws a shorter decision boundary than L2 of 0.001: of the neighbouring cells of a %d×%d grid over the data, fewer lie in different classes", boundaryGrid, boundaryGrid),
			append(slices.Clone(measured[6:]), measureOf(light.String()+": boundary share of neighbouring cells", boundary(light)), measureOf(heavy.String()+": boundary share of neighbouring cells", boundary(heavy))),
			holds(runs, func(r capacityRun) bool { return r.boundary[heavy] < r.boundary[light] }),
			fmt.Sprintf("The boundary takes %s of neighbouring cells with L2 of 0.1, %s with 0.001 (3 neurons: %s); L2 of 0.1 leaves %s of the training points fitted, 0.001 %s. %s",
				medianPercentText(boundary(heavy)), medianPercentText(boundary(light)), medianPercentText(boundary(three)), medianText(trainAcc(heavy)), medianText(trainAcc(light)),
				smoothTestText(testAcc(heavy), testAcc(light), 2*n))),
	}
	file := "capacity.png"
	for _, p := range runs[0].regions { // every panel alike, their data areas of one height
		env.marked(p)
	}
	err = atomicfile.Write(filepath.Join(env.Dir, file), 0o644, func(w io.Writer) error {
		return plot.WriteTitledGridPNG(w, "noisy moons: more neurons fit more, L2 smooths them again (first seed)", runs[0].regions, 3, 3.2*vg.Inch, 3*vg.Inch)
	})
	return Outcome{Checks: checks, Plots: []string{file},
		Key: fmt.Sprintf("training accuracy: 3 neurons %s, 20 neurons %s; the 20's boundary %s of neighbouring cells at L2 0.001, %s at 0.1",
			percentText(median(trainAcc(three))), percentText(median(trainAcc(twenty))), percentText(median(boundary(light))), percentText(median(boundary(heavy))))}, err
}

// smoothTestText says how the smoother regions (L2 of 0.1) tested against
// the 20 neurons' at L2 of 0.001: the claim is of smoothness, and a
// smoother boundary need not generalise better on a few noisy points.
func smoothTestText(heavy, light []float64, points int) string {
	how := "tested better here"
	switch h, l := medianFinite(heavy), medianFinite(light); {
	case math.IsNaN(h) || math.IsNaN(l):
		return "" // a setting that diverged in every seed: nothing to compare
	case h < l:
		how = "did not test better here"
	case h == l:
		how = "tested as well here"
	}
	return fmt.Sprintf("The smoother regions %s: test accuracy %s with L2 of 0.1, %s with 0.001 (the claim is of smoothness, not of accuracy on %d noisy points).",
		how, medianText(heavy), medianText(light), points)
}

// boundaryGrid is the side of the grid boundaryShare reads.
const boundaryGrid = 64

// boundaryShare is the length of net's decision boundary over the data x
// spans (and a tenth beyond), as the share of the neighbouring cells of an
// n×n grid, across and down, that net puts in different classes: 0 for one
// class everywhere, larger as the boundary winds.
//
//	x: [points, 2]
func boundaryShare(net *nn.Sequential, x *tensor.Matrix, n int) float64 {
	lo, hi := [2]float32{x.At(0, 0), x.At(0, 1)}, [2]float32{x.At(0, 0), x.At(0, 1)}
	for i := range x.Rows {
		for j := range 2 {
			lo[j], hi[j] = min(lo[j], x.At(i, j)), max(hi[j], x.At(i, j))
		}
	}
	grid := tensor.New(n*n, 2)
	for i := range n {
		for j := range n {
			for k, t := range [2]int{j, i} {
				margin := (hi[k] - lo[k]) / 10
				grid.Row(i*n + j)[k] = lo[k] - margin + (hi[k]-lo[k]+2*margin)*(float32(t)+0.5)/float32(n)
			}
		}
	}
	scores := net.Forward(grid, false)
	class := make([]int, n*n)
	for c := range class {
		class[c] = loss.Argmax(scores.Row(c))
	}
	differ := 0
	for i := range n {
		for j := range n {
			if j+1 < n && class[i*n+j] != class[i*n+j+1] {
				differ++
			}
			if i+1 < n && class[i*n+j] != class[(i+1)*n+j] {
				differ++
			}
		}
	}
	return float64(differ) / float64(2*n*(n-1))
}

// Classifier returns the class net (of two inputs) predicts at a point of
// the plane, for plot.Regions. The function reuses one input buffer: one
// goroutine at a time.
func Classifier(net *nn.Sequential) func(x0, x1 float32) int {
	x := tensor.New(1, 2)
	return func(x0, x1 float32) int {
		x.Data[0], x.Data[1] = x0, x1
		return loss.Argmax(net.Forward(x, false).Row(0))
	}
}
