package lab

import (
	"fmt"
	"image/color"
	"math"
	"math/rand/v2"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/plot"
)

var tanhIdentity = Experiment{
	Name:   "tanh-identity",
	Plots:  []string{"tanh-identity.png"},
	Claim:  "tanh is a zero-centred sigmoid: tanh(x) = 2σ(2x) − 1.",
	Short:  "tanh is a zero-centred sigmoid",
	Source: "CS231n, Neural Networks Part 1, activation functions",
	Quote: Quote{Korean: "Tanh는 위의 그림과 같으며 sigmoid함수를 zero-centered한 형태와 동일하다.",
		English: "Tanh, as in the figure above, is the same as the sigmoid function made zero-centred."},
	run: runTanhIdentity,
}

func runTanhIdentity(env *Env) (Outcome, error) {
	perDecade := 200
	if env.Quick {
		perDecade = 20
	}
	var worstX []float64 // each seed's x of its largest gap
	gaps, err := overSeeds(env, func(seed uint64) (float64, error) {
		rng := rand.New(rand.NewPCG(seed, 2))
		var x []float32
		for e := -45; e <= 38; e++ { // subnormals to past the largest float32 (rounded to +Inf)
			for range perDecade {
				v := float32((1 + 9*rng.Float64()) * math.Pow(10, float64(e)))
				x = append(x, v, -v)
			}
		}
		x = append(x, 0, float32(math.Inf(1)), float32(math.Inf(-1)))
		gap, at := identityGap(x)
		worstX = append(worstX, at)
		return gap, nil
	})
	if err != nil {
		return Outcome{}, err
	}
	inputs := float64(84*2*perDecade + 3)
	check := newCheck("tanh(x) = 2σ(2x) − 1 for every float32 x",
		fmt.Sprintf("over %.0f inputs spanning the float32 range (magnitudes 1e-45, subnormal, to 3.4e38, both signs, 0 and ±Inf), wiggle's float32 tanh(x) and 2σ(2x) − 1 differ by at most 1e-6", inputs),
		[]Measure{measureOf("inputs per seed", []float64{inputs}), measureOf("largest |tanh(x) − (2σ(2x) − 1)|", gaps)},
		holds(gaps, func(g float64) bool { return g <= 1e-6 }),
		fmt.Sprintf("The largest gap between tanh(x) and 2σ(2x) − 1 is %s, against float32's spacing of 1.2e-7 between numbers near 1.", medianText(gaps)))

	// The plot: the gap over [−10, 10], the largest of each bin's inputs
	// (a rounding gap jumps from one float32 to the next: a curve of
	// single samples would miss the largest), beside float32's spacing
	// near 1 and the largest gap the check finds, which its bin takes in.
	gap, at := largest(gaps, worstX)
	xs, ys := gapEnvelope(-10, 10, 400, 100, at)
	spacing := plot.Series{Name: "float32 spacing near 1", X: []float64{-10, 10}, Y: []float64{0x1p-23, 0x1p-23}, Color: color.Black, Dash: true}
	series, xLabel := []plot.Series{{Name: "largest gap in each 0.05 of x", X: xs, Y: ys}, spacing}, "x"
	switch {
	case math.Abs(at) <= 10: // between the plot's points: marked
		series = append(series, plot.Series{Name: fmt.Sprintf("largest found, x = %.4g", at), X: []float64{at}, Y: []float64{gap}, Color: color.RGBA{R: 0xd5, G: 0x5e, A: 0xff}})
	default:
		xLabel = fmt.Sprintf("x (the largest gap found, %.3g, is at x = %.3g)", gap, at)
	}
	p, err := plot.Lines("tanh(x) and 2σ(2x) − 1 differ only by float32 rounding", xLabel, "|tanh(x) − (2σ(2x) − 1)|", series, false)
	if err != nil {
		return Outcome{}, err
	}
	p.Y.Max *= 1.15 // the spacing's line, and a gap as large, below the frame's edge
	file, err := env.savePlot("tanh-identity", p)
	return Outcome{Checks: []Check{check}, Key: "largest gap " + medianText(gaps), Plots: []string{file}}, err
}

// gapEnvelope is the largest |tanh(x) − (2σ(2x) − 1)| in each of bins
// equal bins of [lo, hi], over perBin inputs spread evenly across each
// and, where it lies in one, also: xs the bins' middles.
func gapEnvelope(lo, hi float64, bins, perBin int, also float64) (xs, ys []float64) {
	width := (hi - lo) / float64(bins)
	for b := range bins {
		start := lo + float64(b)*width
		x := make([]float32, perBin, perBin+1)
		for i := range x {
			x[i] = float32(start + width*float64(i)/float64(perBin))
		}
		if also >= start && also < start+width {
			x = append(x, float32(also))
		}
		worst, _ := identityGap(x)
		xs, ys = append(xs, start+width/2), append(ys, worst)
	}
	return xs, ys
}

// identityGap is the largest |tanh(x) − (2σ(2x) − 1)| over x, and the
// first x where it lies.
func identityGap(x []float32) (worst, at float64) {
	t, s := evalOn("tanh", x), evalOn("sigmoid", doubled(x))
	for i := range x {
		if g := math.Abs(float64(t[i] - (2*s[i] - 1))); g > worst {
			worst, at = g, float64(x[i])
		}
	}
	return worst, at
}

// largest is the largest of the seeds' gaps, and where it lies.
func largest(gaps, at []float64) (gap, x float64) {
	k := 0
	for i, g := range gaps {
		if g > gaps[k] {
			k = i
		}
	}
	return gaps[k], at[k]
}

func evalOn(name string, x []float32) []float32 {
	y := make([]float32, len(x))
	act.MustNew(name).Forward(y, x)
	return y
}

func doubled(x []float32) []float32 {
	d := make([]float32, len(x))
	for i, v := range x {
		d[i] = 2 * v
	}
	return d
}
