package lab

import (
	"math"
	"math/rand/v2"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/plot"
)

var tanhIdentity = Experiment{
	Name:   "tanh-identity",
	Claim:  "tanh is a zero-centred sigmoid: tanh(x) = 2σ(2x) − 1.",
	Source: "CS231n, Neural Networks Part 1, activation functions",
	Criterion: "over inputs spanning the float32 range (magnitudes 1e-30 to 1e30, both signs, and ±Inf), " +
		"wiggle's float32 tanh(x) and 2σ(2x) − 1 differ by at most 1e-6",
	run: runTanhIdentity,
}

func runTanhIdentity(env *Env) (Outcome, error) {
	rng := rand.New(rand.NewPCG(env.Seed, 2))
	perDecade := 200
	if env.Quick {
		perDecade = 20
	}
	var x []float32
	for e := -30; e <= 30; e++ {
		for range perDecade {
			v := float32((1 + 9*rng.Float64()) * math.Pow(10, float64(e)))
			x = append(x, v, -v)
		}
	}
	x = append(x, 0, float32(math.Inf(1)), float32(math.Inf(-1)))
	worst := identityGap(x)

	// The plot: the gap over [−10, 10].
	grid := make([]float32, 401)
	for i := range grid {
		grid[i] = float32(-10 + 20*float64(i)/400)
	}
	gaps := make([]float64, len(grid))
	t, s := evalOn("tanh", grid), evalOn("sigmoid", doubled(grid))
	xs := make([]float64, len(grid))
	for i := range grid {
		xs[i], gaps[i] = float64(grid[i]), math.Abs(float64(t[i]-(2*s[i]-1)))
	}
	p, err := plot.Lines("|tanh(x) − (2σ(2x) − 1)| in float32", "x", "gap", []plot.Series{{Name: "gap", X: xs, Y: gaps}}, false)
	if err != nil {
		return Outcome{}, err
	}
	file, err := env.savePlot("tanh-identity", p)
	return Outcome{
		Measured:   []Measure{{"inputs", float64(len(x))}, {"largest gap", worst}},
		Reproduced: worst <= 1e-6,
		Plots:      []string{file},
	}, err
}

// identityGap is the largest |tanh(x) − (2σ(2x) − 1)| over x.
func identityGap(x []float32) float64 {
	t, s := evalOn("tanh", x), evalOn("sigmoid", doubled(x))
	worst := 0.0
	for i := range x {
		worst = math.Max(worst, math.Abs(float64(t[i]-(2*s[i]-1))))
	}
	return worst
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
